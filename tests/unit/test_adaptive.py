"""Adaptive time stepping (simulation/adaptive.py): the local error estimate against the true
local error of backward Euler and BDF2 on y' = -k y, the controller's landing on output times,
and the case keys refused out of range, naming the key."""

from __future__ import annotations

import math

import numpy as np
import pytest
from mpi4py import MPI

from helpers import make_case
from seifem.errors import CaseError
from seifem.simulation.adaptive import StepController, error_factor, extrapolate
from seifem.simulation.protocol import adaptive_plan

K = 0.7  # 1/s, y' = -K y, y(0) = 1


def _exact(t):
    return np.array([math.exp(-K * t)])


def test_error_factors_at_constant_steps_are_milnes():
    assert error_factor(1, 1.0, 1.0) == pytest.approx(1 / 3, rel=1e-14)
    assert error_factor(2, 1.0, 1.0, 1.0) == pytest.approx(2 / 11, rel=1e-14)


def test_extrapolation_is_exact_for_polynomials_of_its_degree():
    times = [0.0, 0.3, 1.0]
    values = [np.array([2 - 3 * t + 0.5 * t * t]) for t in times]
    assert extrapolate(times, values, 1.7)[0] == pytest.approx(2 - 3 * 1.7 + 0.5 * 1.7**2, rel=1e-13)


@pytest.mark.parametrize("order", [1, 2])
def test_estimate_matches_the_true_local_error(order):
    """From exact history at variable steps, one implicit step: the estimate approaches the true
    local error as the step shrinks (ratio -> 1 at O(h)). Measured ratio at h = 1e-3 s:
    1.0002 (BE) and 1.0003 (BDF2)."""
    for h, tol in ((1e-2, 0.02), (1e-3, 2e-3)):  # measured |ratio - 1|: 2.3e-3 / 3e-3 at 1e-2
        times = [0.0, 0.8 * h, 2.0 * h][-order - 1:]  # unequal earlier steps
        t_new = times[-1] + h
        yn = [_exact(t) for t in times]
        if order == 1:  # backward Euler
            y_c = yn[-1] / (1 + K * h)
        else:  # variable-step BDF2 (physics.transport.bdf_weights)
            w = h / (times[-1] - times[-2])
            a0, a1, a2 = (1 + 2 * w) / (1 + w), 1 + w, w * w / (1 + w)
            y_c = (a1 * yn[-1] - a2 * yn[-2]) / (a0 + K * h)
        ctl = StepController(rtol=1.0, dt_min=1e-9, times=list(times), stresses=[[] for _ in times])
        theta = (y_c, *reversed(yn))
        estimate = ctl.error(order, h, theta, [], MPI.COMM_SELF)
        true = abs(float(y_c[0] - _exact(t_new)[0]))
        assert estimate / true == pytest.approx(1.0, abs=tol)


def _bdf2(ts, ys, dt):
    """One variable-step BDF2 step of y' = -K y from the last two accepted states."""
    w = dt / (ts[-1] - ts[-2])
    a0, a1, a2 = (1 + 2 * w) / (1 + w), 1 + w, w * w / (1 + w)
    return (a1 * ys[-1] - a2 * ys[-2]) / (a0 + K * dt)


def test_controller_meets_the_tolerance_on_a_decay():
    """y' = -K y over 10 s as the run steps it: a doubled backward-Euler first step, then BDF2
    with the extrapolation estimate. Every accepted step's true local error stays within
    3 x rtol (measured: 1.36 x at most; the estimate is asymptotic) and it takes fewer steps
    than a fixed step of that accuracy (measured: 93; fixed BDF2 with 2/9 h^3 K^3 <= 1e-5:
    h = 0.051 s, 196 steps); the global error at 10 s is 4.0 rtol (bound 20)."""
    rtol = 1e-5
    ctl = StepController(rtol=rtol, dt_min=1e-6)
    ctl.start(0.0, [], 1.0)
    ts, ys = [0.0], [_exact(0.0)]
    worst, steps = 0.0, 0
    while ts[-1] < 10.0 - 1e-12:
        dt = min(ctl.proposal(1.0), 10.0 - ts[-1])
        if len(ctl.times) == 1:  # the first step of a protocol step: one step against two halves (BE, BDF2)
            full = ys[-1] / (1 + K * dt)
            half = ys[-1] / (1 + K * dt / 2)
            y = _bdf2([ts[-1], ts[-1] + dt / 2], [ys[-1], half], dt / 2)
            err, order, mid = ctl.scaled(1.0, y, full, [], [], MPI.COMM_SELF), 1, (ts[-1] + dt / 2, half)
        else:
            y = _bdf2(ts, ys, dt)
            order = min(2, len(ctl.times) - 1)
            err, mid = ctl.error(order, dt, (y, *reversed(ys[-3:])), [], MPI.COMM_SELF), None
        if not ctl.judge(dt, err, order, 1.0):
            continue
        if mid is not None:  # the two halves are kept
            ctl.accepted(mid[0], [])
            ts.append(mid[0])
            ys.append(mid[1])
            dt /= 2
        else:  # the true local error, from the accepted state
            worst = max(worst, abs(float(y[0] - ys[-1][0] * math.exp(-K * dt))) / rtol)
        ts.append(ts[-1] + dt)
        ys.append(y)
        ctl.accepted(ts[-1], [])
        steps += 1
    assert abs(ys[-1][0] - _exact(10.0)[0]) < 20 * rtol  # the global error: a few local errors
    assert worst < 3.0
    assert steps < 150


def test_adaptive_plan_lands_on_output_times_and_the_end():
    p = adaptive_plan(0.0, 7.0, 100.0, 60.0, (5.0, 50.0))
    assert (p.t_end, p.output, p.ends_step) == (5.0, True, False)
    p = adaptive_plan(95.0, 7.0, 100.0, 60.0, ())
    assert (p.t_end, p.ends_step) == (100.0, True)
    p = adaptive_plan(0.0, 7.0, math.inf, 60.0, ())
    assert (p.t_end, p.ends_step) == (7.0, False)


@pytest.mark.parametrize("key, value, match", [
    ("time_rtol", 0.5, r"solver.time_rtol = 0.5"),
    ("time_rtol", 1e-9, r"solver.time_rtol"),
    ("dt_min", "2 s", r"solver.dt_min = .2 s.*must not exceed the largest time step"),
    ("dt_min", "0 s", r"solver.dt_min"),
])
def test_adaptive_keys_out_of_range_are_refused_naming_the_key(key, value, match):
    with pytest.raises(CaseError, match=match):
        make_case(solver={"dt": "1 s", "adaptive": True, key: value})

"""The extrapolated start of the mechanics Newton (`newton.predict`): Lagrange
extrapolation in time, exact for a displacement linear (two points) or quadratic (three
points) in t, at unequal steps."""

from __future__ import annotations

import pytest

from seifem.problem.newton import predict


@pytest.mark.parametrize("dt, dt_last, dt_before", [(60.0, 60.0, 60.0), (30.0, 60.0, 15.0), (7.5, 40.0, 120.0)])
def test_quadratic_weights_are_exact_for_a_quadratic_in_time(dt, dt_last, dt_before):
    def u(t):
        return 0.3 - 1.7 * t + 0.04 * t**2

    t_n = 100.0  # u_n at t_n, the starts of the last two steps before it
    points = (u(t_n), u(t_n - dt_last), u(t_n - dt_last - dt_before))
    w = predict(dt, dt_last, dt_before)
    assert sum(w) == pytest.approx(1.0, abs=1e-14)
    assert sum(wi * ui for wi, ui in zip(w, points)) == pytest.approx(u(t_n + dt), rel=1e-12)


def test_equal_steps_give_the_classical_weights():
    assert predict(1.0, 1.0, 1.0) == pytest.approx((3.0, -3.0, 1.0), abs=1e-14)
    assert predict(1.0, 1.0) == (2.0, -1.0, 0.0)


def test_linear_weights_are_exact_for_a_linear_displacement():
    w = predict(45.0, 15.0)  # u = 2 - 0.5 t: u_n = u(0), u_n-1 = u(-15)
    assert w[0] * 2.0 + w[1] * (2.0 + 0.5 * 15.0) == pytest.approx(2.0 - 0.5 * 45.0, rel=1e-14)

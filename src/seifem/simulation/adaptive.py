"""Adaptive time steps (`solver.adaptive`): a local error estimate per step and the step-size
controller.

The estimate compares the implicit step's solution with the polynomial extrapolation of the
accepted states of the same protocol step (Milne's device): backward Euler (order 1) against
the line through the last two states, BDF2 (order 2) against the parabola through the last
three. With y_c the implicit solution, y_p the extrapolation and y the exact solution,

    y_c - y = e h^(p+1) y^(p+1),   y - y_p = q h^(p+1) y^(p+1)   (Taylor, variable steps)

so the local error is  y_c - y = e / (e + q) (y_c - y_p), with no extra solve. It is measured
on the concentration field (max norm of the filling fraction, whose range is 1) and on every
stress extreme of the history row (relative to the largest stress magnitude of any column
reached in the run so far, at least 1 MPa: a small column, or a stress that starts from zero
like sqrt(t), has no relative error that smaller steps make small); a step is accepted when
the largest of these, over rtol, is <= 1. The next step is
h 0.9 (1/err)^(1/(p+1)), within [h/5, 2h] and [dt_min, dt_max]; a change of less than 20 %
upward is not made (the operators and their preconditioners are kept).

A protocol step starts a new estimate history (its current jumps: the states before are not
one smooth curve with those after, and the response to the jump is fastest at once). Its
first step, tried at max(dt_min, dt_max / 32), is estimated by step doubling: one step of h
against two of h/2, whose difference is the error of the two (backward Euler first, order 1);
the two halves are kept. From then on the extrapolation above, with the scheme's order once
three states of the protocol step are known.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["StepController", "error_factor", "extrapolate", "STRESS_FLOOR_MPA"]

STRESS_FLOOR_MPA = 1.0
"""Stress errors are relative to the largest stress magnitude of the run so far, at least
this (MPa)."""

SAFETY, GROW_MAX, SHRINK_MIN, KEEP_BELOW = 0.9, 2.0, 0.2, 1.2
FIRST_STEP_FRACTION = 1.0 / 32.0


def _taylor(weights: tuple[float, ...], offsets: tuple[float, ...], k: int) -> float:
    """sum_j w_j (offset_j)^k / k!: the k-th order Taylor term of a difference formula."""
    return sum(w * o**k for w, o in zip(weights, offsets)) / float(np.prod(range(1, k + 1)))


def error_factor(order: int, dt: float, h1: float, h2: float | None = None) -> float:
    """e / (e + q) of the module docstring for backward Euler (order 1: steps dt, h1 = the
    previous step) or variable-step BDF2 (order 2: also h2, the one before), in s."""
    if order == 1:
        e = 0.5 * dt * dt  # y_c - y of backward Euler, per y''
        q = 0.5 * dt * (dt + h1)  # y - y_p of the line through t_n - h1, t_n
        return e / (e + q)
    assert h2 is not None
    w = dt / h1
    a0, a1, a2 = (1 + 2 * w) / (1 + w), -(1 + w), w * w / (1 + w)
    r = _taylor((a1, a2), (-dt, -dt - h1), 3)  # residual of the exact solution, per y''' (y' terms cancel)
    e = -r / a0
    q = dt * (dt + h1) * (dt + h1 + h2) / 6.0
    return e / (e + q)


def extrapolate(times: list[float], values: list, t: float):
    """The Lagrange polynomial through (times, values) at t (values: arrays or floats)."""
    out = 0.0
    for j, (tj, vj) in enumerate(zip(times, values)):
        w = 1.0
        for m, tm in enumerate(times):
            if m != j:
                w *= (t - tm) / (tj - tm)
        out = out + w * vj
    return out


@dataclass
class StepController:
    """The accepted history of the current protocol step (times, s; stress extremes, MPa) and
    the next step length (s). JSON-serialisable (`to_json`), so a restart continues exactly."""

    rtol: float
    dt_min: float
    order: int = 2  # the time scheme's order (bdf2: 2, euler: 1)
    dt_next: float | None = None
    times: list[float] = field(default_factory=list)
    stresses: list[list[float]] = field(default_factory=list)
    stress_scale: float = STRESS_FLOOR_MPA  # the largest |stress| of the run so far (MPa)
    rejected: int = 0

    def start(self, t0: float, stresses: list[float], dt_max: float) -> None:
        """A new protocol step at t0 (s) with the row's stress extremes there."""
        self.times, self.stresses = [t0], [list(stresses)]
        self._grow_scale(stresses)
        self.dt_next = max(self.dt_min, dt_max * FIRST_STEP_FRACTION)

    def proposal(self, dt_max: float) -> float:
        """The next step length (s), before it is cut to land on an output time or the end."""
        return min(max(self.dt_next or dt_max, self.dt_min), dt_max)

    def error(self, order: int, dt: float, theta: tuple, stresses: list[float], comm) -> float:
        """The local error of the step just taken over rtol (same on every rank). theta: the
        new concentration array and the accepted ones before it (newest first, this rank's)."""
        times = self.times[-order - 1:]
        h = [times[-1] - times[-2]] + ([times[-2] - times[-3]] if order == 2 else [])
        factor = error_factor(order, dt, *h)
        t = times[-1] + dt
        theta_p = extrapolate(times, list(theta[1:order + 2])[::-1], t)
        stress_p = extrapolate(times, [np.asarray(s) for s in self.stresses[-order - 1:]], t) if stresses else []
        return self.scaled(factor, theta[0], theta_p, stresses, stress_p, comm)

    def scaled(self, factor: float, theta, theta_ref, stresses, stresses_ref, comm) -> float:
        """factor x the difference of (theta, stresses) from a reference, in the norm of the
        module docstring, over rtol (same on every rank)."""
        local = float(np.max(np.abs(theta - theta_ref))) if len(theta) else 0.0
        err = abs(factor) * comm.allreduce(local, op=_max())
        if len(stresses):
            new, ref = np.asarray(stresses), np.asarray(stresses_ref)
            scale = max(self.stress_scale, float(np.max(np.abs(np.nan_to_num(new)))))
            finite = np.isfinite(new) & np.isfinite(ref)
            if finite.any():
                err = max(err, float(np.max(np.abs(factor * (new - ref))[finite])) / scale)
        return err / self.rtol

    def judge(self, dt: float, err: float, order: int, dt_max: float) -> bool:
        """Accept or reject the step of length dt (s) with error `err` (over rtol) of a method
        of `order`. Sets the next step length; False: redo with it."""
        fac = SAFETY * (1.0 / max(err, 1e-10)) ** (1.0 / (order + 1))
        accept = err <= 1.0 or dt <= self.dt_min * (1 + 1e-6)
        fac = min(GROW_MAX, max(SHRINK_MIN, fac))
        if accept and 1.0 <= fac < KEEP_BELOW:
            fac = 1.0
        if not accept:
            fac = min(fac, 0.5)
            self.rejected += 1
        self.dt_next = min(max(dt * fac, self.dt_min), dt_max)
        return accept

    def accepted(self, t: float, stresses: list[float]) -> None:
        """Record an accepted state at t (s); keep the last three."""
        self.times = (self.times + [t])[-3:]
        self.stresses = (self.stresses + [list(stresses)])[-3:]
        self._grow_scale(stresses)

    def _grow_scale(self, stresses: list[float]) -> None:
        if len(stresses):
            self.stress_scale = max(self.stress_scale, float(np.max(np.nan_to_num(np.abs(np.asarray(stresses))))))

    def to_json(self) -> dict:
        return {"dt_next": self.dt_next, "times": self.times, "stresses": self.stresses, "rejected": self.rejected,
                "stress_scale": self.stress_scale}

    def load(self, data: dict) -> None:
        self.dt_next, self.times, self.stresses = data["dt_next"], data["times"], data["stresses"]
        self.stress_scale = data["stress_scale"]
        self.rejected = data.get("rejected", 0)


def stress_extremes(row: dict) -> list[float]:
    """The stress extremes of a history row (MPa), in column order."""
    return [float(v) for k, v in row.items() if k.endswith("_MPa")]


def _max():
    from mpi4py import MPI

    return MPI.MAX

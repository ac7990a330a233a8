"""Protocol steps as a sequence of time steps.

A step runs at a signed C-rate (lithiation > 0, delithiation < 0, rest 0) for its duration
or until the mean filling fraction reaches `until_soc`, whichever comes first. Under a
constant current the mean filling fraction changes at exactly c_rate / 3600 s^-1 (the flux
is scaled to the discrete core volume), so the end time of an `until_soc` step is known in
advance and the step lands on it exactly. Time steps are cut to land exactly on step ends
and on requested output times.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["signed_rate", "step_duration", "time_steps", "StepPlan"]

_SIGN = {"lithiate": 1.0, "delithiate": -1.0, "rest": 0.0}


def signed_rate(step) -> float:
    """C-rate with sign: + lithiation, - delithiation, 0 rest (1/h)."""
    return _SIGN[step.mode] * step.c_rate


def step_duration(step, soc: float) -> float:
    """Length of a step (s) starting at mean filling fraction `soc`; 0 if `until_soc` is already
    reached or lies the other way."""
    durations = [] if step.duration is None else [step.duration]
    rate = signed_rate(step)
    if step.until_soc is not None and rate != 0.0:
        durations.append(max((step.until_soc - soc) / (rate / 3600.0), 0.0))
    return min(durations)


@dataclass(frozen=True)
class StepPlan:
    """One time step: its length (s), the time it ends at (s), and whether it ends a protocol
    step or lands on an output time."""

    dt: float
    t_end: float
    ends_step: bool
    output: bool


def time_steps(t0: float, duration: float, dt_max: float, output_times: tuple[float, ...]) -> Iterator[StepPlan]:
    """Steps from t0 to t0 + duration of at most dt_max, landing on every output time inside
    the interval and on the end. A final sliver shorter than 1e-6 dt_max is merged."""
    end = t0 + duration
    tol = 1e-9 * max(dt_max, 1.0)
    marks = sorted(t for t in output_times if t0 + tol < t < end - tol)
    t = t0
    while t < end - tol:
        target = min([end] + [m for m in marks if m > t + tol])
        n = max(1, int(-(-(target - t - tol) // dt_max)))  # equal steps to the next mark
        dt = (target - t) / n
        for i in range(n):
            t_next = target if i == n - 1 else t + dt
            yield StepPlan(t_next - t, t_next, t_next >= end - tol, i == n - 1 and target < end - tol)
            t = t_next

"""Protocol steps as a sequence of time steps, and the cut-offs that end them.

A constant-current step runs at a signed C-rate (lithiation > 0, delithiation < 0) for its
duration or until a cut-off, whichever comes first. Under a constant current the mean filling
fraction changes at exactly c_rate / 3600 s^-1 (the flux is scaled to the discrete core
volume), so `until_soc` and `until_capacity` give an end time known in advance, where the
step lands exactly; it also never runs past a full (lithiation) or empty (delithiation)
particle. Cut-offs that depend on the solution (`until_voltage`, and in a voltage hold
`until_current` and `until_capacity`) are events: `Event.remaining` is > 0 before and <= 0
once reached, and the run loop locates the step that lands on them (`locate`). Time steps
are cut to land exactly on step ends and on requested output times; holds start with small
steps that grow (`growing_steps`), since their current decays from a sharp start.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from seifem.case.durations import signed_rate, step_duration
from seifem.simulation.state import ElectrodeState

__all__ = ["signed_rate", "step_duration", "time_steps", "growing_steps", "adaptive_plan", "StepPlan", "Event",
           "step_events", "EVENT_TOLERANCE"]

EVENT_TOLERANCE = {"voltage": 1e-4, "current": 1e-3, "capacity": 1e-6}
"""How close a located cut-off lands: V for voltages; relative to the target for currents and
capacities."""


@dataclass(frozen=True)
class Event:
    """A cut-off that depends on the solution: kind "voltage", "current" or "capacity", its
    target (V, C-rate, mAh/g) and the direction a voltage is approached from (+1: falling to it)."""

    kind: str
    target: float
    falling: bool = True

    def remaining(self, state: ElectrodeState, passed_mAh_g: float) -> float:
        """> 0 before the cut-off, <= 0 once reached (units of the target)."""
        if self.kind == "voltage":
            v = state.voltage_V
            return v - self.target if self.falling else self.target - v
        if self.kind == "current":
            return abs(state.c_rate) - self.target
        return self.target - passed_mAh_g

    @property
    def tolerance(self) -> float:
        """How close a located cut-off lands (units of the target)."""
        return EVENT_TOLERANCE[self.kind] * (1.0 if self.kind == "voltage" else abs(self.target))

    def reached(self, state: ElectrodeState, passed_mAh_g: float) -> bool:
        """Reached, within its tolerance."""
        return self.remaining(state, passed_mAh_g) <= self.tolerance


def step_events(step) -> list[Event]:
    """The cut-offs of a step that are not known in advance."""
    out = []
    if step.until_voltage is not None:
        out.append(Event("voltage", step.until_voltage, falling=step.mode == "lithiate"))
    if step.mode == "hold":
        if step.until_current is not None:
            out.append(Event("current", step.until_current))
        if step.until_capacity is not None:
            out.append(Event("capacity", step.until_capacity))
    return out


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


def growing_steps(t0: float, duration: float, dt_first: float, dt_max: float, output_times: tuple[float, ...],
                  growth: float = 1.5) -> Iterator[StepPlan]:
    """Steps from t0 that start at dt_first and grow by `growth` up to dt_max, landing on every
    output time and on t0 + duration (which may be inf: the step then ends by an event)."""
    end = t0 + duration
    tol = 1e-9 * max(dt_max, 1.0)
    marks = sorted(t for t in output_times if t > t0 + tol and t < end - tol)
    t, dt = t0, min(dt_first, dt_max)
    while t < end - tol:
        nxt = min([end] + [m for m in marks if m > t + tol])
        t_next = nxt if t + dt >= nxt - 1e-6 * dt else t + dt
        yield StepPlan(t_next - t, t_next, t_next >= end - tol, t_next == nxt and nxt < end - tol)
        t, dt = t_next, min(dt * growth, dt_max)


def adaptive_plan(t: float, dt: float, end: float, dt_max: float, output_times: tuple[float, ...]) -> StepPlan:
    """The step from t of length dt (s; chosen by the adaptive controller) cut to land on the
    next output time and on `end` (may be inf); a step that would leave a sliver shorter than
    1e-6 dt_max before the mark is stretched to it."""
    tol = 1e-9 * max(dt_max, 1.0)
    nxt = min([end] + [m for m in output_times if t + tol < m < end - tol])
    t_next = nxt if t + dt >= nxt - 1e-6 * dt_max else t + dt
    return StepPlan(t_next - t, t_next, t_next >= end - tol, t_next == nxt and nxt < end - tol)

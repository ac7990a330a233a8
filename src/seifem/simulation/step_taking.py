"""How the particle run loop takes one time step: the step with its time-step cuts on a
solver failure, the run stopped with the last good state saved when cutting does not help, the
step redone shorter to land on a cut-off (`cutoffs.land_on_cutoff`), and the step finished (its
row recorded, a checkpoint when due). A mixin of `particle_run.ParticleRun` (its problem, model,
ledger, position and reading); `segment_run` finishes the steps of a segment the same way.
"""

from __future__ import annotations

import logging
import time

from seifem.errors import SolverError
from seifem.results.rundir import CHECKPOINT
from seifem.simulation.adaptive import stress_extremes
from seifem.simulation.adaptive_run import adaptive_advance
from seifem.simulation.cutoffs import land_on_cutoff
from seifem.simulation.protocol import StepPlan, signed_rate
from seifem.simulation.state import warn_range

__all__ = ["MAX_CUTS", "StepTaking"]

log = logging.getLogger("seifem.simulation.run")

MAX_CUTS = 4
"""A failed step is retried with dt/2, dt/4, ... down to dt / 2**MAX_CUTS."""


class StepTaking:
    """The time step of a `ParticleRun` (mixed in)."""

    def take(self, i: int, step, plan: StepPlan, events: list) -> bool:
        """Take the time step of `plan` in protocol step i (adaptive: until the controller
        accepts it), land on a cut-off reached in it, and finish it (`finish`). True when the
        protocol step ended."""
        p = self.problem
        t0 = time.perf_counter()
        before = (p.snapshot(), self.ledger.copy()) if events else None
        if self.controller is not None:
            plan, row = adaptive_advance(self, i, step, plan)
            dt = plan.dt
        else:
            dt = plan.t_end - p.t
            self.advance_or_stop(i, dt, step)
            row = self.row(i, step.cycle)
        ended = plan.ends_step
        if events and any(ev.reached(self.reading, self.passed()) for ev in events):
            row, ended = self._locate(i, step, before, dt, events, row), True
            if row is None:  # reached at once: the step has no length
                self.position.ended = True
                self.checkpoint()
                return True
        self.t_solve += time.perf_counter() - t0
        return self.finish(i, step, plan, row, ended, dt, time.perf_counter() - t0)

    def finish(self, i: int, step, plan: StepPlan, row: dict, ended: bool, dt: float, wall: float,
               probes: dict | None = None) -> bool:
        """A time step of length dt (s) taken in `wall` s, its history `row` made: count it,
        record the row and the `probes` (None: asked of the model; the fields at output times
        and at the protocol step's end), warn once of
        a surface filling outside [0, 1], checkpoint when due (every `checkpoint_every` steps
        and at the step's end), report progress. Returns `ended`."""
        p = self.problem
        self.nsteps += 1
        log.debug("protocol step %d: t = %.6g s, dt = %.4g s, %.3f s wall", i, p.t, dt, wall)
        self.record(row, plan.output or (ended and not self.case.output.field_times), probes)
        if self.controller is not None:
            self.controller.accepted(p.t, stress_extremes(row))
        warn_range(row, self.warned)
        if ended:
            self.position.ended = True
        every = self.case.output.checkpoint_every
        if ended or (every and self.nsteps % every == 0):
            self.checkpoint()
        if self.progress:
            self.progress.advance(p.t, row["soc"], self.reading.voltage_V)
        return ended

    def advance(self, dt: float, step, cuts: int = 0, retry: bool = True) -> None:
        """One time step of a protocol step; on a solver failure go back and take two half
        steps (recursively), or with `retry` false raise the failure at once."""
        p = self.problem
        snap = p.snapshot()
        try:
            lost = self.model.grow_film(dt, self.ledger.voltage)
            if step.mode == "hold":
                p.advance(dt, 0.0, sink=lost / dt, voltage=step.voltage)
                rate = p.uptake_c_rate + lost / dt / self.ions_per_s_1C  # the electrode current
            else:
                rate = signed_rate(step)
                p.advance(dt, rate, sink=lost / dt)
            self.ledger.count(step.cycle, rate, self.ions_per_s_1C, dt, lost)
            return
        except SolverError as exc:
            p.restore(snap)
            if not retry or cuts >= MAX_CUTS:
                raise
            log.warning("t = %.2f s: %s; retrying with dt = %.3g s", p.t, exc, dt / 2)
            self.cuts += 1
        self.advance(dt / 2, step, cuts + 1)
        self.advance(dt / 2, step, cuts + 1)

    def passed(self) -> float:
        """Charge passed in the current protocol step (mAh per g of active material), at the
        electrode's last reading."""
        return abs((self.reading.capacity_mAh_g or 0.0) - self.position.q0)

    def advance_or_stop(self, i: int, dt: float, step) -> None:
        p = self.problem
        try:
            self.advance(dt, step)
        except SolverError as exc:
            self.checkpoint()
            raise SolverError(
                f"protocol step {i} at t = {p.t:.3f} s: {exc} (after {MAX_CUTS} time-step cuts); the last "
                f"good state is saved in {self.out_dir / CHECKPOINT}", exc.reason) from None

    def _locate(self, i: int, step, before: tuple, dt_full: float, events: list, row: dict) -> dict | None:
        """The row where the first cut-off reached in the last step (length dt_full) is met
        (`cutoffs.land_on_cutoff`); None when it holds from the step's start."""
        def restore() -> None:
            self.problem.restore(before[0])
            self.ledger = before[1].copy()

        def redo(dt: float) -> dict:
            restore()
            self.advance_or_stop(i, dt, step)
            return self.row(i, step.cycle)

        def scaled() -> float:
            return min(ev.remaining(self.reading, self.passed()) / ev.tolerance for ev in events)

        what = f"protocol step {i} ({step.mode}; " + ", ".join(f"{ev.kind} {ev.target:g}" for ev in events) + ")"
        return land_on_cutoff(dt_full, row, scaled, redo, restore, what)

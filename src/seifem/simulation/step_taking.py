"""How the particle run loop takes one time step: the step with its time-step cuts on a
solver failure, the run stopped with the last good state saved when cutting does not help, and
the step redone shorter to land on a cut-off (`cutoffs.land_on_cutoff`). A mixin of
`particle_run.ParticleRun` (its problem, model, ledger, position and reading).
"""

from __future__ import annotations

import logging

from seifem.errors import SolverError
from seifem.results.rundir import CHECKPOINT
from seifem.simulation.cutoffs import land_on_cutoff
from seifem.simulation.protocol import signed_rate

__all__ = ["StepTaking", "MAX_CUTS"]

log = logging.getLogger("seifem.simulation.run")

MAX_CUTS = 4
"""A failed step is retried with dt/2, dt/4, ... down to dt / 2**MAX_CUTS."""


class StepTaking:
    """The time step of a `ParticleRun` (mixed in)."""

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

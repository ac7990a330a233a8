"""Cycle jumping for the 3D run loop (`solver.cycle_jump` on a 3D run with `sei.growth`): the
acceleration of hundreds of cycles of the full model, as the twins' (`simulation.cycle_life`).

After `JUMP_WARMUP` resolved cycles, at the end of each resolved cycle n the slowly varying state
is extrapolated linearly over a block of up to `jump` cycles from its change over cycle n, and the
protocol steps of the skipped cycles are not run; the cycle after the block is resolved, and the
last cycle always is. The slow state is the growing film's, per SEI cell
(`problem.sei_film.SEIFilm`): its thickness (its square for the sqrt(t) law, which then grows
linearly in the number of cycles), intact area and spalled volume, and the ledger's lithium lost
(`Ledger.lost_mol`). The film's failure flags and reference strains, and the particle's state,
are periodic over a cycle (it ends at the same cut-off) and are kept; so the charge passed over
the skipped cycles is the lithium the SEI took in them (conservation: particle + SEI = applied
holds across a jump), and the model time advances by the block's length of resolved cycles.

The skipped cycles' rows of cycles.csv (`resolved` = 0) follow from that state: lithium lost from
the extrapolated film, the lithiation charge of the last resolved cycle, and the delithiation
charge that minus the lithium the film took in the cycle (the particle is periodic). Extrapolating
the charges themselves would amplify the cycle-to-cycle scatter of the cut-off landing (1e-6 of
the window) by the block length. The error against every-cycle runs is measured in
tests/verification/test_cycle_jump_3d.py.
"""

from __future__ import annotations

import logging

import numpy as np
from mpi4py import MPI

from seifem.units import SCALES

__all__ = ["JUMP_WARMUP", "FilmJumper"]

log = logging.getLogger(__name__)

JUMP_WARMUP = 3
"""Cycles resolved before the first jump (as the twins')."""


class FilmJumper:
    """The jumps of one 3D run (`simulation.particle_run.ParticleRun`): `started(cycle)` when a cycle's first
    step starts, `ended(cycle)` after its row is written; returns the cycles skipped."""

    def __init__(self, run):
        self.run = run
        self.film = getattr(run.model, "film", None)
        self.jump = run.case.solver.cycle_jump if self.film is not None else 0
        self.last = max(s.cycle for s in run.case.protocol)
        self.x0, self.t0, self.charge0 = None, 0.0, None

    def _slow(self) -> list[np.ndarray]:
        f, c = self.film, self.film.cells
        h = f.p.sei_h.x.array[c].copy()
        return [h**2 if f.law == "solvent-diffusion" else h, f.area.x.array[c].copy(), f.dead.x.array[c].copy()]

    def _film(self, x: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(thickness [model units], intact area [m^2], spalled volume [m^3]) per SEI cell of a slow state."""
        f = self.film
        h = np.sqrt(np.maximum(x[0], 0.0)) if f.law == "solvent-diffusion" else np.maximum(x[0], 0.0)
        return h, np.clip(x[1], 0.0, f.area0), np.maximum(x[2], 0.0)

    def _lithium(self, x: list[np.ndarray]) -> float:
        """Lithium in the film of a slow state (mol, whole particle): z (L A + spalled) / V_m."""
        f = self.film
        h, a, dead = self._film(x)
        vol = f.p.comm.allreduce(float((h * SCALES.length * a + dead).sum()), op=MPI.SUM)
        return f.params.z * vol / f.params.molar_volume * f.p.geo.symmetry_factor

    def _set_slow(self, x: list[np.ndarray]) -> None:
        f, c = self.film, self.film.cells
        p = f.p
        p.sei_h.x.array[c], f.area.x.array[c], f.dead.x.array[c] = self._film(x)
        for fn in (p.sei_h, f.area, f.dead):
            fn.x.scatter_forward()
        p.update_sei()
        if p.transport is not None:
            p.transport.set_film_thickness(f.thickness_nm()[0] * 1e-9)

    def started(self, cycle: int) -> None:
        """A cycle's first protocol step starts: remember the slow state and the time."""
        if self.jump:
            self.x0, self.t0 = self._slow(), self.run.problem.t

    def ended(self, cycle: int) -> int:
        """Cycle `cycle` is done and its row written: jump over the next block if due (its rows
        written); returns the number of cycles skipped."""
        if not self.jump or self.x0 is None or cycle < JUMP_WARMUP or cycle >= self.last - 1:
            return 0
        m = min(self.jump, self.last - cycle - 1)  # the last cycle is resolved
        run, led, p = self.run, self.run.ledger, self.run.problem
        x1 = self._slow()
        dx = [b - a for a, b in zip(self.x0, x1)]
        period = p.t - self.t0
        q_in = led.charge.get(cycle, [0.0, 0.0])[0]
        lost1, film1 = led.lost_mol, self._lithium(x1)
        for k in range(1, m + 1):  # the skipped cycles' rows: their state extrapolated
            before = led.lost_mol
            led.lost_mol = lost1 + self._lithium([a + k * d for a, d in zip(x1, dx)]) - film1
            led.charge[cycle + k] = [q_in, q_in - (led.lost_mol - before)]  # periodic particle: out = in - lost
            p.set_time_state({**p.time_state(), "t": self.t0 + period * (k + 1)})
            run.end_cycle(cycle + k, resolved=0)
        self._set_slow([a + m * d for a, d in zip(x1, dx)])
        led.applied_mol += led.lost_mol - lost1  # the charge passed over the block: what the SEI took
        self.x0 = None
        log.info("cycles %d-%d jumped (SEI %.3f nm)", cycle + 1, cycle + m, self.film.thickness_nm()[0])
        return m

"""Cycle life on the 1D and 2D twins: hundreds of galvanostatic cycles of a spherical particle with a
growing, layered, inelastic and damaging SEI, and the capacity the cell keeps.

    result = run_cycle_life(case, CycleLife(cycles=300), laws=[None, StandardLinearSolid(...)])
    result.rows          # one dict per cycle (the columns of cycles.csv)
    write_cycles(result, out_dir / "cycles.csv")

The cell (stated model): the particle cycles against a counter electrode that holds a finite
lithium inventory, `inventory` x the charge of the first lithiation (1: a cell balanced on its
first cycle, the counter electrode empty at its end). Lithiation at `c_rate` ends when the particle's
mean filling fraction reaches `soc_max`, the electrode voltage falls to `v_min`, or the counter
electrode has no lithium left; delithiation ends at `soc_min` or `v_max`; an optional rest
follows each. The SEI (`physics.sei_cracks.CrackedFilm`) takes its lithium from the particle
through its surface every step (the run loop's rule), so particle + SEI + crack SEI = applied
(initial content + the time integral of the current) to round-off, and the lost lithium leaves
the cyclable inventory: capacity fades. Per step: the film grows over dt (with the cracked
fraction of the step's start), the diffusion step (backward Euler, exactly conservative), then
the mechanics with the membrane's resultant N = S e - T of its layers' incremental laws
(`physics.sei_layer_state`; plastic layers by an active set), then the layers commit (damage).
A cut-off inside a step is landed by regula falsi (Illinois) on the step length (to
`cycle_cell.SOC_TOL` or `VOLTAGE_TOL`). The stepping is `simulation.cycle_cell.Cell`.

Cycle jumping (`jump` > 0): after `JUMP_WARMUP` resolved cycles, the slowly varying state (SEI
thickness, cracked fraction, broken-off crack SEI, lithium lost, counter-electrode inventory) is
extrapolated linearly over blocks of up to `jump` cycles from its change over the last resolved
cycle, and one cycle is resolved after each block; the particle's state is periodic over a
cycle and is kept. Skipped cycles' rows are interpolated (`resolved` = 0). The last cycle is
always resolved. Its error is measured against every-cycle runs (tests/unit/test_cycle_life.py).

Checkpoints (`checkpoint` a path): the cell's whole state and the rows so far after every
`checkpoint_every`-th resolved cycle (and its jump), `simulation.cycle_checkpoint`; `resume`
continues from that file.
"""

from __future__ import annotations

import csv
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from mpi4py import MPI

from seifem.case.cycling import CycleLife
from seifem.physics.layered_membrane import SEILayer
from seifem.simulation.cycle_cell import Cell, sei_layers_of
from seifem.simulation.cycle_checkpoint import load_cell, save_cell

__all__ = ["JUMP_WARMUP", "CycleLife", "CycleLifeResult", "run_cycle_life", "sei_layers_of", "write_cycles"]

log = logging.getLogger(__name__)

JUMP_WARMUP = 3
"""Cycles resolved before the first jump."""
@dataclass
class CycleLifeResult:
    """One row per cycle, history rows (end of each resolved half cycle), the wall time [s], the
    number of resolved cycles and time steps."""

    rows: list[dict] = field(default_factory=list)
    history: list[dict] = field(default_factory=list)
    wall_s: float = 0.0
    resolved: int = 0
    steps: int = 0


def run_cycle_life(case, spec: CycleLife, laws=None, layers: list[SEILayer] | None = None,
                   comm: MPI.Comm = MPI.COMM_WORLD, checkpoint: Path | None = None, resume: bool = False,
                   meta: dict | None = None, checkpoint_every: int = 1) -> CycleLifeResult:
    """Cycle the case's particle (the twin `spec.model`) under `spec`; `laws[i]` the law of SEI
    layer i (None: elastic), `layers` to replace the case's SEI layers. The 1D twin does the same
    work on every rank (COMM_SELF); the 2D twin is distributed over `comm` (collective), its
    scalars reduced, so every rank holds the same rows. `checkpoint`: written after every
    `checkpoint_every`-th resolved cycle (with `meta` in it), continued from with `resume`."""
    t0 = time.perf_counter()
    cell = Cell(case, spec, laws, layers, comm)
    out = CycleLifeResult()
    n = 1
    if resume:
        n, out.rows, _ = load_cell(checkpoint, cell, comm)
        out.resolved = sum(1 for r in out.rows if r["resolved"])
        log.info("cycle life: continuing from the checkpoint at cycle %d", n)
    while n <= spec.cycles:
        x0 = cell.slow_state()
        row = cell.cycle(n)
        out.rows.append(row)
        out.resolved += 1
        if spec.jump and n >= JUMP_WARMUP and n < spec.cycles:
            m = min(spec.jump, spec.cycles - n - 1)  # the last cycle is resolved
            if m > 0:
                x1 = cell.slow_state()
                cell.set_slow_state(x1 + m * (x1 - x0))
                out.rows += [{"cycle": n + j, "resolved": 0} for j in range(1, m + 1)]
                n += m
        n += 1
        if checkpoint is not None and n <= spec.cycles and out.resolved % max(checkpoint_every, 1) == 0:
            save_cell(checkpoint, cell, comm, n, out.rows, cell.history, meta or {})
    _interpolate_skipped(out.rows)
    first = out.rows[0]["capacity_mAh_g"]
    for r in out.rows:
        r["capacity_retention"] = r["capacity_mAh_g"] / first
    out.wall_s, out.steps, out.history = time.perf_counter() - t0, cell.steps, cell.history
    cell.p.destroy()
    return out


def _interpolate_skipped(rows: list[dict]) -> None:
    """Fill the rows of jumped cycles by linear interpolation between the resolved cycles."""
    done = [r for r in rows if r["resolved"]]
    x = np.array([r["cycle"] for r in done], dtype=float)
    for r in rows:
        if not r["resolved"]:
            r.update({k: float(np.interp(r["cycle"], x, [d[k] for d in done])) for k in done[0]
                      if k not in ("cycle", "resolved")})


def write_cycles(result: CycleLifeResult, path: Path) -> Path:
    """cycles.csv of a cycle-life run (call on one rank): one row per cycle, columns as `row`."""
    path = Path(path)
    with open(path, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(result.rows[0]))
        w.writeheader()
        for r in result.rows:
            w.writerow({k: f"{v:.10g}" for k, v in r.items()})
    return path

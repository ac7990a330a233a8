"""`seifem run` of a cycle-life case (geometry.model = "1d" or "2d" with sei.growth): the twin cycled
by `simulation.cycle_life`, written as a run directory like any other run: cycles.csv (one row per
cycle), history.csv (one row at the end of each resolved half cycle), summary.json, and
checkpoint.npz after every `output.checkpoint_every`-th resolved cycle (`simulation.cycle_checkpoint`;
`seifem run --restart`)."""

from __future__ import annotations

import csv
import logging
import time
from pathlib import Path

from mpi4py import MPI

from seifem.observers.io import rank0_write
from seifem.results.restart import case_hash
from seifem.results.rundir import CHECKPOINT, CYCLES, HISTORY, SUMMARY, RunDir
from seifem.simulation.cycle_life import CycleLife, run_cycle_life, write_cycles

__all__ = ["run_cycle_case"]

log = logging.getLogger(__name__)


def run_cycle_case(case, out_dir: Path, comm: MPI.Comm, meta: dict | None = None) -> dict:
    """Run the cycle-life case into out_dir (every rank does the same work; rank 0 writes);
    `meta` a checkpoint's (a restart): continue from it. Returns the run's stats (as summary.json)."""
    t0 = time.perf_counter()
    spec = CycleLife.of(case)
    log.info("cycle life: %d cycles on the %s twin, jumps of up to %d cycles", spec.cycles, spec.model, spec.jump)
    res = run_cycle_life(case, spec, comm=comm, checkpoint=Path(out_dir) / CHECKPOINT, resume=meta is not None,
                         meta={"case_sha256": case_hash(case)}, checkpoint_every=case.output.checkpoint_every)
    last = res.rows[-1]
    log.info("cycle %d: retention %.4f, Coulombic efficiency %.6f, SEI %.2f nm, %d of %d cycles resolved, %.1f s",
             last["cycle"], last["capacity_retention"], last["coulombic_efficiency"], last["sei_thickness_nm"],
             res.resolved, spec.cycles, res.wall_s)
    stats = {"ranks": comm.size, "model": spec.model, "steps": res.steps, "step_cuts": 0, "cycles": spec.cycles,
             "resolved_cycles": res.resolved, "mesh_time_s": 0.0, "solve_time_s": res.wall_s,
             "time_per_step_s": res.wall_s / max(res.steps, 1), "wall_time_s": time.perf_counter() - t0}

    def write() -> None:
        write_cycles(res, out_dir / CYCLES)
        with open(out_dir / HISTORY, "w", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=list(res.history[0]))
            w.writeheader()
            for r in res.history:
                w.writerow({k: f"{v:.10g}" for k, v in r.items()})

    rank0_write(comm, out_dir / CYCLES, write)
    rank0_write(comm, out_dir / SUMMARY, RunDir(out_dir).write_summary, stats)
    return stats

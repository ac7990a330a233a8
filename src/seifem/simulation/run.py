"""Run a case: mesh, solve the protocol, write history, probes, fields and checkpoints into a
run directory; continue a killed run from its last checkpoint.

    result = run_case(case, out_dir, comm)                # fresh run
    result = run_case(case, out_dir, comm, restart=True)  # continue in the same directory

Data flows one way: Case -> model (3D geometry and problem, or the 1D twin) -> observers ->
files -> render. The loops: `simulation.particle_run` (a particle), `simulation.electrode_run`
(an electrode patch), `simulation.cycle_case` (twin cycle life).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from mpi4py import MPI

from seifem.case.electrode import ElectrodeCase
from seifem.errors import RunError
from seifem.log import Progress
from seifem.observers.io import rank0_write
from seifem.parallel import release_petsc
from seifem.results.restart import finished_time, prepare_restart, refuse_used_dir
from seifem.results.rundir import SUMMARY, RunDir
from seifem.simulation.particle_run import MAX_CUTS, ParticleRun
from seifem.simulation.state import RunResult

__all__ = ["run_case", "RunResult", "MAX_CUTS"]

log = logging.getLogger(__name__)


def run_case(case, out_dir: Path, comm: MPI.Comm, progress: Progress | None = None,
             restart: bool = False) -> RunResult:
    """Solve `case` into the directory `out_dir`, in which no run has written yet (RunDirError
    otherwise, as the CLI's --out); with `restart`, continue the run there from its checkpoint
    (a finished run is left as it is)."""
    t_start, out_dir = time.perf_counter(), Path(out_dir)
    meta = None
    if restart:
        t_end = finished_time(out_dir, comm)
        if t_end is not None:
            log.info("run already finished at t = %g s: nothing to do (%s is unchanged)", t_end, out_dir)
            return RunResult(out_dir, 0, RunDir(out_dir).summary())
        meta = prepare_restart(out_dir, case, comm)
    else:
        refuse_used_dir(out_dir, comm)
    if isinstance(case, ElectrodeCase):  # the electrode patch: its own loop, the same run directory
        from seifem.simulation.electrode_run import run_electrode

        return run_electrode(case, out_dir, comm, progress, meta, t_start)
    if case.geometry.model in ("1d", "2d") and case.sei_growth != "none":  # cycle life (checkpoints per cycle)
        from seifem.simulation.cycle_case import run_cycle_case

        stats = run_cycle_case(case, out_dir, comm, meta)
        return RunResult(out_dir, stats["steps"], stats)
    run = ParticleRun(case, out_dir, comm, meta)
    try:
        s = _stats(run, t_start)
        log.info("dofs: %d displacement, %d concentration", s["dofs"]["displacement"], s["dofs"]["concentration"])
        run.solve(progress)
        if run.nsteps == 0:
            raise RunError("no time step was taken: every protocol step ended at its start (see the warnings "
                           "above); change the protocol's cut-offs or the initial state")
        run.close()
    except Exception as exc:
        # the CSV files are rank 0's own (written if possible, never raising over `exc`); field
        # files close collectively, which only a failure that reached every rank (a RunError)
        # may do: otherwise the other ranks are mid-step
        for table in run.tables().values():
            table.abandon()
        if isinstance(exc, RunError):
            run.model.close()
            run.model.destroy()
        raise
    stats = _stats(run, t_start)
    rank0_write(comm, out_dir / SUMMARY, RunDir(out_dir).write_summary, stats)
    run.model.destroy()
    nsteps, owned = run.nsteps, [run]
    del run
    release_petsc(owned, comm)
    return RunResult(out_dir, nsteps, stats)


def _stats(run: ParticleRun, t_start: float) -> dict:
    """The summary's run statistics: ranks, steps, cuts, dofs, times, solver counts."""
    return {
        "ranks": run.comm.size, "model": run.case.geometry.model, "steps": run.nsteps,
        "step_cuts": run.cuts,
        **({"steps_rejected": run.controller.rejected} if run.controller is not None else {}), "dofs": run.model.dofs, "mesh_time_s": run.model.t_mesh,
        "solve_time_s": run.t_solve, "time_per_step_s": run.t_solve / max(run.nsteps, 1),
        "wall_time_s": time.perf_counter() - t_start, "timers_s": run.problem.timers,
        **run.model.solver_stats(), **({"geometry": run.model.design} if run.model.design else {}),
    }

"""Run a case: mesh, solve the protocol, write history, probes and fields into a run directory.

    result = run_case(case, out_dir, comm)

The run directory is created fresh (never reused, see `rundir.py`). Data flows one way:
Case -> Geometry -> ParticleProblem -> observers -> files -> render.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path

from mpi4py import MPI

from . import geometry
from .observers import CsvWriter, FieldWriter, Probes
from .problem import ParticleProblem
from .protocol import signed_rate, step_duration, time_steps
from .quantities import Quantities
from .units import SCALES

__all__ = ["run_case", "RunResult"]

log = logging.getLogger(__name__)


@dataclass
class RunResult:
    """What a finished run produced: its directory, step count and timing figures (s)."""

    out_dir: Path
    steps: int
    stats: dict


def run_case(case, out_dir: Path, comm: MPI.Comm, progress=None) -> RunResult:
    """Solve `case` and write its outputs into the existing directory `out_dir`."""
    t_start = time.perf_counter()
    geo = geometry.build(case, comm)
    t_mesh = time.perf_counter() - t_start
    problem = ParticleProblem(case, geo)
    q = Quantities(problem)
    L = SCALES.length
    probe_points = {n: tuple(x / L for x in p) for n, p in case.output.probes.items()}
    probes = Probes(geo.mesh, probe_points, {
        "theta": problem.theta, "u": problem.u, "sigma_rr_MPa": q.fields["sigma_rr"],
        "sigma_hoop_MPa": q.fields["sigma_tt"], "von_mises_MPa": q.fields["von_mises"],
    }, geo.octant)
    field_fns = [q.fields[k] for k in ("theta", "displacement", "sigma_rr", "sigma_tt", "von_mises",
                                         "hydrostatic", "region")] + [q.sigma]
    output_times = case.output.field_times
    dofs = {"displacement": problem.W.dofmap.index_map.size_global * 3,
            "concentration": problem.V.dofmap.index_map.size_global}
    log.info("dofs: %d displacement, %d concentration", dofs["displacement"], dofs["concentration"])

    nsteps, t_solve = 0, 0.0
    with (CsvWriter(out_dir / "history.csv", comm) as history,
          CsvWriter(out_dir / "probes.csv", comm) as probe_csv,
          (FieldWriter(comm, out_dir / "fields.bp", field_fns) if case.output.fields else _NoFields()) as fields):

        def record(step_index: int, rate: float, write_fields: bool) -> dict:
            q.update()
            row = {"time_s": problem.t, "step": step_index, "c_rate": rate, **q.scalars()}
            row["applied_ions_mol"] = applied[0]
            history.write(row)
            probe_csv.write({"time_s": problem.t, **probes.values()})
            if write_fields:
                fields.write(problem.t)
            return row

        warned: set[str] = set()
        applied = [problem.c_max * problem.theta0 * problem.core_volume * L**3 * geo.symmetry_factor]
        record(0, 0.0, True)
        total = sum(s.duration or 0.0 for s in case.protocol)
        if progress:
            progress.start(total)
        ion_rate = problem.c_max * problem.core_volume * L**3 * geo.symmetry_factor / 3600.0  # mol/s per 1C
        for i, step in enumerate(case.protocol, start=1):
            rate = signed_rate(step)
            soc = problem._sum(problem.theta * geo.dx("core")) / problem.core_volume
            duration = step_duration(step, soc)
            if duration <= 0.0:
                log.warning("protocol step %d (%s until soc %.3g) skipped: already reached", i, step.mode, step.until_soc)
                continue
            log.info("step %d: %s at %+g C for %.1f s", i, step.mode, rate, duration)
            for plan in time_steps(problem.t, duration, step.dt, output_times):
                t0 = time.perf_counter()
                problem.advance(plan.dt, rate)
                t_solve += time.perf_counter() - t0
                applied[0] += rate * ion_rate * plan.dt
                want_fields = plan.output or (plan.ends_step and not output_times)
                row = record(i, rate, want_fields)
                nsteps += 1
                _warn_range(row, warned)
                if progress:
                    progress.advance(plan.dt, row)
        if progress:
            progress.stop()

    stats = {
        "ranks": comm.size, "dofs": dofs, "steps": nsteps, "mesh_time_s": t_mesh,
        "solve_time_s": t_solve, "time_per_step_s": t_solve / max(nsteps, 1),
        "wall_time_s": time.perf_counter() - t_start, "timers_s": problem.timers,
        "elasticity": problem.el_solver.stats, "diffusion": problem.diff_solver.stats,
    }
    if comm.rank == 0:
        (out_dir / "summary.json").write_text(json.dumps(stats, indent=2))
    problem.destroy()
    return RunResult(out_dir, nsteps, stats)


def _warn_range(row: dict, warned: set[str]) -> None:
    """The linear model has no saturation: say so once when the surface leaves [0, 1]."""
    for key, bad in (("surface_soc_max", row["surface_soc_max"] > 1.0), ("surface_soc_min", row["surface_soc_min"] < 0.0)):
        if bad and key not in warned:
            warned.add(key)
            log.warning("t = %.1f s: surface filling fraction %s = %.3f is outside [0, 1]; the linear "
                        "diffusion model does not saturate (lower the C-rate or shorten the step)",
                        row["time_s"], key, row[key])


class _NoFields:
    def __enter__(self):
        return self

    def write(self, t: float) -> None:
        pass

    def __exit__(self, *exc) -> None:
        pass

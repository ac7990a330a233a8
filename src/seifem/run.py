"""Run a case: mesh, solve the protocol, write history, probes, fields and checkpoints into a
run directory; continue a killed run from its last checkpoint.

    result = run_case(case, out_dir, comm)                # fresh run
    result = run_case(case, out_dir, comm, restart=True)  # continue in the same directory

Data flows one way: Case -> model (3D geometry and problem, or the 1D twin) -> observers ->
files -> render.
A failed solve is retried with the time step cut in halves (at most `MAX_CUTS` times); when
it still fails, the last good state is checkpointed and a `SolverError` says where and why.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path

from mpi4py import MPI

from .errors import RunError, SolverError
from .units import FARADAY
from .models import build_model
from .observers import CsvWriter
from .observers.checkpoint import load_checkpoint, save_checkpoint
from .protocol import signed_rate, step_duration, time_steps

__all__ = ["run_case", "RunResult", "MAX_CUTS", "CHECKPOINT"]

log = logging.getLogger(__name__)

MAX_CUTS = 4
"""A failed step is retried with dt/2, dt/4, ... down to dt / 2**MAX_CUTS."""

CHECKPOINT = "checkpoint.npz"


@dataclass
class RunResult:
    """What a finished run produced: its directory, step count and timing figures (s)."""

    out_dir: Path
    steps: int
    stats: dict


class _Run:
    """One run's model, observers and bookkeeping (protocol position, applied ions)."""

    def __init__(self, case, out_dir: Path, comm: MPI.Comm, restart: bool):
        self.case, self.out_dir, self.comm = case, out_dir, comm
        self.model = build_model(case, comm, out_dir)
        self.problem = self.model.problem
        self.ions_per_s_1C = self.model.core_ions_full / 3600.0
        self.applied = self.model.core_ions_full * self.problem.theta0  # mol, time integral of the current
        self.lost = 0.0  # mol taken by SEI growth
        self.charge: dict[str, list[float]] = {}  # cycle -> [ions in, ions out] (mol)
        self.nsteps, self.t_solve, self.cuts = 0, 0.0, 0
        self.position = {"step": 0, "step_t0": 0.0, "duration": 0.0}
        self.warned: set[str] = set()
        self.resumed_from = None
        if restart:
            self._resume()
        self.history = CsvWriter(out_dir / "history.csv", comm, keep_until=self.resumed_from)
        self.probe_csv = CsvWriter(out_dir / "probes.csv", comm, keep_until=self.resumed_from)
        self.cycles_csv = CsvWriter(out_dir / "cycles.csv", comm, keep_until=self.resumed_from)

    # ------------------------------------------------------------------ files
    def record(self, step_index: int, cycle: int, rate: float, write_fields: bool) -> dict:
        t = self.problem.t
        row = {"time_s": t, "step": step_index, "cycle": cycle, "c_rate": rate, **self.model.scalars(),
               "applied_ions_mol": self.applied}
        film = getattr(self.model, "film", None)
        if film is not None:
            mean, top = film.thickness_nm()
            row.update(lost_ions_mol=self.lost, sei_thickness_mean_nm=mean, sei_thickness_max_nm=top)
        self.history.write(row)
        self.probe_csv.write({"time_s": t, **self.model.probe_values()})
        if write_fields:
            self.model.write_fields(t)
        return row

    def end_cycle(self, cycle: int) -> None:
        """One row of cycles.csv: charge in and out (mAh, whole particle), Coulombic
        efficiency, capacity retention against the first cycle, lithium lost to the SEI."""
        q_in, q_out = (FARADAY * n / 3.6 for n in self.charge.get(str(cycle), [0.0, 0.0]))
        first = FARADAY * self.charge.get("1", [0.0, 0.0])[1] / 3.6
        self.cycles_csv.write({"end_time_s": self.problem.t, "cycle": cycle, "charge_in_mAh": q_in,
                               "charge_out_mAh": q_out, "coulombic_efficiency": q_out / q_in if q_in else float("nan"),
                               "capacity_retention": q_out / first if first else float("nan"),
                               "lost_ions_mol": self.lost})

    def checkpoint(self) -> None:
        meta = {**self.problem.time_state(), **self.position, "applied": self.applied, "nsteps": self.nsteps,
                "lost": self.lost, "charge": self.charge}
        save_checkpoint(self.out_dir / CHECKPOINT, self.comm, self.problem.state_functions(), meta)

    def _resume(self) -> None:
        meta = load_checkpoint(self.out_dir / CHECKPOINT, self.comm, self.problem.state_functions())
        self.problem.set_time_state(meta)
        self.position = {k: meta[k] for k in ("step", "step_t0", "duration")}
        self.applied, self.nsteps, self.lost, self.charge = meta["applied"], meta["nsteps"], meta["lost"], meta["charge"]
        self.resumed_from = meta["t"]
        log.info("continuing from the checkpoint at t = %.1f s (protocol step %d)", meta["t"], meta["step"])

    def close(self) -> None:
        for w in (self.history, self.probe_csv, self.cycles_csv, self.model):
            w.close()

    # ------------------------------------------------------------------ stepping
    def advance(self, dt: float, rate: float, cycle: int, cuts: int = 0) -> None:
        """One step; on a solver failure go back and take two half steps (recursively)."""
        p = self.problem
        snap = p.snapshot()
        film = getattr(self.model, "film", None)
        try:
            lost = film.grow(dt) if film is not None else 0.0
            p.advance(dt, rate, sink=lost / dt)
            self.applied += rate * self.ions_per_s_1C * dt
            self.lost += lost
            inout = self.charge.setdefault(str(cycle), [0.0, 0.0])
            inout[0 if rate > 0 else 1] += abs(rate) * self.ions_per_s_1C * dt
            return
        except SolverError as exc:
            p.restore(snap)
            if cuts >= MAX_CUTS:
                raise
            log.warning("t = %.2f s: %s; retrying with dt = %.3g s", p.t, exc, dt / 2)
            self.cuts += 1
        self.advance(dt / 2, rate, cycle, cuts + 1)
        self.advance(dt / 2, rate, cycle, cuts + 1)

    def solve(self, progress=None) -> None:
        case, p = self.case, self.problem
        if self.resumed_from is None:
            self.record(0, 0, 0.0, True)
        if progress:
            progress.start(sum(s.duration or 0.0 for s in case.protocol))
        every = case.output.checkpoint_every
        for i, step in enumerate(case.protocol, start=1):
            if i < self.position["step"]:
                continue
            rate = signed_rate(step)
            if i > self.position["step"]:  # a new protocol step (not one resumed mid-way)
                self.position = {"step": i, "step_t0": p.t, "duration": step_duration(step, self.model.soc())}
                if self.position["duration"] <= 0.0:
                    log.warning("protocol step %d (%s until soc %.3g) skipped: already reached", i, step.mode,
                                step.until_soc)
                    continue
                log.info("step %d: %s at %+g C for %.1f s", i, step.mode, rate, self.position["duration"])
            plans = time_steps(self.position["step_t0"], self.position["duration"], step.dt, case.output.field_times)
            for plan in plans:
                if plan.t_end <= p.t + 1e-9 * step.dt:
                    continue  # done before the restart
                t0 = time.perf_counter()
                try:
                    self.advance(plan.t_end - p.t, rate, step.cycle)
                except SolverError as exc:
                    self.checkpoint()
                    raise SolverError(
                        f"protocol step {i} at t = {p.t:.3f} s: {exc} (after {MAX_CUTS} time-step cuts); the last "
                        f"good state is saved in {self.out_dir / CHECKPOINT}", exc.reason) from None
                self.t_solve += time.perf_counter() - t0
                self.nsteps += 1
                row = self.record(i, step.cycle, rate, plan.output or (plan.ends_step and not case.output.field_times))
                _warn_range(row, self.warned)
                if plan.ends_step or (every and self.nsteps % every == 0):
                    self.checkpoint()
                if progress:
                    progress.advance(plan.dt, row)
            if i == len(case.protocol) or case.protocol[i].cycle != step.cycle:
                self.end_cycle(step.cycle)
        if progress:
            progress.stop()

    def stats(self, t_start: float) -> dict:
        return {
            "ranks": self.comm.size, "model": self.case.geometry.model, "steps": self.nsteps,
            "step_cuts": self.cuts, "dofs": self.model.dofs, "mesh_time_s": self.model.t_mesh,
            "solve_time_s": self.t_solve, "time_per_step_s": self.t_solve / max(self.nsteps, 1),
            "wall_time_s": time.perf_counter() - t_start, "timers_s": self.problem.timers,
            **self.model.solver_stats(), **({"geometry": self.model.design} if hasattr(self.model, "design") else {}),
        }


def run_case(case, out_dir: Path, comm: MPI.Comm, progress=None, restart: bool = False) -> RunResult:
    """Solve `case` into the existing directory `out_dir` (continue it if `restart`)."""
    t_start = time.perf_counter()
    run = _Run(case, Path(out_dir), comm, restart)
    try:
        s = run.stats(t_start)
        log.info("dofs: %d displacement, %d concentration", s["dofs"]["displacement"], s["dofs"]["concentration"])
        run.solve(progress)
    except Exception as exc:
        # the CSV files are rank 0's own; field files close collectively, which only a failure
        # that reached every rank (a RunError) may do: otherwise the other ranks are mid-step
        run.history.close()
        run.probe_csv.close()
        if isinstance(exc, RunError):
            run.model.close()
        raise
    run.close()
    stats = run.stats(t_start)
    if comm.rank == 0:
        (Path(out_dir) / "summary.json").write_text(json.dumps(stats, indent=2))
    run.problem.destroy()
    return RunResult(Path(out_dir), run.nsteps, stats)


def _warn_range(row: dict, warned: set[str]) -> None:
    """The linear model has no saturation: say so once when the surface leaves [0, 1]."""
    for key, bad in (("surface_soc_max", row["surface_soc_max"] > 1.0), ("surface_soc_min", row["surface_soc_min"] < 0.0)):
        if bad and key not in warned:
            warned.add(key)
            log.warning("t = %.1f s: surface filling fraction %s = %.3f is outside [0, 1]; the linear "
                        "diffusion model does not saturate (lower the C-rate or shorten the step)",
                        row["time_s"], key, row[key])

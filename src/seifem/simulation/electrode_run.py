"""The run loop of an electrode case (`seifem run` with an [electrode] section): the protocol's
steps as time steps of the particles' lithiation and the patch's mechanics, into the same run
directory as a particle run.

    history.csv    one row per time step: time_s, step, cycle, c_rate (of the whole electrode),
                   soc, voltage_V, current_A, thickness and porosity change, stack pressure,
                   particle and binder stresses (`ElectrodeModel.scalars`)
    particles.csv  one row per particle at t = 0 and at the end of every protocol step
    cycles.csv     charge in / out per cycle (mAh, the whole patch), thickness change at its end
                   (cohesive: and the isolated particles' count and capacity fraction)
    fields_vtk/    fields.pvd: per cell filling fraction, hydrostatic and von Mises stress, region
    checkpoint.npz the particles' profiles (and contact) and the protocol position, written
                   atomically; `--restart` continues from it. A bonded patch is quasi-static
                   (recomputed); a cohesive one adds its damage history and displacement fields
    summary.json   written last

Constant-current steps end by duration or `until_soc` (exact: the mean filling fraction
follows the applied charge); holds (Butler-Volmer) by duration.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from mpi4py import MPI

from seifem.case.durations import signed_rate, step_duration
from seifem.log import Progress
from seifem.observers import CsvWriter
from seifem.observers.checkpoint import save_checkpoint
from seifem.observers.io import rank0_write
from seifem.parallel import release_petsc
from seifem.results.restart import case_hash
from seifem.results.rundir import CHECKPOINT, CYCLES, FIELDS, HISTORY, PARTICLES, SUMMARY, RunDir
from seifem.simulation.protocol import growing_steps, time_steps
from seifem.simulation.state import RunResult
from seifem.units import SCALES

__all__ = ["run_electrode"]

log = logging.getLogger(__name__)


class _ElectrodeRun:
    def __init__(self, case, out_dir: Path, comm: MPI.Comm, meta: dict | None):
        from seifem.simulation.electrode_patch import ElectrodeModel

        self.case, self.out_dir, self.comm = case, out_dir, comm
        self.model = ElectrodeModel(case, comm)
        self.t, self.nsteps, self.t_solve = 0.0, 0, 0.0
        self.position = {"step": 0, "t0": 0.0, "duration": 0.0, "ended": False, "direction": 1}
        self.charge: dict[str, list[float]] = {}  # cycle -> [C in, C out]
        self.cycles_done = 0
        self.resumed = meta is not None
        if meta is not None:
            self.model.bank.set_state(meta["bank"])
            self.t, self.nsteps, self.position = meta["t"], meta["nsteps"], meta["position"]
            self.charge, self.cycles_done = meta["charge"], meta["cycles_done"]
            log.info("continuing from the checkpoint at t = %.1f s (protocol step %d)", self.t, self.position["step"])
            self.model.resume(out_dir / CHECKPOINT)
        else:
            self.model.solve_mechanics()
        self.tables = {n: CsvWriter(out_dir / n, comm) for n in (HISTORY, PARTICLES, CYCLES)}
        self._vtk = None
        self.hash = case_hash(case)

    # ------------------------------------------------------------------ files
    def record(self, step: int, cycle: int, c_rate: float, output: bool) -> dict:
        row = {"time_s": self.t, "step": step, "cycle": cycle, "c_rate": c_rate, **self.model.scalars()}
        self.tables[HISTORY].write(row)
        if output:
            for prow in self.model.particle_rows(self.t):
                self.tables[PARTICLES].write(prow)
            self.write_fields()
        return row

    def write_fields(self) -> None:
        from dolfinx.io import VTKFile

        from seifem.results.rundir import fresh_path

        fns = self.model.cell_fields()
        if self._vtk is None:
            path = fresh_path(self.out_dir, FIELDS + "_vtk") if self.comm.rank == 0 else None
            path = Path(self.comm.bcast(str(path), root=0)) / "fields.pvd"
            self._vtk = VTKFile(self.comm, str(path), "w")
        self._vtk.write_function(fns, self.t)

    def checkpoint(self) -> None:
        marks: dict = {}
        rank0_write(self.comm, self.out_dir / HISTORY, lambda: marks.update({n: w.sync() for n, w in self.tables.items()}))
        meta = {"t": self.t, "nsteps": self.nsteps, "position": self.position, "bank": self.model.bank.state(),
                "charge": self.charge, "cycles_done": self.cycles_done, "csv": marks, "case_sha256": self.hash}
        save_checkpoint(self.out_dir / CHECKPOINT, self.comm, self.model.state_functions(), meta)

    def close(self) -> None:
        rank0_write(self.comm, self.out_dir / HISTORY, lambda: [w.close() for w in self.tables.values()])
        if self._vtk is not None:
            self._vtk.close()
            self._vtk = None

    # ------------------------------------------------------------------ stepping
    def solve(self, progress: Progress | None) -> None:
        case, bank = self.case, self.model.bank
        if not self.resumed:
            self.record(0, 0, 0.0, True)
        if progress:
            progress.start()
        for i, step in enumerate(case.protocol, start=1):
            pos = self.position
            if i < pos["step"] or (i == pos["step"] and pos["ended"]):
                self._close_cycle(i, step)
                continue
            if i > pos["step"] and not self._start_step(i, step, progress):
                self._close_cycle(i, step)
                continue
            pos = self.position
            rate = signed_rate(step)
            current = rate * bank.capacity_C / 3600.0
            voltage = step.voltage if step.mode == "hold" else None
            plans = (growing_steps(pos["t0"], pos["duration"], step.dt / 32, step.dt, ()) if step.mode == "hold"
                     else time_steps(pos["t0"], pos["duration"], step.dt, ()))
            for plan in plans:
                if plan.t_end <= self.t + 1e-9 * step.dt:
                    continue  # done before the restart
                t0 = time.perf_counter()
                self.model.advance(plan.t_end - self.t, current, voltage, pos["direction"])
                I = float(bank.currents().sum())
                c = self.charge.setdefault(str(step.cycle), [0.0, 0.0])
                c[0 if I > 0 else 1] += abs(I) * (plan.t_end - self.t)
                self.t = plan.t_end
                self.t_solve += time.perf_counter() - t0
                self.nsteps += 1
                row = self.record(i, step.cycle, I / bank.capacity_C * 3600.0, plan.ends_step)
                if plan.ends_step:
                    pos["ended"] = True
                every = case.output.checkpoint_every
                if plan.ends_step or (every and self.nsteps % every == 0):
                    self.checkpoint()
                if progress:
                    progress.advance(self.t, row["soc"], row["voltage_V"])
            self._close_cycle(i, step)
        if progress:
            progress.stop()

    def _start_step(self, i: int, step, progress: Progress | None) -> bool:
        bank = self.model.bank
        rate = signed_rate(step)
        direction = self.position["direction"]
        if rate:
            direction = 1 if rate > 0 else -1
        elif step.mode == "hold":  # below the open-circuit potential it lithiates
            ocp = float(bank.kin.ocp.numpy(bank.surface(), direction) @ bank.areas / bank.areas.sum())
            direction = 1 if step.voltage < ocp else -1
        duration = step_duration(step, bank.soc_total(), float("nan"))
        self.position = {"step": i, "t0": self.t, "duration": duration, "ended": False, "direction": direction}
        if duration <= 0.0:
            log.warning("protocol step %d (%s) skipped: its end is already reached", i, step.mode)
            self.position["ended"] = True
            return False
        what = f"hold at {step.voltage:g} V" if step.mode == "hold" else f"{step.mode} at {rate:+g} C"
        log.info("step %d: %s for %.1f s", i, what, duration)
        if progress:
            progress.start_step(i, len(self.case.protocol), what, self.t, duration)
        return True

    def _close_cycle(self, i: int, step) -> None:
        proto = self.case.protocol
        if (i == len(proto) or proto[i].cycle != step.cycle) and self.cycles_done < step.cycle:
            q_in, q_out = (q / 3.6 for q in self.charge.get(str(step.cycle), [0.0, 0.0]))
            first = self.charge.get("1", [0.0, 0.0])[1] / 3.6
            s = self.model.scalars()
            lost = {k: s[k] for k in ("isolated_particles", "isolated_capacity_fraction") if k in s}  # cohesive
            self.tables[CYCLES].write({"end_time_s": self.t, "cycle": step.cycle, "charge_in_mAh": q_in,
                                       "charge_out_mAh": q_out,
                                       "coulombic_efficiency": q_out / q_in if q_in else float("nan"),
                                       "capacity_retention": q_out / first if first else float("nan"),
                                       "thickness_change": s["thickness_change"], **lost})
            self.cycles_done = step.cycle
            self.checkpoint()

    def stats(self, t_start: float) -> dict:
        return {"ranks": self.comm.size, "model": "electrode", "steps": self.nsteps, "step_cuts": 0,
                "dofs": self.model.dofs, "mesh_time_s": self.model.t_mesh, "solve_time_s": self.t_solve,
                "time_per_step_s": self.t_solve / max(self.nsteps, 1), "wall_time_s": time.perf_counter() - t_start,
                **self.model.solver_stats(), "geometry": self.model.design(),
                "length_unit_m": SCALES.length}


def run_electrode(case, out_dir: Path, comm: MPI.Comm, progress: Progress | None, meta: dict | None,
                  t_start: float):
    """Run an electrode case into `out_dir` (fresh, or continued from `meta`, the checkpoint's,
    its tables already cut back by `results.restart`). Returns its `RunResult`."""
    run = _ElectrodeRun(case, out_dir, comm, meta)
    try:
        log.info("dofs: %d displacement, %d radial (%d particles)", run.model.dofs["displacement"],
                 run.model.dofs["concentration"], run.model.packing.count)
        run.solve(progress)
        run.close()
    except Exception:
        for table in run.tables.values():
            table.abandon()
        raise
    finally:
        run.model.destroy()
    stats = run.stats(t_start)
    rank0_write(comm, out_dir / SUMMARY, RunDir(out_dir).write_summary, stats)
    nsteps, owned = run.nsteps, [run]
    del run
    release_petsc(owned, comm)
    return RunResult(out_dir, nsteps, stats)

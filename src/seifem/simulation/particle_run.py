"""The loop of a particle run (3D, the 2d-plane section and the twins without cycle life):
mesh and model, the protocol's steps taken and cut on solver failure, history, probes,
fields, cycles and checkpoints written, continued from a checkpoint (`simulation.run`
chooses this loop and handles the run directory).

A failed solve is retried with the time step cut in halves (at most `MAX_CUTS` times); when
it still fails, the last good state is checkpointed and a `SolverError` says where and why
(`step_taking`: the time step, its cuts and the landing on a cut-off).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from mpi4py import MPI

from seifem.case.protocol import equilibrate_soc
from seifem.log import Progress
from seifem.observers import CsvWriter
from seifem.observers.checkpoint import load_checkpoint, save_checkpoint
from seifem.observers.io import rank0_write
from seifem.results.restart import case_hash
from seifem.results.rundir import CHECKPOINT, CYCLES, HISTORY, PROBES
from seifem.simulation.adaptive import StepController, stress_extremes
from seifem.simulation.adaptive_run import adaptive_plans
from seifem.simulation.cycle_jump import FilmJumper
from seifem.simulation.electrode import Electrode, SurfaceState
from seifem.simulation.models import build_model
from seifem.simulation.protocol import (
    growing_steps,
    signed_rate,
    step_duration,
    step_events,
    time_steps,
)
from seifem.simulation.segment_run import segments_apply, take_segments
from seifem.simulation.state import ElectrodeState, Ledger, StepPosition, history_row
from seifem.simulation.step_taking import MAX_CUTS, StepTaking
from seifem.units import FARADAY

__all__ = ["MAX_CUTS", "ParticleRun"]

log = logging.getLogger("seifem.simulation.run")


class ParticleRun(StepTaking):
    """One particle run's model, observers and bookkeeping (protocol position, applied ions)."""

    def __init__(self, case, out_dir: Path, comm: MPI.Comm, restart: dict | None):
        self.case, self.out_dir, self.comm = case, out_dir, comm
        self.model = build_model(case, comm, out_dir)
        self.problem = p = self.model.problem
        self.electrode = Electrode(case, p.core_volume / p.flux_area)
        self.ions_per_s_1C = self.model.core_ions_full / 3600.0
        self.ledger = Ledger(applied_mol=self.model.core_ions_full * self.problem.theta0)
        self.nsteps, self.t_solve, self.cuts = 0, 0.0, 0
        self.position = StepPosition()
        self.reading = ElectrodeState(0.0)  # the electrode at the last recorded state
        self.warned: set[str] = set()
        self.resumed_from = None
        self.progress: Progress | None = None
        self.case_sha256 = case_hash(case)
        self.cycles_done = 0  # cycles whose cycles.csv row is written (or jumped over)
        self.jumper = FilmJumper(self)  # solver.cycle_jump with a growing SEI (3D)
        sol = case.solver
        self.controller = StepController(sol.time_rtol, sol.dt_min, 2 if sol.time_scheme == "bdf2" else 1) \
            if sol.adaptive else None
        if restart is not None:  # the checkpoint's meta, its tables already cut back to it (results.restart)
            self._resume()
        self.history = CsvWriter(out_dir / HISTORY, comm)
        self.probe_csv = CsvWriter(out_dir / PROBES, comm)
        self.cycles_csv = CsvWriter(out_dir / CYCLES, comm)

    # ------------------------------------------------------------------ files
    def row(self, step_index: int, cycle: int, scalars: dict | None = None) -> dict:
        """The history row of the current state (collective), from the model's `scalars` of it
        (None: asked of the model); the electrode's reading of it becomes `self.reading` and the
        ledger's voltage."""
        scalars = self.model.scalars() if scalars is None else scalars
        film = self.model.film_thickness_nm()
        led, surface = self.ledger, SurfaceState.of(scalars)
        led.crystalline = self.electrode.crystalline_after(led.crystalline, surface, led.direction)
        self.reading = self.electrode.read(surface, led.c_rate, led.direction, self.problem.voltage(),
                                           film[0] if film is not None else None, led.crystalline)
        led.voltage = self.reading.voltage_V
        return history_row(self.problem.t, step_index, cycle, scalars, led, film, self.reading)

    def record(self, row: dict, write_fields: bool, probes: dict | None = None) -> dict:
        """Write a row to the history, the probes (None: asked of the model) and (if asked)
        the fields."""
        t = self.problem.t
        self.history.write(row)
        self.probe_csv.write({"time_s": t, **(self.model.probe_values() if probes is None else probes)})
        if write_fields:
            self.model.write_fields(t)
        return row

    def end_cycle(self, cycle: int, resolved: int = 1) -> None:
        """One row of cycles.csv: charge in and out (mAh, whole particle), Coulombic
        efficiency, capacity retention against the first cycle, lithium lost to the SEI, and
        whether the cycle was resolved (0: jumped over, `simulation.cycle_jump`)."""
        q_in, q_out = (FARADAY * n / 3.6 for n in self.ledger.charge.get(cycle, [0.0, 0.0]))
        first = FARADAY * self.ledger.charge.get(1, [0.0, 0.0])[1] / 3.6
        self.cycles_csv.write({"end_time_s": self.problem.t, "cycle": cycle, "charge_in_mAh": q_in,
                               "charge_out_mAh": q_out, "coulombic_efficiency": q_out / q_in if q_in else float("nan"),
                               "capacity_retention": q_out / first if first else float("nan"),
                               "lost_ions_mol": self.ledger.lost_mol, "resolved": resolved})

    def tables(self) -> dict[str, CsvWriter]:
        return {HISTORY: self.history, PROBES: self.probe_csv, CYCLES: self.cycles_csv}

    def checkpoint(self) -> None:
        """Sync the tables, then save the state with the rows and bytes each table holds (a
        restart cuts them back to exactly that) and the case's hash."""
        marks: dict = {}
        rank0_write(self.comm, self.out_dir / HISTORY, lambda: marks.update({n: w.sync() for n, w in self.tables().items()}))
        meta = {**self.problem.time_state(), "position": self.position.to_json(), "ledger": self.ledger.to_json(),
                "nsteps": self.nsteps,
                "cycles_done": self.cycles_done, "csv": marks, "case_sha256": self.case_sha256}
        if self.controller is not None:
            meta["adaptive"] = self.controller.to_json()
        save_checkpoint(self.out_dir / CHECKPOINT, self.comm, self.problem.state_functions(), meta)
        self.problem.fresh_preconditioners()

    def _resume(self) -> None:
        meta = load_checkpoint(self.out_dir / CHECKPOINT, self.comm, self.problem.state_functions())
        self.problem.set_time_state(meta)
        self.problem.fresh_preconditioners()
        self.position = StepPosition.from_json(meta["position"])
        self.ledger = Ledger.from_json(meta["ledger"])
        self.nsteps = meta["nsteps"]
        self.cycles_done = meta.get("cycles_done", self.case.protocol[max(self.position.step, 1) - 1].cycle - 1)
        self.resumed_from = meta["t"]
        if self.controller is not None and "adaptive" in meta:
            self.controller.load(meta["adaptive"])
        log.info("continuing from the checkpoint at t = %.1f s (protocol step %d)", meta["t"], self.position.step)

    def close(self) -> None:
        """Sync and close the tables (an I/O error reaches every rank), then the field files."""
        rank0_write(self.comm, self.out_dir / HISTORY, lambda: [w.close() for w in self.tables().values()])
        self.model.close()

    def solve(self, progress: Progress | None = None) -> None:
        case, p = self.case, self.problem
        self.progress = progress
        if self.resumed_from is None:
            self.record(self.row(0, 0), True)
        if progress:
            progress.start()
        for i, step in enumerate(case.protocol, start=1):
            pos = self.position
            if step.cycle <= self.cycles_done and i > pos.step:
                continue  # jumped over
            if i < pos.step or (i == pos.step and pos.ended):
                self._close_cycle(i, step)  # its row, should the run have been killed before writing it
                continue
            if step.mode == "equilibrate":
                if i > pos.step:
                    self._equilibrate(i, step)
                self._close_cycle(i, step)
                continue
            if i > pos.step:  # a new protocol step (not one resumed mid-way)
                if i == 1 or case.protocol[i - 2].cycle != step.cycle:
                    self.jumper.started(step.cycle)
                if not self._start_step(i, step):
                    self._close_cycle(i, step)
                    continue
            elif progress:
                progress.start_step(i, len(case.protocol), f"{step.mode}, continued", pos.step_t0, pos.duration)
            events = step_events(step)
            if self.controller is not None:
                plans = adaptive_plans(self, step)
            elif step.mode == "hold":
                plans = growing_steps(self.position.step_t0, self.position.duration, step.dt / 32, step.dt,
                                      case.output.field_times)
            else:
                plans = time_steps(self.position.step_t0, self.position.duration, step.dt, case.output.field_times)
            if segments_apply(self, step):  # the 1D twin's linear stretches, many steps at once
                take_segments(self, i, step, plans, events)
            else:
                for plan in plans:
                    if plan.t_end <= p.t + 1e-9 * step.dt:
                        continue  # done before the restart
                    if self.take(i, step, plan, events):
                        break
            self._close_cycle(i, step)
        if progress:
            progress.stop()

    def _close_cycle(self, i: int, step) -> None:
        """If protocol step i ends its cycle: the cycle's row (once), and a checkpoint counting it."""
        if (i == len(self.case.protocol) or self.case.protocol[i].cycle != step.cycle) and self.cycles_done < step.cycle:
            self.end_cycle(step.cycle)
            self.cycles_done = step.cycle + self.jumper.ended(step.cycle)
            self.checkpoint()

    def _start_step(self, i: int, step) -> bool:
        """Set up protocol step i; False if it is skipped (its end already reached)."""
        p, led = self.problem, self.ledger
        rate = signed_rate(step)
        if rate:
            led.direction = 1 if rate > 0 else -1
        elif step.mode == "hold":  # a hold below the open-circuit potential lithiates, above it delithiates
            surface = SurfaceState.of(self.model.scalars())
            U = self.electrode.open_circuit(surface, led.direction, led.crystalline)
            led.direction = 1 if step.voltage < U else -1
        p.set_branch(led.direction)
        soc = self.model.soc()
        capacity = self.electrode.capacity or float("nan")
        self.position = StepPosition(i, p.t, step_duration(step, soc, capacity), False, soc * capacity)
        if self.position.duration <= 0.0:
            log.warning("protocol step %d (%s) skipped: its end is already reached", i, step.mode)
            self.position.ended = True
            return False
        if self.controller is not None:
            self.controller.start(p.t, stress_extremes(self.model.scalars()), step.dt)
        what = f"hold at {step.voltage:g} V" if step.mode == "hold" else f"{step.mode} at {rate:+g} C"
        log.info("step %d: %s for up to %.1f s", i, what, self.position.duration)
        if self.progress is not None:
            self.progress.start_step(i, len(self.case.protocol), what, p.t, self.position.duration)
        return True

    def _equilibrate(self, i: int, step) -> None:
        """Protocol step i sets a uniform filling fraction at once and solves the mechanics
        for it (no time passes): its row, fields and a checkpoint. The ions it adds or removes
        are booked as applied, so the inventory check holds."""
        p = self.problem
        before = self.model.soc()
        t0 = time.perf_counter()
        soc = equilibrate_soc(step, self.case.particle)
        solves = p.equilibrate(soc)
        self.ledger.applied_mol += (self.model.soc() - before) * self.model.core_ions_full
        self.position = StepPosition(i, p.t, 0.0, True, 0.0)
        log.info("step %d: equilibrated at soc %g (%d mechanics solve%s, %.2f s)", i, soc, solves,
                 "s" if solves > 1 else "", time.perf_counter() - t0)
        self.t_solve += time.perf_counter() - t0
        self.nsteps += 1
        self.record(self.row(i, step.cycle), True)
        self.checkpoint()


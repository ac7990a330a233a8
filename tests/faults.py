"""Fault injection for seifem runs: kill -9 at a random time or at chosen points (a time step,
half-way through writing a checkpoint, between syncing the tables and writing the checkpoint),
then `--restart`, and compare with an uninterrupted run. Used by tests/e2e/test_faults.py and
bench/fault_trials.py.

    ref = run_reference(tmp, case, ranks)
    outcome = kill_and_restart(tmp / "t1", case, ranks, Fault("checkpoint", 3), ref)
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from helpers import seifem_cmd

TWO_STEPS = """
title = "two protocol steps ended by voltage cut-offs"
[particle]
material = "Si"
radius = "1 um"
diffusivity = "1e-14 m^2/s"
[geometry]
mesh_size = "0.5 um"
[[protocol.steps]]
mode = "lithiate"
c_rate = "1 C"
until_voltage = "0.3 V"
[[protocol.steps]]
mode = "delithiate"
c_rate = "1 C"
until_voltage = "1.0 V"
duration = "3 min"
[solver]
dt = "8 s"
[output]
fields = false
render = false
checkpoint_every = 4
"""
"""32 time steps in step 1 (to 0.3 V), 11 in step 2 (to 1.0 V); a checkpoint every 4 steps."""

DRIVER = r'''
import os, signal, sys
import seifem  # MPI before dolfinx
from mpi4py import MPI

mode, at = os.environ.get("SEIFEM_FAULT", ""), int(os.environ.get("SEIFEM_FAULT_AT", "0"))
victim = int(os.environ.get("SEIFEM_FAULT_RANK", "0"))

def die():
    os.kill(os.getpid(), signal.SIGKILL)  # no cleanup, no finally

if MPI.COMM_WORLD.rank == victim and mode:
    import seifem.observers.checkpoint as ck
    import seifem.simulation.particle_run as run
    if mode == "step":  # after the row of time step `at` is recorded
        record = run.ParticleRun.record
        def patched(self, *a, **k):
            out = record(self, *a, **k)
            if self.nsteps == at:
                die()
            return out
        run.ParticleRun.record = patched
    elif mode == "checkpoint":  # half-way through writing checkpoint number `at` (rank 0 writes)
        write, count = ck._write, [0]
        def patched(path, meta, data):
            count[0] += 1
            if count[0] == at:
                with open(path.with_name(path.name + ".tmp"), "wb") as fh:
                    fh.write(b"PK\x03\x04" + os.urandom(4096))
                    fh.flush()
                die()
            return write(path, meta, data)
        ck._write = patched
    elif mode == "sync":  # checkpoint number `at`: tables synced, state not yet saved
        save, count = run.save_checkpoint, [0]
        def patched(*a, **k):
            count[0] += 1
            if count[0] == at:
                die()
            return save(*a, **k)
        run.save_checkpoint = patched

from seifem.cli.main import main
sys.exit(main(sys.argv[1:]))
'''


@dataclass
class Fault:
    """A kill: mode "time" (after `at` seconds past the first checkpoint, from outside, the
    whole job), "step" (after time step `at`), "checkpoint" (inside checkpoint write `at`),
    "sync" (checkpoint `at`: tables synced, state not saved); `rank`: the rank killed."""

    mode: str
    at: float
    rank: int = 0

    def __str__(self) -> str:
        return f"{self.mode}@{self.at:g}" + (f" rank {self.rank}" if self.rank else "")


@dataclass
class Outcome:
    """What a kill-and-restart trial gave."""

    fault: Fault
    killed_rc: int | None = None
    restart_rc: int | None = None
    rows_lost: int = 0
    rows_extra: int = 0
    max_rel_diff: float = 0.0
    tracebacks: int = 0
    hangs: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (self.restart_rc == 0 and not self.rows_lost and not self.rows_extra and self.max_rel_diff <= 1e-9
                and not self.tracebacks and not self.hangs)


def _driver_cmd(tmp: Path, ranks: int, *args: str) -> list[str]:
    driver = tmp / "fault_driver.py"
    if not driver.exists():
        driver.write_text(DRIVER)
    cmd = seifem_cmd(ranks, *args)
    i = cmd.index("-m")
    return [*cmd[:i], str(driver), *cmd[i + 2:]]


def run_reference(tmp: Path, case_text: str, ranks: int) -> Path:
    """An uninterrupted run of the case (the history every trial must reproduce)."""
    tmp.mkdir(parents=True, exist_ok=True)
    case = tmp / "case.toml"
    case.write_text(case_text)
    out = tmp / f"reference-{ranks}"
    res = subprocess.run(seifem_cmd(ranks, "run", str(case), "--out", str(out), "--no-render"), capture_output=True,
                         text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    return out


def compare(ref: Path, out: Path) -> tuple[int, int, float]:
    """(rows missing, rows extra, largest difference relative to each column's magnitude) over
    history, probes and cycles."""
    from seifem.results.rundir import read_table

    lost = extra = 0
    worst = 0.0
    for name in ("history.csv", "probes.csv", "cycles.csv"):
        a, b = read_table(ref / name), read_table(out / name)
        if list(a) != list(b):
            return max(len(next(iter(a.values()), [])), 1), 0, float("inf")
        na, nb = len(next(iter(a.values()), [])), len(next(iter(b.values()), []))
        lost, extra = lost + max(na - nb, 0), extra + max(nb - na, 0)
        n = min(na, nb)
        for col in a:
            x, y = np.asarray(a[col][:n], float), np.asarray(b[col][:n], float)
            scale = max(float(np.nanmax(np.abs(x), initial=0.0)), 1e-300)
            d = np.abs(x - y)
            d = np.where(np.isnan(x) & np.isnan(y), 0.0, d)
            worst = max(worst, float(np.nanmax(d, initial=0.0)) / scale if np.all(np.isfinite(d) | np.isnan(x)) else
                        float("inf"))
    return lost, extra, worst


def kill_and_restart(tmp: Path, case: Path, ranks: int, fault: Fault, ref: Path, timeout: float = 120) -> Outcome:
    """Run `case` with `fault`, then `--restart` it (same ranks) and compare with `ref`."""
    tmp.mkdir(parents=True, exist_ok=True)
    out = tmp / "run"
    outcome = Outcome(fault)
    if not killed_run(tmp, case, ranks, fault, out, outcome, timeout):
        return outcome
    try:
        res = subprocess.run(seifem_cmd(ranks, "run", "--restart", str(out), "--no-render"), capture_output=True,
                             text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        outcome.hangs += 1
        return outcome
    outcome.restart_rc = res.returncode
    outcome.tracebacks += res.stderr.count("Traceback")
    if res.returncode != 0:
        outcome.notes.append(res.stderr.strip().splitlines()[-1] if res.stderr.strip() else "no message")
        return outcome
    outcome.rows_lost, outcome.rows_extra, outcome.max_rel_diff = compare(ref, out)
    if list(out.glob("*.tmp")):
        outcome.notes.append("a .tmp file is left")
    return outcome


def killed_run(tmp: Path, case: Path, ranks: int, fault: Fault, out: Path, outcome: Outcome | None = None,
               timeout: float = 120) -> bool:
    """Run `case` into `out` with `fault`; False if it hung (the outcome records what it saw)."""
    outcome = outcome or Outcome(fault)
    env = {**os.environ, "SEIFEM_FAULT": "" if fault.mode == "time" else fault.mode,
           "SEIFEM_FAULT_AT": str(int(fault.at)), "SEIFEM_FAULT_RANK": str(fault.rank)}
    cmd = _driver_cmd(tmp, ranks, "run", str(case), "--out", str(out), "--no-render")
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            start_new_session=True)
    if fault.mode == "time":
        end = time.monotonic() + timeout
        while not (out / "checkpoint.npz").exists() and proc.poll() is None and time.monotonic() < end:
            time.sleep(0.01)
        time.sleep(fault.at)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            outcome.notes.append("finished before the kill")
    try:
        _, err = proc.communicate(timeout=timeout)
        outcome.killed_rc = proc.returncode
        outcome.tracebacks += err.count("Traceback")
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        outcome.hangs += 1
        return False
    return True


def run_span(ref: Path) -> float:
    """Seconds from a run's start (case.toml written) to its end (summary.json): an upper bound
    of the time from its first checkpoint to its end."""
    return (ref / "summary.json").stat().st_mtime - (ref / "case.toml").stat().st_mtime


def random_fault(rng: random.Random, ranks: int, steps: int = 43, checkpoints: int = 12, span: float = 1.0) -> Fault:
    """A kill at a random place: a random time within `span` s after the first checkpoint, a
    random step (either protocol step), inside a random checkpoint write, or between the sync
    of the tables and the checkpoint."""
    mode = rng.choice(["time", "time", "step", "step", "checkpoint", "sync"])
    rank = rng.randrange(ranks) if mode in ("step", "sync") else 0
    if mode == "time":
        return Fault(mode, round(rng.uniform(0.0, span), 2), 0)
    if mode == "step":
        return Fault(mode, rng.randrange(5, steps), rank)
    return Fault(mode, rng.randrange(2, checkpoints), rank)



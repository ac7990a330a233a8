"""Never lose a run: a run killed with SIGKILL continues from its checkpoint to the same
history as an uninterrupted run; a failed solve is recovered by cutting the time step; an
unrecoverable failure ends cleanly with the reason and the last good state saved."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from helpers import read_csv, run_seifem, seifem_cmd

ROOT = Path(__file__).resolve().parents[2]
CASE = str(ROOT / "cases" / "si_bare.toml")
SMALL = ["--no-render", "--set", 'geometry.mesh_size="0.8 um"', "--set", "output.checkpoint_every=3"]

KILLER = """
import os, signal, sys
import seifem.simulation.particle_run as run
from seifem.cli.main import main

original = run.ParticleRun.record
def record(self, *args, **kwargs):
    row = original(self, *args, **kwargs)
    if self.nsteps == {kill_at}:
        os.kill(os.getpid(), signal.SIGKILL)   # no cleanup, no finally: a hard kill
    return row
run.ParticleRun.record = record
sys.exit(main(sys.argv[1:]))
"""


def _killed_run(tmp_path: Path, ranks: int, case: str, opts: list[str], kill_at: int, timeout: float = 120) -> Path:
    """Run `case` killed with SIGKILL after step `kill_at` into tmp_path/"killed" (the run
    must fail); return that directory."""
    killer = tmp_path / "killer.py"
    killer.write_text(KILLER.format(kill_at=kill_at))
    killed = tmp_path / "killed"
    cmd = [c if c != "seifem.cli.main" else str(killer) for c in seifem_cmd(ranks, "run", case, "--out", str(killed), *opts)]
    cmd.remove("-m")
    assert subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=timeout).returncode != 0
    return killed


def _assert_same_history(a: Path, b: Path) -> None:
    ha, hb = read_csv(a / "history.csv"), read_csv(b / "history.csv")
    assert list(ha) == list(hb)
    assert len(ha["time_s"]) == len(hb["time_s"])
    for col in ha:
        scale = max(float(np.max(np.abs(ha[col]))), 1e-30)
        np.testing.assert_allclose(ha[col], hb[col], rtol=0, atol=1e-7 * scale, err_msg=col)


@pytest.mark.slow
def test_restart_after_kill_gives_the_same_history(tmp_path):
    full = tmp_path / "full"
    assert run_seifem(2, "run", CASE, "--out", str(full), *SMALL).returncode == 0

    killed = _killed_run(tmp_path, 2, CASE, SMALL, kill_at=8)
    rows = read_csv(killed / "history.csv")
    assert len(rows["time_s"]) == 7  # rows are synced at checkpoints: initial row + 6 steps (checkpoint at step 6)

    res = run_seifem(2, "run", "--restart", str(killed), "--no-render")
    assert res.returncode == 0, res.stderr
    assert "continuing from the checkpoint" in res.stderr
    _assert_same_history(full, killed)


@pytest.mark.slow
def test_failed_solves_are_recovered_by_cutting_the_step(tmp_path):
    """CG + Jacobi limited to 80 iterations cannot reach rtol 1e-10 at dt = 15 s but can at
    smaller steps (the diffusion matrix is more mass-dominated)."""
    out = tmp_path / "cut"
    res = run_seifem(1, "run", CASE, "--out", str(out), *SMALL, "--petsc", "-seifem_diffusion_pc_type", "jacobi",
                     "-seifem_diffusion_ksp_max_it", "80")
    assert res.returncode == 0, res.stderr
    assert "retrying with dt" in res.stderr
    h = read_csv(out / "history.csv")
    assert h["soc"].max() == __import__("pytest").approx(0.05, abs=1e-9)
    np.testing.assert_allclose(h["ions_mol"], h["applied_ions_mol"], rtol=0, atol=1e-8 * h["applied_ions_mol"].max())


def test_unrecoverable_failure_ends_cleanly_with_reason_and_state(tmp_path):
    out = tmp_path / "fail"
    res = run_seifem(2, "run", CASE, "--out", str(out), *SMALL, "--petsc", "-seifem_elasticity_ksp_type", "cg",
                     "-seifem_elasticity_pc_type", "gamg", "-seifem_elasticity_ksp_max_it", "2", timeout=120)
    assert res.returncode == 3
    assert "Traceback" not in res.stderr
    err = [ln for ln in res.stderr.splitlines() if ln.startswith("seifem: error:")]
    assert len(err) == 1 and "DIVERGED_MAX_IT" in err[0] and "protocol step 1 at t = 0.000 s" in err[0]
    assert (out / "checkpoint.npz").is_file() and "checkpoint.npz" in err[0]
    assert len(read_csv(out / "history.csv")["time_s"]) == 1  # the initial state, intact


CCCV = """
[particle]
material = "Si"
radius = "1 um"
diffusivity = "1e-14 m^2/s"
[sei]
material = "sei-carbonate"
thickness = "10 nm"
[geometry]
mesh_size = "0.5 um"
[electrochemistry]
kinetics = "butler-volmer"
[[protocol.steps]]
mode = "lithiate"
c_rate = "1 C"
until_voltage = "0.15 V"
[[protocol.steps]]
mode = "hold"
voltage = "0.15 V"
until_current = "C/2"
[[protocol.steps]]
mode = "delithiate"
c_rate = "1 C"
until_voltage = "0.7 V"
[solver]
dt = "60 s"
[output]
fields = false
checkpoint_every = 3
"""


@pytest.mark.slow
def test_restart_inside_a_voltage_hold_gives_the_same_history(tmp_path):
    """Killed in the middle of a potentiostatic hold (growing steps, a cut-off still ahead),
    then continued: the same steps, the same located cut-offs, the same history."""
    case = tmp_path / "cccv.toml"
    case.write_text(CCCV)
    full = tmp_path / "full"
    res = run_seifem(2, "run", str(case), "--out", str(full), "--no-render")
    assert res.returncode == 0, res.stderr
    steps = read_csv(full / "history.csv")["step"]
    kill_at = int(np.flatnonzero(steps == 2)[3])  # the 4th row of the hold
    killed = _killed_run(tmp_path, 2, str(case), ["--no-render"], kill_at=kill_at)
    res = run_seifem(2, "run", "--restart", str(killed), "--no-render")
    assert res.returncode == 0, res.stderr
    _assert_same_history(full, killed)


@pytest.mark.slow
def test_restart_of_a_debonded_interface_gives_the_same_history(tmp_path):
    """The 1D twin's cohesive interface (damage, opening, debond SEI and its lithium) is part
    of the checkpoint: killed after the interface opened, the restarted run continues it."""
    case, opts = str(ROOT / "cases" / "si_coating_debond.toml"), ["--no-render", "--set", "output.checkpoint_every=3"]
    full = tmp_path / "full"
    assert run_seifem(1, "run", case, "--out", str(full), *opts).returncode == 0
    killed = _killed_run(tmp_path, 1, case, opts, kill_at=14)
    assert read_csv(killed / "history.csv")["debonded_area_fraction"][-1] == 1.0  # killed after it opened
    res = run_seifem(1, "run", "--restart", str(killed), "--no-render")
    assert res.returncode == 0, res.stderr
    _assert_same_history(full, killed)


@pytest.mark.slow
def test_adaptive_restart_after_kill_gives_the_same_steps(tmp_path):
    """Adaptive steps (1D twin, 2 ranks): the controller's history and next step are in the
    checkpoint, so the continued run takes exactly the steps of the uninterrupted one."""
    opts = ["--no-render", "--set", 'geometry.model="1d"', "--set", "solver.adaptive=true", "--set",
            'solver.dt="60 s"', "--set", "output.checkpoint_every=3"]
    full = tmp_path / "full"
    assert run_seifem(2, "run", CASE, "--out", str(full), *opts).returncode == 0
    killed = _killed_run(tmp_path, 2, CASE, opts, kill_at=8)
    res = run_seifem(2, "run", "--restart", str(killed), "--no-render")
    assert res.returncode == 0, res.stderr
    assert "continuing from the checkpoint" in res.stderr
    ha, hb = read_csv(full / "history.csv"), read_csv(killed / "history.csv")
    assert len(ha["time_s"]) > 12  # the kill came mid-run
    np.testing.assert_array_equal(ha["time_s"], hb["time_s"])  # the same steps, to the last bit
    _assert_same_history(full, killed)


@pytest.mark.slow
def test_restart_at_finite_strain_is_bit_identical(tmp_path):
    """The shipped coated case (finite strain, plasticity: Newton keeps its preconditioner
    across steps and extrapolates its start), killed after a checkpoint and continued: the
    preconditioner is rebuilt at every checkpoint in both runs, the guess's history is in
    the checkpoint, so the continued history is the uninterrupted one byte for byte."""
    case = str(ROOT / "cases" / "si_coated.toml")
    short = ["--no-render", "--set", "output.fields=false", "--set", 'geometry.mesh_size="1.0 um"',
             "--set", "output.checkpoint_every=3", "--set", 'protocol.steps=[{mode="lithiate", c_rate="3 C", until_soc=0.3}]']
    full = tmp_path / "full"
    assert run_seifem(2, "run", case, "--out", str(full), *short).returncode == 0
    killed = _killed_run(tmp_path, 2, case, short, kill_at=5, timeout=300)
    res = run_seifem(2, "run", "--restart", str(killed), "--no-render")
    assert res.returncode == 0, res.stderr
    assert (killed / "history.csv").read_bytes() == (full / "history.csv").read_bytes()

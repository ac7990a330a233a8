"""A 3D run with cycle jumping killed after a jump continues from its checkpoint to the same
cycles.csv and history as the uninterrupted run (the jumped cycles stay jumped)."""

from __future__ import annotations

import subprocess

import pytest

from faults import compare
from helpers import read_csv, run_seifem, seifem_cmd

CASE = """
[particle]
material = "Si"
radius = "1 um"
initial_soc = 0.01
[coating]
material = "carbon"
thickness = "20 nm"
[sei]
material = "sei-LiF-rich"
thickness = "10 nm"
growth = "solvent-diffusion"
[geometry]
domain = "octant"
mesh_size = "0.5 um"
[protocol]
cycles = 6
[[protocol.steps]]
mode = "lithiate"
c_rate = "1 C"
until_soc = 0.05
[[protocol.steps]]
mode = "delithiate"
c_rate = "1 C"
until_soc = 0.01
[solver]
dt = "40 s"
cycle_jump = 2
[output]
fields = false
render = false
"""

KILLER = """
import os, signal, sys
import seifem.simulation.particle_run as run
from seifem.cli.main import main

original = run.ParticleRun.record
def record(self, *args, **kwargs):
    row = original(self, *args, **kwargs)
    if self.cycles_done == 5 and self.nsteps == {kill_at}:
        os.kill(os.getpid(), signal.SIGKILL)
    return row
run.ParticleRun.record = record
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.slow
def test_restart_after_a_jump_gives_the_same_cycles(tmp_path):
    case = tmp_path / "case.toml"
    case.write_text(CASE)
    full = tmp_path / "full"
    assert run_seifem(1, "run", str(case), "--out", str(full)).returncode == 0
    steps = len(read_csv(full / "history.csv")["time_s"]) - 1
    killer = tmp_path / "killer.py"
    killer.write_text(KILLER.format(kill_at=steps - 2))  # inside the last cycle, after the jump
    killed = tmp_path / "killed"
    cmd = seifem_cmd(1, "run", str(case), "--out", str(killed))
    cmd = [c if c != "seifem.cli.main" else str(killer) for c in cmd]
    cmd.remove("-m")
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert res.returncode != 0
    assert list(read_csv(killed / "cycles.csv")["resolved"]) == [1, 1, 1, 0, 0]
    res = run_seifem(1, "run", "--restart", str(killed), "--no-render")
    assert res.returncode == 0, res.stderr
    assert "continuing from the checkpoint" in res.stderr
    lost, extra, worst = compare(full, killed)
    assert (lost, extra) == (0, 0) and worst <= 1e-9, (lost, extra, worst)

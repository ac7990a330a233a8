"""A cycle-life run of the 2D twin (layered, inelastic, cracking SEI that grows) killed with SIGKILL
after a checkpoint continues with `seifem run --restart` to the same cycles.csv and history.csv as
the uninterrupted run (simulation.cycle_checkpoint): the layers' internal variables, the film,
the counter electrode's inventory and the rows so far come back from checkpoint.npz. On 2 ranks,
with a cycle jump before the kill."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from helpers import read_csv, run_seifem, seifem_cmd

ROOT = Path(__file__).resolve().parents[2]
CASE = str(ROOT / "cases" / "si_cycle_life_300.toml")
OPTS = ["--no-render", "--set", 'geometry.model="2d"', "--set", 'geometry.mesh_size="0.4 um"', "--set",
        "protocol.cycles=5", "--set", "solver.cycle_jump=1", "--set", "output.checkpoint_every=1"]

KILLER = """
import os, signal, sys
import seifem.simulation.cycle_life as cl
from seifem.cli.main import main

original = cl.save_cell
def save_cell(path, cell, comm, next_cycle, *args, **kwargs):
    original(path, cell, comm, next_cycle, *args, **kwargs)
    if next_cycle == {kill_at}:
        os.kill(os.getpid(), signal.SIGKILL)   # no cleanup: a hard kill right after the checkpoint
cl.save_cell = save_cell
sys.exit(main(sys.argv[1:]))
"""


def _same(a: dict, b: dict, what: str) -> None:
    assert list(a) == list(b)
    for col, x in a.items():
        scale = max(float(np.max(np.abs(x))), 1e-30)
        # the restarted run refactorises the twin's matrices: round-off at most (measured: equal to the CSV's 10 digits)
        np.testing.assert_allclose(x, b[col], rtol=0, atol=1e-9 * scale, err_msg=f"{what}: {col}")


@pytest.mark.slow
def test_killed_2d_cycle_life_run_continues_to_the_same_cycles(tmp_path):
    full = tmp_path / "full"
    res = run_seifem(2, "run", CASE, "--out", str(full), *OPTS)
    assert res.returncode == 0, res.stderr
    c = read_csv(full / "cycles.csv")
    assert list(c["resolved"]) == [1, 1, 1, 0, 1]  # cycle 4 jumped
    killer = tmp_path / "killer.py"
    killer.write_text(KILLER.format(kill_at=5))  # after cycle 3 and the jump over 4
    killed = tmp_path / "killed"
    cmd = [x if x != "seifem.cli.main" else str(killer) for x in seifem_cmd(2, "run", CASE, "--out", str(killed), *OPTS)]
    cmd.remove("-m")
    assert subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=600).returncode != 0
    assert not (killed / "cycles.csv").exists() and (killed / "checkpoint.npz").is_file()
    res = run_seifem(2, "run", "--restart", str(killed), "--no-render")
    assert res.returncode == 0, res.stderr
    assert "continuing from the checkpoint at cycle 5" in res.stderr
    _same(read_csv(full / "cycles.csv"), read_csv(killed / "cycles.csv"), "cycles.csv")
    _same(read_csv(full / "history.csv"), read_csv(killed / "history.csv"), "history.csv")

"""A run killed on the c-Li15Si4 delithiation plateau continues from its checkpoint on the
plateau: the particle's crystalline-phase history (the run's ledger) is part of the saved state,
so the continued history equals the uninterrupted one (docs/lithiation-fronts.md)."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import read_csv, run_seifem

CASE = """
title = "Si lithiated into c-Li15Si4, delithiated on its plateau (1D twin)"
[particle]
material = "Si"
radius = "1 um"
diffusivity = "1e-14 m^2/s"
expansion = "phases"
[geometry]
model = "1d"
[electrochemistry]
kinetics = "uniform"
[[protocol.steps]]
mode = "lithiate"
c_rate = "C/5"
until_soc = 0.99
[[protocol.steps]]
mode = "delithiate"
c_rate = "C/100"
until_soc = 0.3
[solver]
dt = "1800 s"
[output]
checkpoint_every = 5
"""


@pytest.mark.slow
def test_killed_plateau_run_continues_on_the_plateau(tmp_path):
    from test_restart import _assert_same_history, _killed_run

    case = tmp_path / "plateau.toml"
    case.write_text(CASE)
    full = tmp_path / "full"
    assert run_seifem(1, "run", str(case), "--out", str(full), "--no-render").returncode == 0
    killed = _killed_run(tmp_path, 1, str(case), ["--no-render"], kill_at=42)
    h = read_csv(killed / "history.csv")
    assert np.all(h["ocp_V"][-5:] == 0.44)  # the checkpoint (step 40) is on the plateau
    res = run_seifem(1, "run", "--restart", str(killed), "--no-render")
    assert res.returncode == 0, res.stderr
    _assert_same_history(full, killed)
    plateau = read_csv(full / "history.csv")["ocp_V"] == 0.44
    assert plateau.sum() > 60  # measured: see the history

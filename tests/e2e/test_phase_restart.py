"""A run killed on the c-Li15Si4 delithiation plateau continues from its checkpoint on the
plateau: the particle's crystalline-phase history (the run's ledger) is part of the saved state,
so the continued history equals the uninterrupted one (cases/si_li15si4_plateau.toml,
docs/lithiation-fronts.md)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from helpers import read_csv, run_seifem

CASE = str(Path(__file__).resolve().parents[2] / "cases" / "si_li15si4_plateau.toml")


@pytest.mark.slow
def test_killed_plateau_run_continues_on_the_plateau(tmp_path):
    from test_restart import _assert_same_history, _killed_run

    full = tmp_path / "full"
    assert run_seifem(1, "run", CASE, "--out", str(full), "--no-render").returncode == 0
    killed = _killed_run(tmp_path, 1, CASE, ["--no-render"], kill_at=42)
    h = read_csv(killed / "history.csv")
    assert np.all(h["ocp_V"][-5:] == 0.44)  # the checkpoint (step 40) is on the plateau
    res = run_seifem(1, "run", "--restart", str(killed), "--no-render")
    assert res.returncode == 0, res.stderr
    _assert_same_history(full, killed)
    plateau = read_csv(full / "history.csv")["ocp_V"] == 0.44
    assert plateau.sum() > 60  # measured 103 rows

"""`seifem run` of the shipped debonding case in 3D (`problem.cohesive`), coarsened (1.25 um,
0.5 um at the surface: 742 cells) and cut to the delithiation down to soc 0.025 in two 45 s
steps (the default dt; the case's 10 s steps take ~15 min on a loaded machine), one softening
(D = 0.99997, 12 nm open), one fully open (58 nm):
the interface columns are in the history, the damage never decreases, the coating debonds
all round, and the history follows the 1D twin's run of the same case."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from helpers import read_csv, run_seifem

ROOT = Path(__file__).resolve().parents[2]
COLUMNS = ["interface_tn_max_MPa", "interface_tn_min_MPa", "interface_ts_max_MPa", "interface_damage",
           "debonded_area_fraction", "interface_opening_nm"]


def _case(tmp_path: Path) -> Path:
    text = (ROOT / "cases" / "si_coating_debond.toml").read_text()
    head, _, _ = text.partition("[[protocol.steps]]\nmode = \"lithiate\"")
    path = tmp_path / "debond.toml"
    path.write_text(head.replace("until_soc = 0.01", "until_soc = 0.025"))
    return path


@pytest.mark.slow
def test_3d_debonding_run_follows_the_1d_twin(tmp_path):
    case = _case(tmp_path)
    common = ["--no-render", "--set", 'interface.sei_growth="none"', "--set", "output.fields=false"]
    res = run_seifem(1, "run", str(case), "--out", str(tmp_path / "3d"), *common, "--set", 'geometry.model="3d"',
                     "--set", 'geometry.mesh_size="1.25 um"', "--set", 'geometry.surface_mesh_size="0.5 um"',
                     timeout=900)
    assert res.returncode == 0, res.stderr
    res = run_seifem(1, "run", str(case), "--out", str(tmp_path / "1d"), *common)
    assert res.returncode == 0, res.stderr
    h3, h1 = read_csv(tmp_path / "3d" / "history.csv"), read_csv(tmp_path / "1d" / "history.csv")
    for c in COLUMNS:
        assert c in h3, c
    assert np.all(np.diff(h3["interface_damage"]) >= 0)
    assert h3["debonded_area_fraction"][-1] == pytest.approx(1.0, abs=1e-12)
    assert np.allclose(h3["time_s"], h1["time_s"])
    # step by step (bonded, softening, open): tractions measured 0.11 MPa apart (of 50 MPa),
    # openings 0.10 nm (of 58 nm at the end)
    assert np.abs(h3["interface_tn_max_MPa"] - h1["interface_tn_max_MPa"]).max() < 0.3
    assert np.abs(h3["interface_opening_nm"] - h1["interface_opening_nm"]).max() < 0.25

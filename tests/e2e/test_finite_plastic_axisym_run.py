"""`seifem run` of the shipped coated particle (cases/si_coated.toml: finite strain with J2
plasticity) switched to the 2D twin, on 2 ranks, made light (mesh 0.6 um, 3C to soc 0.3 and
back to 0.1): it runs, the Si core flows by the finite-strain return map, the ion inventory
matches the applied current, and the meridian maps are drawn from the plastic quadrature
values."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from helpers import read_csv, run_seifem

CASE = Path(__file__).resolve().parents[2] / "cases" / "si_coated.toml"


@pytest.mark.slow
def test_2d_twin_runs_the_finite_plastic_case(tmp_path):
    out = tmp_path / "run"
    res = run_seifem(2, "run", str(CASE), "--out", str(out), "--set", 'geometry.model="2d"',
                     "--set", 'geometry.mesh_size="0.6 um"', "--set", 'solver.dt="40 s"',
                     "--set", ('protocol.steps=[{mode="lithiate", c_rate="3 C", until_soc=0.3}, '
                               '{mode="delithiate", c_rate="3 C", until_soc=0.1}]'))
    assert res.returncode == 0, res.stderr
    h = read_csv(out / "history.csv")
    peak = int(np.argmax(h["soc"]))
    assert h["soc"][peak] == pytest.approx(0.3, abs=1e-9)
    assert 0.75 < h["volume_change"][peak] < 0.84  # measured 0.828; free swelling of Si at soc 0.3: 0.84
    assert h["core_plastic_fraction"].max() > 0.25  # measured 0.522
    # measured: equal to the CSV's digits
    np.testing.assert_allclose(h["ions_mol"], h["applied_ions_mol"], rtol=0, atol=1e-8 * h["applied_ions_mol"].max())
    assert len(list((out / "figures").glob("map_t*.png"))) == 2  # end of each protocol step

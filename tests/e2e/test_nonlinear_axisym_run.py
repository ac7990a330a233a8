"""2D-twin cycle-life runs with the twin's nonlinear mechanics (`seifem run`, in-process, one
rank), on cases/si_cycle_life_300.toml with geometry.model = "2d" for 4 cycles: with J2
plasticity the Si core, given a 50 MPa yield stress, flows; at finite strain the layered SEI
takes the Green-Lagrange strain; both together, the core flows by the finite-strain return
map. Every way the run's lithium balance (particle + SEI = applied) holds to the issue's 1e-8,
and the history has the model's columns."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from helpers import read_csv
from seifem.cli.main import main

CASE = str(Path(__file__).resolve().parents[2] / "cases" / "si_cycle_life_300.toml")


@pytest.mark.slow
@pytest.mark.parametrize("model", ["plastic", "finite-strain", "finite-plastic"])
def test_2d_cycle_life_with_nonlinear_mechanics(tmp_path, model):
    plastic = ["physics.plasticity=true", 'particle.yield_stress="50 MPa"']
    sets = {"plastic": plastic, "finite-strain": ['physics.mechanics="finite-strain"'],
            "finite-plastic": plastic + ['physics.mechanics="finite-strain"']}[model]
    out = tmp_path / "run"
    args = ["--log-level", "WARNING", "run", CASE, "--out", str(out), "--no-render", "--set", 'geometry.model="2d"',
            "--set", "protocol.cycles=4", "--set", "solver.cycle_jump=0"]
    assert main(args + [x for s in sets for x in ("--set", s)]) == 0
    history, cycles = read_csv(out / "history.csv"), read_csv(out / "cycles.csv")
    if model != "finite-strain":
        assert history["core_plastic_fraction"].max() > 0.05  # measured 0.095 (small strain), 0.0954 (finite)
    # measured 1.5e-11 (plastic, finite strain, both) over 4 cycles
    assert np.abs(cycles["conservation_error"]).max() < 1e-8
    assert cycles["capacity_retention"][-1] < 1.0  # the SEI grows: measured 0.99991, 0.99994, 0.99994

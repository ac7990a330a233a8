"""Resolved vs thin-layer (membrane) SEI: on a uniformly swelling Si sphere the membrane
model places the film at the core surface and neglects its thickness, so the two differ by
O(h/R): the difference must shrink at rate 1 as h/R -> 0 (and be small in absolute terms)."""

from __future__ import annotations

import numpy as np
import pytest
from dolfinx import fem

from helpers import make_case
from seifem.geometry import build
from seifem.problem.particle import ParticleProblem
from seifem.problem.quantities import Quantities

THETA = 0.01


def _sei_stress(comm, h_nm: float, model: str) -> float:
    case = make_case(sei={"material": "sei-carbonate", "thickness": f"{h_nm} nm", "model": model},
                     geometry={"mesh_size": "0.35 um", "surface_mesh_size": "0.2 um"})
    p = ParticleProblem(case, build(case, comm))
    p.theta.x.array[fem.locate_dofs_topological(p.V, 3, p.geo.cells("core"))] = THETA
    p.solve_mechanics()
    q = Quantities(p)
    q.update()
    row = q.scalars()
    p.destroy()
    return 0.5 * (row["sei_stress_max_MPa"] + row["sei_stress_min_MPa"])


@pytest.mark.slow
def test_resolved_and_membrane_sei_converge(comm):
    thick = [80.0, 40.0, 20.0]  # nm on R = 1 um
    diff = np.array([abs(_sei_stress(comm, h, "resolved") / _sei_stress(comm, h, "membrane") - 1) for h in thick])
    rates = np.log(diff[:-1] / diff[1:]) / np.log(2.0)
    if comm.rank == 0:
        print("relative difference resolved vs membrane", diff, "rates", rates)
    assert diff[-1] < 0.05  # h/R = 2 %
    assert np.all(rates > 0.8) and np.all(rates < 1.3)

"""Concentration-dependent moduli and yield stress of the active material (docs/physics.md: moduli
may depend on theta, lithiated Si softens): the tables act where and as they should.

1. Young's modulus falling with theta (Gao & Hong 2016 after Hertzberg: 80 GPa up to Li2Si,
   then linearly to 12 GPa at Li3.75Si): a core swollen uniformly to theta = 0.8 inside a
   coating carries the Lame interface pressure of the softened modulus (within 1 %, B3.1).
2. A constant yield-stress factor is the same as the scaled yield stress.
"""

from __future__ import annotations

import numpy as np
import pytest
import ufl
from dolfinx import fem

from helpers import make_case
from seifem import analytic as an
from seifem.geometry import build
from seifem.physics import mechanics as mech
from seifem.problem.particle import ParticleProblem

SOFTENING = [[0.0, 1.0], [0.533, 1.0], [1.0, 0.15]]


def _pressure(p) -> float:
    srr, _ = mech.radial_hoop(p.stress("core"), ufl.SpatialCoordinate(p.geo.mesh))
    return -p.integrate(srr * p.geo.dx("core")) / p.core_volume * 1e9


@pytest.mark.slow
def test_softened_core_carries_the_lame_pressure_of_its_modulus(comm):
    theta = 0.8
    factor = np.interp(theta, *np.array(SOFTENING).T)
    case = make_case(particle={"material": "Si", "radius": "1 um", "youngs_modulus_factor": SOFTENING,
                               "partial_molar_volume": "1e-8 m^3/mol"},  # a small eigenstrain at theta = 0.8
                     coating={"material": "carbon", "thickness": "200 nm"},
                     geometry={"mesh_size": "0.25 um", "surface_mesh_size": "0.1 um"})
    p = ParticleProblem(case, build(case, comm))
    p.theta.x.array[fem.locate_dofs_topological(p.V, 3, p.geo.cells("core"))] = theta
    p.solve_mechanics()
    core, coat = case.particle.material, case.coatings[0].material
    e_star = p.beta * theta / 3
    exact = an.layered_sphere([1e-6, 1.2e-6], [core.si("youngs_modulus") * factor, coat.si("youngs_modulus")],
                              [core.si("poisson_ratio"), coat.si("poisson_ratio")], [e_star, 0.0])
    fe = _pressure(p)
    p.destroy()
    stiff = an.layered_sphere([1e-6, 1.2e-6], [core.si("youngs_modulus"), coat.si("youngs_modulus")],
                              [core.si("poisson_ratio"), coat.si("poisson_ratio")], [e_star, 0.0])
    assert fe == pytest.approx(-exact.sigma_r(1e-6 * 0.5), rel=0.01)
    assert abs(fe) < 0.9 * abs(stiff.sigma_r(1e-6 * 0.5))  # the softening matters here (10x the tolerance)


@pytest.mark.slow
def test_constant_yield_factor_equals_the_scaled_yield_stress(comm):
    rows = []
    for particle in ({"yield_stress": "200 MPa", "yield_stress_factor": [[0.0, 0.5], [1.0, 0.5]]},
                     {"yield_stress": "100 MPa"}):
        case = make_case(particle={"material": "Si", "radius": "1 um", "diffusivity": "1e-14 m^2/s", **particle},
                         physics={"plasticity": True}, geometry={"mesh_size": "0.4 um"})
        p = ParticleProblem(case, build(case, comm))
        for _ in range(6):
            p.advance(10.0, 2.0)
        rows.append((_pressure(p), p.nonlinear.plastic_volume("core")))
        p.destroy()
    assert rows[0][0] == pytest.approx(rows[1][0], rel=1e-8)
    assert rows[0][1] == pytest.approx(rows[1][1], rel=1e-8) and rows[0][1] > 0

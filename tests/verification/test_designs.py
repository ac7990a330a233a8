"""Particle designs in 3D against closed forms: the hollow sphere under galvanostatic
lithiation (docs/verification.md B2.1, sealed and open cavity) and three concentric
layers with a uniform core eigenstrain (N-layer Lame, B3.1)."""

from __future__ import annotations

import numpy as np
import pytest
import ufl
from dolfinx import fem

from helpers import EXTREMES, extreme_errors, make_case
from seifem import analytic as an
from seifem.geometry import build
from seifem.physics import mechanics as mech
from seifem.problem.particle import ParticleProblem
from seifem.problem.quantities import Quantities

D = 1e-14  # m^2/s
TOL_HOLLOW = {"sealed": 1e-2, "open": 1e-2}
"""History extremes of the hollow sphere at the default mesh (radius/6 inside, radius/12 at
the outer surface, the cavity at 1/24 of its radius: `geometry.builders.cavity_mesh_size`),
relative to the stress scale, from the per-region patch recovery: measured 3.8e-3 sealed
(vm_max), 8.9e-3 open (vm_max at the outer surface; st_min there 7.0e-3; sigma_r at the
cavity 2.5e-3; same on 2 ranks). The open case's outer-surface extremes converge with the
outer surface mesh (vm_max 6.6e-3 at 0.0625 um) and vary by ~1e-3 with the mesh's layout
(9.95e-3 with the cavity at 0.041667 x its radius). With the cavity at the outer surface's
size (a/6) its radial stress was 5.9e-2 off, at a/12 1.0e-2 (`bench/bench_cavity.py`)."""


def _mean(p, expr, measure) -> float:
    return p.integrate(expr * measure) / p.integrate(fem.Constant(p.geo.mesh, 1.0) * measure)


@pytest.mark.slow
@pytest.mark.parametrize("cavity", ["sealed", "open"])
def test_hollow_sphere_hoop_stress(comm, cavity):
    """rho = a/b = 0.5 shell lithiated at 1C to tau = D t / b^2 = 0.1 at the default mesh:
    every history extreme within 1 % of the stress scale (TOL_HOLLOW), and the mean hoop
    stress over the inner and outer surface within 2 % of the series + integral formulas."""
    a, b = 0.5e-6, 1e-6
    case = make_case(geometry={"inner_radius": "0.5 um", "inner_surface": cavity})
    p = ParticleProblem(case, build(case, comm))
    while p.t < 0.1 * b**2 / D - 1e-9:
        p.advance(0.5, 1.0)
    x = ufl.SpatialCoordinate(p.geo.mesh)
    _, stt = mech.radial_hoop(p.stress("core"), x)
    fe_inner = _mean(p, stt, p.geo.ds("inner")) * 1e9
    fe_outer = _mean(p, stt, p.geo.ds("outer")) * 1e9
    mat = case.particle.material
    J = p.flux_for(1.0) * 1e-6 * p.c_max  # mol m^-2 s^-1, same density on every flux surface
    E, nu, Om = (mat.si(k) for k in ("youngs_modulus", "poisson_ratio", "partial_molar_volume"))
    _, st = an.hollow_sphere_galvanostatic_stress(np.array([a, b]), p.t, a, b, D, J, J if cavity == "open" else 0.0,
                                                  E, nu, Om)
    q = Quantities(p)
    q.update()
    row = q.scalars()
    p.destroy()
    # every history extreme (per-region patch recovery) relative to the stress scale, at the
    # default mesh: measured 3.8e-3 sealed, 8.9e-3 open (see TOL_HOLLOW)
    exact = lambda r, side: an.hollow_sphere_galvanostatic_stress(  # noqa: E731
        r, p.t, a, b, D, J, J if cavity == "open" else 0.0, E, nu, Om)
    err = extreme_errors(row, "core", exact, a, b)
    if p.comm.rank == 0:
        print(f"\n[hollow {cavity}] " + ", ".join(f"{k} {err[k]:+.2e}" for k in EXTREMES))
    for k in EXTREMES:
        assert abs(err[k]) < TOL_HOLLOW[cavity], (k, err[k])
    assert fe_outer == pytest.approx(st[1], rel=0.02)
    if cavity == "sealed":
        assert fe_inner == pytest.approx(st[0], rel=0.02)
    else:  # lithiated from both sides the inner hoop stress is small (near a sign change):
        assert fe_inner == pytest.approx(st[0], abs=0.02 * abs(st[1]))  # 2 % of the stress scale


@pytest.mark.slow
def test_three_layers_lame(comm):
    """Si core 1 um (eigenstrain beta*theta/3) + 100 nm SiOx + 150 nm carbon: core pressure,
    the mean hoop stress of each coating and the outer-surface hoop stress within 1 %."""
    theta = 0.01
    case = make_case(coating=[{"material": "SiOx", "thickness": "100 nm"}, {"material": "carbon", "thickness": "150 nm"}],
                     geometry={"mesh_size": "0.2 um", "surface_mesh_size": "0.05 um"})
    p = ParticleProblem(case, build(case, comm))
    p.theta.x.array[fem.locate_dofs_topological(p.V, 3, p.geo.cells("core"))] = theta
    p.solve_mechanics()
    mats = [case.particle.material] + [c.material for c in case.coatings]
    radii = [1e-6, 1.1e-6, 1.25e-6]
    exact = an.layered_sphere(radii, [m.si("youngs_modulus") for m in mats], [m.si("poisson_ratio") for m in mats],
                              [p.beta * theta / 3, 0.0, 0.0])
    x = ufl.SpatialCoordinate(p.geo.mesh)
    fe, ex = {}, {}
    srr, _ = mech.radial_hoop(p.stress("core"), x)
    fe["pressure"] = -_mean(p, srr, p.geo.dx("core")) * 1e9
    ex["pressure"] = -exact.sigma_r(np.array([radii[0]]), side="left")[0]
    for (name, r0, r1) in (("coating1", radii[0], radii[1]), ("coating2", radii[1], radii[2])):
        _, stt = mech.radial_hoop(p.stress(name), x)
        fe[name] = _mean(p, stt, p.geo.dx(name)) * 1e9
        r = np.linspace(r0, r1, 2001)[1:-1]
        ex[name] = np.trapezoid(exact.sigma_t(r) * r**2, r) / np.trapezoid(r**2, r)
    _, stt = mech.radial_hoop(p.stress("coating2"), x)
    fe["outer"] = _mean(p, stt, p.geo.ds("outer")) * 1e9
    ex["outer"] = exact.sigma_t(np.array([radii[2]]), side="left")[0]
    p.destroy()
    for key in ex:
        assert fe[key] == pytest.approx(ex[key], rel=0.01), key

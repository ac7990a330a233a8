"""Galvanostatic solid sphere against the series + integral-formula solution
(Cheng & Verbrugge 2009, J. Power Sources 190:453; docs/verification.md B1.2).

Checks the centre radial stress and the surface hoop stress at two dimensionless times
tau = D t / R^2 within 2 %, the ion inventory against the applied flux, and the observed
spatial convergence order of the stress for the mechanics under the exact concentration.
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

R = 1e-6  # m
D = 1e-14  # m^2/s  -> tau = 0.01 t[s]


def _surface_mean(problem, expr) -> float:
    ds = problem.geo.ds("outer")
    num = problem.integrate(expr * ds)
    return num / problem.integrate(fem.Constant(problem.geo.mesh, 1.0) * ds)


def _centre_value(problem, expr) -> float:
    """Value of a UFL expression at the origin (owned by one rank, then shared)."""
    from seifem.observers.probes import Probes

    V = fem.functionspace(problem.geo.mesh, ("Discontinuous Lagrange", problem.case.solver.degree))
    f = fem.Function(V)
    f.interpolate(fem.Expression(expr, V.element.interpolation_points))
    vals = Probes(problem.geo.mesh, {"c": (0.0, 0.0, 0.0)}, {"v": f}, octant=True).values()
    return problem.comm.bcast(vals.get("c_v"), root=0)


@pytest.fixture(scope="module")
def run(comm):
    """Lithiate at 1C to tau = 0.2 with BDF2, recording stresses at tau = 0.05 and 0.2."""
    case = make_case(geometry={"mesh_size": "0.125 um", "surface_mesh_size": "0.125 um"})
    geo = build(case, comm)
    p = ParticleProblem(case, geo)
    mat = case.particle.material
    E, nu, Om, cmax = (mat.si(k) for k in ("youngs_modulus", "poisson_ratio", "partial_molar_volume", "max_concentration"))
    J = an.c_rate_flux(1.0, cmax, R)
    x = ufl.SpatialCoordinate(geo.mesh)
    records = {}
    dt = 0.5  # s, tau step 0.005 (measured error < 1 % at this mesh and step; the centre value
    # comes from the cells at the centre, so it is the interior mesh size that matters)
    for tau_out in (0.05, 0.2):
        while p.t < tau_out * R**2 / D - 1e-9:
            p.advance(dt, 1.0)
        srr, stt = mech.radial_hoop(p.stress("core"), x)
        records[tau_out] = {
            "centre": _centre_value(p, srr) * 1e9,
            "surface_hoop": _surface_mean(p, stt) * 1e9,
            "inventory": p.integrate(p.theta * geo.dx("core")),
            "t": p.t,
        }
    exact = {tau: an.sphere_galvanostatic_stress(np.array([0.0, R]), tau * R**2 / D, R, D, J, E, nu, Om)
             for tau in records}
    yield p, records, exact
    p.destroy()


@pytest.mark.slow
@pytest.mark.parametrize("tau", [0.05, 0.2])
def test_centre_radial_stress(run, tau):
    _, rec, exact = run
    sr_exact = exact[tau][0][0]
    assert rec[tau]["centre"] == pytest.approx(sr_exact, rel=0.02)


@pytest.mark.parametrize("tau", [0.05, 0.2])
def test_surface_hoop_stress(run, tau):
    _, rec, exact = run
    st_exact = exact[tau][1][1]
    assert rec[tau]["surface_hoop"] == pytest.approx(st_exact, rel=0.02)


def test_inventory_equals_integrated_flux(run):
    p, rec, _ = run
    for r in rec.values():
        expected = p.core_volume * (p.theta0 + r["t"] / 3600.0)  # 1C fills the core in 3600 s
        assert abs(r["inventory"] - expected) <= 1e-8 * expected


@pytest.mark.slow
def test_stress_convergence_order(comm):
    """Mechanics under the exact c(r, tau = 0.2): the L2 stress error falls as h^p with
    p = 2 for P2 displacement, P2 concentration and curved P2 geometry (measured 1.59 on
    0.4 -> 0.2 um, pre-asymptotic, and 2.01 on 0.2 -> 0.1 um)."""
    errors, sizes = [], []
    for h in (0.4, 0.2, 0.1):
        case = make_case(geometry={"mesh_size": f"{h} um", "surface_mesh_size": f"{h} um"})
        geo = build(case, comm)
        p = ParticleProblem(case, geo)
        mat = case.particle.material
        E, nu, Om, cmax = (mat.si(k) for k in ("youngs_modulus", "poisson_ratio", "partial_molar_volume", "max_concentration"))
        J = an.c_rate_flux(1.0, cmax, R)
        t = 0.2 * R**2 / D

        def theta_exact(xx):
            r = np.linalg.norm(xx, axis=0) * 1e-6
            return an.sphere_galvanostatic(r, t, R, D, J)["c"] / cmax

        p.theta.interpolate(theta_exact)
        p.solve_mechanics()
        x = ufl.SpatialCoordinate(geo.mesh)
        srr, stt = mech.radial_hoop(p.stress("core"), x)
        # exact stresses as high-degree interpolants of the series
        Vx = fem.functionspace(geo.mesh, ("Discontinuous Lagrange", 4))
        ex_r, ex_t = fem.Function(Vx), fem.Function(Vx)
        rr = lambda xx: np.linalg.norm(xx, axis=0) * 1e-6  # noqa: E731
        ex_r.interpolate(lambda xx: an.sphere_galvanostatic_stress(rr(xx), t, R, D, J, E, nu, Om)[0] / 1e9)
        ex_t.interpolate(lambda xx: an.sphere_galvanostatic_stress(rr(xx), t, R, D, J, E, nu, Om)[1] / 1e9)
        err = np.sqrt(p.integrate(((srr - ex_r) ** 2 + 2 * (stt - ex_t) ** 2) * geo.dx()))
        norm = np.sqrt(p.integrate((ex_r**2 + 2 * ex_t**2) * geo.dx()))
        errors.append(err / norm)
        sizes.append(h)
        p.destroy()
    rates = np.log(np.array(errors[:-1]) / errors[1:]) / np.log(np.array(sizes[:-1]) / sizes[1:])
    if comm.rank == 0:
        print("relative L2 stress errors", errors, "rates", rates)
    assert errors[-1] < 0.01
    assert rates[-1] >= 1.8


@pytest.mark.slow
def test_centre_stress_history_extreme_at_the_default_mesh(comm):
    """The history's largest radial stress (the centre stress) at tau = 0.1 at the default mesh
    (radius/6, radius/12 at the surface), dt = 0.5 s: within 0.5 % of the series (measured
    -3.0e-3 with the per-region nodal averages of `problem.recovery`; the single-cell DG
    value at the centre was 1.4-1.6 % low)."""
    from seifem.problem.quantities import Quantities

    case = make_case()
    p = ParticleProblem(case, build(case, comm))
    mat = case.particle.material
    E, nu, Om, cmax = (mat.si(k) for k in ("youngs_modulus", "poisson_ratio", "partial_molar_volume", "max_concentration"))
    while p.t < 10.0 - 1e-9:
        p.advance(0.5, 1.0)
    q = Quantities(p)
    q.update()
    row = q.scalars()
    sr, _ = an.sphere_galvanostatic_stress(np.array([0.0, R]), p.t, R, D, an.c_rate_flux(1.0, cmax, R), E, nu, Om)
    p.destroy()
    if p.comm.rank == 0:
        print(f"\n[galvanostatic 3D] centre stress error {row['core_sr_max_MPa'] / (sr[0] / 1e6) - 1:+.2e}")
    assert row["core_sr_max_MPa"] == pytest.approx(sr[0] / 1e6, rel=5e-3)

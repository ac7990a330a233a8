"""Core with a uniform eigenstrain inside an elastic coating (Lame concentric spheres,
docs/verification.md B3.1) and the thin-layer SEI membrane on a uniformly swelling sphere
(sigma_s = E_s e / (1 - nu_s), B3.1 membrane limit)."""

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

THETA = 0.01  # uniform filling fraction: eigenstrain beta * theta / 3 (~0.94 %)


def _swell_uniformly(case, comm):
    """Set theta = THETA in the core, solve the mechanics, return (problem, history row)."""
    p = ParticleProblem(case, build(case, comm))
    core_dofs = fem.locate_dofs_topological(p.V, 3, p.geo.cells("core"))
    p.theta.x.array[core_dofs] = THETA
    p.solve_mechanics()
    q = Quantities(p)
    q.update()
    return p, q.scalars()


def _interface_mean_from(p, region: str, expr) -> float:
    """Mean of `expr` over the core/coating interface, taken from the `region` side."""
    DG0 = fem.functionspace(p.geo.mesh, ("DG", 0))
    ind = fem.Function(DG0)
    ind.x.array[p.geo.cells(region)] = 1.0
    dS = p.geo.dS("interface")
    side = ind("+") * expr("+") + ind("-") * expr("-")
    return p.integrate(side * dS) / p.integrate((ind("+") + ind("-")) * dS)


@pytest.fixture(scope="module")
def core_shell(comm):
    """Si core a = 1 um with eigenstrain beta*theta/3 in a 200 nm carbon shell, two elements
    through it (0.3 / 0.1 um: setup 1.5 s against 6.6 s at 0.2 / 0.07 um, where the errors below
    are about half: hoop 1.5e-3 and 8.1e-4, pressure 1.6e-6)."""
    case = make_case(coating={"material": "carbon", "thickness": "200 nm"},
                     geometry={"mesh_size": "0.3 um", "surface_mesh_size": "0.1 um"})
    p, row = _swell_uniformly(case, comm)
    core, coat = case.particle.material, case.coatings[0].material
    a, b = case.particle.radius, case.outer_radius
    e_star = p.beta * THETA / 3
    exact = an.layered_sphere([a, b], [core.si("youngs_modulus"), coat.si("youngs_modulus")],
                              [core.si("poisson_ratio"), coat.si("poisson_ratio")], [e_star, 0.0])
    x = ufl.SpatialCoordinate(p.geo.mesh)
    srr_core, _ = mech.radial_hoop(p.stress("core"), x)
    _, stt_coat = mech.radial_hoop(p.stress("coating"), x)
    ds = p.geo.ds("outer")
    fe = {
        "pressure": -p.integrate(srr_core * p.geo.dx("core")) / p.core_volume * 1e3,  # MPa
        "hoop_inner": _interface_mean_from(p, "coating", stt_coat) * 1e3,
        "hoop_outer": p.integrate(stt_coat * ds) / p.integrate(fem.Constant(p.geo.mesh, 1.0) * ds) * 1e3,
    }
    yield fe, row, exact, a, b
    p.destroy()


@pytest.mark.slow
def test_interface_pressure(core_shell):
    """The core is in uniform hydrostatic compression -p: its mean radial stress is -p."""
    fe, row, exact, a, _ = core_shell
    p_exact = -exact.sigma_r(np.array([a]), side="left")[0] / 1e6  # MPa
    assert fe["pressure"] == pytest.approx(p_exact, rel=2e-5)  # measured 7.7e-6
    # the reported nodal extremes bracket it within the nodal scatter of DG stresses
    assert -row["core_sr_max_MPa"] <= p_exact * 1.02 and -row["core_sr_min_MPa"] >= p_exact * 0.98


def test_coating_hoop_stress(core_shell):
    """Coating hoop stress at the interface (its maximum, a+) and at the outer surface."""
    fe, row, exact, a, b = core_shell
    st_inner = exact.sigma_t(np.array([a]), side="right")[0] / 1e6
    st_outer = exact.sigma_t(np.array([b]), side="right")[0] / 1e6
    assert fe["hoop_inner"] == pytest.approx(st_inner, rel=8e-3)  # measured +3.2e-3
    assert fe["hoop_outer"] == pytest.approx(st_outer, rel=5e-3)  # measured +1.8e-3
    assert row["coating_st_max_MPa"] == pytest.approx(st_inner, rel=1e-3)  # measured -3.0e-4


@pytest.mark.parametrize("sei", ["sei-carbonate", "sei-ether"])
def test_sei_membrane_stress(comm, sei):
    """Bare sphere with a 20 nm SEI, uniform swelling. The film takes the equibiaxial surface
    strain e = u(R)/R; its stiffness holds the sphere back by a relative 2 h E_s (1 - 2 nu_c) /
    ((1 - nu_s) R E_c) (< 0.2 %), so compare with the thin-shell equilibrium solution."""
    case = make_case(sei={"material": sei, "thickness": "20 nm"},
                     geometry={"mesh_size": "0.25 um", "surface_mesh_size": "0.1 um"})
    p, row = _swell_uniformly(case, comm)
    core, film = case.particle.material, case.sei.material
    Ec, nuc = core.si("youngs_modulus"), core.si("poisson_ratio")
    Es, nus, h, R = film.si("youngs_modulus"), film.si("poisson_ratio"), case.sei.thickness, case.particle.radius
    e_star = p.beta * THETA / 3
    e = e_star / (1 + 2 * h * Es * (1 - 2 * nuc) / ((1 - nus) * R * Ec))  # u(R)/R with the film
    sigma = an.membrane_equibiaxial_stress(Es, nus, e) / 1e6
    p.destroy()
    assert row["sei_strain_max"] == pytest.approx(e, rel=2e-3)
    assert row["sei_strain_min"] == pytest.approx(e, rel=2e-3)
    assert row["sei_stress_max_MPa"] == pytest.approx(sigma, rel=2e-3)
    assert row["sei_stress_min_MPa"] == pytest.approx(sigma, rel=2e-3)
    # failure indicators against their closed forms for equibiaxial strain e (B5.3, B5.4)
    eps_y, gamma = film.si("elastic_strain_limit"), film.si("fracture_energy")
    assert row["sei_strain_util_max"] == pytest.approx(e / eps_y, rel=2e-3)
    w = Es * e**2 / (1 - nus)  # membrane energy density of equibiaxial strain
    assert row["sei_energy_util_max"] == pytest.approx(w / an.max_elastic_energy_density(Es, eps_y), rel=4e-3)
    G = an.channel_crack_G(sigma * 1e6, h, Es, nus)
    assert row["sei_crack_ratio_max"] == pytest.approx(G / gamma, rel=4e-3)
    assert row["sei_failed_area"] == (1.0 if max(e / eps_y, G / gamma) >= 1 else 0.0)


@pytest.mark.slow
@pytest.mark.parametrize("layers", [2, 3])
def test_history_extremes_at_the_default_refinement(comm, layers):
    """Every history extreme (radial, hoop, von Mises, largest principal stress; max and min)
    of each region of the Lame core-shell (200 nm carbon) and three-layer (100 nm SiOx +
    150 nm carbon) spheres under a uniform core eigenstrain, at the default mesh, against the
    closed form (B3.1), relative to the region's stress scale. The extremes are the per-region
    patch recovery's (`physics.recovery`), with the default two or more elements through each
    layer. Measured: 2 layers <= 1.4e-3 core, 1.8e-3 coating; 3 layers <= 2.2e-4 core, 2.3e-3
    coating1 (the 100 nm SiOx, two elements thick), 2.1e-3 coating2 (same on 2 ranks). (Per-
    region nodal averages with the 100 nm layer one element thick: 1.32e-2 in coating1.)"""
    coats = ([{"material": "carbon", "thickness": "200 nm"}] if layers == 2 else
             [{"material": "SiOx", "thickness": "100 nm"}, {"material": "carbon", "thickness": "150 nm"}])
    case = make_case(coating=coats)
    p, row = _swell_uniformly(case, comm)
    mats = [case.particle.material] + [c.material for c in case.coatings]
    radii = [case.particle.radius]
    for c in case.coatings:
        radii.append(radii[-1] + c.thickness)
    exact = an.layered_sphere(radii, [m.si("youngs_modulus") for m in mats], [m.si("poisson_ratio") for m in mats],
                              [p.beta * THETA / 3] + [0.0] * len(case.coatings))
    regions = ["core"] + [c.name for c in case.coatings]
    p.destroy()
    tol = 5e-3  # measured <= 2.3e-3 (see above)
    for i, region in enumerate(regions):
        err = extreme_errors(row, region, lambda r, side: (exact.sigma_r(r, side=side), exact.sigma_t(r, side=side)),
                             ([0.0] + radii)[i], radii[i])
        if comm.rank == 0:
            print(f"\n[{layers} layers, 3D] {region}: " + ", ".join(f"{k} {err[k]:+.2e}" for k in EXTREMES))
        for k in EXTREMES:
            assert abs(err[k]) < tol, (region, k, err[k])
    # interface tractions (recovered core stress at the interface vertices, vertex normals):
    # normal traction sigma_r(a), no shear; measured (relative to the core's scale) tn 1.3e-3,
    # ts 7.7e-4 (2 layers), 2.2e-4, 8.9e-5 (3 layers)
    a, scale = radii[0], abs(exact.sigma_r(np.array([radii[0]]), side="left")[0]) / 1e6
    tn = exact.sigma_r(np.array([a]), side="left")[0] / 1e6
    errs = [(row["interface_tn_max_MPa"] - tn) / scale, (row["interface_tn_min_MPa"] - tn) / scale,
            row["interface_ts_max_MPa"] / scale]
    if comm.rank == 0:
        print(f"\n[{layers} layers, 3D] interface tn_max, tn_min, ts_max: " + ", ".join(f"{e:+.2e}" for e in errs))
    for e in errs:
        assert abs(e) < tol, errs

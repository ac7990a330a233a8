"""The 2D axisymmetric twin (`seifem.reduced.axisym`) against closed forms, the 1D twin and
the 3D problem.

Galvanostatic solid sphere (Cheng & Verbrugge 2009, B1.2) with the mesh convergence of the
stress; three concentric layers with a uniform core eigenstrain (Lame, B3.1); the SEI
membrane on a uniformly swelling solid or open hollow sphere (thin-shell equilibrium); the
ion inventory through changes of current and step; the 1D `RadialProblem` and the 3D
`ParticleProblem` on the same coated design; a spheroid. The meridian mesh is distributed
over the ranks; every rank asserts the same reduced numbers.
"""

from __future__ import annotations

import time

import numpy as np
import pytest
import ufl
from dolfinx import fem
from mpi4py import MPI

from helpers import EXTREMES, extreme_errors, make_case
from seifem import analytic as an
from seifem.physics import mechanics as mech
from seifem.physics.membrane import membrane_strain
from seifem.reduced import axisym_forms as af
from seifem.reduced.axisym import AxisymProblem
from seifem.reduced.radial import (
    RadialDesign,
    RadialLayer,
    RadialProblem,
    design_from_case,
)

R = 1e-6  # m
D = 1e-14  # m^2/s -> tau = D t / R^2 = 0.01 t[s]
SI = dict(youngs_modulus=80e9, poisson_ratio=0.22, diffusivity=D, max_concentration=310970.0,
          partial_molar_volume=9.03e-6)


def _design(**kw) -> RadialDesign:
    return RadialDesign(**{"radius": R, **SI, **kw})


def _lithiate(p, t_end: float, dt: float, c_rate: float = 1.0) -> None:
    while p.t < t_end - 1e-9:
        p.advance(min(dt, t_end - p.t), c_rate)


def _swell(p: AxisymProblem, theta: float) -> dict:
    """theta uniform in the core (0 outside), mechanics, history row."""
    p.theta.x.array[:] = 0.0
    p.theta.x.array[fem.locate_dofs_topological(p.V, 2, p.cells["core"])] = theta
    p.solve_mechanics()
    return p.scalars()


def _exact_solid(r, t):
    J = an.c_rate_flux(1.0, SI["max_concentration"], R)
    return an.sphere_galvanostatic_stress(np.asarray(r), t, R, D, J, SI["youngs_modulus"], SI["poisson_ratio"],
                                          SI["partial_molar_volume"])


def _rel_l2_stress_error(p: AxisymProblem) -> float:
    """|| (sigma_rr, sigma_hoop) - exact ||_L2 / || exact ||_L2 over the particle (weight 2 pi r),
    the exact stresses interpolated in DG4 (interpolation error O(h^5))."""
    E = fem.functionspace(p.mesh, ("DG", 4, (2,)))
    ex = fem.Function(E)
    X = E.tabulate_dof_coordinates()
    sr, st = _exact_solid(np.hypot(X[:, 0], X[:, 1]) * 1e-6, p.t)
    ex.x.array[0::2], ex.x.array[1::2] = sr / 1e9, st / 1e9  # GPa
    s = ufl.as_vector(mech.radial_hoop(p.stress("core"), ufl.as_vector([p.x[0], p.x[1], 0])))
    return np.sqrt(p.integrate(ufl.inner(s - ex, s - ex) * p.w * p.dx) / p.integrate(ufl.inner(ex, ex) * p.w * p.dx))


# ----------------------------------------------------------------------------- 1. solid sphere
def test_solid_sphere_galvanostatic(comm):
    """Centre radial and surface hoop stress within 1 % at tau = 0.05 and 0.2, at the equator
    and at the pole (measured <= 1.6e-3 centre, 7e-4 surface at mesh_size 0.05 um,
    surface_mesh_size 0.03 um, dt = 0.125 s)."""
    p = AxisymProblem(_design(), comm, mesh_size=0.05, surface_mesh_size=0.03)
    for tau in (0.05, 0.2):
        _lithiate(p, tau * R**2 / D, 0.125)
        sr, st = _exact_solid([0.0, R], p.t)
        for along in ("equator", "axis"):
            prof = p.profiles(along)
            assert abs(prof["r"][0]) < 1e-9 * R and prof["r"][-1] == pytest.approx(R, rel=1e-12)
            assert prof["sigma_r"][0] == pytest.approx(sr[0], rel=0.01), (tau, along)
            assert prof["sigma_t"][-1] == pytest.approx(st[1], rel=0.01), (tau, along)
    p.destroy()


def test_solid_sphere_mesh_order(comm):
    """Coupled diffusion + mechanics at tau = 0.2: the relative L2 error of (sigma_rr,
    sigma_hoop) against the series falls as h^2 (P2, curved edges); measured 1.0e-2, 2.3e-3,
    5.4e-4 at uniform h = 0.2, 0.1, 0.05 um (rates 2.18, 2.05 at dt = 0.25 s; the same to 3
    digits at dt = 0.0625 s: the time error is negligible here)."""
    errs = []
    for h in (0.2, 0.1, 0.05):
        p = AxisymProblem(_design(), comm, mesh_size=h, surface_mesh_size=h)
        _lithiate(p, 20.0, 0.25)
        errs.append(_rel_l2_stress_error(p))
        p.destroy()
    rates = np.log2(np.array(errs[:-1]) / errs[1:])
    assert errs[-1] < 1e-3 and rates.min() > 1.8, (errs, rates)


# ----------------------------------------------------------------------------- 2. layers
def test_three_layers_uniform_eigenstrain(comm):
    """Core + 200 nm + 100 nm coatings, uniform core eigenstrain, against the Lame solution
    along the equator and the axis: every nodal radial and hoop stress within 0.5 % of the
    largest stress (measured 1.9e-3 radial, 9.9e-4 hoop at mesh_size 0.1 um, surface_mesh_size
    0.05 um), the hoop stress on both sides of both interfaces within 1 % of its own value
    (measured <= 8.1e-4)."""
    coats = [RadialLayer(200e-9, 100e9, 0.25), RadialLayer(100e-9, 20e9, 0.35)]
    d = _design(coatings=coats)
    p = AxisymProblem(d, comm, mesh_size=0.1, surface_mesh_size=0.05)
    assert p.regions == ["core", "coating1", "coating2"]
    theta = 0.01
    row = _swell(p, theta)
    exact = an.layered_sphere(d.breaks[1:], [80e9, 100e9, 20e9], [0.22, 0.25, 0.35], [p.beta * theta / 3, 0.0, 0.0])
    for along in ("equator", "axis"):
        prof = p.profiles(along)
        r, reg = prof["r"], prof["region"]
        sr, st = _exact_in_region(exact, d.breaks, r, reg)
        scale = np.abs(st).max()
        assert np.abs(prof["sigma_r"] - sr).max() < 5e-3 * scale, along
        assert np.abs(prof["sigma_t"] - st).max() < 5e-3 * scale, along
        for i, radius in enumerate(d.breaks[1:3]):
            at = np.flatnonzero(np.abs(r - radius) < 1e-9 * R)
            assert list(reg[at]) == [i, i + 1]
            for k, side in zip(at, ("left", "right")):
                assert prof["sigma_t"][k] == pytest.approx(exact.sigma_t(radius, side=side), rel=0.01), (along, radius)
    assert row["coating1_st_max_MPa"] == pytest.approx(exact.sigma_t(R, side="right") / 1e6, rel=0.01)
    assert row["core_sr_max_MPa"] == pytest.approx(exact.sigma_r(0.0) / 1e6, rel=0.01)
    assert row["core_sr_min_MPa"] == pytest.approx(exact.sigma_r(0.0) / 1e6, rel=0.01)
    p.destroy()


@pytest.mark.parametrize("layers", [2, 3])
def test_history_extremes_at_the_default_refinement(comm, layers):
    """The 3D test of test_layers.py in the twins: every history extreme of each region of the
    Lame core-shell (200 nm carbon) and three-layer (100 nm SiOx + 150 nm carbon) spheres at
    the default meridian mesh, against the closed form, relative to the region's stress scale
    (per-region patch recovery, `physics.recovery`; at least two elements through each layer).
    Measured: 2 layers <= 2.4e-3 core, 3.8e-3 coating (its radial stress at the interface 2.9e-3;
    6.5e-3 with nodal averages); 3 layers <= 1.1e-3 core, 2.8e-3 coating1, 2.4e-3 coating2.
    The 1D twin at its default grid: <= 8.4e-4 (2 layers, the coating's sr_min)."""
    coats = ([{"material": "carbon", "thickness": "200 nm"}] if layers == 2 else
             [{"material": "SiOx", "thickness": "100 nm"}, {"material": "carbon", "thickness": "150 nm"}])
    case = make_case(coating=coats)
    d = design_from_case(case)
    mats = [case.particle.material] + [c.material for c in case.coatings]
    radii = list(d.breaks[1:])
    tol = {2: {"core": 1e-2, "coating": 1e-2}, 3: {"core": 1e-2, "coating1": 1e-2, "coating2": 6e-3}}[layers]
    for model in ("2d", "1d"):  # the 1D twin at its default grid: measured <= 8.4e-4, held to 2e-3
        if model == "2d":
            p = AxisymProblem(d, comm)
            row = _swell(p, 0.01)
        else:
            p = RadialProblem(d)
            p.theta.x.array[:] = 0.0
            p.theta.x.array[np.unique(p.V.dofmap.list[p.cells["core"]])] = 0.01
            p.solve_mechanics()
            row = p.scalars()
        exact = an.layered_sphere(radii, [m.si("youngs_modulus") for m in mats], [m.si("poisson_ratio") for m in mats],
                                  [p.beta * 0.01 / 3] + [0.0] * len(case.coatings))
        for i, region in enumerate(p.regions):
            err = extreme_errors(row, region, lambda r, side: (exact.sigma_r(r, side=side),
                                                               exact.sigma_t(r, side=side)), ([0.0] + radii)[i], radii[i])
            if comm.rank == 0:
                print(f"\n[{layers} layers, {model}] {region}: " + ", ".join(f"{k} {err[k]:+.2e}" for k in EXTREMES))
            for k in EXTREMES:
                assert abs(err[k]) < (tol[region] if model == "2d" else 2e-3), (model, region, k, err[k])
        p.destroy()


def test_galvanostatic_centre_stress_at_the_default_mesh(comm):
    """The history's largest radial stress of the galvanostatic solid sphere (its centre
    stress) at tau = 0.1, default meridian mesh, dt = 0.5 s: within 0.5 % of the series
    (measured -3.2e-3 from the patch recovery, -2.6e-3 from nodal averages; -5.3e-3 at dt = 1 s,
    where the time error adds)."""
    p = AxisymProblem(_design(), comm)
    _lithiate(p, 10.0, 0.5)
    sr, _ = _exact_solid([0.0, R], p.t)
    row = p.scalars()
    p.destroy()
    if comm.rank == 0:
        print(f"\n[galvanostatic 2D] centre stress error {row['core_sr_max_MPa'] / (sr[0] / 1e6) - 1:+.2e}")
    assert row["core_sr_max_MPa"] == pytest.approx(sr[0] / 1e6, rel=5e-3)


@pytest.mark.slow
@pytest.mark.parametrize("cavity", ["sealed", "open"])
def test_hollow_history_extremes_at_the_default_refinement(comm, cavity):
    """The 3D test of test_designs.py in the twins: every history extreme of the galvanostatic
    hollow sphere (rho = a/b = 0.5, 1C to tau = D t / b^2 = 0.1, dt = 0.5 s; B2.1 with the
    series concentration) at the default mesh, relative to the stress scale. The cavity is
    meshed at 1/24 of its radius (`geometry.builders.cavity_mesh_size`). Measured: 2D open
    <= 3.3e-3 (vm_max at the outer surface; sigma_r at the cavity 3.1e-5, 1.46e-2 with the
    cavity at the outer surface's size), sealed <= 1.7e-3; 1D <= 5.0e-4 open, 5.9e-4 sealed."""
    a, b = 0.5e-6, 1e-6
    d = design_from_case(make_case(geometry={"inner_radius": "0.5 um", "inner_surface": cavity}))
    tol = {("2d", "open"): 8e-3, ("2d", "sealed"): 5e-3}
    for model in ("2d", "1d"):
        p = AxisymProblem(d, comm) if model == "2d" else RadialProblem(d)
        _lithiate(p, 10.0, 0.5)
        row = p.scalars()
        J = p.flux_for(1.0) * 1e-6 * d.max_concentration  # mol m^-2 s^-1, on each flux surface
        p.destroy()
        exact = lambda r, side: an.hollow_sphere_galvanostatic_stress(  # noqa: E731
            r, p.t, a, b, D, J, J if cavity == "open" else 0.0, d.youngs_modulus, d.poisson_ratio,
            d.partial_molar_volume)
        err = extreme_errors(row, "core", exact, a, b)
        if comm.rank == 0:
            print(f"\n[hollow {cavity}, {model}] " + ", ".join(f"{k} {err[k]:+.2e}" for k in EXTREMES))
        for k in EXTREMES:
            assert abs(err[k]) < tol.get((model, cavity), 1.5e-3), (model, k, err[k])


def _exact_in_region(exact, breaks, r, region):
    """Exact (sigma_r, sigma_t) at radii r in the given regions (a node on an interface is in
    both): r is clipped to the region's interval, whose inner end is taken from the outside."""
    sr, st = np.empty(r.size), np.empty(r.size)
    for i, (ri, g) in enumerate(zip(r, region)):
        rc = min(max(ri, breaks[g]), breaks[g + 1])
        side = "right" if g > 0 and rc == breaks[g] else "left"
        sr[i], st[i] = exact.sigma_r(rc, side=side), exact.sigma_t(rc, side=side)
    return sr, st


# ----------------------------------------------------------------------------- 3. SEI membrane
@pytest.mark.parametrize("sei", ["sei-carbonate", "sei-ether"])
def test_sei_membrane_solid(comm, sei):
    """Uniformly swelling sphere with a 20 nm film: the membrane strains (meridional and hoop)
    equal the thin-shell equilibrium e* / (1 + 2 h E_s (1 - 2 nu_c) / ((1 - nu_s) R E_c)) and the
    film stress E_s e / (1 - nu_s), to 1e-5 (measured <= 1e-7 at the default mesh)."""
    case = make_case(sei={"material": sei, "thickness": "20 nm"})
    d = design_from_case(case)
    p = AxisymProblem(d, comm)
    row = _swell(p, 0.01)
    s = d.sei
    e = p.beta * 0.01 / 3 / (1 + 2 * s.thickness * s.youngs_modulus * (1 - 2 * d.poisson_ratio)
                             / ((1 - s.poisson_ratio) * d.radius * d.youngs_modulus))
    sigma = an.membrane_equibiaxial_stress(s.youngs_modulus, s.poisson_ratio, e) / 1e6
    for key, ref in (("sei_strain_max", e), ("sei_strain_min", e), ("sei_stress_max_MPa", sigma),
                     ("sei_stress_min_MPa", sigma)):
        assert row[key] == pytest.approx(ref, rel=1e-5), key
    p.destroy()


def test_sei_membrane_open_hollow(comm):
    """Open hollow sphere (a = R/2), films on both surfaces, uniform swelling: u = A r + B/r^2
    with sigma_r(b) = -M u(b)/b^2 and sigma_r(a) = +M u(a)/a^2, M = 2 h E_s/(1 - nu_s); strains
    and stress to 2e-4 (measured 5e-6 outer, 5.9e-5 inner at the default mesh)."""
    a, b, h, Es, nus = 0.5 * R, R, 20e-9, 5e9, 0.3
    p = AxisymProblem(_design(r_inner=a, inner_surface="open", sei=RadialLayer(h, Es, nus)), comm)
    row = _swell(p, 0.01)
    E, nu = SI["youngs_modulus"], SI["poisson_ratio"]
    K3, G4, M, es = E / (1 - 2 * nu), 2 * E / (1 + nu), 2 * h * Es / (1 - nus), p.beta * 0.01 / 3
    lhs = np.array([[K3 + M / b, -G4 / b**3 + M / b**4], [K3 - M / a, -G4 / a**3 - M / a**4]])
    A, B = np.linalg.solve(lhs, [K3 * es, K3 * es])
    e_in, e_out = A + B / a**3, A + B / b**3
    assert row["sei_strain_max"] == pytest.approx(max(e_in, e_out), rel=2e-4)
    assert row["sei_strain_min"] == pytest.approx(min(e_in, e_out), rel=2e-4)
    assert row["sei_stress_min_MPa"] == pytest.approx(Es * min(e_in, e_out) / (1 - nus) / 1e6, rel=2e-4)
    p.destroy()


# ----------------------------------------------------------------------------- 4. inventory
def test_inventory_equals_integrated_flux(comm):
    """Open hollow, coated core with SEI: lithiate, rest, delithiate with changing steps; the ions
    in the particle equal the initial ones plus the integrated current to 1e-10 (relative), with
    the discrete core volume (which is within 1e-6 of 4 pi (R^3 - a^3) / 3)."""
    a = 0.3 * R
    d = _design(r_inner=a, inner_surface="open", initial_soc=0.2,
                coatings=[RadialLayer(50e-9, 100e9, 0.25)], sei=RadialLayer(10e-9, 5e9, 0.3))
    p = AxisymProblem(d, comm)
    assert p.core_volume == pytest.approx(4 * np.pi * (1 - 0.3**3) / 3, rel=1e-6)  # um^3
    assert p.flux_area == pytest.approx(4 * np.pi * (1 + 0.3**2), rel=1e-6)
    ion_1C = d.max_concentration * p.core_volume * 1e-18 / 3600  # mol/s at 1C
    applied = p.scalars()["ions_mol"]
    assert applied == pytest.approx(0.2 * ion_1C * 3600, rel=1e-12)
    for dt, rate, n in ((0.5, 2.0, 6), (0.2, 2.0, 5), (1.0, 0.0, 3), (0.3, -1.0, 7), (0.7, -1.0, 4)):
        for _ in range(n):
            p.advance(dt, rate)
            applied += rate * ion_1C * dt
            row = p.scalars()
            assert abs(row["ions_mol"] - applied) <= 1e-10 * applied
    assert row["soc"] == pytest.approx(applied / (ion_1C * 3600), rel=1e-10)
    p.destroy()


# ----------------------------------------------------------------------------- 5. 1D and 3D twins
@pytest.mark.slow
def test_matches_1d_and_3d(comm, capsys):
    """Coated sphere (200 nm carbon, 20 nm SEI), 1C for 10 s at dt 0.5 s, 2D (default mesh,
    radius/6 inside, radius/12 at the surface: 896 displacement dofs) vs the 1D twin and the 3D
    octant at mesh_size 0.25 um (10503).

    soc to 1e-9 (all three exact); volume change and the means of the core and coating hoop
    stress over the interface and of the SEI strain over the surface within 1 %, 2D vs 1D and
    3D vs 2D. Measured 2D vs 1D: volume change 5e-7, means <= 1.5e-3; 3D vs 2D means <= 1.9e-3.
    Nodal extremes are single DG nodes and carry each mesh's discretisation error: 2D vs 1D
    <= 5.5e-3 (core_sr_max, the interior maximum, set by mesh_size: 1.9e-3 at 0.1 um; the
    interface and surface keys fall to <= 1.6e-4 at surface_mesh_size 0.02 um), held to 1.5 %;
    3D vs 1D 2.6 % (core_st_min, as in test_radial), held to 3.5 %."""
    from seifem.geometry import build
    from seifem.problem.particle import ParticleProblem
    from seifem.problem.quantities import Quantities

    case = make_case(coating={"material": "carbon", "thickness": "200 nm"},
                     sei={"material": "sei-carbonate", "thickness": "20 nm"},
                     geometry={"mesh_size": "0.25 um"})
    d = design_from_case(case)

    def timed(p, sync):
        t0 = time.perf_counter()
        _lithiate(p, 10.0, 0.5)
        dt = time.perf_counter() - t0
        return (comm.allreduce(dt, op=MPI.MAX) if sync else dt) / 20

    p1 = RadialProblem(d, comm)
    t1 = timed(p1, False)
    r1, prof1 = p1.scalars(), p1.profiles()
    p2 = AxisymProblem(d, comm)
    t2 = timed(p2, True)
    r2 = p2.scalars()
    p3 = ParticleProblem(case, build(case, comm))
    t3 = timed(p3, True)
    q = Quantities(p3)
    q.update()
    r3 = q.scalars()
    from seifem.problem.indicators import indicators_from_row

    assert set(r2) == set(r1)  # the twins' rows; the models add the failure indicators from the row
    assert set(r1) | set(indicators_from_row(r1, case)) == set(r3)

    def at(prof, side):  # nodal hoop stress at the interface r = R, core ("left") or coating side
        hit = np.flatnonzero(np.abs(prof["r"] - R) < 1e-9 * R)
        return prof["sigma_t"][hit[0] if side == "left" else hit[-1]] / 1e6

    mean1 = {"core": at(prof1, "left"), "coating": at(prof1, "right"), "sei_strain": r1["sei_strain_max"]}
    mean2 = {reg: _interface_mean2(p2, reg) for reg in ("core", "coating")}
    n = ufl.FacetNormal(p2.mesh)
    e_s, e_h = af.membrane_strains(p2.u, p2.r, n)
    ds = p2.ds(af.CURVE_TAGS["outer"])
    mean2["sei_strain"] = p2.integrate((e_s + e_h) / 2 * p2.w * ds) / p2.integrate(p2.w * ds)
    mean3 = {reg: _interface_mean3(p3, reg) for reg in ("core", "coating")}
    n3 = ufl.FacetNormal(p3.geo.mesh)
    ds3 = p3.geo.ds("outer")
    mean3["sei_strain"] = (p3.integrate(ufl.tr(membrane_strain(mech.eps(p3.u), n3)) / 2 * ds3)
                           / p3.integrate(fem.Constant(p3.geo.mesh, 1.0) * ds3))
    keys = ("soc", "volume_change", "core_sr_max_MPa", "core_st_min_MPa", "coating_st_max_MPa", "coating_vm_max_MPa",
            "sei_strain_max", "sei_strain_min", "sei_stress_max_MPa")
    if comm.rank == 0:
        with capsys.disabled():
            print(f"\n[axisymmetric twin] time per step (dt 0.5 s, {comm.size} rank(s)): "
                  f"1D {t1 * 1e3:.3f} ms ({p1.V.dofmap.index_map.size_local} dofs), "
                  f"2D {t2 * 1e3:.2f} ms ({p2.dofs['displacement']} + {p2.dofs['concentration']} dofs), "
                  f"3D {t3 * 1e3:.1f} ms ({p3.W.dofmap.index_map.size_global * 3} dofs); "
                  f"3D/2D {t3 / t2:.0f}, 2D/1D {t2 / t1:.0f}")
            for k in keys:
                print(f"  {k:20s} 1D {r1[k]:+.6g}  2D {r2[k]:+.6g}  3D {r3[k]:+.6g}  "
                      f"2D/1D-1 {r2[k] / r1[k] - 1:+.2e}  3D/1D-1 {r3[k] / r1[k] - 1:+.2e}")
            for k in mean2:
                print(f"  mean {k:15s} 1D {mean1[k]:+.6g}  2D {mean2[k]:+.6g}  "
                      + (f"3D {mean3[k]:+.6g}  3D/2D-1 {mean3[k] / mean2[k] - 1:+.2e}  " if k in mean3 else "")
                      + f"2D/1D-1 {mean2[k] / mean1[k] - 1:+.2e}")
    assert r2["soc"] == pytest.approx(r1["soc"], rel=1e-9) and r3["soc"] == pytest.approx(r2["soc"], rel=1e-9)
    assert r2["volume_change"] == pytest.approx(r1["volume_change"], rel=0.01)
    assert r3["volume_change"] == pytest.approx(r2["volume_change"], rel=0.01)
    for k in mean2:
        assert mean2[k] == pytest.approx(mean1[k], rel=0.01), k
        if k in mean3:
            assert mean3[k] == pytest.approx(mean2[k], rel=0.01), k
    for k in keys[2:]:
        assert r2[k] == pytest.approx(r1[k], rel=0.015), k
        assert r3[k] == pytest.approx(r1[k], rel=0.035), k
    for p in (p1, p2, p3):
        p.destroy()


def _interface_mean2(p: AxisymProblem, region: str) -> float:
    """Mean hoop stress (MPa) over the 2D core/coating interface (weight 2 pi r), `region` side."""
    ind = fem.Function(fem.functionspace(p.mesh, ("DG", 0)))
    ind.x.array[p.cells[region]] = 1.0
    hoop = mech.radial_hoop(p.stress(region), ufl.as_vector([p.x[0], p.x[1], 0]))[1] * 1e3
    dS = p.dS(af.CURVE_TAGS["interface"])
    side = ind("+") * hoop("+") * p.w("+") + ind("-") * hoop("-") * p.w("-")
    return p.integrate(side * dS) / p.integrate((ind("+") + ind("-")) * p.w("+") * dS)


def _interface_mean3(p, region: str) -> float:
    """Mean hoop stress (MPa) over the 3D core/coating interface from the `region` side."""
    x = ufl.SpatialCoordinate(p.geo.mesh)
    expr = mech.radial_hoop(p.stress(region), x)[1] * 1e3
    ind = fem.Function(fem.functionspace(p.geo.mesh, ("DG", 0)))
    ind.x.array[p.geo.cells(region)] = 1.0
    dS = p.geo.dS("interface")
    return p.integrate((ind("+") * expr("+") + ind("-") * expr("-")) * dS) / p.integrate((ind("+") + ind("-")) * dS)


# ----------------------------------------------------------------------------- 6. spheroid
@pytest.mark.parametrize("coated", [False, True])
def test_spheroid(comm, coated):
    """Prolate spheroid, aspect 1.5 (coated: a 100 nm coating of uniform thickness and a 10 nm SEI):
    the discrete volume is 4 pi R^3 aspect / 3, the inventory follows the current to 1e-10
    through lithiation and delithiation, and the state is no longer spherically symmetric
    (the poles fill faster than the flatter equator)."""
    kw = dict(coatings=[RadialLayer(100e-9, 100e9, 0.25)], sei=RadialLayer(10e-9, 5e9, 0.3)) if coated else {}
    d = _design(**kw)
    p = AxisymProblem(d, comm, aspect_ratio=1.5)
    assert p.core_volume == pytest.approx(4 * np.pi * 1.5 / 3, rel=1e-5)  # um^3
    ion_1C = d.max_concentration * p.core_volume * 1e-18 / 3600
    for _ in range(10):
        p.advance(0.5, 1.0)
    row = p.scalars()
    assert row["ions_mol"] == pytest.approx(ion_1C * 5.0, rel=1e-10)
    eq, ax = p.profiles("equator"), p.profiles("axis")
    pole = 1.5 * d.radius + (d.outer_radius - d.radius)  # the coating is an offset layer
    assert ax["r"][-1] == pytest.approx(pole, rel=1e-12)
    assert eq["r"][-1] == pytest.approx(d.outer_radius, rel=1e-12)
    surf = [np.flatnonzero(prof["region"] == 0)[-1] for prof in (eq, ax)]
    assert ax["theta"][surf[1]] > 1.1 * eq["theta"][surf[0]]
    if not coated:  # (a uniform coating clamps the core surface: its hoop stress differs by < 1 % there)
        assert abs(ax["sigma_t"][surf[1]] / eq["sigma_t"][surf[0]] - 1) > 0.05
    assert row["surface_soc_max"] > 1.1 * row["surface_soc_min"]
    f = p.fields()
    if comm.rank == 0:
        assert f["triangles"].max() < f["r"].size and f["z"].max() == pytest.approx(pole)
        assert set(f["region"]) == set(range(len(p.regions)))
    else:
        assert f == {}
    for _ in range(4):
        p.advance(0.5, -2.0)
    assert p.scalars()["ions_mol"] == pytest.approx(ion_1C * 1.0, rel=1e-10)
    p.destroy()


def test_spheroid_to_sphere(comm):
    """aspect 1.0001 agrees with the sphere (aspect 1) to 1e-3 in every column (stresses to
    0.01 MPa absolute; measured <= 1.4e-4: the spheroid's mesh is the sphere's scaled along
    the axis, so the difference is the O(aspect - 1) physics)."""
    rows = []
    for aspect in (1.0, 1.0001):
        p = AxisymProblem(_design(), comm, aspect_ratio=aspect)
        for _ in range(10):
            p.advance(0.5, 1.0)
        rows.append(p.scalars())
        p.destroy()
    for k, v in rows[0].items():
        assert rows[1][k] == pytest.approx(v, rel=1e-3, abs=1e-2 if k.endswith("_MPa") else 0.0), k


def test_state_roundtrip(comm):
    """snapshot / restore give the same next step; the history keys are the 1D twin's."""
    d = _design(coatings=[RadialLayer(100e-9, 100e9, 0.25)], sei=RadialLayer(10e-9, 5e9, 0.3))
    p = AxisymProblem(d, comm)
    assert set(p.scalars()) == set(RadialProblem(d, comm).scalars())
    for _ in range(3):
        p.advance(0.5, 1.0)
    snap = p.snapshot()
    p.advance(0.5, 1.0)
    first = p.scalars()
    p.restore(snap)
    assert p.t == pytest.approx(1.5)
    p.advance(0.5, 1.0)
    assert p.scalars() == pytest.approx(first, rel=1e-12)
    p.destroy()

"""Phase-field fracture of the 3D particle at finite strain (`problem.particle_fracture` with
physics.mechanics = "finite-strain": F = F_e F_ch, F_ch = J_ch^(1/3) I, the decoupled neo-Hookean
energy J_ch psi(F_e) per reference volume split volumetric-deviatoric, AT1), on the octant of
the 1 um Si particle, P2 on curved cells at a coarse mesh (0.5 um, 0.25 um at the surface):

- a free sphere swelling uniformly to J_ch = 3 (full lithiation of Si): stress-free, d = 0;
- the same core confined by a stiff coating (ZrO2, 300 nm) swelling to J_ch = 3: hydrostatic
  compression (17 GPa), d = 0, where the volumetric energy without the split would exceed the
  damage threshold 560 times;
- the coated core shrinking (J_ch < 1): homogeneous hydrostatic tension; damage starts at the
  closed-form elastic volume ratio ln J_e,c = sqrt(3 G_c / (8 l K J_ch))
  (`analytic.fracture.finite_hydrostatic_onset`);
- at small misfit the finite-strain history agrees with the small-strain one to first order in
  the misfit, and damage never decreases on unloading.

All collective (serial and 2 ranks); slow (the curved P2 meshes and Newton at finite strain).
"""

from __future__ import annotations

import numpy as np
import pytest
import ufl
from dolfinx import fem
from mpi4py import MPI

from helpers import make_case
from seifem.analytic.fracture import finite_hydrostatic_onset
from seifem.physics import finite_strain as fs
from seifem.physics import phase_field as pf

pytestmark = pytest.mark.slow

GEOMETRY = {"mesh_size": "0.5 um", "surface_mesh_size": "0.25 um"}
ZRO2 = {"material": "ZrO2", "thickness": "300 nm"}
L_UM = 0.5  # phase-field length (um): 2 x the surface element size
MD = {"quadrature_degree": 4}  # the solve's volume quadrature for P2


def _particle(comm, mechanics="finite-strain", soc0=0.0, gc="8.5 J/m^2", **sections):
    from seifem.geometry import build
    from seifem.problem.particle import ParticleProblem

    case = make_case(particle={"initial_soc": soc0, "fracture_energy": gc}, geometry=GEOMETRY,
                     physics={"mechanics": mechanics}, fracture={"length_scale": f"{L_UM} um"}, **sections)
    return ParticleProblem(case, build(case, comm))


def _mean(p, expr, region="core") -> float:
    """Volume mean of a UFL scalar over a region (collective)."""
    dx = p.geo.dx(region)(metadata=MD)
    return p.integrate(expr * dx) / p.integrate(fem.Constant(p.geo.mesh, 1.0) * dx)


def _d_max(p) -> float:
    return p.comm.allreduce(float(p.fracture.d.x.array.max(initial=0.0)), op=MPI.MAX)


def _elastic_jacobian(p):
    """J_e = det F / J_ch in the core (UFL)."""
    return ufl.det(fs.deformation_gradient(p.u)) / fs.chemical_jacobian(p.beta, p.theta, p.theta0)


def test_free_swelling_to_full_lithiation_does_not_crack(comm):
    """Uniform theta in 5 steps to J_ch = 3.0 (theta = 0.712, beta = 2.81): F = F_ch exactly
    (isoparametric P2 holds u = (J_ch^(1/3) - 1) X), so the stress is 0 and d = 0 exactly.
    Measured: rms Cauchy stress ~1e-13 GPa (tolerance 1e-9 GPa, E = 80 GPa); det F - 1 = J_ch - 1
    to ~1e-15 (tolerance 1e-9)."""
    p = _particle(comm)
    sigma = p.stress("core")
    for theta in np.linspace(0, 2.0 / p.beta, 6)[1:]:
        p.theta.x.array[:] = theta
        p.solve_mechanics()
        J_ch = 1 + p.beta * theta
        assert _d_max(p) == 0.0
        assert _mean(p, ufl.inner(sigma, sigma)) ** 0.5 < 1e-9
        assert _mean(p, p.volume_change_density()) == pytest.approx(J_ch - 1, abs=1e-9)
    assert J_ch == pytest.approx(3.0, abs=1e-3)
    p.destroy()


def test_confined_swelling_does_not_crack(comm):
    """The core inside a 300 nm ZrO2 coating (200 GPa) swelling uniformly to J_ch = 3 in 5
    steps: the core is compressed hydrostatically (J_e 0.76, pressure 17 GPa at the end; the
    deviatoric stress of the discretisation ~0.014 GPa rms, curved P2), d = 0 exactly. Without
    the split the volumetric energy K/2 (ln J_e)^2 = 1.8 GPa would exceed the AT1 threshold
    3 G_c / (16 l) = 3.2e-3 GPa (Si, G_c = 8.5 J/m^2) about 560 times. Measured on a faceted
    mesh (P1, geometry.order = 1) the deviatoric error (0.3 GPa) does damage the core: the check
    needs the curved interface."""
    p = _particle(comm, coating=ZRO2)
    sigma = p.stress("core")
    K = 80.0 / (3 * (1 - 2 * 0.22))
    for theta in np.linspace(0, 2.0 / p.beta, 6)[1:]:
        p.theta.x.array[:] = theta
        p.solve_mechanics()
        assert _d_max(p) == 0.0
    Je, pressure = _mean(p, _elastic_jacobian(p)), -_mean(p, ufl.tr(sigma) / 3)
    assert Je < 0.8 and pressure > 15.0
    psi_vol = K / 2 * np.log(Je) ** 2
    assert psi_vol > 100 * pf.damage_threshold(8.5e-3, L_UM, "AT1")
    p.destroy()


def _state(p):
    return [f.x.array.copy() for f in (p.u, p.fracture.d, p.fracture.solver.d_n)]


def _restore(p, arrays):
    for f, a in zip((p.u, p.fracture.d, p.fracture.solver.d_n), arrays):
        f.x.array[:] = a
        f.x.scatter_forward()


def test_onset_under_hydrostatic_tension(comm):
    """The coated core (G_c raised to 1000 J/m^2 so that the onset is at a finite stretch,
    ln J_e,c ~ 0.14) shrinks from theta0 = 0.5: J_ch = 1 + beta (theta - 0.5) < 1, and the coating
    holds it in hydrostatic tension, J_e = det F / J_ch > 1. Bisection on theta (12 halvings)
    for the largest undamaged shrinkage; there the core's mean J_e against the closed form
    exp(sqrt(3 G_c / (8 l K J_ch))) at that J_ch. Measured (serial): onset at theta 0.41723,
    J_ch 0.7676, J_e 1.15390 against 1.15401: ln J_e / ln J_e,c - 1 = -6.5e-4 (tolerance 1 %, the
    issue's). The small-strain threshold would put it at a different J_e (the J_ch in the
    criterion moves it by 14 %)."""
    p = _particle(comm, soc0=0.5, gc="1000 J/m^2", coating=ZRO2)
    try:
        _onset(comm, p)  # near onset the d-problem's inactive set is a few dofs (why it takes CG + Jacobi)
    finally:
        p.destroy()


def _onset(comm, p):
    K = 80.0 / (3 * (1 - 2 * 0.22))
    Gc = 1000.0 * 1e-3  # GPa um

    def load(theta, commit=True):
        p.theta.x.array[:] = theta
        if commit:
            p.solve_mechanics()
        else:
            p.fracture.solve()

    hi = lo = None
    saved = _state(p)
    for theta in np.arange(0.49, 0.30, -0.01):  # coarse steps until it damages
        load(theta)
        if _d_max(p) > 0:
            hi = theta
            break
        lo, saved = theta, _state(p)
    assert hi is not None and lo is not None
    for _ in range(12):
        mid = 0.5 * (lo + hi)
        _restore(p, saved)
        load(mid, commit=False)
        if _d_max(p) > 1e-12:
            hi = mid
        else:
            lo, saved = mid, _state(p)
    _restore(p, saved)
    load(lo, commit=False)
    assert _d_max(p) <= 1e-12
    J_ch = 1 + p.beta * (lo - 0.5)
    Je = _mean(p, _elastic_jacobian(p))
    Je_c = finite_hydrostatic_onset(K, Gc, L_UM, J_ch)
    err = np.log(Je) / np.log(Je_c) - 1
    print(f"onset: theta {lo:.6f}, J_ch {J_ch:.5f}, J_e {Je:.6f}, closed form {Je_c:.6f}, ln ratio - 1 = {err:.3e}")
    assert J_ch < 0.85 and Je_c > 1.1
    assert abs(err) < 1e-2


AMPLITUDES = [0.85, 1.0, 1.25, 1.5, 2.0, 1.0, 0.0]


def _history(comm, mechanics, s):
    """A delithiated shell theta = 0.5 - A r^2 / R^2 (the surface shrinks onto the centre: hoop
    tension at the surface), beta A = 0.02 s x the amplitudes above, then unloaded; G_c = s^2 J/m^2
    (small strain is then the same history for every s). (damage_max, crack_area_um2,
    cracked_volume_fraction) per load, and the largest decrease of d between loads."""
    p = _particle(comm, mechanics, soc0=0.5, gc=f"{s * s} J/m^2")
    x = p.V.tabulate_dof_coordinates()
    r2 = (x**2).sum(axis=1)
    out, drop, d_prev = [], 0.0, p.fracture.d.x.array.copy()
    for a in AMPLITUDES:
        p.theta.x.array[:] = 0.5 - 0.02 * s * a / p.beta * r2
        p.solve_mechanics()
        sc = p.fracture.scalars()
        out.append((sc["damage_max"], sc["crack_area_um2"], sc["cracked_volume_fraction"]))
        drop = min(drop, comm.allreduce(float(np.min(p.fracture.d.x.array - d_prev)), op=MPI.MIN))
        d_prev = p.fracture.d.x.array.copy()
    p.destroy()
    return np.array(out), drop


def test_small_misfit_matches_small_strain_to_first_order(comm):
    """The same load history at small and finite strain, misfit scale s = 1 and 1/2 (surface
    misfit 2 % and 1 % at amplitude 1). The relative difference R_s = finite / small - 1 of
    damage_max and crack area at every damaged load is O(s): R_1/2 / R_1 = 1/2 to first order.
    Measured (serial): damage_max 0.0137 ... 0.813 (small strain), R_1 = +7.4 % ... +0.47 %,
    R_1/2 / R_1 = 0.497-0.502; crack area R_1 = +15 % ... +0.48 %, ratio 0.496-0.503 (tolerance
    |ratio - 1/2| < 0.012, 3x the measured second-order part; |R_1| < 0.2): the finite-strain
    particle damages slightly more at every load. cracked_volume_fraction (d > 0.95) stays 0 in all three at
    this coarse mesh. Damage never decreases (on unloading to 0 it stays)."""
    small, _ = _history(comm, "small-strain", 1.0)
    f1, drop1 = _history(comm, "finite-strain", 1.0)
    f2, drop2 = _history(comm, "finite-strain", 0.5)
    assert drop1 >= 0.0 and drop2 >= 0.0
    assert np.all(f1[-1] == f1[-3]) and np.all(f2[-1] == f2[-3])  # unloaded: nothing heals
    damaged = small[:, 0] > 1e-2
    assert damaged.sum() >= 4
    for col, name in ((0, "damage_max"), (1, "crack_area")):
        r1 = f1[damaged, col] / small[damaged, col] - 1
        r2 = f2[damaged, col] / small[damaged, col] - 1
        print(name, "small", small[damaged, col], "R_1", r1, "R_1/2", r2, "ratio", r2 / r1)
        assert np.all(np.abs(r1) < 0.2)
        assert np.all(np.abs(r2 / r1 - 0.5) < 0.012)
    print("cracked volume fraction small / finite 1 / finite 1/2:", small[:, 2], f1[:, 2], f2[:, 2])

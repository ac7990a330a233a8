"""Phase-field fracture in the 2D axisymmetric twin (`problem.axisym_fracture`).

A Si core with a stiff 100 nm coating under a uniform core eigenstrain is the Lame problem:
the core is in uniform hydrostatic stress s = k_L e* (k_L from `analytic.layered_sphere`),
its split energy psi+ = s^2 / (2 K) where s > 0 (a shrinking core pulls on the coating) and
0 where s < 0, so AT1 starts to damage, everywhere in the core at once, at
s_c = sqrt(3 K G_c / (8 l)) (psi+ = 3 G_c / (16 l)), and never under compression (a swelling
core pressed by its coating, or a free sphere swelling stress-free). Collective: serial and
on 2 ranks (the mesh is distributed), every check on allreduced numbers.
"""

from __future__ import annotations

import numpy as np
import pytest

from seifem import analytic as an
from seifem.case.fracture import Fracture
from seifem.problem.axisym_fracture import AxisymFracture
from seifem.reduced.axisym import AxisymProblem
from seifem.reduced.design import RadialDesign, RadialLayer

R, H = 1e-6, 100e-9  # m
E, NU, EC, NUC = 80e9, 0.22, 100e9, 0.25
C_MAX, OMEGA = 310970.0, 9.03e-6
BETA = OMEGA * C_MAX
GC, ELL = 8.5, 100e-9  # J/m^2, m


def _problem(comm, coated: bool = True) -> AxisymProblem:
    d = RadialDesign(radius=R, youngs_modulus=E, poisson_ratio=NU, diffusivity=1e-14, max_concentration=C_MAX,
                     partial_molar_volume=OMEGA, initial_soc=0.5, coatings=(RadialLayer(H, EC, NUC),) if coated else ())
    f = Fracture("AT1", ELL, ("core",))
    return AxisymProblem(d, comm, mesh_size=0.25, surface_mesh_size=0.05,
                         fracture=lambda p: AxisymFracture(p, f, {"core": GC}))


def _misfit(p: AxisymProblem, e: float) -> dict:
    p.theta.x.array[:] = p.theta0 + 3 * e / BETA  # uniform linear eigenstrain e; the coating ignores theta
    p.solve_mechanics()
    return p.scalars()


def _critical_misfit() -> tuple[float, float]:
    """(k_L, e_c): core stress per unit shrinkage and the AT1 onset shrinkage."""
    k = float(an.layered_sphere([R, R + H], [E, EC], [NU, NUC], [-1.0, 0.0]).sigma_r(R))
    K = E / (3 * (1 - 2 * NU))
    return k, np.sqrt(3 * K * GC / (8 * ELL)) / k


def test_shrinking_coated_core_damages_at_the_closed_form_onset(comm):
    """Onset bracketed within +-0.3 % of e_c (measured: undamaged at 0.999 e_c, damaged at
    1.001 e_c; the recovered core stress is uniform to 1.5e-3 on this mesh). Below it the
    core stress is the Lame one; past it the homogeneous AT1 state snaps to d ~ 0.98 (the
    unstable homogeneous branch) and the core unloads."""
    p = _problem(comm)
    k, e_c = _critical_misfit()
    row = _misfit(p, -0.997 * e_c)
    assert row["damage_max"] == 0.0 and row["crack_area_um2"] == 0.0
    for key in ("core_sr_max_MPa", "core_sr_min_MPa", "core_st_max_MPa", "core_st_min_MPa"):
        assert row[key] * 1e6 == pytest.approx(0.997 * k * e_c, rel=4e-3)  # measured <= 1.5e-3
    row = _misfit(p, -1.003 * e_c)
    p.destroy()
    assert row["damage_max"] > 0.9  # measured 0.978
    assert row["core_sr_max_MPa"] < 1e-2 * k * e_c / 1e6  # unloaded: measured 4 MPa of 1232
    assert row["fracture_iterations"] >= 2


@pytest.mark.parametrize("coated", [True, False], ids=["pressed-by-coating", "free-swelling"])
def test_compression_does_not_crack(comm, coated):
    """A swelling core, pressed by its coating (uniform hydrostatic compression up to 100 e_c)
    or free (stress-free uniform swelling up to e* = 0.47, theta 0.5 -> 1), keeps d = 0
    exactly; the pressed core carries the Lame pressure (measured 1.5e-3), the free one no
    stress (measured 1e-9 of E e*: round-off)."""
    p = _problem(comm, coated)
    k, e_c = _critical_misfit()
    loads = [e_c, 10 * e_c, 100 * e_c] if coated else [0.1, BETA / 6]
    for e in loads:
        row = _misfit(p, e)
        assert row["damage_max"] == 0.0 and row["crack_area_um2"] == 0.0
        if coated:
            assert row["core_sr_min_MPa"] * 1e6 == pytest.approx(-k * e, rel=4e-3)
        else:
            scale = E * e / 1e6
            assert max(abs(row[f"core_{c}_{m}_MPa"]) for c in ("sr", "st") for m in ("max", "min")) < 1e-8 * scale
    p.destroy()


def _fresh(comm, coated: bool = False, h: float = 0.05, sei: str = "none") -> AxisymProblem:
    d = RadialDesign(radius=R, youngs_modulus=E, poisson_ratio=NU, diffusivity=1e-15, max_concentration=C_MAX,
                     partial_molar_volume=OMEGA, initial_soc=0.8, coatings=(RadialLayer(H, EC, NUC),) if coated else ())
    f = Fracture("AT1", ELL, ("core",), sei_growth=sei)
    return AxisymProblem(d, comm, mesh_size=h, surface_mesh_size=h,
                         fracture=lambda p: AxisymFracture(p, f, {"core": GC}))


def _set_damage(p: AxisymProblem, where: str) -> None:
    """The optimal AT1 profile (1 - |s| / (2 l))^2 of a crack at distance s = 0: on the
    equatorial plane through the whole sphere (`equator`, one crack of area pi R^2 cutting the
    surface along the equator), the same stopping at 0.7 R (`short`), or a spherical shell of
    radius R/2 (`shell`); d and its lower bound both set (an initial crack)."""
    D = p.fracture.d.function_space
    x = D.tabulate_dof_coordinates()[:, :2]
    l = ELL / 1e-6

    def prof(s):
        return np.where(np.abs(s) < 2 * l, (1 - np.abs(s) / (2 * l)) ** 2, 0.0)

    val = {"equator": prof(x[:, 1]), "short": prof(x[:, 1]) * (x[:, 0] < 0.7),
           "shell": prof(np.hypot(x[:, 0], x[:, 1]) - 0.5)}[where]
    inside = p.fracture.solver._ub.x.array  # 1 on dofs of cracking cells
    for f in (p.fracture.d, p.fracture.solver.d_n):
        f.x.array[:] = val * inside
        f.x.scatter_forward()


@pytest.mark.parametrize("where", ["equator", "short", "shell", "under-coating"])
def test_open_crack_faces(comm, where):
    """The equatorial crack through the sphere cuts the surface: open faces 2 pi R^2 (its two
    faces; measured +1.9e-3 at h = l/2 uniform, the regularised area of the interpolated
    profile). A crack that stops inside, a buried shell, or the equatorial crack of a core
    under an intact coating is closed to the electrolyte: 0 exactly."""
    p = _fresh(comm, coated=where == "under-coating")
    _set_damage(p, "equator" if where == "under-coating" else where)
    row = p.fracture.scalars()
    p.destroy()
    assert row["crack_area_um2"] > 1.0  # a crack is there (pi R^2 for the equator)
    if where == "equator":
        assert row["crack_area_um2"] == pytest.approx(np.pi, rel=5e-3)
        assert row["open_crack_area_um2"] == pytest.approx(2 * np.pi, rel=5e-3)  # measured 1.9e-3
    else:
        assert row["open_crack_area_um2"] == 0.0


@pytest.mark.slow
def test_lithium_lost_to_crack_sei_is_conserved(comm):
    """A particle with the open equatorial crack, delithiated at 1C for 10 steps of 20 s while
    solvent-diffusion SEI grows on its 2 pi R^2 of faces (the run loop's order: grow on the
    last state, then the step with the SEI's lithium as a sink): particle + crack SEI =
    initial + applied to 1e-8 of the particle's lithium (measured 5e-15: round-off). The crack
    grows on delithiation (faces 6.4 -> 8.2 um^2), so the mean film is thinner than the
    growth law's on the first faces (1.36e-10 m vs 1.51e-10 m) and its lithium is exactly
    z/V x area x thickness."""
    from seifem.physics.sei_growth import SEIGrowthParameters, advance_thickness

    p = _fresh(comm, h=0.1, sei="solvent-diffusion")
    _set_damage(p, "equator")
    row0 = p.scalars()
    A = row0["open_crack_area_um2"] * 1e-12
    ions0, dt, n = row0["ions_mol"], 20.0, 10
    per_s = p.c_max * p.core_volume * 1e-18 / 3600.0  # mol/s at 1C
    for _ in range(n):
        lost = p.fracture.grow(dt, 0.1)
        p.advance(dt, -1.0, sink=lost / dt)
    row = p.scalars()
    p.destroy()
    applied = -per_s * n * dt
    err = (row["ions_mol"] + row["crack_sei_lost_mol"] - ions0 - applied) / ions0
    assert abs(err) < 1e-8
    prm = SEIGrowthParameters()
    L = prm.fresh_thickness  # covered in the first step at the fresh thickness, then grown n - 1 steps
    for _ in range(n - 1):
        L = float(advance_thickness(L, dt, "solvent-diffusion", prm))
    Lc, Ac = row["crack_sei_thickness_nm"] * 1e-9, p.fracture.sei.area
    assert Ac >= A and Lc <= L * (1 + 1e-12)  # the crack grows: newer faces carry thinner films
    assert row["crack_sei_lost_mol"] == pytest.approx(prm.z / prm.molar_volume * Ac * Lc, rel=1e-12)


def _onset_time(comm, h: float, dt: float, t_max: float) -> float:
    """First time (s) with damage on 1C delithiation from theta = 0.8 (D = 1e-15 m^2/s)."""
    p = _fresh(comm, h=h)
    while p.t < t_max:
        p.advance(dt, -1.0)
        if p.fracture.scalars()["damage_max"] > 0:
            break
    t = p.t
    p.destroy()
    return t


@pytest.mark.slow
def test_galvanostatic_onset_converges_to_the_closed_form(comm):
    """Damage starts where the galvanostatic sphere's surface hoop stress (closed form,
    `analytic.sphere_galvanostatic_stress`) reaches the equibiaxial AT1 onset
    sqrt(3 E G_c / (8 l)) / sqrt(2 (1 - nu)): t_c = 32.8 s. The P1 damage sees the steep surface
    stress averaged over its first element, so the discrete onset is late by O(h): measured
    (39, 40] s = +19..22 % at h = l/2 = 50 nm and (35, 36] s = +7..10 % at 25 nm (uniform
    meshes, 1 s steps; first order: with a 0.2 um interior and 0.5 s steps +10..11 % at 25 nm
    and +4..5 % at 12.5 nm). Asserted: late by at most 25 % and 14 %, the excess shrinking at
    least 1.5x from h to h/2 (measured 2.3x)."""
    from scipy.optimize import brentq

    J = an.c_rate_flux(1.0, C_MAX, R)
    sc = np.sqrt(3 * E * GC / (8 * ELL)) / np.sqrt(2 * (1 - NU))
    t_c = brentq(lambda t: -float(an.sphere_galvanostatic_stress(np.array([R]), np.array([t]), R, 1e-15, J, E, NU,
                                                                  OMEGA)[1][0]) - sc, 1.0, 200.0)
    late = [_onset_time(comm, h, 1.0, 1.5 * t_c) / t_c - 1 for h in (0.05, 0.025)]
    assert 0 < late[0] <= 0.25 and 0 < late[1] <= 0.14
    assert late[1] < late[0] / 1.5

"""The bilinear mixed-mode cohesive law (physics/cohesive.py) against its closed forms."""

import numpy as np
import pytest

from seifem.physics.cohesive import (
    CohesiveLaw,
    dissipated_energy,
    equilibrium_opening,
    mode_direction,
    stored_energy,
    traction,
)

LAW = CohesiveLaw(normal_strength=100e6, tangential_strength=60e6, normal_energy=1.0, tangential_energy=3.0,
                  normal_stiffness=1e17, tangential_stiffness=4e16, mixity_exponent=2.0)


def _path_work(direction, lam_max, n=2001):
    """Work sum t . d(delta) (trapezoid, nodes on the kinks lam = 1 and lam_f: exact for a
    piecewise-linear curve) along a proportional path in normalised separations, and the damage reached."""
    dn0, dt0 = LAW.onset
    lam_f = float(mode_direction(LAW, dn0 * direction[0], dt0 * direction[1])[3])
    lam = np.union1d(np.linspace(0.0, lam_max, n), [x for x in (1.0, lam_f) if x < lam_max])
    n = lam.size
    dn, dt = lam * dn0 * direction[0], lam * dt0 * direction[1]
    D, tn, tt = 0.0, np.empty(n), np.empty(n)
    for i in range(n):
        tn[i], tt[i], D = traction(LAW, dn[i], dt[i], D)
    return float(np.sum(0.5 * (tn[1:] + tn[:-1]) * np.diff(dn) + 0.5 * (tt[1:] + tt[:-1]) * np.diff(dt))), D, tn, tt


def test_mode_one_curve_is_the_bilinear_closed_form():
    dn0, dnf = LAW.onset[0], LAW.failure[0]
    delta = np.array([0.0, 0.5 * dn0, dn0, 0.5 * (dn0 + dnf), dnf, 2 * dnf])
    tn, tt, D = traction(LAW, delta, 0.0)
    expected = np.array([0.0, 50e6, 100e6, 50e6, 0.0, 0.0])  # linear rise to sigma_n, linear fall to 0 at 2 G/sigma
    assert np.allclose(tn, expected, rtol=0, atol=1e-6)  # measured 0 to 1.5e-8 Pa
    assert np.all(tt == 0) and D[-1] == 1.0


@pytest.mark.parametrize("direction", [(1.0, 0.0), (0.0, 1.0), (0.6, 0.8), (np.sqrt(0.5), np.sqrt(0.5))])
def test_work_to_failure_is_the_mixed_mode_energy(direction):
    """Along a proportional path the work to full separation is G_c(B) (Benzeggagh-Kenane) and
    the peak tractions meet the quadratic onset criterion."""
    _, _, B, lam_f = mode_direction(LAW, LAW.onset[0] * direction[0], LAW.onset[1] * direction[1])
    W, D, tn, tt = _path_work(direction, 1.2 * float(lam_f))
    Gc = LAW.normal_energy + (LAW.tangential_energy - LAW.normal_energy) * float(B) ** 2
    assert D == 1.0
    assert W == pytest.approx(Gc, rel=1e-12)  # exact up to rounding: measured < 1e-14
    i = int(np.argmax(np.hypot(tn, tt)))
    assert (tn[i] / LAW.normal_strength) ** 2 + (tt[i] / LAW.tangential_strength) ** 2 == pytest.approx(1.0, abs=1e-3)


@pytest.mark.parametrize("B", [0.0, 0.3, 1.0])
def test_dissipation_closed_form_along_a_partial_path(B):
    """Work to lam = work stored + dissipated_energy(D) at every point of the softening branch."""
    S1, S2 = LAW.normal_strength * LAW.onset[0], LAW.tangential_strength * LAW.onset[1]
    s2 = B * S1 / (B * S1 + (1 - B) * S2)
    direction = (np.sqrt(1 - s2), np.sqrt(s2))
    lam_f = float(mode_direction(LAW, LAW.onset[0] * direction[0], LAW.onset[1] * direction[1])[3])
    for lam_end in (0.5, 1.0, 0.5 * (1 + lam_f), 0.9 * lam_f):
        W, D, _, _ = _path_work(direction, lam_end)
        dn, dt = lam_end * LAW.onset[0] * direction[0], lam_end * LAW.onset[1] * direction[1]
        assert W == pytest.approx(float(stored_energy(LAW, dn, dt, D) + dissipated_energy(LAW, D, B)), rel=1e-12)  # measured < 1e-14
    assert float(dissipated_energy(LAW, 1.0, B)) == pytest.approx(
        LAW.normal_energy + (LAW.tangential_energy - LAW.normal_energy) * B**2, rel=1e-12)


def test_damage_is_irreversible_and_unloading_secant():
    dn0, dnf = LAW.onset[0], LAW.failure[0]
    _, _, D = traction(LAW, 0.5 * (dn0 + dnf), 0.0)
    tn, _, D2 = traction(LAW, 0.1 * dn0, 0.0, D)
    assert D2 == D and tn == pytest.approx((1 - D) * LAW.normal_stiffness * 0.1 * dn0, rel=1e-12)


def test_compression_is_not_degraded_and_does_not_drive_damage():
    tn, _, D = traction(LAW, -1e-9, 0.0, damage_old=1.0)  # a fully debonded interface pressed shut
    assert tn == -LAW.normal_stiffness * 1e-9 and D == 1.0
    tn, _, D = traction(LAW, -1.0, 0.0)  # any closing, however large: no damage
    assert D == 0.0 and tn < 0


def test_law_refuses_a_stiffness_that_stores_more_than_the_energy():
    with pytest.raises(ValueError, match="normal: stiffness"):
        CohesiveLaw(100e6, 60e6, 1.0, 3.0, normal_stiffness=1e15, tangential_stiffness=4e16)


@pytest.mark.parametrize("compliance", [1e-19, 1e-16])  # stable softening, and a snap-back
def test_equilibrium_opening_solves_the_condensed_balance(compliance):
    """delta = delta0 - C t_n(delta) on every branch; the loaded path follows the smallest root."""
    dnf = LAW.failure[0]
    D = 0.0
    for delta0 in np.linspace(-1e-9, 3 * dnf + 200e6 * compliance, 301):
        delta = equilibrium_opening(LAW, delta0, compliance, D)
        tn, _, D = traction(LAW, delta, 0.0, D)
        assert delta + compliance * tn == pytest.approx(delta0, rel=1e-12, abs=1e-24)  # measured 0 to 4e-16 rel
        assert delta < 0 or tn <= LAW.normal_strength * (1 + 1e-12)
    assert D == 1.0


@pytest.mark.parametrize("dn_f, dt_f, history", [(0.5, 0.0, 0.0), (1.5, 0.7, 0.0), (-2.0, 3.0, 0.2), (3.0, -2.0, 0.0),
                                                (0.3, 0.1, 0.9), (-1.0, 0.0, 1.0)])
def test_ufl_traction_and_damage_agree_with_the_numpy_law(dn_f, dt_f, history):
    """damage_ufl / traction_ufl on a one-cell mesh (the integral of a constant over the unit
    square) equal `traction` for opening, sliding, mixed, compressed and damaged states."""
    import ufl
    from dolfinx import fem, mesh
    from mpi4py import MPI

    from seifem.physics.cohesive import damage_ufl, traction_ufl

    law = CohesiveLaw(1.0, 0.6, 2.0, 3.0, 10.0, 5.0)  # nondimensional
    msh = mesh.create_unit_square(MPI.COMM_SELF, 1, 1)
    n = ufl.as_vector([0.6, 0.8])
    t_dir = ufl.as_vector([-0.8, 0.6])
    dn, dt = dn_f * law.onset[0] * 3, dt_f * law.onset[1] * 3
    jump = dn * n + dt * t_dir
    D = damage_ufl(law, jump, n, fem.Constant(msh, history))
    t = traction_ufl(law, jump, n, D)
    value = [fem.assemble_scalar(fem.form(e * ufl.dx(domain=msh))) for e in (D, ufl.dot(t, n), ufl.dot(t, t_dir))]
    tn, tt, D_np = traction(law, dn, abs(dt), history)
    assert value == pytest.approx([float(D_np), float(tn), float(np.sign(dt) * tt)], abs=1e-14)  # measured up to ~5e-15 (rounding)

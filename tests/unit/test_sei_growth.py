"""SEI growth (seifem.physics.sei_growth) against the closed-form thickness histories of B6, lithium
conservation, the failure/stretch model, and the capacity helpers.

The updates are exact, so results are checked to 1e-12 relative whatever the step sequence.
"""

import dataclasses

import numpy as np
import pytest

from seifem import analytic as an
from seifem.physics import sei_growth as sg

P = sg.SEIGrowthParameters()
YEAR = 365.25 * 24 * 3600.0
RTOL = 1e-12


def uneven_steps(t_end, n=1000, seed=0):
    w = np.random.default_rng(seed).lognormal(sigma=1.5, size=n)
    return w / w.sum() * t_end


def run(growth, steps, **kw):
    return sum(growth.step(dt, **kw) for dt in steps)


# ----------------------------------------------------------------------------- parameters
def test_parameters_are_okane2022():
    assert (P.molar_volume, P.z, P.j0, P.alpha, P.ocp, P.resistivity) == (9.585e-5, 1.0, 1.5e-7, 0.5, 0.4, 2e5)
    assert (P.solvent_diffusivity, P.solvent_concentration) == (2.5e-22, 2636.0)
    assert (P.activation_energy, P.reference_temperature) == (38e3, 298.15)
    assert (P.initial_thickness, P.fresh_thickness) == (5e-9, 5e-13)
    with pytest.raises(dataclasses.FrozenInstanceError):
        P.z = 2.0
    with pytest.raises(ValueError):
        sg.SEIGrowthParameters(crack_exposure=1.5)
    with pytest.raises(ValueError):
        sg.SEIGrowth(np.ones(3), law="tunnelling")


def test_b6_sqrt_t_coefficient_and_one_year():
    """B6 notes: 2 V D_sol c_sol / z = 1.2633e-22 m^2/s, L(1 yr, L0 = 0) = 63.14 nm."""
    np.testing.assert_allclose(2 * sg.growth_rate("solvent-diffusion", P), 1.2633e-22, atol=0.00005e-22)
    L = sg.advance_thickness(0.0, YEAR, "solvent-diffusion", P)
    np.testing.assert_allclose(L, 63.14e-9, atol=0.005e-9)


# ----------------------------------------------------------------------------- closed forms
@pytest.mark.parametrize("nsteps", [1, 1000])
def test_solvent_diffusion_sqrt_t(nsteps):
    g = sg.SEIGrowth(np.ones(4), law="solvent-diffusion", thickness=[0.0, 1e-9, 5e-9, 20e-9])
    L0 = g.L.copy()
    run(g, uneven_steps(YEAR, nsteps) if nsteps > 1 else [YEAR])
    ref = an.sei_thickness_solvent_diffusion(YEAR, L0, P.molar_volume, P.solvent_diffusivity,
                                             P.solvent_concentration, P.z)
    np.testing.assert_allclose(g.L, ref, rtol=RTOL)


@pytest.mark.parametrize("nsteps", [1, 1000])
def test_reaction_limited_linear(nsteps):
    eta = sg.sei_overpotential(0.1, P)  # delta_phi = 0.1 V at rest: eta = -0.3 V
    np.testing.assert_allclose(eta, -0.3, rtol=RTOL)
    g = sg.SEIGrowth(np.ones(2), law="reaction")
    t = 30 * 24 * 3600.0
    run(g, uneven_steps(t, nsteps) if nsteps > 1 else [t], eta=eta)
    ref = an.sei_thickness_reaction_limited(t, P.initial_thickness, P.molar_volume, P.j0, P.alpha,
                                            eta, P.reference_temperature, P.z)
    np.testing.assert_allclose(g.L, ref, rtol=RTOL)


def test_reaction_limited_piecewise_eta_is_step_independent():
    """Piecewise-constant overpotential: L = L0 + k(eta1) t1 + k(eta2) t2 for any cut of each phase."""
    t1, t2, eta1, eta2 = 3600.0, 7200.0, -0.35, -0.2
    ref = P.initial_thickness + sg.growth_rate("reaction", P, eta1) * t1 + sg.growth_rate("reaction", P, eta2) * t2
    for n in (1, 317):
        g = sg.SEIGrowth(np.ones(1), law="reaction")
        run(g, uneven_steps(t1, n, seed=1), eta=eta1)
        run(g, uneven_steps(t2, n, seed=2), eta=eta2)
        np.testing.assert_allclose(g.L, ref, rtol=RTOL)


def test_arrhenius_rescales_time():
    """At T != T_ref the sqrt(t) law runs on time A(T) t; A(T_ref) = 1; hotter grows faster."""
    T = 318.15
    A = sg.arrhenius(T, P)
    assert sg.arrhenius(P.reference_temperature, P) == 1.0 and A > 1
    L = sg.advance_thickness(P.initial_thickness, 1e6, "solvent-diffusion", P, T=T)
    np.testing.assert_allclose(L, sg.advance_thickness(P.initial_thickness, A * 1e6, "solvent-diffusion", P),
                               rtol=RTOL)


# ----------------------------------------------------------------------------- conservation
def test_lost_lithium_equals_sei_formed_growth_only():
    area = np.array([1e-12, 2e-12, 0.5e-12])
    g = sg.SEIGrowth(area, law="solvent-diffusion")
    dn = run(g, uneven_steps(YEAR, 200))
    L = an.sei_thickness_solvent_diffusion(YEAR, P.initial_thickness, P.molar_volume, P.solvent_diffusivity,
                                           P.solvent_concentration, P.z)
    np.testing.assert_allclose(dn, P.z * area * (L - P.initial_thickness) / P.molar_volume, rtol=1e-11)
    np.testing.assert_allclose(g.lost_mol, dn.sum(), rtol=RTOL)


@pytest.mark.parametrize("law", sg.LAWS)
@pytest.mark.parametrize("exposure", ["failed", "all"])
def test_lost_lithium_equals_z_times_sei_moles(law, exposure):
    """Random cycling with stretch, failure and recovery: every step consumes lithium >= 0, and
    the total equals z times the SEI moles formed (live and dead)."""
    rng = np.random.default_rng(5)
    npts = 40
    p = sg.SEIGrowthParameters(z=2.0, crack_exposure=0.7)
    g = sg.SEIGrowth(rng.uniform(0.5, 2.0, npts) * 1e-12, p, law=law, exposure=exposure)
    mol0, total = g.sei_mol(), 0.0
    for k in range(300):
        J = 1 + 0.3 * np.sin(2 * np.pi * k / 50) ** 2 + 0.01 * rng.random(npts)
        dn = g.step(rng.uniform(1, 600), eta=-0.3, area_ratio=J, failed=rng.random(npts) < 0.2)
        assert np.all(dn >= -1e-12 * np.abs(dn).max())
        total += dn.sum()
    np.testing.assert_allclose(total, g.lost_mol, rtol=RTOL)
    np.testing.assert_allclose(total, p.z * (g.sei_mol() - mol0), rtol=1e-11)


# ----------------------------------------------------------------------------- failure and stretch
def test_one_step_by_hand():
    """Reaction law (rate independent of L): an intact and a newly failed point stretched by 10 %."""
    A0, dt, J = 1e-12, 100.0, 1.1
    g = sg.SEIGrowth(np.full(2, A0), law="reaction")
    dn = g.step(dt, eta=-0.3, area_ratio=J, failed=[False, True])
    L1 = P.initial_thickness + sg.growth_rate("reaction", P, -0.3) * dt
    Lf = P.fresh_thickness
    np.testing.assert_allclose(g.L, [L1 / J, Lf], rtol=RTOL)  # intact: stretched; failed: fresh film
    np.testing.assert_allclose(g.dead_volume, [0.0, L1 * A0], rtol=RTOL)
    v = P.z / P.molar_volume
    np.testing.assert_allclose(dn, [v * (L1 - P.initial_thickness) * A0,
                                    v * ((L1 - P.initial_thickness) * A0 + Lf * J * A0)], rtol=RTOL)


def test_reset_only_when_flag_rises():
    g = sg.SEIGrowth(np.ones(1) * 1e-12, law="solvent-diffusion")
    g.step(10.0, failed=True)
    np.testing.assert_allclose(g.L, P.fresh_thickness, rtol=RTOL)
    g.step(1000.0, failed=True)  # still failed: the fresh film grows, no new reset
    np.testing.assert_allclose(g.L, sg.advance_thickness(P.fresh_thickness, 1000.0, "solvent-diffusion", P),
                               rtol=RTOL)
    g.step(10.0, failed=False)
    g.step(10.0, failed=True)  # fails again
    np.testing.assert_allclose(g.L, P.fresh_thickness, rtol=RTOL)


def test_exposure_only_where_failed_by_default():
    A0, J = 1e-12, 1.25
    for exposure, fresh_on_intact in (("failed", False), ("all", True)):
        g = sg.SEIGrowth(np.full(2, A0), law="reaction", exposure=exposure)
        g.failed[1] = True  # failed earlier: no reset now
        g.step(0.0, area_ratio=J, failed=[False, True])
        L0, Lf = P.initial_thickness, P.fresh_thickness
        stretched, exposed = L0 / J, (L0 + Lf * (J - 1)) / J
        np.testing.assert_allclose(g.L, [exposed if fresh_on_intact else stretched, exposed], rtol=RTOL)
        g.step(0.0, area_ratio=1.0, failed=[False, True])  # contraction conserves SEI volume
        np.testing.assert_allclose(g.L * g.area, [J * A0 * (exposed if fresh_on_intact else stretched),
                                                  J * A0 * exposed], rtol=RTOL)


def test_failed_area_consumes_more_lithium():
    """Extra growth on failed area: with the sqrt(t) law a re-formed film regrows fast."""
    A0, t1, t2 = 1e-12, 3600.0, 30 * 86400.0
    g = sg.SEIGrowth(np.full(2, A0), law="solvent-diffusion")
    dn = g.step(t1, failed=[False, True]) + run(g, uneven_steps(t2, 100), failed=[False, True])
    k, L0, Lf, v = sg.growth_rate("solvent-diffusion", P), P.initial_thickness, P.fresh_thickness, P.z / P.molar_volume
    L1 = np.sqrt(L0**2 + 2 * k * t1)
    intact = v * A0 * (np.sqrt(L0**2 + 2 * k * (t1 + t2)) - L0)
    failed = v * A0 * (L1 - L0 + np.sqrt(Lf**2 + 2 * k * t2))  # growth, fresh film, regrowth
    np.testing.assert_allclose(dn, [intact, failed], rtol=1e-11)
    assert dn[1] > 1.3 * dn[0]
    g2 = sg.SEIGrowth(np.full(2, 1e-12), law="solvent-diffusion", exposure="all")
    dn2 = g2.step(3600.0, area_ratio=[1.0, 1.2])
    assert dn2[1] > dn2[0]  # newly exposed area forms fresh SEI


# ----------------------------------------------------------------------------- capacity
def test_coulombic_efficiency_and_retention():
    """Inventory-limited cell: capacity Q_k = Q_{k-1} - lost_k, so cumprod(CE) = 1 - cumsum(lost)/Q_0."""
    Q0 = 1.0
    lost = sg.lost_charge(np.random.default_rng(3).uniform(1e-8, 2e-8, 50)) / 3600.0  # Ah
    Q = Q0 - np.concatenate([[0.0], np.cumsum(lost)])
    ce = sg.coulombic_efficiency(Q[:-1], Q[1:])
    np.testing.assert_allclose(sg.capacity_retention(ce), sg.inventory_retention(lost, Q0), rtol=RTOL)
    np.testing.assert_allclose(sg.lost_charge(1.0), an.FARADAY, rtol=RTOL)
    np.testing.assert_allclose(sg.coulombic_efficiency(2.0, 1.9), 0.95, rtol=RTOL)

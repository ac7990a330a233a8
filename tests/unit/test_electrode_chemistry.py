"""Lithiation per particle at one electrode potential (`reduced.particles`): two particles of
different radii against the closed form of a sphere under constant flux, the particles'
currents summing to the applied current, each particle against the single particle held at
the electrode's potential."""

from __future__ import annotations

import numpy as np
import pytest

from seifem import materials
from seifem.analytic.spheres import hollow_sphere_galvanostatic, sphere_galvanostatic
from seifem.reduced.particles import Kinetics, ParticleBank
from seifem.units import FARADAY

SI = materials.get("Si")
D, CMAX = SI.si("diffusivity"), SI.si("max_concentration")
RADII = np.array([0.5e-6, 1.5e-6])


def _bank(kind: str, radii=RADII, nodes: int = 41, theta0: float = 0.05, D: float = D) -> ParticleBank:
    kin = Kinetics(kind, SI.ocp, SI.si("exchange_current_density"))
    return ParticleBank(radii, D, CMAX, kin, theta0=theta0, nodes=nodes)


def test_uniform_flux_two_radii_against_closed_form():
    D = 2e-16  # slow: the surface leads the mean (D t / R^2 = 0.1 and 0.01 at the end)
    bank = _bank("uniform", D=D)
    current = bank.capacity_C / 3600.0  # 1 C for the pair
    dt, n = 1.0, 120
    for _ in range(n):
        bank.advance(dt, current)
    J = bank.q[0] * CMAX  # the same flux density on both, mol m^-2 s^-1
    assert np.allclose(bank.q, bank.q[0], rtol=1e-14)
    for i, R in enumerate(RADII):
        ref = sphere_galvanostatic(np.array([R]), np.array([n * dt]), R, D, J, c0=0.05 * CMAX)
        surf_err = abs(bank.surface()[i] - ref["c"].item() / CMAX) / (ref["c"].item() / CMAX - 0.05)
        mean_err = abs(bank.soc()[i] - ref["c_avg"].item() / CMAX)
        print(f"R = {R * 1e6:.1f} um: surface rise error {surf_err:.2e} (tol 1e-2), mean {mean_err:.1e} (tol 3e-15)")
        assert mean_err < 3e-15  # the ions are counted exactly: measured 1.1e-15, 2.8e-16
        assert surf_err < 1e-2  # measured 6.6e-4 (R 0.5 um), 3.9e-3 (1.5 um): 41 nodes, dt 1 s
    soc = bank.soc()
    assert soc[0] > soc[1]  # the small particle lithiates faster (area / volume)
    assert bank.currents().sum() == pytest.approx(current, rel=1e-13)


def test_butler_volmer_currents_sum_to_the_applied_one():
    bank = _bank("butler-volmer", nodes=21)
    current = 2 * bank.capacity_C / 3600.0  # 2 C
    for _ in range(10):
        bank.advance(10.0, current)
        err = abs(bank.currents().sum() / current - 1)
        assert err < 1e-13  # measured <= 3.5e-14 (the root on V to 4 eps)
        ts = bank.surface()
        i = bank.currents() / bank.areas
        eta = bank.voltage - SI.ocp.numpy(ts, 1)  # every particle at the one electrode potential
        from seifem.physics.electrochemistry import butler_volmer, exchange_current

        # measured <= 5.7e-14
        assert np.allclose(butler_volmer(exchange_current(bank.kin.i0_ref, ts), eta, 298.15), i, rtol=2e-13, atol=0)
    soc = bank.soc()
    print(f"soc after 100 s at 2 C: {soc} (total {bank.soc_total():.5f}), V = {bank.voltage:.4f} V, "
          f"current split {bank.currents() / current}")
    assert soc[0] > soc[1] and bank.soc_total() == pytest.approx(0.05 + 2 * 100 / 3600, rel=1e-12)


def test_each_particle_matches_the_single_particle_at_the_same_potential():
    pair = _bank("butler-volmer", nodes=21)
    alone = [_bank("butler-volmer", radii=RADII[i:i + 1], nodes=21) for i in range(2)]
    current = pair.capacity_C / 3600.0
    for _ in range(8):
        pair.advance(8.0, current)
        for one in alone:
            one.advance(8.0, voltage=pair.voltage)
    for i, one in enumerate(alone):
        err = np.abs(one.theta[0] - pair.theta[i]).max()
        print(f"particle {i}: max |theta - theta_single| = {err:.1e} (tol 1e-14)")
        assert err < 1e-14  # measured 0: the same equations at the shared potential
    total = sum(one.currents()[0] for one in alone)
    assert total == pytest.approx(current, rel=1e-13)  # measured ~3e-14


def test_rest_relaxes_and_keeps_the_ions():
    bank = _bank("butler-volmer", nodes=21)
    bank.advance(60.0, bank.capacity_C / 3600.0)
    soc = bank.soc().copy()
    for _ in range(50):
        bank.advance(60.0, 0.0)
    print(f"rest: soc drift {np.abs(bank.soc() / soc - 1).max():.1e} (tol 1e-11)")
    assert np.allclose(bank.soc(), soc, rtol=1e-11, atol=0)  # measured 3.7e-12: round-off of 50 banded solves
    assert np.ptp(bank.theta[0]) < 1e-3 * np.ptp(soc)


def test_hollow_particles_against_the_hollow_sphere_closed_form():
    """Hollow particles (cavity 30 % of the volume, its surface taking no flux) under a uniform
    flux against the closed form of a hollow sphere with a free inner surface; the ions in the
    shell counted exactly."""
    D, void = 2e-16, 0.3
    kin = Kinetics("uniform", SI.ocp, SI.si("exchange_current_density"))
    bank = ParticleBank(RADII, D, CMAX, kin, theta0=0.05, nodes=41, void=void)
    current = bank.capacity_C / 3600.0
    dt, n = 1.0, 120
    for _ in range(n):
        bank.advance(dt, current)
    J = bank.q[0] * CMAX
    for i, R in enumerate(RADII):
        a = R * void ** (1 / 3)
        ref = hollow_sphere_galvanostatic(np.array([R]), np.array([n * dt]), a, R, D, J, 0.0, c0=0.05 * CMAX)
        surf_err = abs(bank.surface()[i] - ref["c"].item() / CMAX) / (ref["c"].item() / CMAX - 0.05)
        mean_err = abs(bank.soc()[i] - ref["c_avg"].item() / CMAX)
        print(f"hollow R = {R * 1e6:.1f} um: surface rise error {surf_err:.2e} (tol 3e-3), mean {mean_err:.1e}")
        assert mean_err < 4e-15  # measured 2.2e-15, 2.2e-16: the shell's ions counted exactly
        assert surf_err < 3e-3  # measured 2.8e-5 (R 0.5 um), 1.2e-3 (1.5 um): 41 nodes over the shell, dt 1 s
    assert bank.capacity_C == pytest.approx(FARADAY * CMAX * (1 - void) * 4 / 3 * np.pi * np.sum(RADII**3), rel=1e-14)


@pytest.mark.parametrize("kind", ["uniform", "butler-volmer"])
def test_isolated_particle_keeps_its_ions_and_the_others_carry_the_current(kind):
    """A particle cut from the carbon-binder network mid-run (`connected` False) takes no flux:
    its ion count stays (its profile relaxes by diffusion); the connected particles carry the
    whole applied current, exactly as a bank without the isolated particle would."""
    radii = np.array([0.5e-6, 1.0e-6, 1.5e-6])
    bank, alone = _bank(kind, radii, nodes=21, theta0=0.5), _bank(kind, radii[1:], nodes=21, theta0=0.5)
    current = -bank.capacity_C / 3600.0  # 1 C delithiation of all three, kept after the cut
    for _ in range(2):
        bank.advance(10.0, current)
    bank.connected[0] = False  # particle 0 loses contact
    alone.theta, alone.q = bank.theta[1:].copy(), bank.q[1:].copy()
    trapped, surface = bank.soc()[0], bank.surface()[0]
    worst = {"ions": 0.0, "balance": 0.0, "others": 0.0}
    for _ in range(5):
        n0 = bank.soc() @ bank.volumes
        bank.advance(10.0, current)
        alone.advance(10.0, current)
        worst["ions"] = max(worst["ions"], abs(bank.soc()[0] - trapped))
        # lithium balance: the bank's ions change by the applied charge (mol: current dt / F)
        change = (bank.soc() @ bank.volumes - n0) * CMAX
        worst["balance"] = max(worst["balance"], abs(change / (current * 10.0 / FARADAY) - 1))
        worst["others"] = max(worst["others"], float(np.max(np.abs(bank.theta[1:] - alone.theta))))
        assert bank.currents()[0] == 0.0 and bank.currents().sum() == pytest.approx(current, rel=1e-13)
    print(f"{kind}: trapped ions drift {worst['ions']:.1e}, balance {worst['balance']:.1e}, "
          f"connected vs a bank without it {worst['others']:.1e}")
    assert worst["ions"] < 1.5e-13  # measured 4.9e-14 (uniform and BV) of a filling fraction ~0.47: round-off of 5 solves
    assert worst["balance"] < 1.5e-13  # measured 7.0e-14 (uniform and BV): a change of 1/360 of the ions per step
    assert worst["others"] < 1e-15  # measured 0 (the same arithmetic)
    assert bank.surface()[0] > surface  # delithiated from the surface: the trapped profile relaxes inward-out


def test_no_current_without_a_connected_particle():
    bank = _bank("butler-volmer")
    bank.connected[:] = False
    bank.advance(10.0, 0.0)  # a rest is fine
    with pytest.raises(ValueError, match="isolated"):
        bank.advance(10.0, 1e-9)


def test_a_current_the_connected_particles_cannot_carry_is_refused():
    """One particle of four left in contact, 1 C of all four drawn from it: it empties at its
    surface in the third 9 s step, which is refused, the state left at the second."""
    bank = _bank("butler-volmer", np.full(4, 1e-6), nodes=21, theta0=0.03)
    bank.connected[1:] = False
    current = -bank.capacity_C / 3600.0
    for _ in range(2):
        bank.advance(9.0, current, direction=-1)
    soc = bank.soc()[0]
    with pytest.raises(ValueError, match="particle 0 would reach -"):
        bank.advance(9.0, current, direction=-1)
    assert bank.soc()[0] == soc and 0 < bank.surface()[0] < 0.01

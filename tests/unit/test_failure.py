"""Failure indicators (seifem.physics.failure) against closed forms: the uniformly swelling
coated sphere (B3.1), the channel-cracking table of B5.3, the energy limit of B5.4.

Exact formulas are checked to 1e-12 relative; the thin-shell (Laplace) traction to O(h/R).
"""

import numpy as np
import pytest
import ufl

from seifem import analytic as an
from seifem.physics import failure as fl

RTOL = 1e-12
# core (Si-like) with a uniform eigenstrain inside a carbon coating
A_CORE, B_COAT, E_CORE, NU_CORE, E_COAT, NU_COAT, E_STAR = 1e-6, 1.05e-6, 80e9, 0.22, 50e9, 0.3, 0.01
# compliant SEI (B5.3 first row)
E_SEI, NU_SEI = 0.355e9, 0.4


def unit_vectors(n, seed=0):
    v = np.random.default_rng(seed).normal(size=(n, 3))
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def spherical_tensor(rr, tt, n):
    """rr n n + tt (I - n n) at points with unit normals n (N, 3) -> (N, 3, 3)."""
    nn = n[:, :, None] * n[:, None, :]
    return rr * nn + tt * (np.eye(3) - nn)


@pytest.fixture(scope="module")
def sphere():
    return an.layered_sphere([A_CORE, B_COAT], [E_CORE, E_COAT], [NU_CORE, NU_COAT], [E_STAR, 0.0])


@pytest.fixture(scope="module")
def surface(sphere):
    """Outer-surface strain and stress tensors of the coated sphere at 50 directions."""
    n = unit_vectors(50)
    sr, st = sphere.sigma_r(B_COAT), sphere.sigma_t(B_COAT)
    err, ett = (sr - 2 * NU_COAT * st) / E_COAT, ((1 - NU_COAT) * st - NU_COAT * sr) / E_COAT
    return n, spherical_tensor(err, ett, n), spherical_tensor(sr, st, n), float(ett), float(st)


# ----------------------------------------------------------------------------- coated sphere
def test_surface_strain_is_equibiaxial_hoop_strain(sphere, surface):
    n, eps, _, ett, _ = surface
    np.testing.assert_allclose(ett, sphere.u(B_COAT) / B_COAT, rtol=1e-10)
    e1, e2 = fl.membrane_principal_strains(eps, n)
    np.testing.assert_allclose(e1, ett, rtol=RTOL)
    np.testing.assert_allclose(e2, ett, rtol=RTOL)


def test_sei_membrane_stress_and_energy_equibiaxial(surface):
    _, _, _, e, _ = surface
    s1, s2 = fl.membrane_principal_stresses(e, e, E_SEI, NU_SEI)
    np.testing.assert_allclose([s1, s2], an.membrane_equibiaxial_stress(E_SEI, NU_SEI, e), rtol=RTOL)
    w = fl.membrane_energy_density(e, e, E_SEI, NU_SEI)
    np.testing.assert_allclose(w, E_SEI * e**2 / (1 - NU_SEI), rtol=RTOL)
    np.testing.assert_allclose(w, 0.5 * (s1 * e + s2 * e), rtol=RTOL)  # w = sigma:eps / 2


def test_sei_utilisations(surface):
    _, _, _, e, _ = surface
    eps_y = 0.05
    np.testing.assert_allclose(fl.strain_utilisation(e, e, eps_y), e / eps_y, rtol=RTOL)
    np.testing.assert_allclose(fl.max_elastic_energy(E_SEI, [0.05, 0.10]),
                               an.max_elastic_energy_density(E_SEI, [0.05, 0.10]), rtol=RTOL)
    np.testing.assert_allclose(fl.max_elastic_energy(E_SEI, [0.05, 0.10]), [0.44e6, 1.78e6], atol=0.005e6)
    u = fl.energy_utilisation(e, e, E_SEI, NU_SEI, eps_y)
    np.testing.assert_allclose(u, 2 * e**2 / ((1 - NU_SEI) * eps_y**2), rtol=RTOL)
    # uniaxial stress state (e2 = -nu e1) reaches energy utilisation 1 exactly at e1 = eps_y
    np.testing.assert_allclose(fl.energy_utilisation(eps_y, -NU_SEI * eps_y, E_SEI, NU_SEI, eps_y), 1.0,
                               rtol=RTOL)
    # compression: strain utilisation negative, energy utilisation sign-blind
    assert fl.strain_utilisation(-e, -e, eps_y) < 0
    np.testing.assert_allclose(fl.energy_utilisation(-e, -e, E_SEI, NU_SEI, eps_y), u, rtol=RTOL)


def test_coating_stress_utilisation(sphere, surface):
    _, _, sigma, _, st = surface
    assert st > 0  # a swelling core puts the coating in hoop tension
    p1 = fl.max_principal_stress(sigma)
    np.testing.assert_allclose(p1, max(st, float(sphere.sigma_r(B_COAT))), rtol=RTOL)
    np.testing.assert_allclose(p1, st, rtol=1e-12, atol=1e-9 * abs(st))  # sigma_r(b) = 0
    np.testing.assert_allclose(fl.stress_utilisation(p1, 2 * st), 0.5, rtol=1e-12)


@pytest.mark.parametrize("E, nu, table", [(0.355e9, 0.4, [0.350, 0.247, 0.175, 0.111]),
                                          (5e9, 0.3, [0.104, 0.074, 0.052, 0.033]),
                                          (50e9, 0.3, [0.033, 0.023, 0.017, 0.010])])
def test_channel_crack_critical_strain_table(E, nu, table):
    h, gamma = np.array([5e-9, 10e-9, 20e-9, 50e-9]), 1.0
    eps_c = an.channel_crack_critical_strain(gamma, E, nu, h)
    np.testing.assert_allclose(eps_c, table, atol=0.0005 + 1e-12)  # B5.3 quoted to 3 decimals
    sigma = E * eps_c / (1 - nu)  # equibiaxial film stress at eps_c
    np.testing.assert_allclose(fl.channel_crack_G(sigma, h, E, nu), an.channel_crack_G(sigma, h, E, nu),
                               rtol=RTOL)
    np.testing.assert_allclose(fl.channel_crack_ratio(sigma, h, E, nu, gamma), 1.0, rtol=RTOL)


def test_channel_crack_on_coated_sphere(surface):
    """SEI and coating on the coated sphere: G = Z sigma^2 h (1 - nu^2)/E for both films."""
    _, _, _, e, st = surface
    h_sei, h_coat = 10e-9, B_COAT - A_CORE
    s_sei = an.membrane_equibiaxial_stress(E_SEI, NU_SEI, e)
    np.testing.assert_allclose(fl.channel_crack_G(s_sei, h_sei, E_SEI, NU_SEI),
                               an.channel_crack_G(s_sei, h_sei, E_SEI, NU_SEI), rtol=RTOL)
    np.testing.assert_allclose(fl.channel_crack_ratio(st, h_coat, E_COAT, NU_COAT, 3.0),
                               an.channel_crack_G(st, h_coat, E_COAT, NU_COAT) / 3.0, rtol=RTOL)
    assert fl.channel_crack_G(-s_sei, h_sei, E_SEI, NU_SEI) == 0.0  # compression does not channel


def test_channel_crack_Z_is_edge_crack_average():
    """Z = pi 1.1215^2 / 2: the depth-average of the plane-strain edge-crack G = K^2/E_bar."""
    np.testing.assert_allclose(fl.Z_CHANNEL, np.pi * 1.1215**2 / 2, rtol=3e-4)


def test_interface_tractions_core_coating(sphere):
    """Swelling core: the core/coating interface is compressed, no shear; sigma n is continuous."""
    n = unit_vectors(20, seed=1)
    sr = float(sphere.sigma_r(A_CORE))
    for side in ("left", "right"):
        sigma = spherical_tensor(sr, float(sphere.sigma_t(A_CORE, side=side)), n)
        tn, ts = fl.interface_tractions(sigma, n)
        np.testing.assert_allclose(tn, sr, rtol=RTOL)
        np.testing.assert_allclose(ts, 0.0, atol=1e-12 * abs(sr))
    rn, rs = fl.delamination_ratios(sigma, n, 100e6, 50e6)
    assert np.all(rn < 0)
    np.testing.assert_allclose(rn, sr / 100e6, rtol=RTOL)


def test_interface_tractions_shear():
    n = unit_vectors(20, seed=2)
    m = np.cross(n, unit_vectors(20, seed=3))
    m /= np.linalg.norm(m, axis=1, keepdims=True)
    tau, p = 30e6, 12e6
    sigma = tau * (n[:, :, None] * m[:, None, :] + m[:, :, None] * n[:, None, :]) + p * np.eye(3)
    tn, ts = fl.interface_tractions(sigma, n)
    np.testing.assert_allclose(tn, p, rtol=RTOL)
    np.testing.assert_allclose(ts, tau, rtol=RTOL)
    rn, rs = fl.delamination_ratios(sigma, n, 24e6, 20e6)
    np.testing.assert_allclose(rn, 0.5, rtol=RTOL)
    np.testing.assert_allclose(rs, 1.5, rtol=RTOL)


@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_membrane_interface_traction_thin_shell_limit(sign):
    """A thin SEI shell on a swelling (or shrinking) core: sigma_r at the interface from the
    3D Lame solution tends to the Laplace value -2 h sigma_mem / R, error O(h/R)."""
    R, h = 1e-6, 1e-9
    sph = an.layered_sphere([R, R + h], [E_CORE, E_SEI], [NU_CORE, NU_SEI], [sign * E_STAR, 0.0])
    s_mem = an.membrane_equibiaxial_stress(E_SEI, NU_SEI, sph.u(R) / R)
    tn = fl.membrane_interface_traction(s_mem, s_mem, h, R)
    np.testing.assert_allclose(tn, sph.sigma_r(R), rtol=5 * h / R)
    assert np.sign(tn) == -sign  # a compressed SEI (shrinking core) pulls away: opening


def test_failed_area_fraction():
    area = np.array([1.0, 2.0, 3.0, 4.0])
    strain_u = np.array([0.5, 1.0, 0.2, np.nan])
    energy_u = np.array([0.1, 0.1, 1.5, 0.3])
    assert fl.failed_mask(strain_u, energy_u).tolist() == [False, True, True, False]
    np.testing.assert_allclose(fl.failed_area_fraction(area, strain_u, energy_u), 0.5, rtol=RTOL)
    assert fl.failed_area_fraction(np.empty(0), np.empty(0)) == 0.0

    class TwoRanks:  # every rank holds the same points
        def allreduce(self, x):
            return 2 * x

    np.testing.assert_allclose(fl.failed_area_fraction(area, strain_u, comm=TwoRanks()), 2 / 10, rtol=RTOL)
    with pytest.raises(ValueError):
        fl.failed_mask()


def test_monotonic_sanity():
    e1, e2 = 0.03, 0.01
    w = fl.membrane_energy_density(e1, e2, np.array([0.3e9, 1e9, 5e9, 50e9]), NU_SEI)
    assert np.all(np.diff(w) > 0)  # stiffer SEI, same strain: more energy
    G = fl.channel_crack_G(100e6, np.array([5e-9, 10e-9, 20e-9, 50e-9]), E_SEI, NU_SEI)
    assert np.all(np.diff(G) > 0)  # thicker film, same stress: larger G
    np.testing.assert_allclose(G / G[0], [1, 2, 4, 10], rtol=RTOL)


# ----------------------------------------------------------------------------- UFL twins
def _ufl(a):
    return ufl.as_tensor(np.asarray(a).tolist())


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_ufl_expressions_match_numpy(seed):
    rng = np.random.default_rng(seed)
    n = unit_vectors(1, seed=seed + 10)[0]
    a = rng.normal(size=(3, 3)) * 0.02
    eps = 0.5 * (a + a.T)
    b = rng.normal(size=(3, 3)) * 100.0
    sigma = 0.5 * (b + b.T)
    E, nu, eps_y, h, gamma = 0.355, 0.4, 0.05, 0.01, 1e-3  # GPa, -, -, um, GPa um (1 J/m^2)
    U, N, S = _ufl(eps), _ufl(n), _ufl(sigma)
    e1, e2 = fl.membrane_principal_strains(eps, n)
    s1, s2 = fl.membrane_principal_stresses(e1, e2, E, nu)
    us1, us2 = fl.membrane_principal_stresses_ufl(U, N, E, nu)
    np.testing.assert_allclose([float(us1), float(us2)], [s1, s2], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(float(fl.membrane_energy_density_ufl(U, N, E, nu)),
                               fl.membrane_energy_density(e1, e2, E, nu), rtol=1e-12)
    np.testing.assert_allclose(float(fl.strain_utilisation_ufl(U, N, eps_y)),
                               fl.strain_utilisation(e1, e2, eps_y), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(float(fl.energy_utilisation_ufl(U, N, E, nu, eps_y)),
                               fl.energy_utilisation(e1, e2, E, nu, eps_y), rtol=1e-12)
    np.testing.assert_allclose(float(fl.channel_crack_ratio_ufl(us1, h, E, nu, gamma)),
                               fl.channel_crack_ratio(s1 * 1e9, h * 1e-6, E * 1e9, nu, 1.0), rtol=1e-12)
    p1 = fl._in_plane(sigma, n)[0]
    np.testing.assert_allclose(float(fl.stress_utilisation_ufl(S, N, 50.0)), p1 / 50.0, rtol=1e-12)
    rn, rs = fl.delamination_ratios(sigma, n, 40.0, 30.0)
    urn, urs = fl.traction_ratios_ufl(S, N, 40.0, 30.0)
    np.testing.assert_allclose([float(urn), float(urs)], [rn, rs], rtol=1e-12)


def test_ufl_in_plane_stress_is_max_principal_at_free_surface(surface):
    n, _, sigma, _, st = surface
    val = float(fl.in_plane_max_stress_ufl(_ufl(sigma[0]), _ufl(n[0])))
    np.testing.assert_allclose(val, fl.max_principal_stress(sigma[0]), rtol=RTOL)
    np.testing.assert_allclose(val, st, rtol=RTOL)


def test_exports():
    assert fl.Z_CHANNEL == 1.976
    assert all(hasattr(fl, name) for name in fl.__all__)

"""Reference solutions in seifem.analytic against docs/verification.md (B1-B6).

Tolerances follow the quoted precision of each reference number (half a unit in its last digit,
unless stated); identities are checked to round-off or to the stated discretisation error.
"""


import numpy as np
import pytest
from scipy.integrate import simpson, solve_ivp
from scipy.optimize import brentq, minimize_scalar

from seifem import analytic as an

# PyBaMM OKane2022 graphite (B1-c ii)
E_G, NU_G, OM_G, D_G, R_G, CMAX_G = 15e9, 0.3, 3.1e-6, 3.3e-14, 5.86e-6, 33133.0
# unit-scaled problem: the stress unit is S = Omega E J R / (D (1 - nu)) = 1 Pa
UNIT = dict(E=1.0, nu=0.0, Omega=1.0)


def fv_shell(a, b, D, J_outer, J_inner, t_out, n=400):
    """Independent conservative finite-volume solution of the radial diffusion problem."""
    rf = np.linspace(a, b, n + 1)
    rc, vol, area = 0.5 * (rf[1:] + rf[:-1]), (rf[1:] ** 3 - rf[:-1] ** 3) / 3, rf**2
    g = D * area[1:-1] / np.diff(rc)
    L = np.diag(np.r_[-g, 0] + np.r_[0, -g]) + np.diag(g, 1) + np.diag(g, -1)
    L /= vol[:, None]
    src = np.zeros(n)
    src[-1] += area[-1] * J_outer / vol[-1]
    src[0] += area[0] * J_inner / vol[0]
    sol = solve_ivp(lambda t, c: L @ c + src, (0, t_out[-1]), np.zeros(n), t_eval=t_out,
                    method="BDF", jac=L, rtol=1e-10, atol=1e-13)
    return rc, sol.y.T


# ----------------------------------------------------------------------------- conventions
def test_tan_roots():
    lam = an.tan_roots(500)
    np.testing.assert_allclose(lam[:3], [4.493409457909064, 7.725251836937707, 10.904121659428899],
                               rtol=0, atol=1e-12)
    n = np.arange(1, 501)
    assert np.all((lam > n * np.pi) & (lam < (n + 0.5) * np.pi))
    newton_step = (np.sin(lam) - lam * np.cos(lam)) / (lam * np.sin(lam))
    assert np.max(np.abs(newton_step)) < 1e-12


def test_c_rate_flux_okane():
    J = an.c_rate_flux(1.0, CMAX_G, R_G)
    assert J == pytest.approx(1.7978e-5, abs=5e-10)
    assert J * R_G / (D_G * CMAX_G) == pytest.approx(0.0964, abs=5e-5)  # dimensionless current I


# ----------------------------------------------------------------------------- B1.2 galvanostatic
def test_galvanostatic_conservation_pde_and_flux():
    R, D, J, c0 = 2.0, 0.5, 0.3, 1.7
    r = np.linspace(0, R, 4001)
    for t in (0.05, 0.4, 3.0):
        sol = an.sphere_galvanostatic(r, t, R, D, J, c0)
        c_avg = 3 / R**3 * np.trapezoid(sol["c"] * r**2, r)
        assert c_avg == pytest.approx(c0 + 3 * J * t / R, rel=1e-6)
        assert sol["I_hat"][-1] == pytest.approx(sol["tau"][-1], abs=1e-14)  # I(1, tau) = tau
        h = 1e-4 * R
        f = an.sphere_galvanostatic([R - 2 * h, R - h, R], t, R, D, J)["c"]
        assert D * (3 * f[2] - 4 * f[1] + f[0]) / (2 * h) == pytest.approx(J, rel=1e-6)
        rr, dt = 0.6 * R, 1e-4 * t
        cc = an.sphere_galvanostatic([rr - h, rr, rr + h], t, R, D, J)["c"]
        lap = (cc[2] - 2 * cc[1] + cc[0]) / h**2 + (cc[2] - cc[0]) / (h * rr)
        cr = an.sphere_galvanostatic([rr, rr], [t - dt, t + dt], R, D, J)["c"]
        assert (cr[1] - cr[0]) / (2 * dt) == pytest.approx(D * lap, rel=1e-5)


@pytest.mark.slow
def test_galvanostatic_matches_finite_volume():
    t = np.array([0.01, 0.1, 0.5])
    rc, c_fv = fv_shell(0.0, 1.0, 1.0, 1.0, 0.0, t)
    c = an.sphere_galvanostatic(rc[None, :], t[:, None], 1.0, 1.0, 1.0)["c"]
    np.testing.assert_allclose(c, c_fv, rtol=0, atol=1e-5)


def test_sphere_identities_galvanostatic():
    R, D, J, E, nu, Om = R_G, D_G, 2e-5, E_G, NU_G, OM_G
    pre = Om * E / (3 * (1 - nu))
    for t in (1.0, 60.0, 600.0):
        sol = an.sphere_galvanostatic([0.0, R], t, R, D, J)
        sr, st = an.sphere_galvanostatic_stress([0.0, R], t, R, D, J, E, nu, Om)
        S = an.galvanostatic_stress_scale(R, D, J, E, nu, Om)
        assert sr[1] == pytest.approx(0, abs=1e-12 * S)
        assert st[1] == pytest.approx(pre * (sol["c_avg"][1] - sol["c"][1]), rel=1e-12)
        assert sr[0] == pytest.approx(st[0], rel=1e-12)
        assert sr[0] == pytest.approx(2 * pre / 3 * (sol["c_avg"][0] - sol["c"][0]), rel=1e-12)


def test_galvanostatic_long_time_limit():
    x = np.linspace(0, 1, 101)
    s_r, s_t = an.sphere_galvanostatic_stress(x, 3.0, 1.0, 1.0, 1.0, **UNIT)
    steady = an.sphere_galvanostatic_steady(x, 3.0, 1.0, 1.0, 1.0, **UNIT)
    np.testing.assert_allclose(s_r, steady["sigma_r"], atol=1e-13)
    np.testing.assert_allclose(s_t, steady["sigma_t"], atol=1e-13)
    c = an.sphere_galvanostatic(x, 3.0, 1, 1, 1)["c"]
    np.testing.assert_allclose(c, steady["c"], atol=1e-12)
    assert s_r[0] == pytest.approx(1 / 15, abs=1e-13)
    assert s_t[-1] == pytest.approx(-1 / 15, abs=1e-13)
    assert steady["c"][-1] - steady["c"][0] == pytest.approx(0.5)  # surface - centre = J R / (2 D)
    np.testing.assert_allclose(np.abs(steady["sigma_t"] - steady["sigma_r"]), x**2 / 15, atol=1e-15)


def test_galvanostatic_steady_energy():
    E, nu = 7.0, 0.27
    x = np.linspace(0, 1, 2001)
    st = an.sphere_galvanostatic_steady(x, 0.0, 1.0, 1.0, 1.0, E, nu, 1.0 / E * (1 - nu))  # S = 1
    sr, stt = st["sigma_r"], st["sigma_t"]
    w = (sr**2 + 2 * stt**2 - 2 * nu * (2 * sr * stt + stt**2)) / (2 * E)
    assert 3 * simpson(w * x**2, x=x) == pytest.approx((1 - nu) / 525 / E, rel=1e-10)


@pytest.mark.parametrize("c_rate, steady, sr0_60, st1_60",
                         [(1, 14.138, 7.814, -11.875), (3, 42.413, 23.443, -35.624)])
def test_table_b1c_okane2022(c_rate, steady, sr0_60, st1_60):
    J = an.c_rate_flux(c_rate, CMAX_G, R_G)
    S = an.galvanostatic_stress_scale(R_G, D_G, J, E_G, NU_G, OM_G)
    assert S / 15 / 1e6 == pytest.approx(steady, abs=5e-4)
    sr, st = an.sphere_galvanostatic_stress([0.0, R_G], 60.0, R_G, D_G, J, E_G, NU_G, OM_G)
    assert sr[0] / 1e6 == pytest.approx(sr0_60, abs=5e-4)
    assert st[1] / 1e6 == pytest.approx(st1_60, abs=5e-4)


def test_table_b1c_zhang2007():
    E, nu, D, Om, c_max, R = 10e9, 0.3, 7.08e-15, 3.497e-6, 2.29e4, 5e-6
    J = 2.0 / an.FARADAY
    assert J == pytest.approx(2.0729e-5, abs=5e-10)
    assert J * R / D == pytest.approx(14639, abs=0.5)
    assert an.galvanostatic_stress_scale(R, D, J, E, nu, Om) / 1e6 == pytest.approx(731.3, abs=0.05)
    def surface_minus_cmax(t):
        return an.sphere_galvanostatic(R, t, R, D, J)["c"] - c_max

    t_full = brentq(surface_minus_cmax, 100, 5000, xtol=1e-6)
    assert t_full == pytest.approx(1605.9, abs=0.05)
    assert D * t_full / R**2 == pytest.approx(0.4548, abs=5e-5)


# ------------------------------------------------------------------------ B1.1 profile formulas
def test_profile_formulas_reproduce_series():
    R, D, J, E, nu, Om = R_G, D_G, 2e-5, E_G, NU_G, OM_G
    S = an.galvanostatic_stress_scale(R, D, J, E, nu, Om)
    r, t = np.linspace(0, R, 2001), np.array([5.0, 60.0, 900.0])
    c = an.sphere_galvanostatic(r[None, :], t[:, None], R, D, J)["c"]
    sr, st = an.sphere_stress_from_profile(r, c, R, E, nu, Om)
    sr_ref, st_ref = an.sphere_galvanostatic_stress(r[None, :], t[:, None], R, D, J, E, nu, Om)
    np.testing.assert_allclose(sr, sr_ref, rtol=0, atol=1e-6 * S)
    np.testing.assert_allclose(st, st_ref, rtol=0, atol=1e-6 * S)


def test_profile_formulas_equilibrium_compatibility_and_uR():
    R, E, nu, Om, c_ref = 3.0, 50e9, 0.27, 4e-6, 800.0
    r = np.linspace(0, R, 6001)
    c = 1000 + 500 * np.cos(2 * r) + 300 * (r / R) ** 3
    sr, st = an.sphere_stress_from_profile(r, c, R, E, nu, Om)
    sr0, st0 = an.sphere_stress_from_profile(r, np.full_like(r, 1234.0), R, E, nu, Om)
    assert np.max(np.abs(sr0)) + np.max(np.abs(st0)) < 1e-6  # uniform c: stress free
    scale = Om * E * 500
    ri = slice(1, -1)
    residual = (np.gradient(sr, r) + 2 * (sr - st) / np.where(r > 0, r, 1))[(r > 0.1 * R) & (r < R)]
    assert np.max(np.abs(residual)) < 1e-5 * scale / R  # O(h^2); O(h) near r = 0
    u = an.sphere_displacement_from_profile(r, c, R, nu, Om, c_ref)
    eig = Om * (c - c_ref) / 3
    eps_t, eps_r = (st - nu * (sr + st)) / E + eig, (sr - 2 * nu * st) / E + eig  # Hooke
    np.testing.assert_allclose(u[ri] / r[ri], eps_t[ri], atol=1e-8 * Om * 500)
    np.testing.assert_allclose(np.gradient(u, r)[ri], eps_r[ri], atol=1e-6 * Om * 500)
    c_avg = 3 / R**3 * np.trapezoid(c * r**2, r)
    assert u[-1] == pytest.approx(R * Om * (c_avg - c_ref) / 3, rel=1e-6)
    with pytest.raises(ValueError):
        an.sphere_stress_from_profile(r[1:], c[1:], R, E, nu, Om)


# ----------------------------------------------------------------------------- B1.3 potentiostatic
def test_potentiostatic_concentration():
    R, D, cs, c0 = 2.0, 0.7, 5.0, 1.0
    r = np.linspace(0, R, 4001)
    for t in (0.01, 0.3):
        sol = an.sphere_potentiostatic(r, t, R, D, cs, c0)
        assert sol["c"][-1] == pytest.approx(cs, abs=1e-12)
        c_avg = 3 / R**3 * np.trapezoid(sol["c"] * r**2, r)
        assert c_avg == pytest.approx(sol["c_avg"][0], rel=1e-6)
        assert sol["K_hat"][-1] == pytest.approx(sol["c_avg_hat"][-1] / 3, abs=1e-13)
    with pytest.raises(ValueError):
        an.sphere_potentiostatic(r, 0.0, R, D, cs)


def test_potentiostatic_peak_centre_stress():
    def centre(tau):
        return an.sphere_potentiostatic_stress(0.0, tau, 1.0, 1.0, 1.0, **UNIT)[0]

    res = minimize_scalar(lambda tau: -centre(tau), bounds=(0.02, 0.15), method="bounded",
                          options={"xatol": 1e-8})
    assert -res.fun == pytest.approx(0.128525, abs=5e-7)
    assert res.x == pytest.approx(0.0574, abs=5e-5)
    sr, st = an.sphere_potentiostatic_stress(0.0, res.x, 1.0, 1.0, 1.0, **UNIT)
    assert sr == pytest.approx(st, rel=1e-12)
    x, tau = np.linspace(0, 1, 201), np.geomspace(1e-3, 2, 120)
    sr, st = an.sphere_potentiostatic_stress(x[None, :], tau[:, None], 1.0, 1.0, 1.0, **UNIT)
    assert max(sr.max(), st.max()) <= -res.fun + 1e-9  # global maximum over (x, tau)


def test_potentiostatic_surface_hoop_early():
    st = an.sphere_potentiostatic_stress(1.0, 1e-6, 1.0, 1.0, 1.0, **UNIT)[1]
    assert st == pytest.approx(-0.3322, abs=5e-5)
    st = an.sphere_potentiostatic_stress(1.0, 1e-10, 1.0, 1.0, 1.0, **UNIT)[1]
    assert st == pytest.approx(-1 / 3 + 2 * np.sqrt(1e-10 / np.pi), abs=1e-9)


# ----------------------------------------------------------------------------- B2 hollow sphere
def test_hollow_profile_formula_traction_free():
    a, b = 0.3, 1.0
    r = np.linspace(a, b, 501)
    sr, st = an.hollow_sphere_stress_from_profile(r, np.exp(r) + r**2, a, b, 1e9, 0.3, 1e-6)
    assert abs(sr[0]) < 1e-9 and abs(sr[-1]) < 1e-9 and np.max(np.abs(st)) > 1.0


def test_hollow_steady_hoop_limits_and_profile():
    s_a, s_b = an.hollow_sphere_galvanostatic_steady_hoop(1e-9, 1, 0)
    assert s_a == pytest.approx(0.1, abs=1e-8) and s_b == pytest.approx(-1 / 15, abs=1e-8)
    for rho in (0.2, 0.5, 0.8):
        for j_o, j_i in ((1, 0), (0, 1), (1, 1)):
            A = 3 * (j_o + rho**2 * j_i) / (1 - rho**3)
            x = np.linspace(rho, 1, 4001)
            f = A * x**2 / 6 + (A / 3 - j_o) / x
            _, st = an.hollow_sphere_stress_from_profile(x, f, rho, 1.0, **UNIT)
            ref = an.hollow_sphere_galvanostatic_steady_hoop(rho, j_o, j_i)
            assert (st[0], st[-1]) == pytest.approx(ref, abs=1e-7)


@pytest.mark.slow
@pytest.mark.parametrize("j_o, j_i", [(1, 0), (0, 1), (1, 1)])
def test_hollow_transient(j_o, j_i):
    a, b, D, c0 = 0.5, 1.0, 1.0, 0.2
    t = np.array([0.002, 0.02, 0.2])
    rc, c_fv = fv_shell(a, b, D, j_o, j_i, t)
    sol = an.hollow_sphere_galvanostatic(rc[None, :], t[:, None], a, b, D, j_o, j_i, c0)
    np.testing.assert_allclose(sol["c"] - c0, c_fv, rtol=0, atol=2e-5)
    r = np.linspace(a, b, 4001)
    sol = an.hollow_sphere_galvanostatic(r, 0.05, a, b, D, j_o, j_i, c0)  # conservation
    c_avg = c0 + 3 * (b**2 * j_o + a**2 * j_i) * 0.05 / (b**3 - a**3)
    assert 3 * np.trapezoid(sol["c"] * r**2, r) / (b**3 - a**3) == pytest.approx(c_avg, rel=1e-7)
    assert 3 * sol["M"][-1] / (b**3 - a**3) == pytest.approx(c_avg, rel=1e-12)
    sr, st = an.hollow_sphere_galvanostatic_stress([a, b], 5.0, a, b, D, j_o, j_i, **UNIT)
    assert np.max(np.abs(sr)) < 1e-12
    steady = an.hollow_sphere_galvanostatic_steady_hoop(a / b, j_o, j_i)
    assert tuple(st) == pytest.approx(steady, abs=1e-12)


def test_hollow_transient_small_hole_is_solid_sphere():
    x, t = np.linspace(0.05, 1, 50), np.array([0.01, 0.1])
    c_h = an.hollow_sphere_galvanostatic(x[None, :], t[:, None], 1e-3, 1.0, 1.0, 1.0, 0.0)["c"]
    c_s = an.sphere_galvanostatic(x[None, :], t[:, None], 1.0, 1.0, 1.0)["c"]
    np.testing.assert_allclose(c_h, c_s, atol=1e-6)


def test_hollow_transient_inner_hoop_extremum():
    tau = np.linspace(0.002, 0.05, 481)
    st_a = an.hollow_sphere_galvanostatic_stress(0.5, tau, 0.5, 1.0, 1.0, 1.0, 1.0, **UNIT)[1]
    i = np.argmin(st_a)
    assert st_a[i] == pytest.approx(-0.0176, abs=5e-5)
    assert tau[i] == pytest.approx(0.01, abs=2e-3)


# ----------------------------------------------------------------------------- B3 layered spheres
A_CORE, E_C, NU_C, E_S, NU_S = 100e-9, 80e9, 0.22, 100e9, 0.25


def test_core_shell_two_layer_numbers():
    a, b = A_CORE, A_CORE + 10e-9
    p = an.core_shell_pressure(a, b, E_C, NU_C, E_S, NU_S, 0.01)
    assert p == pytest.approx(2.116944e8, abs=50)
    assert p * (a**3 + b**3 / 2) / (b**3 - a**3) == pytest.approx(1.065187e9, abs=500)
    sph = an.layered_sphere([a, b], [E_C, E_S], [NU_C, NU_S], [0.01, 0.0])
    assert -sph.sigma_r(a) == pytest.approx(p, rel=1e-12)
    assert sph.sigma_t(a, side="right") == pytest.approx(1.065187e9, abs=500)
    r_core = np.linspace(0, a, 7)
    np.testing.assert_allclose(sph.sigma_r(r_core), -p, rtol=1e-12)
    np.testing.assert_allclose(sph.sigma_t(r_core), -p, rtol=1e-12)


def test_core_shell_thin_and_membrane_limits():
    a = A_CORE
    sig, err = [], []
    for h in (1e-1 * a, 1e-2 * a, 1e-3 * a, 1e-6 * a):
        p = an.core_shell_pressure(a, a + h, E_C, NU_C, E_S, NU_S, 0.01)
        s = p * (a**3 + (a + h) ** 3 / 2) / ((a + h) ** 3 - a**3)
        thin = 0.01 / ((1 - 2 * NU_C) / E_C + a * (1 - NU_S) / (2 * E_S * h)) * a / (2 * h)
        sig.append(s)
        err.append(abs(thin / s - 1))
    assert err[0] > err[1] > err[2] > err[3] and err[2] < 2e-3
    assert an.membrane_equibiaxial_stress(E_S, NU_S, 0.01) / 1e6 == pytest.approx(1333.3, abs=0.05)
    assert sig[-1] / 1e6 == pytest.approx(1333.3, abs=0.05)  # h/a = 1e-6


def test_yolk_shell_contact_pressure():
    """Zero until the free swelling a e* closes the gap; with no gap the bonded core-shell
    pressure; the shell stresses make the gap close exactly: a(e* - p/3K_c) - u_s(b) = gap."""
    a, t, gap = A_CORE, 10e-9, 2e-9
    assert an.yolk_shell_contact_pressure(a, gap, t, E_C, NU_C, E_S, NU_S, 0.9 * gap / a) == (0.0, 0.0)
    bonded = an.core_shell_pressure(a, a + t, E_C, NU_C, E_S, NU_S, 0.01)
    assert an.yolk_shell_contact_pressure(a, 0.0, t, E_C, NU_C, E_S, NU_S, 0.01) == pytest.approx((bonded, bonded),
                                                                                                  rel=1e-12)
    e = 0.03
    p_core, p = an.yolk_shell_contact_pressure(a, gap, t, E_C, NU_C, E_S, NU_S, e)
    b, c = a + gap, a + gap + t
    assert p_core * a**2 == pytest.approx(p * b**2, rel=1e-12)  # one force across the void
    sph = an.layered_sphere([b, c], [E_C, E_S], [NU_C, NU_S], [0.0, 0.0])  # only for its moduli
    K_c, K_s, G_s = sph.K[0], sph.K[1], sph.G[1]
    u_core = a * (e - p_core / (3 * K_c))
    sigma_r = lambda r: -p * b**3 / (c**3 - b**3) * (c**3 / r**3 - 1)  # noqa: E731
    assert sigma_r(b) == pytest.approx(-p) and abs(sigma_r(c)) < 1e-6 * p
    # u_s(b) from the shell's strains: tr eps = (sigma_r + 2 sigma_t) / (3 K_s) = 3 A (uniform), u = A r + B / r^2
    A = (sigma_r(c) + 2 * an.shell_hoop_stress(c, b, c, p)) / (9 * K_s)
    B = (an.shell_hoop_stress(b, b, c, p) - sigma_r(b)) * b**3 / (6 * G_s)
    assert u_core - (A * b + B / b**2) == pytest.approx(gap, rel=1e-10)


def test_multilayer_continuity_and_invariants():
    radii, E = [100e-9, 120e-9, 130e-9], [80e9, 100e9, 0.355e9]
    nu, e = [0.22, 0.25, 0.4], [0.01, 0.003, 0.0]
    sph = an.layered_sphere(radii, E, nu, e)
    assert sph.B[0] == 0
    for ri in radii[:-1]:
        assert sph.u(ri, "left") == pytest.approx(sph.u(ri, "right"), rel=1e-12)
        assert sph.sigma_r(ri, "left") == pytest.approx(sph.sigma_r(ri, "right"), rel=1e-10)
    assert abs(sph.sigma_r(radii[-1])) < 1e-8 * abs(sph.sigma_r(radii[0]))
    r = np.linspace(101e-9, 119e-9, 5)
    tr = sph.sigma_r(r) + 2 * sph.sigma_t(r)
    np.testing.assert_allclose(tr, tr[0], rtol=1e-10)
    np.testing.assert_allclose(sph.sigma_t(r) - sph.sigma_r(r), 6 * sph.G[1] * sph.B[1] / r**3,
                               rtol=1e-10)
    same = an.layered_sphere(radii, E, nu, 0.02)  # uniform eigenstrain: free expansion
    r = np.linspace(0, radii[-1], 40)
    np.testing.assert_allclose(same.u(r), 0.02 * r, rtol=1e-12, atol=1e-24)
    assert np.max(np.abs(same.sigma_r(r))) + np.max(np.abs(same.sigma_t(r))) < 1e-3


def test_membrane_stresses():
    E = 0.355e9
    for lam, ref in ((1.05, 35.5), (1.2, 142.0), (1.562, 399.0)):
        assert an.membrane_equibiaxial_stress(E, 0.5, lam - 1) / 1e6 == pytest.approx(ref, abs=0.05)
        assert an.neo_hookean_membrane_stress(E, lam) == pytest.approx(E / 3 * (lam**2 - lam**-4))
    assert an.neo_hookean_membrane_stress(E, 1 + 1e-7) == pytest.approx(
        an.membrane_equibiaxial_stress(E, 0.5, 1e-7), rel=1e-5)


# ----------------------------------------------------------------------- B3.2 / B3.3 plastic shell
SHELL = dict(a=1.0, b=1.2, Ec=80e9, nuc=0.22, E=100e9, nu=0.25, sigma_Y=1e9)


def test_epp_shell_limits_table_b3d():
    e_y, e_full, p_lim = an.epp_shell_yield_limits(**SHELL)
    assert e_y == pytest.approx(8.0617e-3, abs=5e-8)
    assert e_full == pytest.approx(1.36893e-2, abs=5e-8)
    assert p_lim / 1e9 == pytest.approx(0.36464, abs=5e-6)
    at_full = an.epp_shell_on_core(**SHELL, e_star=e_full * (1 - 1e-12))
    assert at_full.u_a == pytest.approx(1.113678e-2, abs=5e-9)
    below, above = (an.epp_shell_on_core(**SHELL, e_star=e_y * (1 + s)) for s in (-1e-10, 1e-10))
    assert below.c == SHELL["a"] and above.p == pytest.approx(below.p, rel=1e-8)
    assert above.u_a == pytest.approx(below.u_a, rel=1e-8)


@pytest.mark.parametrize("e_star, p, u_a, c", [(0.010, 0.33239, 7.673286e-3, 1.0755),
                                               (0.012, 0.35853, 9.490305e-3, 1.1460)])
def test_epp_shell_vs_1d_fe(e_star, p, u_a, c):
    st = an.epp_shell_on_core(**SHELL, e_star=e_star)
    assert st.p / 1e9 == pytest.approx(p, rel=1e-3)  # the FE figures carry discretisation error
    assert st.u_a == pytest.approx(u_a, rel=1e-3)
    assert st.c == pytest.approx(c, rel=1e-3)
    r = np.linspace(1.0, 1.2, 2001)
    sr, sth = st.stresses(r)
    assert sr[0] == pytest.approx(-st.p, rel=1e-12) and abs(sr[-1]) < 1e-6
    plastic = r < st.c
    np.testing.assert_allclose((sth - sr)[plastic], 1e9, rtol=1e-12)
    assert np.all((sth - sr)[~plastic] <= 1e9 * (1 + 1e-12))
    mid = r[1:-1]
    residual = np.gradient(sr, r)[1:-1] + 2 * (sr - sth)[1:-1] / mid
    assert np.max(np.abs(residual[np.abs(mid - st.c) > 2e-4])) < 1e-5 * 1e9
    mirror = an.epp_shell_on_core(**SHELL, e_star=-e_star)
    assert (mirror.c, mirror.p, mirror.u_a) == pytest.approx((st.c, -st.p, -st.u_a))


def test_two_phase_core_pressure_table_b3e():
    f = np.array([0.9, 0.7, 0.5, 0.3, 0.1])
    A = f ** (1 / 3)
    BA = (A**3 + 3.808 * (1 - f)) ** (1 / 3) / A
    np.testing.assert_allclose(BA, [1.1248, 1.3807, 1.6878, 2.1462, 3.2795], atol=5e-5)
    p = [an.epp_shell_yield_limits(1.0, ba, 80e9, 0.22, 80e9, 0.22, 1e9)[2] / 1e9 for ba in BA]
    np.testing.assert_allclose(p, [0.235, 0.645, 1.047, 1.527, 2.375], atol=5e-4)


# ----------------------------------------------------------------------------- B4 plastic sphere
def test_epp_sphere_steady():
    sY, S = 1.0, 60.0
    x = np.linspace(0, 1, 20001)
    sr, st, xp = an.epp_sphere_galvanostatic_steady(x, S, sY)
    assert xp == pytest.approx(np.sqrt(15 * sY / S))
    assert sr[0] == pytest.approx(st[0])
    assert sr[0] == pytest.approx(sY * (1 + np.log(S / (15 * sY))))
    assert st[-1] == pytest.approx(-sY) and sr[-1] == pytest.approx(0, abs=1e-15)
    np.testing.assert_allclose(np.abs(st - sr)[x >= xp], sY, rtol=1e-12)
    np.testing.assert_allclose((sr - st)[x <= xp], S * x[x <= xp] ** 2 / 15, rtol=1e-12, atol=1e-15)
    residual = np.gradient(sr, x)[1:-1] + 2 * (sr - st)[1:-1] / x[1:-1]
    away = np.abs(x[1:-1] - xp) > 1e-3  # the difference quotient is O(h) at the kink in sigma_r''
    assert np.max(np.abs(residual[away])) < 1e-6
    neg = an.epp_sphere_galvanostatic_steady(x, -S, sY)
    np.testing.assert_allclose(neg[0], -sr)
    np.testing.assert_allclose(neg[1], -st)
    el = an.epp_sphere_galvanostatic_steady(x, 10.0, sY)
    ref = an.sphere_galvanostatic_steady(x, 0.0, 1.0, 1.0, 10.0, **UNIT)
    np.testing.assert_allclose(el[0], ref["sigma_r"])
    np.testing.assert_allclose(el[1], ref["sigma_t"])
    assert el[2] == 1.0


@pytest.mark.parametrize("R, J_y, c_rate", [(1e-6, 1.62e-6, 1 / 18), (100e-9, 1.62e-5, 5.6)])
def test_epp_sphere_yield_onset_example(R, J_y, c_rate):
    E, nu, Om, D, sY, c_max = 80e9, 0.22, 9.03e-6, 1e-16, 1e9, 3.11e5
    J = 15 * sY * D * (1 - nu) / (Om * E * R)
    assert J == pytest.approx(J_y, abs=5e-3 * J_y)
    assert an.galvanostatic_stress_scale(R, D, J, E, nu, Om) == pytest.approx(15 * sY)
    assert J / an.c_rate_flux(1.0, c_max, R) == pytest.approx(c_rate, rel=0.02)  # "about"


# ----------------------------------------------------------------------------- B5 fracture, energy
@pytest.mark.parametrize("E, nu, eps", [(0.355e9, 0.4, [0.350, 0.247, 0.175, 0.111]),
                                        (5e9, 0.3, [0.104, 0.074, 0.052, 0.033]),
                                        (50e9, 0.3, [0.033, 0.023, 0.017, 0.010])])
def test_channel_crack_table(E, nu, eps):
    h = np.array([5, 10, 20, 50]) * 1e-9
    e_c = an.channel_crack_critical_strain(1.0, E, nu, h)
    np.testing.assert_allclose(e_c, eps, atol=5e-4 + 1e-12)
    G = an.channel_crack_G(an.membrane_equibiaxial_stress(E, nu, e_c), h, E, nu)
    np.testing.assert_allclose(G, 1.0, rtol=1e-12)


def test_max_elastic_energy_density():
    got = [an.max_elastic_energy_density(E, ey) / 1e6
           for E, ey in ((0.355e9, 0.05), (0.355e9, 0.10), (5e9, 0.02), (50e9, 0.01))]
    np.testing.assert_allclose(got, [0.44, 1.78, 1.0, 2.5], atol=5e-3)


# ----------------------------------------------------------------------------- B6 SEI growth
def test_sei_solvent_diffusion_okane():
    V, D_sol, c_sol = 9.585e-5, 2.5e-22, 2636.0
    assert 2 * V * D_sol * c_sol == pytest.approx(1.2633e-22, abs=5e-27)
    year = 365.25 * 86400.0
    L_year = an.sei_thickness_solvent_diffusion(year, 0.0, V, D_sol, c_sol, 1)
    assert L_year / 1e-9 == pytest.approx(63.14, abs=5e-3)  # with a Julian year of 365.25 d
    L = an.sei_thickness_solvent_diffusion(np.array([0.0, year]), 5e-9, V, D_sol, c_sol, 1)
    assert L[0] == 5e-9 and L[1] ** 2 == pytest.approx(25e-18 + 1.2633e-22 * year, rel=1e-4)


def test_sei_reaction_limited():
    V, j0, z, T = 9.585e-5, 1.5e-7, 1, 298.15
    t = np.array([0.0, 1e5, 2e5])
    L = an.sei_thickness_reaction_limited(t, 5e-9, V, j0, 0.5, 0.0, T, z)
    np.testing.assert_allclose(L, 5e-9 + V * j0 * t / (an.FARADAY * z), rtol=1e-14)
    fast = an.sei_thickness_reaction_limited(t, 5e-9, V, j0, 0.5, -0.3, T, z)
    gain = np.exp(0.5 * an.FARADAY * 0.3 / (an.GAS_CONSTANT * T))
    np.testing.assert_allclose(fast - 5e-9, (L - 5e-9) * gain, rtol=1e-12)

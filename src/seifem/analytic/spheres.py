"""Solid and hollow spheres: stresses of a concentration profile, galvanostatic and potentiostatic series."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from seifem.analytic.common import (
    Pair,
    _grid,
    _j1_over_z,
    _profile_moments,
    _shell_roots,
    _sinc,
    _stresses,
    galvanostatic_stress_scale,
    tan_roots,
)


# ----------------------------------------------------------------------------- B1 solid sphere
def sphere_stress_from_profile(r: ArrayLike, c: ArrayLike, R: float, E: float, nu: float,
                               Omega: float) -> Pair:
    """(sigma_r, sigma_t) [Pa] of a traction-free solid sphere for a radial profile c(r) [mol m^-3].

    B1.1 (Timoshenko's thermal stresses with alpha T -> Omega c / 3). ``r`` [m] is an ascending grid
    from 0 to R; ``c`` has r on its last axis (leading axes, e.g. time, are vectorised).
    """
    c, K, c_avg, _ = _profile_moments(r, c, 0.0, R)
    return _stresses(c, K, c_avg, 0.0, E, nu, Omega)


def sphere_displacement_from_profile(r: ArrayLike, c: ArrayLike, R: float, nu: float, Omega: float,
                                     c_ref: float = 0.0) -> np.ndarray:
    """Radial displacement u(r) [m] of a traction-free solid sphere for a profile c(r).

    u = r Omega/(3(1-nu)) [(1+nu) K + 2(1-2nu) c_avg/3], K = (1/r^3) int_0^r (c - c_ref) s^2 ds
    (Timoshenko & Goodier, thermal sphere); u(R) = R Omega (c_avg - c_ref)/3 (B1.1), free of E, nu.
    """
    c, K, c_avg, _ = _profile_moments(r, np.asarray(c, dtype=float) - c_ref, 0.0, R)
    return np.asarray(r) * Omega / (3 * (1 - nu)) * ((1 + nu) * K + 2 * (1 - 2 * nu) * c_avg / 3)


def sphere_galvanostatic(r: ArrayLike, t: ArrayLike, R: float, D: float, J: float, c0: float = 0.0,
                         nterms: int = 200) -> dict[str, np.ndarray]:
    """Concentration in a sphere under constant inward flux J from c(r, 0) = c0 (B1.2).

    Carslaw & Jaeger section 9.3 series with lambda_n the roots of tan l = l:
    c_hat = (c - c0) D/(J R) = 3 tau + x^2/2 - 3/10 - 2 sum sin(l x) exp(-l^2 tau)/(x l^2 sin l).
    Returns a dict: "c" [mol m^-3], "c_avg" = c0 + 3 J t / R, and the normalised "x" = r/R,
    "tau" = D t/R^2, "c_hat" and "I_hat" = (1/x^3) int_0^x c_hat s^2 ds (I(x, tau) of B1.2).
    Truncation error ~ exp(-l_N^2 tau) for tau > 0 (about 5e-4 JR/D at tau = 0 with 200 terms).
    """
    x, tau = _grid(r, t, R, D)
    lam = tan_roots(nterms)
    w = np.exp(-lam**2 * tau[..., None]) / (lam * np.sin(lam))
    z = x[..., None] * lam
    c_hat = 3 * tau + x**2 / 2 - 0.3 - 2 * np.sum(_sinc(z) * w, axis=-1)
    I_hat = tau + x**2 / 10 - 0.1 - 2 * np.sum(_j1_over_z(z) * w, axis=-1)
    scale = J * R / D
    return {"c": c0 + scale * c_hat, "c_avg": c0 + 3 * scale * tau, "x": x, "tau": tau,
            "c_hat": c_hat, "I_hat": I_hat}


def sphere_galvanostatic_stress(r: ArrayLike, t: ArrayLike, R: float, D: float, J: float, E: float,
                                nu: float, Omega: float, nterms: int = 200) -> Pair:
    """(sigma_r, sigma_t) [Pa] for the galvanostatic sphere, term-by-term integrated (B1.2).

    s_r = (2/3)(tau - I), s_t = (1/3)(2 tau + I - c_hat) in units of S = Omega E J R/(D(1-nu)).
    Exact at r = 0, where sigma_r = sigma_t (Cheng & Verbrugge 2009, J. Power Sources 190:453).
    """
    sol = sphere_galvanostatic(r, t, R, D, J, 0.0, nterms)
    s = J * R / D
    return _stresses(s * sol["c_hat"], s * sol["I_hat"], 3 * s * sol["tau"], 0.0, E, nu, Omega)


def sphere_galvanostatic_steady(r: ArrayLike, t: ArrayLike, R: float, D: float, J: float, E: float,
                                nu: float, Omega: float, c0: float = 0.0) -> dict[str, np.ndarray]:
    """Long-time galvanostatic limit (B1.2): dict with "c" [mol m^-3], "sigma_r", "sigma_t" [Pa].

    c = c0 + (J R/D)(3 tau + x^2/2 - 3/10), sigma_r = S (1 - x^2)/15, sigma_t = S (1 - 2 x^2)/15.
    """
    x, tau = _grid(r, t, R, D)
    S = galvanostatic_stress_scale(R, D, J, E, nu, Omega)
    return {"c": c0 + J * R / D * (3 * tau + x**2 / 2 - 0.3),
            "sigma_r": S * (1 - x**2) / 15, "sigma_t": S * (1 - 2 * x**2) / 15}


def sphere_potentiostatic(r: ArrayLike, t: ArrayLike, R: float, D: float, c_s: float,
                          c0: float = 0.0, nterms: int | None = None) -> dict[str, np.ndarray]:
    """Concentration in a sphere with surface concentration c_s for t > 0 (B1.3, Crank eq. 6.18).

    c_hat = (c - c0)/(c_s - c0) = 1 + 2 sum (-1)^n sin(n pi x)/(n pi x) exp(-n^2 pi^2 tau).
    Returns a dict: "c", "c_avg" [mol m^-3] and normalised "x", "tau", "c_hat", "c_avg_hat",
    "K_hat" = (1/x^3) int_0^x c_hat s^2 ds. ``nterms=None`` picks n with n^2 pi^2 tau_min > 40
    (cost grows like tau_min^-1/2). Requires t > 0.
    """
    x, tau = _grid(r, t, R, D)
    if np.any(tau <= 0):
        raise ValueError("the potentiostatic series needs t > 0")
    if nterms is None:
        nterms = int(np.ceil(np.sqrt(40 / (np.pi**2 * tau.min())))) + 20
    n = np.arange(1, nterms + 1)
    e = np.exp(-(n * np.pi) ** 2 * tau[..., None])
    w = 2 * (-1.0) ** n * e
    z = x[..., None] * n * np.pi
    c_hat = 1 + np.sum(w * _sinc(z), axis=-1)
    K_hat = 1 / 3 + np.sum(w * _j1_over_z(z), axis=-1)
    avg = 1 - 6 / np.pi**2 * np.sum(e / n**2, axis=-1)
    dc = c_s - c0
    return {"c": c0 + dc * c_hat, "c_avg": c0 + dc * avg, "x": x, "tau": tau,
            "c_hat": c_hat, "c_avg_hat": avg, "K_hat": K_hat}


def sphere_potentiostatic_stress(r: ArrayLike, t: ArrayLike, R: float, D: float, c_s: float,
                                 E: float, nu: float, Omega: float, c0: float = 0.0,
                                 nterms: int | None = None) -> Pair:
    """(sigma_r, sigma_t) [Pa] for the potentiostatic sphere (B1.3 series in B1.1); exact at r = 0.

    Normalisation s = sigma (1 - nu)/(Omega E (c_s - c0)): peak centre 0.128525 at tau = 0.0574,
    s_t(R) -> -1/3 as tau -> 0+ (Cheng & Verbrugge 2009, J. Power Sources 190:453).
    """
    sol = sphere_potentiostatic(r, t, R, D, c_s, 0.0, nterms)
    dc = c_s - c0
    return _stresses(dc * sol["c_hat"], dc * sol["K_hat"], dc * sol["c_avg_hat"], 0.0, E, nu, Omega)


# ----------------------------------------------------------------------------- B2 hollow sphere
def hollow_sphere_stress_from_profile(r: ArrayLike, c: ArrayLike, a: float, b: float, E: float,
                                      nu: float, Omega: float) -> Pair:
    """(sigma_r, sigma_t) [Pa] of a hollow sphere a <= r <= b, both surfaces traction-free (B2.1).

    Timoshenko-Goodier hollow-sphere thermal stresses with alpha T -> Omega c / 3; ``r`` is an
    ascending grid from a to b, c has r on its last axis. a = 0 gives B1.1.
    """
    return _stresses(*_profile_moments(r, c, a, b), E, nu, Omega)


def hollow_sphere_galvanostatic_steady_hoop(rho: ArrayLike, j_o: float, j_i: float) -> Pair:
    """Normalised steady hoop stresses (s_t(a), s_t(b)), s = sigma (1-nu) D/(Omega E J b) (B2.2).

    rho = a/b; j_o, j_i are the inward flux densities at the outer and inner surface in units of J.
    Limits rho -> 0 (outer only): s_t(a) -> 0.1, s_t(b) -> -1/15.
    """
    p = np.asarray(rho, dtype=float)
    den = 30 * (p**2 + p + 1) ** 2
    s_a = (p - 1) * (2 * j_i * p**4 + 6 * j_i * p**3 + 12 * j_i * p**2 + 10 * j_i * p
                     - 3 * j_o * p**2 - 9 * j_o * p - 3 * j_o) / den
    s_b = -(p - 1) * (3 * j_i * p**4 + 9 * j_i * p**3 + 3 * j_i * p**2
                      - 10 * j_o * p**3 - 12 * j_o * p**2 - 6 * j_o * p - 2 * j_o) / den
    return s_a, s_b


def hollow_sphere_galvanostatic(r: ArrayLike, t: ArrayLike, a: float, b: float, D: float,
                                J_outer: float, J_inner: float, c0: float = 0.0,
                                nterms: int = 200) -> dict[str, np.ndarray]:
    """Concentration in a hollow sphere a < r < b with constant inward fluxes, c(r, 0) = c0.

    J_outer enters through r = b, J_inner through r = a, both positive into the shell
    [mol m^-2 s^-1].
    c = c0 + (b/D)[A tau + f(x) - f_avg + sum_k a_k exp(-mu_k^2 tau) sin(psi_k)/x], with A and f of
    B2.2 (j -> J), psi_k = mu_k (x - rho) + arctan(mu_k rho), mu_k the Neumann eigenvalues of the
    shell and a_k = -(J_o sin psi_k(1) + rho J_i sin(arctan(mu_k rho)))/(mu_k^2 N_k) by Green's
    identity. rho -> 0 recovers B1.2. Returns a dict: "c", "c_avg" [mol m^-3], "M" =
    int_a^r c s^2 ds [mol m^-1] (closed form: int_rho^x phi s^2 ds = -x^2 phi'(x)/mu^2), "x" = r/b,
    "tau" = D t/b^2.
    """
    if not 0 < a < b:
        raise ValueError("need 0 < a < b (use sphere_galvanostatic for a solid sphere)")
    rho = a / b
    x, tau = _grid(r, t, b, D)
    if np.any(x < rho * (1 - 1e-12)):
        raise ValueError(f"r must lie in [{a}, {b}]")
    A = 3 * (J_outer + rho**2 * J_inner) / (1 - rho**3)
    B = A / 3 - J_outer
    f_avg = 3 * (A * (1 - rho**5) / 30 + B * (1 - rho**2) / 2) / (1 - rho**3)
    mu = _shell_roots(rho, nterms)
    th = np.arctan(mu * rho)
    psi1 = mu * (1 - rho) + th
    norm = (1 - rho) / 2 - (np.sin(2 * psi1) - np.sin(2 * th)) / (4 * mu)
    w = (-(J_outer * np.sin(psi1) + rho * J_inner * np.sin(th)) / (mu**2 * norm)
         * np.exp(-mu**2 * tau[..., None]))
    psi = mu * (x[..., None] - rho) + th
    c_hat = A * tau + A * x**2 / 6 + B / x - f_avg + np.sum(w * np.sin(psi), axis=-1) / x
    m_hat = ((A * tau - f_avg) * (x**3 - rho**3) / 3 + A * (x**5 - rho**5) / 30
             + B * (x**2 - rho**2) / 2
             + np.sum(w * (np.sin(psi) - x[..., None] * mu * np.cos(psi)) / mu**2, axis=-1))
    return {"c": c0 + b / D * c_hat, "c_avg": c0 + b / D * A * tau,
            "M": b**3 * (c0 * (x**3 - rho**3) / 3 + b / D * m_hat), "x": x, "tau": tau}


def hollow_sphere_galvanostatic_stress(r: ArrayLike, t: ArrayLike, a: float, b: float, D: float,
                                       J_outer: float, J_inner: float, E: float, nu: float,
                                       Omega: float, nterms: int = 200) -> Pair:
    """(sigma_r, sigma_t) [Pa] of the galvanostatic hollow sphere: series of
    ``hollow_sphere_galvanostatic`` in B2.1; tends to B2.2 at long times."""
    sol = hollow_sphere_galvanostatic(r, t, a, b, D, J_outer, J_inner, 0.0, nterms)
    r3 = (b * sol["x"]) ** 3
    return _stresses(sol["c"], sol["M"] / r3, sol["c_avg"], a**3 / r3, E, nu, Omega)



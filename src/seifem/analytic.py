"""Closed-form and series reference solutions for seifem's verification tests.

Formula numbers refer to ``benchmark-formulas.md`` (sections B1-B6). Conventions: small strain,
isotropic eigenstrain eps* = (Omega/3)(c - c_ref) I, tension positive, J the *inward* molar flux
[mol m^-2 s^-1], sigma_r radial and sigma_t hoop stress. Inputs and outputs are SI
(m, s, Pa, mol m^-3, m^3 mol^-1). Pure numpy/scipy, no dolfinx.

The series solutions broadcast ``r`` against ``t`` (pass ``r[None, :]`` and ``t[:, None]`` for a
time x radius table); memory and time scale as size(broadcast(r, t)) * nterms.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy.optimize import brentq

__all__ = [
    "FARADAY", "GAS_CONSTANT", "tan_roots", "c_rate_flux", "galvanostatic_stress_scale",
    "sphere_stress_from_profile", "sphere_displacement_from_profile",
    "sphere_galvanostatic", "sphere_galvanostatic_stress", "sphere_galvanostatic_steady",
    "sphere_potentiostatic", "sphere_potentiostatic_stress",
    "hollow_sphere_stress_from_profile", "hollow_sphere_galvanostatic_steady_hoop",
    "hollow_sphere_galvanostatic", "hollow_sphere_galvanostatic_stress",
    "LayeredSphere", "layered_sphere", "core_shell_pressure", "yolk_shell_contact_pressure", "shell_hoop_stress",
    "membrane_equibiaxial_stress", "neo_hookean_membrane_stress",
    "EPPShell", "epp_shell_on_core", "epp_shell_yield_limits", "epp_sphere_galvanostatic_steady",
    "channel_crack_G", "channel_crack_critical_strain", "max_elastic_energy_density",
    "sei_thickness_solvent_diffusion", "sei_thickness_reaction_limited",
]

from seifem.units import FARADAY, GAS_CONSTANT  # noqa: E402  (CODATA 2018, exact)

Pair = tuple[np.ndarray, np.ndarray]  # (sigma_r, sigma_t) [Pa]


# ----------------------------------------------------------------------------- helpers
def _sinc(z):
    """sin(z)/z, equal to 1 at z = 0."""
    return np.sinc(np.asarray(z) / np.pi)


def _j1_over_z(z):
    """(sin z - z cos z)/z^3 = j1(z)/z, without cancellation near z = 0 (limit 1/3)."""
    z = np.asarray(z, dtype=float)
    small = np.abs(z) < 0.05
    zs = np.where(small, 1.0, z)
    z2 = z * z
    taylor = 1 / 3 - z2 / 30 + z2 * z2 / 840 - z2**3 / 45360
    return np.where(small, taylor, (np.sin(zs) - zs * np.cos(zs)) / zs**3)


def _shell_roots(rho: float, n: int) -> np.ndarray:
    """First n positive Neumann eigenvalues mu_k of the shell rho < x < 1 (spherical Laplacian).

    They solve mu (1 - rho) + arctan(mu rho) - arctan(mu) = k pi, k = 1..n; the left side is
    strictly increasing with the root in [k pi, (k + 1/2) pi]/(1 - rho), so vectorised bisection
    to machine precision is robust. rho = 0 gives tan(mu) = mu.
    """
    k = np.pi * np.arange(1, n + 1)
    lo, hi = k / (1 - rho), (k + np.pi / 2) / (1 - rho)
    for _ in range(100):
        mid = 0.5 * (lo + hi)
        neg = mid * (1 - rho) + np.arctan(mid * rho) - np.arctan(mid) - k < 0
        lo, hi = np.where(neg, mid, lo), np.where(neg, hi, mid)
    return 0.5 * (lo + hi)


def _grid(r, t, L, D):
    """Broadcast x = r/L and tau = D t / L^2; reject negative times and radii outside [0, L]."""
    r, t = np.asarray(r, dtype=float), np.asarray(t, dtype=float)
    if np.any(t < 0):
        raise ValueError("t must be >= 0")
    if np.any(r < 0) or np.any(r > L * (1 + 1e-12)):
        raise ValueError(f"r must lie in [0, {L}]")
    return np.broadcast_arrays(r / L, D * t / L**2)


def _stresses(c, K, c_avg, s, E, nu, Omega):
    """B1.1 / B2.1 with K = (1/r^3) int_a^r c r'^2 dr', c_avg the body average and s = a^3/r^3."""
    p = Omega * E / (3 * (1 - nu))
    q = np.asarray(c_avg) / 3
    return 2 * p * ((1 - s) * q - K), p * ((2 + s) * q + K - c)


def _profile_moments(r, c, a, b):
    """K(r), c_avg and a^3/r^3 for c given on an ascending grid spanning [a, b] (last axis of c).

    The moment int_a^r c s^2 ds is integrated exactly for the piecewise-linear interpolant of c
    (second order; unlike the plain trapezoid rule on c r^2 it is exact near r = 0 for linear c).
    """
    r, c = np.asarray(r, dtype=float), np.asarray(c, dtype=float)
    if r.ndim != 1 or r.size < 2 or c.shape[-1] != r.size or np.any(np.diff(r) <= 0):
        raise ValueError("r must be 1-D, ascending, with len(r) == c.shape[-1]")
    tol = 1e-9 * b
    if abs(r[0] - a) > tol or abs(r[-1] - b) > tol:
        raise ValueError(f"the grid must span [{a}, {b}], got [{r[0]}, {r[-1]}]")
    lo, h = r[:-1], np.diff(r)
    seg = h * (c[..., :-1] * (lo**2 / 2 + lo * h / 3 + h**2 / 12)
               + c[..., 1:] * (lo**2 / 2 + 2 * lo * h / 3 + h**2 / 4))
    M = np.concatenate([np.zeros(c.shape[:-1] + (1,)), np.cumsum(seg, axis=-1)], axis=-1)
    pos = r > 0
    r3 = np.where(pos, r, 1.0) ** 3
    K = np.where(pos, M / r3, c / 3)  # r = 0 only for a solid sphere: limit c(0)/3
    return c, K, 3 * M[..., -1:] / (b**3 - a**3), np.where(pos, a**3 / r3, 0.0)


# ----------------------------------------------------------------------------- conventions
def tan_roots(n: int) -> np.ndarray:
    """First n positive roots of tan(l) = l (4.493409..., 7.725251..., ...), to ~1 ulp."""
    return _shell_roots(0.0, int(n))


def c_rate_flux(c_rate: ArrayLike, c_max: float, R: float) -> np.ndarray:
    """Inward flux J = C c_max R/(3*3600 s) [mol m^-2 s^-1] that fills a sphere of radius R [m]
    in 1/C hours (benchmark-formulas.md, "Common conventions").
    """
    return np.asarray(c_rate) * c_max * R / (3 * 3600.0)


def galvanostatic_stress_scale(R: float, D: float, J: float, E: float, nu: float,
                               Omega: float) -> float:
    """Elastic stress scale S = Omega E J R / (D (1 - nu)) [Pa] of B1.2 / B4."""
    return Omega * E * J * R / (D * (1 - nu))


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


# ----------------------------------------------------------------------------- B3 layered spheres
@dataclass(frozen=True)
class LayeredSphere:
    """Concentric elastic layers (B3.1): u = A_i r + B_i/r^2 in layer i, r_{i-1} < r <= r_i.

    ``radii`` [m] are the outer radii; ``K``, ``G`` [Pa] bulk and shear moduli; ``eigenstrain`` the
    linear eigenstrain per layer. ``side="left"`` assigns an interface point to the inner layer,
    ``side="right"`` to the outer one (e.g. sigma_t(a+) of a shell).
    """

    radii: np.ndarray
    K: np.ndarray
    G: np.ndarray
    eigenstrain: np.ndarray
    A: np.ndarray
    B: np.ndarray

    def _parts(self, r, side):
        r = np.asarray(r, dtype=float)
        i = np.clip(np.searchsorted(self.radii, r, side=side), 0, self.radii.size - 1)
        B_r3 = np.divide(self.B[i], r**3, out=np.zeros_like(r), where=self.B[i] != 0)
        return r, i, B_r3

    def u(self, r: ArrayLike, side: str = "left") -> np.ndarray:
        """Radial displacement [m]."""
        r, i, B_r3 = self._parts(r, side)
        return self.A[i] * r + B_r3 * r

    def sigma_r(self, r: ArrayLike, side: str = "left") -> np.ndarray:
        """Radial stress [Pa]: 3K(A - e) - 4G B/r^3."""
        r, i, B_r3 = self._parts(r, side)
        return 3 * self.K[i] * (self.A[i] - self.eigenstrain[i]) - 4 * self.G[i] * B_r3

    def sigma_t(self, r: ArrayLike, side: str = "left") -> np.ndarray:
        """Hoop stress [Pa]: 3K(A - e) + 2G B/r^3."""
        r, i, B_r3 = self._parts(r, side)
        return 3 * self.K[i] * (self.A[i] - self.eigenstrain[i]) + 2 * self.G[i] * B_r3


def layered_sphere(radii: ArrayLike, E: ArrayLike, nu: ArrayLike,
                   eigenstrain: ArrayLike) -> LayeredSphere:
    """Solve N concentric layers with uniform eigenstrain per layer (B3.1).

    Continuity of u and sigma_r at each interface, sigma_r(r_N) = 0, B_1 = 0 (regular centre).
    ``radii`` are the outer radii r_1 < ... < r_N [m]; E [Pa], nu, eigenstrain per layer
    (scalars broadcast). Solved in units of r_N and max K for conditioning.
    """
    radii = np.atleast_1d(np.asarray(radii, dtype=float))
    n = radii.size
    E, nu, e = (np.broadcast_to(np.asarray(v, dtype=float), (n,)) for v in (E, nu, eigenstrain))
    if radii[0] <= 0 or np.any(np.diff(radii) <= 0):
        raise ValueError("radii must be positive and increasing")
    K, G = E / (3 * (1 - 2 * nu)), E / (2 * (1 + nu))
    x, k, g = radii / radii[-1], 3 * K / K.max(), 4 * G / K.max()
    M, rhs = np.zeros((2 * n, 2 * n)), np.zeros(2 * n)  # unknowns [A_1..A_N, B_1..B_N / r_N^3]
    M[0, n] = 1.0
    for i in range(n - 1):
        M[1 + 2 * i, [i, n + i, i + 1, n + i + 1]] = [x[i], x[i] ** -2, -x[i], -x[i] ** -2]
        M[2 + 2 * i, [i, n + i, i + 1, n + i + 1]] = [k[i], -g[i] / x[i] ** 3, -k[i + 1],
                                                       g[i + 1] / x[i] ** 3]
        rhs[2 + 2 * i] = k[i] * e[i] - k[i + 1] * e[i + 1]
    M[-1, [n - 1, 2 * n - 1]] = [k[-1], -g[-1]]
    rhs[-1] = k[-1] * e[-1]
    sol = np.linalg.solve(M, rhs)
    sol[n] = 0.0  # exactly, so that the core is evaluated at r = 0 without 0/0
    return LayeredSphere(radii, K, G, e.copy(), sol[:n], sol[n:] * radii[-1] ** 3)


def core_shell_pressure(a: float, b: float, Ec: float, nuc: float, Es: float, nus: float,
                        e_star: float) -> float:
    """Interface pressure p = -sigma_r(a) [Pa] of a core (radius a, eigenstrain e*) in a shell to b.

    B3.1 two-layer closed form p = e*/[1/(3K_c) + (a^3/(3K_s) + b^3/(4G_s))/(b^3 - a^3)].
    Shell hoop stress: sigma_t(r) = p a^3/(b^3 - a^3) (b^3/(2 r^3) + 1).
    """
    Kc, Ks, Gs = Ec / (3 * (1 - 2 * nuc)), Es / (3 * (1 - 2 * nus)), Es / (2 * (1 + nus))
    return e_star / (1 / (3 * Kc) + (a**3 / (3 * Ks) + b**3 / (4 * Gs)) / (b**3 - a**3))


def yolk_shell_contact_pressure(a: float, gap: float, t: float, Ec: float, nuc: float, Es: float, nus: float,
                                e_star: float) -> tuple[float, float]:
    """(p_core, p_shell) [Pa]: contact pressure on a core (radius a, uniform eigenstrain e*)
    and on the inside of a concentric shell (inner radius b = a + gap, outer c = b + t) that it
    touches across an initial gap; both 0 until the freely swelling core reaches the shell
    (a e* <= gap). Small strain, frictionless.

    Derived here: the core under pressure p_c is uniformly strained, u_c(a) = a (e* - p_c/(3K_c));
    the shell under internal pressure p_s (Lame) has u_s(b) = p_s b (b^3/(3K_s) + c^3/(4G_s)) /
    (c^3 - b^3). The surfaces touch when u_c(a) - u_s(b) = gap, and they exchange one force,
    4 pi a^2 p_c = 4 pi b^2 p_s (at small strain each surface carries it on its own reference
    area, so the pressures differ by (b/a)^2 ~ 1 + 2 gap/a). Hence
    p_s = (a e* - gap) / [(b/a)^2 a/(3K_c) + b (b^3/(3K_s) + c^3/(4G_s)) / (c^3 - b^3)].
    For gap = 0 this is `core_shell_pressure` (a bonded shell under compression)."""
    Kc, Ks, Gs = Ec / (3 * (1 - 2 * nuc)), Es / (3 * (1 - 2 * nus)), Es / (2 * (1 + nus))
    b = a + gap
    c = b + t
    ratio = (b / a) ** 2
    p_shell = max(0.0, (a * e_star - gap) / (ratio * a / (3 * Kc) + b * (b**3 / (3 * Ks) + c**3 / (4 * Gs))
                                             / (c**3 - b**3)))
    return ratio * p_shell, p_shell


def shell_hoop_stress(r: ArrayLike, b: float, c: float, p: float) -> np.ndarray:
    """Hoop stress [Pa] in a thick spherical shell b <= r <= c under internal pressure p
    (Lame): sigma_t = p b^3 / (c^3 - b^3) (1 + c^3 / (2 r^3))."""
    r = np.asarray(r, dtype=float)
    return p * b**3 / (c**3 - b**3) * (1 + c**3 / (2 * r**3))


def membrane_equibiaxial_stress(E: float, nu: float, strain: ArrayLike) -> np.ndarray:
    """Equibiaxial membrane stress E eps/(1 - nu) [Pa] (B3.1 compliant-membrane limit)."""
    return E * np.asarray(strain) / (1 - nu)


def neo_hookean_membrane_stress(E: float, stretch: ArrayLike) -> np.ndarray:
    """Cauchy hoop stress mu (l^2 - l^-4), mu = E/3, of an incompressible neo-Hookean membrane
    under equibiaxial stretch l (B3.4; radial stress neglected) [Pa]."""
    lam = np.asarray(stretch, dtype=float)
    return E / 3 * (lam**2 - lam**-4)


@dataclass(frozen=True)
class EPPShell:
    """Elastic core + elastic-perfectly-plastic shell state (B3.2): plastic front c [m], core
    pressure p [Pa], interface displacement u_a = u(a) [m]; c = a while the shell is elastic."""

    a: float
    b: float
    sigma_Y: float  # signed: negative for a shrinking core (e* < 0)
    c: float
    p: float
    u_a: float

    def stresses(self, r: ArrayLike) -> Pair:
        """(sigma_r, sigma_t) [Pa] in the core (r < a, hydrostatic -p) and the shell."""
        r = np.asarray(r, dtype=float)
        a, b, c, sY, p = self.a, self.b, self.c, self.sigma_Y, self.p
        k = 2 * sY * c**3 / (3 * b**3) if c > a else p * a**3 / (b**3 - a**3)
        with np.errstate(divide="ignore", invalid="ignore"):  # masked r = 0 entries
            sr_pl = -(2 * sY / 3) * (1 - c**3 / b**3) - 2 * sY * np.log(c / r)
            sr = np.where(r < c, sr_pl, -k * (b**3 / r**3 - 1))
            st = np.where(r < c, sr + sY, k * (b**3 / (2 * r**3) + 1))
        core = r < a
        return np.where(core, -p, sr), np.where(core, -p, st)


def _epp_shell_state(c, a, b, Ec, nuc, E, nu, sY):
    """(e*, p, u(a)) for a plastic front at c (Hill's expanding shell, B3.2)."""
    s_rc = -(2 * sY / 3) * (1 - c**3 / b**3)
    p = 2 * sY * np.log(c / a) - s_rc
    u_c = sY * c / (3 * E) * (2 * (1 - 2 * nu) * c**3 / b**3 + 1 + nu)
    plastic_dilatation = (1 - 2 * nu) / E * (s_rc * (c**3 - a**3) + 2 * sY * a**3 * np.log(c / a))
    u_a = (c**2 * u_c - plastic_dilatation) / a**2
    return u_a / a + p * (1 - 2 * nuc) / Ec, p, u_a


def epp_shell_yield_limits(a: float, b: float, Ec: float, nuc: float, E: float, nu: float,
                           sigma_Y: float) -> tuple[float, float, float]:
    """(e* at first yield, e* at full plasticity, p_lim = 2 sigma_Y ln(b/a) [Pa]) (B3.2)."""
    e_y = _epp_shell_state(a, a, b, Ec, nuc, E, nu, sigma_Y)[0]
    e_full, p_lim, _ = _epp_shell_state(b, a, b, Ec, nuc, E, nu, sigma_Y)
    return e_y, e_full, p_lim


def epp_shell_on_core(a: float, b: float, Ec: float, nuc: float, E: float, nu: float,
                      sigma_Y: float, e_star: float) -> EPPShell:
    """Elastic core (Ec, nuc, eigenstrain e*) in an elastic-perfectly-plastic von Mises shell.

    B3.2 (Hill's expanding shell), monotonic loading; the plastic front c follows from core
    compatibility a(e* - p(1-2nuc)/Ec) = u(a). Elastic shell (c = a) below first yield. Beyond
    full plasticity small strain gives unbounded flow: c = b, p = p_lim and u(a) follows from the
    core. e* < 0 returns the mirrored (negated) state. Lengths [m], moduli and stresses [Pa].
    """
    sgn, e_abs = (1.0 if e_star >= 0 else -1.0), abs(e_star)
    e_y, e_full, p_lim = epp_shell_yield_limits(a, b, Ec, nuc, E, nu, sigma_Y)
    if e_abs <= e_y:
        c, p = a, core_shell_pressure(a, b, Ec, nuc, E, nu, e_abs)
        u_a = a * (e_abs - p * (1 - 2 * nuc) / Ec)
    elif e_abs < e_full:
        def mismatch(cc):
            return _epp_shell_state(cc, a, b, Ec, nuc, E, nu, sigma_Y)[0] - e_abs
        c = brentq(mismatch, a, b, xtol=1e-15 * a, rtol=1e-15)
        _, p, u_a = _epp_shell_state(c, a, b, Ec, nuc, E, nu, sigma_Y)
    else:
        c, p = b, p_lim
        u_a = a * (e_abs - p * (1 - 2 * nuc) / Ec)
    return EPPShell(a, b, sgn * sigma_Y, float(c), float(sgn * p), float(sgn * u_a))


# ----------------------------------------------------------------------------- B4 plastic sphere
def epp_sphere_galvanostatic_steady(x: ArrayLike, S: float,
                                    sigma_Y: float) -> tuple[np.ndarray, np.ndarray, float]:
    """Steady galvanostatic elastic-perfectly-plastic solid sphere (B4): (sigma_r, sigma_t, x_p).

    x = r/R; S = Omega E J R/(D(1-nu)) [Pa] (negative for delithiation, which mirrors all signs);
    plastic zone x_p < x <= 1 with x_p = (15 sigma_Y/|S|)^(1/2). x_p = 1 and the elastic field
    S(1 - x^2)/15, S(1 - 2x^2)/15 when |S| <= 15 sigma_Y. Stresses in Pa.
    """
    x = np.asarray(x, dtype=float)
    sgn, S = np.sign(S), abs(S)
    if S <= 15 * sigma_Y:
        return sgn * S * (1 - x**2) / 15, sgn * S * (1 - 2 * x**2) / 15, 1.0
    xp = np.sqrt(15 * sigma_Y / S)
    q = np.minimum(x**2 / xp**2, 1.0)
    sr = -2 * sigma_Y * np.log(np.maximum(x, xp)) + sigma_Y * (1 - q)
    return sgn * sr, sgn * (sr - sigma_Y * q), xp


# ----------------------------------------------------------------------------- B5 fracture, energy
def channel_crack_G(sigma: ArrayLike, h: float, E: float, nu: float,
                    Z: float = 1.976) -> np.ndarray:
    """Channel-crack energy release rate G = Z sigma^2 h (1 - nu^2)/E [J m^-2] of a film of
    thickness h [m] (B5.3; Hutchinson & Suo 1992, Z = 1.976 without elastic mismatch)."""
    return Z * np.asarray(sigma) ** 2 * h * (1 - nu**2) / E


def channel_crack_critical_strain(Gamma: float, E: float, nu: float, h: ArrayLike,
                                  Z: float = 1.976) -> np.ndarray:
    """Critical equibiaxial film strain eps_c = [Gamma (1-nu)/(Z E h (1+nu))]^(1/2) (B5.3)."""
    return np.sqrt(Gamma * (1 - nu) / (Z * E * np.asarray(h) * (1 + nu)))


def max_elastic_energy_density(E: float, eps_y: ArrayLike) -> np.ndarray:
    """Strain-energy density at the elastic limit, E eps_y^2 / 2 [J m^-3] (B5.4)."""
    return 0.5 * E * np.asarray(eps_y) ** 2


# ----------------------------------------------------------------------------- B6 SEI growth
def sei_thickness_solvent_diffusion(t: ArrayLike, L0: float, V: float, D_sol: float, c_sol: float,
                                    z: float) -> np.ndarray:
    """SEI thickness [m], solvent-diffusion limited, at rest: L^2 = L0^2 + 2 V D_sol c_sol t/z.

    B6 closed form of PyBaMM's SEIGrowth "solvent-diffusion limited" (Marquis 2020, sec. 5.6.4);
    V [m^3 mol^-1], D_sol [m^2 s^-1], c_sol [mol m^-3], t [s].
    """
    return np.sqrt(L0**2 + 2 * V * D_sol * c_sol * np.asarray(t) / z)


def sei_thickness_reaction_limited(t: ArrayLike, L0: float, V: float, j0: float, alpha: float,
                                   eta: float, T: float, z: float) -> np.ndarray:
    """SEI thickness [m] for reaction-limited growth: L = L0 + V j0 exp(-alpha F eta/(R T)) t/(F z).

    B6 closed form of PyBaMM's SEIGrowth "reaction limited"; j0 [A m^-2], eta [V], T [K], t [s].
    """
    rate = V * j0 * np.exp(-alpha * FARADAY * eta / (GAS_CONSTANT * T)) / (FARADAY * z)
    return L0 + rate * np.asarray(t)

"""Shared helpers and conventions of the closed forms (series roots, C-rate flux, stress scale)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

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
    in 1/C hours (docs/verification.md, "Common conventions").
    """
    return np.asarray(c_rate) * c_max * R / (3 * 3600.0)


def galvanostatic_stress_scale(R: float, D: float, J: float, E: float, nu: float,
                               Omega: float) -> float:
    """Elastic stress scale S = Omega E J R / (D (1 - nu)) [Pa] of B1.2 / B4."""
    return Omega * E * J * R / (D * (1 - nu))



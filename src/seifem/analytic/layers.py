"""Layered and yolk-shell spheres (Lame), membranes, elastic-perfectly-plastic shells and spheres."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy.optimize import brentq

from seifem.analytic.common import Pair


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



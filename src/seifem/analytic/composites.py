"""Closed forms for electrode patches: confined swelling layer, swelling sphere in a matrix,
two-phase bounds. Small strain, isotropic phases, tension positive, e* the *linear* free
swelling strain per axis (eigenstrain e* I). Any consistent units (the tests use GPa, um).
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "bulk_shear",
    "confined_layer_strain",
    "confined_neo_hookean_stretch",
    "hashin_shtrikman_bulk",
    "hollow_inclusion_in_shell",
    "inclusion_in_shell",
    "inclusion_pressure",
    "inclusion_spring_pressure",
    "levin_free_strain",
]


def bulk_shear(E: float, nu: float) -> tuple[float, float]:
    """(K, mu) from Young's modulus and Poisson's ratio."""
    return E / (3 * (1 - 2 * nu)), E / (2 * (1 + nu))


def confined_layer_strain(e: float, nu: float, pressure: float = 0.0, E: float = 1.0) -> float:
    """Through-thickness strain of a layer that cannot expand laterally (uniaxial strain),
    with eigenstrain e I and a compressive pressure P on its top:

        eps_z = e (1 + nu) / (1 - nu) - P (1 + nu)(1 - 2 nu) / (E (1 - nu)).

    From sigma_z = (lambda + 2 mu) eps_z - (3 lambda + 2 mu) e = -P."""
    return e * (1 + nu) / (1 - nu) - pressure * (1 + nu) * (1 - 2 * nu) / (E * (1 - nu))


def confined_neo_hookean_stretch(J_ch: float, E: float, nu: float, pressure: float = 0.0) -> float:
    """Through-thickness stretch lambda of a laterally confined compressible neo-Hookean layer
    (`physics.finite_strain`) with the chemical volume ratio J_ch, under a dead pressure P on
    its top (F = diag(1, 1, lambda), F_e = J_ch^(-1/3) F):

        sigma_zz = [mu (a^2 lambda^2 - 1) + lambda_L ln(a^3 lambda)] / (a^3 lambda) = -P,  a = J_ch^(-1/3)

    (the Cauchy stress tau_e / J_e of the neo-Hookean law; with F = diag(1, 1, lambda) the top
    keeps its area, so the dead load is the true pressure). Solved by bracketed root finding."""
    from scipy.optimize import brentq

    lam_L, mu = E * nu / ((1 + nu) * (1 - 2 * nu)), E / (2 * (1 + nu))
    a = J_ch ** (-1 / 3)

    def szz(lam: float) -> float:
        return (mu * (a * a * lam * lam - 1) + lam_L * np.log(a**3 * lam)) / (a**3 * lam) + pressure

    return brentq(szz, 1e-3, 1e3, xtol=1e-15, rtol=4 * np.finfo(float).eps)


def inclusion_pressure(K1: float, mu2: float, e: float) -> float:
    """Uniform mean stress inside a sphere (bulk modulus K1, eigenstrain e I) bonded in an
    infinite matrix (shear modulus mu2): sigma = -12 K1 mu2 e / (3 K1 + 4 mu2) (Eshelby; the
    Lame solution with u = A r inside, B / r^2 outside). Returns sigma (negative for e > 0)."""
    return -12 * K1 * mu2 * e / (3 * K1 + 4 * mu2)


def inclusion_spring_pressure(K1: float, mu2: float, e: float, a: float, kn: float) -> float:
    """`inclusion_pressure` with a linear spring interface of normal stiffness kn (stress per
    opening) between the sphere (radius a) and the infinite matrix: the radial jump
    B / a^2 - C a = sigma / kn gives sigma = -12 K1 mu2 e / (3 K1 + 4 mu2 + 12 K1 mu2 / (kn a)).
    sigma is also the interface's normal traction sigma_rr(a): tensile (> 0) for a shrinking
    sphere (e < 0), the load that debonds it."""
    return -12 * K1 * mu2 * e / (3 * K1 + 4 * mu2 + 12 * K1 * mu2 / (kn * a))


def inclusion_in_shell(K1: float, K2: float, mu2: float, e: float, a: float, b: float,
                       outer: str = "free") -> tuple[float, float]:
    """A swelling sphere of radius a in a concentric matrix shell a < r < b (Lame solution).

    Inside u = C r (uniform stress 3 K1 (C - e)); in the shell u = A r + B / r^2 with
    sigma_rr = 3 K2 A - 4 mu2 B / r^3. Conditions: u and sigma_rr continuous at r = a;
    sigma_rr(b) = 0 (outer = "free") or u(b) = 0 (outer = "fixed"). Returns (the uniform
    stress inside, the radial displacement at r = a); b -> inf gives `inclusion_pressure`."""
    row = [0.0, 3 * K2, -4 * mu2 / b**3] if outer == "free" else [0.0, b, 1 / b**2]
    M = np.array([[a, -a, -1 / a**2], [3 * K1, -3 * K2, 4 * mu2 / a**3], row])
    C, _, _ = np.linalg.solve(M, [0.0, 3 * K1 * e, 0.0])
    return 3 * K1 * (C - e), C * a


def hollow_inclusion_in_shell(K1: float, mu1: float, K2: float, mu2: float, e: float, c: float, a: float,
                              b: float, outer: str = "free") -> float:
    """A hollow swelling sphere c < r < a (bulk and shear moduli K1, mu1, eigenstrain e I, a
    free cavity r < c) in a concentric matrix shell a < r < b (Lame solution).

    In each shell u = A r + B / r^2, sigma_rr = 3 K (A - e) - 4 mu B / r^3, and the mean stress
    tr(sigma) / 3 = 3 K (A - e) is uniform. Conditions: sigma_rr(c) = 0; u and sigma_rr
    continuous at r = a; sigma_rr(b) = 0 (outer = "free") or u(b) = 0 ("fixed"). Returns the
    particle's (uniform) mean stress 3 K1 (A1 - e); c -> 0 gives `inclusion_in_shell`."""
    row = [0.0, 0.0, 3 * K2, -4 * mu2 / b**3] if outer == "free" else [0.0, 0.0, b, 1 / b**2]
    M = np.array([[3 * K1, -4 * mu1 / c**3, 0.0, 0.0],
                  [a, 1 / a**2, -a, -1 / a**2],
                  [3 * K1, -4 * mu1 / a**3, -3 * K2, 4 * mu2 / a**3],
                  row])
    A1, _, _, _ = np.linalg.solve(M, [3 * K1 * e, 0.0, 3 * K1 * e, 0.0])
    return 3 * K1 * (A1 - e)


def hashin_shtrikman_bulk(f2: float, K1: float, mu1: float, K2: float, mu2: float) -> tuple[float, float]:
    """Hashin-Shtrikman bounds (lower, upper) on the effective bulk modulus of an isotropic
    two-phase composite, phase 2 at volume fraction f2 (Hashin & Shtrikman, J. Mech. Phys.
    Solids 11, 127 (1963)); the bound with the stiffer phase's shear modulus is the upper one."""
    f1 = 1 - f2

    def hs(Ka, mua, Kb, fa, fb):  # matrix a, inclusions b
        return Ka + fb / (1 / (Kb - Ka) + 3 * fa / (3 * Ka + 4 * mua))

    lo, hi = hs(K1, mu1, K2, f1, f2), hs(K2, mu2, K1, f2, f1)
    return (min(lo, hi), max(lo, hi))


def levin_free_strain(K_eff: float, K1: float, a1: float, K2: float, a2: float) -> float:
    """Levin's exact relation: the free volumetric strain of a two-phase isotropic composite
    with phase free volumetric strains a1, a2 and effective bulk modulus K_eff,

        a* = a1 + (a2 - a1) (1/K_eff - 1/K1) / (1/K2 - 1/K1)

    (Levin, Mech. Solids 2, 58 (1967))."""
    return a1 + (a2 - a1) * (1 / K_eff - 1 / K1) / (1 / K2 - 1 / K1)

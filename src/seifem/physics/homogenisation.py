"""Isotropic elastic moduli of a phase mixture (an SEI film) from its phases' volume fractions.

Stated homogenisation: **Voigt-Reuss-Hill** of the bulk modulus K and the shear modulus G,

    K_V = sum f_i K_i,          G_V = sum f_i G_i           (uniform strain: upper bound)
    1/K_R = sum f_i / K_i,      1/G_R = sum f_i / G_i       (uniform stress: lower bound)
    K_H = (K_V + K_R) / 2,      G_H = (G_V + G_R) / 2       (Hill's estimate)

and E = 9 K G / (3 K + G), nu = (3 K - 2 G) / (2 (3 K + G)). E increases with K and G, so
E(K_R, G_R) <= E_H <= E(K_V, G_V). The bounds are those of Voigt (1889) and Reuss (1929); Hill,
Proc. Phys. Soc. A 65, 349 (1952) proved them bounds and proposed their mean. A one-phase mixture
returns that phase's K and G exactly. The same averages over crystal orientations give the
polycrystal moduli of a cubic crystal from c11, c12, c44 (`cubic_hill`).

Units: moduli in Pa (any consistent unit works), fractions dimensionless.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from seifem.errors import CaseError

__all__ = [
    "FRACTION_TOL",
    "Moduli",
    "bulk_shear",
    "check_fractions",
    "cubic_hill",
    "hashin_shtrikman",
    "voigt_reuss_hill",
    "young_poisson",
]

FRACTION_TOL = 1e-6
"""Largest |sum f_i - 1| accepted for a composition."""


@dataclass(frozen=True)
class Moduli:
    """Homogenised moduli [Pa]: Voigt, Reuss and Hill values of K and G, and Hill's E and nu."""

    K_voigt: float
    K_reuss: float
    G_voigt: float
    G_reuss: float

    @property
    def K(self) -> float:
        return 0.5 * (self.K_voigt + self.K_reuss)

    @property
    def G(self) -> float:
        return 0.5 * (self.G_voigt + self.G_reuss)

    @property
    def E(self) -> float:
        return young_poisson(self.K, self.G)[0]

    @property
    def nu(self) -> float:
        return young_poisson(self.K, self.G)[1]

    @property
    def E_bounds(self) -> tuple[float, float]:
        """(E of the Reuss moduli, E of the Voigt moduli) [Pa]: E lies between them."""
        return young_poisson(self.K_reuss, self.G_reuss)[0], young_poisson(self.K_voigt, self.G_voigt)[0]


def bulk_shear(E: float, nu: float) -> tuple[float, float]:
    """(K, G) [Pa] of an isotropic solid: K = E / (3 (1 - 2 nu)), G = E / (2 (1 + nu))."""
    return E / (3 * (1 - 2 * nu)), E / (2 * (1 + nu))


def young_poisson(K: float, G: float) -> tuple[float, float]:
    """(E, nu) of an isotropic solid: E = 9 K G / (3 K + G), nu = (3 K - 2 G) / (2 (3 K + G))."""
    return 9 * K * G / (3 * K + G), (3 * K - 2 * G) / (2 * (3 * K + G))


def check_fractions(fractions: Mapping[str, float], key: str, known: Mapping | None = None) -> dict[str, float]:
    """The composition as a dict, or CaseError(key, ...) if a phase is unknown, a fraction is
    outside [0, 1] or the fractions do not sum to 1 (within FRACTION_TOL)."""
    if not isinstance(fractions, Mapping) or not fractions:
        raise CaseError(key, fractions, "a table of phase = volume fraction, e.g. {LiF = 0.6, Li2CO3 = 0.4}")
    out = {}
    for name, f in fractions.items():
        if known is not None and name not in known:
            raise CaseError(f"{key}.{name}", f, f"a known SEI phase: {', '.join(sorted(known))}")
        if isinstance(f, bool) or not isinstance(f, (int, float)) or not 0.0 <= f <= 1.0:
            raise CaseError(f"{key}.{name}", f, "a volume fraction in [0, 1]")
        out[name] = float(f)
    total = sum(out.values())
    if abs(total - 1.0) > FRACTION_TOL:
        raise CaseError(key, fractions, f"volume fractions must sum to 1 (they sum to {total:.6g})")
    return out


def voigt_reuss_hill(fractions: np.ndarray, K: np.ndarray, G: np.ndarray) -> Moduli:
    """Voigt, Reuss and Hill moduli of a mixture: fractions f_i (summing to 1), phase K_i, G_i [Pa].
    Phases with f_i = 0 do not enter (so a one-phase mixture is that phase exactly)."""
    f, K, G = (np.asarray(v, dtype=float) for v in (fractions, K, G))
    used = f > 0
    f, K, G = f[used], K[used], G[used]
    return Moduli(float(f @ K), float(1.0 / (f @ (1.0 / K))), float(f @ G), float(1.0 / (f @ (1.0 / G))))


def cubic_hill(c11: float, c12: float, c44: float) -> tuple[float, float]:
    """Hill (K, G) [Pa] of an untextured polycrystal of a cubic crystal with stiffnesses c_ij:
    K = (c11 + 2 c12)/3 (Voigt = Reuss), G_V = (c11 - c12 + 3 c44)/5,
    G_R = 5 (c11 - c12) c44 / (4 c44 + 3 (c11 - c12)), G = (G_V + G_R)/2."""
    K = (c11 + 2 * c12) / 3
    d = c11 - c12
    return K, 0.5 * ((d + 3 * c44) / 5 + 5 * d * c44 / (4 * c44 + 3 * d))


def hashin_shtrikman(fractions: np.ndarray, K: np.ndarray, G: np.ndarray) -> tuple[float, float, float, float]:
    """(K_lower, K_upper, G_lower, G_upper) [Pa]: the Hashin-Shtrikman(-Walpole) bounds of an
    isotropic mixture in Berryman's form (Berryman, in Rock Physics & Phase Relations, AGU 1995):

        K_HS(z) = [sum f_i / (K_i + 4z/3)]^-1 - 4z/3,    G_HS(z) = [sum f_i / (G_i + z)]^-1 - z,
        zeta(K, G) = G/6 (9K + 8G)/(K + 2G),

    upper bounds at z = G_max (K) and z = zeta(K_max, G_max) (G), lower ones at G_min and
    zeta(K_min, G_min). They lie within the Voigt-Reuss bounds; when all G_i are equal the two K
    bounds coincide (the exact bulk modulus, Hill 1963). Reported beside the Hill estimate."""
    f, K, G = (np.asarray(v, dtype=float) for v in (fractions, K, G))

    def k_hs(z):
        return float(1.0 / (f @ (1.0 / (K + 4 * z / 3))) - 4 * z / 3)

    def g_hs(z):
        return float(1.0 / (f @ (1.0 / (G + z))) - z)

    def zeta(k, g):
        return g / 6 * (9 * k + 8 * g) / (k + 2 * g)

    used = f > 0
    Ku, Gu = K[used], G[used]
    return (k_hs(Gu.min()), k_hs(Gu.max()), g_hs(zeta(Ku.min(), Gu.min())), g_hs(zeta(Ku.max(), Gu.max())))

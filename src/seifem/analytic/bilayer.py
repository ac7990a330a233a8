"""Bonded thin shells (membranes) on a uniformly swelling elastic core: the closed form of the
layered SEI membrane (physics.layered_membrane), derived here.

A solid core of radius a [m], moduli E_c [Pa], nu_c, with a uniform free linear eigenstrain e*,
carries bonded thin layers i (thickness h_i << a, biaxial modulus M_i = E_i/(1 - nu_i), formed at
the surface strain e_ref,i). Small strain:

* core under the external pressure p: uniform strain, u(a)/a = e* - p/(3 K_c), K_c = E_c/(3(1 - 2 nu_c));
* every layer follows the surface: e = u(a)/a, sigma_i = M_i (e - e_ref,i);
* membrane equilibrium of the shells (Laplace): p a = 2 N, N = sum h_i sigma_i.

Hence  e = [e* + 2 T/(3 K_c a)] / [1 + 2 S/(3 K_c a)],  S = sum h_i M_i,  T = sum h_i M_i e_ref,i.

The exact (thick-layer, Lame) solution of the same core and shells is `analytic.layered_sphere`;
the two agree to O(h/a) (tests: each layer's mid-thickness hoop stress within 0.5 %).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["BilayerOnCore", "shells_on_swelling_core"]


@dataclass(frozen=True)
class BilayerOnCore:
    """strain e [-] of the surface (and of every layer), layer stresses sigma [Pa] (inside out),
    resultant N [N/m] and the core's surface pressure p [Pa] (> 0 compressive on the core)."""

    strain: float
    stresses: np.ndarray
    resultant: float
    pressure: float


def shells_on_swelling_core(a: float, E_core: float, nu_core: float, e_star: float, thickness: Sequence[float],
                            E: Sequence[float], nu: Sequence[float],
                            reference_strain: Sequence[float] | None = None) -> BilayerOnCore:
    """Closed form above: thin bonded layers (thickness [m], E [Pa], nu, inside out) on a core of
    radius a [m] with uniform linear eigenstrain e_star."""
    h, E, nu = (np.asarray(v, dtype=float) for v in (thickness, E, nu))
    e_ref = np.zeros_like(h) if reference_strain is None else np.asarray(reference_strain, dtype=float)
    M = E / (1 - nu)
    K_c = E_core / (3 * (1 - 2 * nu_core))
    S, T = float(h @ M), float(h @ (M * e_ref))
    e = (e_star + 2 * T / (3 * K_c * a)) / (1 + 2 * S / (3 * K_c * a))
    sig = M * (e - e_ref)
    N = float(h @ sig)
    return BilayerOnCore(float(e), sig, N, 2 * N / a)

"""Closed forms for the visco-elastic binder (physics.viscoelasticity: a standard linear solid
in shear, bulk modulus K elastic, G(t) = G_inf + G_1 exp(-t/tau)).

Laterally confined layer (rollers on the sides, the collector fixed in z), a swelling
eigenstrain e (per axis) applied at t = 0 and held, the top free or under a held stack pressure
P. In uniaxial strain the through-thickness stress is sigma_zz = K (eps_z - 3 e) + 4/3 (G_inf
eps_z + r) with the branch's dr/dt = G_1 deps_z/dt - r / tau; sigma_zz = -P gives the creep of
the uniaxial-strain (P-wave) modulus M = K + 4/3 G:

    eps_z(t) = S / M_inf + (S / M_0 - S / M_inf) exp(-t / tau_c),   S = 3 K e - P,
    M_0 = K + 4/3 G_0,  M_inf = K + 4/3 G_inf,  tau_c = tau M_0 / M_inf,

from the instantaneous eps_z(0+) = S / M_0 to the relaxed S / M_inf. The lateral stress follows
from the branch's r = 3/4 (S - M_inf eps_z):

    sigma_xx(t) = sigma_yy(t) = K (eps_z - 3 e) - 2/3 G_inf eps_z - 1/2 (S - M_inf eps_z).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["confined_creep_lateral_stress", "confined_creep_strain"]


def confined_creep_strain(t: ArrayLike, e: float, K: float, G_inf: float, G1: float, tau: float,
                          pressure: float = 0.0) -> np.ndarray:
    """Through-thickness strain eps_z(t) [-] of the confined layer (see the module), t [s] >= 0;
    moduli and pressure in one stress unit."""
    S = 3 * K * e - pressure
    M0, Minf = K + 4 / 3 * (G_inf + G1), K + 4 / 3 * G_inf
    t = np.asarray(t, dtype=float)
    return S / Minf + (S / M0 - S / Minf) * np.exp(-t * Minf / (tau * M0))


def confined_creep_lateral_stress(t: ArrayLike, e: float, K: float, G_inf: float, G1: float, tau: float,
                                  pressure: float = 0.0) -> np.ndarray:
    """Lateral stress sigma_xx(t) = sigma_yy(t) of the confined layer (see the module), in the
    moduli's unit."""
    eps = confined_creep_strain(t, e, K, G_inf, G1, tau, pressure)
    S, Minf = 3 * K * e - pressure, K + 4 / 3 * G_inf
    return K * (eps - 3 * e) - 2 / 3 * G_inf * eps - 0.5 * (S - Minf * eps)

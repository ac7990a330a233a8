"""Closed forms for the inelastic SEI laws (physics.sei_inelastic), scalar stress [Pa] against
strain [-] with a modulus that may be uniaxial (E) or biaxial (E/(1 - nu)).

* Standard linear solid, strain e0 applied at t = 0 and held (stress relaxation):
  sigma(t) = e0 (E_inf + E_1 exp(-t/tau)).
* Standard linear solid, constant strain rate r from e = 0 at t = 0:
  sigma(t) = E_inf r t + E_1 r tau (1 - exp(-t/tau)).
* Elastic-perfectly-plastic, monotonic stretch from zero: sigma = min(E e, sigma_y) (the yield plateau).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["epp_monotonic", "sls_constant_rate", "sls_relaxation"]


def sls_relaxation(t: ArrayLike, e0: float, E_inf: float, E_1: float, tau: float) -> np.ndarray:
    """sigma(t) = e0 (E_inf + E_1 exp(-t/tau)) [Pa], t [s] >= 0."""
    return e0 * (E_inf + E_1 * np.exp(-np.asarray(t, dtype=float) / tau))


def sls_constant_rate(t: ArrayLike, rate: float, E_inf: float, E_1: float, tau: float) -> np.ndarray:
    """sigma(t) = E_inf r t + E_1 r tau (1 - exp(-t/tau)) [Pa], rate r [1/s]."""
    t = np.asarray(t, dtype=float)
    return E_inf * rate * t - E_1 * rate * tau * np.expm1(-t / tau)


def epp_monotonic(e: ArrayLike, E: float, sigma_y: float) -> np.ndarray:
    """sigma = min(E e, sigma_y) [Pa] for a monotonic stretch e >= 0 from the unstressed state."""
    return np.minimum(E * np.asarray(e, dtype=float), sigma_y)

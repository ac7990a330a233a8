"""Thin films: channel cracking, elastic energy limit, SEI growth laws."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from seifem.units import FARADAY, GAS_CONSTANT


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

"""Butler-Volmer kinetics at electrolyte-facing surfaces (docs/physics.md "Electrochemistry").

Sign convention: i is the *inward* (lithiating) current density, A/m^2, positive when ions
enter the particle; the overpotential of the charge-transfer reaction is

    eta = psi - U(theta_s) [- Omega sigma_h / F with two-way coupling],   psi = V + i_mean R_film,

where V is the particle (electrode) potential against the metal of the guest ion and psi the
potential behind the SEI film (the film drop i R_film = i rho_SEI L_SEI lowers V on
lithiation). Lithiation runs at eta < 0:

    i = i0 [exp(-alpha_c f eta) - exp(alpha_a f eta)],   f = F / (R T),  alpha_a + alpha_c = 1,
    i0 = i0_ref * 2 sqrt(theta (1 - theta)) * arrhenius   (the c_s^0.5 (c_max - c_s)^0.5 law of
         PyBaMM's Chen2020 sets, normalised to i0_ref at theta = 1/2; theta kept in
         [THETA_FLOOR, 1 - THETA_FLOOR] so an empty or full particle can still react).

Every function works on numpy arrays and on UFL expressions.
"""

from __future__ import annotations

import numpy as np

from seifem.units import FARADAY, GAS_CONSTANT

__all__ = ["THETA_FLOOR", "T_REF", "arrhenius", "exchange_current", "butler_volmer", "overpotential",
           "thermal_voltage"]

THETA_FLOOR = 1e-3
"""Filling fractions closer than this to 0 or 1 count as this in the exchange current."""

T_REF = 298.15
"""Reference temperature of activation energies (K)."""


def _is_ufl(x) -> bool:
    import ufl

    return isinstance(x, ufl.core.expr.Expr)


def _exp(x):
    import ufl

    return ufl.exp(x) if _is_ufl(x) else np.exp(x)


def thermal_voltage(T: float) -> float:
    """R T / F (V)."""
    return GAS_CONSTANT * T / FARADAY


def arrhenius(activation_energy: float, T: float, T_ref: float = T_REF) -> float:
    """exp(E_a / R (1/T_ref - 1/T)): factor on a rate given at T_ref (E_a in J/mol, T in K)."""
    return float(np.exp(activation_energy / GAS_CONSTANT * (1.0 / T_ref - 1.0 / T)))


def exchange_current(i0_ref, theta):
    """i0 = i0_ref 2 sqrt(theta (1 - theta)) with theta clipped to [THETA_FLOOR, 1 - THETA_FLOOR]."""
    if _is_ufl(theta):
        import ufl

        t = ufl.min_value(ufl.max_value(theta, THETA_FLOOR), 1.0 - THETA_FLOOR)
        return i0_ref * 2 * ufl.sqrt(t * (1 - t))
    t = np.clip(theta, THETA_FLOOR, 1.0 - THETA_FLOOR)
    return i0_ref * 2 * np.sqrt(t * (1 - t))


def butler_volmer(i0, eta, T: float, alpha_a: float = 0.5):
    """Inward current density i (units of i0) at overpotential eta (V), temperature T (K)."""
    f = 1.0 / thermal_voltage(T)
    return i0 * (_exp(-(1.0 - alpha_a) * f * eta) - _exp(alpha_a * f * eta))


def overpotential(i, i0, T: float, alpha_a: float = 0.5, tol: float = 1e-13) -> np.ndarray:
    """The eta (V) at which `butler_volmer(i0, eta, T, alpha_a)` = i (numpy; Newton on the
    monotone BV curve from the symmetric closed form -2 RT/F asinh(i / 2 i0))."""
    i, i0 = np.asarray(i, dtype=float), np.asarray(i0, dtype=float)
    vt = thermal_voltage(T)
    eta = -2 * vt * np.arcsinh(i / (2 * i0))  # exact for alpha_a = 1/2
    if alpha_a == 0.5:
        return eta
    f, ac = 1.0 / vt, 1.0 - alpha_a
    for _ in range(100):
        g = butler_volmer(i0, eta, T, alpha_a) - i
        dg = -i0 * f * (ac * np.exp(-ac * f * eta) + alpha_a * np.exp(alpha_a * f * eta))
        step = g / dg
        eta = eta - step
        if np.all(np.abs(step) < tol):
            break
    return eta

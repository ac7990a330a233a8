"""Fickian diffusion of the filling fraction theta = c / c_max in the active core.

    d theta / dt = div(D grad theta)   in the core,
    D grad theta . n = j               on the core's electrolyte-facing surface,

with j the inward flux in theta units (um/s): j = J / (c_max L) for a molar flux J
(mol m^-2 s^-1) and L = 1 um. Time is discretised with variable-step BDF2 (BDF1 on the
first step and after a change of applied current, which keeps the ion inventory equal to
the integrated flux step by step).
"""

from __future__ import annotations

import ufl

__all__ = ["bdf_weights", "diffusion_forms", "stress_assisted_flux", "transport_residual"]


def bdf_weights(dt: float, dt_prev: float | None, order: int) -> tuple[float, float, float]:
    """Weights (a0, a1, a2) of  (a0 u^{n+1} - a1 u^n + a2 u^{n-1}) / dt.

    order 1 is backward Euler (1, 1, 0); order 2 is variable-step BDF2 with omega = dt/dt_prev.
    Both satisfy a0 - a1 + a2 = 0 and are exact for u linear in t.
    """
    if order == 1 or dt_prev is None:
        return 1.0, 1.0, 0.0
    w = dt / dt_prev
    return (1 + 2 * w) / (1 + w), 1 + w, w * w / (1 + w)


def diffusion_forms(theta, v, theta_n, theta_nm1, weights, dt, D, dx, flux):
    """Bilinear and linear forms of one implicit step.

    weights: UFL constant of shape (3,) with `bdf_weights`; dt (s) and D (um^2/s) are UFL
    constants; dx is the measure over the core; `flux` is the boundary term j v ds with the
    inward flux j in um/s (over an exterior `ds`, or an interior `dS` with v restricted).
    """
    a = weights[0] / dt * theta * v * dx + D * ufl.inner(ufl.grad(theta), ufl.grad(v)) * dx
    L = (weights[1] * theta_n - weights[2] * theta_nm1) / dt * v * dx + flux
    return a, L


def stress_assisted_flux(theta, sigma_h, D, kappa):
    """Ion flux in theta units (um/s) with the stress drift of docs/physics.md "Transport":

        J = -D grad theta + D theta kappa grad sigma_h,   kappa = Omega / (R T),

    here kappa = Omega S / (R T) per model stress unit S (1/GPa when sigma_h is in GPa), so ions
    drift up the hydrostatic-stress gradient, towards tension (Zhang, Shyy & Sastry 2007,
    J. Electrochem. Soc. 154:A910; Christensen & Newman 2006). D may be a UFL expression of theta.
    """
    return -D * ufl.grad(theta) + D * theta * kappa * ufl.grad(sigma_h)


def transport_residual(theta, v, theta_n, theta_nm1, weights, dt, flux, dx, inflow):
    """Residual of one implicit BDF step of d theta/dt + div J = 0:

        (a0 theta - a1 theta_n + a2 theta_nm1)/dt v dx - J . grad v dx - inflow,

    flux: J (UFL vector, e.g. `stress_assisted_flux` or -D grad theta); inflow: the boundary
    term j v ds of the inward flux j (um/s). Weights as `bdf_weights`."""
    rate = (weights[0] * theta - weights[1] * theta_n + weights[2] * theta_nm1) / dt
    return rate * v * dx - ufl.inner(flux, ufl.grad(v)) * dx - inflow

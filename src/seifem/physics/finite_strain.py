"""Finite-strain kinematics with a chemical stretch, and a compressible neo-Hookean law.

    F = I + Grad u = F_e F_ch,   F_ch = J_ch^(1/3) I,   J_ch = 1 + beta (theta - theta_0),
    psi(F_e) = mu/2 (tr C_e - 3 - 2 ln J_e) + lambda/2 (ln J_e)^2   per intermediate volume,
    W(F) = J_ch psi(F F_ch^-1)                                        per reference volume,
    P = dW/dF (first Piola-Kirchhoff),   sigma = P F^T / J (Cauchy).

theta is per reference volume (the host's, a Lagrangian measure), so J_ch is the free
swelling of the host (V/V0 = 1 + beta theta for a Vegard law). Free uniform swelling gives
F = F_ch and zero stress exactly; for small beta theta and small Grad u the law reduces to
linear elasticity with the eigenstrain (beta/3) theta I. See docs/physics.md "Mechanics, finite
strain"; the neo-Hookean form is the standard compressible one (e.g. Bonet & Wood).
"""

from __future__ import annotations

import ufl

from seifem.physics.mechanics import lame

__all__ = ["deformation_gradient", "chemical_jacobian", "neo_hookean_energy", "first_piola", "cauchy"]


def deformation_gradient(u):
    """F = I + Grad u (reference coordinates)."""
    return ufl.Identity(len(u)) + ufl.grad(u)


def chemical_jacobian(beta, theta, theta0):
    """J_ch = 1 + beta (theta - theta0): free volume ratio of the host."""
    return 1 + beta * (theta - theta0)


def neo_hookean_energy(Fe, E, nu):
    """Compressible neo-Hookean strain energy per intermediate volume (units of E)."""
    lmbda, mu = lame(E, nu)
    Je = ufl.det(Fe)
    return mu / 2 * (ufl.tr(Fe.T * Fe) - 3 - 2 * ufl.ln(Je)) + lmbda / 2 * ufl.ln(Je) ** 2


def first_piola(u, E, nu, J_ch=None):
    """First Piola-Kirchhoff stress of the neo-Hookean body with an isotropic chemical
    stretch J_ch^(1/3) (J_ch = None: no swelling), via the UFL derivative of W(F)."""
    F = ufl.variable(deformation_gradient(u))
    if J_ch is None:
        W = neo_hookean_energy(F, E, nu)
    else:
        W = J_ch * neo_hookean_energy(F / J_ch ** (1.0 / 3.0), E, nu)
    return ufl.diff(W, F)


def cauchy(P, u):
    """Cauchy stress sigma = P F^T / det F."""
    F = deformation_gradient(u)
    return P * F.T / ufl.det(F)

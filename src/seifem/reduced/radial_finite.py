"""Finite strain in the 1D radial twin: the 3D compressible neo-Hookean law with the chemical
stretch (`physics.finite_strain`) in spherical symmetry.

With u(r) the radial displacement and r the reference radius,

    F = diag(1 + u', 1 + u/r, 1 + u/r) = F_e J_ch^(1/3) I,   W(F) = J_ch psi(F J_ch^(-1/3)),
    P = dW/dF (diagonal: P_r, P_t, P_t),   sigma = P F^T / det F,

and the weak form in the reference configuration is int (P_r v' + 2 P_t v/r) r^2 dr = 0 (the
small-strain one with P for sigma). The energy is `physics.finite_strain.neo_hookean_energy`,
the 3D model's own, so a uniform swelling gives F = J_ch^(1/3) I and zero stress exactly.

The SEI membrane is the 3D model's St Venant-Kirchhoff film on the in-plane Green-Lagrange
strain, here equibiaxial: E_t = ((1 + u/R)^2 - 1)/2, resultant N = S E_t - T (S = h E/(1 - nu),
T the prestress of inelastic layers, as at small strain), virtual work 2 N dE_t(v) R^2 with
dE_t(v) = (1 + u/R) v/R.
"""

from __future__ import annotations

import ufl

from seifem.physics.finite_strain import neo_hookean_energy

__all__ = ["deformation_gradient", "first_piola", "cauchy", "hoop_green_strain", "membrane_residual"]


def deformation_gradient(u, r, tiny: float | None = None):
    """F = diag(1 + u', 1 + u/r, 1 + u/r); with `tiny`, u/r -> u' at r = 0 (nodal evaluation)."""
    w = u / r if tiny is None else ufl.conditional(ufl.gt(r, tiny), u / ufl.max_value(r, tiny), u.dx(0))
    return ufl.diag(ufl.as_vector([1 + u.dx(0), 1 + w, 1 + w]))


def first_piola(F, E, nu, J_ch=None):
    """The neo-Hookean first Piola-Kirchhoff stress of the (diagonal) F with the isotropic
    chemical stretch J_ch^(1/3) (None: no swelling), by the UFL derivative of W(F)."""
    F = ufl.variable(F)
    W = neo_hookean_energy(F, E, nu) if J_ch is None else J_ch * neo_hookean_energy(F / J_ch ** (1.0 / 3.0), E, nu)
    return ufl.diff(W, F)


def cauchy(u, r, E, nu, J_ch=None, tiny: float = 1e-12):
    """(sigma_r, sigma_t) Cauchy stresses (units of E), evaluable at any point (r = 0 too)."""
    F = deformation_gradient(u, r, tiny)
    P = first_piola(F, E, nu, J_ch)
    J = F[0, 0] * F[1, 1] * F[2, 2]
    return P[0, 0] * F[0, 0] / J, P[1, 1] * F[1, 1] / J


def hoop_green_strain(u, r):
    """E_t = ((1 + u/r)^2 - 1) / 2, the equibiaxial in-plane Green-Lagrange strain of a sphere."""
    return ((1 + u / r) ** 2 - 1) / 2


def membrane_residual(u, v, r, S, T, ds):
    """Virtual work of the SEI film through the point(s) of ds: 2 (S E_t - T)(1 + u/r)(v/r) r^2."""
    return 2 * (S * hoop_green_strain(u, r) - T) * (1 + u / r) * v * r * ds

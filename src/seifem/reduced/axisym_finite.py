"""Finite strain in the 2D axisymmetric twin: the 3D compressible neo-Hookean law with the
chemical stretch (`physics.finite_strain`) on the meridian, elastic.

With u = (u_r, u_z) and reference coordinates (r, z), in the twin's (r, z, theta) order

    F = [[1 + du_r/dr, du_r/dz, 0], [du_z/dr, 1 + du_z/dz, 0], [0, 0, 1 + u_r/r]],
    W(F) = J_ch psi(F J_ch^(-1/3)),   P = dW/dF,   sigma = P F^T / det F,

and the weak form in the reference configuration is int P : G(v) 2 pi r dx = 0 with
G(v) = [[dv_r/dr, dv_r/dz, 0], [dv_z/dr, dv_z/dz, 0], [0, 0, v_r/r]] (the small-strain form
with P for sigma). The energy is `physics.finite_strain.neo_hookean_energy`, the 3D model's
own, so a uniform swelling gives F = J_ch^(1/3) I and zero stress exactly.

The SEI membrane is the 3D model's St Venant-Kirchhoff film on the in-plane Green-Lagrange
strains, here the meridional E_s = (|F t|^2 - 1)/2 (t the reference unit tangent) and the hoop
E_h = ((1 + u_r/r)^2 - 1)/2: energy per reference area h E/(1 - nu^2)/2 (E_s^2 + E_h^2 +
2 nu E_s E_h) - T (E_s + E_h) (T the settable prestress of `axisym_membrane`); on a sphere,
N = S E_t - T with S = h E/(1 - nu), as the 1D twin's film.
"""

from __future__ import annotations

import ufl

from seifem.physics.finite_strain import chemical_jacobian, neo_hookean_energy
from seifem.reduced import axisym_forms as af
from seifem.reduced.axisym_output import lu_solver
from seifem.reduced.twin_newton import TwinNewton

__all__ = ["AxisymFiniteStrain", "deformation_gradient", "membrane_green_strains"]


def deformation_gradient(u, r, tiny: float | None = None):
    """3 x 3 F in the order (r, z, theta); with `tiny`, u_r/r -> du_r/dr on the axis."""
    g = ufl.grad(u)
    return ufl.as_matrix([[1 + g[0, 0], g[0, 1], 0], [g[1, 0], 1 + g[1, 1], 0], [0, 0, 1 + af.hoop_strain(u, r, tiny)]])


def _first_piola(F, E, nu, J_ch=None):
    """dW/dF of the neo-Hookean body with the isotropic chemical stretch J_ch^(1/3)."""
    F = ufl.variable(F)
    W = neo_hookean_energy(F, E, nu) if J_ch is None else J_ch * neo_hookean_energy(F / J_ch ** (1.0 / 3.0), E, nu)
    return ufl.diff(W, F)


def membrane_green_strains(u, r, n, tiny: float | None = None):
    """(meridional, hoop) Green-Lagrange strains of a meridian curve with reference normal n."""
    t = ufl.as_vector([-n[1], n[0]])
    Ft = t + ufl.dot(ufl.grad(u), t)
    lh = 1 + af.hoop_strain(u, r, tiny)
    return (ufl.dot(Ft, Ft) - 1) / 2, (lh * lh - 1) / 2


class AxisymFiniteStrain:
    """The finite-strain mechanics of an `AxisymProblem` (elastic, every region)."""

    def __init__(self, p):
        self.p = p
        u, r, w = p.u, p.r, p.w
        v = ufl.TestFunction(p.W)
        g = ufl.grad(v)
        G = ufl.as_matrix([[g[0, 0], g[0, 1], 0], [g[1, 0], g[1, 1], 0], [0, 0, v[0] / r]])
        F = 0
        for i, name in enumerate(p.regions):
            P = _first_piola(deformation_gradient(u, r), *p._moduli(name), self.chemical_jacobian(name))
            F += ufl.inner(P, G) * w * p.dx(i + 1)
        if p.design.sei is not None:  # the film's energy, differentiated: its virtual work
            n, T = ufl.FacetNormal(p.mesh), af.CURVE_TAGS
            nus = p._const(p.design.sei.poisson_ratio)
            es, eh = membrane_green_strains(u, r, n)
            c = p.membrane_h * p.membrane_E / (1 - nus**2)
            energy = (c / 2 * (es**2 + eh**2 + 2 * nus * es * eh) - p.membrane_T * (es + eh)) * w
            F += ufl.derivative(sum(energy * p.ds(T[s]) for s in p.sei_surfaces), u, v)
        self.newton = TwinNewton(F, p.u, p.bcs_u, lambda A: lu_solver(A, "seifem_axisym_finite_"), "2D twin finite strain")

    def chemical_jacobian(self, region: str):
        """J_ch = 1 + beta (theta - theta0) in the core, None elsewhere."""
        p = self.p
        return chemical_jacobian(p.beta, p.theta, p.theta0) if region == "core" else None

    def stress(self, region: str, tiny: float | None = None):
        """Cauchy stress (GPa, 3 x 3, UFL, at the reference point), anywhere (with `tiny` on
        the axis too)."""
        p = self.p
        F = deformation_gradient(p.u, p.r, tiny)
        P = _first_piola(F, *p._moduli(region), self.chemical_jacobian(region))
        return P * F.T / ufl.det(F)

    def solve(self) -> None:
        """Newton to equilibrium with the current theta. Collective."""
        self.newton.solve()

    def destroy(self) -> None:
        self.newton.destroy()

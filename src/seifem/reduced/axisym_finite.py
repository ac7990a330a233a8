"""Finite strain in the 2D axisymmetric twin: the 3D compressible neo-Hookean law with the
chemical stretch (`physics.finite_strain`) on the meridian, and J2 plasticity at finite strain
in the regions with a yield stress (the 3D model's and the 1D twin's return map).

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

Plastic regions (`physics.plasticity`): the multiplicative F = F_e F_p F_ch and return map of
`physics.finite_plasticity.simo_return` on the full 3 x 3 F above (the rr, zz, tt and rz
components; F_tt = 1 + u_r/r), from F_n of the last committed displacement u_n, with the
history b_e_bar (rr, zz, tt, rz: `axisym_plastic.plastic_tensor`, initially I) and the
accumulated plastic multiplier alpha (the equivalent plastic strain) at the quadrature points of
the rule of degree 2k, as the small-strain twin (`axisym_plastic`). P = J_ch tau F^-T enters
the same weak form; its UFL derivative is the consistent tangent of the return map (exact
Newton: quadratic convergence once the active set settles). The history moves on once a solve
has converged (`commit`). Cauchy stresses of a plastic region are known at its quadrature
points only; output reads the polynomial through them (`axisym_report`).
"""

from __future__ import annotations

import ufl
from dolfinx import fem

from seifem.physics.finite_plasticity import simo_return
from seifem.physics.finite_strain import chemical_jacobian, neo_hookean_energy
from seifem.reduced import axisym_forms as af
from seifem.reduced.axisym_plastic import PlasticRegions, plastic_tensor

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


class AxisymFiniteStrain(PlasticRegions):
    """The finite-strain mechanics of an `AxisymProblem`: elastic everywhere, or with plastic
    regions (`yields`: region -> yield stress in Pa, the core's scaled by the design's
    yield_stress_factor table of theta) that flow by the 3D return map (module docstring)."""

    def __init__(self, p, yields: dict[str, float] | None = None):
        yields = yields or {}
        self._init_regions(p, yields)
        u, r, w = p.u, p.r, p.w
        v = ufl.TestFunction(p.W)
        g = ufl.grad(v)
        G = ufl.as_matrix([[g[0, 0], g[0, 1], 0], [g[1, 0], g[1, 1], 0], [0, 0, v[0] / r]])
        if self.regions:  # the displacement of the last committed step (F_n of the return map)
            self.u_n = fem.Function(p.W, name="u_n")
            self.history["u_n"] = self.u_n
        F = 0
        for i, name in enumerate(p.regions):
            E, nu = p._moduli(name)
            if name in yields:
                F += self._plastic_work(i, name, E, nu, yields, G)
                continue
            P = _first_piola(deformation_gradient(u, r), E, nu, self.chemical_jacobian(name))
            F += ufl.inner(P, G) * w * p.dx(i + 1)
        if p.design.sei is not None:  # the film's energy, differentiated: its virtual work
            n, T = ufl.FacetNormal(p.mesh), af.CURVE_TAGS
            nus = p._const(p.design.sei.poisson_ratio)
            es, eh = membrane_green_strains(u, r, n)
            c = p.membrane_h * p.membrane_E / (1 - nus**2)
            energy = (c / 2 * (es**2 + eh**2 + 2 * nus * es * eh) - p.membrane_T * (es + eh)) * w
            F += ufl.derivative(sum(energy * p.ds(T[s]) for s in p.sei_surfaces), u, v)
        self._finish(F, "seifem_axisym_finite_", "2D twin finite strain")

    def _plastic_work(self, i: int, name: str, E, nu, yields: dict[str, float], G):
        """The virtual work of a plastic region, P : G(v) 2 pi r: `simo_return` on F from F_n
        (of u_n) with the history b_e_bar (rr, zz, tt, rz; initially I) and the accumulated
        multiplier alpha (the equivalent plastic strain, as in 3D and the 1D twin). B-bar
        (`PlasticRegions._volumetric`): the volumetric part P_vol = J_ch kappa ln(J_e) F^-T
        (no history: plastic flow is isochoric) on the rule of degree 2, the rest on the full
        rule; the Cauchy stress is s / J_e plus the P1 fit of the mean stress kappa ln(J_e) / J_e."""
        p = self.p
        be = fem.Function(self.Q, name=f"elastic_strain_{name}")
        be.x.array.reshape(-1, 4)[:, :3] = 1.0  # b_e_bar = I: the stress-free state
        alpha = fem.Function(self.Q1, name=f"plastic_multiplier_{name}")
        J_ch = self.chemical_jacobian(name)
        P, sigma, be_new, dgamma = simo_return(deformation_gradient(p.u, p.r), deformation_gradient(self.u_n, p.r),
                                               plastic_tensor(be), 1.0 if J_ch is None else J_ch, E, nu,
                                               self._yield_stress(name, yields))
        self.history[be.name], self.history[alpha.name] = be, alpha
        self._updates[be] = fem.Expression(ufl.as_vector([be_new[0, 0], be_new[1, 1], be_new[2, 2], be_new[0, 1]]),
                                           self.points)
        self._updates[alpha] = fem.Expression(alpha + (2.0 / 3.0) ** 0.5 * dgamma, self.points)
        Fu = deformation_gradient(p.u, p.r)
        kappa, J_e = E / (3 * (1 - 2 * nu)), ufl.det(Fu) / (1.0 if J_ch is None else J_ch)
        P_vol = (1.0 if J_ch is None else J_ch) * kappa * ufl.ln(J_e) * ufl.inv(Fu).T
        vol, pbar = self._volumetric(i, name, ufl.inner(P_vol, G), kappa * ufl.ln(J_e) / J_e)
        dxq = p.dx(i + 1)(metadata={"quadrature_degree": self.qdeg})
        sigma = sigma - kappa * ufl.ln(J_e) / J_e * ufl.Identity(3) + pbar * ufl.Identity(3)
        self._add_region(name, sigma, alpha, dxq)
        return ufl.inner(P - P_vol, G) * p.w * dxq + vol

    def chemical_jacobian(self, region: str):
        """J_ch = 1 + beta (theta - theta0) in the core, None elsewhere."""
        p = self.p
        return chemical_jacobian(p.beta, p.theta, p.theta0) if region == "core" else None

    def stress(self, region: str, tiny: float | None = None):
        """Cauchy stress (GPa, 3 x 3, UFL, at the reference point): of an elastic region
        anywhere (with `tiny` on the axis too), of a plastic one at the quadrature `points`
        only."""
        if region in self.regions:
            return self._stress[region]
        p = self.p
        F = deformation_gradient(p.u, p.r, tiny)
        P = _first_piola(F, *p._moduli(region), self.chemical_jacobian(region))
        return P * F.T / ufl.det(F)

    def commit(self) -> None:
        """Accept the converged solve: b_e_bar, alpha and F_n move on (nothing when elastic)."""
        super().commit()
        if self.regions:
            self.u_n.x.array[:] = self.p.u.x.array

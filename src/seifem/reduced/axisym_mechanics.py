"""Mechanics of the 2D axisymmetric twin (`reduced.axisym.AxisymProblem`, mixed in): the
small-strain elastic operator of every region with the core's chemical eigenstrain and the
SEI membrane, the symmetry conditions, the region stresses (GPa, 3 x 3 in the order
(r, z, theta)) and the mechanics solve for the current theta (the linear one, or the
cohesive interface's or the fracture model's when present)."""

from __future__ import annotations

import time

import ufl
from dolfinx import fem
from dolfinx.fem import petsc as fpetsc
from petsc4py import PETSc

from seifem.physics import mechanics as mech
from seifem.reduced import axisym_forms as af
from seifem.reduced.axisym_output import lu_solver
from seifem.units import SCALES

__all__ = ["AxisymMechanics"]


class AxisymMechanics:
    """The mechanics methods of `AxisymProblem` (its mesh, spaces, regions and fields)."""

    def _setup_elasticity(self) -> None:
        d, T = self.design, af.CURVE_TAGS
        u, v = ufl.TrialFunction(self.W), ufl.TestFunction(self.W)
        a = sum(ufl.inner(af.stress(u, self.r, *self._moduli(n)), af.strain(v, self.r)) * self.w * self.dx(i + 1)
                for i, n in enumerate(self.regions))
        E, nu = self._moduli("core")
        sig_ch = mech.stress(self.eigenstrain() * ufl.Identity(3), E, nu)  # 3K e_ch I
        Lf = ufl.inner(sig_ch, af.strain(v, self.r)) * self.w * self.dx(1)
        if d.sei is not None:  # film resultant h E'(e + nu e') - T; T = 0 unless set (`axisym_membrane`)
            L_ = SCALES.length
            self.membrane_h, self.membrane_E = self._const(d.sei.thickness / L_), self._const(d.sei.youngs_modulus / SCALES.stress)
            self.membrane_T, nus, n = self._const(0.0), self._const(d.sei.poisson_ratio), ufl.FacetNormal(self.mesh)
            for name in self.sei_surfaces:
                a += af.membrane_form(u, v, self.r, n, self.membrane_h, self.membrane_E, nus, self.ds(T[name]))
                Lf += self.membrane_T * sum(af.membrane_strains(v, self.r, n)) * self.w * self.ds(T[name])
        # symmetry: u_r = 0 on the axis (exact; makes u_r/r bounded), u_z = 0 on z = 0 (the mirror plane,
        # which also removes the rigid translation along z: no nullspace)
        self.bcs_u = []
        for i, name in ((0, "axis"), (1, "sym_z")):
            Wi = self.W.sub(i)
            dofs = fem.locate_dofs_topological(Wi, 1, self.facet_tags.find(T[name]))
            self.bcs_u.append(fem.dirichletbc(PETSc.ScalarType(0.0), dofs, Wi))
        self.a_el, self.L_el = fem.form(a), fem.form(Lf)
        t0 = time.perf_counter()
        self.A_el = fpetsc.assemble_matrix(self.a_el, bcs=self.bcs_u)
        self.A_el.assemble()
        self.timers["assemble"] += time.perf_counter() - t0
        self.b_el = fpetsc.create_vector(self.W)
        self.ksp_el = lu_solver(self.A_el, "seifem_axisym_elasticity_")

    def eigenstrain(self):
        """Chemical eigenstrain (beta/3)(theta - theta0) of the core (UFL scalar)."""
        return mech.free_swelling(self.theta, self.theta0, self.beta, self.design.volume_curve) / 3

    def stress(self, region: str, tiny: float | None = None):
        """Cauchy stress (GPa, 3 x 3 in the order (r, z, theta), UFL) in a region; with `tiny`,
        u_r/r is replaced by du_r/dr on the axis (for evaluation at nodes)."""
        if self.fracture is not None:
            return self.fracture.stress(region, tiny)
        if self.finite is not None:  # Cauchy, at the reference point
            return self.finite.stress(region, tiny)
        if self.plastic is not None and region in self.plastic.regions:  # at its quadrature points only
            return self.plastic.stress(region)
        e_ch = self.eigenstrain() if region == "core" else 0.0
        u = self.u if self.interface is None else self.interface.field(region)
        return af.stress(u, self.r, *self._moduli(region), e_ch, tiny)

    def solve_mechanics(self) -> None:
        """Mechanics for the current theta (e.g. after setting theta directly in a test)."""
        if self.interface is not None:
            t0 = time.perf_counter()
            self.interface.solve()
            self.timers["elasticity"] += time.perf_counter() - t0
            return
        if self.fracture is not None:
            t0 = time.perf_counter()
            self.fracture.solve()
            self.timers["elasticity"] += time.perf_counter() - t0
            return
        newton = self.finite if self.finite is not None else self.plastic
        if newton is not None:  # Newton, then the plastic history moves on (as in 3D)
            t0 = time.perf_counter()
            newton.solve()
            newton.commit()
            self.timers["elasticity"] += time.perf_counter() - t0
            return
        self._solve(self.ksp_el, self.b_el, self.L_el, self.bcs_u, self.u, "elasticity")

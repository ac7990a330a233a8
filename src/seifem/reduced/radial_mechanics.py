"""Mechanics of the 1D radial twin (`reduced.radial.RadialProblem`, mixed in): the small-strain
elastic operator of every region with the core's chemical eigenstrain and the SEI membrane
(resultant N = S e - T), the region stresses (GPa) and the mechanics solve for the current
theta (the linear one, or the Newton mechanics of `radial_nonlinear`, or the cohesive
interface's); and the twin's small direct solvers."""

from __future__ import annotations

import time

import ufl
from dolfinx import fem
from dolfinx.fem import petsc as fpetsc
from mpi4py import MPI
from petsc4py import PETSc

from seifem.physics import mechanics as mech
from seifem.reduced import radial_forms as rf
from seifem.reduced.radial_affine import AffineVector, FormVector
from seifem.units import SCALES

__all__ = ["RadialMechanics", "direct_solver", "factorise"]


def direct_solver(A: PETSc.Mat, prefix: str, dense: bool) -> PETSc.KSP:
    """A direct solver of the (small) matrix A (`factorise` it after A changes): LAPACK's LU on
    a dense copy (`dense`; ~4 us a solve on ~130 dofs), or MUMPS (~0.3 ms).

    The concentration is solved by MUMPS: every other LU tried (LAPACK's with partial pivoting,
    PETSc's with natural or RCM ordering, with or without diagonal scaling, one step of
    iterative refinement) leaves a biased residual, and the twin's ion balance drifts by 1-4e-11
    of the full core per cycle (1.2e-8 after the 300 cycles of cases/si_cycle_life_300.toml,
    against 1.3e-11 after 40 with MUMPS). The displacement does not enter the balance: LAPACK."""
    ksp = PETSc.KSP().create(MPI.COMM_SELF)
    ksp.setType("preonly")
    ksp.getPC().setType("lu")
    if not dense:
        ksp.getPC().setFactorSolverType("mumps")
    ksp.setOptionsPrefix(prefix)
    if A.assembled:  # else at its first assembly
        factorise(ksp, A)
    ksp.setFromOptions()
    return ksp


def factorise(ksp: PETSc.KSP, A: PETSc.Mat) -> None:
    """Give `ksp` the assembled A (MUMPS) or a dense copy (factorised at the next solve)."""
    ksp.setOperators(A if ksp.getPC().getFactorSolverType() == "mumps" else A.convert("dense"))


class RadialMechanics:
    """The mechanics methods of `RadialProblem` (its mesh, spaces, regions and fields)."""

    def _setup_elasticity(self) -> None:
        d = self.design
        u, v = ufl.TrialFunction(self.V), ufl.TestFunction(self.V)
        a = sum(rf.elasticity_form(u, v, self.r, *self._moduli(n), self.dx(i + 1)) for i, n in enumerate(self.regions))
        # the membrane's resultant N = S e - T (model units GPa um): S its stiffness, T its prestress
        # (0 for the elastic film formed on the pristine particle; `set_membrane` for inelastic films)
        S0 = 0.0
        if d.sei is not None:
            S0 = d.sei.thickness / SCALES.length * d.sei.youngs_modulus / SCALES.stress / (1 - d.sei.poisson_ratio)
        self.membrane_S, self.membrane_T = self._const(S0), self._const(0.0)
        L = rf.eigenstrain_form(self.eigenstrain(), v, self.r, *self._moduli("core"), self.dx(1))
        if d.sei is not None:
            a += sum(rf.membrane_form(u, v, self.r, self.membrane_S, 1.0, 0.0, self.ds(t)) for t in self.sei_tags)
            L += sum(2 * self.membrane_T * v * self.r * self.ds(t) for t in self.sei_tags)
        # u(0) = 0 for a solid sphere: exact, and it already holds weakly through the r^2 weight
        # (u(0)/u(R) ~ 1e-5 at 16 cells, falling as h^3); pinning it makes u/r -> u'(0) clean
        centre = fem.locate_dofs_topological(self.V, 0, self.facet_tags.find(1)) if d.r_inner == 0 else []
        self.bcs_u = [fem.dirichletbc(PETSc.ScalarType(0.0), centre, self.V)] if len(centre) else []
        # affine in theta unless the swelling follows a piecewise-linear phase curve
        self.a_el, self.L_el = fem.form(a), AffineVector(L, [self.theta]) if d.volume_curve is None else FormVector(L)
        self.A_el = fpetsc.assemble_matrix(self.a_el, bcs=self.bcs_u)
        self.A_el.assemble()
        self.b_el = fpetsc.create_vector(self.V)
        self.ksp_el = direct_solver(self.A_el, "seifem_radial_elasticity_", dense=True)

    def set_membrane(self, stiffness: float, prestress: float) -> None:
        """Set the SEI membrane's resultant N = S e - T for the next mechanics solve: stiffness S
        and prestress T in N/m (S = sum h_i M_i of the layers' tangents, T from their reference
        strains and internal variables: `physics.sei_layer_state`). The matrix is reassembled
        only when S changes."""
        S, T = stiffness / (SCALES.stress * SCALES.length), prestress / (SCALES.stress * SCALES.length)
        self.membrane_T.value = T
        if S != float(self.membrane_S.value):
            self.membrane_S.value = S
            self.A_el.zeroEntries()
            fpetsc.assemble_matrix(self.A_el, self.a_el, bcs=self.bcs_u)
            self.A_el.assemble()
            factorise(self.ksp_el, self.A_el)

    def surface_strain(self) -> float:
        """Equibiaxial strain [-] of the (outer) SEI surface: u/R, or at finite strain the
        Green-Lagrange ((1 + u/R)^2 - 1)/2 (as the 3D model's film)."""
        i = self._sei_dofs[0]
        e = self.u.x.array[i] / self._r_dofs[i]
        return float(e + e * e / 2 if self.design.finite_strain else e)

    def _moduli(self, region: str):
        E, nu = self.moduli[region]
        return self._const(E), self._const(nu)

    def eigenstrain(self):
        """Chemical eigenstrain (beta/3)(theta - theta0) of the core (UFL scalar)."""
        return mech.free_swelling(self.theta, self.theta0, self.beta, self.design.volume_curve) / 3

    def stresses(self, region: str):
        """(sigma_r, sigma_t) in GPa (UFL) in a region."""
        if self.mechanics is not None and (self.mechanics.finite or region in self.mechanics.regions):
            return self.mechanics.stresses(region)
        e_ch = self.eigenstrain() if region == "core" else 0.0
        return rf.radial_stresses(self._u(region), self.r, *self._moduli(region), e_ch)

    def _u(self, region: str):
        """The displacement of a region: one field, or the core's and the shell's apart across
        a cohesive interface."""
        return self.u if self.interface is None else self.interface.field(region)

    def solve_mechanics(self) -> None:
        """Mechanics for the current theta (e.g. after setting theta directly in a test)."""
        t0 = time.perf_counter()
        if self.mechanics is not None:  # Newton, then the plastic history moves on (as in 3D)
            self.mechanics.solve()
            self.mechanics.commit()
        elif self.interface is None:
            self._solve(self.ksp_el, self.b_el, self.L_el, self.bcs_u, self.u)
        else:
            self.interface.solve()
        self.timers["elasticity"] += time.perf_counter() - t0

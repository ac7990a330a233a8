"""Newton for the nonlinear mechanics of the 2D axisymmetric twin (J2 plasticity:
`axisym_plastic`; finite strain: `axisym_finite`): the residual form F(u) = 0 with the twin's
homogeneous symmetry conditions, its UFL derivative (the consistent tangent) and the twin's
direct solver (`axisym_output.lu_solver`, refactorised per Newton step), from u of the last
solve.

    newton = AxisymNewton(p, F, "seifem_axisym_plastic_")   # F: a UFL form linear in p.W's test function
    newton.solve()                                           # collective; raises SolverError
"""

from __future__ import annotations

import ufl
from dolfinx import fem
from dolfinx.fem import petsc as fpetsc
from petsc4py import PETSc

from seifem.errors import SolverError
from seifem.reduced.axisym_output import lu_solver

__all__ = ["ATOL", "MAX_IT", "RTOL", "STOL", "AxisymNewton"]

RTOL, ATOL, STOL, MAX_IT = 1e-10, 1e-13, 1e-13, 30
"""Newton: |F| <= max(ATOL, RTOL |F(u_start)|) (model units, GPa um^2), or an update below
STOL |u| (max norms: the residual has reached its round-off floor)."""


class AxisymNewton:
    """Newton on the residual form `F` of the twin `p`'s displacement p.u (options prefix
    `prefix` for its LU solver); `iterations` counts the Newton steps taken so far."""

    def __init__(self, p, F, prefix: str, what: str):
        self.p, self.what = p, what
        self.F = fem.form(F)
        self.J = fem.form(ufl.derivative(F, p.u, ufl.TrialFunction(p.W)))
        self.A = fpetsc.create_matrix(self.J)
        self.b = fpetsc.create_vector(p.W)
        self.du = fem.Function(p.W)
        self.ksp = lu_solver(self.A, prefix)
        self.iterations = 0

    def _residual(self) -> float:
        with self.b.localForm() as loc:
            loc.set(0.0)
        fpetsc.assemble_vector(self.b, self.F)
        self.b.ghostUpdate(addv=PETSc.InsertMode.ADD, mode=PETSc.ScatterMode.REVERSE)
        fpetsc.set_bc(self.b, self.p.bcs_u)  # homogeneous symmetry conditions, met by u
        return self.b.norm()

    def solve(self) -> None:
        """Newton from the current u to F(u) = 0. Collective."""
        u = self.p.u
        norm = norm0 = self._residual()
        tol = max(ATOL, RTOL * norm0)
        for it in range(MAX_IT + 1):
            if it > 0:
                norm = self._residual()
            if norm <= tol:
                self.iterations += it
                return
            self.A.zeroEntries()
            fpetsc.assemble_matrix(self.A, self.J, bcs=self.p.bcs_u)
            self.A.assemble()
            self.ksp.setOperators(self.A)
            self.ksp.solve(self.b, self.du.x.petsc_vec)
            if self.ksp.getConvergedReason() < 0:
                raise SolverError(f"2D twin {self.what}: linear solve failed (reason {self.ksp.getConvergedReason()})")
            self.du.x.scatter_forward()
            u.x.array[:] -= self.du.x.array
            if self.du.x.petsc_vec.norm(PETSc.NormType.INFINITY) <= STOL * u.x.petsc_vec.norm(PETSc.NormType.INFINITY):
                self.iterations += it + 1
                return
        raise SolverError(f"2D twin {self.what}: Newton did not converge in {MAX_IT} iterations "
                          f"(|F| {norm:.3e} > {tol:.3e})")

    def destroy(self) -> None:
        for obj in (self.A, self.b, self.ksp):
            obj.destroy()

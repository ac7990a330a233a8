"""Newton for the nonlinear mechanics of the twins (J2 plasticity, finite strain, both
together): the 1D radial twin (`radial_nonlinear`) and the 2D axisymmetric twin
(`axisym_plastic`, `axisym_finite`) solve their residual form F(u) = 0 by this one loop, with
the twin's homogeneous symmetry conditions, the UFL derivative of F (the consistent tangent of
the return maps) and a direct solver refactorised per Newton step, from u of the last solve.

    newton = TwinNewton(F, p.u, p.bcs_u, lu_solver(A, prefix), "2D twin plasticity")
    newton.solve()          # collective; raises SolverError

Stop: |F| <= max(ATOL, RTOL |F(u_start)|) (model units: GPa um^2, per steradian in 1D), or an
update below STOL |u| (max norms: the residual has reached its round-off floor). `dense`
factorises a dense copy of the Jacobian (LAPACK; the 1D twin's ~130 dofs), otherwise the
sparse matrix itself (the 2D twin's LU: PETSc's in serial, SuperLU_DIST in parallel).
"""

from __future__ import annotations

from collections.abc import Callable

import ufl
from dolfinx import fem
from dolfinx.fem import petsc as fpetsc
from petsc4py import PETSc

from seifem.errors import SolverError

__all__ = ["ATOL", "MAX_IT", "RTOL", "STOL", "TwinNewton"]

RTOL, ATOL, STOL, MAX_IT = 1e-10, 1e-13, 1e-13, 30


class TwinNewton:
    """Newton on the residual form `F` (linear in a test function of u's space) for the
    displacement `u` with the homogeneous Dirichlet conditions `bcs`. `solver(A)` returns the
    KSP (preonly + LU) for the Jacobian matrix A; `what` names the model in errors;
    `iterations` counts the Newton steps taken so far."""

    def __init__(self, F, u: fem.Function, bcs: list, solver: Callable[[PETSc.Mat], PETSc.KSP], what: str,
                 dense: bool = False):
        self.u, self.bcs, self.what, self.dense = u, bcs, what, dense
        V = u.function_space
        self.F = fem.form(F)
        self.J = fem.form(ufl.derivative(F, u, ufl.TrialFunction(V)))
        self.A = fpetsc.create_matrix(self.J)
        self.b = fpetsc.create_vector(V)
        self.du = fem.Function(V)
        self.ksp = solver(self.A)
        self.iterations = 0

    def _residual(self) -> float:
        with self.b.localForm() as loc:
            loc.set(0.0)
        fpetsc.assemble_vector(self.b, self.F)
        self.b.ghostUpdate(addv=PETSc.InsertMode.ADD, mode=PETSc.ScatterMode.REVERSE)
        fpetsc.set_bc(self.b, self.bcs, self.u.x.petsc_vec, -1.0)  # u - 0 on the symmetry dofs (0: u meets them)
        return self.b.norm()

    def solve(self) -> None:
        """Newton from the current u to F(u) = 0. Collective."""
        u = self.u
        norm = norm0 = self._residual()
        tol = max(ATOL, RTOL * norm0)
        for it in range(MAX_IT + 1):
            if it > 0:
                norm = self._residual()
            if norm <= tol:
                self.iterations += it
                return
            self.A.zeroEntries()
            fpetsc.assemble_matrix(self.A, self.J, bcs=self.bcs)
            self.A.assemble()
            self.ksp.setOperators(self.A.convert("dense") if self.dense else self.A)
            self.ksp.solve(self.b, self.du.x.petsc_vec)
            reason = self.ksp.getConvergedReason()
            if reason < 0:
                raise SolverError(f"{self.what}: linear solve failed (reason {reason})")
            self.du.x.scatter_forward()
            u.x.array[:] -= self.du.x.array
            if self.du.x.petsc_vec.norm(PETSc.NormType.INFINITY) <= STOL * u.x.petsc_vec.norm(PETSc.NormType.INFINITY):
                self.iterations += it + 1
                return
        raise SolverError(f"{self.what}: Newton did not converge in {MAX_IT} iterations (|F| {norm:.3e} > {tol:.3e})")

    def destroy(self) -> None:
        for obj in (self.A, self.b, self.ksp):
            obj.destroy()

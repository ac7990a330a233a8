"""Concentration-dependent diffusion in the 2D twin: D(theta) = D x factor(theta), by Newton.

The scheme of the 1D twin (`radial_transport`, docs/lithiation-fronts.md) on the meridian:
theta on linear elements, the flux through the Kirchhoff potential Phi(theta) = int D
interpolated at the nodes,

    M (a0 theta - a1 theta_n + a2 theta_nm1)/dt + D K Phi(theta) = f,

M and K the mass and (D = 1) stiffness matrices with the axisymmetric weight, assembled once;
the Jacobian a0/dt M + D K diag(factor(theta)) is exact. Distributed PETSc matrices, LU
(MUMPS) per Newton iteration, backtracking on |F|.
"""

from __future__ import annotations

import numpy as np
import ufl
from dolfinx import fem
from dolfinx.fem import petsc as fpetsc
from mpi4py import MPI
from petsc4py import PETSc

from seifem.errors import SolverError
from seifem.reduced.radial_transport import MAX_ITERATIONS, NEWTON_TOL, kirchhoff

__all__ = ["AxisymNonlinearDiffusion"]


class AxisymNonlinearDiffusion:
    """theta (P1) of an `AxisymProblem` with D(theta): one Newton solve per step (`solve`)."""

    def __init__(self, p, factor, flux, ksp_factory):
        th, v = ufl.TrialFunction(p.V), ufl.TestFunction(p.V)
        self.p, self.factor = p, factor
        bcs = p.bcs_theta
        self.M = fpetsc.assemble_matrix(fem.form(th * v * p.w * p.dx(1)), bcs=bcs)
        self.M.assemble()
        self.K = fpetsc.assemble_matrix(fem.form(ufl.inner(ufl.grad(th), ufl.grad(v)) * p.w * p.dx(1)), bcs=bcs,
                                        diag=0.0)
        self.K.assemble()
        self.f_form = fem.form(flux)
        self.J = self.M.duplicate(copy=True)
        self.KD = self.K.duplicate(copy=True)
        self.f = fpetsc.create_vector(p.V)  # ghosted: the inflow is assembled into it
        self.F, self.dx = self.M.createVecRight(), self.M.createVecRight()
        self.phi, self.fac, self.tmp = (self.M.createVecRight() for _ in range(3))
        self.ksp = ksp_factory(self.J, "seifem_axisym_transport_")
        self.iterations = 0

    def _residual(self, x: np.ndarray, hist: PETSc.Vec, a0: float, dt: float) -> float:
        """F for owned values x; returns |F| (global). hist = M (a1 theta_n - a2 theta_nm1)."""
        phi, fac = kirchhoff(self.factor, x)
        self.phi.array[:], self.fac.array[:], self.tmp.array[:] = phi, fac, x
        self.M.mult(self.tmp, self.F)
        self.F.scale(a0 / dt)
        self.F.axpy(-1.0 / dt, hist)
        self.K.mult(self.phi, self.tmp)
        self.F.axpy(self.p.D, self.tmp)
        self.F.axpy(-1.0, self.f)
        fpetsc.set_bc(self.F, self.p.bcs_theta)  # coating-only dofs: theta stays 0
        return self.F.norm()

    def solve(self) -> None:
        p = self.p
        n = p.V.dofmap.index_map.size_local
        a0, a1, a2 = (float(w) for w in p.w_c.value)
        dt = float(p.dt_c.value)
        hist = self.M.createVecRight()
        self.tmp.array[:] = a1 * p.theta_n.x.array[:n] - a2 * p.theta_nm1.x.array[:n]
        self.M.mult(self.tmp, hist)
        with self.f.localForm() as loc:
            loc.set(0.0)
        fpetsc.assemble_vector(self.f, self.f_form)
        self.f.ghostUpdate(addv=PETSc.InsertMode.ADD, mode=PETSc.ScatterMode.REVERSE)
        x = p.theta.x.array[:n].copy()
        norm = self._residual(x, hist, a0, dt)
        for _ in range(MAX_ITERATIONS):
            self.KD.zeroEntries()
            self.K.copy(self.KD, structure=PETSc.Mat.Structure.SAME_NONZERO_PATTERN)
            self.KD.diagonalScale(R=self.fac)
            self.M.copy(self.J, structure=PETSc.Mat.Structure.SAME_NONZERO_PATTERN)
            self.J.scale(a0 / dt)
            self.J.axpy(p.D, self.KD, structure=PETSc.Mat.Structure.SAME_NONZERO_PATTERN)
            self.ksp.setOperators(self.J)
            self.F.scale(-1.0)
            self.ksp.solve(self.F, self.dx)
            if self.ksp.getConvergedReason() < 0:
                raise SolverError("2D twin D(theta) diffusion: the Newton linear solve failed")
            dx = self.dx.array.copy()
            step = p.comm.allreduce(float(np.abs(dx).max()) if dx.size else 0.0, op=MPI.MAX)
            self.iterations += 1
            lam = 1.0
            while True:  # backtracking on |F|
                new = self._residual(x + lam * dx, hist, a0, dt)
                if new <= (1 - 1e-4 * lam) * norm or lam < 1e-4:
                    break
                lam *= 0.5
            x, norm = x + lam * dx, new
            if lam * step < NEWTON_TOL:
                p.theta.x.array[:n] = x
                p.theta.x.scatter_forward()
                hist.destroy()
                return
        raise SolverError(f"2D twin D(theta) diffusion: Newton did not converge in {MAX_ITERATIONS} iterations")

    def destroy(self) -> None:
        for obj in (self.ksp, self.M, self.K, self.J, self.KD, self.f, self.F, self.dx, self.phi, self.fac, self.tmp):
            obj.destroy()

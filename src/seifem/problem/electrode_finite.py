"""The electrode patch at finite strain: swelling particles in a hyperelastic binder.

Every phase is the compressible neo-Hookean solid of `physics.finite_strain` (E, nu its
small-strain moduli), the particles with the isotropic chemical stretch J_ch^(1/3),

    J_ch = 1 + 3 e_i  (e_i: the small-strain swelling strain per axis of `ElectrodePatch`,
                       (beta / 3) (theta - theta_0): the same Vegard volume change),

so that a particle that swells freely is stress-free at any volume change, and for small e_i
the problem is `ElectrodePatch`'s. The boundary conditions of the cell are the same (the
stack pressure a dead load on the top, which keeps its area under the lateral rollers). Newton
(SNES, no line search) with CG + GAMG and the rigid-body near-nullspace in every step, from
the last step's displacement, its first iteration with the tangent of the last converged state
(`FiniteElectrodePatch._update_tangent`); a failed Newton (a restart from the unloaded state, a large jump)
is repeated in 4, then 16 increments of the eigenstrain.

Outputs as `ElectrodePatch`'s, with the Cauchy stress (means over the reference volume), the
volume change det F - 1, and the first Piola-Kirchhoff stress for the mean top traction.
"""

from __future__ import annotations

import time

import ufl
from dolfinx import fem
from petsc4py import PETSc

from seifem.errors import SolverError
from seifem.petsc_options import nonlinear_problem
from seifem.physics import finite_strain as fs
from seifem.problem.electrode_patch import ElectrodePatch
from seifem.problem.solvers import elasticity_presets

__all__ = ["NEWTON", "FiniteElectrodePatch"]

NEWTON = {"snes_type": "newtonls", "snes_linesearch_type": "none", "snes_rtol": 1e-9, "snes_atol": 1e-12,
          "snes_max_it": 30, "ksp_rtol": 1e-8}
"""Newton presets of the finite-strain patch (prefix seifem_electrode_finite_)."""

PREFIX = "seifem_electrode_finite_"


class FiniteElectrodePatch(ElectrodePatch):
    """`ElectrodePatch` with the neo-Hookean law at finite strain (same arguments)."""

    def _setup_solver(self, v, load, prefix: str, rtol: float) -> None:
        self._piola = fs.first_piola(self.u, self.E, self.nu, 1 + 3 * self.estar)
        degree = self.V.ufl_element().embedded_superdegree
        dx = ufl.dx(metadata={"quadrature_degree": 2 * degree})  # logs and powers: UFL's estimate explodes
        residual = ufl.inner(self._piola, ufl.grad(v)) * dx + self.P * load
        # the tangent's eigenstrain: the converged state's in Newton's first iteration, the current one after
        self._estar_tangent = fem.Function(self.Q, name="eigenstrain_tangent")
        tangent = fs.first_piola(self.u, self.E, self.nu, 1 + 3 * self._estar_tangent)
        jacobian = ufl.derivative(ufl.inner(tangent, ufl.grad(v)) * dx, self.u, ufl.TrialFunction(self.V))
        opts = {**elasticity_presets(self.V), **NEWTON}
        self.nlp = nonlinear_problem(residual, self.u, bcs=self.bcs, J=jacobian, prefix=PREFIX, options=opts)
        self.nlp.A.setNearNullSpace(self._ns)
        self.nlp.solver.setUpdate(self._update_tangent)
        self.newton_iterations = 0
        self.solve_time = 0.0
        self._e_converged = self.estar.x.array.copy()  # the last converged state (start: unloaded)
        self._u_converged = self.u.x.petsc_vec.copy()

    def _cauchy(self):
        return fs.cauchy(self._piola, self.u)

    def _nominal(self):
        return self._piola

    def _dilatation(self):
        return ufl.det(fs.deformation_gradient(self.u)) - 1

    def solve(self, dt: float = 0.0) -> int:
        """Move to the current eigenstrain from the last converged one: one Newton solve, or if
        that fails (a restart from u = 0, a large jump) 4, then 16 equal increments from the
        last converged state (dt [s] unused: no memory but the converged state). Returns the CG
        iterations of all Newton steps; SolverError (collective) if 16 increments fail too."""
        target = self.estar.x.array.copy()
        for n in (1, 4, 16):
            start = self._e_converged.copy()
            try:
                its = 0
                for k in range(1, n + 1):
                    self._e_start = start + (target - start) * (k - 1) / n
                    self.estar.x.array[:] = start + (target - start) * k / n
                    its += self._newton()
            except SolverError:
                self._u_converged.copy(self.u.x.petsc_vec)
                self.u.x.scatter_forward()
                if n == 16:
                    self.estar.x.array[:] = target
                    raise
                continue
            self._e_converged = target
            self.u.x.petsc_vec.copy(self._u_converged)
            return its
        raise AssertionError("unreachable")

    def _update_tangent(self, snes, iteration: int) -> None:
        """Before each Newton iteration: the tangent of the last converged state first (an
        equilibrium, so symmetric positive definite for CG), then the exact one. From the
        converged displacement under the new eigenstrain the particles are compressed by the
        increment, and that prestress makes the exact tangent indefinite for rotations of a
        stiff particle in a soft binder."""
        src = self._e_start if iteration == 0 else self.estar.x.array
        self._estar_tangent.x.array[:] = src

    def _newton(self) -> int:
        t0 = time.perf_counter()
        self.nlp.solve()
        snes = self.nlp.solver
        reason, its = snes.getConvergedReason(), snes.getIterationNumber()
        self.solve_time += time.perf_counter() - t0
        self.newton_iterations += its
        if reason < 0:
            names = {v: k for k, v in PETSc.SNES.ConvergedReason.__dict__.items() if isinstance(v, int)}
            raise SolverError(f"{PREFIX.rstrip('_')}: Newton failed after {its} iterations "
                              f"({names.get(reason, reason)})", reason)
        self.u.x.scatter_forward()
        return snes.getLinearSolveIterations()

    def destroy(self) -> None:
        self._u_converged.destroy()
        self.nlp.solver.destroy()
        self.nlp.A.destroy()
        self.nlp.b.destroy()

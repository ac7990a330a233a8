"""The u-problem of the plane-strain cross-section with fracture (`seifem.problem.plane`), with
the uniform axial strain e_zz of generalized plane strain as one more (global, scalar) unknown.

At fixed damage the u-problem is piecewise linear (the volumetric-deviatoric split switches on
the sign of tr eps). Newton on (u, e_zz): with J = dF/du, F1 = dF/de_zz, N the axial force
int s_zz dA and its derivatives N_u, N_e, each iteration solves two problems with the same
matrix,

    J a = -F,    J b = -F1,

and combines them exactly by the linearised force condition N + N_u (a + s b) + N_e s = 0:

    s = -(N + N_u a) / (N_e + N_u b),    u <- u + a + s b,    e_zz <- e_zz + s,

the Schur complement of the bordered system [[J, F1], [N_u, N_e]] (superposition, exact for
the linear problem at a fixed split). With axial "fixed" (plane strain) only J a = -F.

Converged when ||F|| <= max(rtol ||F_0||, atol, step_rtol R) and |N| <= max(AXIAL_TOLERANCE
int E dA max(|e_zz|, 1e-4), step_rtol |N_R|) (the axial strain update that would balance the
force is below AXIAL_TOLERANCE max(|e_zz|, 1e-4)), or when the last update was below
STEP_TOLERANCE ||u|| (the residual at round-off: PETSc's snes_stol). R and N_R are the residual
and the axial force at the first solve after `new_step()` (the out-of-balance the load change
put in); with step_rtol = 0 (the default) at least one update is made, with step_rtol > 0 a
solve that starts within the tolerances makes none. Inside a staggered loop whose own u-test
is ||F|| <= tol R, step_rtol = 0.1 tol (`plane_mechanics.STAGGERED_SHARE`) stops each u-solve
where more accuracy is invisible to that test: after cracking, the semismooth Newton on the
split's switching in the crack band can take tens of steps to reach 1e-9 ||F_0|| from an
iterate already within it (docs/fracture.md, the 2d-plane section).

Linear solver: `DIRECT_LIMIT` (100k) displacement dofs or fewer, MUMPS LU (one factorisation a
Newton iteration, both right-hand sides through it); above, CG + GAMG with the rigid-body
near-nullspace and the interpolation reused as the damage changes the operator.
"""

from __future__ import annotations

import logging
import math

import ufl
from dolfinx import fem
from dolfinx.fem import petsc as fpetsc
from mpi4py import MPI
from petsc4py import PETSc

from seifem.errors import SolverError
from seifem.petsc_options import set_defaults
from seifem.problem.solvers import ELASTICITY, assemble_rhs

__all__ = ["DIRECT_LIMIT", "MAX_ITERATIONS", "STEP_TOLERANCE", "PlaneNewton", "direct_options"]

log = logging.getLogger(__name__)

STEP_TOLERANCE = 1e-8
"""Relative Newton update below which the u-problem counts as converged (PETSc's default stol)."""

BACKTRACK_FROM = 3
"""From this Newton iteration on (0-based; the split's active set flipping back and forth), an
update that increases the merit hypot(||F||, c N) (c = ||dF/de_zz|| / |dN/de_zz|) is halved,
up to BACKTRACK_HALVINGS times. The first iterations take full steps (one or two converge when
the active set holds)."""
BACKTRACK_HALVINGS = 6

MAX_ITERATIONS = 60
"""Newton steps of one u-solve before it fails (and the substep is cut). After cracking, on
load reversal, the semismooth Newton needs up to ~40 to find the crack band's active set back
after its first step overshoots; a cut (restore, redo at half the length) costs more
(bench, 12 352 dofs, the second relithiation step after a full delithiation: 643 Newton steps
and 2 cuts with 30, 307 and none with 60)."""

DIRECT_LIMIT = 100_000
"""Displacement dofs up to which the 2D u- and d-problems are solved by LU (MUMPS)."""


def direct_options() -> dict:
    """PETSc options of a direct solve: MUMPS (superlu_dist, PETSc's LU in serial without it)."""
    if PETSc.Sys.hasExternalPackage("mumps"):
        solver = "mumps"
    else:
        solver = "superlu_dist" if MPI.COMM_WORLD.size > 1 else "petsc"
    return {"ksp_type": "preonly", "pc_type": "lu", "pc_factor_mat_solver_type": solver}


def diff_form(form: ufl.Form, var: ufl.core.expr.Expr) -> ufl.Form:
    """The derivative of a form with respect to a `ufl.variable` in its integrands."""
    return ufl.Form([i.reconstruct(integrand=ufl.diff(i.integrand(), var)) for i in form.integrals()])


class PlaneNewton:
    """Newton on u (and e_zz with `force`) for the current damage.

    Fu: the u-residual (UFL, linear in the test function of u's space), written with the UFL
    variable `ezz_var` of the Constant `ezz`; bcs: homogeneous Dirichlet conditions of u;
    force: the axial force (UFL scalar form) or None (plane strain: e_zz stays fixed);
    stiffness: int E dA (force per unit axial strain, the scale of the force tolerance);
    nullspace: the rigid-body near-nullspace (for GAMG); rtol, atol: the residual tolerances;
    axial_tol: the relative axial-strain tolerance."""

    def __init__(self, Fu, u: fem.Function, bcs: list, ezz: fem.Constant, ezz_var, force=None,
                 stiffness: float = 1.0, nullspace=None, rtol: float = 1e-9, atol: float = 0.0,
                 axial_tol: float = 1e-8, max_iterations: int = MAX_ITERATIONS, prefix: str = "seifem_plane_u_",
                 step_rtol: float = 0.0):
        W = u.function_space
        self.u, self.bcs, self.ezz, self.comm = u, bcs, ezz, W.mesh.comm
        self.rtol, self.atol, self.axial_tol, self.max_iterations = rtol, atol, axial_tol, max_iterations
        self.step_rtol, self._reference = step_rtol, None
        self.stiffness = stiffness
        v, du = ufl.TestFunction(W), ufl.TrialFunction(W)
        self._F = fem.form(Fu)
        self._J = fem.form(ufl.derivative(Fu, u, du))
        self.A = fpetsc.create_matrix(self._J)
        self.F = fpetsc.create_vector(W)
        self.a, self.x = fpetsc.create_vector(W), fpetsc.create_vector(W)
        self.axial = force is not None
        if self.axial:
            self._N = fem.form(force)
            self._F1 = fem.form(diff_form(Fu, ezz_var))
            self._Nu = fem.form(ufl.derivative(force, u, v))
            self._Ne = fem.form(diff_form(force, ezz_var))
            self.F1, self.Nu, self.b = fpetsc.create_vector(W), fpetsc.create_vector(W), fpetsc.create_vector(W)
        n = W.dofmap.index_map.size_global * W.dofmap.index_map_bs
        self.direct = n <= DIRECT_LIMIT
        opts = direct_options() if self.direct else {**ELASTICITY, "pc_gamg_reuse_interpolation": "true",
                                                     "ksp_rtol": 1e-10, "ksp_atol": 1e-50}
        self.ksp = PETSc.KSP().create(self.comm)
        self.ksp.setOptionsPrefix(prefix)
        set_defaults(prefix, opts)
        self.ksp.setOperators(self.A)
        self.ksp.setFromOptions()
        if nullspace is not None and not self.direct:
            self.A.setNearNullSpace(nullspace)
        self.stats = {"newton": 0, "krylov": 0, "factorisations": 0}

    def _scalar(self, form) -> float:
        return self.comm.allreduce(fem.assemble_scalar(form), op=MPI.SUM)

    def _linear_solve(self, rhs: PETSc.Vec, x: PETSc.Vec) -> None:
        self.ksp.solve(rhs, x)
        reason = self.ksp.getConvergedReason()
        self.stats["krylov"] += self.ksp.getIterationNumber()
        if reason < 0:
            raise SolverError(f"plane-strain u-problem: linear solve failed (reason {reason})", reason)

    def _force_tolerance(self) -> float:
        return self.axial_tol * self.stiffness * max(abs(float(self.ezz.value)), 1e-4)

    def new_step(self) -> None:
        """A new load step begins: its first solve sets the reference of `step_rtol`."""
        self._reference = None

    def solve(self) -> float:
        """Newton to the tolerances above; returns the initial residual norm ||F_0||."""
        r0, small = None, False
        for it in range(self.max_iterations + 1):
            r = assemble_rhs(self.F, self._F, self.bcs).norm()
            N = self._scalar(self._N) if self.axial else 0.0
            r0 = r if r0 is None else r0
            if self._reference is None:
                self._reference = (r, abs(N))
            r_tol = max(self.rtol * r0, self.atol, self.step_rtol * self._reference[0])
            n_tol = max(self._force_tolerance(), self.step_rtol * self._reference[1])
            log.debug("u-Newton %d: ||F|| %.3e (of %.3e, tol %.3e), N %.3e (tol %.3e)",
                      it, r, r0, r_tol, N, n_tol)
            if (it > 0 or self.step_rtol > 0) and (small or r <= r_tol and abs(N) <= n_tol):
                return r0
            if it == self.max_iterations:
                break
            self.A.zeroEntries()
            fpetsc.assemble_matrix(self.A, self._J, bcs=self.bcs)
            self.A.assemble()
            self.ksp.setOperators(self.A)
            self.stats["factorisations"] += self.direct
            self.stats["newton"] += 1
            self.F.scale(-1.0)
            self._linear_solve(self.F, self.a)
            s, scale = 0.0, 0.0
            if self.axial:
                f1 = assemble_rhs(self.F1, self._F1, self.bcs).norm()
                self.F1.scale(-1.0)
                self._linear_solve(self.F1, self.b)
                nu = assemble_rhs(self.Nu, self._Nu, self.bcs)
                ne = self._scalar(self._Ne)
                s = -(N + nu.dot(self.a)) / (ne + nu.dot(self.b))
                self.a.axpy(s, self.b)
                scale = f1 / abs(ne) if ne else 0.0  # the axial force in residual units
            self._update(1.0, s)
            if it >= BACKTRACK_FROM:  # struggling (an active set flipping): halve while the merit grows
                merit = math.hypot(r, scale * N)
                for _ in range(BACKTRACK_HALVINGS):
                    trial = math.hypot(assemble_rhs(self.F, self._F, self.bcs).norm(),
                                     scale * (self._scalar(self._N) if self.axial else 0.0))
                    if trial <= merit:
                        break
                    self.a.scale(0.5)
                    s *= 0.5
                    self._update(-1.0, -s)
            small = self.a.norm() <= STEP_TOLERANCE * self.u.x.petsc_vec.norm()
        raise SolverError(f"plane-strain u-problem: Newton not converged in {self.max_iterations} iterations "
                          f"(residual {r:.3g} of {r0:.3g}, axial force {N:.3g})")

    def _update(self, sign: float, s: float) -> None:
        """u += sign a, e_zz += s."""
        self.u.x.petsc_vec.axpy(sign, self.a)
        self.u.x.scatter_forward()
        if self.axial:
            self.ezz.value = float(self.ezz.value) + s

    def destroy(self) -> None:
        for obj in (self.ksp, self.A, self.F, self.a, self.x):
            obj.destroy()
        if self.axial:
            for obj in (self.F1, self.Nu, self.b):
                obj.destroy()

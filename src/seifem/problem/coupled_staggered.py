"""Two-way chemo-mechanical coupling solved by a stabilised staggered scheme: the iterative
solver for large meshes (`solver.coupling_solver = "staggered"`, or "auto" from
`solvers.LARGE` displacement dofs). It converges to the solution of the monolithic Newton
system of `seifem.problem.coupled` (same equations, docs/physics.md "Transport") without a
direct factorisation of the (theta, u, s) system.

Each iteration k of a time step solves, in turn,

1. transport for theta with the hydrostatic stress frozen at its last iterate s_k plus a local
   correction, s ~ s_k - M (theta - theta_k), M = 2 E beta / (9 (1 - nu)) (GPa): the
   hydrostatic stress of a free elastic sphere with eigenstrain (beta/3) theta is
   -M (theta - mean theta), so this term treats the local part of the drift implicitly.
   Without it the drift would be explicit, and for Si (kappa M ~ 10^2) the iteration
   diverges; it is the chemo-mechanical analogue of the fixed-stress split of poroelasticity
   (Kim, Tchelepi & Juanes 2011, Comput. Methods Appl. Mech. Eng. 200:2094). Newton in theta
   alone, GMRES + AMG (prefix `seifem_coupled_transport_`);
2. mechanics for the new theta: the problem's own linear elasticity solve (CG + GAMG with the
   rigid-body near-nullspace, its operator and preconditioner kept across iterations);
3. s = the L2 projection of the core's tr(sigma)/3 (CG + Jacobi on the core's mass matrix),

until the increments are within `TOLERANCE`: max |theta_{k+1} - theta_k| <= TOLERANCE and
max |s_{k+1} - s_k| <= TOLERANCE * max(max |s|, 1 MPa). At convergence theta_k = theta, so the
correction vanishes and the iterate solves the monolithic equations.
"""

from __future__ import annotations

import logging
import time

import numpy as np
import ufl
from dolfinx import fem
from dolfinx.fem import petsc as fpetsc
from mpi4py import MPI
from petsc4py import PETSc

from seifem.errors import SolverError
from seifem.parallel import destroy_problem
from seifem.petsc_options import nonlinear_problem
from seifem.physics import mechanics as mech
from seifem.physics.transport import stress_assisted_flux, transport_residual
from seifem.problem.coupled import drift_coefficient
from seifem.problem.kinetics import diffusivity
from seifem.problem.solvers import LinearSolver, assemble_rhs

__all__ = ["MAX_ITERATIONS", "TOLERANCE", "TRANSPORT", "StaggeredCoupling", "local_drift_modulus"]

log = logging.getLogger(__name__)

TOLERANCE = 1e-6
"""Largest increment of the last iteration: in theta (absolute) and in s (relative to max |s|,
at least 1 MPa)."""

DEPTH = 4
"""Anderson mixing depth (iterates kept)."""

MAX_ITERATIONS = 60
"""Staggered iterations before the step fails with a SolverError."""

TRANSPORT = {
    "snes_type": "newtonls",
    "snes_linesearch_type": "none",
    "snes_rtol": 1e-10,
    "snes_atol": 1e-13,
    "snes_max_it": 25,
    "ksp_type": "gmres",
    "ksp_rtol": 1e-11,
    "pc_type": "gamg",
    "pc_gamg_threshold": 0.01,
    "mg_levels_ksp_type": "chebyshev",
    "mg_levels_pc_type": "jacobi",
}
"""Newton for theta at frozen stress; the drift makes its Jacobian non-symmetric (GMRES)."""

PROJECTION = {"ksp_type": "cg", "pc_type": "jacobi"}


def local_drift_modulus(E: float, nu: float, beta: float) -> float:
    """M = 2 E beta / (9 (1 - nu)) (units of E): d sigma_h / d theta of a free elastic sphere."""
    return 2.0 * E * beta / (9.0 * (1.0 - nu))


class StaggeredCoupling:
    """The two-way (theta, u, s) step of a `ParticleProblem` by stabilised staggered iterations
    (model units: um, s, GPa). Same interface as `TwoWayCoupling`: `s`, `solve()`, `stats`,
    `destroy()`."""

    def __init__(self, problem, temperature: float):
        p, geo, mesh = problem, problem.geo, problem.geo.mesh
        self.p = p
        S = fem.functionspace(mesh, p.V.ufl_element())
        self.s = fem.Function(S, name="hydrostatic_GPa")
        self.theta_k = fem.Function(p.V)  # theta of the last iterate
        self.s_k = fem.Function(S)  # s of the last iterate
        kappa = drift_coefficient(p.case.particle.material.si("partial_molar_volume"), temperature)
        E, nu = p.moduli["core"]
        self.M = local_drift_modulus(E, nu, p.beta)
        theta, v, dxc = p.theta, ufl.TestFunction(p.V), geo.dx("core")
        s_eff = self.s + fem.Constant(mesh, PETSc.ScalarType(self.M)) * (self.theta_k - theta)
        flux = stress_assisted_flux(theta, s_eff, diffusivity(p.case, theta), fem.Constant(mesh, PETSc.ScalarType(kappa)))
        F = transport_residual(theta, v, p.theta_n, p.theta_nm1, p.w_c, p.dt_c, flux, dxc,
                               p.on_surfaces(p.j_c * v, p.flux_surfaces)) + p.pinned_pattern(theta, v)
        self.transport = nonlinear_problem(F, theta, bcs=p.diffusion_bcs, prefix="seifem_coupled_transport_",
                                           options=TRANSPORT)
        # projection of the core's hydrostatic stress; coating-only dofs pinned at 0
        sT, q = ufl.TrialFunction(S), ufl.TestFunction(S)
        self.bcs_s = [fem.dirichletbc(PETSc.ScalarType(0.0), p.coating_only_dofs, S)] if p.case.shells else []
        mass = fem.form(sT * q * dxc + p.pinned_pattern(sT, q))
        self.A_s = fpetsc.assemble_matrix(mass, bcs=self.bcs_s)
        self.A_s.assemble()
        self.L_s = fem.form(mech.hydrostatic(p.stress("core")) * q * dxc)
        self.b_s = fpetsc.create_vector(S)
        self.projection = LinearSolver(self.A_s, "seifem_coupled_projection_", PROJECTION, min(p.case.solver.rtol, 1e-12))
        self.stats = {"setups": 0, "solves": 0, "iterations": 0, "newton_iterations": 0, "staggered_iterations": 0,
                      "setup_time": 0.0, "solve_time": 0.0, "transport_time": 0.0, "mechanics_time": 0.0,
                      "projection_time": 0.0}

    def _anderson(self, inputs: list, outputs: list, nt: int, scale: float) -> np.ndarray:
        """Anderson mixing of the last iterates (Walker & Ni 2011, SIAM J. Numer. Anal. 49:1715):
        the next input minimises the linearised residual over the stored ones, with theta and
        s / scale weighted alike."""
        g = outputs[-1]
        if len(inputs) < 2:
            return g
        w = np.ones_like(g)
        w[nt:] = 1.0 / scale
        f = [(go - xi) * w for xi, go in zip(inputs, outputs)]
        dF = np.array([f[i + 1] - f[i] for i in range(len(f) - 1)])
        dG = np.array([outputs[i + 1] - outputs[i] for i in range(len(f) - 1)])
        gram = self.p.comm.allreduce(dF @ dF.T, op=MPI.SUM)
        rhs = self.p.comm.allreduce(dF @ f[-1], op=MPI.SUM)
        gamma = np.linalg.lstsq(gram + 1e-14 * np.trace(gram) * np.eye(len(rhs)), rhs, rcond=None)[0]
        return g - gamma @ dG

    def _max(self, a: np.ndarray) -> float:
        return self.p.comm.allreduce(float(np.max(np.abs(a), initial=0.0)), op=MPI.MAX)

    def solve(self) -> None:
        """One implicit step (the BDF weights, dt and flux are set on the problem)."""
        p, t0 = self.p, time.perf_counter()
        V, S = p.V, self.s.function_space
        nt, ns = V.dofmap.index_map.size_local, S.dofmap.index_map.size_local
        inputs, outputs = [], []  # (theta, s) of the last iterates, owned dofs (Anderson history)
        for k in range(1, MAX_ITERATIONS + 1):
            self.theta_k.x.array[:] = p.theta.x.array
            self.s_k.x.array[:] = self.s.x.array
            t1 = time.perf_counter()
            self.transport.solve()
            t2 = time.perf_counter()
            snes = self.transport.solver
            reason = snes.getConvergedReason()
            self.stats["newton_iterations"] += snes.getIterationNumber()
            self.stats["iterations"] += snes.getLinearSolveIterations()
            if reason < 0:
                raise SolverError(f"seifem_coupled_transport: Newton failed at staggered iteration {k} "
                                  f"(SNES reason {reason})", reason)
            p.theta.x.scatter_forward()
            t3 = time.perf_counter()
            p._solve_elasticity()
            t4 = time.perf_counter()
            assemble_rhs(self.b_s, self.L_s, self.bcs_s)
            self.projection.solve(self.b_s, self.s.x.petsc_vec)
            self.s.x.scatter_forward()
            for key, dt in (("transport_time", t2 - t1), ("mechanics_time", t4 - t3),
                            ("projection_time", time.perf_counter() - t4)):
                self.stats[key] += dt
            x = np.concatenate([self.theta_k.x.array[:nt], self.s_k.x.array[:ns]])
            g = np.concatenate([p.theta.x.array[:nt], self.s.x.array[:ns]])
            d_theta, d_s = self._max(g[:nt] - x[:nt]), self._max(g[nt:] - x[nt:])
            scale = max(self._max(g[nt:]), 1e-3)
            log.debug("staggered %d: |d theta| %.3e, |d s|/|s| %.3e", k, d_theta, d_s / scale)
            if d_theta <= TOLERANCE and d_s <= TOLERANCE * scale:
                break
            inputs, outputs = (inputs + [x])[-DEPTH - 1:], (outputs + [g])[-DEPTH - 1:]
            mixed = self._anderson(inputs, outputs, nt, scale)
            p.theta.x.array[:nt], self.s.x.array[:ns] = mixed[:nt], mixed[nt:]
            p.theta.x.scatter_forward()
            self.s.x.scatter_forward()
        else:
            raise SolverError(f"seifem_coupled: staggered iterations did not converge in {MAX_ITERATIONS} "
                              f"(last increments: theta {d_theta:.3e}, s {d_s / scale:.3e} relative)", -1)
        self.stats["solves"] += 1
        self.stats["staggered_iterations"] += k
        self.stats["solve_time"] += time.perf_counter() - t0

    def destroy(self) -> None:
        destroy_problem(self.transport)
        self.projection.destroy()
        for obj in (self.A_s, self.b_s):
            obj.destroy()

"""Staggered (alternate-minimisation) solver of phase-field fracture (`seifem.physics.phase_field`).

Each load step minimises Pi(u, d) of `phase_field` alternately:

1. u-problem: d fixed, Newton (PETSc SNES newtonls; CG + GAMG with the rigid-body
   near-nullspace, 3D or 2D). The split makes it piecewise linear in u: 1-3 Newton steps.
   The GAMG interpolation is built once and reused as the damage changes the operator
   (`pc_gamg_reuse_interpolation`; only the Galerkin coarse operators are recomputed); should
   a u-solve fail with it, the hierarchy is rebuilt and the solve repeated once
   (`stats["preconditioner_rebuilds"]`). With plastic regions Newton takes the secant (l2)
   line search (`fracture_plastic`).
2. d-problem: u fixed, variational inequality d_n <= d <= 1 solved by the reduced-space
   active-set Newton method (SNES vinewtonrsls, `setVariableBounds`). The lower bound d_n,
   the damage of the last accepted step, enforces irreversibility (and d >= 0 for AT1);
   dofs that touch no cracking cell are held at 0 by the upper bound 0. Its linear solves are
   CG + Jacobi: the d-operator G_c l Laplacian + (G_c/l + 2H) mass has a condition number set
   by (l/h)^2, not by the mesh size, and the reduced (inactive-set) system near crack onset can
   be a handful of dofs on which GAMG gives NaN (serially) or fails on one rank only (under
   MPI, a hang). On `si_fracture` the CPU time is the same as with GAMG (119 s against 120 s,
   8574 against 1606 CG iterations; identical history).

Convergence control of the loop (stated, reported in `last`): stop after iteration k when
    max |d_k - d_{k-1}| <= tol_d                      (max norm over all dofs)
and ||F_u(u_k, d_k)|| <= max(rtol_u ||F_u(u_0, d_0)||, atol_u),
where F_u is the u-residual on the free dofs (Dirichlet rows zeroed) evaluated with the new
damage, i.e. the out-of-balance force the damage update left, and ||F_u(u_0, d_0)|| the one
the load change of the step put in (the first Newton residual). Not converged after
`max_iterations`: `SolverError` (the run then cuts the time step; load increments,
`fracture_increments`, may first `solve(resume=True)` at the same load).

    pf = StaggeredPhaseField(u, {"bar": Region(dx, E, nu, strain, Gc)}, bcs, length=0.1)
    pf.solve(); pf.commit()          # one load step; commit accepts it (new lower bound)
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import numpy as np
import ufl
from dolfinx import fem, la
from dolfinx.fem import petsc as fpetsc
from mpi4py import MPI
from petsc4py import PETSc

from seifem.errors import SolverError
from seifem.parallel import destroy_problem
from seifem.petsc_options import nonlinear_problem
from seifem.physics import mechanics as mech
from seifem.physics import phase_field as pf
from seifem.problem.acceleration import Anderson
from seifem.problem.fracture_finite import direct, is_direct, positive_tangent, u_options
from seifem.problem.fracture_plastic import PlasticRegions
from seifem.problem.fracture_region import Region, modulus_value, reason_name, rigid_body_modes_2d
from seifem.problem.solvers import ELASTICITY, assemble_rhs, rigid_body_modes

__all__ = ["Region", "StaggeredNotConverged", "StaggeredPhaseField"]

log = logging.getLogger(__name__)


class StaggeredNotConverged(SolverError):
    """The staggered loop ran out of `max_iterations` (its u- and d-solves did not fail)."""


class StaggeredPhaseField:
    """Displacement `u` (given) and damage `d` (P1, created here, name "damage").

    regions: name -> Region; bcs: Dirichlet conditions of u; length: l; model "AT1"/"AT2";
    k: residual stiffness; extra_residual(v): more terms of the u-residual (e.g. a membrane,
    external tractions, as linear forms in v). tol_d, rtol_u, atol_u, max_iterations: the
    loop control above (atol_u defaults to 1e-12 E_max h^2, a force far below any load).
    reuse_preconditioner: keep the GAMG hierarchy. `u_solver`, None or set by the caller after
    construction, replaces the SNES of the u-problem: an object whose solve() solves u for the
    current d (and, e.g., the axial strain of generalized plane strain, `problem.plane_solver`),
    returns the initial residual norm and counts "newton" and "krylov" in its `stats`;
    `residual_form` is the u-residual (UFL) it can be built from.
    """

    def __init__(self, u: fem.Function, regions: dict[str, Region], bcs: list, length: float, model: str = "AT1",
                 k: float = 1e-6, extra_residual: Callable | None = None, tol_d: float = 1e-4, rtol_u: float = 1e-4,
                 atol_u: float | None = None, max_iterations: int = 200, prefix: str = "seifem_fracture_",
                 reuse_preconditioner: bool = True, anderson_depth: int = 5):
        if model not in pf.MODELS:
            raise ValueError(f"model must be one of {pf.MODELS}")
        self.u, self.regions, self.bcs, self.l, self.model, self.k = u, regions, bcs, length, model, k
        self.tol_d, self.rtol_u, self.max_iterations = tol_d, rtol_u, max_iterations
        self.u_solver = None  # replaces the SNES of the u-problem when set (see the class docstring)
        mesh = u.function_space.mesh
        self.comm = mesh.comm
        tdim = mesh.topology.dim
        D = fem.functionspace(mesh, ("Lagrange", 1))
        self.d = fem.Function(D, name="damage")
        self.d_n = fem.Function(D, name="damage_previous")  # last accepted step: the lower bound
        self.state = {"damage": self.d, "damage_previous": self.d_n}
        ku = u.function_space.ufl_element().embedded_superdegree
        md = {"quadrature_degree": 2 * (ku - 1) + 2}
        v, du = ufl.TestFunction(u.function_space), ufl.TrialFunction(u.function_space)
        q, dd = ufl.TestFunction(D), ufl.TrialFunction(D)

        elastic, crack, driving, stressed = 0, 0, 0, 0
        self.cracking = [n for n, r in regions.items() if r.Gc is not None]
        # plastic regions: the history at the points of degree 2 (k_u - 1) (1: the centroid, for P1), as in
        # `nonlinear_mechanics`, where the stress recovery of the outputs samples it (or `Region.quadrature_degree`)
        self.plastic = PlasticRegions(u, self.d, regions, max(1, 2 * (ku - 1)), k)
        self.state.update(self.plastic.history)
        for name, r in regions.items():
            own = md if r.quadrature_degree is None else {"quadrature_degree": r.quadrature_degree}
            dxr, w = r.dx(metadata=own if r.yield_stress is None else self.plastic.metadata(name)), r.weight * r.density
            eps_e = self.plastic.elastic_strain(name)
            plus, minus = pf.psi_split_finite(eps_e, r.E, r.nu) if r.finite else pf.psi_split(eps_e, r.E, r.nu)
            if r.Gc is None:
                energy = plus + minus
            else:
                energy = pf.degradation(self.d, k) * plus + minus
                crack += pf.crack_energy_density(self.d, r.Gc, length, model) * r.weight * r.dx
                driving += pf.degradation(self.d, k) * plus * w * dxr  # the elastic tensile energy alone
            elastic += energy * w * dxr
            if r.yield_stress is None:
                stressed += energy * w * dxr
        if not self.cracking:
            raise ValueError("no region cracks (every Region.Gc is None)")
        self.elastic_ufl, self._elastic, self._crack = elastic, fem.form(elastic), fem.form(crack)
        Fu = ufl.derivative(stressed, u, v) if not isinstance(stressed, int) else 0
        Fu = Fu + self.plastic.residual(v, self.stress)  # no potential: sigma : eps(v)
        if extra_residual is not None:
            Fu = Fu + extra_residual(v)
        Ju = ufl.derivative(Fu, u, du)
        Fd = ufl.derivative(driving + crack, self.d, q)
        Jd = ufl.derivative(Fd, self.d, dd)

        # scales for the absolute tolerances: E_max, the mean cell volume
        cells = mesh.topology.index_map(tdim).size_global
        one = fem.Constant(mesh, PETSc.ScalarType(1.0))
        vol = self.comm.allreduce(fem.assemble_scalar(fem.form(one * ufl.dx(domain=mesh))), op=MPI.SUM)
        h = (vol / cells) ** (1.0 / tdim)
        E_max = max(modulus_value(r.E) for r in regions.values())
        Gc_max = max(r.Gc for r in regions.values() if r.Gc is not None)
        self.atol_u = atol_u if atol_u is not None else 1e-12 * E_max * h**2
        self.reuse = reuse_preconditioner
        reuse = {"pc_gamg_reuse_interpolation": "true" if reuse_preconditioner else "false"}
        u_opts = {**ELASTICITY, **reuse, "ksp_rtol": 1e-10, "ksp_atol": 1e-50, "snes_type": "newtonls",
                  "snes_linesearch_type": "l2" if self.plastic.names else "none",  # plastic: `fracture_plastic`
                  "snes_rtol": 1e-9, "snes_atol": self.atol_u, "snes_max_it": 30}
        d_opts = {"snes_type": "vinewtonrsls", "snes_rtol": 1e-9, "snes_atol": 1e-10 * Gc_max / length * h**tdim,
                  "snes_stol": 0.0, "snes_max_it": 50, "ksp_type": "cg", "pc_type": "jacobi", "ksp_rtol": 1e-10,
                  "ksp_atol": 1e-50}
        Pu = None  # finite strain: GMRES on the tangent, GAMG on its positive-definite part (`fracture_finite`)
        self.finite = any(r.finite for r in regions.values())
        n_u = u.function_space.dofmap.index_map.size_global * u.function_space.dofmap.index_map_bs
        if self.finite:
            u_opts.update(u_options(n_u))
        if self.finite and not is_direct(n_u):
            Pu = positive_tangent(regions, u, self.d, k, v, du, md)
            if extra_residual is not None:
                Pu = Pu + ufl.derivative(extra_residual(v), u, du)
        self.u_problem = nonlinear_problem(Fu, u, bcs=bcs, J=Ju, P=Pu, prefix=prefix + "u_", options=u_opts)
        if tdim == 3:
            self._ns, self._ns_arrays = rigid_body_modes(u.function_space)
        else:
            self._ns, self._ns_arrays = rigid_body_modes_2d(u.function_space)
        self.u_problem.A.setNearNullSpace(self._ns)
        if self.u_problem.P_mat is not None:
            self.u_problem.P_mat.setNearNullSpace(self._ns)
        self.u_problem.solver.setConvergenceHistory()
        self.d_problem = nonlinear_problem(Fd, self.d, J=Jd, prefix=prefix + "d_", options=d_opts)
        self.residual_form = Fu
        self._Fu = fem.form(Fu)
        self._ru = fpetsc.create_vector(u.function_space)

        # bounds: lb = d_n; ub = 1, and 0 on dofs that touch no cracking cell
        self.lb = self.d_n.x.petsc_vec
        self._ub = fem.Function(D)
        for name in self.cracking:  # every dof of a cracking cell, also where the cell is another rank's
            cells_r = regions[name].cells
            self._ub.x.array[D.dofmap.list[cells_r if cells_r is not None else slice(None)].ravel()] = 1.0
        self._ub.x.scatter_reverse(la.InsertMode.add)
        self._ub.x.array[:] = np.where(self._ub.x.array > 0, 1.0, 0.0)
        self._ub.x.scatter_forward()
        self.d_problem.solver.setVariableBounds(self.lb, self._ub.x.petsc_vec)
        self._n_owned = D.dofmap.index_map.size_local
        self.anderson = Anderson(self.comm, anderson_depth) if anderson_depth > 0 else None
        self.stats = {"steps": 0, "staggered_iterations": 0, "max_staggered_iterations": 0, "newton_u": 0,
                      "newton_d": 0, "krylov_u": 0, "krylov_d": 0, "preconditioner_rebuilds": 0, "direct_fallbacks": 0,
                      "time": 0.0}
        self.last = {"iterations": 0, "delta_d": 0.0, "residual_u": 0.0, "residual_u0": 0.0}

    # ------------------------------------------------------------------ solving
    def _solve_u(self) -> float:
        """Newton on u for the current d; returns the initial residual norm."""
        if self.u_solver is not None:
            s0 = dict(self.u_solver.stats)
            r0 = self.u_solver.solve()
            self.stats["newton_u"] += self.u_solver.stats["newton"] - s0["newton"]
            self.stats["krylov_u"] += self.u_solver.stats["krylov"] - s0["krylov"]
            return r0
        snes = self.u_problem.solver
        self.u_problem.solve()
        reason, its = snes.getConvergedReason(), snes.getIterationNumber()
        if reason < 0 and self.reuse:  # the reused multigrid hierarchy no longer fits the damage: rebuild it once
            snes.getKSP().getPC().reset()
            self.stats["preconditioner_rebuilds"] += 1
            self.u_problem.solve()
            reason, its = snes.getConvergedReason(), snes.getIterationNumber()
        if reason < 0 and self.finite and snes.getKSP().getType() != "preonly":  # GMRES failed: MUMPS from now on
            log.warning("fracture u-problem: GMRES failed (%s), repeated with MUMPS LU", reason_name(reason))
            direct(self.u_problem, self.bcs)
            self.stats["direct_fallbacks"] += 1
            self.u_problem.solve()
            reason, its = snes.getConvergedReason(), snes.getIterationNumber()
        self.stats["newton_u"] += its
        self.stats["krylov_u"] += snes.getLinearSolveIterations()
        if reason < 0:
            raise SolverError(f"fracture u-problem: Newton failed after {its} iterations ({reason_name(reason)})", reason)
        self.u.x.scatter_forward()
        hist = snes.getConvergenceHistory()[0]
        return float(hist[0]) if len(hist) else 0.0

    def _solve_d(self) -> None:
        snes = self.d_problem.solver
        self.d_problem.solve()
        reason, its = snes.getConvergedReason(), snes.getIterationNumber()
        self.stats["newton_d"] += its
        self.stats["krylov_d"] += snes.getLinearSolveIterations()
        if reason < 0:
            raise SolverError(f"fracture d-problem: VI Newton failed after {its} iterations ({reason_name(reason)})", reason)
        self.d.x.scatter_forward()

    def residual_u(self) -> float:
        """||F_u(u, d)|| on the free dofs (the Dirichlet rows u - g: zero, u satisfies them)."""
        return assemble_rhs(self._ru, self._Fu, self.bcs, self.u.x.petsc_vec).norm()

    def solve(self, resume: bool = False) -> int:
        """One load step (the caller has set the load and the Dirichlet values); returns the
        number of staggered iterations. The iterate starts from the last one. resume: go on
        with a loop that ran out of iterations (`SolverError`) at the same load, from its last
        iterate, against its first u-residual (`last["residual_u0"]`), for another
        `max_iterations`."""
        t0 = time.perf_counter()
        r0, n = (self.last["residual_u0"] if resume else None), self._n_owned
        if self.anderson is not None and not resume:
            self.anderson.reset()
        for it in range(1, self.max_iterations + 1):
            r = self._solve_u()
            r0 = r if r0 is None else r0
            d_in = self.d.x.array[:n].copy()
            self._solve_d()
            g = self.d.x.array[:n] - d_in  # the plain staggered update of the iterate
            delta = self.comm.allreduce(float(np.max(np.abs(g), initial=0.0)), op=MPI.MAX)
            ru = None
            log.debug("staggered iteration %d: max |delta d| %.3g", it, delta)
            if delta <= self.tol_d:  # the u-residual only when the damage has settled
                ru = self.residual_u()
                if ru <= max(self.rtol_u * r0, self.atol_u):
                    break
            if self.anderson is not None:
                x = np.clip(self.anderson.update(d_in, g), self.d_n.x.array[:n], self._ub.x.array[:n])
                self.d.x.array[:n] = x
                self.d.x.scatter_forward()
        else:
            ru = self.residual_u() if ru is None else ru
            self.last = {"iterations": it, "delta_d": delta, "residual_u": ru, "residual_u0": r0}  # for `resume`
            raise StaggeredNotConverged(f"fracture: staggered loop not converged in {self.max_iterations} iterations "
                                        f"(max |delta d| = {delta:.3g}, u-residual {ru:.3g} of {r0:.3g})", -1)
        self._solve_u()  # equilibrium with the final damage (the stresses written out)
        self.last = {"iterations": it, "delta_d": delta, "residual_u": ru, "residual_u0": r0}
        self.stats["steps"] += 1
        self.stats["staggered_iterations"] += it
        self.stats["max_staggered_iterations"] = max(self.stats["max_staggered_iterations"], it)
        if self.anderson is not None:
            self.stats["anderson_restarts"] = self.anderson.restarts
        self.stats["time"] += time.perf_counter() - t0
        return it

    def commit(self, previous: dict | None = None) -> None:
        """Accept the step: its damage is the lower bound from now on; the plastic strain moves
        on (its dissipation counted; `previous`: the last accepted state, `PlasticRegions.commit`)."""
        self.plastic.commit(self.stress, previous)
        self.d_n.x.array[:] = self.d.x.array
        self.d_n.x.scatter_forward()

    # ------------------------------------------------------------------ outputs
    def _sum(self, form) -> float:
        return self.comm.allreduce(fem.assemble_scalar(form), op=MPI.SUM)

    def elastic_energy(self) -> float:
        """int g(d) psi+ + psi- dx over all regions (energy units of the model)."""
        return self._sum(self._elastic)

    def plastic_dissipation(self) -> float:
        """int_0^t int sigma : d eps_p dx of the accepted steps (energy units of the model)."""
        return self.plastic.dissipation

    def crack_energy(self) -> float:
        """G_c / c_w int (w(d)/l + l |grad d|^2) dx: the energy spent on cracks."""
        return self._sum(self._crack)

    def stress(self, name: str, eps_e=None):
        """Cauchy stress of a region (UFL): degraded split stress where it cracks; of the
        elastic strain eps_e (UFL, default: the region's, after the plastic return)."""
        r = self.regions[name]
        eps_e = self.plastic.elastic_strain(name) if eps_e is None else eps_e
        if r.finite:
            return pf.cauchy_split_finite(eps_e, self.d if r.Gc is not None else 0.0, r.E, r.nu,
                                          self.k if r.Gc is not None else 0.0)
        if r.Gc is None:
            return mech.stress(eps_e, r.E, r.nu)
        return pf.stress_split(eps_e, self.d, r.E, r.nu, self.k)

    def destroy(self) -> None:
        destroy_problem(self.u_problem)
        destroy_problem(self.d_problem)
        self._ru.destroy()

"""PETSc solver presets, the rigid-body near-nullspace, and a linear solver that reuses its
operator and preconditioner across time steps.

The Newton controls (inexact-Newton forcing terms, preconditioner reuse) are in
`problem.newton`. Each problem has its own options prefix (``seifem_elasticity_``, ``seifem_diffusion_``), so
any preset can be changed from the command line, e.g.
``seifem run case.toml -seifem_elasticity_ksp_monitor -seifem_elasticity_pc_type lu``.
"""

from __future__ import annotations

import logging
import time

import numpy as np
from dolfinx import fem
from dolfinx.fem import petsc as fpetsc
from petsc4py import PETSc

from seifem.errors import SolverError
from seifem.petsc_options import set_defaults

__all__ = ["ELASTICITY", "ELASTICITY_LARGE", "ELASTICITY_DIRECT", "NEWTON_ITERATIVE", "DIRECT_BELOW",
           "elasticity_presets", "newton_presets", "DIFFUSION", "SolverError", "LinearSolver", "rigid_body_modes",
           "constant", "assemble_rhs", "extrapolate"]

log = logging.getLogger(__name__)

ELASTICITY = {
    "ksp_type": "cg",
    "pc_type": "gamg",
    "pc_gamg_type": "agg",
    "pc_gamg_threshold": 0.01,
    "pc_gamg_coarse_eq_limit": 1000,
    "mg_levels_ksp_type": "richardson",
    "mg_levels_pc_type": "sor",
    "pc_gamg_reuse_interpolation": "false",
}
"""CG + smoothed-aggregation AMG with the rigid-body near-nullspace. Measured on the coated
case (24k P2 dofs): SOR smoothing 26 iterations / 0.51 s per solve against 42 / 0.87 s with
Chebyshev-Jacobi; threshold 0.01 cut iterations 24 -> 16 (P1) and 41 -> 26 (P2)."""

ELASTICITY_LARGE = {**ELASTICITY, "mg_levels_ksp_type": "chebyshev", "mg_levels_pc_type": "jacobi",
                    "pc_gamg_threshold": -1, "pc_gamg_aggressive_coarsening": 1}
"""The elasticity preset from `LARGE` displacement dofs on: Chebyshev/Jacobi smoothing, no
graph threshold, aggressive coarsening of the first level. Measured by bench/bench_gamg.py on
the bare octant, 179k P2 dofs, 1 rank, one run (load average 15 on 2 cores): 31 CG iterations
at 7.9 fine-grid SpMV-equivalents each (time) against SOR's 21 at 14.5; setup 29 s against
69 s, solve 67 s against 84 s. At 17k dofs SOR stays ahead on solve time (29 against 49
iterations)."""

LARGE = 100_000
"""Displacement dofs from which `elasticity_presets` picks `ELASTICITY_LARGE`."""


NEWTON_ITERATIVE = {**ELASTICITY, "ksp_norm_type": "unpreconditioned"}
"""The linear solves of the mechanics Newton when iterative (`newton_presets`), at every size:
`ELASTICITY` (SOR smoothing) with CG's convergence test on the true residual |F + J s|, the
quantity the inexact Newton's forcing terms bound (`newton.ForcingTerms`). Measured on the
finite-cycle protocol's coated octant (finite strain + J2 plasticity, C/2, 120 s steps, the
first 8 steps, 2 ranks; Newton steps / CG iterations / Jacobians): 49 719 dofs: `ELASTICITY`
32 / 656 / 16, `ELASTICITY_LARGE` 52 / 1482 / 44, `ELASTICITY_LARGE` on the true residual
32 / 1711 / 17, this preset 25 / 668 / 9; 213 510 dofs: `ELASTICITY_LARGE` on the true residual
32 / 1211 / 17, this preset 25 / 525 / 9. On the preconditioned residual (CG's default) a
loose forcing term let the Newton steps go wrong with Chebyshev/Jacobi smoothing, and the
setup `ELASTICITY_LARGE` saves is not worth its 2.3x the CG iterations here."""

ELASTICITY_DIRECT = {"ksp_type": "preonly", "pc_type": "lu", "pc_factor_mat_solver_type": "mumps"}
"""MUMPS LU, factorised once and reused while the operator is unchanged (`LinearSolver`)."""

DIRECT_BELOW = 150_000
"""Displacement dofs below which a constant, constrained elasticity operator of a serial run is factorised
(`ELASTICITY_DIRECT`) instead of iterated. Measured on the coated particle (2.5 um Si, 10 nm
carbon, SEI membrane; 30 s steps at 1C, small strain, quiet machine): the one-element-thick
coating makes CG + GAMG take 72-83 iterations a step against 18-20 for the bare particle
(graph thresholds 0-0.5, more smoothing, Chebyshev: 41-147), so at 75k dofs on 1 rank a step
cost 7.3 s of elasticity against 1.0 s with LU (the factorisation ~4 s once, a solve ~0.2 s;
peak memory 1.4 GB against 0.5 GB); at 213k on 2 ranks the factorisation took ~19 s and 3.0 GB
per rank, at 388k ~100 s and 6.6 GB per rank (too much beside a run's other memory, hence
the limit). Serial runs only: MUMPS on several ranks schedules its factorisation dynamically,
so two identical 2-rank runs differed by 1.3e-10 (relative, one history column) and a restart
no longer continued bit for bit (5.5e-12); CG + GAMG there is reproducible."""


def elasticity_presets(V, factorise: bool = False) -> dict:
    """The elasticity preset for the vector space V: with `factorise` (a constant operator
    without a nullspace) `ELASTICITY_DIRECT` below `DIRECT_BELOW` global dofs, else
    `ELASTICITY`, or `ELASTICITY_LARGE` from `LARGE` global dofs on."""
    n = V.dofmap.index_map.size_global * V.dofmap.index_map_bs
    if factorise and n < DIRECT_BELOW:
        return ELASTICITY_DIRECT
    return ELASTICITY_LARGE if n >= LARGE else ELASTICITY


def newton_presets(V, factorise: bool = False) -> dict:
    """The linear solves of the mechanics Newton on the vector space V: with `factorise` (a
    serial run) `ELASTICITY_DIRECT` below `DIRECT_BELOW` global dofs, else `NEWTON_ITERATIVE`."""
    n = V.dofmap.index_map.size_global * V.dofmap.index_map_bs
    return ELASTICITY_DIRECT if factorise and n < DIRECT_BELOW else NEWTON_ITERATIVE


DIFFUSION = {
    "ksp_type": "cg",
    "pc_type": "gamg",
    "pc_gamg_threshold": 0.01,
    "pc_gamg_aggressive_square_graph": "false",
    "mg_levels_ksp_type": "chebyshev",
    "mg_levels_pc_type": "jacobi",
    "pc_gamg_reuse_interpolation": "false",
}
"""CG + AMG; `aggressive_square_graph false` cut the setup 2.5-5x here.

Both presets rebuild GAMG's interpolation when the operator changes (`reuse_interpolation
false`): a preconditioner then depends on the current operator only, not on the run's past, so
a run continued from a checkpoint takes bit for bit the steps of the uninterrupted run (with
reuse, its first setup differs and the histories differ at the solver tolerance, ~1e-9)."""


def _reason_name(reason: int) -> str:
    names = {v: k for k, v in PETSc.KSP.ConvergedReason.__dict__.items() if isinstance(v, int)}
    return names.get(reason, str(reason))


class LinearSolver:
    """KSP on a fixed operator A. Call `update_operator()` after A's entries change; the
    preconditioner is otherwise built once and reused for every solve.

    Keeps counters for benchmarks: setups, solves, iterations and their wall times (s).
    """

    def __init__(self, A: PETSc.Mat, prefix: str, presets: dict, rtol: float):
        tolerances = {} if presets.get("ksp_type") == "preonly" else {"ksp_rtol": rtol, "ksp_atol": 1e-50}
        added = set_defaults(prefix, {**presets, **tolerances})
        self.prefix = prefix
        self.ksp = PETSc.KSP().create(A.getComm())
        self.ksp.setOptionsPrefix(prefix)
        self.ksp.setOperators(A)
        self.ksp.setFromOptions()
        if added and not PETSc.Options().hasName("options_left"):
            # GAMG reads its level-smoother presets only at setup; a solver that never
            # solves would make PETSc list them as unused at exit
            PETSc.Options().setValue("options_left", "0")
        if self.ksp.getType() != PETSc.KSP.Type.PREONLY:
            self.ksp.setInitialGuessNonzero(True)  # start from the previous step's solution
        self.stats = {"setups": 0, "solves": 0, "iterations": 0, "setup_time": 0.0, "solve_time": 0.0}
        self._needs_setup = True

    def update_operator(self) -> None:
        """Mark the operator as changed so the preconditioner is rebuilt before the next solve."""
        A, _ = self.ksp.getOperators()
        self.ksp.setOperators(A)
        self._needs_setup = True

    def solve(self, b: PETSc.Vec, x: PETSc.Vec) -> int:
        """Solve A x = b (x holds the initial guess); raise SolverError unless it converged."""
        if self._needs_setup:
            t0 = time.perf_counter()
            self.ksp.setUp()
            self.stats["setup_time"] += time.perf_counter() - t0
            self.stats["setups"] += 1
            self._needs_setup = False
        t0 = time.perf_counter()
        self.ksp.solve(b, x)
        self.stats["solve_time"] += time.perf_counter() - t0
        reason = self.ksp.getConvergedReason()
        its = self.ksp.getIterationNumber()
        self.stats["solves"] += 1
        self.stats["iterations"] += its
        if reason < 0:
            raise SolverError(f"{self.prefix.rstrip('_')}: linear solve failed after {its} iterations "
                              f"({_reason_name(reason)})", reason)
        return its

    def destroy(self) -> None:
        self.ksp.destroy()


def rigid_body_modes(V) -> tuple[PETSc.NullSpace, list]:
    """Orthonormal rigid-body modes (3 translations, 3 rotations) of a 3D vector space.

    Returns the PETSc nullspace and the arrays that back its vectors (keep them alive)."""
    from dolfinx import la

    imap, bs = V.dofmap.index_map, V.dofmap.index_map_bs
    basis = [la.vector(imap, bs=bs, dtype=PETSc.ScalarType) for _ in range(6)]
    b = [v.array for v in basis]
    dofs = [V.sub(i).dofmap.list.flatten() for i in range(3)]
    x = V.tabulate_dof_coordinates()
    nodes = V.dofmap.list.flatten()
    x0, x1, x2 = x[nodes, 0], x[nodes, 1], x[nodes, 2]
    for i in range(3):
        b[i][dofs[i]] = 1.0
    b[3][dofs[0]], b[3][dofs[1]] = -x1, x0
    b[4][dofs[0]], b[4][dofs[2]] = x2, -x0
    b[5][dofs[2]], b[5][dofs[1]] = x1, -x2
    la.orthonormalize(basis)
    n = bs * imap.size_local
    vecs = [PETSc.Vec().createWithArray(v[:n], bsize=bs, comm=V.mesh.comm) for v in b]
    return PETSc.NullSpace().create(vectors=vecs, comm=V.mesh.comm), [basis, vecs]


def extrapolate(guess: np.ndarray, current: np.ndarray, previous: np.ndarray, ratio: float) -> None:
    """Add the linear extrapolation in time to a solver's initial guess, in place:
    guess += ratio (current - previous), ratio = dt / dt_before (the step's length over the
    last one's); with guess = current it is current + ratio (current - previous)."""
    guess += ratio * (current - previous)


def owned(values: np.ndarray, V) -> np.ndarray:
    """The owned part of a dof array of V."""
    return values[: V.dofmap.index_map.size_local * V.dofmap.index_map_bs]


def constant(mesh, value):
    """A PETSc-scalar dolfinx Constant on `mesh`."""
    return fem.Constant(mesh, PETSc.ScalarType(value))


def assemble_rhs(b: PETSc.Vec, L, bcs, x0: PETSc.Vec | None = None) -> PETSc.Vec:
    """Assemble L into b (zeroed first) and zero its Dirichlet rows; returns b.

    Every Dirichlet condition here is homogeneous (symmetry planes, concentration pinned to
    0 on coating-only dofs), so lifting would add nothing: it is skipped (it costs about
    a matrix assembly per step). A nonlinear residual L = F(x0) with conditions that need not
    be homogeneous (a prescribed displacement) passes its iterate x0: the Dirichlet rows are
    then x0 - g, zero where x0 satisfies the conditions (as in dolfinx's NonlinearProblem)."""
    with b.localForm() as loc:
        loc.set(0.0)
    fpetsc.assemble_vector(b, L)
    b.ghostUpdate(addv=PETSc.InsertMode.ADD, mode=PETSc.ScatterMode.REVERSE)
    if x0 is None:
        fpetsc.set_bc(b, bcs)
    else:
        fpetsc.set_bc(b, bcs, x0, -1.0)
    return b

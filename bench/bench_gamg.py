"""Benchmark: GAMG settings for the small-strain elasticity operator of a particle. A script,
not a test.

    .venv/bin/python bench/bench_gamg.py [--design coated] [--mesh-size 0.42] [--repeat 3]
    .venv/bin/mpirun -n 2 .venv/bin/python bench/bench_gamg.py --mesh-size 0.14

Builds the `ParticleProblem` of a bare or coated Si octant (P2), takes one 1C step so the
right-hand side is a real one, then solves that same system A u = b (rtol 1e-10 from a zero
guess) with each preset below and prints: CG iterations, the cost of one CG iteration in
fine-grid SpMV-equivalents, counted two ways: by floating-point operations (those of the
iteration, i.e. one preconditioner application, one MatMult and the vector updates, over those
of one fine-grid MatMult: independent of the load) and by time (solve time per iteration over
the time of one fine-grid MatMult, timed just before: what the issue's targets count; SOR's
sequential sweeps cost more time per flop than MatMult), the operator complexity (nonzeros of all levels /
fine nonzeros), setup and solve time (best of --repeat) and solve time per iteration. Flop
ratios do not depend on the machine's load; times do (the load average is printed).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from mpi4py import MPI  # noqa: E402

import seifem  # noqa: F401,E402  (MPI before dolfinx)
from helpers import make_case  # noqa: E402

SOR = {"mg_levels_ksp_type": "richardson", "mg_levels_pc_type": "sor"}
CHEB = {"mg_levels_ksp_type": "chebyshev", "mg_levels_pc_type": "jacobi"}
PRESETS = {  # name -> options on top of CG + GAMG (agg) with the rigid-body near-nullspace
    "sor t0.01": {**SOR, "pc_gamg_threshold": 0.01},
    "cheb t0.01": {**CHEB, "pc_gamg_threshold": 0.01},
    "cheb t0.01 1 sweep": {**CHEB, "pc_gamg_threshold": 0.01, "mg_levels_ksp_max_it": 1},
    "cheb t0.05": {**CHEB, "pc_gamg_threshold": 0.05},
    "cheb t-1 agg1": {**CHEB, "pc_gamg_threshold": -1, "pc_gamg_aggressive_coarsening": 1},
    "cheb t0.01 agg1": {**CHEB, "pc_gamg_threshold": 0.01, "pc_gamg_aggressive_coarsening": 1},
    "cheb t0.01 agg2": {**CHEB, "pc_gamg_threshold": 0.01, "pc_gamg_aggressive_coarsening": 2},
    "sor t0.01 agg1": {**SOR, "pc_gamg_threshold": 0.01, "pc_gamg_aggressive_coarsening": 1},
}


def _flops(event: str) -> tuple[float, int]:
    from petsc4py import PETSc

    info = PETSc.Log.Event(event).getPerfInfo()
    return info["flops"], info["count"]


def _nnz(A) -> float:
    from petsc4py import PETSc

    return A.getInfo(PETSc.Mat.InfoType.GLOBAL_SUM)["nz_used"]


def _complexity(pc) -> float:
    """nnz of every level's operator / nnz of the finest."""
    nnz = [_nnz(pc.getMGSmoother(level).getOperators()[0]) for level in range(pc.getMGLevels())]
    return sum(nnz) / nnz[-1]


def _spmv_time(p, n: int = 20) -> float:
    """Wall time of one fine-grid MatMult (s; the best of 3 batches of n)."""
    x, y = p.b_el.duplicate(), p.b_el.duplicate()
    x.set(1.0)
    best = float("inf")
    for _ in range(3):
        p.comm.barrier()
        t0 = time.perf_counter()
        for _ in range(n):
            p.A_el.mult(x, y)
        p.comm.barrier()
        best = min(best, (time.perf_counter() - t0) / n)
    x.destroy()
    y.destroy()
    return best


def run(name: str, options: dict, p, repeat: int) -> dict:
    from petsc4py import PETSc

    prefix = f"gamg_bench_{abs(hash(name))}_"
    opts = PETSc.Options()
    base = {"ksp_type": "cg", "pc_type": "gamg", "pc_gamg_type": "agg", "pc_gamg_coarse_eq_limit": 1000,
            "ksp_rtol": 1e-10, "ksp_atol": 1e-50}
    for k, v in {**base, **options}.items():
        opts[prefix + k] = v
    best_setup = best_solve = float("inf")
    for _ in range(repeat):
        ksp = PETSc.KSP().create(p.comm)
        ksp.setOptionsPrefix(prefix)
        ksp.setOperators(p.A_el)
        ksp.setFromOptions()
        x = p.b_el.duplicate()
        p.comm.barrier()
        t0 = time.perf_counter()
        ksp.setUp()
        t1 = time.perf_counter()
        f0 = {e: _flops(e) for e in ("KSPSolve", "MatMult")}
        ksp.solve(p.b_el, x)
        t2 = time.perf_counter()
        f1 = {e: _flops(e) for e in ("KSPSolve", "MatMult")}
        best_setup, best_solve = min(best_setup, t1 - t0), min(best_solve, t2 - t1)
        its = ksp.getIterationNumber()
        complexity = _complexity(ksp.getPC())
        levels = ksp.getPC().getMGLevels()
        ksp.destroy()
        x.destroy()
    solve_flops = p.comm.allreduce(f1["KSPSolve"][0] - f0["KSPSolve"][0], op=MPI.SUM)
    spmv = 2.0 * _nnz(p.A_el)
    return {"name": name, "its": its, "spmv_per_it": solve_flops / max(its, 1) / spmv, "complexity": complexity,
            "levels": levels, "setup_s": best_setup, "solve_s": best_solve, "s_per_it": best_solve / max(its, 1)}


def main() -> None:
    from petsc4py import PETSc

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--design", choices=("bare", "coated"), default="coated")
    ap.add_argument("--mesh-size", type=float, default=0.42, help="core element size (um)")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--only", nargs="*", choices=list(PRESETS))
    args = ap.parse_args()
    comm = MPI.COMM_WORLD
    from seifem.geometry import build
    from seifem.problem.particle import ParticleProblem

    extra = {"coating": {"material": "carbon", "thickness": "50 nm"}} if args.design == "coated" else {}
    case = make_case(particle={"material": "Si", "radius": "2.5 um"}, geometry={"mesh_size": f"{args.mesh_size} um"},
                     sei={"material": "sei-carbonate", "thickness": "20 nm"}, **extra)
    p = ParticleProblem(case, build(case, comm))
    p.advance(60.0, 1.0)
    t_spmv = _spmv_time(p)
    PETSc.Log.begin()
    rows = [run(n, PRESETS[n], p, args.repeat) for n in (args.only or PRESETS)]
    if comm.rank == 0:
        print(f"{args.design} octant, core mesh {args.mesh_size} um, {p.W.dofmap.index_map.size_global * 3} u dofs, "
              f"{comm.size} rank(s); load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(f"fine-grid MatMult {1e3 * t_spmv:.3f} ms")
        print(f"{'preset':20s} {'CG its':>6s} {'flop SpMV/it':>12s} {'time SpMV/it':>12s} {'op cplx':>7s} {'levels':>6s} "
              f"{'setup s':>8s} {'solve s':>8s} {'ms/it':>7s}")
        for r in rows:
            print(f"{r['name']:20s} {r['its']:6d} {r['spmv_per_it']:12.1f} {r['s_per_it'] / t_spmv:12.1f} "
                  f"{r['complexity']:7.2f} {r['levels']:6d} {r['setup_s']:8.3f} {r['solve_s']:8.3f} "
                  f"{1e3 * r['s_per_it']:7.2f}")
    p.destroy()


if __name__ == "__main__":
    main()

"""Benchmark (a script, not a test): the 2D plane-strain fracture model through a full
lithiation and delithiation.

    .venv/bin/mpirun -n 2 .venv/bin/python bench/bench_plane_fracture.py [--hs 9] [--dt 120] [--no-reuse]

A 1 um Si cross-section (geometry.model = "2d-plane", P1, surface elements `--hs` nm within
0.4 um of the surface, l = 50 nm, AT1, four 100 nm flaws, staggered tolerance 1e-3) from the
stress-free lithiated state theta = 0.99 delithiated at 1C to 0 (3564 s) and lithiated back at
1C (`--initial-soc 0`: lithiated first, which in plane strain (eps_zz = 0) makes the whole
swelling surface shell damage by its deviatoric energy), time steps of `--dt` s,
through `PlaneProblem.advance` and its history scalars each step (as a run does). Prints the
displacement dofs, wall time per step and in total, staggered iterations per step, Newton and
Krylov iterations of the u- and d-problems, the preconditioner rebuilds, the peak memory per
rank, and the final damage measures. `--no-reuse` rebuilds the GAMG hierarchy at every
u-solve (the reference for the reuse).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from mpi4py import MPI

import seifem  # noqa: F401  (MPI before dolfinx)
from helpers import make_case


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--hs", type=float, default=9.0, help="surface element size, nm")
    ap.add_argument("--dt", type=float, default=120.0)
    ap.add_argument("--no-reuse", action="store_true")
    ap.add_argument("--steps", type=int, default=0, help="stop after this many steps (0: the whole protocol)")
    ap.add_argument("--initial-soc", type=float, default=0.99, help="stress-free start; >= 0.5: delithiate first, 0: lithiate first")
    a = ap.parse_args()
    comm = MPI.COMM_WORLD
    from seifem.problem import fracture as fr
    from seifem.problem.plane import PlaneProblem
    from seifem.reduced.design import design_from_case

    if a.no_reuse:  # the reference: a fresh GAMG hierarchy at every u-solve
        init = fr.StaggeredPhaseField.__init__
        fr.StaggeredPhaseField.__init__ = lambda self, *x, **k: init(self, *x, **{**k, "reuse_preconditioner": False})
    case = make_case(particle={"material": "Si", "radius": "1 um", "diffusivity": "1e-15 m^2/s",
                                   "initial_soc": a.initial_soc},
                     geometry={"model": "2d-plane", "mesh_size": "0.2 um", "surface_mesh_size": f"{a.hs} nm",
                               "refine_depth": "0.4 um"},
                     fracture={"length_scale": "50 nm", "notch_depth": "100 nm", "notches": 4, "tolerance": 1e-3,
                               "max_iterations": 400},
                     solver={"dt": f"{a.dt} s", "degree": 1, "max_cells": 10**7})
    f = case.fracture
    t0 = time.perf_counter()
    p = PlaneProblem(design_from_case(case), comm, mesh_size=0.2, surface_mesh_size=a.hs / 1000, refine_depth=0.4,
                     order=1, fracture=f, fracture_energy={"core": case.particle.material.si("fracture_energy")})
    setup = time.perf_counter() - t0
    n = int(round(3600 * (a.initial_soc if a.initial_soc >= 0.5 else 1 - a.initial_soc) / a.dt))
    plan = [-1.0] * n + [1.0] * n if a.initial_soc >= 0.5 else [1.0] * n + [-1.0] * n
    if a.steps:
        plan = plan[: a.steps]
    times, its = [], []
    t_all = time.perf_counter()
    for k, rate in enumerate(plan):
        t1 = time.perf_counter()
        p.advance(a.dt, rate)
        row = p.scalars()
        times.append(time.perf_counter() - t1)
        its.append(p.fracture.last["iterations"])
        if comm.rank == 0:
            print(f"step {k + 1:3d}  C-rate {rate:+.0f}  soc {row['soc']:.3f}  {times[-1]:6.2f} s  staggered {its[-1]:3d}"
                  f"  damage_max {row['damage_max']:.3f}  crack_area {row['crack_area_um2']:.3f} um/um"
                  f"  surface_cracks {row['surface_cracks']:.0f}  fragments {row['fragments']:.0f}", flush=True)
    total = time.perf_counter() - t_all
    mem = comm.gather(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, root=0)
    s = p.fracture.stats
    if comm.rank == 0:
        print(f"ranks {comm.size}; displacement dofs {p.dofs['displacement']}; GAMG reuse {not a.no_reuse}; setup "
              f"{setup:.1f} s; {len(plan)} steps in {total:.1f} s ({total / len(plan):.2f} s per step, max "
              f"{max(times):.1f} s)")
        print(f"staggered iterations: {s['staggered_iterations']} ({s['staggered_iterations'] / len(plan):.1f} per step, "
              f"max {s['max_staggered_iterations']}); Newton u {s['newton_u']}, d {s['newton_d']}; Krylov u "
              f"{s['krylov_u']} ({s['krylov_u'] / max(s['newton_u'], 1):.1f} per Newton), d {s['krylov_d']}; "
              f"preconditioner rebuilds {s['preconditioner_rebuilds']}; fracture solve time {s['time']:.1f} s")
        print("peak memory per rank (MB): " + ", ".join(f"{m:.0f}" for m in mem))
    p.destroy()


if __name__ == "__main__":
    main()

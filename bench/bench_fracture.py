"""Benchmark (a script, not a test): phase-field fracture at size, 2D and 3D.

2D (`--model 2d-plane`, the default): a 1 um Si cross-section (P1, surface elements `--hs` nm
within 0.4 um of the surface, l = 50 nm, AT1, four 100 nm flaws, staggered tolerance 1e-3,
axial "free") from the stress-free lithiated state theta = 0.99 delithiated at 1C to soc 0
(3564 s: the last step shortened to land on 0) and lithiated back at 1C to soc 0.99 (a closed
cycle; `--initial-soc 0`: lithiation to 1 first, then back to 0), time steps of `--dt` s:

    .venv/bin/mpirun -n 2 .venv/bin/python bench/bench_fracture.py --hs 9 --dt 120 [--steps N] [--anderson 0]

3D (`--model 3d`): the octant of a 1 um Si particle (cases/si_fracture.toml: l = 100 nm, AT1,
1C delithiation from theta = 0.8) with surface elements `--hs` nm and interior `--h` nm, the
first step `--first` s long (to reach the damage onset, ~60 s), then `--steps` steps of `--dt` s:

    .venv/bin/mpirun -n 2 .venv/bin/python bench/bench_fracture.py --model 3d --hs 14 --h 60 --first 60 --dt 10 --steps 3

Both go through the problem's `advance` and its history scalars each step (as a run does) and
print the displacement dofs, wall time per step and in total, staggered iterations per step,
Newton and Krylov iterations of the u- and d-problems, Anderson restarts, preconditioner
rebuilds, the peak memory per rank (getrusage maxrss, gathered) and the damage measures.
`--cut 400` turns the 2D substep cuts off (the case's max_iterations); `--anderson 0` runs the plain alternate minimisation (the reference of the acceleration);
`--no-reuse` rebuilds the GAMG hierarchy at every u-solve (the reference of the reuse). In 2D
the staggered iterations of a step are summed over its substeps (`problem.plane_steps`; the
iterations of cut substeps are not counted), and the substeps and cuts are printed.
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

ROOT = Path(__file__).resolve().parents[1]


def _options(a) -> None:
    """--no-reuse / --anderson: the solver's keyword defaults changed for this process."""
    from seifem.problem import fracture as fr

    extra = {}
    if a.no_reuse:
        extra["reuse_preconditioner"] = False
    if a.anderson is not None:
        extra["anderson_depth"] = a.anderson
    if a.cut is not None:
        from seifem.problem import plane_steps

        plane_steps.ITERATIONS_CUT = a.cut
    if extra:
        init = fr.StaggeredPhaseField.__init__
        fr.StaggeredPhaseField.__init__ = lambda self, *x, **k: init(self, *x, **{**k, **extra})


def plane(a, comm):
    from seifem.problem.plane import PlaneProblem
    from seifem.reduced.design import design_from_case

    case = make_case(particle={"material": "Si", "radius": "1 um", "diffusivity": "1e-15 m^2/s",
                               "initial_soc": a.initial_soc},
                     geometry={"model": "2d-plane", "mesh_size": "0.2 um", "surface_mesh_size": f"{a.hs} nm",
                               "refine_depth": "0.4 um"},
                     fracture={"length_scale": "50 nm", "notch_depth": "100 nm", "notches": 4, "tolerance": 1e-3,
                               "max_iterations": 400},
                     solver={"dt": f"{a.dt} s", "degree": 1, "max_cells": 10**7})
    p = PlaneProblem(design_from_case(case), comm, mesh_size=0.2, surface_mesh_size=a.hs / 1000, refine_depth=0.4,
                     order=1, fracture=case.fracture, fracture_energy={"core": case.particle.material.si("fracture_energy")})
    first = -1.0 if a.initial_soc >= 0.5 else 1.0
    half = cycle_half(a.initial_soc if first < 0 else 1.0 - a.initial_soc, a.dt)
    return p, p.fracture, [(h, first) for h in half] + [(h, -first) for h in half]


def cycle_half(span_soc: float, dt: float) -> list[float]:
    """Step lengths (s) of one half of the 1C cycle, through span_soc of the capacity (3600
    span_soc s): steps of dt, the last one shortened so that the soc lands on 0 (or back on
    the initial soc) exactly, as a cut-off at soc 0 would stop a run."""
    n, rest = divmod(3600.0 * span_soc, dt)
    return [dt] * int(n) + ([rest] if rest > 1e-9 * dt else [])


def particle(a, comm):
    from seifem.case import load_case
    from seifem.geometry import build
    from seifem.problem.particle import ParticleProblem

    case = load_case(ROOT / "cases" / "si_fracture.toml",
                     overrides=[f'geometry.surface_mesh_size="{a.hs} nm"', f'geometry.mesh_size="{a.h} nm"',
                                'solver.max_cells=100000000', 'output.render=false', 'output.fields=false'])
    p = ParticleProblem(case, build(case, comm))
    plan = [(a.first, -1.0)] + [(a.dt, -1.0)] * a.steps
    return p, p.fracture.solver, plan


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", choices=("2d-plane", "3d"), default="2d-plane")
    ap.add_argument("--hs", type=float, default=9.0, help="surface element size, nm")
    ap.add_argument("--h", type=float, default=200.0, help="3d: interior element size, nm")
    ap.add_argument("--dt", type=float, default=120.0)
    ap.add_argument("--first", type=float, default=60.0, help="3d: length of the first step, s")
    ap.add_argument("--no-reuse", action="store_true")
    ap.add_argument("--anderson", type=int, default=None, help="Anderson depth (0: plain alternate minimisation)")
    ap.add_argument("--cut", type=int, default=None, help="2d: staggered iterations after which a substep is cut "
                    "(problem.plane_steps.ITERATIONS_CUT; the case's max_iterations 400: no cut)")
    ap.add_argument("--steps", type=int, default=0, help="2d: stop after this many steps (0: the whole cycle)")
    ap.add_argument("--initial-soc", type=float, default=0.99, help="2d: >= 0.5 delithiate first, 0: lithiate first")
    a = ap.parse_args()
    comm = MPI.COMM_WORLD
    _options(a)
    t0 = time.perf_counter()
    p, pf, plan = plane(a, comm) if a.model == "2d-plane" else particle(a, comm)
    setup = time.perf_counter() - t0
    if a.model == "2d-plane" and a.steps:
        plan = plan[: a.steps]
    dofs = pf.u.function_space.dofmap.index_map.size_global * pf.u.function_space.dofmap.index_map_bs
    if comm.rank == 0:
        print(f"{a.model}: ranks {comm.size}; displacement dofs {dofs}; setup {setup:.1f} s", flush=True)
    times, its = [], []
    t_all = time.perf_counter()
    for k, (dt, rate) in enumerate(plan):
        t1, c1 = time.perf_counter(), time.process_time()
        before = (pf.stats["staggered_iterations"], pf.stats.get("substeps", 0), pf.stats.get("step_cuts", 0))
        p.advance(dt, rate)
        row = p.scalars() if a.model == "2d-plane" else {"soc": float("nan"), **p.fracture.scalars()}
        times.append(time.perf_counter() - t1)
        its.append(pf.stats["staggered_iterations"] - before[0])
        if comm.rank == 0:
            extra = f"  surface_cracks {row['surface_cracks']:.0f}" if "surface_cracks" in row else ""
            sub = (f"  substeps {pf.stats['substeps'] - before[1]} cuts {pf.stats['step_cuts'] - before[2]}"
                   if "substeps" in pf.stats else "")
            print(f"step {k + 1:3d}  t {p.t:6.0f} s  C-rate {rate:+.0f}  soc {row['soc']:.3f}  {times[-1]:7.2f} s  "
                  f"(CPU {time.process_time() - c1:6.1f} s)  "
                  f"staggered {its[-1]:3d}{sub}  damage_max {row['damage_max']:.3f}  cracked_vf "
                  f"{row['cracked_volume_fraction']:.4f}  crack_area {row['crack_area_um2']:.3f}{extra}", flush=True)
    total = time.perf_counter() - t_all
    mem = comm.gather(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, root=0)
    s = pf.stats
    if comm.rank == 0:
        print(f"{len(plan)} steps in {total:.1f} s (process CPU {time.process_time():.1f} s on rank 0) ({total / len(plan):.2f} s per step, max {max(times):.1f} s); "
              f"Anderson depth {pf.anderson.depth if pf.anderson else 0}, "
              f"GAMG reuse {not a.no_reuse}")
        print(f"staggered iterations: {s['staggered_iterations']} ({s['staggered_iterations'] / len(plan):.1f} per step, "
              f"max {s['max_staggered_iterations']}), {s['time'] / max(s['staggered_iterations'], 1):.2f} s each; "
              f"Newton u {s['newton_u']}, d {s['newton_d']}; Krylov u {s['krylov_u']} "
              f"({s['krylov_u'] / max(s['newton_u'], 1):.1f} per Newton), d {s['krylov_d']}; Anderson restarts "
              f"{s.get('anderson_restarts', 0)}; preconditioner rebuilds {s['preconditioner_rebuilds']}; "
              + (f"substeps {s['substeps']}, cuts {s['step_cuts']}; " if "substeps" in s else "") +
              f"fracture solve time {s['time']:.1f} s")
        print("peak memory per rank (MB): " + ", ".join(f"{m:.0f}" for m in mem))
    p.destroy()


if __name__ == "__main__":
    main()

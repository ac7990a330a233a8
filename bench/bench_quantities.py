"""Benchmark: cost of the derived quantities (`Quantities.update` + `scalars`: DG stress
fields, the per-region patch recovery of the history extremes, failure indicators) against
the time step, on a shipped case. A script, not a test.

    .venv/bin/python bench/bench_quantities.py [cases/si_coated.toml] [--steps 6] [--repeat 3] [--plastic]
    .venv/bin/mpirun -n 2 .venv/bin/python bench/bench_quantities.py

Runs `steps` steps of the case's first protocol step with `ParticleProblem.advance`, times
`Quantities.update` and `Quantities.scalars` `repeat` times after each, and prints the median
time of each (the first call excluded when there are more: form compilation) and their share
of a loop that calls each once per step. --plastic adds J2 plasticity (finite
strain) to every solid (yield stresses of the material library, else 1 GPa), the flagship
physics, where the plastic regions' stresses come from quadrature points.
"""

from __future__ import annotations

import argparse
import statistics
import time

from mpi4py import MPI

import seifem  # noqa: F401  (MPI before dolfinx)
from seifem.case import load_tree, parse_case
from seifem.geometry import build
from seifem.problem.particle import ParticleProblem
from seifem.problem.quantities import Quantities


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("case", nargs="?", default="cases/si_coated.toml")
    ap.add_argument("--steps", type=int, default=6)
    ap.add_argument("--plastic", action="store_true")
    ap.add_argument("--repeat", type=int, default=3, help="update/scalars calls timed after each step")
    args = ap.parse_args()
    comm = MPI.COMM_WORLD
    tree = load_tree(args.case)
    if args.plastic:
        tree.setdefault("physics", {}).update({"plasticity": True, "mechanics": "finite-strain"})
        tree["particle"].setdefault("yield_stress", "1 GPa")
        if "coating" in tree:
            tree["coating"].setdefault("yield_stress", "1 GPa")
    case = parse_case(tree)
    p = ParticleProblem(case, build(case, comm))
    q = Quantities(p)
    step = case.protocol[0]
    dt = case.solver.dt
    times = {"advance": [], "update": [], "scalars": []}
    for _ in range(args.steps):
        for name, call in (("advance", lambda: p.advance(dt, step.c_rate)), ("update", q.update),
                           ("scalars", q.scalars)):
            for _ in range(1 if name == "advance" else args.repeat):
                comm.Barrier()
                t0 = time.perf_counter()
                call()
                comm.Barrier()
                times[name].append(time.perf_counter() - t0)
    med = {k: statistics.median(v[1:] or v) for k, v in times.items()}
    loop = sum(med.values())
    if comm.rank == 0:
        V = p.u.function_space
        dofs = V.dofmap.index_map.size_global * V.dofmap.index_map_bs
        print(f"{args.case}{' (plastic, finite strain)' if args.plastic else ''}: {dofs} displacement DOFs, "
              f"{comm.size} rank(s), {args.steps} steps, median s/step:")
        for k, v in med.items():
            print(f"  {k:8s} {v:8.3f} s  {100 * v / loop:5.1f} %")
    q.destroy()
    p.destroy()


if __name__ == "__main__":
    main()

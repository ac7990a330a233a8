"""Benchmark (a script, not a test): the energy balance of a cracking particle against the number
of load steps (`problem.fracture_work`; docs/fracture.md, "The energy balance at finite strain").

The octant of the 1 um Si particle (mesh 0.5 um, 0.25 um at the surface), theta0 = 0.5,
l = 0.5 um, G_c = 8.5 J/m^2, staggered tolerance 1e-6, under the fast-delithiation profile
theta = 0.5 - A r^2 / R^2 with A raised from 0 to --a-end in N equal steps. Printed for each N:
elastic energy E, crack energy C, plastic dissipation D, chemical work W (GPa um^3, octant),
(E + C + D + R) / W - 1 (R: released by unstable growth, with --increment) at the end and its largest magnitude over the rows, its ratio to the next
run, damage_max, the load increments taken (with `--increment`, the control's tolerance
`fracture.balance_tolerance`, `problem.fracture_increments`; 0: one solve per step) and
the wall time.

    .venv/bin/python bench/bench_fracture_energy.py                            # finite strain, A to 0.026
    .venv/bin/python bench/bench_fracture_energy.py --a-end 0.03 --steps 30 60 120
    .venv/bin/python bench/bench_fracture_energy.py --plastic --a-end 0.03 --steps 15 30 60
    .venv/bin/python bench/bench_fracture_energy.py --a-end 0.04 --steps 8 --increment 0 0.04 0.02 0.01
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from mpi4py import MPI

import seifem  # noqa: F401  (MPI before dolfinx)
from seifem.case import parse_case
from seifem.geometry import build
from seifem.problem.particle import ParticleProblem


def case(plastic: bool, increment: float = 0.0):
    particle = {"material": "Si", "radius": "1 um", "diffusivity": "1e-14 m^2/s", "initial_soc": 0.5,
                "fracture_energy": "8.5 J/m^2"}
    fracture = {"length_scale": "0.5 um", "tolerance": 1e-6, "balance_tolerance": increment}
    if plastic:  # small strain, J2 with fracture
        particle["yield_stress"], physics = "1 GPa", {"plasticity": True}
    else:
        physics, fracture["residual_stiffness"] = {"mechanics": "finite-strain"}, 1e-3
    return parse_case({"particle": particle, "geometry": {"domain": "octant", "mesh_size": "0.5 um",
                                                          "surface_mesh_size": "0.25 um"},
                       "physics": physics, "fracture": fracture,
                       "protocol": {"steps": [{"mode": "lithiate", "c_rate": "1 C", "duration": "10 s"}]},
                       "solver": {"dt": "1 s"}, "output": {"render": False, "fields": False}})


def run(comm, plastic: bool, a_end: float, steps: int, increment: float) -> dict:
    t0 = time.perf_counter()
    c = case(plastic, increment)
    p = ParticleProblem(c, build(c, comm))
    F, S = p.fracture, p.fracture.solver
    r2 = (p.V.tabulate_dof_coordinates() ** 2).sum(axis=1)
    worst = 0.0
    for A in np.linspace(0.0, a_end, steps + 1)[1:]:
        p.theta.x.array[:] = 0.5 - A * r2
        p.solve_mechanics()
        released = F.increments.released  # energy released by unstable growth (`fracture_increments`)
        row = (S.elastic_energy() + S.crack_energy() + S.plastic_dissipation() + released) / F.work.work - 1
        worst = row if abs(row) > abs(worst) else worst
    out = {"E": S.elastic_energy(), "C": S.crack_energy(), "D": S.plastic_dissipation(), "W": F.work.work,
           "R": F.increments.released,
           "d": comm.allreduce(float(S.d.x.array.max()), op=MPI.MAX), "worst": worst,
           "increments": F.increments.increments, "rejected": F.increments.rejected}
    p.destroy()
    out["time"] = time.perf_counter() - t0
    out["balance"] = (out["E"] + out["C"] + out["D"] + out["R"]) / out["W"] - 1
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plastic", action="store_true", help="small strain with J2 plasticity (yield 1 GPa)")
    ap.add_argument("--a-end", type=float, default=0.026)
    ap.add_argument("--steps", type=int, nargs="+", default=[8, 16, 32, 64])
    ap.add_argument("--increment", type=float, nargs="+", default=[0.0],
                    help="fracture.balance_tolerance values (each with each --steps)")
    args = ap.parse_args()
    comm = MPI.COMM_WORLD
    runs = [(n, tol) for n in args.steps for tol in args.increment]
    rows = [run(comm, args.plastic, args.a_end, n, tol) for n, tol in runs]
    if comm.rank == 0:
        print(f"{'N':>5} {'tol':>6} {'E':>11} {'C':>11} {'D':>11} {'W':>11} {'R':>10} {'balance':>10} {'worst':>10} "
              f"{'ratio':>6} {'d_max':>6} {'incr':>5} {'rej':>4} {'s':>6}")
        for i, ((n, tol), r) in enumerate(zip(runs, rows)):
            ratio = f"{r['worst'] / rows[i + 1]['worst']:6.2f}" if i + 1 < len(rows) else ""
            print(f"{n:5d} {tol:6.3g} {r['E']:11.5e} {r['C']:11.5e} {r['D']:11.5e} {r['W']:11.5e} "
                  f"{r['R']:10.3e} {r['balance']:+10.3e} {r['worst']:+10.3e} {ratio:>6} {r['d']:6.3f} {r['increments']:5d} "
                  f"{r['rejected']:4d} {r['time']:6.1f}")


if __name__ == "__main__":
    main()

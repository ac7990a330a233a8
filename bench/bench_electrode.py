"""Benchmark: a 20-particle coated-Si patch in PVDF on 1 and 2 ranks, the model of
`seifem run` (packing, gmsh on rank 0, mechanics and per-particle lithiation). A script, not a
test.

    .venv/bin/python bench/bench_electrode.py --quick              # P1, ~40k displacement DOFs
    .venv/bin/python bench/bench_electrode.py --mesh 1.0 --surface 0.3
    .venv/bin/python bench/bench_electrode.py --order 2 --mesh 1.2 --surface 0.35   # 815k DOFs
    nice -n 15 .venv/bin/python bench/bench_electrode.py --order 2 --mesh 1.2 --surface 0.28 --ranks 2 --steps 2
    .venv/bin/python bench/bench_electrode.py --quick --law visco-elastic   # the visco-elastic PVDF binder

Each run launches itself under `mpirun -n RANKS --worker`; a worker builds the electrode model
of a case (thickness 16 um, width 16 um, radius 1.8 um +- 20 %, fraction 0.2, seed 1, carbon
coating 100 nm, Butler-Volmer kinetics), takes three 1 C lithiation steps of 36 s, and reports
mesh time (packing + gmsh + distribution), setup time, time per step (lithiation of every
particle + mechanics + outputs), CG iterations and peak resident memory per rank (getrusage,
MB), both just after the mesh is distributed (rank 0's includes gmsh's whole mesh) and at the
end. `--ranks N` runs only N ranks (default 1 and 2), `--steps K` takes K steps (default 3), `--law
visco-elastic` gives PVDF its visco-elastic law (the first step re-assembles the operator). The parent prints a table and the projection of a 200-particle patch on 64 ranks at the
same resolution (DOFs x 10, time per step ~ DOFs per rank x the measured 2-rank efficiency).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path


def worker(mesh_size: float, surface: float, order: int, nsteps: int, law: str) -> None:
    from mpi4py import MPI

    from seifem.case.electrode import parse_electrode
    from seifem.simulation.electrode_patch import ElectrodeModel

    comm = MPI.COMM_WORLD
    rss: list[float] = []
    case = parse_electrode({"electrode": {
        "thickness": "16 um", "width": "16 um", "active_fraction": 0.2, "radius": "1.8 um", "radius_sd": 0.2,
        "seed": 1, "coating_thickness": "100 nm", "coating_material": "carbon", "binder": "PVDF", "binder_law": law,
        "mesh_size": f"{mesh_size} um", "surface_mesh_size": f"{surface} um", "order": order},
        "protocol": {"steps": [{"mode": "lithiate", "c_rate": "1 C", "duration": "108 s", "dt": "36 s"}]}})
    t0 = time.perf_counter()
    model = ElectrodeModel(case, comm, on_meshed=lambda: rss.append(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))
    t_build = time.perf_counter() - t0
    model.solve_mechanics()
    steps, its = [], []
    current = model.bank.capacity_C / 3600.0
    for _ in range(nsteps):
        t0 = time.perf_counter()
        model.advance(36.0, current, None, 1)
        row = model.scalars()
        steps.append(time.perf_counter() - t0)
        its.append(model.cg_iterations[-1])
    mem = comm.gather(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, root=0)
    mem_mesh = comm.gather(rss[0], root=0)
    design = model.design()
    if comm.rank == 0:
        print(json.dumps({"ranks": comm.size, "particles": design["particles"],
                          "fraction": design["active_fraction_achieved"], "dofs": model.dofs["displacement"],
                          "cells": design["cells"], "mesh_s": model.t_mesh, "setup_s": t_build - model.t_mesh,
                          "step_s": steps, "its": its, "max_rss_MB": mem, "mesh_rss_MB": mem_mesh,
                          "thickness_change": row["thickness_change"]}))
    model.destroy()


def main() -> None:
    def opt(name: str, default: float) -> float:
        return float(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default

    quick = "--quick" in sys.argv
    mesh, surface, order = opt("--mesh", 1.6 if quick else 1.2), opt("--surface", 0.5 if quick else 0.35), \
        int(opt("--order", 1 if quick else 2))
    nsteps = int(opt("--steps", 3))
    law = sys.argv[sys.argv.index("--law") + 1] if "--law" in sys.argv else "elastic"
    rows = []
    for ranks in ((int(opt("--ranks", 0)),) if "--ranks" in sys.argv else (1, 2)):
        cmd = [str(Path(sys.executable).parent / "mpirun"), "-n", str(ranks), sys.executable, __file__, "--worker",
               str(mesh), str(surface), str(order), str(nsteps), law]
        res = subprocess.run(cmd, capture_output=True, text=True, check=True)
        rows.append(json.loads(res.stdout.strip().splitlines()[-1]))
        print(json.dumps(rows[-1]), flush=True)
    print("ranks  particles  DOFs      mesh s  setup s  step s  CG its  RSS/rank after mesh MB  peak RSS/rank MB  "
          "thickness change")
    for r in rows:
        print(f"{r['ranks']:5d}  {r['particles']:9d}  {r['dofs']:8d}  {r['mesh_s']:6.1f}  {r['setup_s']:7.1f}  "
              f"{r['step_s'][-1]:6.2f}  {r['its'][-1]:6d}  {'/'.join(f'{m:.0f}' for m in r['mesh_rss_MB']):>22}  "
              f"{'/'.join(f'{m:.0f}' for m in r['max_rss_MB']):>16}  {r['thickness_change']:.6g}")
    if len(rows) < 2:
        return
    one, two = rows
    eff = one["step_s"][-1] / (2 * two["step_s"][-1])
    per_dof = one["step_s"][-1] / one["dofs"]
    t64 = per_dof * 10 * one["dofs"] / 64 / max(eff, 1e-3)
    print(f"2-rank efficiency {eff:.2f}; projected step time of a 200-particle patch ({10 * one['dofs']:.3g} DOFs) "
          f"on 64 ranks at this efficiency: {t64:.2f} s (mesh on rank 0 ~ 10 x {one['mesh_s']:.0f} s)")


if __name__ == "__main__":
    if "--worker" in sys.argv:
        i = sys.argv.index("--worker")
        worker(float(sys.argv[i + 1]), float(sys.argv[i + 2]), int(sys.argv[i + 3]), int(sys.argv[i + 4]),
               sys.argv[i + 5])
    else:
        main()

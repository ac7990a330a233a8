"""Benchmark: a 20-particle Si patch in PVDF on 1 and 2 ranks. A script, not a test.

    .venv/bin/python bench/bench_electrode.py --quick   # ~0.1M displacement DOFs
    .venv/bin/python bench/bench_electrode.py           # >= 1M displacement DOFs (P2)

Each run launches itself under `mpirun -n RANKS --worker`; a worker packs 20 particles
(thickness 16 um, width 16 um, radius 1.8 um +- 20 %, fraction 0.2, seed 1), meshes on rank 0,
sets up the patch problem (assembly, GAMG setup) and solves two lithiation steps, and reports
mesh time, setup time, time per step (solve + outputs), CG iterations and peak resident memory
per rank (getrusage, MB). The parent prints a table and the projection of a 200-particle patch
on 64 ranks at the same resolution (DOFs x 10, time per step ~ DOFs per rank x the measured
2-rank efficiency).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path


def worker(mesh_size: float, surface: float, order: int) -> None:
    from mpi4py import MPI

    from seifem.geometry.electrode import build_electrode
    from seifem.geometry.packing import pack_spheres
    from seifem.problem.electrode_patch import ElectrodePatch

    comm = MPI.COMM_WORLD
    t0 = time.perf_counter()
    packing = pack_spheres(16.0, 16.0, 0.2, 1.8, 0.2, seed=1) if comm.rank == 0 else None
    packing = comm.bcast(packing, root=0)
    geo = build_electrode(packing, comm, mesh_size, surface, order=order)
    t_mesh = time.perf_counter() - t0
    t0 = time.perf_counter()
    pr = ElectrodePatch(geo, (80.0, 0.22), (1.0, 0.34), order=order)
    t_setup = time.perf_counter() - t0
    steps, its = [], []
    for e in (0.01, 0.02):
        t0 = time.perf_counter()
        pr.set_eigenstrain(e)
        its.append(pr.solve())
        out = pr.outputs()
        steps.append(time.perf_counter() - t0)
    mem = comm.gather(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, root=0)
    cells = comm.allreduce(geo.mesh.topology.index_map(3).size_local)
    if comm.rank == 0:
        print(json.dumps({"ranks": comm.size, "particles": packing.count, "fraction": packing.achieved,
                          "dofs": pr.V.dofmap.index_map.size_global * 3,
                          "cells": cells,
                          "mesh_s": t_mesh, "setup_s": t_setup, "step_s": steps, "its": its,
                          "max_rss_MB": mem, "thickness_change": out["thickness_change"]}))
    pr.destroy()


def main() -> None:
    quick = "--quick" in sys.argv
    mesh, surface, order = (1.6, 0.5, 1) if quick else (1.2, 0.35, 2)
    rows = []
    for ranks in (1, 2):
        cmd = [str(Path(sys.executable).parent / "mpirun"), "-n", str(ranks), sys.executable, __file__, "--worker",
               str(mesh), str(surface), str(order)]
        res = subprocess.run(cmd, capture_output=True, text=True, check=True)
        rows.append(json.loads(res.stdout.strip().splitlines()[-1]))
    print("ranks  particles  DOFs      mesh s  setup s  step s  CG its  max RSS/rank MB  thickness change")
    for r in rows:
        print(f"{r['ranks']:5d}  {r['particles']:9d}  {r['dofs']:8d}  {r['mesh_s']:6.1f}  {r['setup_s']:7.1f}  "
              f"{r['step_s'][-1]:6.2f}  {r['its'][-1]:6d}  {max(r['max_rss_MB']):15.0f}  {r['thickness_change']:.6g}")
    one, two = rows
    eff = one["step_s"][-1] / (2 * two["step_s"][-1])
    per_dof = one["step_s"][-1] / one["dofs"]
    t64 = per_dof * 10 * one["dofs"] / 64 / max(eff, 1e-3)
    print(f"2-rank efficiency {eff:.2f}; projected step time of a 200-particle patch ({10 * one['dofs']:.3g} DOFs) "
          f"on 64 ranks at this efficiency: {t64:.2f} s (mesh on rank 0 ~ 10 x {one['mesh_s']:.0f} s)")


if __name__ == "__main__":
    if "--worker" in sys.argv:
        i = sys.argv.index("--worker")
        worker(float(sys.argv[i + 1]), float(sys.argv[i + 2]), int(sys.argv[i + 3]))
    else:
        main()

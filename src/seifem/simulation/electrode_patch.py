"""Run an electrode-patch case: pack, mesh, and lithiate every particle uniformly in steps.

    python -m seifem.simulation.electrode_patch cases/electrode/electrode_patch.toml runs/patch [--set key=value ...]
    mpirun -n 2 python -m seifem.simulation.electrode_patch ...

Each particle's eigenstrain is soc x Omega c_max / 3 (uniform inside the particle, the same
soc in every particle: no diffusion, no kinetics, no electrolyte transport); the problem is
linear, so the history is linear in soc. Writes into the run directory (rank 0):

    case.toml      the resolved case (units, materials and sources)
    history.csv    soc, eigenstrain, thickness_change (-), thickness_change_um, mean particle
                   hydrostatic stress (MPa, volume-weighted), min / max particle means (MPa),
                   max particle principal stress (MPa), binder max principal and von Mises (MPa)
    particles.csv  at the last step: per particle centre (um), radius (um), mean hydrostatic,
                   max principal and max von Mises stress (MPa)
    summary.json   packing (target and achieved fraction, count), mesh size, solver iterations
"""

from __future__ import annotations

import csv
import json
import logging
import sys
import time
from pathlib import Path

import numpy as np
from mpi4py import MPI

from seifem.case.electrode import ElectrodeCase, electrode_toml, load_electrode_case
from seifem.errors import RunDirError
from seifem.results.rundir import CASE, HISTORY, SUMMARY
from seifem.units import SCALES

__all__ = ["run_electrode_patch"]

log = logging.getLogger(__name__)


def _packing(case: ElectrodeCase, comm: MPI.Comm):
    """The seeded packing, computed on rank 0 and broadcast (an error reaches every rank)."""
    from seifem.geometry.packing import pack_spheres

    L = SCALES.length
    result = None
    if comm.rank == 0:
        try:
            result = pack_spheres(case.thickness / L, case.width / L, case.active_fraction, case.radius / L,
                                  case.radius_sd, case.seed, (case.gap / L) or None)
        except Exception as exc:  # noqa: BLE001 - re-raised on every rank below
            result = exc
    result = comm.bcast(result, root=0)
    if isinstance(result, Exception):
        raise result
    return result


def run_electrode_patch(case: ElectrodeCase, out: Path, comm: MPI.Comm = MPI.COMM_WORLD) -> dict:
    """Run the case into the directory `out` (created; must not hold a previous run). Returns
    the summary. Collective."""
    import tomli_w

    from seifem.geometry.electrode import build_electrode
    from seifem.problem.electrode_patch import ElectrodePatch

    out = Path(out)
    if comm.bcast((out / HISTORY).exists() if comm.rank == 0 else None, root=0):  # every rank alike
        raise RunDirError(f"out = {str(out)!r}: holds a previous run ({HISTORY}); seifem never overwrites a run")
    L, S = SCALES.length, SCALES.stress
    t0 = time.perf_counter()
    packing = _packing(case, comm)
    geo = build_electrode(packing, comm, case.mesh_size / L, case.surface_mesh_size / L, order=case.order)
    t_mesh = time.perf_counter() - t0
    p, b = case.particle, case.binder
    problem = ElectrodePatch(geo, (p.si("youngs_modulus") / S, p.si("poisson_ratio")),
                             (b.si("youngs_modulus") / S, b.si("poisson_ratio")), top=case.top,
                             stack_pressure=case.stack_pressure / S, order=case.order)
    rows, its = [], []
    MPa = S / 1e6
    try:
        for soc in np.linspace(0.0, case.final_soc, case.soc_steps + 1):
            e = soc * case.swelling_per_soc
            problem.set_eigenstrain(e)
            its.append(problem.solve())
            o = problem.outputs()
            parts = o["particles"]
            vols = np.array([q["volume_um3"] for q in parts])
            hyd = np.array([q["mean_hydrostatic_GPa"] for q in parts])
            rows.append({"soc": soc, "eigenstrain": e, "thickness_change": o["thickness_change"],
                         "thickness_change_um": o["thickness_change"] * packing.thickness,
                         "particle_hydrostatic_MPa": float(np.sum(vols * hyd) / np.sum(vols)) * MPa,
                         "particle_hydrostatic_min_MPa": float(hyd.min()) * MPa,
                         "particle_hydrostatic_max_MPa": float(hyd.max()) * MPa,
                         "particle_max_principal_MPa": max(q["max_principal_GPa"] for q in parts) * MPa,
                         "binder_max_principal_MPa": o["binder_max_principal_GPa"] * MPa,
                         "binder_max_von_mises_MPa": o["binder_max_von_mises_GPa"] * MPa})
    finally:
        problem.destroy()
    ncells = comm.allreduce(geo.mesh.topology.index_map(3).size_local, op=MPI.SUM)
    summary = {"particles": packing.count, "active_fraction_target": packing.target,
               "active_fraction_achieved": packing.achieved, "cells": ncells,
               "displacement_dofs": problem.V.dofmap.index_map.size_global * 3, "ranks": comm.size,
               "mesh_time_s": t_mesh, "total_time_s": time.perf_counter() - t0, "cg_iterations": its,
               "final_thickness_change": rows[-1]["thickness_change"]}
    if comm.rank == 0:
        out.mkdir(parents=True, exist_ok=True)
        (out / CASE).write_text(tomli_w.dumps(electrode_toml(case)))
        with open(out / HISTORY, "w", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)
        with open(out / "particles.csv", "w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["particle", "x_um", "y_um", "z_um", "radius_um", "mean_hydrostatic_MPa",
                        "max_principal_MPa", "max_von_mises_MPa"])
            for i, q in enumerate(parts):
                w.writerow([q["name"], *packing.centres[i], packing.radii[i], q["mean_hydrostatic_GPa"] * MPa,
                            q["max_principal_GPa"] * MPa, q["max_von_mises_GPa"] * MPa])
        (out / SUMMARY).write_text(json.dumps(summary, indent=2))
    comm.barrier()
    return summary


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(prog="python -m seifem.simulation.electrode_patch", description=__doc__.split("\n")[0])
    ap.add_argument("case")
    ap.add_argument("out")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    args, _ = ap.parse_known_args(argv)  # PETSc options pass through
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    from seifem.errors import CaseError, RunError

    try:
        case = load_electrode_case(args.case, args.set)
        s = run_electrode_patch(case, Path(args.out))
    except (CaseError, RunDirError) as exc:  # raised on every rank alike, before anything is meshed
        if MPI.COMM_WORLD.rank == 0:
            print(f"error: {exc}", file=sys.stderr)
        return 2
    except RunError as exc:
        if MPI.COMM_WORLD.rank == 0:
            print(f"error: {exc}", file=sys.stderr)
        return 3
    if MPI.COMM_WORLD.rank == 0:
        print(json.dumps(s, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

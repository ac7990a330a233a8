"""Benchmark: the issue's two 3D run-time targets, as runs of the shipped coated Si particle
(cases/si_coated.toml, octant, 10 nm carbon, SEI) and of the bare one (cases/si_bare.toml with
the same SEI membrane). A script, not a test; prints a table.

    finite-cycle  finite strain + J2 plasticity, full C/2 lithiation (to soc 1) and
                  delithiation (to the 1.0 V cut-off), >= 200k displacement dofs, 2 ranks
                  (target <= 30 min)
    small-500k    small strain, >= 500k displacement dofs, 100 steps of 30 s at 1C, 2 ranks
                  (target <= 10 min), the coated particle
    small-500k-bare  the same on the bare particle: its elasticity operator is the well-
                  conditioned one (no one-element-thick 10 nm coating; CG + GAMG ~20
                  iterations a solve instead of ~80)

    .venv/bin/mpirun -n 2 .venv/bin/python bench/bench_targets.py finite-cycle
    .venv/bin/mpirun -n 2 .venv/bin/python bench/bench_targets.py small-500k
    .venv/bin/mpirun -n 2 .venv/bin/python bench/bench_targets.py --quick finite-cycle small-500k
    .venv/bin/mpirun -n 2 .venv/bin/python bench/bench_targets.py finite-cycle \
        --set solver.adaptive=true --set solver.time_rtol=1e-2 --set solver.dt="600 s"

--quick runs the same protocols on coarse meshes with fewer, longer steps (a few minutes on a
loaded machine); --mesh-size overrides the core element size (um). The full sizes' mesh sizes
come from measured dof counts (coated: 0.125 um gave 388k displacement dofs) and the case's
cell estimate (`case.bounds.estimate_cells`): check the printed dofs.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import tomllib
from pathlib import Path

from mpi4py import MPI

import seifem

ROOT = Path(__file__).resolve().parents[1]
COATED, BARE = ROOT / "cases" / "si_coated.toml", ROOT / "cases" / "si_bare.toml"
SMALL = {"physics.mechanics": "small-strain", "physics.plasticity": False, "solver.dt": "30 s",
         "protocol.steps": [{"mode": "lithiate", "c_rate": "1 C", "duration": "3000 s"}]}
SMALL_QUICK = {"protocol.steps": [{"mode": "lithiate", "c_rate": "1 C", "duration": "300 s"}]}

TARGETS = {
    # name: (case, overrides, full mesh size um, quick mesh size um, quick overrides)
    "finite-cycle": (COATED, {"protocol.steps.0.c_rate": "C/2", "protocol.steps.1.c_rate": "C/2", "solver.dt": "120 s"},
                     0.16, 0.8, {"solver.dt": "600 s"}),
    "small-500k": (COATED, SMALL, 0.11, 0.5, SMALL_QUICK),
    "small-500k-bare": (BARE, {**SMALL, "sei.material": "sei-carbonate", "sei.thickness": "20 nm"}, 0.095, 0.5,
                        SMALL_QUICK),
}


def parse_set(assignments: list[str]) -> dict:
    """`KEY=VALUE` pairs, VALUE read as TOML (`solver.adaptive=true`, `solver.dt='"600 s"'`) or
    else as a string (`solver.dt=600 s`)."""
    out = {}
    for item in assignments:
        key, _, value = item.partition("=")
        try:
            out[key.strip()] = tomllib.loads(f"v = {value}")["v"]
        except tomllib.TOMLDecodeError:
            out[key.strip()] = value.strip()
    return out


def run(name: str, quick: bool, mesh_size: float | None, extra: dict, comm) -> dict:
    """Run one target into a temporary directory; returns its summary (summary.json)."""
    case, overrides, h_full, h_quick, quick_over = TARGETS[name]
    h = mesh_size or (h_quick if quick else h_full)
    over = {**overrides, **(quick_over if quick else {}), "geometry.mesh_size": f"{h} um", "output.fields": False,
            **extra}
    study = seifem.load(case, over)
    tmp = comm.bcast(tempfile.mkdtemp(prefix=f"bench-{name}-") if comm.rank == 0 else None)
    t0 = time.perf_counter()
    result = study.run(Path(tmp) / "run", comm=comm)
    return {**result.summary, "wall_s": time.perf_counter() - t0, "mesh_size_um": h}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("targets", nargs="+", choices=list(TARGETS))
    ap.add_argument("--quick", action="store_true", help="coarse meshes, fewer steps")
    ap.add_argument("--mesh-size", type=float, help="core element size (um) for every target")
    ap.add_argument("--set", dest="extra", action="append", default=[], metavar="KEY=VALUE",
                    help="override a case key of every target, e.g. --set solver.adaptive=true (repeatable)")
    args = ap.parse_args()
    comm = MPI.COMM_WORLD
    rows = [(name, run(name, args.quick, args.mesh_size, parse_set(args.extra), comm)) for name in args.targets]
    if comm.rank == 0:
        print(f"{comm.size} rank(s){' (quick)' if args.quick else ''}")
        print(f"{'target':15s} {'h um':>5s} {'u dofs':>8s} {'steps':>5s} {'wall s':>8s} {'s/step':>7s} "
              f"{'Newton/step':>11s} {'Krylov/step':>11s} {'PC setups':>9s} {'rejected':>8s}")
        for name, s in rows:
            mech = s.get("mechanics") or s.get("elasticity", {})
            steps = max(s["steps"], 1)
            print(f"{name:15s} {s['mesh_size_um']:5.3f} {s['dofs']['displacement']:8d} {s['steps']:5d} "
                  f"{s['wall_s']:8.1f} {s['time_per_step_s']:7.3f} {mech.get('newton_iterations', 0) / steps:11.2f} "
                  f"{mech.get('iterations', 0) / steps:11.1f} {mech.get('setups', 0):9d} {s.get('steps_rejected', 0):8d}")
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()

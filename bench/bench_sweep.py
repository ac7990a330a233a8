"""Benchmark: a 5-design 3D sweep (the shipped carbon-thickness case on a coarse but real
mesh) under mpirun -n 2, once as two concurrent groups of one rank and once one design at a
time on both ranks. Prints the sweep's wall time and each design's time; not a test.

    .venv/bin/python bench/bench_sweep.py [--ranks 2] [--mesh-size "0.625 um"] [--render]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "cases" / "si_carbon_thickness_sweep.toml"
VARY = "coating.thickness=0,5,10,20,40nm"


def sweep(out: Path, ranks: int, per_design: int, mesh_size: str, render: bool) -> float:
    """Run the sweep; return its wall time (s, process start to end)."""
    cmd = [sys.executable, "-m", "seifem.cli.main", "--log-level", "WARNING", "sweep", str(CASE), "--vary", VARY,
           "--out", str(out), "--ranks-per-design", str(per_design), "--set", f'geometry.mesh_size="{mesh_size}"',
           *([] if render else ["--no-render"])]
    if ranks > 1:
        cmd = [str(Path(sys.executable).parent / "mpirun"), "-n", str(ranks), *cmd]
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main(argv: list[str]) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--ranks", type=int, default=2)
    p.add_argument("--mesh-size", default="0.625 um", help="geometry.mesh_size (radius 2.5 um; default radius/4)")
    p.add_argument("--render", action="store_true", help="include pictures and reports in the timing")
    args = p.parse_args(argv)
    layouts = sorted({1, args.ranks})
    print(f"5-design sweep {VARY} of {CASE.name}, mesh_size {args.mesh_size}, mpirun -n {args.ranks}, "
          f"render {'on' if args.render else 'off'}")
    for k in layouts:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "sweep"
            wall = sweep(out, args.ranks, k, args.mesh_size, args.render)
            record = json.loads((out / "sweep.json").read_text())
            groups = max(1, args.ranks // k)
            print(f"\n--ranks-per-design {k} ({groups} concurrent group(s)): sweep wall time {wall:.1f} s")
            print(f"  {'design':24s} {'ranks':>5s} {'u dofs':>7s} {'steps':>5s} {'s/step':>7s} {'run s':>6s} "
                  f"{'design s':>8s}")
            total = 0.0
            for d in record["designs"]:
                s = json.loads((out / d["dir"] / "summary.json").read_text())
                total += d["wall_time_s"]
                print(f"  {d['name']:24s} {d['ranks']:5d} {s['dofs']['displacement']:7d} {s['steps']:5d} "
                      f"{s['time_per_step_s']:7.3f} {s['wall_time_s']:6.1f} {d['wall_time_s']:8.1f}")
            print(f"  sum of design times {total:.1f} s; sweep overhead (start-up, compare, report) "
                  f"{wall - total / groups:.1f} s; concurrency gain {total / wall:.2f}x over one after another")


if __name__ == "__main__":
    main(sys.argv[1:])

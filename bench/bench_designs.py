"""Benchmark of the particle builders: for the shipped case of each design, mesh time, DOFs
and time per step of the 3D model, and for the sphere the 1D and 2D twins against 3D. Prints
a table; not a test.

    .venv/bin/python bench/bench_designs.py [--steps 6] [--ranks 1] [case ...]

Each case runs its own geometry and physics with a fixed protocol (lithiation at 1C,
`--steps` steps of 15 s) in a fresh directory (no mesh cache), without fields or pictures.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

import tomli_w

ROOT = Path(__file__).resolve().parents[1]
CASES = ["si_bare", "si_hollow", "si_coated", "si_multilayer", "si_ellipsoid", "si_porous", "si_yolk_shell", "si_file"]


def _case_file(name: str, steps: int, work: Path, model: str = "3d") -> Path:
    """The shipped case with the benchmark protocol (and an absolute geometry.file)."""
    src = ROOT / "cases" / f"{name}.toml"
    tree = tomllib.loads(src.read_text())
    tree["protocol"] = {"steps": [{"mode": "lithiate", "c_rate": "1 C", "duration": f"{15 * steps} s", "dt": "15 s"}]}
    tree.setdefault("output", {}).update(render=False, fields=False, checkpoint_every=0)
    geo = tree.setdefault("geometry", {})
    if "file" in geo:
        geo["file"] = str((src.parent / geo["file"]).resolve())
    if model != "3d":
        geo["model"] = model
    path = work / f"{name}-{model}.toml"
    path.write_text(tomli_w.dumps(tree))
    return path


def run(case: Path, ranks: int, work: Path) -> dict:
    out = work / (case.stem + "-run")
    cmd = [sys.executable, "-m", "seifem.cli.main", "--log-level", "WARNING", "run", str(case), "--out", str(out)]
    if ranks > 1:
        cmd = [str(Path(sys.executable).parent / "mpirun"), "-n", str(ranks), *cmd]
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=work)
    summary = json.loads((out / "summary.json").read_text())
    summary["process_s"] = time.perf_counter() - t0
    return summary


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", default=CASES)
    parser.add_argument("--steps", type=int, default=6)
    parser.add_argument("--ranks", type=int, default=1)
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for name in args.cases:
            s = run(_case_file(name, args.steps, work), args.ranks, work)
            rows.append((name, "3d", s))
        if "si_bare" in args.cases:
            for model in ("2d", "1d"):
                rows.append(("si_bare", model, run(_case_file("si_bare", args.steps, work, model), args.ranks, work)))
    print(f"\n{args.steps} steps of 15 s at 1C, {args.ranks} rank(s)")
    print(f"{'case':14s} {'model':>5s} {'u dofs':>8s} {'c dofs':>7s} {'mesh s':>7s} {'s/step':>8s} "
          f"{'Newton/step':>11s} {'wall s':>7s}")
    for name, model, s in rows:
        newton = s.get("mechanics", {}).get("newton_iterations")
        newton = f"{newton / max(s['steps'], 1):11.1f}" if newton is not None else f"{'-':>11s}"
        print(f"{name:14s} {model:>5s} {s['dofs']['displacement']:8d} {s['dofs']['concentration']:7d} "
              f"{s['mesh_time_s']:7.2f} {s['time_per_step_s']:8.4f} {newton} {s['wall_time_s']:7.1f}")
    sphere = {m: s for n, m, s in rows if n == "si_bare"}
    if {"1d", "3d"} <= set(sphere):
        for model in ("2d", "1d"):
            print(f"si_bare: 3d / {model} time per step = "
                  f"{sphere['3d']['time_per_step_s'] / sphere[model]['time_per_step_s']:.0f}x")


if __name__ == "__main__":
    main(sys.argv[1:])

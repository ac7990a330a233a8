"""Benchmark: DOFs, mesh time, time per step and solver iterations of shipped cases at 1 and
2 ranks. Prints a table; not a test.

    .venv/bin/python bench/bench_run.py [case ...]
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASES = [ROOT / "cases" / "si_bare.toml", ROOT / "cases" / "si_coated.toml"]


def run(case: Path, ranks: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "run"
        cmd = [sys.executable, "-m", "seifem.cli.main", "--log-level", "WARNING", "run", str(case), "--out", str(out),
               "--no-render", "--set", "output.fields=false"]
        if ranks > 1:
            cmd = [str(Path(sys.executable).parent / "mpirun"), "-n", str(ranks), *cmd]
        subprocess.run(cmd, check=True)
        return json.loads((out / "summary.json").read_text())


def main(argv: list[str]) -> None:
    cases = [Path(a) for a in argv] or CASES
    print(f"{'case':14s} {'ranks':>5s} {'u dofs':>8s} {'c dofs':>7s} {'steps':>5s} {'mesh s':>7s} "
          f"{'s/step':>7s} {'el its/solve':>12s} {'el setup s':>10s} {'diff its/solve':>14s} {'wall s':>7s}")
    for case in cases:
        for ranks in (1, 2):
            s = run(case, ranks)
            el, di = s["elasticity"], s["diffusion"]
            print(f"{case.stem:14s} {ranks:5d} {s['dofs']['displacement']:8d} {s['dofs']['concentration']:7d} "
                  f"{s['steps']:5d} {s['mesh_time_s']:7.2f} {s['time_per_step_s']:7.3f} "
                  f"{el['iterations'] / max(el['solves'], 1):12.1f} {el['setup_time']:10.2f} "
                  f"{di['iterations'] / max(di['solves'], 1):14.1f} {s['wall_time_s']:7.1f}")


if __name__ == "__main__":
    main(sys.argv[1:])

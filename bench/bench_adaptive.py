"""Benchmark: the time steps of a full C/2 cycle (lithiation to soc 0.95, 30 min rest,
delithiation to soc 0.05) of a bare Si particle (radius 2.5 um, D = 1e-15 m^2/s), fixed
against adaptive steps, and how far the adaptive history lies from a fine fixed-step one at
the output times (every 10 min; both land on them). Prints a table; not a test.

    .venv/bin/python bench/bench_adaptive.py [1d] [2d] [3d]

3d runs only the adaptive case (coarse octant) and states the fixed step count of dt = 60 s.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from mpi4py import MPI

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from helpers import make_case, read_csv

COLUMNS = ("core_st_max_MPa", "core_st_min_MPa", "core_sr_min_MPa", "core_vm_max_MPa")
MESH = {"1d": {}, "2d": {"mesh_size": "0.5 um", "surface_mesh_size": "0.2 um"},
        "3d": {"mesh_size": "0.8 um", "surface_mesh_size": "0.4 um"}}


def run(model: str, **solver) -> tuple[dict, dict, float]:
    from seifem.simulation.run import run_case

    case = make_case(particle={"radius": "2.5 um", "diffusivity": "1e-15 m^2/s"}, geometry={"model": model, **MESH[model]},
                     protocol={"steps": [{"mode": "lithiate", "c_rate": "C/2", "until_soc": 0.95},
                                         {"mode": "rest", "duration": "30 min"},
                                         {"mode": "delithiate", "c_rate": "C/2", "until_soc": 0.05}]},
                     solver=solver, output={"field_times": [f"{m} min" for m in range(10, 400, 10)]})
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "run"
        out.mkdir()
        t0 = time.perf_counter()
        res = run_case(case, out, MPI.COMM_SELF)
        return read_csv(out / "history.csv"), res.stats, time.perf_counter() - t0


def difference(a: dict, ref: dict) -> float:
    """Largest stress difference at the common times over the largest stress of the reference."""
    ta, tr = np.round(a["time_s"], 6), np.round(ref["time_s"], 6)
    common = np.intersect1d(ta, tr)
    ia, ir = np.searchsorted(ta, common), np.searchsorted(tr, common)
    scale = max(np.max(np.abs(ref[c])) for c in COLUMNS)
    return max(float(np.max(np.abs(a[c][ia] - ref[c][ir]))) for c in COLUMNS) / scale


def main(models: list[str]) -> None:
    print(f"{'model':5} {'run':26} {'steps':>7} {'rejected':>8} {'wall s':>8} {'vs fine':>9}")
    for model in models:
        ref = None
        if model != "3d":
            fine_dt = "2 s" if model == "1d" else "10 s"
            ref, st, wall = run(model, dt=fine_dt)
            print(f"{model:5} {'fixed dt = ' + fine_dt:26} {st['steps']:7d} {'':>8} {wall:8.1f} {'(ref)':>9}")
            h, st, wall = run(model, dt="60 s")
            print(f"{model:5} {'fixed dt = 60 s':26} {st['steps']:7d} {'':>8} {wall:8.1f} {difference(h, ref):9.2e}")
        else:
            print(f"{model:5} {'fixed dt = 60 s (count)':26} {252:7d}")
        for rtol in (1e-2, 1e-3):
            h, st, wall = run(model, dt="1800 s", adaptive=True, time_rtol=rtol)
            diff = f"{difference(h, ref):9.2e}" if ref is not None else f"{'':>9}"
            print(f"{model:5} {f'adaptive time_rtol = {rtol:g}':26} {st['steps']:7d} {st['steps_rejected']:8d} "
                  f"{wall:8.1f} {diff}")


if __name__ == "__main__":
    main(sys.argv[1:] or ["1d", "2d"])

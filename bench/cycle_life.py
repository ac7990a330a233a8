"""Cycle-life benchmark on the 1D twin (docs/cycle-life.md): 300 cycles of the shipped case
cases/si_cycle_life_300.toml resolved every cycle and with cycle jumping; prints the wall
and CPU times (the CPU time is the figure on a loaded machine), the retention after 100 and 300 cycles, the jump's error against the every-cycle run
and the largest lithium conservation error; writes cycles.csv and retention.png of both runs.

    PYTHONPATH=src .venv/bin/python bench/cycle_life.py [out_dir]
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from pathlib import Path

from seifem.case import load_case
from seifem.post.plots import plot_retention
from seifem.results.rundir import read_table
from seifem.simulation.cycle_life import CycleLife, run_cycle_life, write_cycles

CASE = Path(__file__).resolve().parents[1] / "cases" / "si_cycle_life_300.toml"


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    case = load_case(CASE)
    spec = CycleLife.of(case)
    runs = {}
    for name, jump in (("every", 0), ("jump10", 10)):
        t0, c0 = time.perf_counter(), time.process_time()
        res = run_cycle_life(case, replace(spec, jump=jump))
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        runs[name] = res
        path = write_cycles(res, out / f"cycles_{name}.csv")
        plot_retention(read_table(path), {"title": f"{case.title} ({name})"}, out / f"retention_{name}.png")
        err = max(abs(r["conservation_error"]) for r in res.rows)
        print(f"{name:7s}: {spec.cycles} cycles, {res.resolved} resolved, {res.steps} time steps, {wall:.1f} s wall, {cpu:.1f} s CPU; "
              f"retention 100: {res.rows[99]['capacity_retention']:.5f}, 300: {res.rows[-1]['capacity_retention']:.5f}; "
              f"CE last {res.rows[-1]['coulombic_efficiency']:.6f}; conservation error max {err:.2e}")
    for n in (100, spec.cycles):
        a, b = (runs[k].rows[n - 1]["capacity_retention"] for k in ("every", "jump10"))
        print(f"retention after {n} cycles: jump error {abs(b - a) / a:.2e} (relative)")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("bench_cycle_life"))

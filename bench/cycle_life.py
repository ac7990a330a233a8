"""Cycle-life benchmark (docs/cycle-life.md) of the shipped case cases/si_cycle_life_300.toml:
on the 1D twin, 300 cycles resolved every cycle and with cycle jumping; on the 2D axisymmetric
twin (`--model 2d`), `--cycles` (default 100) cycles resolved every cycle and its difference from
the 1D twin's run of the same cycles. Prints the wall and CPU times (the CPU time is the figure on
a loaded machine), the retention after 100 cycles and the last, the jump's error against the
every-cycle run and the largest lithium conservation error; writes cycles.csv and retention.png of
each run.

    PYTHONPATH=src .venv/bin/python bench/cycle_life.py [--out DIR]
    PYTHONPATH=src .venv/bin/python bench/cycle_life.py --model 2d [--cycles 100] [--mesh-size 0.167]
    PYTHONPATH=src mpirun -n 2 .venv/bin/python bench/cycle_life.py --model 2d
    PYTHONPATH=src mpirun -n 2 .venv/bin/python bench/cycle_life.py --model 3d [--cycles 100] [--jump 10]
        [--mesh-size 0.25] [--every 0] [--layered]

`--model 3d`: a carbon-coated Si particle (1 um, 20 nm carbon, octant) with a growing,
cracking carbonate SEI, cycled at 1C between filling fractions 0.01 and 0.3, `--cycles` cycles
with cycle jumping (`--jump`, simulation/cycle_jump.py) through `seifem run`; with `--every N`
also the first N cycles resolved every cycle, for the time per resolved cycle and the jump's
error at cycle N (run --cycles N --every N for the same-length comparison). `--layered`: the SEI is
the carbonate-FEC layers of cases/si_cycle_life_300.toml without their strengths (an elastic
inorganic inner layer, a standard-linear-solid organic outer layer, tau = 30 s) solved per SEI cell
in 3D and growing (problem/sei_layered_3d.py).
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from pathlib import Path

from mpi4py import MPI

from seifem.case import load_case
from seifem.post.plots import plot_retention
from seifem.results.rundir import read_table
from seifem.simulation.cycle_life import CycleLife, run_cycle_life, write_cycles

CASE = Path(__file__).resolve().parents[1] / "cases" / "si_cycle_life_300.toml"


def _run(case, spec, name: str, out: Path, comm):
    t0, c0 = time.perf_counter(), time.process_time()
    res = run_cycle_life(case, spec, comm=comm)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    err = max(abs(r["conservation_error"]) for r in res.rows)
    last = res.rows[-1]
    if comm.rank == 0:
        path = write_cycles(res, out / f"cycles_{name}.csv")
        plot_retention(read_table(path), {"title": f"{case.title} ({name})"}, out / f"retention_{name}.png")
        at100 = res.rows[min(100, len(res.rows)) - 1]["capacity_retention"]
        print(f"{name:7s}: {spec.cycles} cycles, {res.resolved} resolved, {res.steps} time steps, {wall:.1f} s wall, "
              f"{cpu:.1f} s CPU; retention {min(100, spec.cycles)}: {at100:.6f}, {spec.cycles}: "
              f"{last['capacity_retention']:.6f}; CE last {last['coulombic_efficiency']:.7f}; SEI "
              f"{last['sei_thickness_nm']:.3f} nm; conservation error max {err:.2e}", flush=True)
    return res


LAYERS = [
    {"name": "inner", "thickness": "2.5 nm", "composition": {"LiF": 0.6, "Li2O": 0.2, "Li2CO3": 0.2}},
    {"name": "outer", "thickness": "2.5 nm", "composition": {"polymer": 0.5, "Li-alkyl-carbonate": 0.5}, "law": "sls",
     "relaxed_modulus": "0.02 GPa", "relaxation_time": "30 s"},
]
"""The layered SEI of `--layered` (cases/si_cycle_life_300.toml's, without strengths)."""


def _case3d(cycles: int, jump: int, mesh: float, layered: bool = False):
    from seifem.case import parse_case

    step = {"c_rate": "1 C", "dt": "60 s"}
    sei = {"material": "sei-carbonate", "growth": "solvent-diffusion",
           **({"layers": LAYERS} if layered else {"thickness": "5 nm"})}
    return parse_case({
        "title": f"Si 1 um + 20 nm carbon, growing {'layered ' if layered else ''}carbonate SEI, {cycles} cycles at "
                 f"1C (3D, jumps of {jump})",
        "particle": {"material": "Si", "radius": "1 um", "initial_soc": 0.01},
        "coating": {"material": "carbon", "thickness": "20 nm"},
        "sei": sei,
        "geometry": {"domain": "octant", "mesh_size": f"{mesh} um"},
        "protocol": {"cycles": cycles, "steps": [{"mode": "lithiate", "until_soc": 0.3, **step},
                                                 {"mode": "delithiate", "until_soc": 0.01, **step}]},
        "solver": {"dt": "60 s", "cycle_jump": jump},
        "output": {"fields": False, "render": False}})


def _run3d(cycles: int, jump: int, mesh: float, out: Path, comm, layered: bool = False) -> dict:
    import json

    from seifem.results.rundir import CYCLES, HISTORY, SUMMARY
    from seifem.simulation.run import run_case

    out = out / f"3d_{cycles}c_jump{jump}{'_layered' if layered else ''}"
    if comm.rank == 0:
        out.mkdir(parents=True, exist_ok=True)
        for f in out.iterdir():
            f.unlink() if f.is_file() else None
    comm.barrier()
    t0 = time.perf_counter()
    run_case(_case3d(cycles, jump, mesh, layered), out, comm)
    wall = time.perf_counter() - t0
    c = read_table(out / CYCLES)
    s = json.loads((out / SUMMARY).read_text())
    resolved = int(sum(c["resolved"]))
    if comm.rank == 0:
        dofs = s.get("dofs", {})
        print(f"3d jump {jump:2d}: {cycles} cycles, {resolved} resolved, {s.get('steps')} steps, {wall:.1f} s wall "
              f"({wall / resolved:.1f} s per resolved cycle), dofs {dofs}; retention {c['capacity_retention'][-1]:.6f}, "
              f"CE last {c['coulombic_efficiency'][-1]:.7f}, lithium lost {c['lost_ions_mol'][-1]:.4e} mol, SEI "
              f"{read_table(out / HISTORY)['sei_thickness_mean_nm'][-1]:.3f} nm", flush=True)
    return {"wall": wall, "resolved": resolved, "rows": c}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", choices=("1d", "2d", "3d"), default="1d")
    ap.add_argument("--jump", type=int, default=10, help="3d: largest block of jumped cycles")
    ap.add_argument("--every", type=int, default=0, help="3d: also run this many cycles resolved every cycle")
    ap.add_argument("--cycles", type=int, default=None, help="default: 300 (1d), 100 (2d)")
    ap.add_argument("--mesh-size", type=float, default=None, help="2d: mesh size [um] (surface: half of it)")
    ap.add_argument("--layered", action="store_true", help="3d: the layered, inelastic SEI solved per cell, growing")
    ap.add_argument("--out", type=Path, default=Path("bench_cycle_life"))
    a = ap.parse_args()
    comm = MPI.COMM_WORLD
    if comm.rank == 0:
        a.out.mkdir(parents=True, exist_ok=True)
    if a.model == "3d":
        mesh = a.mesh_size or 0.25
        fast = _run3d(a.cycles or 100, a.jump, mesh, a.out, comm, a.layered)
        if a.every:
            every = _run3d(a.every, 0, mesh, a.out, comm, a.layered)
            n = min(a.every, a.cycles or 100)
            per = every["wall"] / a.every
            if comm.rank == 0:
                x, y = every["rows"]["capacity_retention"][n - 1], fast["rows"]["capacity_retention"][n - 1]
                print(f"every cycle: {per:.1f} s per cycle; {a.cycles or 100} cycles every cycle would take about "
                      f"{per * (a.cycles or 100):.0f} s against {fast['wall']:.0f} s jumped; retention at cycle {n}: "
                      f"jumped {y:.6f} vs every {x:.6f}, relative {abs(y - x) / x:.2e}")
        return
    case = load_case(CASE)
    spec = CycleLife.of(case)
    if a.model == "1d":
        spec = replace(spec, cycles=a.cycles or spec.cycles)
        runs = {name: _run(case, replace(spec, jump=jump), name, a.out, comm) for name, jump in (("every", 0), ("jump10", 10))}
        for n in (min(100, spec.cycles), spec.cycles):
            x, y = (runs[k].rows[n - 1]["capacity_retention"] for k in ("every", "jump10"))
            if comm.rank == 0:
                print(f"retention after {n} cycles: jump error {abs(y - x) / x:.2e} (relative)")
        return
    spec = replace(spec, cycles=a.cycles or 100, jump=0)
    g = case.geometry
    if a.mesh_size:
        g = replace(g, mesh_size=a.mesh_size * 1e-6, surface_mesh_size=a.mesh_size * 0.5e-6)
    two = _run(replace(case, geometry=replace(g, model="2d")), replace(spec, model="2d"), "2d", a.out, comm)
    one = _run(case, spec, "1d", a.out, comm)
    if comm.rank == 0:
        for k in ("capacity_retention", "coulombic_efficiency", "sei_thickness_nm", "cracked_fraction",
                  "lost_crack_sei_mol"):
            x, y = one.rows[-1][k], two.rows[-1][k]
            print(f"2d vs 1d after {spec.cycles} cycles, {k}: {x:.8g} vs {y:.8g}, relative {abs(y - x) / abs(x):.2e}")


if __name__ == "__main__":
    main()

"""Benchmark: two-way coupling at scale against small-strain one-way on the same mesh. A
script, not a test; one option per process, so the memory figures are the option's own.

    .venv/bin/mpirun -n 2 .venv/bin/python bench/bench_coupling.py --option one-way --mesh-size 0.2
    .venv/bin/mpirun -n 2 .venv/bin/python bench/bench_coupling.py --option staggered --mesh-size 0.2
    .venv/bin/mpirun -n 2 .venv/bin/python bench/bench_coupling.py --option direct --mesh-size 0.42

The coated particle of bench_physics.py (2.5 um Si octant, 50 nm carbon, membrane SEI, 1C,
15 s steps). Prints the dofs (displacement, concentration, and the coupled total u + theta +
sigma_h), the median time per step (s, after the first), staggered iterations per step, and
per rank the resident memory after the steps and its peak (MB, largest over ranks; the peak
includes meshing, which is the same for every option on one mesh).
"""

from __future__ import annotations

import argparse
import os
import statistics

from bench_physics import _Option
from mpi4py import MPI

OPTIONS = {
    "one-way": {},
    "staggered": {"physics": {"coupling": "two-way"}, "solver": {"coupling_solver": "staggered"}},
    "direct": {"physics": {"coupling": "two-way"}, "solver": {"coupling_solver": "direct"}},
}


def _memory_mb() -> tuple[float, float]:
    """(VmRSS, VmHWM) of this process in MB."""
    values = {}
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(("VmRSS", "VmHWM")):
                values[line.split(":")[0]] = float(line.split()[1]) / 1024
    return values["VmRSS"], values["VmHWM"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--option", choices=list(OPTIONS), required=True)
    ap.add_argument("--steps", type=int, default=4)
    ap.add_argument("--mesh-size", type=float, default=0.2, help="core element size (um)")
    args = ap.parse_args()
    comm = MPI.COMM_WORLD
    o = _Option(args.option, OPTIONS[args.option], args.mesh_size, comm)
    p = o.p
    for _ in range(args.steps):
        o.step()
    rss, hwm = (comm.allreduce(m, op=MPI.MAX) for m in _memory_mb())
    stag = p.coupled.stats.get("staggered_iterations", 0) if p.coupled is not None else 0
    u = p.W.dofmap.index_map.size_global * 3
    c = p.V.dofmap.index_map.size_global
    coupled = u + 2 * c if p.coupled is not None else u + c
    if comm.rank == 0:
        print(f"{args.option}: {comm.size} rank(s), core mesh {args.mesh_size} um, {args.steps} steps of 15 s at 1C")
        print(f"  dofs: u {u}, theta {c}, total {coupled}")
        print(f"  s/step {statistics.median(o.times[1:] or o.times):.2f} (first {o.times[0]:.2f}), "
              f"staggered iterations/step {stag / args.steps:.1f}")
        if stag:
            st = p.coupled.stats
            print("  per step: " + ", ".join(f"{k} {st[k] / args.steps:.2f} s" for k in
                                           ("transport_time", "mechanics_time", "projection_time", "solve_time")),
                  f"(transport Newton {st['newton_iterations'] / args.steps:.1f}, its GMRES {st['iterations'] / args.steps:.0f}; "
                  f"elasticity CG {p.el_solver.stats['iterations'] / args.steps:.0f})")
        print(f"  memory per rank (max over ranks): {rss:.0f} MB resident after the steps, {hwm:.0f} MB peak")
        print(f"  load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    p.destroy()


if __name__ == "__main__":
    main()

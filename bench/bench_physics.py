"""Benchmark: cost of each physics option on one coated Si particle. A script, not a test.

    .venv/bin/python bench/bench_physics.py [--steps 8] [--mesh-size 0.42]
    .venv/bin/mpirun -n 2 .venv/bin/python bench/bench_physics.py

For a 2.5 um Si octant with a 50 nm carbon coating and a membrane SEI lithiated at 1C, each
option runs the same time steps through `ParticleProblem.advance` (the options interleaved
step by step, so they share the machine's load) (Quantities updated every
step, as a run does) and the table gives DOFs, time per step (median, s: wall clock, and the
process's CPU time, the steadier of the two on a loaded machine), Newton iterations
per step (mechanics, coupled or transport Newton) and Krylov iterations per step; "paired" is
the median over the steps of each step's time over small strain's step just before it (the
steadier ratio on a machine whose speed drifts), "mean x" the ratio of the mean times a step
(with the steps that assemble and factorise a Jacobian, which the medians leave out). Options:
small strain (linear, operators reused), finite strain (neo-Hookean, Newton), finite strain
with J2 plasticity, two-way coupling (monolithic Newton), local Butler-Volmer kinetics and a
concentration-dependent D (bordered Newton for theta). The last columns: Jacobian assemblies
per step of the mechanics Newton and its linear solver ("LU": MUMPS, which small strain takes
in a serial run below `solvers.DIRECT_BELOW` dofs, factorised once; else CG + GAMG).
Krylov/step of small strain counts the diffusion's CG too (and 1 per LU solve).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from mpi4py import MPI  # noqa: E402

import seifem  # noqa: F401,E402  (MPI before dolfinx)
from helpers import make_case  # noqa: E402

OPTIONS = {
    "small strain": {},
    "finite strain": {"physics": {"mechanics": "finite-strain"}},
    "finite + plastic": {"physics": {"mechanics": "finite-strain", "plasticity": True}},
    "two-way": {"physics": {"coupling": "two-way"}},
    "Butler-Volmer": {"electrochemistry": {"kinetics": "butler-volmer"}},
    "D(theta)": {"particle": {"diffusivity_factor": [[0.0, 1.0], [1.0, 5.0]]}},
}


class _Option:
    """One physics option's problem on the coated particle, stepped by `step()`."""

    def __init__(self, name: str, extra: dict, h: float, comm, lag_rate: float | None = None):
        from seifem.geometry import build
        from seifem.problem.particle import ParticleProblem
        from seifem.problem.quantities import Quantities

        particle = {"material": "Si", "radius": "2.5 um", **extra.get("particle", {})}
        case = make_case(particle=particle, coating={"material": "carbon", "thickness": "50 nm"},
                         sei={"material": "sei-carbonate", "thickness": "20 nm"},
                         geometry={"mesh_size": f"{h} um"},
                         **{k: v for k, v in extra.items() if k != "particle"})
        self.name, self.comm = name, comm
        self.p = ParticleProblem(case, build(case, comm))
        if lag_rate is not None and self.p.nonlinear is not None and self.p.nonlinear.lag is not None:
            self.p.nonlinear.lag.rate = lag_rate  # 0: exact Newton (a Jacobian every Newton step)
        self.q = Quantities(self.p)
        self.times: list[float] = []
        self.cpu: list[float] = []

    def step(self) -> None:
        self.comm.barrier()
        t0, c0 = time.perf_counter(), time.process_time()
        self.p.advance(15.0, 1.0)
        self.q.update()
        self.q.scalars()
        self.times.append(self.comm.allreduce(time.perf_counter() - t0, op=MPI.MAX))
        self.cpu.append(self.comm.allreduce(time.process_time() - c0, op=MPI.MAX))

    def result(self) -> dict:
        p, steps = self.p, len(self.times)
        stats = {}
        for model in (p.nonlinear, p.coupled, p.transport):
            if model is not None:
                stats = model.stats
        krylov = stats.get("iterations", p.el_solver.stats["iterations"] + p.diff_solver.stats["iterations"])
        ksp = p.nonlinear.nlp.solver.getKSP() if p.nonlinear is not None else p.el_solver.ksp
        path = "LU" if ksp.getType() == "preonly" else f"{ksp.getType()}+{ksp.getPC().getType()}"
        out = {"option": self.name, "u_dofs": p.W.dofmap.index_map.size_global * 3,
               "theta_dofs": p.V.dofmap.index_map.size_global,
               "s_per_step": statistics.median(self.times[1:] or self.times),
               "cpu_per_step": statistics.median(self.cpu[1:] or self.cpu),
               "mean_s_per_step": statistics.mean(self.times[1:] or self.times),
               "first_step_s": self.times[0], "newton_per_step": stats.get("newton_iterations", 0) / steps,
               "krylov_per_step": krylov / steps,
               "setups": stats.get("setups", p.el_solver.stats["setups"] + p.diff_solver.stats["setups"]),
               "jacobians_per_step": stats.get("jacobians", 0) / steps, "mechanics_solver": path,
               "times": self.times[1:] or self.times}
        p.destroy()
        return out


def bench(names: list[str], steps: int, h: float, comm, lag_rate: float | None = None) -> list[dict]:
    """Every option's problem built first, then stepped in turn (step 1 of each, step 2 of
    each, ...), so all see the same machine load and their ratios are fair. `lag_rate`: the
    Newton's `JacobianLag.rate` (None: the default; 0: exact Newton)."""
    options = [_Option(n, OPTIONS[n], h, comm, lag_rate) for n in names]
    for _ in range(steps):
        for o in options:
            o.step()
    return [o.result() for o in options]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=8)
    ap.add_argument("--mesh-size", type=float, default=0.42, help="core element size (um)")
    ap.add_argument("--only", nargs="*", choices=list(OPTIONS), help="options to run")
    ap.add_argument("--lag-rate", type=float, default=None,
                    help="keep the mechanics Newton's Jacobian while |F| contracts by this (0: exact Newton)")
    args = ap.parse_args()
    comm = MPI.COMM_WORLD
    rows = bench(args.only or list(OPTIONS), args.steps, args.mesh_size, comm, args.lag_rate)
    if comm.rank == 0:
        print(f"{comm.size} rank(s), {args.steps} steps of 15 s at 1C, core mesh size {args.mesh_size} um")
        small = next((r for r in rows if r["option"] == "small strain"), None)
        print(f"{'option':18s} {'u dofs':>8s} {'c dofs':>7s} {'s/step':>8s} {'x small':>8s} {'paired':>7s} "
              f"{'mean x':>7s} {'CPU s/step':>10s} {'x small':>8s} {'1st step':>9s} {'Newton/step':>11s} {'Krylov/step':>11s} {'PC setups':>9s} "
              f"{'J/step':>6s}  mechanics solver")
        for r in rows:
            ratio = f"{r['s_per_step'] / small['s_per_step']:8.2f}" if small else f"{'':8s}"
            paired = (f"{statistics.median(a / b for a, b in zip(r['times'], small['times'])):7.2f}" if small
                      else f"{'':7s}")
            mean = f"{r['mean_s_per_step'] / small['mean_s_per_step']:7.2f}" if small else f"{'':7s}"
            cpu = f"{r['cpu_per_step'] / small['cpu_per_step']:8.2f}" if small else f"{'':8s}"
            print(f"{r['option']:18s} {r['u_dofs']:8d} {r['theta_dofs']:7d} {r['s_per_step']:8.3f} {ratio} "
                  f"{paired} {mean} {r['cpu_per_step']:10.3f} {cpu} "
                  f"{r['first_step_s']:9.3f} {r['newton_per_step']:11.1f} {r['krylov_per_step']:11.1f} {r['setups']:9d} "
                  f"{r['jacobians_per_step']:6.2f}  {r['mechanics_solver']}")
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (ratios are of one run: same load)")


if __name__ == "__main__":
    main()

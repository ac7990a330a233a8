"""Benchmark (a script, not a test): the critical radius of a Si cross-section with a seeded
surface flaw of fixed depth, through the coupled galvanostatic transport (2d-plane, axial
"free", P2, AT1), against Zhao et al.'s closed form (`analytic.fracture.flaw_critical_radius`,
with the discrete band's toughness G_eff = G_c (1 + 3 h_f / (8 l))).

Each radius is delithiated at `--c-rate` from theta = 0.9, stress-free, for `--duration` s
(`tests/plane_flaw_runs.run_design`); the flaw ran if its cracked depth grew by half its depth.
`--radii` runs the listed radii; `--bisect LO HI N` bisects the radius N times between an
intact LO and a cracked HI (um):

    .venv/bin/python bench/bench_critical_radius.py --bisect 0.7 0.95 4
    .venv/bin/python bench/bench_critical_radius.py --bisect 0.5 0.7 4 --c-rate 2
    .venv/bin/python bench/bench_critical_radius.py --radii 0.8 0.85 --hs 35 --hf 1.67

Prints per radius: the displacement dofs, whether and when the flaw ran, the crack depth, the
peak surface hoop stress and damage, the wall time; and the bracket against the closed form.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from mpi4py import MPI

import seifem  # noqa: F401  (MPI before dolfinx)
from plane_flaw_runs import Flaw, closed_form, run_design

def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--radii", type=float, nargs="*", default=[])
    ap.add_argument("--bisect", type=float, nargs=3, metavar=("LO", "HI", "N"))
    ap.add_argument("--c-rate", type=float, default=1.0)
    ap.add_argument("--a", type=float, default=40.0, help="flaw depth, nm")
    ap.add_argument("--l", type=float, default=5.0, help="length scale, nm")
    ap.add_argument("--hf", type=float, default=2.5, help="element size at the flaw, nm")
    ap.add_argument("--hs", type=float, default=50.0, help="surface element size, nm")
    ap.add_argument("--dt", type=float, default=60.0)
    ap.add_argument("--duration", type=float, default=360.0)
    a = ap.parse_args()
    comm = MPI.COMM_WORLD
    flaw = Flaw(a.a, a.l, a.hf, a.hs)
    Rc = closed_form(flaw, a.c_rate)
    if comm.rank == 0:
        print(f"flaw a {flaw.a} nm, l {flaw.l} nm, h_f {flaw.hf} nm, h_s {flaw.hs} nm; {a.c_rate:g}C; "
              f"closed form R_c {Rc:.4f} um; ranks {comm.size}", flush=True)

    def one(R: float) -> bool:
        r = run_design(comm, R, a.c_rate, flaw, a.duration, a.dt)
        if comm.rank == 0:
            print(f"R {R:.4f} um ({R / Rc:.3f} R_c): dofs {r['dofs']}, ran {r['ran'] is not None} "
                  f"(at {r['ran']} s), crack depth {r['depths'][0] * 1e3:.1f} -> {r['depths'][-1] * 1e3:.1f} nm, "
                  f"hoop max {r['last']['core_st_max_MPa']:.0f} MPa, damage_max {r['last']['damage_max']:.3f}, "
                  f"cracked vf {r['first']['cracked_volume_fraction']:.2e} -> {r['last']['cracked_volume_fraction']:.2e}, "
                  f"wall {r['wall']:.1f} s", flush=True)
        return r["ran"] is not None

    for R in a.radii:
        one(R)
    if a.bisect:
        lo, hi, n = a.bisect
        for _ in range(int(n)):
            mid = 0.5 * (lo + hi)
            if one(mid):
                hi = mid
            else:
                lo = mid
        if comm.rank == 0:
            print(f"bracket [{lo:.4f}, {hi:.4f}] um = [{lo / Rc - 1:+.2%}, {hi / Rc - 1:+.2%}] of the closed form")


if __name__ == "__main__":
    main()

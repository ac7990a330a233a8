"""Benchmark (a script, not a test): the critical surface stress of a flaw by the phase-field
model itself against Zhao, Pharr, Vlassak & Suo (J. Appl. Phys. 108, 073517 (2010)),
G = Z s_s^2 a / E = G_c, with `seifem.problem.fracture_flaw` (a long cylinder of radius b,
E = 1, nu = 0.3, plane strain, a radial slit of depth a = alpha b in the quasi-steady
galvanostatic delithiation stress, AT1, P1; the phase field in a box of size h around the
flaw's tip, coarse elsewhere).

For each (b, G_c, l / h): the bracket [lo, hi] of the critical s_s by bisection (lo: the flaw
did not run, hi: it ran 4 l), its midpoint against Zhao's s_Z = sqrt(E G_eff / (Z a)) with
the discrete toughness G_eff = G_c (1 + 3 h / (8 l)) (`analytic.fracture.effective_toughness`)
and against s_Z with G_c itself; J at lo (the G of the flaw with its process zone, on the
annulus 2 l - 4 l about the slit's tip) against G_eff; and J / s_s^2 at the first load against
Zhao's Z a / E (the mesh's elastic G factor). Printed as a table with the displacement dofs,
the staggered iterations and the wall time.

    .venv/bin/python bench/bench_critical_size.py                         # b = 1, 2, 4; l/h = 4
    .venv/bin/python bench/bench_critical_size.py --b 1 2 --ratio 4 8 --gc 1 4
"""

from __future__ import annotations

import argparse
import math
import time

from mpi4py import MPI

import seifem  # noqa: F401  (MPI before dolfinx)
from seifem.analytic.fracture import effective_toughness, surface_flaw_G
from seifem.problem.fracture_flaw import FlawedCylinder, critical_load

NU = 0.3


def zhao_stress(Gc: float, a: float, b: float) -> float:
    """s_s at which G = Z s_s^2 a / E reaches Gc (E = 1)."""
    return math.sqrt(Gc / surface_flaw_G(1.0, a, b, 1.0, NU))


def run(b: float, alpha: float, l: float, ratio: float, Gc: float, bisections: int, seed: bool = True,
        comm=MPI.COMM_WORLD) -> dict:
    t0 = time.perf_counter()
    h, a = l / ratio, alpha * b
    cyl = FlawedCylinder(comm, b, a, l, h, Gc=Gc, coarse=b / 20, seed=seed, prefix=f"flaw_{b}_{ratio}_{Gc}_")
    g_eff = effective_toughness(Gc, h, l)
    s_eff = zhao_stress(g_eff, a, b)
    try:
        crit = critical_load(cyl, 0.7 * s_eff, 1.1 * s_eff, bisections, advance=4 * l)
    finally:
        cyl.destroy()
    first = crit.loads[0]
    below = max((s for s in crit.loads if s.s <= crit.lo), key=lambda s: s.s)
    row = {"b": b, "a/l": a / l, "l/h": ratio, "Gc": Gc, "dofs": cyl.dofs, "lo": crit.lo, "hi": crit.hi,
           "s_Z": s_eff, "err": crit.mid / s_eff - 1, "err_Gc": crit.mid / zhao_stress(Gc, a, b) - 1,
           "J_lo": below.J / g_eff - 1, "Zmesh": first.J / first.s**2 / surface_flaw_G(1.0, a, b, 1.0, NU) - 1,
           "its": sum(s.iterations for s in crit.loads), "wall": time.perf_counter() - t0}
    if comm.rank == 0:
        for s in crit.loads:
            print(f"  s_s {s.s:.5f} ({s.s / s_eff:.4f} s_Z)  J / G_eff {s.J / g_eff:.4f}  tip advance "
                  f"{(s.tip - cyl.tip0) / l:.2f} l  iterations {s.iterations}", flush=True)
    return row


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--b", type=float, nargs="+", default=[1.0, 2.0, 4.0], help="cylinder radii")
    ap.add_argument("--alpha", type=float, default=0.01, help="flaw depth / radius")
    ap.add_argument("--l", type=float, default=1.25e-3, help="length scale (a / l = 8 at b = 1)")
    ap.add_argument("--ratio", type=float, nargs="+", default=[4.0], help="l / h")
    ap.add_argument("--gc", type=float, nargs="+", default=[1.0])
    ap.add_argument("--bisections", type=int, default=6)
    ap.add_argument("--bare", action="store_true", help="a bare slit (no crack band seeded behind its tip)")
    args = ap.parse_args()
    rows = [run(b, args.alpha, args.l, r, g, args.bisections, not args.bare)
            for r in args.ratio for g in args.gc for b in args.b]
    if MPI.COMM_WORLD.rank == 0:
        print(f"\nalpha = {args.alpha}, l = {args.l}, AT1, E = 1, nu = {NU}, {MPI.COMM_WORLD.size} rank(s)")
        print("| b | a/l | l/h | G_c | dofs | s_c bracket | s_Z (G_eff) | s_c/s_Z - 1 | vs s_Z(G_c) | J(lo)/G_eff - 1"
              " | mesh G / Zhao - 1 | iterations | wall s |")
        print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        for r in rows:
            print(f"| {r['b']:g} | {r['a/l']:.0f} | {r['l/h']:.0f} | {r['Gc']:g} | {r['dofs']} | {r['lo']:.5f}-{r['hi']:.5f}"
                  f" | {r['s_Z']:.5f} | {r['err']:+.2%} | {r['err_Gc']:+.2%} | {r['J_lo']:+.2%} | {r['Zmesh']:+.2%}"
                  f" | {r['its']} | {r['wall']:.0f} |")


if __name__ == "__main__":
    main()

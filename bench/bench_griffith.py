"""Benchmark (a script, not a test): the Griffith check of the phase-field solver at several
length scales and mesh sizes, with `seifem.problem.griffith.KFieldDisc` (the pre-cracked unit
disc under lambda x the mode-I K-field of G = G_c, E = 1, nu = 0.3, G_c = 1, plane strain, P1).

For each (l, h): loads lambda = lam0, lam0 + dlam, ... until the tip has run `run`; printed per
load the nominal G = lambda^2 G_c, the J-integral (the G of the tip), the tip, the crack energy,
the staggered iterations. Then the mean J over the loads at which the tip advanced (the
energy release rate at which the crack grows) against G_c and against the discrete
G_eff = G_c (1 + 3 h / (8 l)) (AT1), and the crack energy dissipated per unit advance between the first and the last growing load
(coarse: the tip is located to one element).

    .venv/bin/python bench/bench_griffith.py                       # l = 0.05; h = l/2, l/4
    .venv/bin/python bench/bench_griffith.py --l 0.05 0.025 --ratio 4 8
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from mpi4py import MPI

import seifem  # noqa: F401  (MPI before dolfinx)
from seifem.analytic.fracture import effective_toughness
from seifem.problem.griffith import KFieldDisc


def run(l: float, h: float, model: str, lam0: float, dlam: float, advance: float, comm=MPI.COMM_WORLD):
    t0 = time.perf_counter()
    disc = KFieldDisc(comm, l, h, model, path=min(0.1 + 2 * advance, 0.3), prefix=f"griffith_{l}_{h}_")
    tip0, steps = disc.tip(), []
    try:
        while len(steps) < 40 and (not steps or steps[-1].tip < tip0 + advance):
            steps.append(disc.load(lam0 + len(steps) * dlam))
            s = steps[-1]
            if comm.rank == 0:
                print(f"  lambda {s.lam:.3f}  G/G_c {s.nominal_G:.4f}  J {s.J:.4f}  tip {s.tip:+.4f}"
                      f"  crack energy {s.crack_energy:.4f}  iterations {s.iterations}", flush=True)
    finally:
        disc.destroy()
    before = [tip0] + [s.tip for s in steps[:-1]]
    grown = [s for b, s in zip(before, steps) if s.tip > b + 0.5 * h]
    eff = effective_toughness(1.0, h, l, model)
    if comm.rank == 0 and grown:
        J = float(np.mean([s.J for s in grown]))
        first, last = grown[0], grown[-1]  # between growing loads: the process zone is formed
        rate = (last.crack_energy - first.crack_energy) / (last.tip - first.tip) if last is not first else float("nan")
        print(f"l = {l}, h = {h} (l/h = {l / h:.0f}), {model}: J while growing {J:.4f} G_c"
              f" ({len(grown)} loads, {min(s.J for s in grown):.4f}-{max(s.J for s in grown):.4f});"
              f" G_eff = {eff:.4f} G_c: J / G_eff - 1 = {J / eff - 1:+.4f}; dissipated per advance {rate:.4f};"
              f" {sum(s.iterations for s in steps)} staggered iterations, {time.perf_counter() - t0:.0f} s", flush=True)
    elif comm.rank == 0:
        print(f"l = {l}, h = {h}: no growth up to lambda {steps[-1].lam}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--l", type=float, nargs="+", default=[0.05])
    ap.add_argument("--ratio", type=float, nargs="+", default=[2, 4], help="l / h")
    ap.add_argument("--model", default="AT1")
    ap.add_argument("--lam0", type=float, default=1.06)
    ap.add_argument("--dlam", type=float, default=0.02)
    ap.add_argument("--advance", type=float, default=0.06, help="tip advance to stop at")
    a = ap.parse_args()
    for l in a.l:
        for ratio in a.ratio:
            run(l, l / ratio, a.model, a.lam0, a.dlam, a.advance)


if __name__ == "__main__":
    main()

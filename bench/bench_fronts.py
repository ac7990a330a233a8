"""Lithiation-front convergence of the 1D twin (docs/lithiation-fronts.md): the front radius
(theta = 0.4) of a 1 um sphere at 1C with D = 1e-14 m^2/s x [[0, 1e-4], [0.78, 1e-4], [0.8, 1]]
at t = 500, 1000, 1500, 2000 s, against the independent finite-volume reference
(analytic.fronts, 800 shells, dt 1 s), for 32 to 256 cells; prints the largest front error,
the observed order, the ion balance, Newton iterations per step and wall / CPU time (CPU is
the figure on a loaded machine).

    PYTHONPATH=src .venv/bin/python bench/bench_fronts.py
"""

from __future__ import annotations

import time

import numpy as np
from mpi4py import MPI

from seifem.analytic.fronts import FiniteVolumeFront, front_radius
from seifem.reduced.radial import RadialDesign, RadialProblem

FACTOR = ((0.0, 1e-4), (0.78, 1e-4), (0.8, 1.0))
TIMES = (500.0, 1000.0, 1500.0, 2000.0)
SI = dict(radius=1e-6, youngs_modulus=80e9, poisson_ratio=0.22, diffusivity=1e-14, max_concentration=3e5,
          partial_molar_volume=9e-6, diffusivity_factor=FACTOR)


def reference(n: int = 800, dt: float = 1.0) -> np.ndarray:
    fv = FiniteVolumeFront(1.0, 1e-2, FACTOR, 1.0 / 3 / 3600, n)
    out = []
    for t in TIMES:
        while fv.t < t - 1e-9:
            fv.step(dt)
        out.append(fv.front(0.4))
    return np.array(out)


def main() -> None:
    ref = reference()
    print(f"FV reference (800 shells, dt 1 s): r_f = {np.round(ref, 5)} um")
    print(f"{'cells':>5} {'dt s':>5} {'max error um':>13} {'order':>6} {'ions err':>9} {'Newton/step':>11} "
          f"{'wall s':>7} {'cpu s':>6}")
    last = None
    for cells in (32, 64, 128, 256):
        dt = 250.0 / cells  # divides every output time
        t0, c0 = time.perf_counter(), time.process_time()
        p = RadialProblem(RadialDesign(**SI, core_cells=cells), MPI.COMM_SELF)
        out, steps = [], 0
        for t in TIMES:
            while p.t < t - 1e-9:
                p.advance(dt, 1.0)
                steps += 1
            prof = p.profiles()
            out.append(front_radius(prof["r"] * 1e6, prof["theta"], 0.4))
        err = np.abs(np.array(out) - ref).max()
        order = np.log2(last / err) if last else float("nan")
        print(f"{cells:5d} {dt:5.1f} {err:13.3e} {order:6.2f} {abs(p.soc() - p.t / 3600):9.1e} "
              f"{p.nonlinear.iterations / steps:11.2f} {time.perf_counter() - t0:7.1f} {time.process_time() - c0:6.1f}")
        last = err


if __name__ == "__main__":
    main()

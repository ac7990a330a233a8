"""Study of the elements through a yielding layer: every history extreme of Hill's
elastic-perfectly-plastic shell on a misfitting core (docs/verification.md B3.2: a = 1 um
core, 80 GPa, 0.22; shell to b = 1.2 um, 100 GPa, 0.25, sigma_Y = 1 GPa; misfit 0.010)
against the closed form, relative to each region's stress scale, with the DOFs and wall time,
at the default mesh sizes and `layer_cells` elements through the shell. Prints a table; not
a test.

    .venv/bin/python bench/bench_plastic_shell.py [--layer-cells 2 4 6 8] [--mesh-size "0.1667 um"]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from mpi4py import MPI

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from helpers import EXTREMES, extreme_errors, make_case
from seifem import analytic as an
from seifem.geometry import build
from seifem.problem.particle import ParticleProblem
from seifem.problem.quantities import Quantities

A, B, E_STAR = 1e-6, 1.2e-6, 0.010


def run(layer_cells: int, comm, geometry: dict) -> tuple[dict, int, float]:
    """({region: errors of every extreme}, displacement DOFs, wall time in s)."""
    from dolfinx import fem  # after seifem, which loads the solver libraries dolfinx needs

    t0 = time.perf_counter()
    case = make_case(particle={"yield_stress": "100 GPa"},
                     coating={"material": "carbon", "thickness": "200 nm", "youngs_modulus": "100 GPa",
                              "poisson_ratio": 0.25, "yield_stress": "1 GPa"},
                     physics={"plasticity": True}, geometry={"layer_cells": layer_cells} | geometry)
    p = ParticleProblem(case, build(case, comm))
    dofs = fem.locate_dofs_topological(p.V, 3, p.geo.cells("core"))
    for k in range(1, 3):
        p.theta.x.array[dofs] = 3 * E_STAR / p.beta * k / 2
        p.solve_mechanics()
    q = Quantities(p)
    q.update()
    row = q.scalars()
    ndofs = p.W.dofmap.index_map.size_global * 3
    p.destroy()
    exact = an.epp_shell_on_core(A, B, 80e9, 0.22, 100e9, 0.25, 1e9, E_STAR)
    stresses = lambda r, side: exact.stresses(r)
    err = {region: extreme_errors(row, region, stresses, lo, hi)
           for region, lo, hi in (("core", 0.0, A * (1 - 1e-12)), ("coating", A, B))}
    return err, ndofs, time.perf_counter() - t0


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layer-cells", type=int, nargs="*", default=[2, 4, 6, 8])
    parser.add_argument("--mesh-size", default=None, help="geometry.mesh_size (default: the case's)")
    parser.add_argument("--surface-mesh-size", default=None, help="geometry.surface_mesh_size (default: the case's)")
    args = parser.parse_args(argv)
    geometry = {k: v for k, v in (("mesh_size", args.mesh_size), ("surface_mesh_size", args.surface_mesh_size)) if v}
    comm = MPI.COMM_WORLD
    for n in args.layer_cells:
        err, dofs, wall = run(n, comm, geometry)
        if comm.rank == 0:
            for region, e in err.items():
                worst = max(EXTREMES, key=lambda k: abs(e[k]))
                print(f"layer_cells {n} {region}: worst {worst} {e[worst]:+.2e}; "
                      + ", ".join(f"{k} {e[k]:+.2e}" for k in EXTREMES), flush=True)
            print(f"layer_cells {n}: {dofs} displacement DOFs, {wall:.0f} s", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])

"""Study of the cavity's surface mesh: every history extreme of the galvanostatic hollow
sphere (rho = a/b = 0.5, b = 1 um, 1C to tau = D t / b^2 = 0.1, docs/verification.md B2.1)
against the closed form, relative to the stress scale, and the DOFs and wall time, for
element sizes at the cavity of `fraction` x its radius (`geometry.builders.CAVITY_FRACTION`).
Prints a table; not a test.

    .venv/bin/python bench/bench_cavity.py [--cavity open|sealed] [--fractions 0.1667 0.0833 0.0417]
        [--dt 0.5] [--surface-mesh-size "0.0833 um"]
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
from seifem.geometry import build, builders
from seifem.problem.particle import ParticleProblem
from seifem.problem.quantities import Quantities

D, A, B = 1e-14, 0.5e-6, 1e-6


def run(cavity: str, fraction: float, comm, dt: float = 0.5, hs: str | None = None) -> tuple[dict, int, float]:
    """(errors of every extreme, displacement DOFs, wall time in s) at one cavity fraction."""
    builders.CAVITY_FRACTION = fraction
    t0 = time.perf_counter()
    geometry = {"inner_radius": "0.5 um", "inner_surface": cavity} | ({"surface_mesh_size": hs} if hs else {})
    case = make_case(geometry=geometry)
    p = ParticleProblem(case, build(case, comm))
    while p.t < 0.1 * B**2 / D - 1e-9:
        p.advance(dt, 1.0)
    q = Quantities(p)
    q.update()
    row = q.scalars()
    mat = case.particle.material
    J = p.flux_for(1.0) * 1e-6 * p.c_max
    E, nu, Om = (mat.si(k) for k in ("youngs_modulus", "poisson_ratio", "partial_molar_volume"))
    t = p.t
    dofs = p.W.dofmap.index_map.size_global * 3  # displacement DOFs
    p.destroy()
    exact = lambda r, side: an.hollow_sphere_galvanostatic_stress(
        r, t, A, B, D, J, J if cavity == "open" else 0.0, E, nu, Om)
    return extreme_errors(row, "core", exact, A, B), dofs, time.perf_counter() - t0


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cavity", default="open", choices=("open", "sealed"))
    parser.add_argument("--fractions", type=float, nargs="*", default=[1 / 6, 1 / 12, 1 / 24])
    parser.add_argument("--dt", type=float, default=0.5, help="time step (s)")
    parser.add_argument("--surface-mesh-size", default=None, help="geometry.surface_mesh_size (default: the case's)")
    args = parser.parse_args(argv)
    comm = MPI.COMM_WORLD
    for f in args.fractions:
        err, dofs, wall = run(args.cavity, f, comm, args.dt, args.surface_mesh_size)
        if comm.rank == 0:
            worst = max(EXTREMES, key=lambda k: abs(err[k]))
            print(f"{args.cavity} fraction {f:.4f} (h = {f * A * 1e9:.0f} nm): worst {worst} {err[worst]:+.2e}; "
                  + ", ".join(f"{k} {err[k]:+.2e}" for k in EXTREMES) + f"; {dofs} displacement DOFs, {wall:.0f} s",
                  flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])

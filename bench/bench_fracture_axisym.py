"""Benchmark (a script, not a test): phase-field fracture of the same sphere in the 2D
axisymmetric twin and in the 3D octant, against the closed-form onset.

    .venv/bin/python bench/bench_fracture_axisym.py [--hs 0.1] [--h 0.25] [--l 0.2] [--dt 2] [--tend 60] [--models 2d 3d]

The case of `cases/si_fracture.toml` (R = 1 um Si, D = 1e-15 m^2/s, from theta = 0.8
delithiated at 1C, AT1, G_c = 8.5 J/m^2) with surface elements `--hs` um, interior `--h` um
and length scale `--l` um, in time steps of `--dt` s up to `--tend` s. Prints, per model:
the displacement dofs, the step at which damage starts (bracket in s and over the
closed-form t_c, where the surface hoop stress of the galvanostatic sphere reaches the
equibiaxial AT1 onset sqrt(3 E G_c / (8 l)) / sqrt(2 (1 - nu))), damage_max and crack_area_um2
every 10 s, staggered iterations, wall time per step. The damage of the octant with a uniform
flux is a surface shell (nothing breaks the symmetry), which the twin represents exactly.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from mpi4py import MPI

import seifem  # noqa: F401  (MPI before dolfinx)


def closed_form_onset(case) -> float:
    """t_c (s): the galvanostatic sphere's surface hoop stress reaches the equibiaxial AT1 onset."""
    import numpy as np
    from scipy.optimize import brentq

    from seifem import analytic as an
    from seifem.reduced.design import design_from_case

    d = design_from_case(case)
    E, nu, R = d.youngs_modulus, d.poisson_ratio, d.radius
    sc = np.sqrt(3 * E * case.particle.material.si("fracture_energy") / (8 * case.fracture.length_scale))
    sc /= np.sqrt(2 * (1 - nu))
    J = an.c_rate_flux(1.0, d.max_concentration, R)

    def f(t):
        s = an.sphere_galvanostatic_stress(np.array([R]), np.array([t]), R, d.diffusivity, J, E, nu,
                                           d.partial_molar_volume)[1]
        return -float(s[0]) - sc

    return brentq(f, 1e-3, 1e4)


def run(model: str, args, comm) -> list[tuple]:
    from helpers import make_case
    from seifem.problem.axisym_fracture import AxisymFracture
    from seifem.reduced.axisym import AxisymProblem
    from seifem.reduced.design import design_from_case

    geo = {"mesh_size": f"{args.h} um", "surface_mesh_size": f"{args.hs} um"}
    geo.update({"model": "2d"} if model == "2d" else {"domain": "octant"})
    case = make_case(particle={"material": "Si", "radius": "1 um", "initial_soc": 0.8, "diffusivity": "1e-15 m^2/s"},
                     geometry=geo, fracture={"length_scale": f"{args.l} um"})
    t0 = time.perf_counter()
    if model == "2d":
        Gc = case.particle.material.si("fracture_energy")
        p = AxisymProblem(design_from_case(case), comm, mesh_size=args.h, surface_mesh_size=args.hs,
                          fracture=lambda q: AxisymFracture(q, case.fracture, {"core": Gc}))
        row, dofs = p.scalars, p.dofs["displacement"]
    else:
        from seifem.geometry import build
        from seifem.problem.particle import ParticleProblem

        p = ParticleProblem(case, build(case, comm))
        row, dofs = p.fracture.scalars, p.W.dofmap.index_map.size_global * 3
    setup = time.perf_counter() - t0
    t_c = closed_form_onset(case)
    out, t0 = [], time.perf_counter()
    while p.t < args.tend - 1e-9:
        p.advance(args.dt, -1.0)
        r = row()
        out.append((p.t, r["damage_max"], r["crack_area_um2"], r["fracture_iterations"]))
    wall = time.perf_counter() - t0
    p.destroy()
    if comm.rank == 0:
        onset = next((i for i, o in enumerate(out) if o[1] > 0), None)
        print(f"\n{model}: {dofs} displacement dofs, setup {setup:.1f} s, {wall / len(out):.2f} s per step")
        if onset is not None:
            lo, hi = out[onset][0] - args.dt, out[onset][0]
            print(f"  damage starts in ({lo:g}, {hi:g}] s; closed-form t_c = {t_c:.2f} s: ({lo / t_c:.3f}, {hi / t_c:.3f}]")
        print("  t_s  damage_max  crack_area_um2  staggered_iterations")
        for o in out:
            if abs(o[0] / 10 - round(o[0] / 10)) < 1e-9:
                print(f"  {o[0]:5g}  {o[1]:.4f}  {o[2]:.4f}  {o[3]:g}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hs", type=float, default=0.1, help="surface element size (um)")
    ap.add_argument("--h", type=float, default=0.25, help="interior element size (um)")
    ap.add_argument("--l", type=float, default=0.2, help="phase-field length scale (um)")
    ap.add_argument("--dt", type=float, default=2.0, help="time step (s)")
    ap.add_argument("--tend", type=float, default=60.0, help="end time (s)")
    ap.add_argument("--models", nargs="+", default=["2d", "3d"], choices=["2d", "3d"])
    args = ap.parse_args()
    for m in args.models:
        run(m, args, MPI.COMM_WORLD)


if __name__ == "__main__":
    main()

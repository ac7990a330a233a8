"""Benchmark (a script, not a test): phase-field fracture with J2 plasticity of the same coated
Si particle in the 2D axisymmetric twin and in the 3D octant.

    .venv/bin/python bench/bench_fracture_axisym_plastic.py [--hs 0.1] [--h 0.25] [--l 0.2] [--dt 5] [--tend 130]
        [--models 2d 3d] [--verbose]

The particle of `tests/verification/test_fracture_axisym_plastic.py`: R = 1 um Si (its library
moduli and G_c = 8.5 J/m^2, yield stress 0.85 GPa), D = 1e-15 m^2/s, a 100 nm elastic coating
of 100 GPa (0.25) that does not crack, from theta = 0.8 delithiated at 1C, AT1 in the core,
with surface elements `--hs` um, interior `--h` um and length scale `--l` um, steps of `--dt` s
up to `--tend` s. The surface flows, the coating holds the shrinking core in hydrostatic
tension, the core cracks. Prints per model: displacement dofs, setup and wall time per step,
the first step with plastic strain, the damage onset bracket, the largest core hoop stress of
the history and when, and every 10 s damage_max, the core's largest plastic strain, the
plastic dissipation and the staggered iterations. A Newton failure (the run loop would cut
the step) ends that model's table.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from mpi4py import MPI

import seifem  # noqa: F401  (MPI before dolfinx)


def run(model: str, args, comm) -> list[dict]:
    from helpers import make_case
    from seifem.errors import SolverError
    from seifem.simulation.models import build_model

    geo = {"mesh_size": f"{args.h} um", "surface_mesh_size": f"{args.hs} um"}
    geo.update({"model": "2d"} if model == "2d" else {"domain": "octant"})
    case = make_case(particle={"material": "Si", "radius": "1 um", "initial_soc": 0.8, "diffusivity": "1e-15 m^2/s",
                               "yield_stress": "0.85 GPa", "fracture_energy": "8.5 J/m^2"},
                     coating={"material": "carbon", "thickness": "100 nm", "youngs_modulus": "100 GPa",
                              "poisson_ratio": 0.25},
                     geometry=geo, physics={"plasticity": True}, fracture={"length_scale": f"{args.l} um"})
    out_dir = Path(comm.bcast(tempfile.mkdtemp() if comm.rank == 0 else None, root=0))
    t0 = time.perf_counter()
    m = build_model(case, comm, out_dir)
    p = m.problem
    dofs = p.W.dofmap.index_map.size_global * p.W.dofmap.index_map_bs
    setup = time.perf_counter() - t0
    rows, t0, failed, cuts = [], time.perf_counter(), None, [0]

    def advance(dt: float, depth: int = 0) -> None:  # as the run loop: on a Newton failure two half steps
        snap = p.snapshot()
        try:
            p.advance(dt, -1.0)
            return
        except SolverError:
            p.restore(snap)
            if depth >= 4:
                raise
            cuts[0] += 1
        advance(dt / 2, depth + 1)
        advance(dt / 2, depth + 1)

    while p.t < args.tend - 1e-9:
        try:
            advance(args.dt)
        except SolverError as e:
            failed = f"{p.t:g} s (after 4 cuts): {e}"
            break
        rows.append({"t": p.t, **m.scalars()})
        if comm.rank == 0 and args.verbose:
            r = rows[-1]
            print(f"  [{model}] t {r['t']:g} s: damage_max {r['damage_max']:.4f}, core hoop max "
                  f"{r['core_st_max_MPa']:.0f} MPa, {time.perf_counter() - t0:.0f} s so far", flush=True)
    wall = time.perf_counter() - t0
    m.destroy()
    if comm.rank == 0:
        ep = next(k for k in rows[0] if k.endswith("plastic_strain_max"))
        print(f"\n{model}: {dofs} displacement dofs, setup {setup:.1f} s, {wall / max(1, len(rows)):.2f} s per step, "
              f"{cuts[0]} step cuts")
        flow = next((r["t"] for r in rows if r[ep] > 0), None)
        onset = next((r["t"] for r in rows if r["damage_max"] > 0), None)
        peak = max(rows, key=lambda r: r["core_st_max_MPa"])
        print(f"  first plastic strain at {flow} s; damage starts in "
              f"({onset - args.dt if onset else None}, {onset}] s; largest core hoop stress "
              f"{peak['core_st_max_MPa']:.0f} MPa at {peak['t']:g} s")
        if failed:
            print(f"  Newton failed at {failed}")
        print(f"  t_s  damage_max  {ep}  plastic_dissipation_J  staggered_iterations")
        for r in rows:
            if abs(r["t"] / 10 - round(r["t"] / 10)) < 1e-9:
                print(f"  {r['t']:5g}  {r['damage_max']:.4f}  {r[ep]:.3e}  {r['plastic_dissipation_J']:.3e}  "
                      f"{r['fracture_iterations']:g}")
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hs", type=float, default=0.1, help="surface element size (um)")
    ap.add_argument("--h", type=float, default=0.25, help="interior element size (um)")
    ap.add_argument("--l", type=float, default=0.2, help="phase-field length scale (um)")
    ap.add_argument("--dt", type=float, default=5.0, help="time step (s)")
    ap.add_argument("--tend", type=float, default=130.0, help="end time (s)")
    ap.add_argument("--models", nargs="+", default=["2d", "3d"], choices=["2d", "3d"])
    ap.add_argument("--verbose", action="store_true", help="a line per step as it goes")
    args = ap.parse_args()
    for m in args.models:
        run(m, args, MPI.COMM_WORLD)


if __name__ == "__main__":
    main()

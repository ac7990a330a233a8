"""Inelastic SEI layers in the 3D membrane solve (`problem.sei_layered_3d`) under mesh
refinement: the largest relative difference of every layer's stress (largest and smallest over
the SEI cells, every step) from the 1D twin stepping the same layered state, the SEI cells and
displacement DOFs, and the wall time per step with the layers against the same run with the
elastic equivalent film. The setup of tests/verification/test_sei_layered_3d.py (coated Si octant,
C/2 for 180 s then a 120 s hold; elastic + plastic + SLS layers). With `--growth` the SEI grows
(the solvent-diffusion law with the test's raised rate, 12 -> 30 nm) and the grown SEI's stress
joins the comparison (test_inelastic_layers_with_sei_growth_in_3d_match_the_1d_twin). Prints a
table; not a test.

    .venv/bin/python bench/bench_sei_layered.py [--mesh-sizes 0.5 0.35 0.25] [--growth]   (um)
    mpirun -n 2 .venv/bin/python bench/bench_sei_layered.py
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

from mpi4py import MPI

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "verification"))
from test_sei_layered_3d import DT, GROWTH_D, HOLD, LITHIATE, RATE, _case, _one_d  # the test's setup

from seifem.geometry import build
from seifem.problem.particle import ParticleProblem


def run(mesh: float, comm, layered: bool, growth: bool = False) -> tuple[float, int, int, float]:
    """(surface mesh size = half the mesh size; largest relative stress difference from 1D, SEI cells, displacement DOFs, s per step)."""
    import numpy as np

    from seifem.physics.sei_cracks import CrackedFilm
    from seifem.physics.sei_growth import SEIGrowthParameters
    from seifem.problem.quantities import Quantities
    from seifem.problem.sei_film import SEIFilm

    case = _case(growth="solvent-diffusion" if growth else "none")
    case = replace(case, geometry=replace(case.geometry, mesh_size=mesh * 1e-6, surface_mesh_size=mesh * 0.5e-6))
    if not layered:
        case = replace(case, sei_layer_laws=(None,) * len(case.sei_layers))
    params = replace(SEIGrowthParameters(initial_thickness=12e-9), solvent_diffusivity=GROWTH_D)
    grown = []
    film_1d = CrackedFilm(4 * np.pi * 1.02e-6**2, params) if growth else None
    ref = _one_d(case, film=film_1d, grown=grown) if layered else None
    p = ParticleProblem(case, build(case, comm))
    film = SEIFilm(p, Quantities(p), "solvent-diffusion", params) if growth else None
    err, t = 0.0, 0.0
    for k in range(LITHIATE + HOLD):
        comm.barrier()
        t0 = time.perf_counter()
        lost = film.grow(DT) if film is not None else 0.0
        p.advance(DT, RATE if k < LITHIATE else 0.0, order=1, sink=lost / DT)
        t += time.perf_counter() - t0
        if layered:
            s = p.layered.layer_scalars()
            pairs = [(f"{name}_stress", ref[k][i]) for i, name in enumerate(p.layered.names)]
            pairs += [("grown_stress", grown[k])] if growth else []
            for col, r in pairs:
                for end in ("max", "min"):
                    err = max(err, abs(s[f"{col}_{end}_MPa"] * 1e6 - r) / abs(r))
    cells = comm.allreduce(len(p.layered.cells), op=MPI.SUM) if layered else 0
    dofs = p.W.dofmap.index_map.size_global * 3
    p.destroy()
    return err, cells, dofs, t / (LITHIATE + HOLD)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mesh-sizes", type=float, nargs="+", default=[0.5, 0.35, 0.25])
    ap.add_argument("--growth", action="store_true", help="the SEI grows (the grown part's stress compared too)")
    args = ap.parse_args()
    comm = MPI.COMM_WORLD
    rows = []
    for h in args.mesh_sizes:
        err, cells, dofs, t_layer = run(h, comm, True, args.growth)
        _, _, _, t_elastic = run(h, comm, False, args.growth)
        rows.append((h, dofs, cells, err, t_layer, t_elastic))
    if comm.rank == 0:
        print(f"ranks {comm.size}")
        print(f"{'mesh um':>8} {'u DOFs':>8} {'SEI cells':>9} {'3D vs 1D':>9} {'s/step layers':>13} {'s/step elastic':>14}")
        for h, dofs, cells, err, tl, te in rows:
            print(f"{h:8.3g} {dofs:8d} {cells:9d} {err:9.2e} {tl:13.3f} {te:14.3f}")


if __name__ == "__main__":
    main()

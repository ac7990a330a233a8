"""The 1D twin with J2 plasticity at finite strain against the 3D octant under refinement of the
3D mesh (docs/verification.md#finite-strain-plasticity-in-the-1d-twin): a 1 um Si core in a
200 nm coating (100 GPa, 0.25) yielding at 300 MPa, with a 20 nm SEI, swollen uniformly by
J_ch = 1.3 in 4 increments; for each 3D mesh (mesh size, surface size, elements through the
coating) the largest difference of every history extreme (fraction of the region's stress
scale), elastic (the 3D mesh error) and plastic, with the wall times.

    mpirun -n 2 .venv/bin/python bench/bench_twin_finite_plastic.py            # 0.35, 0.25, 0.18 um
    mpirun -n 2 .venv/bin/python bench/bench_twin_finite_plastic.py 0.35,0.2,4 # one mesh
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from mpi4py import MPI

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "verification"))
from test_radial_finite_plastic import _differences, _swell, make_case  # noqa: E402

MESHES = ("0.35,0.2,4", "0.25,0.14,6", "0.18,0.1,8")


def main(meshes) -> None:
    comm = MPI.COMM_WORLD
    coat = {"material": "carbon", "thickness": "200 nm", "youngs_modulus": "100 GPa", "poisson_ratio": 0.25,
            "yield_stress": "300 MPa"}
    for spec in meshes:
        ms, sms, lc = spec.split(",")
        geo = {"mesh_size": f"{ms} um", "surface_mesh_size": f"{sms} um", "layer_cells": int(lc)}
        for plastic in (False, True):
            case = make_case(coating=coat, geometry=geo, physics={"mechanics": "finite-strain", "plasticity": plastic},
                             sei={"material": "sei-carbonate", "thickness": "20 nm"})
            t0 = time.perf_counter()
            r1 = _swell(case, comm, 1.3, 4, "1d")
            t1 = time.perf_counter()
            r3 = _swell(case, comm, 1.3, 4, "3d")
            t3 = time.perf_counter()
            e = _differences(r1, r3, plastic)
            worst = max(e, key=lambda k: abs(e[k]))
            if comm.rank == 0:
                print(f"mesh {ms} um / {sms} um / {lc} cells, plasticity {plastic}: largest {worst} {e[worst]:+.2e}; "
                      f"1D {t1 - t0:.1f} s, 3D {t3 - t1:.1f} s wall", flush=True)
                print("    " + ", ".join(f"{k} {v:+.2e}" for k, v in e.items()), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:] or MESHES)

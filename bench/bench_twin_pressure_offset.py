"""The hydrostatic offset of the 2D twin's stresses in a coating that flows through its whole
thickness (docs/verification.md#plasticity-in-the-2d-twin): 1 um Si (yield 1 GPa) in 200 nm
carbon (100 GPa, 0.25) yielding at 300 MPa with a 20 nm SEI membrane, swollen uniformly to
theta = 0.3 then 1C for 60 s; the coating's extremes of the 2D twin (mesh h, h/2 at the surfaces)
against the 1D twin (64 + 8 cells), as fractions of the coating's stress scale, at each mesh.

    mpirun -n 2 .venv/bin/python bench/bench_twin_pressure_offset.py small 6,12    # small strain, R/6, R/12
    .venv/bin/python bench/bench_twin_pressure_offset.py finite 12,24
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from mpi4py import MPI

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from helpers import EXTREMES, make_case  # noqa: E402
from seifem.reduced.axisym import AxisymProblem  # noqa: E402
from seifem.reduced.radial import RadialProblem, design_from_case  # noqa: E402


def rows(design, comm, h: float) -> tuple[dict, dict]:
    out = []
    for p in (RadialProblem(design, MPI.COMM_SELF), AxisymProblem(design, comm, mesh_size=h, surface_mesh_size=h / 2)):
        p.equilibrate(0.3)
        for _ in range(6):
            p.advance(10.0, 1.0)
        out.append(p.scalars())
        p.destroy()
    return out[0], out[1]


def main(mechanics: str, divisions: list[int]) -> None:
    comm = MPI.COMM_WORLD
    coat = {"material": "carbon", "thickness": "200 nm", "youngs_modulus": "100 GPa", "poisson_ratio": 0.25,
            "yield_stress": "300 MPa"}
    case = make_case(coating=coat, sei={"material": "sei-carbonate", "thickness": "20 nm"}, geometry={"model": "2d"},
                     physics={"plasticity": True, "mechanics": mechanics + "-strain"})
    design = design_from_case(case)
    for n in divisions:
        t0 = time.perf_counter()
        r1, r2 = rows(design, comm, 1 / n)
        scale = max(abs(r1[f"coating_{k}_MPa"]) for k in EXTREMES)
        e = {k: (r2[f"coating_{k}_MPa"] - r1[f"coating_{k}_MPa"]) / scale for k in EXTREMES}
        ec = {k: (r2[f"core_{k}_MPa"] - r1[f"core_{k}_MPa"]) / max(abs(r1[f"core_{j}_MPa"]) for j in EXTREMES)
              for k in EXTREMES}
        if comm.rank == 0:
            print(f"{mechanics} strain, h = R/{n}: yielded coating {r2['coating_plastic_fraction']:.4f} vs "
                  f"{r1['coating_plastic_fraction']:.4f}; coating sr_min {r2['coating_sr_min_MPa']:.1f} vs "
                  f"{r1['coating_sr_min_MPa']:.1f} MPa; worst coating {max(abs(v) for v in e.values()):.2e}, "
                  f"core {max(abs(v) for v in ec.values()):.2e}; {time.perf_counter() - t0:.1f} s wall", flush=True)
            print("    coating " + ", ".join(f"{k} {v:+.2e}" for k, v in e.items()), flush=True)
            print("    core    " + ", ".join(f"{k} {v:+.2e}" for k, v in ec.items()), flush=True)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "small", [int(s) for s in (sys.argv[2] if len(sys.argv) > 2 else "6,12").split(",")])

"""Driver shared by `test_fracture_critical_radius.py` and `bench/bench_critical_radius.py`: a Si
cross-section (2d-plane, axial "free", P2) with one seeded surface flaw of fixed depth, refined
around it (`fracture.notch_mesh_size`), delithiated at a C-rate from a stress-free start through
the model's own galvanostatic diffusion; reports whether and when the flaw ran.

The flaw "ran" when the deepest point of the cracked set (d > 0.95, the history's
`crack_depth_um`) lies deeper than (1 + FLAW_RUN) times the seeded flaw's depth at the start,
as the sweep's `cracked` metric decides (`results.metrics.FLAW_RUN`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from helpers import make_case
from seifem.analytic.fracture import effective_toughness, flaw_critical_radius
from seifem.results.metrics import FLAW_RUN

SI = {"E": 80e9, "nu": 0.22, "beta": 9.03e-6 * 310970.0, "D": 1e-15, "Gc": 8.5}
"""The library's Si (`materials`): Young's modulus, Poisson ratio, Omega c_max, D of the case, G_c."""


@dataclass(frozen=True)
class Flaw:
    """Flaw depth a, length scale l, element size at the flaw, surface element size (nm)."""

    a: float = 40.0
    l: float = 5.0
    hf: float = 2.5
    hs: float = 50.0


def closed_form(flaw: Flaw, c_rate: float) -> float:
    """Zhao's critical radius (um) with the band's toughness G_eff = G_c (1 + 3 h_f / (8 l)), at
    c_rate (1/h)."""
    g = effective_toughness(SI["Gc"], flaw.hf, flaw.l)
    return 1e6 * flaw_critical_radius(g, SI["E"], SI["nu"], SI["beta"], SI["D"], c_rate / 3600.0, flaw.a * 1e-9)


def run_design(comm, radius_um: float, c_rate: float = 1.0, flaw: Flaw = Flaw(), duration: float = 360.0,
               dt: float = 60.0, degree: int = 2, on_step=None, stop: bool = True) -> dict:
    """Delithiate the flawed section at `c_rate` (1/h) for `duration` s in steps of dt (`stop`:
    until the flaw ran); returns
    the first row, the last row, crack depths (um) per step, the time the flaw ran (s, None if
    it did not), displacement dofs and wall time."""
    from seifem.problem.plane import PlaneProblem
    from seifem.reduced.design import design_from_case

    case = make_case(particle={"material": "Si", "radius": f"{radius_um} um", "diffusivity": "1e-15 m^2/s",
                               "initial_soc": 0.9},
                     geometry={"model": "2d-plane", "mesh_size": "0.2 um", "surface_mesh_size": f"{flaw.hs} nm",
                               "refine_depth": "0.3 um"},
                     fracture={"length_scale": f"{flaw.l} nm", "notch_depth": f"{flaw.a} nm", "notches": 1,
                               "notch_mesh_size": f"{flaw.hf} nm", "tolerance": 1e-3, "max_iterations": 400},
                     solver={"dt": f"{dt} s", "degree": degree, "max_cells": 10**6})
    t0 = time.perf_counter()
    p = PlaneProblem(design_from_case(case), comm, mesh_size=0.2, surface_mesh_size=flaw.hs / 1000,
                     refine_depth=0.3, order=degree, fracture=case.fracture,
                     fracture_energy={"core": case.particle.material.si("fracture_energy")})
    try:
        first = p.scalars()
        depths, ran, row = [first["crack_depth_um"]], None, first
        while p.t < duration - 1e-9:
            p.advance(min(dt, duration - p.t), -c_rate)
            row = p.scalars()
            depths.append(row["crack_depth_um"])
            if on_step is not None:
                on_step(p, row, depths[-1])
            if ran is None and depths[-1] > (1 + FLAW_RUN) * depths[0]:
                ran = p.t
                if stop:
                    break
        dofs = p.W.dofmap.index_map.size_global * 2
        return {"first": first, "last": row, "depths": depths, "ran": ran, "dofs": dofs,
                "wall": time.perf_counter() - t0}
    finally:
        p.destroy()

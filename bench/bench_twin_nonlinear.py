"""Cost of the 1D twin's nonlinear mechanics (docs/physics.md): CPU time per step of a coated
Si sphere (1 um, 200 nm carbon, 1C, dt 1 s, 60 steps) with elastic small strain, J2 plasticity
(coating yields at 300 MPa, core at 1 GPa), elastic finite strain and both together (no SEI in
any), at the default
grid (64 core, 8 coating cells, P2); then the crystalline-Si front with a yielding shell
(cases/si_crystalline_front.toml, 128 cells, 500 steps): ms per step (CPU, the figure on a
loaded machine) and Newton iterations per step.

    PYTHONPATH=src .venv/bin/python bench/bench_twin_nonlinear.py
"""

from __future__ import annotations

import time
from pathlib import Path

from mpi4py import MPI

from seifem.case import load_case
from seifem.reduced.radial import RadialDesign, RadialLayer, RadialProblem, design_from_case

CORE = dict(radius=1e-6, youngs_modulus=80e9, poisson_ratio=0.22, diffusivity=1e-14, max_concentration=310970.0,
            partial_molar_volume=9.03e-6)
CASE = Path(__file__).resolve().parents[1] / "cases" / "si_crystalline_front.toml"


def per_step(p: RadialProblem, steps: int, dt: float) -> tuple[float, float]:
    """(CPU ms per step, Newton iterations per step) over `steps` steps at 1C (one warm-up step)."""
    p.advance(dt, 1.0)
    it0 = p.mechanics.newton.iterations if p.mechanics is not None else 0
    c0 = time.process_time()
    for _ in range(steps):
        p.advance(dt, 1.0)
    cpu = (time.process_time() - c0) / steps * 1e3
    its = ((p.mechanics.newton.iterations - it0) / steps) if p.mechanics is not None else 0.0
    p.destroy()
    return cpu, its


def main() -> None:
    designs = {
        "elastic": dict(coatings=(RadialLayer(200e-9, 100e9, 0.25),)),
        "plastic": dict(coatings=(RadialLayer(200e-9, 100e9, 0.25, yield_stress=300e6),), yield_stress=1e9),
        "finite strain": dict(coatings=(RadialLayer(200e-9, 100e9, 0.25),), finite_strain=True),
        "finite plastic": dict(coatings=(RadialLayer(200e-9, 100e9, 0.25, yield_stress=300e6),), yield_stress=1e9,
                               finite_strain=True),
    }
    print(f"{'model':>14} {'ms/step (CPU)':>14} {'Newton/step':>12}")
    for name, kw in designs.items():
        cpu, its = per_step(RadialProblem(RadialDesign(**CORE, **kw), MPI.COMM_SELF), 60, 1.0)
        print(f"{name:>14} {cpu:14.2f} {its:12.2f}")
    case = load_case(CASE)
    cpu, its = per_step(RadialProblem(design_from_case(case), MPI.COMM_SELF), 500, 4.0)
    print(f"{'c-Si front':>14} {cpu:14.2f} {its:12.2f}   ({CASE.name}, plastic + D(theta) Newton)")


if __name__ == "__main__":
    main()

"""Cost of the 2D axisymmetric twin's nonlinear mechanics (docs/physics.md): CPU time per step
of a coated Si sphere (1 um, 200 nm carbon, 20 nm SEI membrane, 1C, dt 1 s, 30 steps) with
elastic small strain, J2 plasticity (coating yields at 300 MPa, core at 1 GPa), elastic
finite strain and both together (the finite-strain return map), at the twin's default mesh
(R/6, R/12 at the surfaces, P2) and at R/12; then plastic cycle-life runs of the 2D twin (the
cut-off study's 1.5 um Si at 2C, core flowing at 300 MPa, mesh 0.5 um) at small and at finite
strain: wall time per cycle. Prints ms per step (CPU, the figure on a loaded machine), Newton
iterations per step and the dofs.

    PYTHONPATH=src .venv/bin/python bench/bench_axisym_nonlinear.py [cycles] [--only-cycles]
    PYTHONPATH=src mpirun -n 2 .venv/bin/python bench/bench_axisym_nonlinear.py [cycles]
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from pathlib import Path

from mpi4py import MPI

from seifem.case import load_case
from seifem.reduced.axisym import AxisymProblem
from seifem.reduced.radial import RadialDesign, RadialLayer
from seifem.simulation.cycle_life import CycleLife, run_cycle_life

CORE = {"radius": 1e-6, "youngs_modulus": 80e9, "poisson_ratio": 0.22, "diffusivity": 1e-14,
        "max_concentration": 310970.0, "partial_molar_volume": 9.03e-6}
CASE = Path(__file__).resolve().parents[1] / "cases" / "si_cutoff_voltage_study.toml"


def per_step(p: AxisymProblem, steps: int, dt: float) -> tuple[float, float]:
    """(CPU ms per step, Newton iterations per step) over `steps` steps at 1C (one warm-up step)."""
    p.advance(dt, 1.0)
    model = p.plastic or p.finite
    it0 = model.newton.iterations if model is not None else 0
    c0 = time.process_time()
    for _ in range(steps):
        p.advance(dt, 1.0)
    cpu = (time.process_time() - c0) / steps * 1e3
    its = (model.newton.iterations - it0) / steps if model is not None else 0.0
    return cpu, its


def main() -> None:
    comm = MPI.COMM_WORLD
    coat, sei = RadialLayer(200e-9, 100e9, 0.25), RadialLayer(20e-9, 50e9, 0.3)
    designs = {"elastic": RadialDesign(**CORE, coatings=(coat,), sei=sei),
               "plastic": RadialDesign(**CORE, yield_stress=1e9, coatings=(replace(coat, yield_stress=300e6),), sei=sei),
               "finite": RadialDesign(**CORE, coatings=(coat,), sei=sei, finite_strain=True),
               "f+p": RadialDesign(**CORE, yield_stress=1e9, coatings=(replace(coat, yield_stress=300e6),), sei=sei,
                                   finite_strain=True)}
    for h in () if "--only-cycles" in sys.argv else (1 / 6, 1 / 12):
        for name, d in designs.items():
            p = AxisymProblem(d, comm, mesh_size=h, surface_mesh_size=h / 2)
            cpu, its = per_step(p, 30, 1.0)
            if comm.rank == 0:
                print(f"h = R/{round(1 / h)} {name:8s} {p.dofs['displacement']:6d} u dofs: {cpu:7.2f} ms/step (CPU), "
                      f"{its:.2f} Newton its/step")
            p.destroy()
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    cycles = int(args[0]) if args else 5
    for label, mechanics in (("plastic", "small-strain"), ("finite + plastic", "finite-strain")):
        case = load_case(CASE, ['protocol.steps.0.c_rate="2C"', 'protocol.steps.1.c_rate="2C"', 'solver.dt="30 s"',
                                'particle.expansion="linear"', "physics.plasticity=true",
                                'particle.yield_stress="300 MPa"', f'physics.mechanics="{mechanics}"'])
        case = replace(case, geometry=replace(case.geometry, model="2d", mesh_size=0.5e-6, surface_mesh_size=0.25e-6))
        spec = replace(CycleLife.of(case), cycles=cycles, jump=0, model="2d")
        t0 = time.perf_counter()
        res = run_cycle_life(case, spec, comm=comm)
        wall = time.perf_counter() - t0
        if comm.rank == 0:
            print(f"{label} 2D cycle life: {cycles} cycles in {wall:.1f} s wall ({wall / cycles:.2f} s per cycle, "
                  f"{res.steps} steps); retention {res.rows[-1]['capacity_retention']:.6f}, "
                  f"lithium balance {max(abs(r['conservation_error']) for r in res.rows):.1e}")


if __name__ == "__main__":
    main()

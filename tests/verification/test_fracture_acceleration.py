"""The accelerated staggered loop (`seifem.problem.fracture`, Anderson on the damage iterate)
converges to the same crack as the plain alternate minimisation, serial and on 2 ranks.

A coarse version of cases/si_crack_2d.toml (2d-plane, plane strain, a 1 um Si section with four
0.2 um flaws, l = 0.1 um, 40 nm surface elements) delithiated at 1C in 10 s steps while its
cracks grow: the loop at the case's tolerance 1e-3 with and without acceleration is compared
with the accelerated loop at 1e-6 (the reference: the fixed point of every step). The plain
loop creeps (contraction ~0.98 per iteration once a crack grows), so its stopping error is
~tol / (1 - rate), well above tol; the accelerated loop stops nearer the fixed point in fewer
iterations (on this coarse mesh the plain loop creeps little: 1.3x; 2.6x on the shipped case)."""

from __future__ import annotations

import numpy as np
import pytest
from mpi4py import MPI

from helpers import make_case

COMM = MPI.COMM_WORLD
STEPS = 4


def _run(depth: int, tol: float) -> tuple[np.ndarray, int]:
    from seifem.problem.plane import PlaneProblem
    from seifem.reduced.design import design_from_case

    case = make_case(particle={"material": "Si", "radius": "1 um", "diffusivity": "1e-15 m^2/s", "initial_soc": 0.8},
                     geometry={"model": "2d-plane", "axial": "fixed", "mesh_size": "0.25 um",
                               "surface_mesh_size": "40 nm", "refine_depth": "0.35 um"},
                     fracture={"length_scale": "100 nm", "notch_depth": "200 nm", "notches": 4, "tolerance": tol,
                               "max_iterations": 2000},
                     solver={"dt": "10 s", "degree": 1})
    p = PlaneProblem(design_from_case(case), COMM, mesh_size=0.25, surface_mesh_size=0.04, refine_depth=0.35,
                     order=1, fracture=case.fracture, axial="fixed",
                     fracture_energy={"core": case.particle.material.si("fracture_energy")})
    pf = p.fracture
    if depth == 0:
        pf.anderson = None
    history = []
    for _ in range(STEPS):
        p.advance(10.0, -1.0)
        history.append(pf.d.x.array[: pf.d.function_space.dofmap.index_map.size_local].copy())
    its = pf.stats["staggered_iterations"]
    p.destroy()
    return np.array(history), its


@pytest.mark.slow
def test_accelerated_loop_converges_to_the_plain_loops_crack():
    ref, _ = _run(5, 1e-6)
    plain, its_plain = _run(0, 1e-3)
    fast, its_fast = _run(5, 1e-3)
    err = {k: COMM.allreduce(float(np.max(np.abs(v - ref))), op=MPI.MAX) for k, v in (("plain", plain), ("fast", fast))}
    # measured (serial and 2 ranks): largest damage difference from the reference over the 4 steps,
    # plain 3.0e-3 (1.5e-3 before each u-solve stopped at a tenth of the loop's u-tolerance),
    # accelerated 1.6e-3: the loop stops on max |delta d| < 1e-3, and a loop contracting at rate
    # rho leaves ~rho / (1 - rho) of that behind (3x at rho = 0.75); staggered iterations 40 plain,
    # 31 accelerated (52 for the reference at 1e-6)
    assert err["plain"] < 6e-3 and err["fast"] < 6e-3, err
    assert its_fast < its_plain, (its_fast, its_plain)

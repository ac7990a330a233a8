"""The energy balance of a particle that cracks and flows (small strain, J2 plasticity with
fracture, `problem.fracture_work` and `problem.fracture_plastic`): elastic + crack energy +
plastic dissipation = the work of the chemical load, to the trapezoidal rule's step error.

The octant of the 1 um Si particle (P1 on the coarse mesh 0.5 um, 0.25 um at the surface),
theta0 = 0.5, l = 0.5 um, G_c = 8.5 J/m^2, yield stress 1 GPa, staggered tolerance 1e-6: the
fast-delithiation profile theta = 0.5 - A r^2 / R^2, A from 0 to 0.03 in N equal steps. The
surface damages from A ~ 0.018; where the damage has lowered the flow stress g(d) sigma_Y it
flows from A ~ 0.027; at the end d_max 0.34, eps_p max 3.8e-3, crack energy 37 % and plastic
dissipation 9 % of the work.

Measured (serial, machine loaded): balance (E + C + D) / W - 1 = +4.8e-3, +1.04e-3, +2.8e-4 at
N = 15, 30, 60 (ratios 4.7, 3.7: second order). With the backward-Euler dissipation (the end
of step stress, as the solver-level tests use) it was -4.9e-3, -4.2e-3, -2.4e-3: first order,
since the damage lowers the flow stress within a step; the particle now passes its last accepted
state to `PlasticRegions.commit` (trapezoidal rule). Before the damage and the flow the balance
is exact to round-off (the small-strain work rate p beta dtheta/dt is linear in A, and so the
rule is exact): at most 3.6e-12.
"""

from __future__ import annotations

import numpy as np
import pytest
from mpi4py import MPI

from helpers import make_case

A_END = 0.03


def _balance(comm, steps: int) -> dict:
    from seifem.geometry import build
    from seifem.problem.particle import ParticleProblem

    case = make_case(particle={"initial_soc": 0.5, "fracture_energy": "8.5 J/m^2", "yield_stress": "1 GPa"},
                     geometry={"mesh_size": "0.5 um", "surface_mesh_size": "0.25 um"},
                     physics={"plasticity": True}, fracture={"length_scale": "0.5 um", "tolerance": 1e-6})
    p = ParticleProblem(case, build(case, comm))
    F, S = p.fracture, p.fracture.solver
    try:
        r2 = (p.V.tabulate_dof_coordinates() ** 2).sum(axis=1)
        d_prev, drop, sound = S.d.x.array.copy(), 0.0, 0.0
        for A in np.linspace(0.0, A_END, steps + 1)[1:]:
            p.theta.x.array[:] = 0.5 - A * r2
            p.solve_mechanics()
            drop = min(drop, comm.allreduce(float(np.min(S.d.x.array - d_prev, initial=0.0)), op=MPI.MIN))
            d_prev = S.d.x.array.copy()
            if A < 0.015:  # no damage, no flow yet
                sound = max(sound, abs(S.elastic_energy() / F.work.work - 1))
        return {"elastic": S.elastic_energy(), "crack": S.crack_energy(), "plastic": S.plastic_dissipation(),
                "work": F.work.work, "drop": drop, "sound": sound, "eps_p": S.plastic.max_plastic_strain(),
                "d_max": comm.allreduce(float(S.d.x.array.max()), op=MPI.MAX)}
    finally:
        p.destroy()


@pytest.mark.slow  # ~14 s serial on a loaded machine (two load paths of 30 and 60 steps)
def test_cracking_and_flowing_particle_energy_balance(comm):
    """E + C + D = W: +1.04e-3 at 30 steps (tolerance 3e-3), +2.8e-4 at 60 (tolerance 7e-4),
    ratio 3.7 (asserted 3 ... 5.5); exact before damage and flow (measured <= 3.6e-12,
    tolerance 1e-10); crack energy and dissipation both a real share of the work; damage never
    decreases."""
    coarse, fine = _balance(comm, 30), _balance(comm, 60)
    err = {n: (r["elastic"] + r["crack"] + r["plastic"]) / r["work"] - 1 for n, r in ((30, coarse), (60, fine))}
    if comm.rank == 0:
        print(f"balance 30 steps {err[30]:+.3e}, 60 steps {err[60]:+.3e}, ratio {err[30] / err[60]:.2f}; "
              f"crack {fine['crack'] / fine['work']:.3f}, plastic {fine['plastic'] / fine['work']:.3f} of the work; "
              f"d_max {fine['d_max']:.3f}, eps_p {fine['eps_p']:.2e}, sound {coarse['sound']:.1e}")
    assert abs(err[30]) < 3e-3  # measured +1.04e-3
    assert abs(err[60]) < 7e-4  # measured +2.8e-4
    assert 3.0 < err[30] / err[60] < 5.5  # measured 3.7
    for r in (coarse, fine):
        assert r["sound"] < 1e-10  # measured 3.6e-12
        assert r["drop"] >= -1e-12  # measured 0
        assert r["crack"] > 0.2 * r["work"] and r["plastic"] > 0.05 * r["work"]  # measured 0.37, 0.09
        assert r["d_max"] > 0.3 and r["eps_p"] > 1e-3  # measured 0.34, 3.8e-3

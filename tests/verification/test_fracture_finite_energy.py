"""The energy balance of a cracking particle at finite strain (`problem.fracture_work`):
elastic + crack energy = the work of the chemical load, to the trapezoidal rule's step error.

The octant of the 1 um Si particle at theta0 = 0.5 (J_ch = 2.4), coarse curved P2 mesh (0.5 um,
0.25 um at the surface), l = 0.5 um, G_c = 8.5 J/m^2, residual stiffness k = 1e-3 (the
finite-strain advice of docs/fracture.md), staggered tolerance 1e-6: the fast-delithiation
profile theta = 0.5 - A r^2 / R^2 (the emptied surface shrinks onto the full centre: hoop
tension) with A raised from 0 to 0.026 in N equal steps. Damage starts at the surface at
A ~ 0.017 and grows to d_max 0.168 at the end (crack energy 18 % of the work). The work
int int dW/dtheta dtheta dV, W = J_ch (g psi+ + psi-)(F_e), is summed by the trapezoidal rule
over the accepted states by `ParticleFracture` in every run.

Measured (serial, machine loaded): balance (E + C) / work - 1 = +6.9e-3, +1.11e-3, +3.04e-4,
+7.7e-5 at N = 8, 16, 32, 64 (ratios 6.2, 3.7, 4.0: second order once the damage's growth is
resolved). Through the faster growth to A = 0.03 (d_max 0.55, crack energy 65 % of the work):
+8.1e-4, +2.3e-4, +3.0e-5 at N = 30, 60, 120.
"""

from __future__ import annotations

import numpy as np
import pytest
from mpi4py import MPI

from helpers import make_case

A_END = 0.026


def _particle(comm):
    from seifem.geometry import build
    from seifem.problem.particle import ParticleProblem

    case = make_case(particle={"initial_soc": 0.5, "fracture_energy": "8.5 J/m^2"},
                     geometry={"mesh_size": "0.5 um", "surface_mesh_size": "0.25 um"},
                     physics={"mechanics": "finite-strain"},
                     fracture={"length_scale": "0.5 um", "residual_stiffness": 1e-3, "tolerance": 1e-6})
    return ParticleProblem(case, build(case, comm))


def _balance(comm, steps: int) -> dict:
    """Raise A from 0 to A_END in `steps` steps; the last state's energies, the work, the
    largest decrease of any dof's damage over the steps and the history of damage_max."""
    p = _particle(comm)
    F, S = p.fracture, p.fracture.solver
    try:
        r2 = (p.V.tabulate_dof_coordinates() ** 2).sum(axis=1)
        d_prev, drop, history = S.d.x.array.copy(), 0.0, []
        for A in np.linspace(0.0, A_END, steps + 1)[1:]:
            p.theta.x.array[:] = 0.5 - A * r2
            p.solve_mechanics()
            drop = min(drop, comm.allreduce(float(np.min(S.d.x.array - d_prev, initial=0.0)), op=MPI.MIN))
            d_prev = S.d.x.array.copy()
            history.append(F.scalars()["damage_max"])
        return {"elastic": S.elastic_energy(), "crack": S.crack_energy(), "work": F.work.work, "drop": drop,
                "history": np.array(history)}
    finally:
        p.destroy()


@pytest.mark.slow  # ~19 s serial, 38 s on 2 ranks, loaded machine (two load paths of 16 and 32 steps)
def test_cracking_particle_energy_balance_at_finite_strain(comm):
    """E + C = work: +1.11e-3 at 16 steps (tolerance 3e-3), +3.04e-4 at 32 (tolerance 8e-4);
    the error falls by 3.7 when the step is halved (asserted 3 ... 5.5: the trapezoidal rule's
    4); the same final state on both paths (damage_max 0.168, path independent here to 1e-6);
    damage never decreases (no dof's d, and the history's damage_max is non-decreasing); the
    crack energy is a real share of the work (0.177; asserted > 0.1)."""
    coarse, fine = _balance(comm, 16), _balance(comm, 32)
    err = {n: (r["elastic"] + r["crack"]) / r["work"] - 1 for n, r in ((16, coarse), (32, fine))}
    if comm.rank == 0:
        print(f"balance 16 steps {err[16]:+.3e}, 32 steps {err[32]:+.3e}, ratio {err[16] / err[32]:.2f}, "
              f"crack / work {fine['crack'] / fine['work']:.3f}, damage_max {fine['history'][-1]:.4f}")
    assert abs(err[16]) < 3e-3  # measured +1.11e-3
    assert abs(err[32]) < 8e-4  # measured +3.04e-4
    assert 3.0 < err[16] / err[32] < 5.5  # measured 3.66
    for r in (coarse, fine):
        assert r["drop"] >= -1e-12  # measured 0 exactly
        assert np.all(np.diff(r["history"]) >= -1e-12)
        assert r["history"][-1] > 0.1  # measured 0.168
        assert r["crack"] > 0.1 * r["work"]  # measured 0.177
    assert fine["history"][-1] == pytest.approx(coarse["history"][-1], abs=1e-4)


def test_chemical_work_follows_snapshots(comm):
    """A step taken, undone by `restore` (a failed or cut-off step) and taken again counts its
    work once: the work and its last accepted state are part of the time state. Measured: the
    retaken step's work equals the first one's to 0 serially, 1.6e-15 on 2 ranks; the history's
    chemical_work_J, elastic_energy_J are the solver's values in J."""
    from seifem.units import SCALES

    p = _particle(comm)
    F = p.fracture
    try:
        r2 = (p.V.tabulate_dof_coordinates() ** 2).sum(axis=1)
        p.theta.x.array[:] = 0.5 - 0.01 * r2
        p.solve_mechanics()
        snap, before = p.snapshot(), F.work.work
        p.theta.x.array[:] = 0.5 - 0.02 * r2
        p.solve_mechanics()
        once = F.work.work
        p.restore(snap)
        assert F.work.work == before and p.time_state()["chemical_work"] == before
        p.theta.x.array[:] = 0.5 - 0.02 * r2
        p.solve_mechanics()
        # measured: 0 serially, 1.6e-15 on 2 ranks (MUMPS's parallel factorisation is not bit for bit)
        assert F.work.work == pytest.approx(once, rel=1e-9) and once > 3 * before > 0
        to_J = p.geo.symmetry_factor * SCALES.stress * SCALES.length**3
        row = F.scalars()
        assert row["chemical_work_J"] == pytest.approx(once * to_J, rel=1e-14)
        assert row["elastic_energy_J"] == pytest.approx(F.solver.elastic_energy() * to_J, rel=1e-14)
    finally:
        p.destroy()

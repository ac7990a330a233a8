"""The energy balance of a cracking cross-section in the 2d-plane model (generalized plane strain,
`problem.plane_mechanics`, `problem.fracture_work`): elastic + crack energy = the work of the
chemical load, to the trapezoidal rule's step error; the axial strain e_zz (axial "free": the
axial force vanishes, so it does no work) is part of the last accepted state.

A 1 um Si cross-section (P1, 0.25 um, 0.1 um at the surface), theta0 = 0.5, AT1, l = 0.5 um,
G_c = 8.5 J/m^2, staggered tolerance 1e-6, under theta = 0.5 - A r^2 / R^2, A from 0 to 0.024
in N steps: the surface damages from A ~ 0.013 to d_max 0.224 (crack energy 22 % of the work),
e_zz -1.0e-2. Measured (serial, loaded machine): (E + C) / W - 1 = +1.12e-2, +2.93e-3, +7.85e-4,
+1.90e-4 at N = 6, 12, 24, 48 (ratios 3.8, 3.7, 4.1); before the damage <= 7.3e-14.
"""

from __future__ import annotations

import numpy as np
import pytest

from helpers import make_case, radial_load_path

A_END = 0.024


def _problem(comm):
    from seifem.problem.plane import PlaneProblem
    from seifem.reduced.design import design_from_case

    case = make_case(particle={"initial_soc": 0.5, "fracture_energy": "8.5 J/m^2"},
                     geometry={"model": "2d-plane", "mesh_size": "0.25 um", "surface_mesh_size": "0.1 um"},
                     fracture={"length_scale": "0.5 um", "tolerance": 1e-6})
    return PlaneProblem(design_from_case(case), comm, mesh_size=0.25, surface_mesh_size=0.1, order=1,
                        fracture=case.fracture, axial="free",
                        fracture_energy={"core": case.particle.material.si("fracture_energy")})


@pytest.mark.slow  # ~7 s serial on a loaded machine
def test_plane_cracking_section_energy_balance(comm):
    """E + C = W: +2.93e-3 at 12 steps (tolerance 7e-3), +7.85e-4 at 24 (tolerance 2e-3), ratio
    3.7 (asserted 3 ... 5.5); exact before the damage (measured <= 7.3e-14, tolerance 1e-11); d
    never decreases; the history columns give the same balance; a step undone by `restore`
    (e_zz with it) and retaken counts once."""
    err = {}
    for n in (12, 24):
        p = _problem(comm)
        try:
            sound, drop = radial_load_path(comm, p, p.fracture, p.fracture_work, np.linspace(0.0, A_END, n + 1)[1:])
            S = p.fracture
            E, C, W = S.elastic_energy(), S.crack_energy(), p.fracture_work.work
            err[n] = (E + C) / W - 1
            row = p.scalars()
            assert (row["elastic_energy_J"] + row["crack_energy_J"]) / row["chemical_work_J"] - 1 == pytest.approx(
                err[n], abs=1e-12)
            assert sound < 1e-11  # measured <= 7.3e-14
            assert drop >= -1e-12  # measured 0
            assert C > 0.1 * W and row["damage_max"] > 0.1  # measured 0.22, 0.224
            if n == 24:  # undo a step and take it again
                snap = p.snapshot()
                radial_load_path(comm, p, p.fracture, p.fracture_work, [A_END * 1.01])
                once, ezz = p.fracture_work.work, float(p.ezz.value)
                p.restore(snap)
                assert p.fracture_work.work == W
                radial_load_path(comm, p, p.fracture, p.fracture_work, [A_END * 1.01])
                assert p.fracture_work.work == pytest.approx(once, rel=1e-12)
                assert float(p.ezz.value) == pytest.approx(ezz, rel=1e-9)
        finally:
            p.destroy()
    if comm.rank == 0:
        print(f"plane balance 12 steps {err[12]:+.3e}, 24 steps {err[24]:+.3e}, ratio {err[12] / err[24]:.2f}")
    assert abs(err[12]) < 7e-3  # measured +2.93e-3
    assert abs(err[24]) < 2e-3  # measured +7.85e-4
    assert 3.0 < err[12] / err[24] < 5.5  # measured 3.74

"""Yolk-shell particle: frictionless penalty contact of a swelling Si yolk with its carbon
shell across a void (`seifem.problem.contact`), against the closed form of a core with a uniform
eigenstrain meeting a concentric Lame shell across a gap (`analytic.yolk_shell_contact_pressure`:
u_core(a) - u_shell(b) = gap, one force across the void), and in a galvanostatic run (the shell carries load only once
the gap has closed, and never interpenetrates)."""

from __future__ import annotations

import numpy as np
import pytest
import ufl
from dolfinx import fem

from helpers import make_case
from seifem import analytic as an
from seifem.geometry import build
from seifem.physics import mechanics as mech
from seifem.problem.particle import ParticleProblem
from seifem.problem.quantities import Quantities

A, GAP, T = 1e-6, 20e-9, 100e-9  # yolk radius, void width, shell thickness (m)
SHELL = {"material": "carbon", "thickness": "100 nm", "gap": "20 nm"}


def _mean(p, expr, measure) -> float:
    return p.integrate(expr * measure) / p.integrate(fem.Constant(p.geo.mesh, 1.0) * measure)


@pytest.mark.slow
def test_contact_against_lame(comm):
    """Uniform yolk eigenstrain e* = beta theta / 3. Before a e* reaches the gap the shell is
    stress-free (exactly: no contact term is active) and the gap is g0 - a e*; after it, the
    contact pressure, the shell hoop stress at its inner and outer radius and the yolk pressure
    are the closed form's within 1 % (measured 0.02 % for the pressures, 0.2 % for the hoop
    stresses on this mesh: h = a/10 at the surfaces, P2, one element through the shell), and
    the penalty overlap stays below 1e-3 of the gap (measured 3e-4, k = 100 E/h)."""
    case = make_case(geometry={"shape": "yolk-shell", "mesh_size": "0.2 um", "surface_mesh_size": "0.1 um"},
                     shell=SHELL)
    p = ParticleProblem(case, build(case, comm))
    q = Quantities(p)
    core = fem.locate_dofs_topological(p.V, 3, p.geo.cells("core"))
    Si, C = case.particle.material, case.shell.material
    x = ufl.SpatialCoordinate(p.geo.mesh)
    for theta in (0.01, 0.02, 0.05):
        e_star = p.beta * theta / 3
        p.theta.x.array[core] = theta
        p.solve_mechanics()
        q.update()
        row = q.scalars()
        p_core, pressure = an.yolk_shell_contact_pressure(A, GAP, T, Si.si("youngs_modulus"), Si.si("poisson_ratio"),
                                                          C.si("youngs_modulus"), C.si("poisson_ratio"), e_star)
        if A * e_star < GAP:
            assert pressure == 0.0
            assert row["shell_vm_max_MPa"] == 0.0 and row["contact_area_fraction"] == 0.0
            assert row["contact_gap_min_nm"] == pytest.approx((GAP - A * e_star) * 1e9, abs=1e-6)
            continue
        b, c = A + GAP, A + GAP + T
        _, stt = mech.radial_hoop(p.stress("shell"), x)
        srr, _ = mech.radial_hoop(p.stress("core"), x)
        fe = {"contact": row["contact_pressure_mean_MPa"] * 1e6,
              "yolk": -p.integrate(srr * p.geo.dx("core")) / p.core_volume * 1e9,
              "hoop_inner": _mean(p, stt, p.geo.ds("shell_inner")) * 1e9,
              "hoop_outer": _mean(p, stt, p.geo.ds("outer")) * 1e9}
        exact = {"contact": p_core, "yolk": p_core, "hoop_inner": an.shell_hoop_stress(b, b, c, pressure),
                 "hoop_outer": an.shell_hoop_stress(c, b, c, pressure)}
        for key in exact:
            assert fe[key] == pytest.approx(exact[key], rel=0.01), key
        assert row["contact_area_fraction"] == pytest.approx(1.0)
        assert -row["contact_gap_min_nm"] / (GAP * 1e9) < 1e-3
    p.destroy()


@pytest.mark.slow
def test_galvanostatic_yolk_reaches_shell(comm, shared_tmp):
    """10C lithiation of a 1 um Si yolk in a 100 nm carbon shell across a 10 nm void: the shell
    is stress-free while the void is open, the gap closes once the surface has swollen by
    it, then the shell's hoop stress grows (tension) and the surfaces never overlap by more
    than 1e-3 of the void (checked on every row of the history)."""
    from helpers import read_csv
    from seifem.simulation.run import run_case

    case = make_case(geometry={"shape": "yolk-shell", "mesh_size": "0.25 um", "surface_mesh_size": "0.125 um"},
                     shell={**SHELL, "gap": "10 nm"},
                     protocol={"steps": [{"mode": "lithiate", "c_rate": "10 C", "duration": "8 s"}]},
                     solver={"dt": "1 s"})
    run_case(case, shared_tmp, comm)
    h = read_csv(shared_tmp / "history.csv")
    touching = h["contact_area_fraction"] > 0
    assert touching[0] == 0 and touching[-1]  # open at the start, closed at the end
    assert np.all(np.diff(touching.astype(int)) >= 0)  # once closed, it stays closed
    assert np.all(h["shell_vm_max_MPa"][~touching] == 0.0)
    assert np.all(h["shell_st_max_MPa"][touching] > 0.0) and np.all(np.diff(h["shell_st_max_MPa"][touching]) > 0)
    assert np.all(h["contact_gap_min_nm"] > -1e-3 * 10.0)
    open_rows = ~touching
    assert np.all(np.diff(h["contact_gap_min_nm"][open_rows]) < 0)  # the void closes as the yolk swells


def test_contact_newton_refactorises_after_a_finite_strain_problem(comm):
    """A finite-strain problem built first in the same process (a test session, the Python
    API) must not hand its Newton options to the yolk-shell's LU Newton: dolfinx leaves them
    in the PETSc database, and an inherited snes_lag_preconditioner -2 froze the contact
    Jacobian's factorisation (Newton then stalled at its iteration limit)."""
    finite = make_case(geometry={"mesh_size": "1.0 um"}, physics={"mechanics": "finite-strain"})
    ParticleProblem(finite, build(finite, comm))
    case = make_case(geometry={"shape": "yolk-shell", "mesh_size": "0.4 um", "surface_mesh_size": "0.2 um"},
                     shell=SHELL)
    ParticleProblem(case, build(case, comm))
    from petsc4py import PETSc

    # what the contact's SNES read at setFromOptions (petsc4py has no getter for the lag)
    assert PETSc.Options().getInt("seifem_mechanics_snes_lag_preconditioner", 1) == 1  # refactorise every step

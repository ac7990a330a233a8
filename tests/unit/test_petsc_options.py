"""The PETSc options database between solvers (`seifem.petsc_options`): a user's option under a
solver's prefix wins over the solver's preset, and a solver never inherits the presets of an
earlier solver with the same prefix."""

from __future__ import annotations

import pytest
import ufl
from dolfinx import fem, mesh
from mpi4py import MPI
from petsc4py import PETSc

from seifem.petsc_options import forget_options, nonlinear_problem

PREFIX = "seifem_test_options_"


def _problem(options: dict):
    domain = mesh.create_unit_interval(MPI.COMM_WORLD, 4)
    V = fem.functionspace(domain, ("Lagrange", 1))
    u, v = fem.Function(V), ufl.TestFunction(V)
    F = (ufl.inner(ufl.grad(u), ufl.grad(v)) + u * v - v) * ufl.dx
    return nonlinear_problem(F, u, prefix=PREFIX, options=options)


@pytest.fixture
def user_option():
    opts = PETSc.Options()
    opts[PREFIX + "snes_max_it"] = 7
    yield
    opts.delValue(PREFIX + "snes_max_it")
    forget_options(PREFIX)


def test_user_option_wins_over_the_preset(user_option):
    problem = _problem({"snes_max_it": 30, "snes_type": "newtonls"})
    assert problem.solver.getTolerances()[3] == 7
    assert problem.solver.getType() == "newtonls"


def test_no_preset_of_an_earlier_solver_is_inherited():
    _problem({"snes_max_it": 30, "snes_type": "newtonls", "snes_linesearch_type": "none"})
    problem = _problem({"snes_type": "newtonls"})
    assert problem.solver.getTolerances()[3] == 50  # PETSc's default, not the earlier 30
    assert not PETSc.Options().hasName(PREFIX + "snes_linesearch_type")
    forget_options(PREFIX)

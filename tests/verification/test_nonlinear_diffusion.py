"""Concentration- and temperature-dependent diffusivity (docs/physics.md "Transport").

1. Manufactured solution of d theta/dt = div(D(theta) grad theta) with the forms seifem solves
   (`physics.transport.transport_residual`, the piecewise-linear `diffusivity_factor` table):
   P2 converges at order 3 in L2 and 2 in H1.
2. The Newton path (`kinetics.NonlinearTransport`) with a constant factor table reproduces the
   linear solver step by step, and an Arrhenius temperature is the same as scaling D.
3. A diffusivity that grows with theta flattens a lithiation profile: lower surface filling
   and lower stresses than with the constant D.
"""

from __future__ import annotations

import numpy as np
import pytest
import ufl
from dolfinx import fem
from dolfinx import mesh as dmesh
from dolfinx.fem import petsc as fpetsc
from petsc4py import PETSc

from helpers import h1_seminorm_error, l2_error, make_case
from seifem.materials.ocp import table
from seifem.parallel import destroy_problem
from seifem.physics.transport import transport_residual

FACTOR = [[0.0, 1.0], [1.0, 3.0]]  # D(theta) = D0 (1 + 2 theta) on [0, 1]
DT = 0.05


def _mms(comm, n: int) -> tuple[float, float]:
    domain = dmesh.create_unit_cube(comm, n, n, n)
    x = ufl.SpatialCoordinate(domain)
    V = fem.functionspace(domain, ("Lagrange", 2))
    theta, theta_n, v = fem.Function(V), fem.Function(V), ufl.TestFunction(V)
    t1 = fem.Constant(domain, PETSc.ScalarType(DT))

    def exact(t):
        return 0.4 + 0.3 * ufl.sin(np.pi * x[0]) * ufl.sin(np.pi * x[1]) * ufl.cos(0.5 * np.pi * x[2]) * (1 + t)

    D = lambda th: 0.5 * table(*map(tuple, FACTOR)).ufl(th)  # noqa: E731
    th1, th0 = exact(t1), exact(0.0)
    source = (th1 - th0) / DT - ufl.div(D(th1) * ufl.grad(th1))
    theta_n.interpolate(fem.Expression(th0, V.element.interpolation_points))
    theta.x.array[:] = theta_n.x.array
    dx = ufl.Measure("dx", domain, metadata={"quadrature_degree": 8})
    F = transport_residual(theta, v, theta_n, theta_n, ufl.as_vector([1.0, 1.0, 0.0]), DT,
                           -D(theta) * ufl.grad(theta), dx, source * v * dx)
    domain.topology.create_connectivity(2, 3)
    g = fem.Function(V)
    g.interpolate(fem.Expression(th1, V.element.interpolation_points))
    bc = fem.dirichletbc(g, fem.locate_dofs_topological(V, 2, dmesh.exterior_facet_indices(domain.topology)))
    problem = fpetsc.NonlinearProblem(F, theta, bcs=[bc], petsc_options_prefix=f"test_dtheta_{n}_",
                                      petsc_options={"snes_rtol": 1e-12, "snes_atol": 1e-14, "ksp_type": "preonly",
                                                     "pc_type": "lu", "pc_factor_mat_solver_type": "mumps"})
    problem.solve()
    assert problem.solver.getConvergedReason() > 0
    destroy_problem(problem)  # now, on every rank (seifem.parallel)
    err = theta - th1
    return l2_error(err, dx), h1_seminorm_error(err, dx)


def test_manufactured_nonlinear_diffusion_converges_at_order_3_and_2(comm):
    (l2a, h1a), (l2b, h1b) = _mms(comm, 4), _mms(comm, 8)
    rates = np.log2([l2a / l2b, h1a / h1b])
    if comm.rank == 0:
        print(f"\n[D(theta) MMS] rates L2 {rates[0]:.2f}, H1 {rates[1]:.2f}")
    assert rates[0] > 2.75 and rates[1] > 1.75


def _history(comm, steps: int = 8, **particle) -> list[dict]:
    from seifem.geometry import build
    from seifem.problem.particle import ParticleProblem
    from seifem.problem.quantities import Quantities

    temperature = particle.pop("temperature", None)
    physics = {"temperature": temperature} if temperature else {}
    case = make_case(particle={"material": "Si", "radius": "1 um", "diffusivity": "1e-14 m^2/s", **particle},
                     geometry={"mesh_size": "0.4 um"}, physics=physics)
    p = ParticleProblem(case, build(case, comm))
    q = Quantities(p)
    rows = []
    for _ in range(steps):
        p.advance(5.0, 2.0)
        q.update()
        rows.append(q.scalars())
    p.destroy()
    return rows


def _close(a: list[dict], b: list[dict], rtol: float) -> None:
    for ra, rb in zip(a, b):
        for k in ("soc", "surface_soc_max", "core_sr_max_MPa", "core_st_min_MPa", "volume_change"):
            assert ra[k] == pytest.approx(rb[k], rel=rtol), k


def test_newton_path_and_arrhenius_reproduce_the_linear_solver(comm):
    linear = _history(comm)
    _close(_history(comm, diffusivity_factor=[[0.0, 1.0], [1.0, 1.0]]), linear, 1e-8)
    # 20 kJ/mol at 318.15 K is D x arrhenius at 298.15 K
    from seifem.physics.electrochemistry import arrhenius

    factor = arrhenius(20e3, 318.15)
    hot = _history(comm, diffusivity_activation_energy="20 kJ/mol", temperature="318.15 K")
    scaled = _history(comm, diffusivity=f"{1e-14 * factor!r} m^2/s")
    _close(hot, scaled, 1e-8)
    assert hot[-1]["surface_soc_max"] < linear[-1]["surface_soc_max"]  # faster diffusion when hot


def test_diffusivity_growing_with_filling_flattens_the_profile(comm):
    const, growing = _history(comm), _history(comm, diffusivity_factor=[[0.0, 1.0], [1.0, 10.0]])
    a, b = const[-1], growing[-1]
    assert b["soc"] == pytest.approx(a["soc"], rel=1e-10)
    assert b["surface_soc_max"] < a["surface_soc_max"]
    assert 0 < b["core_sr_max_MPa"] < a["core_sr_max_MPa"] and a["core_st_min_MPa"] < b["core_st_min_MPa"] < 0

"""Phase-field fracture at finite strain (elastic; `phase_field.psi_split_finite`: decoupled
neo-Hookean energy, volumetric part K/2 (ln J)^2 in tension only): AT1 damage onset of a
homogeneous bar in uniaxial tension against the semi-closed form of
`analytic.fracture.finite_bar_onset` (the stretch where psi+ = 3 G_c / (16 l), the lateral
stretch from zero lateral stress; scalar roots). E = 1, nu = 0.3, G_c = 0.05, l = 0.3: the
onset is at stretch 1.27 and nominal stress 0.210, 16 % below the small-strain
sqrt(3 E G_c / (8 l)) = 0.25, so the check tells the two apart."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import ufl
from dolfinx import fem
from dolfinx import mesh as dmesh
from mpi4py import MPI
from petsc4py import PETSc

from seifem.analytic.fracture import finite_bar_onset
from seifem.problem.fracture import Region, StaggeredPhaseField

E, NU, GC, L_PF = 1.0, 0.3, 0.05, 0.3


def test_finite_strain_bar_onset(comm):
    """Bar 1 x 0.25 x 0.25 (h = 0.125), rollers on x, y, z = 0, u_x = U on x = 1; the largest
    undamaged stretch found by 10 bisections between 0.9 and 1.13 x the closed-form onset
    strain. Measured: the closed-form onset strain inside the final bracket [-4.9e-5, +1.8e-4];
    nominal stress at the bracket's undamaged end -3.7e-5 relative (tolerance 1 %, the
    issue's); serial and 2 ranks."""
    L, b, n = 1.0, 0.25, 2
    m = dmesh.create_box(comm, [[0, 0, 0], [L, b, b]], [4 * n, n, n])
    W = fem.functionspace(m, ("Lagrange", 1, (3,)))
    u = fem.Function(W)
    U = fem.Constant(m, PETSc.ScalarType(0.0))
    fdim = 2
    bcs = []
    for i in range(3):
        facets = dmesh.locate_entities_boundary(m, fdim, lambda x, i=i: np.isclose(x[i], 0.0))
        bcs.append(fem.dirichletbc(PETSc.ScalarType(0.0), fem.locate_dofs_topological(W.sub(i), fdim, facets), W.sub(i)))
    facets = dmesh.locate_entities_boundary(m, fdim, lambda x: np.isclose(x[0], L))
    bcs.append(fem.dirichletbc(U, fem.locate_dofs_topological(W.sub(0), fdim, facets), W.sub(0)))
    F = lambda w: ufl.Identity(3) + ufl.grad(w)
    region = Region(ufl.dx(domain=m), E, NU, F, GC, finite=True)
    solver = StaggeredPhaseField(u, {"bar": region}, bcs, L_PF, "AT1", tol_d=1e-8, rtol_u=1e-8, prefix="finite_bar_")
    sigma = solver.stress("bar")
    Fu = F(u)
    P11 = fem.form((ufl.det(Fu) * sigma * ufl.inv(Fu).T)[0, 0] * ufl.dx)
    volume = L * b * b

    def d_max():
        return comm.allreduce(float(solver.d.x.array.max()), op=MPI.MAX)

    lam_c, P_c = finite_bar_onset(E, NU, GC, L_PF)
    e_c = lam_c - 1
    for s in (0.3, 0.6, 0.9):  # load up to 0.9 of the onset strain in steps (Newton from the last)
        U.value = s * e_c * L
        solver.solve()
        assert d_max() == 0.0
    solver.commit()
    saved = [f.x.array.copy() for f in (u, solver.d)]
    lo, hi = 0.9 * e_c, 1.13 * e_c  # no midpoint lands on e_c
    for _ in range(10):
        mid = 0.5 * (lo + hi)
        for f, a in zip((u, solver.d), saved):
            f.x.array[:] = a
        U.value = mid * L
        solver.solve()
        if d_max() > 1e-12:
            hi = mid
        else:
            lo, saved = mid, [f.x.array.copy() for f in (u, solver.d)]
    for f, a in zip((u, solver.d), saved):
        f.x.array[:] = a
    U.value = lo * L
    solver.solve()
    P = comm.allreduce(fem.assemble_scalar(P11), op=MPI.SUM) / volume
    assert d_max() <= 1e-12
    assert lo <= e_c * (1 + 1e-6) <= hi * (1 + 2e-6)
    assert P == pytest.approx(P_c, rel=1e-2)
    solver.destroy()


@pytest.mark.slow
def test_finite_strain_irreversibility_and_energy_balance(comm):
    """The bar of `test_fracture.test_irreversibility_and_energy_balance` (0.5 x 0.25 x 0.25,
    h = 0.125, G_c = 1, E = 1) at finite strain (strain(u) = F, the split neo-Hookean energy),
    with l = 4 so that the onset stretch of `finite_bar_onset` is a moderate 1.34 (at l = 0.25 it
    is 3.9, where the homogeneous bar localises): stretched to 2x the onset strain (stretch 1.68)
    in 40 steps, then released to U = 0 in 20. No dof's damage
    ever decreases; at the end the elastic energy is ~0 and the crack energy (the homogeneous
    3 G_c d V / (8 l) to 1e-9) equals the external work int F dU, F = P_11 b^2 (nominal stress,
    trapezoid rule). Measured: d -> 0.704; balance -6.3e-4 relative (-2.5e-3 with 20 + 10 steps:
    second order in the step); tolerance 2e-3; serial and 2 ranks."""
    from test_fracture import Box

    l, L, b = 4.0, 0.5, 0.25
    bar = Box(comm, L, b, 2, l, strain=lambda w: ufl.Identity(3) + ufl.grad(w), finite=True, tol_d=1e-6,
              rtol_u=1e-6, prefix="finite_balance_")
    Fu = ufl.Identity(3) + ufl.grad(bar.u)
    P11 = (ufl.det(Fu) * bar.sigma * ufl.inv(Fu).T)[0, 0]
    e_c = finite_bar_onset(1.0, 0.3, 1.0, l)[0] - 1
    loads = np.concatenate([np.linspace(0, 2.0, 41), np.linspace(2.0, 0, 21)[1:]]) * e_c * L
    work, F_prev, drop = 0.0, 0.0, 0.0
    d_prev = bar.pf.d.x.array.copy()
    for U_prev, U in itertools.pairwise(loads):
        bar.step(U)
        F = bar.mean(P11) * b * b
        work += 0.5 * (F + F_prev) * (U - U_prev)
        F_prev = F
        drop = min(drop, comm.allreduce(float(np.min(bar.pf.d.x.array - d_prev)), op=MPI.MIN))
        d_prev = bar.pf.d.x.array.copy()
    d_min, d_max = bar.d_range()
    crack, elastic = bar.pf.crack_energy(), bar.pf.elastic_energy()
    print(f"d {d_min:.6f}..{d_max:.6f}, crack {crack:.6g}, elastic {elastic:.3g}, work {work:.6g}, "
          f"balance {(elastic + crack) / work - 1:.3e}")
    assert drop >= 0.0
    assert d_max - d_min < 1e-8 and d_max > 0.5
    assert crack == pytest.approx(3 * 1.0 * d_max * L * b * b / (8 * l), rel=1e-8)
    assert elastic < 1e-12 * crack
    assert (elastic + crack) == pytest.approx(work, rel=2e-3)

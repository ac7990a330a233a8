"""The tangential (sliding) part of the cohesive law in a 2D finite-element structure.

Two elastic blocks [0, 1] x [0, 1] and [0, 1] x [1, 2] (plane strain, mu = 1) carry separate
displacement fields joined on the interface y = 1 by `physics.cohesive.traction_ufl`; the
bottom is fixed, the top is moved by (U, 0), the sides are on rollers (u_y = 0). Simple shear
is then exact in each block (P1 reproduces it), so with the interface slip delta_t:

    U = delta_t + 2 H tau / mu,   tau = T_t(delta_t)   (the bilinear law in mode II),

elastic until tau = tau_t, then softening (stable: the blocks' compliance 2 H / mu is below
the inverse softening slope) to tau = 0 at delta_t = 2 G_IIc / tau_t. The damage history sits
on the upper cell of each interface facet; within a step the damage is the UFL envelope
(`damage_ufl`), so Newton sees the softening tangent, and the history is committed after it.
Checks: tau(U) against that closed form at every load step, and the work of the top load to
full sliding = G_IIc x width. Nondimensional units.
"""

from __future__ import annotations

import numpy as np
import pytest
import ufl
from dolfinx import fem, mesh
from dolfinx.fem import petsc as fpetsc
from mpi4py import MPI
from petsc4py import PETSc

from seifem.physics.cohesive import CohesiveLaw, damage_ufl, traction, traction_ufl

E, NU, H = 2.5, 0.25, 1.0  # mu = 1
MU = E / (2 * (1 + NU))
LAW = CohesiveLaw(normal_strength=1.0, tangential_strength=1.0, normal_energy=2.0, tangential_energy=2.0,
                  normal_stiffness=1e3, tangential_stiffness=1e3)


def _closed_form(U: float) -> float:
    """Shear traction tau(U) of the two blocks in series with the interface."""
    k, dt0, dtf = LAW.tangential_stiffness, LAW.onset[1], LAW.failure[1]
    if U <= LAW.tangential_strength * (2 * H / MU + 1 / k):
        return U / (2 * H / MU + 1 / k)
    ks = LAW.tangential_strength / (dtf - dt0)  # softening: T = ks (dtf - delta), delta = U - 2 H tau / mu
    return max(0.0, ks * (dtf - U) / (1 - 2 * H * ks / MU))


class _Blocks:
    def __init__(self, comm, ny: int = 4):
        self.comm = comm
        msh = self.msh = mesh.create_rectangle(comm, [[0.0, 0.0], [1.0, 2 * H]], [2, ny])
        tdim = msh.topology.dim
        cells = np.arange(msh.topology.index_map(tdim).size_local + msh.topology.index_map(tdim).num_ghosts,
                          dtype=np.int32)
        upper = mesh.compute_midpoints(msh, tdim, cells)[:, 1] > H
        ctags = mesh.meshtags(msh, tdim, cells, np.where(upper, 2, 1).astype(np.int32))
        msh.topology.create_connectivity(tdim - 1, tdim)
        self.facets = mesh.locate_entities(msh, tdim - 1, lambda x: np.isclose(x[1], H))
        ftags = mesh.meshtags(msh, tdim - 1, self.facets, np.full(self.facets.size, 7, dtype=np.int32))
        f2c = msh.topology.connectivity(tdim - 1, tdim)
        self.upper_cell = np.array([next(c for c in f2c.links(f) if upper[c]) for f in self.facets], dtype=np.int32)
        self.facet_x = mesh.compute_midpoints(msh, tdim - 1, self.facets)[:, 0]
        dx = ufl.Measure("dx", msh, subdomain_data=ctags)
        dS = ufl.Measure("dS", msh, subdomain_data=ftags)
        Va, Vb = (fem.functionspace(msh, ("Lagrange", 1, (2,))) for _ in range(2))  # one space per block
        self.ua, self.ub = fem.Function(Va), fem.Function(Vb)
        va, vb = ufl.TestFunction(Va), ufl.TestFunction(Vb)
        self.D = fem.Function(fem.functionspace(msh, ("DG", 0)))
        lmbda = E * NU / ((1 + NU) * (1 - 2 * NU))

        def sigma(u):
            eps = ufl.sym(ufl.grad(u))
            return 2 * MU * eps + lmbda * ufl.tr(eps) * ufl.Identity(2)

        n = ufl.as_vector([0.0, 1.0])
        jump = self.ub("+") - self.ua("+")  # both fields are continuous: either side
        history = self.D("+") + self.D("-")  # D lives on the upper cells only
        t = traction_ufl(LAW, jump, n, damage_ufl(LAW, jump, n, history))
        zero = fem.Constant(msh, PETSc.ScalarType(0.0))
        Fa = (ufl.inner(sigma(self.ua), ufl.sym(ufl.grad(va))) * dx(1) - ufl.dot(t, va("+")) * dS(7)
              + zero * ufl.dot(self.ua, va) * dx(2))
        Fb = (ufl.inner(sigma(self.ub), ufl.sym(ufl.grad(vb))) * dx(2) + ufl.dot(t, vb("+")) * dS(7)
              + zero * ufl.dot(self.ub, vb) * dx(1))
        bcs = []
        for V, below in ((Va, True), (Vb, False)):
            off = fem.locate_dofs_geometrical(V, (lambda x: x[1] > H + 1e-9) if below else (lambda x: x[1] < H - 1e-9))
            bcs.append(fem.dirichletbc(np.zeros(2), off, V))
            Vy, _ = V.sub(1).collapse()
            sides = fem.locate_dofs_geometrical((V.sub(1), Vy), lambda x: np.isclose(x[0], 0) | np.isclose(x[0], 1))
            bcs.append(fem.dirichletbc(fem.Function(Vy), sides, V.sub(1)))
        bcs.append(fem.dirichletbc(np.zeros(2), fem.locate_dofs_geometrical(Va, lambda x: np.isclose(x[1], 0)), Va))
        self.top = fem.Function(Vb)
        bcs.append(fem.dirichletbc(self.top, fem.locate_dofs_geometrical(Vb, lambda x: np.isclose(x[1], 2 * H))))
        self.problem = fpetsc.NonlinearProblem(
            [Fa, Fb], [self.ua, self.ub], bcs=bcs, kind="mpi", petsc_options_prefix="test_cohesive_sliding_",
            petsc_options={"snes_type": "newtonls", "snes_linesearch_type": "none", "snes_rtol": 1e-12,
                           "snes_atol": 1e-13, "ksp_type": "preonly", "pc_type": "lu",
                           "pc_factor_mat_solver_type": "mumps"})
        self.tau_form = fem.form(sigma(self.ub)[0, 1] * dx(2))
        self.x_dofs = Va.tabulate_dof_coordinates()

    def _slip(self) -> np.ndarray:
        """Tangential slip at the midpoints of this rank's interface facets (P1: linear)."""
        on = np.flatnonzero(np.isclose(self.x_dofs[:, 1], H))
        order = on[np.argsort(self.x_dofs[on, 0])]
        jx = self.ub.x.array.reshape(-1, 2)[order, 0] - self.ua.x.array.reshape(-1, 2)[order, 0]
        return np.interp(self.facet_x, self.x_dofs[order, 0], jx)

    def load(self, U: float) -> float:
        """Solve at top displacement U (Newton through the softening), then commit the damage
        history; return tau (area mean over the upper block)."""
        self.top.interpolate(lambda x: np.vstack([np.full(x.shape[1], U), np.zeros(x.shape[1])]))
        self.problem.solve()
        reason = self.problem.solver.getConvergedReason()
        assert reason > 0, reason
        _, _, D = traction(LAW, 0.0, self._slip(), self.D.x.array[self.upper_cell])
        self.D.x.array[self.upper_cell] = D
        self.D.x.scatter_forward()
        return self.comm.allreduce(fem.assemble_scalar(self.tau_form), op=MPI.SUM) / H


def test_sliding_interface_follows_the_mode_two_closed_form(comm):
    """Load through onset and softening, unload to U = 1 on the damaged secant, reload to full
    sliding: tau(U) at every step, and the work of the top load = G_IIc x width."""
    b = _Blocks(comm)
    loads = np.concatenate([np.linspace(0.0, 2.0, 5), np.linspace(2.0, 3.0, 11)[1:], [1.0],
                            np.linspace(3.0, 4.5, 16)])
    taus, errs = [0.0], []
    for U in loads[1:]:
        D = float(comm.allreduce(b.D.x.array.max(initial=0.0), op=MPI.MAX))
        tau = b.load(U)
        if U == 1.0:  # unloaded: on the secant of the damage reached at U = 3
            expected = U / (2 * H / MU + 1 / ((1 - D) * LAW.tangential_stiffness))
        else:
            expected = _closed_form(U)
        errs.append(abs(tau - expected))
        taus.append(tau)
    assert max(errs) < 1e-10, max(errs)  # measured 9e-13 (serial)
    work = float(np.sum(0.5 * (np.array(taus[1:]) + taus[:-1]) * np.diff(loads)))  # width 1
    print(f"sliding: largest tau error {max(errs):.2e}, work / G_IIc - 1 = {work / LAW.tangential_energy - 1:.2e}")
    assert work == pytest.approx(LAW.tangential_energy, rel=1e-4)  # measured -2.5e-5 (the onset kink between steps)

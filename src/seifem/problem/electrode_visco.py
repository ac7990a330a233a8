"""The electrode patch with a visco-elastic binder (small strain): the binder's shear relaxes as
a standard linear solid, its bulk modulus stays (`physics.viscoelasticity`); the particles and
coatings stay linear elastic.

Internal variables at the quadrature points of the stiffness (degree 2 (k - 1) for displacement
degree k, at least 1: one point per cell for P1, four for P2): the Maxwell branch's deviatoric
stress h and the deviatoric strain of the last step. The strain of a P_k displacement is
P_(k-1) in a cell, so the quadrature rule integrates the stiffness exactly and the state is
exact at its points. A step of length dt is one linear solve with the algorithmic shear modulus
G_inf + g(dt) G_1 and the history stress a(dt) h_n - 2 g G_1 dev eps_n on the right-hand side
(the exponential update, exact for a strain linear in time over the step); the matrix is
re-assembled (and its preconditioner rebuilt) only when dt changes. After the solve the state
is committed: h_{n+1} = a h_n + 2 G_1 g (dev eps_{n+1} - dev eps_n).

`state_functions` (h, the last strain and the displacement, CG's starting point) go into the
run's checkpoint, so a restart continues the same history.
"""

from __future__ import annotations

import basix.ufl
import dolfinx.fem.petsc as fpetsc
import numpy as np
import ufl
from dolfinx import fem
from petsc4py import PETSc

from seifem.physics import mechanics as mech
from seifem.physics import viscoelasticity as ve
from seifem.problem.electrode_patch import ElectrodePatch

__all__ = ["ViscoElectrodePatch"]


class ViscoElectrodePatch(ElectrodePatch):
    """`ElectrodePatch` whose binder is `ShearRelaxation(E, nu, E_inf, tau)`: `binder` = (E, nu)
    its instantaneous constants [GPa], `relaxation` = (E_inf [GPa], tau [s]). The other
    arguments as `ElectrodePatch`'s (no cohesive interface). Collective."""

    def __init__(self, geo, particle, binder, relaxation: tuple[float, float], **kw):
        if kw.get("interface") is not None:
            raise ValueError("a visco-elastic binder is bonded to the particles (no cohesive interface)")
        self.law = ve.ShearRelaxation(binder[0], binder[1], *relaxation)
        self._qdeg = max(2 * (kw.get("order", 1) - 1), 1)
        super().__init__(geo, particle, binder, **kw)

    def _dx(self):
        return ufl.dx(metadata={"quadrature_degree": self._qdeg})

    def _setup_solver(self, v, load, prefix: str, rtol: float) -> None:
        mesh = self.geo.mesh
        element = basix.ufl.quadrature_element(mesh.basix_cell(), value_shape=(3, 3), degree=self._qdeg)
        self.W = fem.functionspace(mesh, element)
        self.h = fem.Function(self.W, name="binder_branch_stress")  # GPa, deviatoric
        self.e_dev = fem.Function(self.W, name="binder_deviatoric_strain")  # of the last committed step
        self._h_new = fem.Function(self.W)
        self.K, self.G_inf, self.G1 = (fem.Function(self.Q, name=n) for n in ("K", "G_inf", "G_1"))
        E, nu = self.E.x.array, self.nu.x.array
        self.K.x.array[:] = E / (3 * (1 - 2 * nu))
        self.G_inf.x.array[:] = E / (2 * (1 + nu))
        b = self._cells["binder"]
        self.K.x.array[b], self.G_inf.x.array[b], self.G1.x.array[b] = self.law.K, self.law.G_inf, self.law.G1
        self._decay = fem.Constant(mesh, PETSc.ScalarType(1.0))  # a = exp(-dt/tau)
        self._gain = fem.Constant(mesh, PETSc.ScalarType(1.0))  # g = tau/dt (1 - a)
        u, dx = ufl.TrialFunction(self.V), self._dx()
        K, G = self.K, self.G_inf + self._gain * self.G1
        a = (K * ufl.tr(mech.eps(u)) * ufl.tr(mech.eps(v))
             + 2 * G * ufl.inner(ufl.dev(mech.eps(u)), ufl.dev(mech.eps(v)))) * dx
        history = self._decay * self.h - 2 * self._gain * self.G1 * self.e_dev
        L = (3 * K * self.estar * ufl.tr(mech.eps(v)) - ufl.inner(history, mech.eps(v))) * dx - self.P * load
        self._linear_system(a, L, prefix, rtol)
        points = self.W.element.interpolation_points
        dev = ufl.dev(mech.eps(self.u))
        self._commit_h = fem.Expression(self._decay * self.h + 2 * self._gain * self.G1 * (dev - self.e_dev), points)
        self._commit_e = fem.Expression(dev, points)

    def _cauchy(self):
        """sigma = K (tr eps - 3 e*) I + 2 G_inf dev eps + h, with the committed h (GPa)."""
        return ve.stress(mech.eps(self.disp), self.estar, self.K, self.G_inf, self.h)

    def state_functions(self) -> dict:
        return {"binder_branch_stress": self.h, "binder_deviatoric_strain": self.e_dev, "displacement": self.u}

    def solve(self, dt: float = 0.0) -> int:
        """Advance the binder over a step dt [s] (0: a jump, the instantaneous response) to the
        current eigenstrain: one linear solve, then the state committed. Returns the CG
        iterations."""
        decay, gain = ve.step_factors(dt, self.law.tau)
        if gain != float(self._gain.value):
            self._gain.value = gain
            self.A.zeroEntries()
            fpetsc.assemble_matrix(self.A, self.a, bcs=self.bcs)
            self.A.assemble()
            self.solver.update_operator()
        self._decay.value = decay
        its = super().solve()
        self._h_new.interpolate(self._commit_h)
        self.e_dev.interpolate(self._commit_e)
        self.h.x.array[:] = self._h_new.x.array
        for f in (self.h, self.e_dev):
            f.x.scatter_forward()
        return its

    def _principal_max(self) -> np.ndarray:
        """Largest principal stress (GPa) over the quadrature points of every owned cell."""
        if self._sigma_expr is None:
            self._sigma_expr = fem.Expression(self.sigma, self.W.element.interpolation_points)
            self._sigma_q = fem.Function(self.W)
        self._sigma_q.interpolate(self._sigma_expr)
        n = self.geo.mesh.topology.index_map(3).size_local
        S = self._sigma_q.x.array.reshape(-1, 3, 3)[self.W.dofmap.list[:n]]
        return np.linalg.eigvalsh(0.5 * (S + np.swapaxes(S, -1, -2)))[..., -1].max(axis=1)

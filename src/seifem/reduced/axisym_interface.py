"""A cohesive core/first-layer interface in the 2D axisymmetric twin.

As in the 1D twin (`radial_interface`), the core and the layers outside it carry separate
displacement fields on the twin's mesh: u_core (pinned to 0 on dofs of the layers only) and
u_shell (pinned on dofs of the core only); they share the interface nodes, where each has its
own value. They are joined by an interior-facet integral of the cohesive traction

    - int t . v_core w dS  (core),   + int t . v_shell w dS  (shell),   t = t(u_shell - u_core, n, D)

(`physics.cohesive.traction_ufl`, w = 2 pi r), with n the outward normal of the core's
surface (the sphere r^2 + (z/a)^2 = R^2 scaled by the aspect ratio a). Within a time step the
damage is the UFL envelope max(history, D(lam)) (`damage_ufl`), so Newton (PETSc SNES on
the two blocks) sees the softening tangent; after the step the history is committed per
interface facet (kept on the facet's shell-side cell, a DG0 field) from the separation at
the facet's midpoint. On a spheroid the interface carries shear, so a low tangential
strength slides (mode II damage) even where the normal traction is compressive.

Outputs: the cohesive normal and tangential tractions at the facet midpoints (MPa), the
damage, the debonded area fraction (area with D = 1 over the interface area, weight 2 pi r).
"""

from __future__ import annotations

import numpy as np
import ufl
from dolfinx import fem
from dolfinx.fem import petsc as fpetsc
from mpi4py import MPI
from petsc4py import PETSc

from seifem.errors import SolverError
from seifem.petsc_options import nonlinear_problem
from seifem.physics.cohesive import CohesiveLaw, damage_ufl, traction, traction_ufl
from seifem.physics.sei_growth import SEIGrowth, SEIGrowthParameters, sei_overpotential
from seifem.reduced import axisym_forms as af
from seifem.units import SCALES

__all__ = ["AxisymInterface"]

_L, _S = SCALES.length, SCALES.stress


def model_units(law: CohesiveLaw) -> CohesiveLaw:
    """The law in model units: GPa, um, GPa um (= kJ/m^2)."""
    return CohesiveLaw(law.normal_strength / _S, law.tangential_strength / _S, law.normal_energy / (_S * _L),
                       law.tangential_energy / (_S * _L), law.normal_stiffness * _L / _S,
                       law.tangential_stiffness * _L / _S, law.mixity_exponent)


class AxisymInterface:
    """Core and shell displacements of an `AxisymProblem` joined by a cohesive law."""

    def __init__(self, problem, law: CohesiveLaw, sei_growth: str = "none",
                 sei_params: SEIGrowthParameters | None = None):
        p = self.p = problem
        self.law = model_units(law)
        self.sei_law = {"solvent-diffusion": "solvent-diffusion", "reaction-limited": "reaction"}.get(sei_growth)
        self.sei_params = sei_params or SEIGrowthParameters()
        msh, T, tdim = p.mesh, af.CURVE_TAGS, p.mesh.topology.dim
        k = p.design.degree
        Wc, Ws = (fem.functionspace(msh, ("Lagrange", k, (2,))) for _ in range(2))  # one space per block
        self.u_core, self.u_shell = fem.Function(Wc, name="u_core"), fem.Function(Ws, name="u_shell")
        vc, vs = ufl.TestFunction(Wc), ufl.TestFunction(Ws)
        shell_cells = np.concatenate([p.cells[n] for n in p.regions[1:]])
        DG0 = fem.functionspace(msh, ("DG", 0))
        self.history = fem.Function(DG0, name="interface_damage")
        # debond SEI per interface facet, on its shell-side cell: thickness (m), lithium taken (mol)
        self.sei_L, self.sei_lost = fem.Function(DG0, name="crack_sei_m"), fem.Function(DG0, name="crack_sei_mol")
        x, a = p.x, p.aspect
        nv = ufl.as_vector([x[0], x[1] / a**2])
        n = nv / ufl.sqrt(ufl.dot(nv, nv))
        jump = self.u_shell("+") - self.u_core("+")  # both fields are continuous: either side
        D = damage_ufl(self.law, jump, n("+"), self.history("+") + self.history("-"))  # history on shell cells only
        t = traction_ufl(self.law, jump, n("+"), D)
        w, dS, dx, zero = p.w, p.dS(T["interface"]), p.dx, p._const(0.0)
        Fc = (ufl.inner(af.stress(self.u_core, p.r, *p._moduli("core"), p.eigenstrain()), af.strain(vc, p.r)) * w * dx(1)
              - ufl.dot(t, vc("+")) * w("+") * dS)
        Fs = ufl.dot(t, vs("+")) * w("+") * dS + zero * ufl.dot(self.u_shell, vs) * dx(1)
        Fc += sum(zero * ufl.dot(self.u_core, vc) * dx(i + 1) for i in range(1, len(p.regions)))
        for i, name in enumerate(p.regions[1:]):
            Fs += ufl.inner(af.stress(self.u_shell, p.r, *p._moduli(name)), af.strain(vs, p.r)) * w * dx(i + 2)
        if p.design.sei is not None:  # the membrane SEI: outside on the shell, in an open cavity on the core
            s, fn = p.design.sei, ufl.FacetNormal(msh)
            film = (p._const(s.thickness / _L), p._const(s.youngs_modulus / _S), p._const(s.poisson_ratio))
            Fs += ufl.action(af.membrane_form(ufl.TrialFunction(Ws), vs, p.r, fn, *film, p.ds(T["outer"])), self.u_shell)
            if "inner" in p.sei_surfaces:
                Fc += ufl.action(af.membrane_form(ufl.TrialFunction(Wc), vc, p.r, fn, *film, p.ds(T["inner"])),
                                 self.u_core)
        bcs = []
        for W, own, other in ((Wc, p.cells["core"], shell_cells), (Ws, shell_cells, p.cells["core"])):
            mine = fem.locate_dofs_topological(W, tdim, own)
            off = np.setdiff1d(fem.locate_dofs_topological(W, tdim, other), mine).astype(np.int32)
            bcs.append(fem.dirichletbc(np.zeros(2, dtype=PETSc.ScalarType), off, W))
            for i, name in ((0, "axis"), (1, "sym_z")):
                dofs = fem.locate_dofs_topological(W.sub(i), 1, p.facet_tags.find(T[name]))
                bcs.append(fem.dirichletbc(PETSc.ScalarType(0.0), dofs, W.sub(i)))
        solver = "superlu_dist" if p.comm.size > 1 else "petsc"
        self.problem = nonlinear_problem(
            [Fc, Fs], [self.u_core, self.u_shell], bcs=bcs, kind="mpi", prefix="seifem_axisym_interface_",
            options={"snes_type": "newtonls", "snes_linesearch_type": "l2", "snes_rtol": 1e-9,
                           "snes_atol": 1e-12, "snes_max_it": 50, "ksp_type": "preonly", "pc_type": "lu",
                           "pc_factor_mat_solver_type": solver})
        # a step from an open to a closed interface first predicts a deep penetration (the
        # open branch has no normal stiffness): the residual grows once before contact settles
        self.problem.solver.setDivergenceTolerance(1e30)
        self._setup_facets(msh, T, tdim, n, shell_cells)

    def _setup_facets(self, msh, T, tdim, n, shell_cells) -> None:
        """Interface facets of this rank, their shell-side cell and local facet index, the
        midpoint expression (delta_n, delta_t, r) and the facet areas (um^2, full particle)."""
        facets = self.p.facet_tags.find(T["interface"])
        msh.topology.create_connectivity(tdim - 1, tdim)
        msh.topology.create_connectivity(tdim, tdim - 1)
        f2c, c2f = msh.topology.connectivity(tdim - 1, tdim), msh.topology.connectivity(tdim, tdim - 1)
        is_shell = np.zeros(msh.topology.index_map(tdim).size_local + msh.topology.index_map(tdim).num_ghosts, bool)
        is_shell[shell_cells] = True
        # a facet at the edge of this rank's ghost layer may lack its shell cell here: its
        # owner's rank has both (and the facet); keep the facets whose shell cell is local
        pairs = [(f, next((c for c in f2c.links(f) if is_shell[c]), -1)) for f in facets]
        facets = np.array([f for f, c in pairs if c >= 0], dtype=np.int32)
        cells = np.array([c for _, c in pairs if c >= 0], dtype=np.int32)
        local = np.array([int(np.flatnonzero(c2f.links(c) == f)[0]) for c, f in zip(cells, facets)], dtype=np.int32)
        self.cells, self.entities = cells, np.column_stack([cells, local]).ravel().astype(np.int32)
        self.owned = cells < msh.topology.index_map(tdim).size_local
        jump = self.u_shell - self.u_core
        dn = ufl.dot(jump, n)
        jt = jump - dn * n
        self._expr = fem.Expression(ufl.as_vector([dn, ufl.sqrt(ufl.dot(jt, jt)), self.p.r]), np.array([[0.5]]))
        q = ufl.TestFunction(self.history.function_space)
        area = fpetsc.assemble_vector(fem.form((q("+") + q("-")) * self.p.w("+") * self.p.dS(T["interface"])))
        area.ghostUpdate(addv=PETSc.InsertMode.ADD, mode=PETSc.ScatterMode.REVERSE)
        self.area = area.array[cells[self.owned]].copy() * self.p._MIRROR  # um^2 per owned facet, full particle
        area.destroy()
        self.tn, self.tt = np.zeros(cells.size), np.zeros(cells.size)  # cohesive tractions (GPa) at the midpoints

    @property
    def damage(self) -> np.ndarray:
        """Damage per interface facet of this rank (its history)."""
        return self.history.x.array[self.cells]

    def _midpoints(self) -> np.ndarray:
        """(delta_n, delta_t, r) at this rank's interface facet midpoints (um)."""
        if not self.cells.size:
            return np.zeros((0, 3))
        return self._expr.eval(self.p.mesh, self.entities.reshape(-1, 2)).reshape(-1, 3)

    def solve(self) -> None:
        """Both fields for the current theta (Newton), then the damage history (irreversible)."""
        p = self.p
        self.problem.solve()
        reason = self.problem.solver.getConvergedReason()
        if reason <= 0:
            raise SolverError(f"axisymmetric cohesive interface: Newton did not converge (reason {reason})")
        for f in (self.u_core, self.u_shell):
            f.x.scatter_forward()
        m = self._midpoints()
        old = self.history.x.array[self.cells]
        self.tn, self.tt, D = traction(self.law, m[:, 0], m[:, 1], old)
        self.history.x.array[self.cells] = D
        self.history.x.scatter_forward()
        # the single displacement of the problem's outputs: the core's at the interface nodes
        uc, us = self.u_core.x.array, self.u_shell.x.array
        p.u.x.array[:] = np.where(self._core_dofs, uc, us)
        p.u.x.scatter_forward()

    @property
    def _core_dofs(self) -> np.ndarray:
        if not hasattr(self, "_core_mask"):
            mask = np.zeros(self.u_core.x.array.size // 2, bool)
            mask[fem.locate_dofs_topological(self.u_core.function_space, 2, self.p.cells["core"])] = True
            self._core_mask = np.repeat(mask, 2)
        return self._core_mask

    def grow(self, dt: float, electrode_potential: float) -> float:
        """Grow SEI over dt (s) on the debonded, open facets (D = 1, delta_n > 0 at the
        midpoint) owned here, from the fresh-film thickness; return the lithium it took
        (mol, full particle). Collective."""
        comm = self.p.comm
        if self.sei_law is None:
            return 0.0
        own = self.owned
        dn = self._midpoints()[:, 0][own]
        open_ = (self.damage[own] >= 1.0) & (dn > 0)
        taken = 0.0
        if open_.any():
            cells = self.cells[own][open_]
            L = self.sei_L.x.array[cells]
            g = SEIGrowth(self.area[open_] * _L**2, self.sei_params, self.sei_law,
                          thickness=np.where(L > 0, L, self.sei_params.fresh_thickness))
            eta = float(sei_overpotential(electrode_potential, self.sei_params))
            n = g.step(dt, eta=eta)  # as in the 1D twin: the lithium of the growth (not of the 0.5 pm seed)
            self.sei_L.x.array[cells] = g.L
            self.sei_lost.x.array[cells] += n
            taken = float(n.sum())
        for f in (self.sei_L, self.sei_lost):
            f.x.scatter_forward()
        return comm.allreduce(taken, op=MPI.SUM)

    def field(self, region: str):
        return self.u_core if region == "core" else self.u_shell

    def scalars(self) -> dict[str, float]:
        """Interface history columns: cohesive tractions at the facet midpoints (MPa), the
        largest damage and the debonded area fraction. Collective."""
        comm, own = self.p.comm, self.owned
        tn, tt, D = (np.asarray(v, dtype=float)[own] for v in (self.tn, self.tt, self.damage))

        def ext(v, op):
            return comm.allreduce(float(op(v)) if v.size else (-np.inf if op is np.max else np.inf),
                                  op=MPI.MAX if op is np.max else MPI.MIN)

        total = comm.allreduce(float(self.area.sum()), op=MPI.SUM)
        debonded = comm.allreduce(float(self.area[D >= 1.0].sum()), op=MPI.SUM)
        mpa = _S / 1e6
        cells = self.cells[own]
        lost = comm.allreduce(float(self.sei_lost.x.array[cells].sum()), op=MPI.SUM)
        covered = self.sei_L.x.array[cells] > 0
        num = comm.allreduce(float((self.sei_L.x.array[cells] * self.area)[covered].sum()), op=MPI.SUM)
        den = comm.allreduce(float(self.area[covered].sum()), op=MPI.SUM)
        sei = {"crack_sei_thickness_nm": num / den * 1e9 if den else 0.0, "crack_sei_lost_mol": lost}
        return {"interface_tn_max_MPa": ext(tn, np.max) * mpa, "interface_tn_min_MPa": ext(tn, np.min) * mpa,
                "interface_ts_max_MPa": ext(tt, np.max) * mpa, "interface_damage": ext(D, np.max),
                "debonded_area_fraction": debonded / total, **sei}

    def destroy(self) -> None:
        pass

"""A cohesive core/first-layer interface in the 3D particle ([interface] with geometry.model = "3d").

As in the 2D twin (`reduced.axisym_interface`), the core and the layers outside it carry
separate displacement fields on the particle's mesh: u_core (held at 0 on the dofs of the
layers only) and u_shell (held at 0 on the dofs of the core only). They share the interface
nodes, where each has its own value, so the displacement is discontinuous across the interface
without duplicating nodes in the mesh. They are joined by an interior-facet integral of the
cohesive traction

    - int t . v_core dS  (core),   + int t . v_shell dS  (shell),   t = t(u_shell - u_core, n, D)

(`physics.cohesive.traction_ufl`), with n the outward normal of the core: the facet normal of
the core-side cell, so any meshed core shape works. Within a step the damage is the UFL
envelope max(history, D(lam)) (`damage_ufl`) and Newton (PETSc SNES, LU: MUMPS) sees the
softening tangent; after the step the history is committed per interface facet, on its
shell-side cell (a DG0 field; a cell with two interface facets keeps the larger damage), from
the separation at the facet's centroid. Damage never decreases; a debonded interface carries
contact pressure only, so a debonded coating no longer confines a shrinking core.

Supported: the octant of any meshed shape with a coating or a resolved SEI, small strain,
elastic layers, one-way coupling, a membrane SEI on the outer surface (`case.interface`
refuses the rest before meshing). SEI is not grown on the debonded area in 3D.

History columns: interface_tn_max_MPa / interface_tn_min_MPa / interface_ts_max_MPa (cohesive
tractions at the facet centroids), interface_damage (largest), debonded_area_fraction (area
of the interface with D = 1 over its area), interface_opening_nm (largest normal opening).
"""

from __future__ import annotations

import numpy as np
import ufl
from dolfinx import fem
from mpi4py import MPI
from petsc4py import PETSc

from seifem.errors import SolverError
from seifem.petsc_options import nonlinear_problem
from seifem.physics import mechanics as mech
from seifem.physics.cohesive import CohesiveLaw, damage_ufl, traction, traction_ufl
from seifem.physics.membrane import membrane_form
from seifem.problem.symmetry import symmetry_bcs
from seifem.reduced.axisym_interface import model_units
from seifem.units import SCALES

__all__ = ["ParticleInterface"]

_PREFIX = "seifem_cohesive_"
_NEWTON = {"snes_type": "newtonls", "snes_linesearch_type": "l2", "snes_rtol": 1e-9, "snes_atol": 1e-12,
           "snes_max_it": 50, "ksp_type": "preonly", "pc_type": "lu", "pc_factor_mat_solver_type": "mumps"}


class ParticleInterface:
    """Core and shell displacements of a `ParticleProblem` `p` joined by a cohesive law
    (attached as `p.cohesive`; replaces the bonded linear elasticity solve)."""

    def __init__(self, p, law: CohesiveLaw):
        self.p = p
        self.law = model_units(law)
        geo, msh = p.geo, p.geo.mesh
        tdim = msh.topology.dim
        Wc, Ws = (fem.functionspace(msh, ("Lagrange", p.case.solver.degree, (3,))) for _ in range(2))
        self.u_core, self.u_shell = fem.Function(Wc, name="u_core"), fem.Function(Ws, name="u_shell")
        vc, vs = ufl.TestFunction(Wc), ufl.TestFunction(Ws)
        self.shells = [c.name for c in p.case.shells]
        shell_cells = np.concatenate([geo.cells(n) for n in self.shells])
        DG0 = fem.functionspace(msh, ("DG", 0))
        self.history = fem.Function(DG0, name="interface_damage")
        core = fem.Function(DG0)  # 1 on core cells: picks the core side of an interface facet
        core.x.array[geo.cells("core")] = 1.0
        core.x.scatter_forward()
        fn = ufl.FacetNormal(msh)
        n = core("+") * fn("+") + core("-") * fn("-")  # outward normal of the core
        jump = self.u_shell("+") - self.u_core("+")  # both fields are continuous: either side
        D = damage_ufl(self.law, jump, n, self.history("+") + self.history("-"))  # history on shell cells only
        t = traction_ufl(self.law, jump, n, D)
        # the traction's estimated degree (sqrt, conditionals) would make the interior-facet
        # kernel huge: a fixed rule, exact for the bonded (linear) law on straight facets
        k = p.case.solver.degree
        dS = geo.dS("interface").reconstruct(metadata={"quadrature_degree": 2 * k})
        zero = fem.Constant(msh, 0.0)
        Fc = (ufl.inner(mech.stress(mech.eps(self.u_core) - p.eigenstrain(), p.E_c["core"], p.nu_c["core"]),
                        mech.eps(vc)) * geo.dx("core") - ufl.dot(t, vc("+")) * dS
              + zero * ufl.dot(self.u_core, vc) * geo.dx(*self.shells))
        Fs = ufl.dot(t, vs("+")) * dS + zero * ufl.dot(self.u_shell, vs) * geo.dx("core")
        for name in self.shells:
            Fs += ufl.inner(mech.stress(mech.eps(self.u_shell), p.E_c[name], p.nu_c[name]), mech.eps(vs)) * geo.dx(name)
        if p.sei is not None:  # the membrane SEI: on the shell's outer surface, on the core elsewhere
            Es, nus = fem.Constant(msh, p.sei[1]), fem.Constant(msh, p.sei[2])
            for s in p.sei_surfaces:
                u, v = (self.u_shell, vs) if s == "outer" else (self.u_core, vc)
                term = membrane_form(mech.eps(u) - p.sei_ref, mech.eps(v), fn, p.sei_h, Es, nus, geo.ds(s))
                if s == "outer":
                    Fs += term
                else:
                    Fc += term
        bcs = []
        for W, own, other in ((Wc, geo.cells("core"), shell_cells), (Ws, shell_cells, geo.cells("core"))):
            mine = fem.locate_dofs_topological(W, tdim, own)
            off = np.setdiff1d(fem.locate_dofs_topological(W, tdim, other), mine).astype(np.int32)
            bcs.append(fem.dirichletbc(np.zeros(3, dtype=PETSc.ScalarType), off, W))
            bcs += symmetry_bcs(W, geo)
        self._core_mask = np.zeros(self.u_core.x.array.size // 3, bool)
        self._core_mask[fem.locate_dofs_topological(Wc, tdim, geo.cells("core"))] = True
        self._core_mask = np.repeat(self._core_mask, 3)
        self.problem = nonlinear_problem([Fc, Fs], [self.u_core, self.u_shell], bcs=bcs, kind="mpi", prefix=_PREFIX,
                                         options=_NEWTON)
        # from an open to a closed interface Newton first predicts a deep penetration (the open
        # branch has no normal stiffness): the residual grows once before contact settles
        self.problem.solver.setDivergenceTolerance(1e30)
        self.stats = {"solves": 0, "iterations": 0}
        self._setup_facets(shell_cells)
        one = fem.Constant(msh, 1.0)
        self._area = p.integrate(one * dS)
        h = self.history
        self._debonded = fem.form(ufl.conditional(ufl.ge(h("+") + h("-"), 1.0), 1.0, 0.0) * dS)

    def _setup_facets(self, shell_cells) -> None:
        """Interface facets of this rank with their shell-side cell (local or ghost) and the
        centroid expression (delta_n, |delta_t|) evaluated from that cell."""
        msh, geo = self.p.geo.mesh, self.p.geo
        tdim = msh.topology.dim
        facets = geo.facets("interface")
        msh.topology.create_connectivity(tdim - 1, tdim)
        msh.topology.create_connectivity(tdim, tdim - 1)
        f2c, c2f = msh.topology.connectivity(tdim - 1, tdim), msh.topology.connectivity(tdim, tdim - 1)
        imap = msh.topology.index_map(tdim)
        is_shell = np.zeros(imap.size_local + imap.num_ghosts, bool)
        is_shell[shell_cells] = True
        # a facet at the edge of the ghost layer may lack its shell cell here: the owner of
        # that cell has it (and the facet); keep the facets whose shell cell this rank has
        pairs = [(f, next((c for c in f2c.links(f) if is_shell[c]), -1)) for f in facets]
        facets = np.array([f for f, c in pairs if c >= 0], dtype=np.int32)
        cells = np.array([c for _, c in pairs if c >= 0], dtype=np.int32)
        local = np.array([int(np.flatnonzero(c2f.links(c) == f)[0]) for c, f in zip(cells, facets)], dtype=np.int32)
        self.cells, self.entities = cells, np.column_stack([cells, local]).astype(np.int32)
        self.owned = cells < imap.size_local
        n = -ufl.FacetNormal(msh)  # evaluated from the shell cell: its outward normal points into the core
        jump = self.u_shell - self.u_core
        dn = ufl.dot(jump, n)
        jt = jump - dn * n
        self._expr = fem.Expression(ufl.as_vector([dn, ufl.sqrt(ufl.dot(jt, jt))]), np.array([[1 / 3, 1 / 3]]))
        self.dn, self.tn, self.tt = (np.zeros(cells.size) for _ in range(3))

    def _centroids(self) -> np.ndarray:
        """(delta_n, |delta_t|) at this rank's interface facet centroids (um)."""
        if not self.cells.size:
            return np.zeros((0, 2))
        return self._expr.eval(self.p.geo.mesh, self.entities).reshape(-1, 2)

    @property
    def damage(self) -> np.ndarray:
        """Damage per interface facet of this rank (its shell cell's history)."""
        return self.history.x.array[self.cells]

    def solve(self) -> None:
        """Both fields for the current theta (Newton), then the irreversible damage history."""
        p = self.p
        self.problem.solve()
        snes = self.problem.solver
        reason = snes.getConvergedReason()
        if reason <= 0:
            raise SolverError(f"3D cohesive interface: Newton did not converge (reason {reason})")
        self.stats["solves"] += 1
        self.stats["iterations"] += snes.getIterationNumber()
        for f in (self.u_core, self.u_shell):
            f.x.scatter_forward()
        m = self._centroids()
        old = self.history.x.array[self.cells]
        self.dn = m[:, 0]
        self.tn, self.tt, D = traction(self.law, m[:, 0], m[:, 1], old)
        new = self.history.x.array.copy()
        np.maximum.at(new, self.cells, D)
        self.history.x.array[:] = new
        self.history.x.scatter_forward()
        # the single displacement of the problem's outputs: the core's at the interface nodes
        p.u.x.array[:] = np.where(self._core_mask, self.u_core.x.array, self.u_shell.x.array)
        p.u.x.scatter_forward()

    def field(self, region: str) -> fem.Function:
        """The displacement of a region: u_core in the core, u_shell in the layers."""
        return self.u_core if region == "core" else self.u_shell

    @property
    def state(self) -> dict:
        return {"u_core": self.u_core, "u_shell": self.u_shell, "interface_damage": self.history}

    def scalars(self) -> dict[str, float]:
        """Interface history columns (module docstring). Collective."""
        comm, own = self.p.comm, self.owned
        tn, tt, dn = (np.asarray(v, dtype=float)[own] for v in (self.tn, self.tt, self.dn))

        def ext(v, op):
            big = comm.allreduce(float(op(v)) if v.size else (-np.inf if op is np.max else np.inf),
                                 op=MPI.MAX if op is np.max else MPI.MIN)
            return big if np.isfinite(big) else 0.0

        mpa = SCALES.stress / 1e6
        debonded = comm.allreduce(fem.assemble_scalar(self._debonded), op=MPI.SUM)
        return {"interface_tn_max_MPa": ext(tn, np.max) * mpa, "interface_tn_min_MPa": ext(tn, np.min) * mpa,
                "interface_ts_max_MPa": ext(tt, np.max) * mpa,
                "interface_damage": ext(self.damage[own], np.max),
                "debonded_area_fraction": debonded / self._area,
                "interface_opening_nm": max(ext(dn, np.max), 0.0) * SCALES.length * 1e9}

    def destroy(self) -> None:
        pass

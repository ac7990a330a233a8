"""Particle-binder debonding in the electrode patch: the cohesive law of the fracture work
(`physics.cohesive`) on every particle (or coating) / binder interface, small strain.

As in the particle (`problem.cohesive`), the particles with their coatings and the binder
carry separate displacement fields on the patch's mesh: u_in (held at 0 on the dofs of the
binder only) and u_out (the patch's own field `ElectrodePatch.u`, held at 0 on the dofs of the
particles only, with the cell's boundary conditions). Both are free at the interface nodes, so
the displacement jumps there without duplicated nodes. They are joined by the interior-facet
integral of the cohesive traction over the facet group "particle_surfaces":

    - int t . v_in dS,   + int t . v_out dS,   t = t(u_out - u_in, n, D) + k_r (u_out - u_in)

n the outward normal of the particle side. The law is bilinear and mixed-mode with contact
in compression (a debonded particle pressed against the binder carries pressure); k_r =
1e-9 K_n is a residual spring that keeps a fully debonded particle from floating as a rigid
body (with K_n = 100 GPa/nm it carries 1e-4 GPa per um of opening: < 1e-4 of the strength at
the openings of a microparticle). Within a step the damage is the UFL envelope max(history,
D(lam)), so Newton (PETSc SNES, LU: MUMPS) sees the softening tangent; after the step the
history is committed per interface facet on its particle-side cell (a DG0 field), from the
separation at the facet centroid. Damage never decreases.

Debonded: an interface facet with D = 1 (no traction in tension or shear: contact lost). The
debonded area fraction is reported per particle and for the whole patch, and the contact
fraction of each particle, its interface area with D < 1 over its interface area (the area
through which the carbon-binder network still reaches it: `simulation.electrode_patch`
isolates a particle electronically when it falls to `electrode.contact_threshold`).
"""

from __future__ import annotations

import numpy as np
import ufl
from dolfinx import fem, la
from mpi4py import MPI
from petsc4py import PETSc

from seifem.errors import SolverError
from seifem.petsc_options import nonlinear_problem
from seifem.physics import mechanics as mech
from seifem.physics.cohesive import CohesiveLaw, damage_ufl, traction, traction_ufl
from seifem.reduced.axisym_interface import model_units

__all__ = ["RESIDUAL", "PatchInterface"]

RESIDUAL = 1e-9
"""Residual interface stiffness over K_n (a debonded particle does not float)."""

_PREFIX = "seifem_debond_"
_NEWTON = {"snes_type": "newtonls", "snes_linesearch_type": "l2", "snes_rtol": 1e-9, "snes_atol": 1e-12,
           "snes_max_it": 50, "ksp_type": "preonly", "pc_type": "lu", "pc_factor_mat_solver_type": "mumps"}


class PatchInterface:
    """Particles (u_in) and binder (u_out = p.u) of an `ElectrodePatch` p joined by a cohesive
    law in SI (`CohesiveLaw`). The patch's mesh must ghost shared facets
    (`build_electrode(..., shared_facet=True)`)."""

    def __init__(self, p, law: CohesiveLaw, load):
        self.p, self.law = p, model_units(law)
        geo, msh = p.geo, p.geo.mesh
        tdim = msh.topology.dim
        inner_names = [*geo.particles, *geo.coatings]
        inner = np.concatenate([p._cells[n] for n in inner_names]) if inner_names else np.zeros(0, np.int32)
        binder = p._cells["binder"]
        self.W = fem.functionspace(msh, p.V.ufl_element())
        self.u_in, self.u_out = fem.Function(self.W, name="u_particles"), p.u
        v_in, v_out = ufl.TestFunction(self.W), ufl.TestFunction(p.V)
        self.inside = fem.Function(p.Q)  # 1 on particle and coating cells
        self.inside.x.array[inner] = 1.0
        self.history = fem.Function(p.Q, name="interface_damage")  # on particle-side cells only
        ind, h = self.inside, self.history
        fn = ufl.FacetNormal(msh)
        n = ind("+") * fn("+") + ind("-") * fn("-")  # outward normal of the particle side
        jump = self.u_out("+") - self.u_in("+")  # both fields are continuous: either side
        D = damage_ufl(self.law, jump, n, h("+") + h("-"))
        kr = RESIDUAL * self.law.normal_stiffness
        t = traction_ufl(self.law, jump, n, D) + kr * jump
        k = p.V.ufl_element().embedded_superdegree
        self.dS = geo.dS("particle_surfaces").reconstruct(metadata={"quadrature_degree": 2 * k})
        I = ufl.Identity(3)

        def sigma(u):
            return mech.stress(mech.eps(u) - p.estar * I, p.E, p.nu)

        F_in = ind * ufl.inner(sigma(self.u_in), mech.eps(v_in)) * ufl.dx - ufl.dot(t, v_in("+")) * self.dS
        F_out = ((1 - ind) * ufl.inner(sigma(self.u_out), mech.eps(v_out)) * ufl.dx + ufl.dot(t, v_out("+")) * self.dS
                 + p.P * load)  # load: the patch's, tested with v_out (the same argument)
        bcs = list(p.bcs)
        for W, own, other in ((self.W, inner, binder), (p.V, binder, inner)):
            mine = fem.locate_dofs_topological(W, tdim, own)
            off = np.setdiff1d(fem.locate_dofs_topological(W, tdim, other), mine).astype(np.int32)
            bcs.append(fem.dirichletbc(np.zeros(3, dtype=PETSc.ScalarType), off, W))
        self.problem = nonlinear_problem([F_in, F_out], [self.u_in, self.u_out], bcs=bcs, kind="mpi", prefix=_PREFIX,
                                         options=_NEWTON)
        # from open to closed, Newton first predicts a deep penetration (no normal stiffness)
        self.problem.solver.setDivergenceTolerance(1e30)
        self.iterations: list[int] = []
        self._setup_facets(inner, binder, inner_names)
        w = ufl.TestFunction(p.Q)
        side = ind("+") * w("+") + ind("-") * w("-")  # the particle-side cell of a facet
        self._area_form = fem.form(side * self.dS)
        self._debonded_form = fem.form(ufl.conditional(ufl.ge(h("+") + h("-"), 1.0), 1.0, 0.0) * side * self.dS)
        self._bonded_form = fem.form(ufl.conditional(ufl.lt(h("+") + h("-"), 1.0), 1.0, 0.0) * side * self.dS)
        self.areas = self._per_particle(self._area_form)

    def _setup_facets(self, inner, binder, inner_names) -> None:
        """This rank's interface facets with their particle-side cell (local or ghost) and the
        centroid expression (delta_n, |delta_t|) evaluated from that cell."""
        p, msh = self.p, self.p.geo.mesh
        tdim = msh.topology.dim
        msh.topology.create_connectivity(tdim - 1, tdim)
        msh.topology.create_connectivity(tdim, tdim - 1)
        f2c, c2f = msh.topology.connectivity(tdim - 1, tdim), msh.topology.connectivity(tdim, tdim - 1)
        ncell = msh.topology.index_map(tdim).size_local + msh.topology.index_map(tdim).num_ghosts
        side = np.zeros(ncell, np.int8)
        side[inner], side[binder] = 1, 2
        cells, facets = [], []
        for f in p.geo.facets("particle_surfaces"):  # keep facets with both sides on this rank
            cs = f2c.links(f)
            if len(cs) == 2 and sorted(side[cs]) == [1, 2]:
                cells.append(cs[side[cs] == 1][0])
                facets.append(f)
        cells = np.array(cells, dtype=np.int32)
        local = np.array([int(np.flatnonzero(c2f.links(c) == f)[0]) for c, f in zip(cells, facets)], dtype=np.int32)
        self.cells, self.entities = cells, np.column_stack([cells, local]).reshape(-1, 2).astype(np.int32)
        self.owned = cells < msh.topology.index_map(tdim).size_local
        # particle index of every cell (coating_<i> belongs to particle i), -1 in the binder
        self.owner = np.full(ncell, -1, dtype=np.int64)
        for name in inner_names:
            self.owner[p._cells[name]] = int(name.rsplit("_", 1)[1])
        n = ufl.FacetNormal(msh)  # evaluated from the particle cell: its outward normal
        jump = self.u_out - self.u_in
        dn = ufl.dot(jump, n)
        jt = jump - dn * n
        self._expr = fem.Expression(ufl.as_vector([dn, ufl.sqrt(ufl.dot(jt, jt))]), np.array([[1 / 3, 1 / 3]]))
        self.dn, self.dt, self.tn, self.tt = (np.zeros(cells.size) for _ in range(4))

    def _per_particle(self, form) -> np.ndarray:
        """A DG0-tested facet form summed over each particle's interface (every rank alike)."""
        b = fem.assemble_vector(form)
        b.scatter_reverse(la.InsertMode.add)
        n = self.p.geo.mesh.topology.index_map(3).size_local
        vals, owner = b.array[self.p.Q.dofmap.list[:n, 0]], self.owner[:n]
        mine = owner >= 0
        out = np.bincount(owner[mine], vals[mine], minlength=len(self.p.geo.particles)).astype(float)
        self.p.comm.Allreduce(MPI.IN_PLACE, out, op=MPI.SUM)
        return out

    def solve(self) -> int:
        """Both fields at the current eigenstrain, then the irreversible damage history: one
        Newton solve from the last converged state, or if that fails (a particle debonding at
        once snaps through) 4, then 16 equal increments of the eigenstrain from it, the damage
        committed after each. Returns Newton's iteration count (all increments); SolverError
        (collective) if 16 increments fail too."""
        estar = self.p.estar.x.array
        target = estar.copy()
        start = self._converged if hasattr(self, "_converged") else None
        saved = [f.x.array.copy() for f in (self.u_in, self.u_out, self.history)]
        for n in (1, 4, 16) if start is not None else (1,):
            try:
                its = 0
                for k in range(1, n + 1):
                    if n > 1:
                        estar[:] = start + (target - start) * k / n
                    its += self._newton()
                    self._commit()
            except SolverError:
                for f, a in zip((self.u_in, self.u_out, self.history), saved):
                    f.x.array[:] = a
                estar[:] = target
                if n == 16 or start is None:
                    raise
                continue
            self.iterations.append(its)
            self._converged = target
            return its
        raise AssertionError("unreachable")

    def resume(self) -> None:
        """After the fields and the damage history were read back (a checkpoint) at the current
        eigenstrain: the facet separations and tractions of that state; the history stays (it
        was committed from this very state) and the next solve starts from it."""
        self._commit()
        self._converged = self.p.estar.x.array.copy()

    def _newton(self) -> int:
        self.problem.solve()
        snes = self.problem.solver
        if snes.getConvergedReason() <= 0:
            raise SolverError(f"particle-binder debonding: Newton did not converge (reason {snes.getConvergedReason()})")
        for f in (self.u_in, self.u_out):
            f.x.scatter_forward()
        return snes.getIterationNumber()

    def _commit(self) -> None:
        """The damage history from the separation at every interface facet's centroid."""
        m = self._expr.eval(self.p.geo.mesh, self.entities).reshape(-1, 2) if self.cells.size else np.zeros((0, 2))
        self.dn, self.dt = m[:, 0], m[:, 1]
        self.tn, self.tt, D = traction(self.law, m[:, 0], m[:, 1], self.history.x.array[self.cells])
        new = self.history.x.array.copy()
        np.maximum.at(new, self.cells, D)
        self.history.x.array[:] = new
        self.history.x.scatter_forward()

    def onset_ratio(self) -> float:
        """Largest normalised separation lam over the interface facets (1: damage starts;
        `physics.cohesive.mode_direction`). Collective."""
        from seifem.physics.cohesive import mode_direction

        lam = mode_direction(self.law, self.dn, self.dt)[0]
        return self.p.comm.allreduce(float(np.max(lam[self.owned], initial=0.0)), op=MPI.MAX)

    def displacement(self):
        """The displacement of every cell (UFL): u_in in the particles, u_out in the binder."""
        return self.inside * self.u_in + (1 - self.inside) * self.u_out

    def outputs(self) -> dict:
        """Debonded and contact (D < 1) area fractions per particle, the debonded fraction of
        the patch, the largest damage, normal traction (GPa) and opening (um) at the facet
        centroids. Collective."""
        comm, own = self.p.comm, self.owned
        debonded = self._per_particle(self._debonded_form)
        bonded = self._per_particle(self._bonded_form)  # not 1 - debonded: exactly 0 once all is debonded

        def big(v, initial):
            return comm.allreduce(float(np.max(v[own], initial=initial)), op=MPI.MAX)

        total = float(self.areas.sum())
        area = np.where(self.areas > 0, self.areas, 1.0)
        return {"debonded_fraction": debonded / area, "contact_fraction": np.where(self.areas > 0, bonded / area, 1.0),
                "debonded_area_fraction": float(debonded.sum()) / total if total > 0 else 0.0,
                "interface_damage_max": big(self.history.x.array[self.cells], 0.0),
                "interface_tn_max_GPa": big(self.tn, -np.inf), "interface_opening_max_um": max(big(self.dn, 0.0), 0.0)}

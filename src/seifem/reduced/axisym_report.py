"""Output of the 2D axisymmetric twin (`reduced.axisym.AxisymProblem`, mixed in): the nodal
DG output vector (OUTPUT_KEYS, MPa / um), the history row of `Quantities.scalars()` keys
(patch-recovered extremes, reduced over ranks), profiles along the equator or the axis and the
meridian fields for maps."""

from __future__ import annotations

import numpy as np
import ufl
from dolfinx import fem
from mpi4py import MPI

from seifem.physics.recovery import PatchRecovery, meridian_tensors, stress_measures
from seifem.reduced import axisym_forms as af
from seifem.reduced.axisym_finite import deformation_gradient, membrane_green_strains
from seifem.reduced.axisym_output import interface_tractions, meridian_fields, ray_profile, reduce_extreme
from seifem.reduced.axisym_plastic import nodal_matrix
from seifem.units import SCALES

__all__ = ["GPA_TO_MPA", "AxisymOutput"]

GPA_TO_MPA = SCALES.stress / 1e6
_FACET_POINTS = np.array([[0.0], [1.0], [0.5]])  # reference interval: ends and midpoint
_NOUT = len(af.OUTPUT_KEYS)
_K = {k: i for i, k in enumerate(af.OUTPUT_KEYS)}
_ODD = np.array([[k in ("sigma_rz", "u_r"), k in ("sigma_rz", "u_z")] for k in af.OUTPUT_KEYS])
"""Output components odd in r (across the axis) and in z (across the equatorial plane)."""


class AxisymOutput:
    """The output methods of `AxisymProblem` (its mesh, spaces, regions and fields)."""

    def _setup_output(self) -> None:
        k = self.design.degree
        self.Sv = fem.functionspace(self.mesh, ("Discontinuous Lagrange", k, (_NOUT,)))
        X = self.Sv.element.interpolation_points
        zero = self._const(0.0)
        plastic = self.plastic.regions if self.plastic is not None else []
        self._pexpr = {}
        self._expr = {n: fem.Expression(af.output_vector(self.stress(n, self.tiny), self.x,
                                                         self.theta if n == "core" else zero, self.u, GPA_TO_MPA), X)
                      for n in self.regions if n not in plastic}
        self.out = fem.Function(self.Sv)
        nloc = self.mesh.topology.index_map(2).size_local
        self.owned = {n: c[c < nloc] for n, c in self.cells.items()}
        # the history extremes (`physics.recovery`): the axis r = 0 and the plane z = 0 are mirrors
        self._rec = PatchRecovery(self.mesh, self.cells, k, planes=(0, 1))
        self._qexpr = {n: fem.Expression(af.output_vector(self.stress(n), self.x, self.theta if n == "core" else zero,
                                                          self.u, GPA_TO_MPA), self._rec.points)
                       for n in self.regions if n not in plastic}
        if plastic:  # the stress lives at the plastic quadrature points: fit there, read at the points wanted
            pts = self.plastic.points
            self._to_nodes, self._to_rec = nodal_matrix(pts, X, k), nodal_matrix(pts, self._rec.points, k)
            self._pexpr = {n: fem.Expression(af.output_vector(self.stress(n), self.x, self.theta if n == "core" else zero,
                                                              self.u, GPA_TO_MPA), pts) for n in plastic}
            self._pxexpr = fem.Expression(self.x, pts)
        self._inv = fem.form(self.theta * self.w * self.dx(1))
        self._theta_s = fem.form(self.on_surfaces(self.theta * self.w, self.flux_surfaces))
        u = self.interface.field if self.interface is not None else lambda _: self.u
        if self.finite is not None:  # det F - 1
            self._dvol = fem.form((ufl.det(deformation_gradient(self.u, self.r)) - 1) * self.w * self.dx)
        else:
            self._dvol = fem.form(sum(ufl.tr(af.strain(u(n), self.r)) * self.w * self.dx(i + 1)
                                      for i, n in enumerate(self.regions)))
        T = af.CURVE_TAGS
        facets = np.concatenate([self.facet_tags.find(T[n]) for n in self.flux_surfaces])
        self._surf_dofs = fem.locate_dofs_topological(self.V, 1, facets)
        self._sei = None
        if self.design.sei is not None:
            s = self.design.sei
            n = ufl.FacetNormal(self.mesh)
            strains = membrane_green_strains if self.finite is not None else af.membrane_strains  # SVK at finite strain
            es, eh = strains(self.u, self.r, n, self.tiny)
            ss, sh = af.membrane_stresses(es, eh, s.youngs_modulus / 1e6, s.poisson_ratio)
            facets = np.concatenate([self.facet_tags.find(T[n_]) for n_ in self.sei_surfaces])
            nfl = self.mesh.topology.index_map(1).size_local
            facets = np.sort(facets[facets < nfl]).astype(np.int32)
            ent = fem.compute_integration_domains(fem.IntegralType.exterior_facet, self.mesh.topology, facets)
            self._sei = (fem.Expression(ufl.as_vector([es, eh, ss, sh]), _FACET_POINTS),
                         np.asarray(ent, dtype=np.int32).reshape(-1, 2))
        self._coords = self.Sv.tabulate_dof_coordinates()[:, :2]
        if self.fracture is not None:
            self.Sd = fem.functionspace(self.mesh, ("Discontinuous Lagrange", k))
            self._damage = fem.Function(self.Sd, name="damage")

    # ------------------------------------------------------------------ output
    def _update(self) -> np.ndarray:
        """Nodal output vector (OUTPUT_KEYS, MPa / um) per DG block, shape (blocks, _NOUT)."""
        self.out.x.array[:] = 0.0
        vals = self.out.x.array.reshape(-1, _NOUT)
        for n in self.regions:
            if n in self._expr:
                self.out.interpolate(self._expr[n], cells0=self.cells[n])
                continue
            vals[self.Sv.dofmap.list[self.cells[n]]] = self._plastic_values(n, self.cells[n], self._to_nodes)
        return vals

    def _plastic_values(self, region: str, cells: np.ndarray, to: np.ndarray) -> np.ndarray:
        """Output vectors (cells, points, _NOUT) of a plastic region: its polynomial through the
        quadrature values, read at the reference points of the map `to` (`nodal_matrix`)."""
        q = self._pexpr[region].eval(self.mesh, cells).reshape(len(cells), len(self.plastic.points), _NOUT)
        return np.einsum("jq,cqk->cjk", to, q)

    def _quadrature_rows(self, region: str) -> tuple[np.ndarray, np.ndarray]:
        """(meridian points (n, 2), output rows (n, _NOUT)) at the quadrature points of a plastic
        region's owned cells."""
        c = self.owned[region]
        if not c.size:
            return np.empty((0, 2)), np.empty((0, _NOUT))
        return (self._pxexpr.eval(self.mesh, c).reshape(-1, 2),
                self._pexpr[region].eval(self.mesh, c).reshape(-1, _NOUT))

    def _at_recovery_points(self, region: str) -> np.ndarray:
        """Output vectors (cells, points, _NOUT) at the recovery's points of its cells."""
        c = self._rec.cells[region]
        if region in self._qexpr:
            return self._qexpr[region].eval(self.mesh, c).reshape(len(c), len(self._rec.points), _NOUT)
        return self._plastic_values(region, c, self._to_rec)

    def scalars(self) -> dict[str, float]:
        """History row with the keys and units of `Quantities.scalars()` (full particle).
        Collective."""
        comm, sf = self.comm, self._MIRROR
        inv = sf * self.integrate(self._inv)
        out = {"soc": inv / self.core_volume, "ions_mol": self.c_max * inv * SCALES.length**3,
               "volume_change": sf * self.integrate(self._dvol) / self.total_volume}
        surf = self.theta.x.array[self._surf_dofs]
        out["surface_soc_max"], out["surface_soc_min"] = reduce_extreme(comm, surf, MPI.MAX), reduce_extreme(comm, surf, MPI.MIN)
        out["surface_soc_mean"] = sf * self.integrate(self._theta_s) / self.flux_area
        nodes = {n: self._rec(n, self._at_recovery_points(n), _ODD) for n in self.regions}  # patch recovery
        for n in self.regions:
            m = stress_measures(*meridian_tensors(*nodes[n], _K))
            if n in self._pexpr:  # plastic: the quadrature values too (a kink at the front lies between vertices)
                q = stress_measures(*meridian_tensors(*self._quadrature_rows(n), _K))
                m = {k: np.concatenate([m[k], q[k]]) for k in m}
            out.update({f"{n}_sr_max_MPa": reduce_extreme(comm, m["sr"], MPI.MAX), f"{n}_sr_min_MPa": reduce_extreme(comm, m["sr"], MPI.MIN),
                        f"{n}_st_max_MPa": reduce_extreme(comm, m["st"], MPI.MAX), f"{n}_st_min_MPa": reduce_extreme(comm, m["st"], MPI.MIN),
                        f"{n}_vm_max_MPa": reduce_extreme(comm, m["vm"], MPI.MAX), f"{n}_p1_max_MPa": reduce_extreme(comm, m["p1"], MPI.MAX)})
        if self.interface is not None:
            out.update(self.interface.scalars())
        elif len(self.regions) > 1:
            out.update(interface_tractions(*nodes["core"], self.breaks[1], self.aspect, self.comm))
        if self._sei is not None:
            expr, ent = self._sei
            s = expr.eval(self.mesh, ent).reshape(-1, 4) if ent.size else np.empty((0, 4))
            e1, e2 = np.maximum(s[:, 0], s[:, 1]), np.minimum(s[:, 0], s[:, 1])
            s1, s2 = np.maximum(s[:, 2], s[:, 3]), np.minimum(s[:, 2], s[:, 3])
            out.update(sei_strain_max=reduce_extreme(comm, e1, MPI.MAX), sei_strain_min=reduce_extreme(comm, e2, MPI.MIN),
                       sei_stress_max_MPa=reduce_extreme(comm, s1, MPI.MAX), sei_stress_min_MPa=reduce_extreme(comm, s2, MPI.MIN))
        if self.fracture is not None:
            out.update(self.fracture.scalars())
        if self.plastic is not None:
            out.update(self.plastic.scalars())
        return {k: float(v) for k, v in out.items()}

    def _local_nodes(self):
        """Owned DG nodes: (coordinates (n, 2) um, region index (n,), values (n, _NOUT)), per
        owned cell in region order."""
        vals = self._update()
        dm = self.Sv.dofmap.list
        blocks = [dm[self.owned[n]].ravel() for n in self.regions]
        reg = np.concatenate([np.full(b.size, i, dtype=np.int32) for i, b in enumerate(blocks)])
        b = np.concatenate(blocks) if blocks else np.empty(0, dtype=np.int32)
        return self._coords[b], reg, vals[b]

    def profiles(self, along: str = "equator") -> dict[str, np.ndarray]:
        """Nodal profiles along the equator or the axis (`axisym_output.ray_profile`). Collective."""
        return ray_profile(*self._local_nodes(), along, self.breaks[-1], self.aspect, self.comm)

    def fields(self) -> dict[str, np.ndarray]:
        """All nodal output on rank 0 ({} elsewhere) for the meridian maps
        (`axisym_output.meridian_fields`). Collective."""
        x, reg, vals = self._local_nodes()
        extra = {}
        if self.fracture is not None:  # the damage at the same DG nodes
            self._damage.interpolate(self.fracture.d)
            dm = self.Sd.dofmap.list
            extra["damage"] = self._damage.x.array[np.concatenate([dm[self.owned[n]].ravel() for n in self.regions])]
        return meridian_fields(x, reg, vals, self.Sv.dofmap.list.shape[1], self.design.degree, self.comm, extra)

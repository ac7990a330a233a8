"""Derived fields (stress tensor, radial and hoop stress, von Mises, hydrostatic) and the
per-step scalars of the history, reduced over all ranks.

Fields live in discontinuous Lagrange spaces of the solution degree, so stress jumps at the
core/coating interface are kept. The per-region extremes of the history are taken where the
stress is accurate: a per-region superconvergent patch recovery from the quadrature-point
values (`physics.recovery`), in elastic and plastic regions alike. Stresses are reported
in MPa, strains as fractions.
"""

from __future__ import annotations

import numpy as np
import ufl
from dolfinx import fem
from mpi4py import MPI

from seifem.physics import failure as fail
from seifem.physics import mechanics as mech
from seifem.physics.membrane import membrane_strain, principal_in_plane
from seifem.physics.recovery import PatchRecovery, RegionStresses
from seifem.problem.indicators import (
    FACET_POINTS,
    failure_limits,
    interface_vertices,
    layer_indicators,
    sei_indicators,
)
from seifem.units import SCALES

__all__ = ["Quantities"]

GPA_TO_MPA = SCALES.stress / 1e6



class Quantities:
    """Fields and scalars of a `ParticleProblem`. Call `update()` after each step."""

    def __init__(self, problem):
        self.p = problem
        geo, mesh = problem.geo, problem.geo.mesh
        k = problem.case.solver.degree
        self.S = fem.functionspace(mesh, ("Discontinuous Lagrange", k))
        self.Sv = fem.functionspace(mesh, ("Discontinuous Lagrange", k, (3,)))
        self.St = fem.functionspace(mesh, ("Discontinuous Lagrange", k, (3, 3)))
        self.sigma = fem.Function(self.St, name="stress_MPa")
        self.fields = {
            "theta": fem.Function(self.S, name="theta"),
            "displacement": fem.Function(self.Sv, name="displacement_um"),
            "sigma_rr": fem.Function(self.S, name="sigma_rr_MPa"),
            "sigma_tt": fem.Function(self.S, name="sigma_hoop_MPa"),
            "von_mises": fem.Function(self.S, name="von_mises_MPa"),
            "hydrostatic": fem.Function(self.S, name="hydrostatic_MPa"),
            "region": fem.Function(self.S, name="region"),
            "failure_index": fem.Function(self.S, name="failure_index"),
        }
        self.regions = list(problem.moduli)
        self.cells = {r: geo.cells(r) for r in self.regions}
        X = self.S.element.interpolation_points
        # stresses at the DG nodes; plastic regions keep their history at quadrature points,
        # where alone it can be evaluated, so there the quadrature-point values are projected
        # onto the DG space cell by cell (`_QuadratureToDG`: one small matrix, no solve)
        plastic = problem.nonlinear.yield_stress if problem.nonlinear is not None else {}
        qdeg = problem.nonlinear.qdeg if problem.nonlinear is not None else None
        if getattr(problem, "fracture", None) is not None and problem.fracture.solver.plastic.names:  # fracture's own return
            plastic, qdeg = problem.fracture.solver.plastic.names, problem.fracture.solver.plastic.qdeg
        self._stress_expr = {r: fem.Expression(GPA_TO_MPA * problem.stress(r), X) for r in self.regions
                             if r not in plastic}
        # the history extremes: per-region patch recovery from the quadrature points (`recovery`)
        self.recovery = PatchRecovery(mesh, self.cells, k, planes=(0, 1, 2) if geo.octant else ())
        assert not plastic or qdeg == self.recovery.quadrature_degree
        s9 = {r: ufl.as_vector([GPA_TO_MPA * problem.stress(r)[i, j] for i in range(3) for j in range(3)])
              for r in self.regions}
        xq = fem.Expression(ufl.SpatialCoordinate(mesh), self.recovery.points)
        self.stresses = RegionStresses(self.recovery, {r: fem.Expression(s9[r], self.recovery.points)
                                                       for r in self.regions}, {r: xq for r in plastic})
        self._to_dg = _QuadratureToDG(self.St, self.recovery.points) if plastic else None
        self._plastic = list(plastic)
        x = ufl.SpatialCoordinate(mesh)
        srr, stt = mech.radial_hoop(self.sigma, x)
        self._scalar_expr = {
            "sigma_rr": fem.Expression(srr, X), "sigma_tt": fem.Expression(stt, X),
            "von_mises": fem.Expression(mech.von_mises(self.sigma), X),
            "hydrostatic": fem.Expression(mech.hydrostatic(self.sigma), X),
        }
        self._theta_expr = fem.Expression(problem.theta, X)
        self._u_expr = fem.Expression(problem.u, self.Sv.element.interpolation_points)
        for i, r in enumerate(self.regions):
            self.fields["region"].x.array[self.owned_dofs(self.S, self.cells[r])] = i + 1

        dxc, dx = geo.dx("core"), geo.dx()
        self._forms = {
            "theta": fem.form(problem.theta * dxc),
            "dvol": fem.form(problem.volume_change_density() * dx(metadata={"quadrature_degree":
                                                                            problem.volume_change_degree})),
            "theta_s": fem.form(problem.on_surfaces(problem.theta, problem.flux_surfaces)),
        }
        if problem.coupled is not None:  # the stress that shifts the equilibrium potential
            self._forms["sigma_h_s"] = fem.form(problem.on_surfaces(problem.coupled.s, problem.flux_surfaces))
        self._surface_dofs = fem.locate_dofs_topological(problem.V, 2, self._flux_facets())
        self._sei = self._sei_expression() if problem.case.sei is not None else None
        self.interface = interface_vertices(self) if problem.case.coatings else None

    # ------------------------------------------------------------------ helpers
    def owned_dofs(self, V, cells: np.ndarray) -> np.ndarray:
        """Unblocked dof indices of V on the given local cells (owned cells only)."""
        nloc = V.mesh.topology.index_map(3).size_local
        cells = cells[cells < nloc]
        blocks = V.dofmap.list[cells].ravel()
        bs = V.dofmap.index_map_bs
        return (blocks[:, None] * bs + np.arange(bs)).ravel() if bs > 1 else blocks

    def _flux_facets(self) -> np.ndarray:
        return np.concatenate([self.p.geo.facets(n) for n in self.p.flux_surfaces])

    def _sei_expression(self):
        """In-plane principal strains and stresses (MPa) of the SEI at its electrolyte-facing
        facets: from the membrane law, or from the stress of the resolved SEI layer."""
        p, mesh = self.p, self.p.geo.mesh
        n = ufl.FacetNormal(mesh)
        film_strain = p.sei_strain() if p.sei is not None else p.surface_strain()
        es = membrane_strain(film_strain, n)
        e1, e2 = principal_in_plane(es, n)
        mat = p.case.sei.material
        E, nu = mat.si("youngs_modulus") / SCALES.stress, mat.si("poisson_ratio")
        if p.sei is not None:  # membrane
            c = E / (1 - nu**2) * GPA_TO_MPA
            s1, s2 = c * (e1 + nu * e2), c * (e2 + nu * e1)
        else:
            s1, s2 = principal_in_plane(membrane_strain(GPA_TO_MPA * p.stress(p.case.shells[-1].name), n), n)
        # failure indicators (physics.failure): strain and energy utilisation, channel cracking
        h = p.case.sei.thickness / SCALES.length
        limits = failure_limits(mat)
        eps_y, gamma = limits.get("elastic_strain_limit"), limits.get("fracture_energy")
        nan = ufl.as_ufl(float("nan"))
        util_e = fail.strain_utilisation_ufl(film_strain, n, eps_y) if eps_y else nan
        util_w = fail.energy_utilisation_ufl(film_strain, n, E, nu, eps_y) if eps_y else nan
        crack = fail.channel_crack_ratio_ufl(s1 / GPA_TO_MPA, h, E, nu, gamma) if gamma else nan
        area_ratio = 1 + ufl.tr(membrane_strain(p.surface_strain(), n))  # J_s of the surface since t = 0
        expr = ufl.as_vector([e1, e2, s1, s2, util_e, util_w, crack, area_ratio])
        tdim = mesh.topology.dim
        facets = np.concatenate([p.geo.facets(n) for n in p.sei_surfaces])
        nloc = mesh.topology.index_map(tdim - 1).size_local
        facets = facets[facets < nloc]
        entities = fem.compute_integration_domains(fem.IntegralType.exterior_facet, mesh.topology, facets)
        return fem.Expression(expr, FACET_POINTS), np.asarray(entities, dtype=np.int32).reshape(-1, 2)

    def _update_failure_index(self) -> None:
        """Largest failure indicator (>= 1: failed): the SEI's on the cells under its facets,
        each coating's stress utilisation and channel-crack ratio at its nodes."""
        f = self.fields["failure_index"]
        f.x.array[:] = 0.0
        if self._sei_vals is not None:
            worst = np.nan_to_num(self._sei_vals[:, :, 4:7], nan=0.0).max(axis=(1, 2))
            cells = self._sei[1][:, 0]
            dofs = self.S.dofmap.list[cells]
            f.x.array[dofs] = np.maximum(f.x.array[dofs], worst[:, None])
        sig = self.sigma.x.array.reshape(-1, 3, 3) / 1e3
        for layer in self.p.case.solid_layers:
            lim = failure_limits(layer.material)
            d = self.owned_dofs(self.S, self.cells[layer.name])
            if not d.size or not ({"strength", "fracture_energy"} & set(lim)):
                continue
            p1 = np.linalg.eigvalsh(sig[d])[:, -1]
            worst = np.zeros_like(p1)
            if "strength" in lim:
                worst = np.maximum(worst, p1 / lim["strength"])
            if "fracture_energy" in lim:
                E, nu = layer.material.si("youngs_modulus") / SCALES.stress, layer.material.si("poisson_ratio")
                worst = np.maximum(worst, fail.channel_crack_G(p1, layer.thickness / SCALES.length, E, nu)
                                   / lim["fracture_energy"])
            f.x.array[d] = worst

    def _sum(self, form) -> float:
        return self.p.comm.allreduce(fem.assemble_scalar(form), op=MPI.SUM)

    # ------------------------------------------------------------------ update
    def update(self) -> None:
        """Recompute the derived fields from the problem's current state."""
        p = self.p
        self.stresses.clear()
        for r, expr in self._stress_expr.items():
            self.sigma.interpolate(expr, cells0=self.cells[r])
        for r in self._plastic:  # from the recovery's quadrature-point values (also its cache)
            self._to_dg(self.sigma, self.recovery.cells[r], self.stresses.qp_values(r))
        for name, expr in self._scalar_expr.items():
            self.fields[name].interpolate(expr)
        self.fields["theta"].x.array[:] = 0.0
        self.fields["theta"].interpolate(self._theta_expr, cells0=self.cells["core"])
        self.fields["displacement"].interpolate(self._u_expr)
        self._sei_vals = None
        if self._sei is not None:
            expr, entities = self._sei
            self._sei_vals = expr.eval(p.geo.mesh, entities).reshape(len(entities), -1, 8)
        self._update_failure_index()
        for f in (self.sigma, *self.fields.values()):
            f.x.scatter_forward()

    def destroy(self) -> None:
        """Nothing to free (kept for the callers): the derived fields hold no PETSc objects."""

    def scalars(self) -> dict[str, float]:
        """History row (without time): names and units in docs/outputs.md."""
        p, comm = self.p, self.p.comm
        L3 = SCALES.length**3
        inv = self._sum(self._forms["theta"])
        out = {
            "soc": inv / p.core_volume,
            "ions_mol": p.c_max * inv * L3 * p.geo.symmetry_factor,
            "volume_change": self._sum(self._forms["dvol"]) / p.total_volume,
        }
        surf = p.theta.x.array[self._surface_dofs]
        out["surface_soc_max"] = _reduce(comm, surf, np.max, MPI.MAX)
        out["surface_soc_min"] = _reduce(comm, surf, np.min, MPI.MIN)
        out["surface_soc_mean"] = self._sum(self._forms["theta_s"]) / p.flux_area
        if "sigma_h_s" in self._forms:
            out["surface_sigma_h_MPa"] = self._sum(self._forms["sigma_h_s"]) / p.flux_area * GPA_TO_MPA
        for r in self.regions:  # extremes where the stress is accurate (`recovery.RegionStresses`)
            m = self.stresses(r)
            out[f"{r}_sr_max_MPa"] = _reduce(comm, m["sr"], np.max, MPI.MAX)
            out[f"{r}_sr_min_MPa"] = _reduce(comm, m["sr"], np.min, MPI.MIN)
            out[f"{r}_st_max_MPa"] = _reduce(comm, m["st"], np.max, MPI.MAX)
            out[f"{r}_st_min_MPa"] = _reduce(comm, m["st"], np.min, MPI.MIN)
            out[f"{r}_vm_max_MPa"] = _reduce(comm, m["vm"], np.max, MPI.MAX)
            out[f"{r}_p1_max_MPa"] = _reduce(comm, m["p1"], np.max, MPI.MAX)
        if self._sei is not None:
            vals = self._sei_vals.reshape(-1, 8)
            out["sei_strain_max"] = _reduce(comm, vals[:, 0], np.max, MPI.MAX)
            out["sei_strain_min"] = _reduce(comm, vals[:, 1], np.min, MPI.MIN)
            out["sei_stress_max_MPa"] = _reduce(comm, vals[:, 2], np.max, MPI.MAX)
            out["sei_stress_min_MPa"] = _reduce(comm, vals[:, 3], np.min, MPI.MIN)
            out.update(sei_indicators(vals[:, 4:7], comm))
        out.update(layer_indicators(self, comm))
        if hasattr(p.nonlinear, "scalars"):  # columns of the mechanics itself (yolk-shell contact)
            out.update(p.nonlinear.scalars())
        return out


def _reduce(comm: MPI.Comm, values: np.ndarray, local, op) -> float:
    """Global max/min of a possibly empty local array."""
    fill = -np.inf if op == MPI.MAX else np.inf
    return float(comm.allreduce(float(local(values)) if values.size else fill, op=op))


class _QuadratureToDG:
    """Cell-wise L2 projection of values at reference quadrature points onto a (blocked)
    discontinuous Lagrange space, with the reference cell's mass matrix: one (dofs x points)
    matrix for every cell, exact on affine cells (on curved ones the projection is weighted by
    the reference measure instead of the physical one: still exact for polynomials of the
    space)."""

    def __init__(self, V, points: np.ndarray):
        import basix

        e = V.element.basix_element
        cell = V.mesh.basix_cell()
        xm, wm = basix.make_quadrature(cell, 2 * e.degree)
        pm = e.tabulate(0, xm)[0, :, :, 0]
        _, wq = basix.make_quadrature(cell, 2 * (e.degree - 1) if e.degree > 1 else 1)
        assert len(wq) == len(points)
        pq = e.tabulate(0, points)[0, :, :, 0]  # (points, dofs)
        self.matrix = np.linalg.solve(pm.T @ (wm[:, None] * pm), pq.T * wq[None, :])  # (dofs, points)
        self.V, self.bs = V, V.dofmap.index_map_bs

    def __call__(self, target: fem.Function, cells: np.ndarray, values: np.ndarray) -> None:
        """Set target's dofs on the (owned) cells from values (cells, points, block size)."""
        if not cells.size:
            return
        dofs = self.V.dofmap.list[cells]  # (cells, dofs)
        a = target.x.array.reshape(-1, self.bs)
        a[dofs] = np.einsum("dq,cqb->cdb", self.matrix, values)

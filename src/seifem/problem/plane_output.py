"""Outputs of the 2D plane-strain cross-section (`seifem.problem.plane`): history scalars,
nodal fields, probe values and the crack counts.

Nodal values live in a vector DG1 space (per cell, per region, so the jumps at interfaces
stay): KEYS, stresses in MPa about the centre (radial along x/|x|, hoop along the in-plane
tangent, sigma_zz the plane-strain axial stress), u in um, damage 0..1.

Crack measures (stated):
- `cracked_volume_fraction`: area with d > CRACKED (0.95) over the area of the cracking regions;
- `crack_area_um2`: crack energy / G_c = crack length (um) x 1 um of cylinder length;
- `crack_depth_um`: the depth below the core's circle of the deepest point with d > CRACKED
  (0 if none): a seeded flaw's depth at the start, growing as it runs;
- `surface_cracks`: the number of separate arcs of the flux circle (the core's circle) on
  which d > CRACKED at the vertices (each radial crack that reaches the surface is one);
- `fragments`: connected components (through shared edges) of the intact cells, those whose
  vertices all have d < CRACKED, that hold at least FRAGMENT_MIN (1 %) of the cracking
  regions' area (1 while nothing is cracked).
"""

from __future__ import annotations

import numpy as np
import ufl
from dolfinx import fem
from mpi4py import MPI

from seifem.geometry.plane import CURVE_TAGS
from seifem.physics import mechanics as mech
from seifem.physics import phase_field as pf
from seifem.units import SCALES

__all__ = ["CRACKED", "FRAGMENT_MIN", "KEYS", "PlaneOutput"]

KEYS = ("theta", "sigma_rr", "sigma_hoop", "sigma_zz", "von_mises", "hydrostatic", "p1", "u_x", "u_y", "damage")
CRACKED = 0.95
FRAGMENT_MIN = 0.01
_K = {k: i for i, k in enumerate(KEYS)}
MPA = SCALES.stress / 1e6


def _vector(sigma, x, theta, u, d):
    s = MPA * sigma
    r = ufl.sqrt(x[0] ** 2 + x[1] ** 2)
    far = ufl.gt(r, 1e-9)  # at the centre (r = 0) the radial direction is taken along x
    rs = ufl.max_value(r, 1e-9)
    n = ufl.as_vector([ufl.conditional(far, x[0] / rs, 1.0), ufl.conditional(far, x[1] / rs, 0.0)])
    t = ufl.as_vector([-n[1], n[0]])
    s2 = ufl.as_matrix([[s[0, 0], s[0, 1]], [s[1, 0], s[1, 1]]])
    a, b, c = s[0, 0], s[1, 1], s[0, 1]
    p_in = (a + b) / 2 + ufl.sqrt(((a - b) / 2) ** 2 + c**2)
    return ufl.as_vector([theta, ufl.dot(n, ufl.dot(s2, n)), ufl.dot(t, ufl.dot(s2, t)), s[2, 2], mech.von_mises(s),
                          mech.hydrostatic(s), ufl.max_value(p_in, s[2, 2]), u[0], u[1], d])


class PlaneOutput:
    """The outputs of a `PlaneProblem` `p`."""

    def __init__(self, p):
        self.p = p
        mesh = p.mesh
        self.S = fem.functionspace(mesh, ("Discontinuous Lagrange", 1, (len(KEYS),)))
        X = self.S.element.interpolation_points
        x, zero = ufl.SpatialCoordinate(mesh), fem.Constant(mesh, 0.0)
        fr = p.fracture
        d = fr.d if fr is not None else zero
        self._expr = {n: fem.Expression(_vector(p.stress(n), x, p.theta if n == "core" else zero, p.u, d), X)
                      for n in p.regions}
        self.values = fem.Function(self.S)
        nloc = mesh.topology.index_map(2).size_local
        self.owned = {n: c[c < nloc] for n, c in p.cells.items()}
        self._coords = self.S.tabulate_dof_coordinates()[:, :2]
        self._inv = fem.form(p.theta * p.dx(1))
        self._theta_s = fem.form(p._on_flux_surface(p.theta))
        self._dvol = fem.form((ufl.tr(ufl.grad(p.u)) + p.ezz) * p.dx)
        facets = p.facet_tags.find(CURVE_TAGS[p.flux_surface])
        self._surf_dofs = fem.locate_dofs_topological(p.V, 1, facets)
        if fr is not None:
            f = p.fracture_model
            D = fr.d.function_space
            self._surf_d = fem.locate_dofs_topological(D, 1, facets)
            self._surf_angle = np.arctan2(*D.tabulate_dof_coordinates()[self._surf_d, 1::-1].T)
            n_d = D.dofmap.index_map.size_local
            self._d_depth = p.breaks[1] - np.linalg.norm(D.tabulate_dof_coordinates()[:n_d, :2], axis=1)
            l = f.length_scale / SCALES.length
            self._area = {n: fem.form(pf.crack_energy_density(fr.d, Gc, l, f.model) / Gc * p.dx(i + 1))
                          for i, n in enumerate(p.regions) if (Gc := p.Gc.get(n)) is not None}
            self._energy = {n: fem.form(pf.crack_energy_density(fr.d, p.Gc[n], l, f.model) * p.dx(i + 1))
                            for i, n in enumerate(p.regions) if n in p.Gc}
            marks = [p.dx(i + 1) for i, n in enumerate(p.regions) if n in p.Gc]
            one = fem.Constant(mesh, 1.0)
            cracked = ufl.conditional(ufl.gt(fr.d, CRACKED), 1.0, 0.0)
            self._frac_area = p.integrate(sum((one * m for m in marks[1:]), one * marks[0]))
            self._cracked = fem.form(sum((cracked * m for m in marks[1:]), cracked * marks[0]))
            Q = fem.functionspace(mesh, ("Discontinuous Lagrange", 0))
            self._cell_area = fem.assemble_vector(fem.form(ufl.TestFunction(Q) * ufl.dx)).array
            self._cracking_cells = np.concatenate([p.cells[n] for n in p.Gc])

    def update(self) -> np.ndarray:
        """Nodal values (blocks, len(KEYS))."""
        self.values.x.array[:] = 0.0
        for n in self.p.regions:
            self.values.interpolate(self._expr[n], cells0=self.p.cells[n])
        return self.values.x.array.reshape(-1, len(KEYS))

    def _ext(self, v: np.ndarray, op) -> float:
        local = (v.max() if op == MPI.MAX else v.min()) if v.size else (-np.inf if op == MPI.MAX else np.inf)
        return float(self.p.comm.allreduce(float(local), op=op))

    def scalars(self) -> dict[str, float]:
        """History row (the twins' names; areas per um of length). Collective."""
        p = self.p
        vals = self.update()
        inv = p.integrate(self._inv)
        out = {"soc": inv / p.core_volume, "ions_mol": p.c_max * inv * SCALES.length**3,
               "volume_change": p.integrate(self._dvol) / p.total_volume, "axial_strain": float(p.ezz.value)}
        surf = p.theta.x.array[self._surf_dofs]
        out["surface_soc_max"], out["surface_soc_min"] = self._ext(surf, MPI.MAX), self._ext(surf, MPI.MIN)
        out["surface_soc_mean"] = p.integrate(self._theta_s) / p.flux_area
        dm = self.S.dofmap.list
        for n in p.regions:
            v = vals[dm[self.owned[n]].ravel()]
            for key, col in (("sr", "sigma_rr"), ("st", "sigma_hoop")):
                out[f"{n}_{key}_max_MPa"] = self._ext(v[:, _K[col]], MPI.MAX)
                out[f"{n}_{key}_min_MPa"] = self._ext(v[:, _K[col]], MPI.MIN)
            out[f"{n}_vm_max_MPa"] = self._ext(v[:, _K["von_mises"]], MPI.MAX)
            out[f"{n}_p1_max_MPa"] = self._ext(v[:, _K["p1"]], MPI.MAX)
        if p.fracture is not None:
            out.update(self.fracture_scalars())
        return {k: float(v) for k, v in out.items()}

    def fracture_scalars(self) -> dict[str, float]:
        p, fr = self.p, self.p.fracture
        d = fr.d.x.array
        dmax = self._ext(d, MPI.MAX)
        area = sum(p.integrate(a) for a in self._area.values())
        energy = sum(p.integrate(e) for e in self._energy.values())
        hit = self._d_depth[d[: self._d_depth.size] > CRACKED]
        return {"damage_max": dmax, "cracked_volume_fraction": p.integrate(self._cracked) / self._frac_area,
                "crack_depth_um": max(self._ext(hit, MPI.MAX), 0.0),
                "crack_area_um2": area, "crack_energy_J": energy * SCALES.stress * SCALES.length**3,
                "surface_cracks": self.surface_cracks() if dmax > CRACKED else 0,
                "fragments": self.fragments() if dmax > CRACKED else 1,
                "fracture_iterations": fr.last["iterations"],
                "elastic_energy_J": fr.elastic_energy() * SCALES.stress * SCALES.length**3,
                "chemical_work_J": p.fracture_work.work * SCALES.stress * SCALES.length**3}

    def surface_cracks(self) -> int:
        """Separate arcs of the flux circle with d > CRACKED. Collective."""
        comm = self.p.comm
        d = self.p.fracture.d.x.array[self._surf_d]
        parts = comm.gather(np.column_stack([self._surf_angle, d]), root=0)
        n = 0
        if comm.rank == 0:
            a = np.concatenate(parts)
            a = a[np.argsort(a[:, 0])]
            c = a[:, 1] > CRACKED
            n = int(np.count_nonzero(c & ~np.roll(c, 1))) if not c.all() else 1
        return comm.bcast(n, root=0)

    def fragments(self) -> int:
        """Connected intact pieces of the cracking regions (see the module doc). Collective."""
        from scipy.sparse import coo_matrix
        from scipy.sparse.csgraph import connected_components

        p, comm, mesh = self.p, self.p.comm, self.p.mesh
        tdim = 2
        imap = mesh.topology.index_map(tdim)
        nloc = imap.size_local
        D = p.fracture.d.function_space
        dcell = p.fracture.d.x.array[D.dofmap.list].max(axis=1)
        cells = self._cracking_cells
        intact = np.zeros(dcell.size, dtype=bool)
        intact[cells] = dcell[cells] < CRACKED
        mesh.topology.create_connectivity(tdim - 1, tdim)
        f2c = mesh.topology.connectivity(tdim - 1, tdim)
        off, arr = f2c.offsets, f2c.array
        two = np.flatnonzero(np.diff(off) == 2)
        a, b = arr[off[two]], arr[off[two] + 1]
        keep = intact[a] & intact[b]
        g = imap.local_to_global
        edges = np.column_stack([g(a[keep].astype(np.int32)), g(b[keep].astype(np.int32))])
        own = np.flatnonzero(intact[:nloc]).astype(np.int32)
        nodes = np.column_stack([g(own), self._cell_area[own]])
        E, N = comm.gather(edges, root=0), comm.gather(nodes, root=0)
        count = 0
        if comm.rank == 0:
            E, N = np.concatenate(E).astype(np.int64), np.concatenate(N)
            n = imap.size_global
            graph = coo_matrix((np.ones(len(E)), (E[:, 0], E[:, 1])), shape=(n, n))
            _, label = connected_components(graph, directed=False)
            lab = label[N[:, 0].astype(np.int64)]
            areas = np.bincount(lab, weights=N[:, 1], minlength=label.max() + 1)
            count = int(np.count_nonzero(areas >= FRAGMENT_MIN * self._frac_area))
        return comm.bcast(count, root=0)

    def nodes(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Owned DG1 nodes on rank 0 ((n, 2) um, region index (n,), values (n, len(KEYS))),
        three per triangle in cell order; empty arrays elsewhere. Collective."""
        p, comm = self.p, self.p.comm
        vals = self.update()
        dm = self.S.dofmap.list
        blocks = [dm[self.owned[n]].ravel() for n in p.regions]
        reg = np.concatenate([np.full(b.size, i, dtype=np.int32) for i, b in enumerate(blocks)])
        b = np.concatenate(blocks)
        parts = comm.gather((self._coords[b], reg, vals[b]), root=0)
        if comm.rank != 0:
            return np.empty((0, 2)), np.empty(0, np.int32), np.empty((0, len(KEYS)))
        return tuple(np.concatenate(x) for x in zip(*parts))

    def probe(self, points: dict[str, tuple[float, float]]) -> dict[str, np.ndarray]:
        """Values (len(KEYS)) at the DG node nearest each point (um). Collective."""
        vals = self.update()
        out = {}
        for name, xy in points.items():
            dist = np.linalg.norm(self._coords - np.asarray(xy), axis=1)
            i = int(np.argmin(dist)) if dist.size else -1
            best = (float(dist[i]) if i >= 0 else np.inf, vals[i] if i >= 0 else None)
            allb = self.p.comm.allgather(best)
            out[name] = min(allb, key=lambda t: t[0])[1]
        return out

    def destroy(self) -> None:
        pass

"""Fresh surface of phase-field cracks: the crack faces open to the electrolyte, and the SEI
that grows on them (`seifem.physics.sei_cracks.CrackFaceSEI`).

A phase-field crack has no faces; its area is the regularised crack area
A_crack = int gamma(d) dx, gamma = (w(d)/l + l |grad d|^2) / c_w (`phase_field.crack_energy_density`
over G_c), which equals the area of a fully developed crack band. The faces open to the
electrolyte are those of the cracks that reach the outer (electrolyte-facing) surface:

- the damaged cells (largest nodal d > `DAMAGED`) of the cracking regions are joined through
  shared facets into connected components (the crack bands with their tails);
- a component is open when it holds a crack mouth: a facet of the electrolyte-facing
  surface with a node where d > `CRACKED` (a crack, not a softened surface shell, cuts the
  surface there);
- the open face area is 2 x the regularised crack area of the open components' cells (the
  two faces of each crack).

A buried crack (a shell inside the core, a crack that stops short of the surface, or one
under an intact coating) is not open; a diffuse softened shell with d < `CRACKED` on the
surface is not open either. The components are found on rank 0 from the gathered cell graph
(global cell numbers), as `plane_output.fragments`.
"""

from __future__ import annotations

import numpy as np
import ufl
from dolfinx import fem, la

from seifem.physics import phase_field as pf

__all__ = ["CRACKED", "DAMAGED", "OpenCrackFaces"]

DAMAGED = 1e-6
"""Damage above which a cell belongs to a crack band (AT1 damage has compact support)."""
CRACKED = 0.95
"""Nodal damage above which a surface node is a crack mouth."""


class OpenCrackFaces:
    """Open crack-face area of a damage field `d` (P1) on `mesh`.

    cracking: local cells of the cracking regions (owned and ghost); dx: their measures (a list,
    one per region); weight: the volume weight of the integrals (2 pi r in the axisymmetric
    twin); outer_facets: local facets of the electrolyte-facing surface; length, model: the
    phase-field l and "AT1"/"AT2". `__call__` returns the open face area in model units
    (length^2, before any symmetry factor). Collective."""

    def __init__(self, d: fem.Function, cracking: np.ndarray, dx: list, outer_facets: np.ndarray, length: float,
                 model: str, weight=1.0):
        mesh = d.function_space.mesh
        self.d, self.mesh, self.comm = d, mesh, mesh.comm
        tdim = mesh.topology.dim
        self.cracking = np.unique(cracking)
        DG0 = fem.functionspace(mesh, ("Discontinuous Lagrange", 0))
        q = ufl.TestFunction(DG0)
        gamma = pf.crack_energy_density(d, 1.0, length, model) * weight  # G_c = 1: the crack area density
        self._cell_area = fem.form(sum((gamma * q * m for m in dx[1:]), gamma * q * dx[0]))
        mesh.topology.create_connectivity(tdim - 1, tdim)
        mesh.topology.create_connectivity(tdim - 1, 0)
        f2c = mesh.topology.connectivity(tdim - 1, tdim)
        off, arr = f2c.offsets, f2c.array
        interior = np.flatnonzero(np.diff(off) == 2)
        self._pairs = np.column_stack([arr[off[interior]], arr[off[interior] + 1]])
        nfl = mesh.topology.index_map(tdim - 1).size_local
        facets = np.asarray(outer_facets, dtype=np.int32)
        self._mouth_facets = facets[facets < nfl]
        self._mouth_cells = arr[off[self._mouth_facets]]
        f2v = mesh.topology.connectivity(tdim - 1, 0)
        c2v = mesh.topology.connectivity(tdim, 0)
        dofs = d.function_space.dofmap.list  # P1 on simplices: a cell's dofs are its vertices, in their order
        v2dof = np.full(mesh.topology.index_map(0).size_local + mesh.topology.index_map(0).num_ghosts, -1, np.int64)
        v2dof[c2v.array.reshape(dofs.shape)] = dofs
        self._mouth_dofs = v2dof[np.array([f2v.links(f) for f in self._mouth_facets], dtype=np.int64).reshape(-1, tdim)]
        self._dg0 = DG0.dofmap.list[:, 0]

    def __call__(self) -> float:
        from scipy.sparse import coo_matrix
        from scipy.sparse.csgraph import connected_components

        comm, mesh = self.comm, self.mesh
        tdim = mesh.topology.dim
        imap = mesh.topology.index_map(tdim)
        nloc = imap.size_local
        d = self.d.x.array
        dcell = d[self.d.function_space.dofmap.list].max(axis=1)
        damaged = np.zeros(dcell.size, dtype=bool)
        damaged[self.cracking] = dcell[self.cracking] > DAMAGED
        a, b = self._pairs[:, 0], self._pairs[:, 1]
        keep = damaged[a] & damaged[b]
        g = imap.local_to_global
        edges = np.column_stack([g(a[keep].astype(np.int32)), g(b[keep].astype(np.int32))])
        vec = fem.assemble_vector(self._cell_area)
        vec.scatter_reverse(la.InsertMode.add)
        own = np.flatnonzero(damaged[:nloc]).astype(np.int32)
        nodes = np.column_stack([g(own), vec.array[self._dg0[own]]])
        mouth = damaged[self._mouth_cells] & (d[self._mouth_dofs].max(axis=1, initial=0.0) > CRACKED)
        mouths = g(self._mouth_cells[mouth].astype(np.int32)) if mouth.any() else np.zeros(0, np.int64)
        E, N, M = comm.gather(edges, root=0), comm.gather(nodes, root=0), comm.gather(mouths, root=0)
        area = 0.0
        if comm.rank == 0:
            E, N = np.concatenate(E).astype(np.int64), np.concatenate(N)
            M = np.concatenate(M).astype(np.int64)
            if M.size:
                n = imap.size_global
                graph = coo_matrix((np.ones(len(E)), (E[:, 0], E[:, 1])), shape=(n, n))
                _, label = connected_components(graph, directed=False)
                open_ = np.zeros(label.max() + 1, dtype=bool)
                open_[label[M]] = True
                area = 2.0 * float(N[open_[label[N[:, 0].astype(np.int64)]], 1].sum())
        return comm.bcast(area, root=0)

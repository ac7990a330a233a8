"""Vertex helpers of a dolfinx mesh for the stress recovery (`physics.recovery`) and the
interface tractions: the P1 dof of every vertex, the vertices on a region's boundary, and
area-weighted vertex normals of a set of facets. Local indices; lengths in model units."""

from __future__ import annotations

import numpy as np
from dolfinx import fem, la

__all__ = ["boundary_vertices", "vertex_dofs", "vertex_normals"]


def boundary_vertices(mesh, V1, owned: np.ndarray, cells: np.ndarray, onplane: np.ndarray) -> np.ndarray:
    """Local P1 dofs (vertices) on the facets of the region's owned cells that have only one
    cell of the region (`cells`: owned and ghost): its exterior surface and its interfaces,
    not the facets on a symmetry plane (all vertices `onplane` for one axis). (Facets of owned
    cells have all their cells on the rank with shared-facet ghosts.)"""
    tdim = mesh.topology.dim
    mesh.topology.create_connectivity(tdim, tdim - 1)
    mesh.topology.create_connectivity(tdim - 1, tdim)
    nc = mesh.topology.index_map(tdim).size_local + mesh.topology.index_map(tdim).num_ghosts
    inside = np.zeros(nc, dtype=np.int8)
    inside[cells] = 1
    c2f, f2c = mesh.topology.connectivity(tdim, tdim - 1), mesh.topology.connectivity(tdim - 1, tdim)
    nf = mesh.topology.index_map(tdim - 1).size_local + mesh.topology.index_map(tdim - 1).num_ghosts
    facets = np.unique(c2f.array.reshape(nc, -1)[owned].ravel()) if owned.size else np.empty(0, dtype=np.int32)
    per_facet = np.add.reduceat(inside[f2c.array], f2c.offsets[:-1]) if nf else np.empty(0)
    single = facets[per_facet[facets] == 1]
    mesh.topology.create_connectivity(tdim - 1, 0)
    f2v = mesh.topology.connectivity(tdim - 1, 0)
    dofs = vertex_dofs(mesh, V1)[f2v.array.reshape(nf, -1)[single]] if single.size else np.empty((0, 3), dtype=int)
    dofs = dofs[~np.any(np.all(onplane[dofs], axis=1), axis=1)]
    return np.unique(dofs.ravel())


def vertex_normals(mesh, V1, facets: np.ndarray, inside: np.ndarray) -> np.ndarray:
    """Area-weighted unit normals (ntot, gdim) at the P1 dofs of the vertices of the given
    (owned) facets of a 3D mesh, pointing away from the cells flagged in `inside` (a boolean
    over local cells); zero elsewhere. Collective (one scatter)."""
    tdim = mesh.topology.dim
    for d in ((tdim - 1, 0), (tdim - 1, tdim)):
        mesh.topology.create_connectivity(*d)
    f2v, f2c = mesh.topology.connectivity(tdim - 1, 0), mesh.topology.connectivity(tdim - 1, tdim)
    nf = mesh.topology.index_map(tdim - 1).size_local + mesh.topology.index_map(tdim - 1).num_ghosts
    dofs = vertex_dofs(mesh, V1)[f2v.array.reshape(nf, -1)[facets]]  # (facets, 3)
    x = V1.tabulate_dof_coordinates()
    p = x[dofs]
    n = np.cross(p[:, 1] - p[:, 0], p[:, 2] - p[:, 0])  # twice the area times the unit normal
    centre = p.mean(axis=1)
    cells = np.array([next(c for c in f2c.links(f) if inside[c]) for f in facets], dtype=np.int64)
    mesh.topology.create_connectivity(tdim, 0)
    c2v = mesh.topology.connectivity(tdim, 0)
    nc = len(inside)
    mid = x[vertex_dofs(mesh, V1)[c2v.array.reshape(nc, -1)[cells]]].mean(axis=1) if len(cells) else centre
    n[np.einsum("ij,ij->i", n, mid - centre) > 0] *= -1
    acc = fem.Function(fem.functionspace(mesh, ("Lagrange", 1, (3,))))
    a = acc.x.array.reshape(-1, 3)
    a[:] = 0.0
    for k in range(3):
        np.add.at(a, dofs[:, k], n)
    acc.x.scatter_reverse(la.InsertMode.add)
    norm = np.linalg.norm(a, axis=1)
    return a / np.where(norm > 0, norm, 1.0)[:, None]


def vertex_dofs(mesh, V1) -> np.ndarray:
    """Map from local vertex index to the P1 dof at it."""
    tdim = mesh.topology.dim
    mesh.topology.create_connectivity(tdim, 0)
    c2v = mesh.topology.connectivity(tdim, 0)
    nc = mesh.topology.index_map(tdim).size_local + mesh.topology.index_map(tdim).num_ghosts
    nv = mesh.topology.index_map(0).size_local + mesh.topology.index_map(0).num_ghosts
    out = np.full(nv, -1, dtype=np.int64)
    out[c2v.array.reshape(nc, -1)] = V1.dofmap.list[:nc]
    return out

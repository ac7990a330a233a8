"""Thin layers as structured shells of tetrahedra, grown from the meshed surface of the core
along its outward normal (an offset surface).

A 20 nm coating on a 5 um particle cannot be meshed with isotropic tetrahedra at a sensible
cost, and gmsh fills it with slivers. Instead every surface triangle of the core is extruded
into prisms (one per sublayer) along the surface normal, and each prism is split into three
tetrahedra. Diagonals follow the node numbering, so neighbouring prisms split their shared
face alike and the mesh is conforming. A node at offset d above the surface node x is
x + d N(x): on a sphere (N = x/|x|) every node lies on its exact sphere, on an ellipsoid
(analytic N) or an imported shape (N averaged from the surface triangles) on the exact offset
surface of the meshed core surface, so each layer has a uniform thickness.

A shell may sit on a void (`gaps`): its inner surface is a copy of the surface below moved
out by the gap along N, with nodes of its own and no elements in between. That is the
yolk-shell design: the inner shell surface node k lies exactly above core-surface node k,
which pairs the two contact surfaces direction by direction.

Runs inside an open gmsh model on rank 0, after the core is meshed.
"""

from __future__ import annotations

from collections.abc import Callable

import gmsh
import numpy as np

from seifem.errors import GeometryError

__all__ = ["grow_shells", "radial_normal"]

# gmsh node order of the 10-node tetrahedron: vertices 0-3, then these edges
_TET10_EDGES = [(0, 1), (1, 2), (2, 0), (3, 0), (3, 2), (3, 1)]
_TRI6_EDGES = [(0, 1), (1, 2), (2, 0)]

Normal = Callable[[np.ndarray], np.ndarray]
"""Unit outward normals (n, 3) of the core surface at points (n, 3), model units."""


def radial_normal(x: np.ndarray) -> np.ndarray:
    """The outward normal of a sphere about the origin."""
    return x / np.linalg.norm(x, axis=1)[:, None]


def grow_shells(surfaces: list[int], offsets: list[float], sublayers: list[int], octant: bool,
                normal: Normal | str | None = None, gaps: list[float] | None = None) -> dict:
    """Grow shells outward from the core surfaces `surfaces` (gmsh tags, already meshed).

    offsets: distance of each shell's outer surface from the core surface (model units,
    increasing); sublayers: elements through each shell; normal: None (radial, a sphere about
    the origin), a callable (exact normals, e.g. of an ellipsoid) or "mesh" (area-weighted
    normals of the surface triangles, oriented out of the core volume); gaps: width of a void
    under each shell (0: bonded to the layer below). Returns the new discrete entities:
    {"volumes": [tag per shell], "outer": surface tag, "sym_x"/"sym_y"/"sym_z" (octant),
    "gap_bottom"/"gap_top": surface tags below / above the void (gap_bottom None when the void
    sits on the core surface itself)}. Raises GeometryError if a layer is too thick for the
    curvature of the surface (prisms turning inside out)."""
    gaps = list(gaps) if gaps is not None else [0.0] * len(offsets)
    order = 2 if any(9 in gmsh.model.mesh.getElementTypes(2, s) for s in surfaces) else 1
    tri = np.vstack([gmsh.model.mesh.getElementsByType(9 if order == 2 else 2, s)[1].reshape(-1, 6 if order == 2 else 3)
                     for s in surfaces]).astype(np.int64)
    tags, coords, _ = gmsh.model.mesh.getNodes()
    xyz = dict(zip(tags.astype(np.int64), coords.reshape(-1, 3)))
    surf_nodes = np.unique(tri)
    base = np.array([xyz[t] for t in surf_nodes])
    index = {int(t): i for i, t in enumerate(surf_nodes)}
    n_s = len(surf_nodes)
    scale = float(np.max(np.abs(base)))
    N = _normals(normal, base, tri, index, xyz, order, octant, scale)

    # levels (offsets from the surface) and, per interval between levels, its shell and whether it is a void
    levels, owner, void = [0.0], [], []
    for shell, (d_out, n, gap) in enumerate(zip(offsets, sublayers, gaps)):
        if gap > 0:
            levels.append(levels[-1] + gap)
            owner.append(shell)
            void.append(True)
        d_in = levels[-1]
        for k in range(1, n + 1):
            levels.append(d_in + (d_out - d_in) * k / n)
            owner.append(shell)
            void.append(False)
    n_half = 2 * (len(levels) - 1)
    # half levels that carry nodes: mid-edge levels only for second-order elements, none inside a void
    # (tags stay contiguous: dolfinx reads gmsh node tags as 1..N)
    created = [lv for lv in range(1, n_half + 1) if not (lv % 2 and (order == 1 or void[(lv - 1) // 2]))]
    first = {lv: int(tags.max()) + 1 + k * n_s for k, lv in enumerate(created)}

    def node(surface_tag: int, level2: int) -> int:
        """Tag of the node above `surface_tag` at level level2 / 2 (level2 = 0: the surface node)."""
        return surface_tag if level2 == 0 else first[level2] + index[surface_tag]

    offset_of = {lv: levels[lv // 2] if lv % 2 == 0 else 0.5 * (levels[lv // 2] + levels[lv // 2 + 1])
                 for lv in range(1, n_half + 1)}

    volumes = [gmsh.model.addDiscreteEntity(3) for _ in offsets]
    for lv in created:  # a node belongs to the shell it lies in (top of a shell: that shell)
        position = base + offset_of[lv] * N
        gmsh.model.mesh.addNodes(3, volumes[owner[(lv - 1) // 2]], (first[lv] + np.arange(n_s)).tolist(),
                                 position.ravel().tolist())

    verts, mids = tri[:, :3], tri[:, 3:] if order == 2 else None
    _check_prisms(base, N, verts, index, levels)
    perm = np.argsort(verts, axis=1)  # split rule: prisms split by global vertex order
    v = np.take_along_axis(verts, perm, axis=1)
    edge_mid = {}
    if order == 2:
        for e, (i, j) in enumerate(_TRI6_EDGES):
            for a, b, m in zip(verts[:, i], verts[:, j], mids[:, e]):
                edge_mid[(min(a, b), max(a, b))] = m

    def tet(points):
        """Tet (4 or 10 nodes) from (surface tag, level2) vertices."""
        out = [node(s, l2) for s, l2 in points]
        if order == 2:
            for i, j in _TET10_EDGES:
                (si, li), (sj, lj) = points[i], points[j]
                s = si if si == sj else edge_mid[(min(si, sj), max(si, sj))]
                out.append(node(s, (li + lj) // 2))
        return out

    cells: list[list[list[int]]] = [[] for _ in offsets]
    for k in range(len(levels) - 1):
        if void[k]:
            continue
        lo, hi = 2 * k, 2 * k + 2
        for a, b, c in v:
            a, b, c = int(a), int(b), int(c)
            for t in ([(a, lo), (b, lo), (c, lo), (a, hi)], [(b, lo), (c, lo), (a, hi), (b, hi)],
                      [(c, lo), (a, hi), (b, hi), (c, hi)]):
                cells[owner[k]].append(tet(t))
    tet_type = 11 if order == 2 else 4
    for shell, conn in enumerate(cells):
        gmsh.model.mesh.addElementsByType(volumes[shell], tet_type, [], np.asarray(conn).ravel().tolist())

    def level_surface(lv2: int) -> int:
        return _surface([[(int(s), lv2) for s in t] for t in verts], node, edge_mid, order)

    result = {"volumes": volumes, "outer": level_surface(n_half), "gap_bottom": None, "gap_top": None}
    if any(void):
        k = void.index(True)
        result["gap_top"] = level_surface(2 * k + 2)
        result["gap_bottom"] = level_surface(2 * k) if k > 0 else None
    if octant:
        for axis, name in enumerate(("sym_x", "sym_y", "sym_z")):
            on_plane = {int(t) for t in surf_nodes if abs(xyz[t][axis]) < 1e-9 * scale}
            faces = []
            for i, j in ((0, 1), (1, 2), (0, 2)):
                for a, b in zip(v[:, i], v[:, j]):
                    a, b = int(a), int(b)
                    if a in on_plane and b in on_plane:
                        for k in range(len(levels) - 1):  # quad (a, b, b', a') with diagonal b-a'
                            if void[k]:
                                continue
                            lo, hi = 2 * k, 2 * k + 2
                            faces += [[(a, lo), (b, lo), (a, hi)], [(b, lo), (a, hi), (b, hi)]]
            result[name] = _surface(faces, node, edge_mid, order)
    return result


def _normals(normal, base: np.ndarray, tri: np.ndarray, index: dict, xyz: dict, order: int, octant: bool,
             scale: float) -> np.ndarray:
    """Unit outward normals at the surface nodes; on the symmetry planes of an octant the
    normal component across the plane is removed, so grown nodes stay on the plane."""
    if normal is None:
        N = radial_normal(base)
    elif callable(normal):
        N = np.asarray(normal(base), dtype=float)
    else:
        N = _mesh_normals(base, tri, index, xyz, order)
    if octant:
        N = np.where(np.abs(base) < 1e-9 * scale, 0.0, N)
    return N / np.linalg.norm(N, axis=1)[:, None]


def _mesh_normals(base: np.ndarray, tri: np.ndarray, index: dict, xyz: dict, order: int) -> np.ndarray:
    """Area-weighted vertex normals of the surface triangles, oriented away from the core
    volume (the fourth vertex of the tetrahedron on each triangle lies inside); mid-edge nodes
    take the mean of their edge's vertex normals."""
    verts = tri[:, :3]
    p = np.array([[xyz[t] for t in row] for row in verts])
    fn = np.cross(p[:, 1] - p[:, 0], p[:, 2] - p[:, 0])  # twice the area times the unit normal
    inside = _opposite_vertices(verts)
    centre = p.mean(axis=1)
    into = np.einsum("ij,ij->i", fn, np.array([xyz[t] for t in inside]) - centre)
    fn[into > 0] *= -1
    N = np.zeros_like(base)
    for k in range(3):
        np.add.at(N, [index[int(t)] for t in verts[:, k]], fn)
    if order == 2:
        norm = np.linalg.norm(N, axis=1)[:, None]
        vn = N / np.where(norm > 0, norm, 1.0)  # (rows of mid-edge nodes are still zero here)
        for e, (i, j) in enumerate(_TRI6_EDGES):
            m = [index[int(t)] for t in tri[:, 3 + e]]
            N[m] = vn[[index[int(t)] for t in verts[:, i]]] + vn[[index[int(t)] for t in verts[:, j]]]
    return N


def _opposite_vertices(verts: np.ndarray) -> list[int]:
    """For each surface triangle, the vertex of the volume tetrahedron on it that is not on it."""
    opposite = {}
    for etype in (4, 11):
        for dim, tag in gmsh.model.getEntities(3):
            types = gmsh.model.mesh.getElementTypes(dim, tag)
            if etype not in types:
                continue
            conn = gmsh.model.mesh.getElementsByType(etype, tag)[1].reshape(-1, 4 if etype == 4 else 10)[:, :4]
            for t in conn.astype(np.int64):
                for k in range(4):
                    face = tuple(sorted(np.delete(t, k)))
                    opposite[face] = int(t[k])
    try:
        return [opposite[tuple(sorted(row))] for row in verts]
    except KeyError:
        raise GeometryError("a core surface triangle has no volume element: the imported shape is not a closed "
                            "solid") from None


def _check_prisms(base: np.ndarray, N: np.ndarray, verts: np.ndarray, index: dict, levels: list[float]) -> None:
    """Refuse layers whose prisms turn inside out (offset beyond the surface's radius of
    curvature, where normals of neighbouring nodes cross)."""
    ids = np.vectorize(index.get)(verts)
    p0 = base[ids]
    n0 = np.cross(p0[:, 1] - p0[:, 0], p0[:, 2] - p0[:, 0])
    top = p0 + levels[-1] * N[ids]
    n1 = np.cross(top[:, 1] - top[:, 0], top[:, 2] - top[:, 0])
    ratio = np.einsum("ij,ij->i", n0, n1) / np.einsum("ij,ij->i", n0, n0)
    if ratio.size and ratio.min() <= 0.05:
        raise GeometryError(f"the layers ({levels[-1]:.4g} um in all) are too thick for the curvature of the core "
                            "surface: grown along the normals they turn inside out; use thinner layers or a "
                            "smoother shape")


def _surface(faces: list, node, edge_mid: dict, order: int) -> int:
    """A discrete surface entity holding triangles given as (surface tag, level2) vertices."""
    tag = gmsh.model.addDiscreteEntity(2)
    conn = []
    for f in faces:
        out = [node(s, l2) for s, l2 in f]
        if order == 2:
            for i, j in _TRI6_EDGES:
                (si, li), (sj, lj) = f[i], f[j]
                s = si if si == sj else edge_mid[(min(si, sj), max(si, sj))]
                out.append(node(s, (li + lj) // 2))
        conn.append(out)
    gmsh.model.mesh.addElementsByType(tag, 9 if order == 2 else 2, [], np.asarray(conn).ravel().tolist())
    return tag

"""Thin spherical layers as structured shells of tetrahedra, grown radially from the meshed
surface of the core.

A 20 nm coating on a 5 um particle cannot be meshed with isotropic tetrahedra at a sensible
cost, and gmsh fills it with slivers. Instead every surface triangle of the core is extruded
into prisms (one per sublayer) along the radius, and each prism is split into three
tetrahedra. Diagonals follow the node numbering, so neighbouring prisms split their shared
face alike and the mesh is conforming. Nodes (second-order ones too) are the core-surface
nodes scaled to each radius, so every node of a layer lies on its exact sphere.

Runs inside an open gmsh model on rank 0, after the core is meshed.
"""

from __future__ import annotations

import gmsh
import numpy as np

__all__ = ["grow_shells"]

# gmsh node order of the 10-node tetrahedron: vertices 0-3, then these edges
_TET10_EDGES = [(0, 1), (1, 2), (2, 0), (3, 0), (3, 2), (3, 1)]
_TRI6_EDGES = [(0, 1), (1, 2), (2, 0)]


def grow_shells(surfaces: list[int], radii: list[float], sublayers: list[int], octant: bool) -> dict:
    """Grow shells outward from the spherical core surfaces `surfaces` (gmsh tags).

    radii: outer radius of each shell (model units); sublayers: elements through each shell.
    Returns the new discrete entities: {"volumes": [tag per shell], "outer": surface tag,
    "sym_x"/"sym_y"/"sym_z": surface tags (octant only)}.
    """
    order = 2 if any(9 in gmsh.model.mesh.getElementTypes(2, s) for s in surfaces) else 1
    tri = np.vstack([gmsh.model.mesh.getElementsByType(9 if order == 2 else 2, s)[1].reshape(-1, 6 if order == 2 else 3)
                     for s in surfaces]).astype(np.int64)
    tags, coords, _ = gmsh.model.mesh.getNodes()
    xyz = dict(zip(tags.astype(np.int64), coords.reshape(-1, 3)))
    surf_nodes = np.unique(tri)
    base = np.array([xyz[t] for t in surf_nodes])
    unit = base / np.linalg.norm(base, axis=1)[:, None]
    index = {int(t): i for i, t in enumerate(surf_nodes)}
    n_s = len(surf_nodes)

    # levels: 0 is the core surface; half levels carry the mid-edge nodes of radial and diagonal edges
    r0 = float(np.mean(np.linalg.norm(base, axis=1)))
    levels, owner = [r0], []
    for shell, (r_out, n) in enumerate(zip(radii, sublayers)):
        r_in = levels[-1]
        for k in range(1, n + 1):
            levels.append(r_in + (r_out - r_in) * k / n)
            owner.append(shell)
    next_tag = int(tags.max()) + 1

    def node(surface_tag: int, level2: int) -> int:
        """Tag of the node above `surface_tag` at level level2 / 2 (level2 = 0: the surface node)."""
        return surface_tag if level2 == 0 else next_tag + (level2 - 1) * n_s + index[surface_tag]

    n_half = 2 * (len(levels) - 1)
    level_nodes = {lv: (next_tag + (lv - 1) * n_s + np.arange(n_s)) for lv in range(1, n_half + 1)}
    radius_of = {lv: levels[lv // 2] if lv % 2 == 0 else 0.5 * (levels[lv // 2] + levels[lv // 2 + 1])
                 for lv in range(1, n_half + 1)}

    volumes = [gmsh.model.addDiscreteEntity(3) for _ in radii]
    for lv in range(1, n_half + 1):  # a node belongs to the shell it lies in (top of a shell: that shell)
        if order == 1 and lv % 2:
            continue  # first-order elements have no mid-edge nodes
        shell = owner[(lv - 1) // 2]
        gmsh.model.mesh.addNodes(3, volumes[shell], level_nodes[lv].tolist(), (unit * radius_of[lv]).ravel().tolist())

    verts, mids = tri[:, :3], tri[:, 3:] if order == 2 else None
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

    cells: list[list[list[int]]] = [[] for _ in radii]
    for k in range(len(levels) - 1):
        lo, hi = 2 * k, 2 * k + 2
        for a, b, c in v:
            a, b, c = int(a), int(b), int(c)
            for t in ([(a, lo), (b, lo), (c, lo), (a, hi)], [(b, lo), (c, lo), (a, hi), (b, hi)],
                      [(c, lo), (a, hi), (b, hi), (c, hi)]):
                cells[owner[k]].append(tet(t))
    tet_type = 11 if order == 2 else 4
    for shell, conn in enumerate(cells):
        gmsh.model.mesh.addElementsByType(volumes[shell], tet_type, [], np.asarray(conn).ravel().tolist())

    result = {"volumes": volumes, "outer": _surface([[(int(s), n_half) for s in t] for t in verts], node, edge_mid, order)}
    if octant:
        for axis, name in enumerate(("sym_x", "sym_y", "sym_z")):
            on_plane = {int(t) for t in surf_nodes if abs(xyz[t][axis]) < 1e-9 * r0}
            faces = []
            for i, j in ((0, 1), (1, 2), (0, 2)):
                for a, b in zip(v[:, i], v[:, j]):
                    a, b = int(a), int(b)
                    if a in on_plane and b in on_plane:
                        for k in range(len(levels) - 1):  # quad (a, b, b', a') with diagonal b-a'
                            lo, hi = 2 * k, 2 * k + 2
                            faces += [[(a, lo), (b, lo), (a, hi)], [(b, lo), (a, hi), (b, hi)]]
            result[name] = _surface(faces, node, edge_mid, order)
    return result


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

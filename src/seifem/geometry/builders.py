"""gmsh builders. They run on rank 0 only and leave a gmsh model with named physical groups.

Names every builder uses (lengths in the model unit, 1 um, see `units.SCALES`):
- volumes: "core" (stores ions), then one per coating layer, inside out
- surfaces: "outer" (electrolyte-facing, carries the SEI), "interface" (core / first
  coating), "inner" (the cavity surface of a hollow particle), "sym_x", "sym_y", "sym_z"
  (symmetry planes x=0, y=0, z=0 of an octant)
"""

from __future__ import annotations

import math

import gmsh

from .layers import grow_shells

__all__ = ["layered_sphere", "SURFACE_TAGS", "MAX_SUBLAYERS"]

SURFACE_TAGS = {"outer": 101, "interface": 102, "inner": 103, "sym_x": 201, "sym_y": 202, "sym_z": 203}
"""Physical tags of named surfaces; volume tags are 1 (core), 2, 3, ... (coatings inside out)."""

MAX_SUBLAYERS = 8


def layered_sphere(radii: list[float], names: list[str], inner_radius: float, octant: bool,
                   mesh_size: float, surface_mesh_size: float, order: int, layer_cells: int = 0) -> None:
    """Mesh a (hollow) spherical core with concentric coatings into the current gmsh model.

    radii: outer radius of each layer (core first, model units); names: their region names;
    inner_radius > 0 makes the core a hollow shell. Full sphere or the octant x, y, z >= 0.
    The core is meshed by gmsh with sizes growing from `surface_mesh_size` at its spherical
    surfaces to `mesh_size` over a third of its radius; coatings are grown on it as
    structured shells (`layers.py`) with `layer_cells` elements through each (0: round(thickness
    / surface_mesh_size), 1 to MAX_SUBLAYERS). Second-order nodes lie on the exact spheres.
    """
    occ = gmsh.model.occ
    big = 2 * radii[-1]

    def clip(tag: int) -> int:
        return occ.intersect([(3, tag)], [(3, occ.addBox(0, 0, 0, big, big, big))])[0][0][1] if octant else tag

    core = clip(occ.addSphere(0, 0, 0, radii[0]))
    if inner_radius > 0:
        core = occ.cut([(3, core)], [(3, clip(occ.addSphere(0, 0, 0, inner_radius)))])[0][0][1]
    occ.synchronize()
    spheres = _spherical_surfaces([radii[0]] + ([inner_radius] if inner_radius > 0 else []))
    _size_field([t for ts in spheres.values() for t in ts], mesh_size, surface_mesh_size, radii[0])
    gmsh.model.mesh.generate(3)
    if order == 2:
        gmsh.model.mesh.setOrder(2)

    groups: dict[str, list[int]] = {k: [] for k in SURFACE_TAGS}
    groups["inner"] = spheres.get(inner_radius, []) if inner_radius > 0 else []
    if octant:
        for _, tag in gmsh.model.getEntities(2):
            box = gmsh.model.getBoundingBox(2, tag)
            flat = [i for i in range(3) if box[i + 3] - box[i] < 1e-6 * radii[-1]]
            if flat:
                groups["sym_" + "xyz"[flat[0]]].append(tag)
    gmsh.model.addPhysicalGroup(3, [t for _, t in gmsh.model.getEntities(3)], 1, name=names[0])
    if len(radii) == 1:
        groups["outer"] = spheres[radii[0]]
    else:
        groups["interface"] = spheres[radii[0]]
        thick = [b - a for a, b in zip(radii[:-1], radii[1:])]
        sub = [layer_cells or max(1, min(MAX_SUBLAYERS, round(t / surface_mesh_size))) for t in thick]
        shells = grow_shells(spheres[radii[0]], radii[1:], sub, octant)
        for i, vol in enumerate(shells["volumes"]):
            gmsh.model.addPhysicalGroup(3, [vol], i + 2, name=names[i + 1])
        groups["outer"] = [shells["outer"]]
        for name in ("sym_x", "sym_y", "sym_z"):
            groups[name] += [shells[name]] if name in shells else []
    for name, tags in groups.items():
        if tags:
            gmsh.model.addPhysicalGroup(2, tags, SURFACE_TAGS[name], name=name)


def _spherical_surfaces(radii: list[float]) -> dict[float, list[int]]:
    """Surface tags of the model grouped by the sphere (of `radii`) they lie on."""
    out: dict[float, list[int]] = {r: [] for r in radii}
    for _, tag in gmsh.model.getEntities(2):
        box = gmsh.model.getBoundingBox(2, tag)
        extent = max(abs(v) for v in box)
        flat = any(box[i + 3] - box[i] < 1e-6 * max(radii) for i in range(3))
        for r in radii:
            if not flat and math.isclose(extent, r, rel_tol=1e-6):
                out[r].append(tag)
    return out


def _size_field(spheres: list[int], h: float, hs: float, core_radius: float) -> None:
    field = gmsh.model.mesh.field
    dist = field.add("Distance")
    field.setNumbers(dist, "SurfacesList", spheres)
    field.setNumber(dist, "Sampling", 200)
    thr = field.add("Threshold")
    field.setNumber(thr, "InField", dist)
    field.setNumber(thr, "SizeMin", hs)
    field.setNumber(thr, "SizeMax", h)
    field.setNumber(thr, "DistMin", 0.0)
    field.setNumber(thr, "DistMax", core_radius / 3)
    field.setAsBackgroundMesh(thr)
    for opt in ("Mesh.MeshSizeFromPoints", "Mesh.MeshSizeExtendFromBoundary", "Mesh.MeshSizeFromCurvature"):
        gmsh.option.setNumber(opt, 0)

"""gmsh builders. They run on rank 0 only and leave a gmsh model with named physical groups.

Names every builder uses (lengths in the model unit, 1 um, see `units.SCALES`):
- volumes: "core" (stores ions), then one per coating layer, inside out
- surfaces: "outer" (electrolyte-facing, carries the SEI), "interface" (core / first
  coating), "inner" (the cavity surface of a hollow particle), "sym_x", "sym_y", "sym_z"
  (symmetry planes x=0, y=0, z=0 of an octant)
"""

from __future__ import annotations

import gmsh

__all__ = ["layered_sphere", "SURFACE_TAGS"]

SURFACE_TAGS = {"outer": 101, "interface": 102, "inner": 103, "sym_x": 201, "sym_y": 202, "sym_z": 203}
"""Physical tags of named surfaces; volume tags are 1 (core), 2, 3, ... (coatings inside out)."""


def layered_sphere(radii: list[float], names: list[str], inner_radius: float, octant: bool,
                   mesh_size: float, surface_mesh_size: float, order: int) -> None:
    """Mesh concentric spherical layers into the current gmsh model.

    radii: outer radius of each layer (core first, model units); names: their region names;
    inner_radius > 0 makes the core a hollow shell. Full sphere or the octant x, y, z >= 0.
    Element size grows from `surface_mesh_size` at every spherical surface to `mesh_size`
    over a third of the core radius; a coating thinner than the surface size gets one layer
    of flat elements. Second order elements follow the spheres exactly at their nodes.
    """
    occ = gmsh.model.occ
    big = 2 * radii[-1]

    def clip(tag: int) -> int:
        return occ.intersect([(3, tag)], [(3, occ.addBox(0, 0, 0, big, big, big))])[0][0][1] if octant else tag

    balls = [clip(occ.addSphere(0, 0, 0, r)) for r in radii]
    if inner_radius > 0:
        cavity = clip(occ.addSphere(0, 0, 0, inner_radius))
        balls[0] = occ.cut([(3, balls[0])], [(3, cavity)])[0][0][1]
    if len(balls) > 1:
        occ.fragment([(3, balls[-1])], [(3, b) for b in balls[:-1]])
    occ.synchronize()
    _name_regions(radii, names, inner_radius, octant)
    _size_field([inner_radius, *radii] if inner_radius > 0 else radii, mesh_size, surface_mesh_size, radii[0])
    gmsh.model.mesh.generate(3)
    if order == 2:
        gmsh.model.mesh.setOrder(2)


def _extent(dim: int, tag: int) -> float:
    """Largest |coordinate| of an entity's bounding box: its radius for spherical pieces."""
    return max(abs(v) for v in gmsh.model.getBoundingBox(dim, tag))


def _name_regions(radii: list[float], names: list[str], inner: float, octant: bool) -> None:
    """Physical groups from geometry: volumes by their outer radius, surfaces by kind."""
    tol = 1e-6 * radii[-1]
    layers: dict[int, list[int]] = {}
    for _, tag in gmsh.model.getEntities(3):
        r = _extent(3, tag)
        layers.setdefault(min(range(len(radii)), key=lambda i: abs(radii[i] - r)), []).append(tag)
    for i, tags in sorted(layers.items()):
        gmsh.model.addPhysicalGroup(3, tags, i + 1, name=names[i])
    groups: dict[str, list[int]] = {k: [] for k in SURFACE_TAGS}
    for _, tag in gmsh.model.getEntities(2):
        lo_hi = gmsh.model.getBoundingBox(2, tag)
        flat = [i for i in range(3) if lo_hi[i + 3] - lo_hi[i] < tol]
        if flat and octant:
            groups["sym_" + "xyz"[flat[0]]].append(tag)
            continue
        r = _extent(2, tag)
        if abs(r - radii[-1]) < tol:
            groups["outer"].append(tag)
        elif len(radii) > 1 and abs(r - radii[0]) < tol:
            groups["interface"].append(tag)
        elif inner > 0 and abs(r - inner) < tol:
            groups["inner"].append(tag)
    for name, tags in groups.items():
        if tags:
            gmsh.model.addPhysicalGroup(2, tags, SURFACE_TAGS[name], name=name)


def _size_field(surface_radii: list[float], h: float, hs: float, core_radius: float) -> None:
    tol = 1e-6 * max(surface_radii)
    spheres = [t for _, t in gmsh.model.getEntities(2) if any(abs(_extent(2, t) - r) < tol for r in surface_radii)]
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

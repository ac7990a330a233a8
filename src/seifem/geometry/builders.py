"""gmsh builders. They run on rank 0 only and leave a gmsh model with named physical groups.

Names every builder uses (lengths in the model unit, 1 um, see `units.SCALES`):
- volumes: "core" (stores ions), "coating" (elastic shell, if any)
- surfaces: "outer" (electrolyte-facing, carries the SEI), "interface" (core/coating),
  "sym_x", "sym_y", "sym_z" (symmetry planes x=0, y=0, z=0 of an octant)
"""

from __future__ import annotations

import gmsh

__all__ = ["layered_sphere", "VOLUMES", "SURFACES"]

VOLUMES = {"core": 1, "coating": 2}
SURFACES = {"outer": 11, "interface": 12, "sym_x": 21, "sym_y": 22, "sym_z": 23}


def layered_sphere(radii: list[float], octant: bool, mesh_size: float, surface_mesh_size: float,
                   order: int) -> None:
    """Mesh concentric spheres with outer radii `radii` (core first, model units) into the
    current gmsh model: full sphere or the octant x, y, z >= 0.

    Element size grows from `surface_mesh_size` at the spherical surfaces to `mesh_size` in
    the core interior over a distance of a third of the core radius. A coating thinner than
    the surface size gets one layer of flat elements; second-order (curved) elements follow
    the spheres exactly at their nodes.
    """
    occ = gmsh.model.occ
    balls = [occ.addSphere(0, 0, 0, r) for r in radii]
    if octant:
        big = 2 * radii[-1]
        balls = [occ.intersect([(3, b)], [(3, occ.addBox(0, 0, 0, big, big, big))])[0][0][1] for b in balls]
    # shells: each ball minus the one inside it
    vols = [(3, balls[0])]
    if len(balls) > 1:
        out, _ = occ.fragment([(3, balls[-1])], [(3, b) for b in balls[:-1]])
        vols = out
    occ.synchronize()
    _name_regions(radii, octant)
    _size_field(radii, mesh_size, surface_mesh_size)
    gmsh.model.mesh.generate(3)
    if order == 2:
        gmsh.model.mesh.setOrder(2)


def _radius_of_volume(tag: int) -> float:
    xmin, ymin, zmin, xmax, ymax, zmax = gmsh.model.getBoundingBox(3, tag)
    return max(abs(v) for v in (xmin, ymin, zmin, xmax, ymax, zmax))


def _name_regions(radii: list[float], octant: bool) -> None:
    """Physical groups from geometry: volumes by their outer radius, surfaces by kind."""
    tol = 1e-6 * radii[-1]
    by_radius: dict[int, list[int]] = {}
    for _, tag in gmsh.model.getEntities(3):
        r = _radius_of_volume(tag)
        layer = min(range(len(radii)), key=lambda i: abs(radii[i] - r))
        by_radius.setdefault(layer, []).append(tag)
    names = ["core", "coating"]
    for layer, tags in sorted(by_radius.items()):
        gmsh.model.addPhysicalGroup(3, tags, VOLUMES[names[layer]], name=names[layer])
    groups: dict[str, list[int]] = {k: [] for k in SURFACES}
    for _, tag in gmsh.model.getEntities(2):
        box = gmsh.model.getBoundingBox(2, tag)
        lo, hi = box[:3], box[3:]
        flat = [i for i in range(3) if hi[i] - lo[i] < tol]
        if flat and octant:
            groups["sym_" + "xyz"[flat[0]]].append(tag)
            continue
        r = max(abs(v) for v in box)
        if abs(r - radii[-1]) < tol:
            groups["outer"].append(tag)
        elif len(radii) > 1 and abs(r - radii[0]) < tol:
            groups["interface"].append(tag)
    for name, tags in groups.items():
        if tags:
            gmsh.model.addPhysicalGroup(2, tags, SURFACES[name], name=name)


def _size_field(radii: list[float], h: float, hs: float) -> None:
    spheres = [t for t in gmsh.model.getEntities(2)
               if any(abs(max(abs(v) for v in gmsh.model.getBoundingBox(2, t[1])) - r) < 1e-6 * radii[-1]
                      for r in radii)]
    field = gmsh.model.mesh.field
    dist = field.add("Distance")
    field.setNumbers(dist, "SurfacesList", [t for _, t in spheres])
    field.setNumber(dist, "Sampling", 200)
    thr = field.add("Threshold")
    field.setNumber(thr, "InField", dist)
    field.setNumber(thr, "SizeMin", hs)
    field.setNumber(thr, "SizeMax", h)
    field.setNumber(thr, "DistMin", 0.0)
    field.setNumber(thr, "DistMax", radii[0] / 3)
    field.setAsBackgroundMesh(thr)
    for opt in ("Mesh.MeshSizeFromPoints", "Mesh.MeshSizeExtendFromBoundary", "Mesh.MeshSizeFromCurvature"):
        gmsh.option.setNumber(opt, 0)

"""The 2D plane-strain cross-section (`geometry.model = "2d-plane"`): a full disc of
concentric circular layers (core, coatings, a resolved SEI), meshed by gmsh on rank 0.

Physical groups: cells 1 (core), 2, 3, ... (the layers, inside out); curves "outer" (the
outermost circle, tag 101) and "interface" (the core's circle when coated, tag 102). The
centre and the point (core radius / 2, 0) are mesh vertices (`pin_vertices`): the model holds the
rigid motions there (u = 0 at the centre, u_y = 0 at the second point), which carry no force
under the self-equilibrated eigenstrain load. The whole disc is meshed, unstructured, so no
symmetry is imposed and the mesh itself breaks the rotational symmetry that a uniform surface
flux keeps (the discrete radial cracks of a delithiated cross-section choose their positions
from it).

Seeded flaws (`Flaws`: depth a, count, element size h_f) refine the mesh around each flaw: the
radial segment from the core's circle to 2 a deep (at most 0.4 R) (the flaw and its extension, the path a
growing flaw takes) is embedded in the core (mesh edges along it, so the seeded band is
symmetric about the flaw line), with element size h_f within a / 2 of it, growing to the
surface size over 3 (h_s - h_f) further out (the same slope as the surface refinement).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from seifem.errors import GeometryError
from seifem.geometry.gmsh_rank0 import mesh_on_rank0

__all__ = ["CURVE_TAGS", "Flaws", "cross_section_mesh", "pin_vertices"]

CURVE_TAGS = {"outer": 101, "interface": 102}


@dataclass(frozen=True)
class Flaws:
    """Radial surface flaws to refine around (model length units): depth a, count (at the
    angles 2 pi k / count from +x), element size h_f."""

    depth: float
    count: int
    size: float


def cross_section_mesh(breaks: list[float], comm, mesh_size: float, surface_mesh_size: float,
                       refine_depth: float | None = None, order: int = 1, flaws: Flaws | None = None):
    """Disc of concentric circles, radii `breaks[1:]` (breaks[0] must be 0: a solid core).
    Element size `surface_mesh_size` within `refine_depth` (default core radius / 3) inside the
    core's circle and in the layers, growing linearly to `mesh_size` further in; finer around
    `flaws` (see above). Returns (mesh, cell_tags, facet_tags); GeometryError if gmsh fails."""
    if breaks[0] != 0:
        raise GeometryError("the 2d-plane cross-section has a solid core (no inner radius)")

    def build() -> None:
        import gmsh

        gmsh.model.add("cross_section")
        _build(list(breaks[1:]), mesh_size, surface_mesh_size, refine_depth or breaks[1] / 3, order, flaws)

    data = mesh_on_rank0(comm, "the cross-section", build, gdim=2)
    mesh = data.mesh
    mesh.topology.create_connectivity(1, 2)
    mesh.topology.create_connectivity(0, 2)
    return mesh, data.cell_tags, data.facet_tags


def _build(radii: list[float], h: float, hs: float, depth: float, order: int, flaws: Flaws | None) -> None:
    import gmsh

    occ = gmsh.model.occ
    disks = [occ.addDisk(0, 0, 0, r, r) for r in radii]
    # fragment: the core disc and the annuli between consecutive circles
    if len(disks) > 1:
        occ.fragment([(2, disks[0])], [(2, d) for d in disks[1:]])
    centre = occ.addPoint(0, 0, 0)
    pin = occ.addPoint(radii[0] / 2, 0, 0)
    lines = []
    if flaws is not None:  # the flaw lines, from 2 a deep to just inside the circle (an embedded curve must not touch it)
        R, a = radii[0], flaws.depth
        for k in range(flaws.count):
            c, s = np.cos(2 * np.pi * k / flaws.count), np.sin(2 * np.pi * k / flaws.count)
            r0, r1 = max(R - 2 * a, 0.6 * R), R - 0.5 * flaws.size  # clear of the pin at R / 2
            lines.append(occ.addLine(occ.addPoint(r0 * c, r0 * s, 0), occ.addPoint(r1 * c, r1 * s, 0)))
    occ.synchronize()
    surfaces = [s for _, s in gmsh.model.getEntities(2)]

    def mean_radius(s):
        x0, y0, _, x1, y1, _ = gmsh.model.getBoundingBox(2, s)
        return max(x1 - x0, y1 - y0) / 2

    surfaces.sort(key=mean_radius)  # core first, then the annuli inside out
    core = surfaces[0]
    gmsh.model.mesh.embed(0, [centre, pin], 2, core)
    if lines:
        gmsh.model.mesh.embed(1, lines, 2, core)
    curves = {}
    for c in (c for _, c in gmsh.model.getEntities(1) if c not in lines):
        x0, _, _, x1, _, _ = gmsh.model.getBoundingBox(1, c)
        curves[c] = (x1 - x0) / 2
    by_radius = sorted(curves, key=curves.get)
    field = gmsh.model.mesh.field
    dist = field.add("Distance")
    field.setNumbers(dist, "CurvesList", [by_radius[0]])
    field.setNumber(dist, "Sampling", 400)
    thr = field.add("Threshold")
    field.setNumber(thr, "InField", dist)
    field.setNumber(thr, "SizeMin", hs)
    field.setNumber(thr, "SizeMax", h)
    field.setNumber(thr, "DistMin", depth)
    field.setNumber(thr, "DistMax", depth + max(h - hs, 0.0) * 3)
    layers = field.add("Constant")  # the coatings: surface size throughout
    field.setNumber(layers, "VIn", hs)
    field.setNumbers(layers, "SurfacesList", surfaces[1:])
    field.setNumber(layers, "VOut", h)
    fields = [thr, layers] if len(surfaces) > 1 else [thr]
    if lines:
        near = field.add("Distance")
        field.setNumbers(near, "CurvesList", lines)
        field.setNumber(near, "Sampling", int(4 * flaws.depth / flaws.size) + 10)
        fine = field.add("Threshold")
        field.setNumber(fine, "InField", near)
        field.setNumber(fine, "SizeMin", flaws.size)
        field.setNumber(fine, "SizeMax", h)
        field.setNumber(fine, "DistMin", flaws.depth / 2)
        field.setNumber(fine, "DistMax", flaws.depth / 2 + max(h - flaws.size, 0.0) * 3)
        fields.append(fine)
    both = field.add("Min")
    field.setNumbers(both, "FieldsList", fields)
    field.setAsBackgroundMesh(both)
    for opt in ("Mesh.MeshSizeFromPoints", "Mesh.MeshSizeExtendFromBoundary", "Mesh.MeshSizeFromCurvature"):
        gmsh.option.setNumber(opt, 0)
    gmsh.option.setNumber("Mesh.Algorithm", 6)  # Frontal-Delaunay: well-shaped, unstructured triangles
    gmsh.model.mesh.generate(2)
    if order == 2:
        gmsh.model.mesh.setOrder(2)
    gmsh.model.addPhysicalGroup(2, [core], 1, name="core")
    for i, s in enumerate(surfaces[1:]):
        gmsh.model.addPhysicalGroup(2, [s], i + 2)
    gmsh.model.addPhysicalGroup(1, [by_radius[-1]], CURVE_TAGS["outer"], name="outer")
    if len(radii) > 1:
        gmsh.model.addPhysicalGroup(1, [by_radius[0]], CURVE_TAGS["interface"], name="interface")


def pin_vertices(mesh, core_radius: float) -> tuple[np.ndarray, np.ndarray]:
    """Local vertices at the centre and at (core_radius / 2, 0) (empty where another
    rank holds them)."""
    from dolfinx import mesh as dmesh

    tol = 1e-9 * core_radius
    c = dmesh.locate_entities(mesh, 0, lambda x: (np.abs(x[0]) < tol) & (np.abs(x[1]) < tol))
    p = dmesh.locate_entities(mesh, 0, lambda x: (np.abs(x[0] - core_radius / 2) < tol) & (np.abs(x[1]) < tol))
    return c, p

"""Fracture specimens for the fracture checks: a disc with a straight crack path, and the
upper half of a disc with a sharp edge crack, and that half disc with a band ahead of the flaw
(`flawed_half_disc`) for a phase-field crack to run in.

`cracked_disc`: the disc of radius R centred at the origin, the line y = 0 embedded (the
pre-crack x <= 0 and the path x > 0 are mesh edges), element size h in the band
|y| <= band, x_min <= x <= x_max around the crack path, growing to `coarse` elsewhere.
Meshed by gmsh on rank 0 (`mesh_on_rank0`), Frontal-Delaunay triangles.
"""

from __future__ import annotations

from seifem.geometry.gmsh_rank0 import mesh_on_rank0

__all__ = ["cracked_disc", "edge_cracked_half_disc", "flawed_half_disc"]


def cracked_disc(comm, h: float, band: float, x_range: tuple[float, float], radius: float = 1.0,
                 coarse: float | None = None):
    """Disc mesh (dolfinx Mesh, gdim 2) refined to size h in the band |y| <= band,
    x_range[0] <= x <= x_range[1]; `coarse` (default radius / 10) elsewhere (lengths in the
    caller's unit)."""
    coarse = coarse or radius / 10

    def build() -> None:
        import gmsh

        gmsh.model.add("cracked_disc")
        occ = gmsh.model.occ
        disk = occ.addDisk(0, 0, 0, radius, radius)
        line = occ.addLine(occ.addPoint(-radius, 0, 0), occ.addPoint(radius, 0, 0))
        occ.fragment([(2, disk)], [(1, line)])
        occ.synchronize()
        f = gmsh.model.mesh.field
        box = f.add("Box")
        for key, v in (("VIn", h), ("VOut", coarse), ("XMin", x_range[0]), ("XMax", x_range[1]), ("YMin", -band),
                       ("YMax", band), ("Thickness", 3 * coarse)):
            f.setNumber(box, key, v)
        f.setAsBackgroundMesh(box)
        for opt in ("Mesh.MeshSizeFromPoints", "Mesh.MeshSizeExtendFromBoundary", "Mesh.MeshSizeFromCurvature"):
            gmsh.option.setNumber(opt, 0)
        gmsh.option.setNumber("Mesh.Algorithm", 6)
        gmsh.model.addPhysicalGroup(2, [s for _, s in gmsh.model.getEntities(2)], 1, name="disc")
        gmsh.model.mesh.generate(2)

    return mesh_on_rank0(comm, "the cracked disc", build, gdim=2, shared_facet=False).mesh


def edge_cracked_half_disc(comm, depth: float, h: float, radius: float = 1.0, coarse: float | None = None):
    """Upper half (y >= 0) of the disc of radius R with a sharp radial edge crack of depth a
    from (-R, 0) to (a - R, 0): the mode-I symmetric half, the crack face y = 0, x < a - R
    (traction free) and the ligament y = 0, x > a - R (u_y = 0 there) meet at a mesh vertex,
    the tip. Element size h within a / 2 of the tip, growing to `coarse` (default R / 20)."""
    coarse = coarse or radius / 20

    def build() -> None:
        import gmsh

        gmsh.model.add("edge_cracked_half_disc")
        occ = gmsh.model.occ
        disk = occ.addDisk(0, 0, 0, radius, radius)
        upper, _ = occ.intersect([(2, disk)], [(2, occ.addRectangle(-2 * radius, 0, 0, 4 * radius, 2 * radius))])
        tip = occ.addPoint(depth - radius, 0, 0)
        occ.fragment(upper, [(0, tip)])
        occ.synchronize()
        f = gmsh.model.mesh.field
        dist = f.add("Distance")
        f.setNumbers(dist, "PointsList", [tip])
        thr = f.add("Threshold")
        for key, v in (("InField", dist), ("SizeMin", h), ("SizeMax", coarse), ("DistMin", depth / 2),
                       ("DistMax", 3 * depth + 4 * coarse)):
            f.setNumber(thr, key, v)
        f.setAsBackgroundMesh(thr)
        for opt in ("Mesh.MeshSizeFromPoints", "Mesh.MeshSizeExtendFromBoundary", "Mesh.MeshSizeFromCurvature"):
            gmsh.option.setNumber(opt, 0)
        gmsh.model.addPhysicalGroup(2, [s for _, s in gmsh.model.getEntities(2)], 1, name="half_disc")
        gmsh.model.mesh.generate(2)

    return mesh_on_rank0(comm, "the edge-cracked half disc", build, gdim=2, shared_facet=False).mesh


def flawed_half_disc(comm, depth: float, h: float, box: tuple[float, float, float], radius: float = 1.0,
                     coarse: float | None = None, grading: float = 0.25):
    """Upper half (y >= 0) of the disc of radius R with a radial edge flaw (a slit) of depth a
    from (-R, 0) to the tip (a - R, 0), a mesh vertex, for phase-field fracture from the flaw:
    the box = (behind, ahead, height) around the tip, tip_x - behind <= x <= tip_x + ahead,
    0 <= y <= height, is a separate surface (cell tag 2, "band": where the crack may run) meshed
    at size h; the rest (cell tag 1, "bulk") grows from h at the box linearly by `grading` per
    unit distance to `coarse` (default R / 20). Returns (mesh, cell_tags); lengths in the
    caller's unit."""
    coarse = coarse or radius / 20
    behind, ahead, height = box
    tip_x = depth - radius

    def build() -> None:
        import gmsh

        gmsh.model.add("flawed_half_disc")
        occ = gmsh.model.occ
        disk = occ.addDisk(0, 0, 0, radius, radius)
        upper, _ = occ.intersect([(2, disk)], [(2, occ.addRectangle(-2 * radius, 0, 0, 4 * radius, 2 * radius))])
        band = occ.addRectangle(tip_x - behind, 0, 0, behind + ahead, height)
        occ.fragment(upper, [(2, band), (0, occ.addPoint(tip_x, 0, 0))])
        occ.synchronize()

        def width(s):
            x0, _, _, x1, _, _ = gmsh.model.getBoundingBox(2, s)
            return x1 - x0

        surfaces = sorted((s for _, s in gmsh.model.getEntities(2)), key=width)
        band_s, bulk_s = surfaces[0], surfaces[1:]
        f = gmsh.model.mesh.field
        inside = f.add("Constant")
        f.setNumber(inside, "VIn", h)
        f.setNumber(inside, "VOut", coarse)
        f.setNumbers(inside, "SurfacesList", [band_s])
        dist = f.add("Distance")
        f.setNumbers(dist, "CurvesList", [abs(c) for _, c in gmsh.model.getBoundary([(2, band_s)], oriented=False)])
        f.setNumber(dist, "Sampling", 200)
        thr = f.add("Threshold")
        for key, v in (("InField", dist), ("SizeMin", h), ("SizeMax", coarse), ("DistMin", 0.0),
                       ("DistMax", (coarse - h) / grading)):
            f.setNumber(thr, key, v)
        both = f.add("Min")
        f.setNumbers(both, "FieldsList", [inside, thr])
        f.setAsBackgroundMesh(both)
        for opt in ("Mesh.MeshSizeFromPoints", "Mesh.MeshSizeExtendFromBoundary", "Mesh.MeshSizeFromCurvature"):
            gmsh.option.setNumber(opt, 0)
        gmsh.option.setNumber("Mesh.Algorithm", 6)
        gmsh.model.addPhysicalGroup(2, bulk_s, 1, name="bulk")
        gmsh.model.addPhysicalGroup(2, [band_s], 2, name="band")
        gmsh.model.mesh.generate(2)

    data = mesh_on_rank0(comm, "the flawed half disc", build, gdim=2, shared_facet=False)
    return data.mesh, data.cell_tags

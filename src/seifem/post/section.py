"""The cross-section every map draws, built the same way from the fields of each model:
the 3D particle's section z = 0 (y = 0 for an ellipsoid, holding its axis; an octant's symmetry
face mirrored to the full section), the
2D twin's meridian (mirrored about both axes) and the 1D twin's radial line (revolved into a
disc). Second-order cells are tessellated (curved outlines stay curved); finite-strain runs
are drawn on the current shape and keep their reference coordinates for an outline.

    sec = section_3d(grid, octant=True, deformed=False)
    sec.outlines()  # layer boundaries as segments, in drawn coordinates
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["FIELDS", "Section", "layer_radii_um", "section_1d", "section_2d", "section_3d", "section_normal",
           "section_of"]

FIELDS = ("von_mises_MPa", "sigma_hoop_MPa", "theta", "displacement_um", "region")
"""The point fields a section carries (units: MPa, -, um, region number)."""


@dataclass
class Section:
    """A triangulated plane section through the particle centre, in um.

    `xy` are the drawn coordinates (current shape when `deformed`), `ref` the reference
    coordinates; `fields` hold one value per point (MPa for stresses, - for theta);
    `region` is one number per triangle (1 = core, 2, 3, ... = the layers outwards)."""

    xy: np.ndarray
    ref: np.ndarray
    triangles: np.ndarray
    fields: dict[str, np.ndarray]
    region: np.ndarray
    deformed: bool = False

    def _edges(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(edges as pairs of point indices, their triangle, mask of boundary edges, mask of
        interface edges); points at the same reference position are one point here."""
        from scipy.sparse import coo_matrix
        from scipy.sparse.csgraph import connected_components
        from scipy.spatial import cKDTree

        n = len(self.ref)
        near = cKDTree(self.ref).query_pairs(1e-6 * np.abs(self.ref).max(), output_type="ndarray")
        graph = coo_matrix((np.ones(len(near)), (near[:, 0], near[:, 1])), shape=(n, n)) if len(near) else \
            coo_matrix((n, n))
        merged = connected_components(graph, directed=False)[1]  # one label per position (1e-6 of the size)
        tri = self.triangles
        pairs = np.vstack([tri[:, [0, 1]], tri[:, [1, 2]], tri[:, [2, 0]]])
        owner = np.tile(np.arange(len(tri)), 3)
        mkey = np.sort(merged[pairs], axis=1)
        order = np.lexsort((mkey[:, 1], mkey[:, 0]))
        mkey, pairs, owner = mkey[order], pairs[order], owner[order]
        same_next = np.all(mkey[1:] == mkey[:-1], axis=1)
        boundary = np.ones(len(mkey), bool)
        boundary[1:][same_next] = False
        boundary[:-1][same_next] = False
        interface = np.zeros(len(mkey), bool)
        interface[:-1][same_next & (self.region[owner[1:]] != self.region[owner[:-1]])] = True
        return pairs, owner, boundary, interface

    def outlines(self, reference: bool = False) -> np.ndarray:
        """Boundary and interface segments, shape (n, 2, 2), in drawn (or reference) coordinates."""
        pairs, _, boundary, interface = self._edges()
        return (self.ref if reference else self.xy)[pairs[boundary | interface]]

    def outer_edges(self) -> tuple[np.ndarray, np.ndarray]:
        """Segments (n, 2, 2) of the outer surface (the outermost region's boundary facing
        outwards, where the SEI sits) and their outward unit normals (n, 2), drawn coordinates."""
        pairs, owner, boundary, _ = self._edges()
        sel = boundary & (self.region[owner] == self.region.max())
        seg = self.xy[pairs[sel]]
        d = seg[:, 1] - seg[:, 0]
        n = np.column_stack([d[:, 1], -d[:, 0]]) / np.maximum(np.linalg.norm(d, axis=1), 1e-30)[:, None]
        centre = self.xy[self.triangles[owner[sel]]].mean(axis=1)
        n *= np.sign(np.sum(n * (seg.mean(axis=1) - centre), axis=1))[:, None]  # away from its triangle
        out = np.sum(n * seg.mean(axis=1), axis=1) > 0  # and away from the particle centre
        return seg[out], n[out]


def _mirror4(xy: np.ndarray, ref: np.ndarray, tri: np.ndarray, fields: dict, region: np.ndarray) -> tuple:
    """A quarter (x, y >= 0) mirrored to the full plane."""
    n = len(xy)
    signs = [(1, 1), (-1, 1), (1, -1), (-1, -1)]
    xy4 = np.vstack([xy * s for s in signs])
    ref4 = np.vstack([ref * s for s in signs])
    tri4 = np.vstack([tri + k * n for k in range(4)])
    return xy4, ref4, tri4, {k: np.concatenate([v] * 4) for k, v in fields.items()}, np.tile(region, 4)


def _scalars(data, n: int) -> dict[str, np.ndarray]:
    return {k: np.asarray(data[k], float).reshape(n, -1)[:, 0] for k in ("von_mises_MPa", "sigma_hoop_MPa", "theta")
            if k in data}


def section_3d(grid, octant: bool, deformed: bool, normal: int = 2) -> Section:
    """The section x_normal = 0 of a 3D field grid (curved second-order cells tessellated),
    drawn in its two other coordinates in order: normal 2 (z = 0) in (x, y), normal 1
    (y = 0) in (x, z)."""
    axes = [a for a in range(3) if a != normal]
    keep = [k for k in FIELDS if k in grid.point_data]
    slim = grid.copy()
    for k in list(slim.point_data):
        if k not in keep:
            del slim.point_data[k]
    for k in list(slim.cell_data):
        del slim.cell_data[k]
    if "region" in grid.point_data:  # a cell's region as cell data: it survives cutting and point merging
        offsets = grid.cell_offsets if hasattr(type(grid), "cell_offsets") else grid.offset  # pyvista >= 0.47 / older
        slim.cell_data["cell_region"] = np.asarray(grid.point_data["region"])[grid.cell_connectivity[offsets[:-1]]]
    if octant:  # every cell has its own nodes, so the surface holds every face: keep those on z = 0
        surf = slim.extract_surface(nonlinear_subdivision=2, algorithm=None).triangulate()
        z = np.abs(surf.points[:, normal])[surf.regular_faces].max(axis=1)
        plane = surf.extract_cells(np.flatnonzero(z < 1e-6 * np.abs(surf.points).max())).extract_surface(algorithm=None)
    else:
        plane = slim.tessellate(max_n_subdivide=2, merge_points=False).slice(normal="xyz"[normal], origin=(0, 0, 0))
        plane = plane.triangulate()
    ref, tri, n = np.asarray(plane.points)[:, axes], np.asarray(plane.regular_faces), plane.n_points
    u = np.asarray(plane.point_data["displacement_um"])[:, axes] if "displacement_um" in plane.point_data else 0 * ref
    xy = ref + u if deformed else ref.copy()
    region = np.rint(np.asarray(plane.cell_data["cell_region"])).astype(int) if "cell_region" in plane.cell_data \
        else np.ones(len(tri), int)
    fields = _scalars(plane.point_data, n)
    if octant:
        xy, ref, tri, fields, region = _mirror4(xy, ref, tri, fields, region)
    return Section(xy, ref, tri, fields, region, deformed)


def section_2d(grid, deformed: bool) -> Section:
    """The 2D twin's meridian quarter (x = r, y = z; regions numbered from 0) mirrored to the
    full section. A node on an interface carries the outer region's number, so a triangle
    takes the smallest of its nodes'."""
    ref, tri = np.asarray(grid.points)[:, :2], np.asarray(grid.cells_dict[5])
    u = np.asarray(grid.point_data["displacement_um"])[:, :2]
    xy = ref + u if deformed else ref.copy()
    region = np.asarray(grid.point_data["region"])[tri].min(axis=1).astype(int) + 1
    return Section(*_mirror4(xy, ref, tri, _scalars(grid.point_data, grid.n_points), region), deformed)


def section_1d(grid, layer_radii: list[float], deformed: bool, n_angle: int = 180) -> Section:
    """The 1D twin's radial line revolved into a disc; `layer_radii` (um) are the outer radii
    of the core and each layer, which number the regions."""
    r0 = np.asarray(grid.points)[:, 0]
    order = np.argsort(r0)
    r0 = r0[order]
    keep = np.concatenate([[True], np.diff(r0) > 1e-12 * r0.max()])  # one node per radius
    r0 = r0[keep]
    vals = {k: v[order][keep] for k, v in _scalars(grid.point_data, grid.n_points).items()}
    ur = np.asarray(grid.point_data["displacement_um"]).reshape(grid.n_points, -1)[order][keep][:, 0]
    r = r0 + ur if deformed else r0
    phi = np.linspace(0.0, 2 * np.pi, n_angle, endpoint=False)
    nr = len(r0)
    ring = lambda rad: np.column_stack([np.outer(rad, np.cos(phi)).ravel(), np.outer(rad, np.sin(phi)).ravel()])
    xy, ref = ring(r), ring(r0)
    idx = np.arange(nr * n_angle).reshape(nr, n_angle)
    nxt = np.roll(idx, -1, axis=1)
    quads = np.stack([idx[:-1], idx[1:], nxt[1:], nxt[:-1]], axis=-1).reshape(-1, 4)
    tri = np.vstack([quads[:, [0, 1, 2]], quads[:, [0, 2, 3]]])
    tri = tri[np.ptp(ref[tri], axis=1).max(axis=1) > 0]  # drop the triangles collapsed at the centre
    mid = np.linalg.norm(ref[tri].mean(axis=1), axis=1)
    region = 1 + np.searchsorted(np.asarray(layer_radii[:-1]), mid)
    fields = {k: np.repeat(v, n_angle) for k, v in vals.items()}
    return Section(xy, ref, tri, fields, region, deformed)


def layer_radii_um(case: dict) -> list[float]:
    """Outer radii (um) of the core and of each coating layer, from the resolved case."""
    from seifem.units import parse_quantity

    radii = [parse_quantity(case["particle"]["radius"], "m") * 1e6]
    for layer in case.get("coating", []):
        radii.append(radii[-1] + parse_quantity(layer["thickness"], "m") * 1e6)
    return radii


def section_of(grid, case: dict) -> Section:
    """The section of a field grid of any model, drawn on the current shape at finite strain."""
    model = case["geometry"].get("model", "3d")
    deformed = case.get("physics", {}).get("mechanics") == "finite-strain"
    if model == "2d":
        return section_2d(grid, deformed)
    if model == "1d":
        return section_1d(grid, layer_radii_um(case), deformed)
    return section_3d(grid, case["geometry"].get("domain", "octant") == "octant", deformed, section_normal(case))


def section_normal(case: dict) -> int:
    """The axis normal to the drawn 3D section: z (the section z = 0), or y for an ellipsoid
    (the section y = 0 holds its axis z, so a prolate or oblate shape shows)."""
    return 1 if case["geometry"].get("shape", "sphere") == "ellipsoid" else 2

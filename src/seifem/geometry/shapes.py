"""OpenCASCADE cores of every particle shape, built into the open gmsh model on rank 0.

Each builder adds the active core (not yet meshed) and returns a `Core`: its named boundary
surfaces and the outward normal along which coatings grow. Lengths in model units (um).

- `sphere_core`: solid or hollow sphere (cavity concentric, "inner").
- `ellipsoid_core`: a sphere dilated to the semi-axes (R, ay R, az R) (spheroid or
  tri-axial), exact analytic normals.
- `porous_core`: a sphere with non-overlapping spherical pores cut out ("pores"), from a
  layout sampled beforehand (`pores.sample_pores`).
- `file_core`: a solid imported from STEP / BREP (OpenCASCADE) or STL (triangles classified
  into surfaces, a geometry created on them, then a volume), scaled to model units.

Octant models are clipped to x, y, z >= 0 (not for imported shapes, which have no symmetry).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import gmsh
import numpy as np

from seifem.errors import GeometryError
from seifem.geometry.layers import Normal

__all__ = ["Core", "symmetry_axis", "sphere_core", "ellipsoid_core", "porous_core", "file_core", "STEP_SUFFIXES", "STL_SUFFIXES"]

STEP_SUFFIXES = (".step", ".stp", ".brep", ".brp")
STL_SUFFIXES = (".stl",)


@dataclass
class Core:
    """The core's boundary: "outer" (the particle's outer core surface), and optionally
    "inner" (a cavity) or "pores"; `normal` for coatings grown on "outer" (None: radial,
    "mesh": from the surface triangles)."""

    surfaces: dict[str, list[int]] = field(default_factory=dict)
    normal: Normal | str | None = None


def _clip(tag: int, octant: bool, big: float) -> int:
    occ = gmsh.model.occ
    return occ.intersect([(3, tag)], [(3, occ.addBox(0, 0, 0, big, big, big))])[0][0][1] if octant else tag


def symmetry_axis(tag: int, scale: float) -> int | None:
    """0, 1 or 2 if the CAD surface `tag` lies in the plane x, y or z = 0, else None
    (OpenCASCADE bounding boxes are loose, so the plane is recognised by its normal and a
    point on it)."""
    if gmsh.model.getType(2, tag) != "Plane":
        return None
    lo, hi = gmsh.model.getParametrizationBounds(2, tag)
    mid = [0.5 * (a + b) for a, b in zip(lo, hi)]
    n = np.abs(gmsh.model.getNormal(tag, mid))
    x = np.asarray(gmsh.model.getValue(2, tag, mid))
    axis = int(np.argmax(n))
    return axis if n[axis] > 1 - 1e-9 and abs(x[axis]) < 1e-9 * scale else None


def _curved_surfaces(scale: float) -> list[int]:
    """Surfaces of the model that are not on a symmetry plane x, y or z = 0."""
    return [tag for _, tag in gmsh.model.getEntities(2) if symmetry_axis(tag, scale) is None]


def sphere_core(radius: float, inner_radius: float, octant: bool) -> Core:
    """Solid sphere, or hollow with a concentric cavity of `inner_radius`."""
    occ, big = gmsh.model.occ, 2 * radius
    core = _clip(occ.addSphere(0, 0, 0, radius), octant, big)
    if inner_radius > 0:
        occ.cut([(3, core)], [(3, _clip(occ.addSphere(0, 0, 0, inner_radius), octant, big))])
    occ.synchronize()
    curved = _curved_surfaces(radius)
    out = Core()
    out.surfaces["outer"] = [t for t in curved if math.isclose(_extent(t), radius, rel_tol=1e-6)]
    if inner_radius > 0:
        out.surfaces["inner"] = [t for t in curved if math.isclose(_extent(t), inner_radius, rel_tol=1e-6)]
    return out


def _extent(tag: int) -> float:
    return max(abs(v) for v in gmsh.model.getBoundingBox(2, tag))


def ellipsoid_core(radius: float, axes: tuple[float, float], octant: bool) -> Core:
    """Ellipsoid with semi-axes (radius, axes[0] radius, axes[1] radius) along x, y, z."""
    occ = gmsh.model.occ
    ay, az = axes
    sph = occ.addSphere(0, 0, 0, radius)
    occ.dilate([(3, sph)], 0, 0, 0, 1.0, ay, az)
    _clip(sph, octant, 2 * radius * max(1.0, ay, az))
    occ.synchronize()
    semi = np.array([radius, ay * radius, az * radius])

    def normal(x: np.ndarray) -> np.ndarray:
        g = x / semi**2
        return g / np.linalg.norm(g, axis=1)[:, None]

    return Core({"outer": _curved_surfaces(radius)}, normal)


def porous_core(radius: float, pores: tuple[tuple[float, float, float, float], ...], octant: bool) -> Core:
    """Sphere minus the spherical pores (x, y, z, r) (all inside it, none touching another)."""
    occ = gmsh.model.occ
    core = _clip(occ.addSphere(0, 0, 0, radius), octant, 2 * radius)
    tools = [(3, occ.addSphere(x, y, z, r)) for x, y, z, r in pores]
    if tools:
        occ.cut([(3, core)], tools)
    occ.synchronize()
    if len(gmsh.model.getEntities(3)) != 1:
        raise GeometryError("cutting the pores split the particle into pieces (pores too close?)")
    curved = _curved_surfaces(radius)
    outer = [t for t in curved if math.isclose(_extent(t), radius, rel_tol=1e-6)]
    return Core({"outer": outer, "pores": [t for t in curved if t not in outer]})


def file_core(path: str, scale: float) -> Core:
    """Import one solid from `path` (STEP/BREP or STL) and scale its coordinates by `scale`
    (model units per file unit). Raises GeometryError naming geometry.file if it cannot."""
    suffix = Path(path).suffix.lower()
    try:
        if suffix in STEP_SUFFIXES:
            _import_cad(path, scale)
        else:
            _import_stl(path, scale)
    except GeometryError:
        raise
    except Exception as exc:  # gmsh raises plain Exception
        raise GeometryError(f"geometry.file = {path!r}: gmsh cannot import it ({exc})") from None
    return Core({"outer": [t for _, t in gmsh.model.getEntities(2)]}, "mesh")


def _import_cad(path: str, scale: float) -> None:
    occ = gmsh.model.occ
    ents = occ.importShapes(path, highestDimOnly=True)
    vols = [e for e in ents if e[0] == 3]
    if len(vols) != 1:
        raise GeometryError(f"geometry.file = {path!r}: must hold exactly one solid, found {len(vols)}")
    if scale != 1.0:
        occ.dilate(vols, 0, 0, 0, scale, scale, scale)
    occ.synchronize()


def _import_stl(path: str, scale: float) -> None:
    gmsh.merge(path)
    if scale != 1.0:
        gmsh.model.mesh.affineTransform([scale, 0, 0, 0, 0, scale, 0, 0, 0, 0, scale, 0])
    # sharp edges (> 40 degrees) bound the surfaces; each is reparametrised for remeshing
    gmsh.model.mesh.classifySurfaces(40 * math.pi / 180, True, True, math.pi)
    gmsh.model.mesh.createGeometry()
    surfaces = [t for _, t in gmsh.model.getEntities(2)]
    if not surfaces:
        raise GeometryError(f"geometry.file = {path!r}: holds no triangles")
    loop = gmsh.model.geo.addSurfaceLoop(surfaces)
    gmsh.model.geo.addVolume([loop])
    gmsh.model.geo.synchronize()

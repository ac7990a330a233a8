"""The [geometry] section of a case: the particle's shape, its cavity, pores or imported file,
and the mesh controls, checked before any mesh is built.

Every rule raises `CaseError` naming the key, its value and what is allowed; every rank
runs the same checks (the pore layout is sampled here, from the seed, on every rank alike).
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from pathlib import Path

from seifem.case.schema import SHAPE_KEYS
from seifem.errors import CaseError

__all__ = ["Geometry", "parse_geometry", "outer_extent"]


log = logging.getLogger(__name__)

@dataclass(frozen=True)
class Geometry:
    """Shape and meshing (SI units).

    domain ("octant"/"full"), model ("3d"/"2d"/"1d"); shape ("sphere", "ellipsoid",
    "porous", "yolk-shell", "file"); aspect_ratio, aspect_ratio_y: ellipsoid semi-axes along
    z and y over the one along x; inner_radius (m, 0 = solid) and inner_surface ("open" /
    "sealed") of a hollow sphere; element sizes (m) and refine_depth (m); layer_cells; order.
    Porous: porosity, pore_radius (m), pore_radius_spread, min_ligament (m), seed, pores
    ("open"/"closed"), pore_layout ((x, y, z, r) in m, in the modelled part) and
    pore_radius_factor (applied to the drawn radii). File: file (resolved path), scale (m per
    file unit)."""

    domain: str
    model: str
    aspect_ratio: float
    inner_radius: float
    inner_surface: str
    mesh_size: float
    surface_mesh_size: float
    layer_cells: int
    order: int
    shape: str = "sphere"
    aspect_ratio_y: float = 1.0
    refine_depth: float = 0.0
    porosity: float = 0.0
    pore_radius: float = 0.0
    pore_radius_spread: float = 0.0
    min_ligament: float = 0.0
    seed: int = 0
    pores: str = "closed"
    pore_layout: tuple[tuple[float, float, float, float], ...] = ()
    pore_radius_factor: float = 1.0
    file: str = ""
    scale: float = 1e-6
    axial: str = "free"

    @property
    def semi_axes(self) -> tuple[float, float, float]:
        """Semi-axes over the radius along x, y, z (1, 1, 1 unless an ellipsoid)."""
        return (1.0, self.aspect_ratio_y, self.aspect_ratio)


def _shape(raw: dict, geo: dict) -> str:
    shape = geo["shape"]
    stretched = geo["aspect_ratio"] != 1.0 or geo["aspect_ratio_y"] != 1.0
    if shape is None:
        shape = "ellipsoid" if stretched else "sphere"
    for other, keys in SHAPE_KEYS.items():
        for key in keys:
            if key in raw and other != shape:
                raise CaseError(f"geometry.{key}", raw[key], f"applies to geometry.shape = \"{other}\" (this case has "
                                                             f"shape \"{shape}\"); remove it or change the shape")
    return shape


def _model(raw: dict, geo: dict, shape: str) -> None:
    model = geo["model"]
    if "axial" in raw and model != "2d-plane":
        raise CaseError("geometry.axial", raw["axial"], "applies to geometry.model = \"2d-plane\"; remove it")
    if model == "3d":
        return
    if model == "2d-plane" and shape != "sphere":
        raise CaseError("geometry.model", model, f"the 2d-plane cross-section is a disc (geometry.shape = \"sphere\");"
                                                 f" the {shape} particle needs geometry.model = \"3d\"")
    if shape in ("porous", "yolk-shell", "file") or (shape == "ellipsoid" and model == "1d"):
        raise CaseError("geometry.model", model, f"the {shape} particle has no {model} twin; use geometry.model = \"3d\""
                        + (" or \"2d\"" if shape == "ellipsoid" else ""))
    if shape == "ellipsoid" and geo["aspect_ratio_y"] != 1.0:
        raise CaseError("geometry.aspect_ratio_y", raw["aspect_ratio_y"], "the 2d twin is a body of revolution about "
                                                                           "z: needs aspect_ratio_y = 1 (or model 3d)")


def _domain(raw: dict, geo: dict, shape: str) -> str:
    domain = geo["domain"]
    if shape == "file":
        if "domain" in raw and domain == "octant":
            raise CaseError("geometry.domain", "octant", "an imported shape has no symmetry planes; use "
                                                         "geometry.domain = \"full\"")
        return "full"
    if shape == "yolk-shell" and domain == "full":
        raise CaseError("geometry.domain", "full", "the yolk floats free in its shell until they touch: the yolk-"
                                                   "shell particle is modelled on the octant (geometry.domain = "
                                                   "\"octant\")")
    return domain


def _file(raw: dict, geo: dict, base_dir: Path | None) -> str:
    from seifem.geometry.shapes import STEP_SUFFIXES, STL_SUFFIXES

    name = geo["file"]
    if name is None:
        raise CaseError("geometry.file", None if "file" not in raw else raw["file"],
                        "is required for geometry.shape = \"file\": a .step, .stp, .brep or .stl file")
    path = Path(name).expanduser()
    if not path.is_absolute() and base_dir is not None and (base_dir / path).exists():
        path = base_dir / path
    suffix = path.suffix.lower()
    if suffix not in STEP_SUFFIXES + STL_SUFFIXES:
        raise CaseError("geometry.file", name, f"must be a {', '.join(STEP_SUFFIXES + STL_SUFFIXES)} file")
    from seifem.case.bounds import MAX_GEOMETRY_BYTES, regular_file

    if not path.exists():
        where = f" (looked in {base_dir} and the working directory)" if base_dir is not None else ""
        raise CaseError("geometry.file", name, f"no such file{where}")
    size = regular_file(path, "geometry.file", MAX_GEOMETRY_BYTES).st_size  # no FIFO, device or huge file
    try:
        with open(path, "rb") as fh:
            head = fh.read(100)
    except FileNotFoundError:
        raise CaseError("geometry.file", name, "no such file") from None
    except (OSError, ValueError) as exc:
        raise CaseError("geometry.file", name, f"cannot be read ({exc.__class__.__name__})") from None
    if not _looks_like(suffix, head, size, path):
        raise CaseError("geometry.file", name, f"is not a {suffix[1:].upper()} file (its content does not start as "
                                               "one)")
    return str(path.resolve())


def _looks_like(suffix: str, head: bytes, size: int, path: Path) -> bool:
    """Cheap content check of an import file (the full read is gmsh's, on rank 0)."""
    text = head.lstrip().upper()
    if suffix in (".step", ".stp"):
        return text.startswith(b"ISO-10303-21")
    if suffix in (".brep", ".brp"):
        return b"CASCADE TOPOLOGY" in text or b"DBREP_DRAWABLESHAPE" in text
    if text.startswith(b"SOLID") and b"FACET" in _head(path, 2000).upper():
        return True  # ASCII STL
    if size >= 84:  # binary STL: 80-byte header, triangle count, 50 bytes per triangle
        with open(path, "rb") as f:
            f.seek(80)
            n = int.from_bytes(f.read(4), "little")
        return n > 0 and size == 84 + 50 * n
    return False


def _head(path: Path, n: int) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(n)


def _pores(raw: dict, geo: dict, R: float, octant: bool, hs: float):
    """The sampled pore layout, after the checks that need no sampling."""
    from seifem.errors import PoreError
    from seifem.geometry.pores import sample_pores

    for key in ("porosity", "pore_radius"):
        if geo[key] is None:
            raise CaseError(f"geometry.{key}", None, "is required for geometry.shape = \"porous\"")
    lig = geo["min_ligament"] if geo["min_ligament"] is not None else geo["pore_radius"] / 2
    if lig < hs * (1 - 1e-9):
        raise CaseError("geometry.min_ligament", raw.get("min_ligament", f"{lig * 1e9:.4g} nm"),
                        f"a ligament thinner than the surface element size ({hs * 1e9:.4g} nm) cannot be meshed "
                        "(curved elements turn inside out); raise min_ligament or lower geometry.surface_mesh_size")
    try:
        layout = sample_pores(R, geo["porosity"], geo["pore_radius"], geo["pore_radius_spread"], lig, geo["seed"],
                              octant)
    except PoreError as exc:
        key = exc.key.split(".")[-1]
        raise CaseError(exc.key, raw.get(key, geo[key]), str(exc)) from None
    return layout, lig


def parse_geometry(tree: dict, geo: dict, R: float, base_dir: Path | None = None) -> Geometry:
    """Resolve the [geometry] values `geo` (SI, defaults filled) of a core of radius R (m):
    shape, defaults that depend on it, the pore layout; refuse what cannot be meshed."""
    raw = tree.get("geometry", {})
    shape = _shape(raw, geo)
    _model(raw, geo, shape)
    domain = _domain(raw, geo, shape)
    if geo["inner_radius"] is not None and geo["void_fraction"] is not None:
        raise CaseError("geometry.void_fraction", raw["void_fraction"], "give inner_radius or void_fraction, not both")
    inner = geo["inner_radius"] or 0.0
    if geo["model"] == "2d-plane" and (inner > 0 or geo["void_fraction"] is not None):
        key = "inner_radius" if geo["inner_radius"] is not None else "void_fraction"
        raise CaseError(f"geometry.{key}", raw[key], "the 2d-plane cross-section has a solid core; remove it or use "
                                                      "geometry.model = \"3d\", \"2d\" or \"1d\"")
    if geo["void_fraction"] is not None:
        inner = R * geo["void_fraction"] ** (1 / 3)
    if inner >= 0.95 * R:
        key = "inner_radius" if geo["inner_radius"] is not None else "void_fraction"
        raise CaseError(f"geometry.{key}", raw[key], f"the cavity must leave a wall: inner radius < 0.95 x particle "
                                                      f"radius = {0.95 * R * 1e6:g} um")
    h = geo["mesh_size"] if geo["mesh_size"] is not None else min(R / 6, max(R - inner, R / 200))
    hs = geo["surface_mesh_size"] if geo["surface_mesh_size"] is not None else h / 2
    if shape == "porous" and geo["surface_mesh_size"] is None and geo["pore_radius"] is not None:
        spread = geo["pore_radius_spread"]
        hs = max(min(hs, geo["pore_radius"] * (1 - 2 * spread) / 2), R / 200)
    for key, val in (("mesh_size", h), ("surface_mesh_size", hs)):
        if not (R / 200 <= val <= R):
            raise CaseError(f"geometry.{key}", raw.get(key, f"{val * 1e6:g} um"),
                            f"must be between radius/200 = {R / 200 * 1e9:g} nm and the radius = {R * 1e6:g} um")
    if hs > h:
        raise CaseError("geometry.surface_mesh_size", raw.get("surface_mesh_size"),
                        f"must not exceed geometry.mesh_size ({h * 1e6:g} um)")
    if inner > 0 and hs > (R - inner):
        raise CaseError("geometry.surface_mesh_size", raw.get("surface_mesh_size", f"{hs * 1e6:g} um"),
                        f"must not exceed the wall thickness of the hollow particle ({(R - inner) * 1e6:g} um)")
    depth = geo["refine_depth"] if geo["refine_depth"] is not None else 0.0
    if depth > R:
        raise CaseError("geometry.refine_depth", raw["refine_depth"], f"must not exceed the radius ({R * 1e6:g} um)")
    extra: dict = {}
    if shape == "porous":
        layout, lig = _pores(raw, geo, R, domain == "octant", hs)
        if layout.radii.min() < hs:
            raise CaseError("geometry.surface_mesh_size", raw.get("surface_mesh_size", f"{hs * 1e6:g} um"),
                            f"must not exceed the smallest pore radius ({layout.radii.min() * 1e6:.4g} um)")
        extra = dict(porosity=geo["porosity"], pore_radius=geo["pore_radius"],
                     pore_radius_spread=geo["pore_radius_spread"], min_ligament=lig, seed=geo["seed"],
                     pores=geo["pores"], pore_layout=layout.pores, pore_radius_factor=layout.radius_factor)
        log.debug("pore layout: %d pores, porosity %.4f, radius factor %.4f", layout.count, layout.porosity,
                  layout.radius_factor)
    elif shape == "file":
        extra = dict(file=_file(raw, geo, base_dir), scale=geo["scale"])
    return Geometry(domain, geo["model"], geo["aspect_ratio"], inner, geo["inner_surface"], h, hs, geo["layer_cells"],
                    geo["order"], shape=shape, aspect_ratio_y=geo["aspect_ratio_y"], refine_depth=depth,
                    axial=geo["axial"], **extra)


def outer_extent(geometry: Geometry, core_radius: float, outer_radius: float) -> float:
    """Largest distance of the particle's outer surface from the centre (m), inf for an
    imported shape (unknown before meshing). Layers are offset surfaces of uniform thickness
    (outer_radius - core_radius) on the core, so an ellipsoid's extent is R a_max + layers."""
    if geometry.shape == "file":
        return math.inf
    return core_radius * max(geometry.semi_axes) + (outer_radius - core_radius)

"""gmsh builders. They run on rank 0 only and leave a gmsh model with named physical groups.

`build_particle(spec)` meshes the core of any shape (`shapes.py`: sphere, hollow sphere,
ellipsoid, porous sphere, imported file) and grows the layers outside it (`layers.py`):
coatings and a resolved SEI bonded to it, or, after a void, the shell of a yolk-shell
particle.

Names every builder uses (lengths in the model unit, 1 um, see `units.SCALES`):
- volumes: "core" (stores ions), then one per layer, inside out
- surfaces: "outer" (electrolyte-facing, carries the SEI), "interface" (core / first
  coating), "inner" (the cavity surface of a hollow particle), "pores" (the pore surfaces of
  a porous particle), "core_surface" and "shell_inner" (the two sides of the void of a
  yolk-shell particle: the yolk's outer surface and the shell's inner one), "sym_x",
  "sym_y", "sym_z" (symmetry planes x=0, y=0, z=0 of an octant)
"""

from __future__ import annotations

import gmsh
import numpy as np

from seifem.errors import GeometryError
from seifem.geometry.layers import grow_shells
from seifem.geometry.shapes import (
    Core,
    ellipsoid_core,
    file_core,
    porous_core,
    sphere_core,
    symmetry_axis,
)

__all__ = ["build_particle", "default_sublayers", "cavity_mesh_size", "SURFACE_TAGS", "MAX_SUBLAYERS",
           "MIN_SUBLAYERS", "PLASTIC_SUBLAYERS", "CAVITY_FRACTION"]

SURFACE_TAGS = {"outer": 101, "interface": 102, "inner": 103, "pores": 104, "core_surface": 105, "shell_inner": 106,
                "sym_x": 201, "sym_y": 202, "sym_z": 203}
"""Physical tags of named surfaces; volume tags are 1 (core), 2, 3, ... (layers inside out)."""

MAX_SUBLAYERS = 8
MIN_SUBLAYERS = 2
"""At least two elements through every layer by default: a layer one element thick has no
vertex inside it, so its stresses at its surfaces (its history extremes) cannot be recovered
better than from single cells (`physics.recovery`)."""

PLASTIC_SUBLAYERS = 6
"""At least this many elements through a layer that can yield (physics.plasticity and a
yield stress): its plastic front runs through the layer and the stress has a kink there,
which two elements cannot follow (docs/verification.md B3.2)."""


CAVITY_FRACTION = 1 / 24
"""Element size at a cavity's surface at most this fraction of its radius: the concave
surface of a small cavity is curved more strongly than the outer one, and the radial stress
there (zero at a free surface) converges with the surface mesh (docs/verification.md B2)."""


def cavity_mesh_size(surface_mesh_size: float, inner_radius: float) -> float:
    """Element size on the cavity surface of a hollow core: surface_mesh_size, but at most
    CAVITY_FRACTION x the cavity radius (model units)."""
    return min(surface_mesh_size, CAVITY_FRACTION * inner_radius)


def default_sublayers(thickness: float, surface_mesh_size: float, yields: bool = False) -> int:
    """Elements through a layer when `layer_cells` is 0: thickness / surface_mesh_size
    rounded, MIN_SUBLAYERS (PLASTIC_SUBLAYERS if the layer can yield) to MAX_SUBLAYERS."""
    return max(PLASTIC_SUBLAYERS if yields else MIN_SUBLAYERS, min(MAX_SUBLAYERS, round(thickness / surface_mesh_size)))


def _core(spec) -> Core:
    R = spec.radii[0]
    if spec.shape == "ellipsoid":
        return ellipsoid_core(R, spec.axes, spec.octant)
    if spec.shape == "porous":
        return porous_core(R, spec.pores, spec.octant)
    if spec.shape == "file":
        return file_core(spec.file, spec.scale)
    return sphere_core(R, spec.inner_radius, spec.octant)


def build_particle(spec) -> None:
    """Mesh the particle of a `GeometrySpec` into the current gmsh model.

    The core is meshed by gmsh with sizes growing from `surface_mesh_size` at its surfaces
    (outer, cavity, pores) to `mesh_size` over `refine_depth` (default a third of the radius);
    the layers are grown on it as structured shells with `sublayers` elements through each
    (empty: `layer_cells`, or `default_sublayers` if that is 0), tangentially as fine as
    the core surface. Second-order nodes lie on the exact surfaces (OpenCASCADE geometry;
    offset surfaces of it in the layers)."""
    radii = list(spec.radii)
    core = _core(spec)
    depth = spec.refine_depth or radii[0] / 3
    sizes = [([t for name, tags in core.surfaces.items() if name != "inner" for t in tags], spec.surface_mesh_size)]
    if core.surfaces.get("inner"):
        sizes.append((core.surfaces["inner"], cavity_mesh_size(spec.surface_mesh_size, spec.inner_radius)))
    size_field(sizes, spec.mesh_size, depth)
    gmsh.model.mesh.generate(3)
    if spec.order == 2:
        gmsh.model.mesh.setOrder(2)
        _check_curved_cells()

    groups: dict[str, list[int]] = {k: [] for k in SURFACE_TAGS}
    groups["inner"] = core.surfaces.get("inner", [])
    groups["pores"] = core.surfaces.get("pores", [])
    if spec.octant:
        for _, tag in gmsh.model.getEntities(2):
            axis = symmetry_axis(tag, radii[-1])
            if axis is not None:
                groups["sym_" + "xyz"[axis]].append(tag)
    gmsh.model.addPhysicalGroup(3, [t for _, t in gmsh.model.getEntities(3)], 1, name=spec.names[0])
    if len(radii) == 1:
        groups["outer"] = core.surfaces["outer"]
    else:
        gaps = list(spec.gaps) or [0.0] * (len(radii) - 1)
        groups["interface" if gaps[0] == 0 else "core_surface"] = core.surfaces["outer"]
        thick = [b - a - g for a, b, g in zip(radii[:-1], radii[1:], gaps)]
        sub = list(spec.sublayers) or [spec.layer_cells or default_sublayers(t, spec.surface_mesh_size) for t in thick]
        shells = grow_shells(core.surfaces["outer"], [r - radii[0] for r in radii[1:]], sub, spec.octant,
                             core.normal, gaps)
        for i, vol in enumerate(shells["volumes"]):
            gmsh.model.addPhysicalGroup(3, [vol], i + 2, name=spec.names[i + 1])
        groups["outer"] = [shells["outer"]]
        if shells["gap_top"] is not None:
            groups["shell_inner"] = [shells["gap_top"]]
        if shells["gap_bottom"] is not None:
            groups["core_surface"] = [shells["gap_bottom"]]
        for name in ("sym_x", "sym_y", "sym_z"):
            groups[name] += [shells[name]] if name in shells else []
    for name, tags in groups.items():
        if tags:
            gmsh.model.addPhysicalGroup(2, tags, SURFACE_TAGS[name], name=name)


def _check_curved_cells() -> None:
    """Second-order cells must stay valid after their nodes are moved onto the curved
    surfaces; gmsh's high-order optimiser gets one chance to untangle them."""
    def worst() -> float:
        tags = np.concatenate([np.asarray(t) for t in gmsh.model.mesh.getElements(3)[1]])
        return float(np.min(gmsh.model.mesh.getElementQualities(tags, "minSJ"))) if tags.size else 1.0

    if worst() > 0:
        return
    gmsh.model.mesh.optimize("HighOrder")
    if worst() <= 0:
        raise GeometryError("curved (second-order) elements turn inside out where the core is thinner than the "
                            "elements (a thin ligament or wall); lower geometry.surface_mesh_size or use "
                            "geometry.order = 1")


def size_field(sizes: list[tuple[list[int], float]], h: float, depth: float, entities: str = "Surfaces") -> None:
    """Element size hs on the gmsh entities (`entities`: "Surfaces" or "Curves") of each
    (entity tags, hs) pair, growing linearly to h at distance `depth` from them (the smallest
    size wins), as the background mesh of the current model."""
    field = gmsh.model.mesh.field
    thresholds = []
    for tags, hs in sizes:
        if not tags:
            continue
        dist = field.add("Distance")
        field.setNumbers(dist, f"{entities}List", tags)
        field.setNumber(dist, "Sampling", 200)
        thr = field.add("Threshold")
        field.setNumber(thr, "InField", dist)
        field.setNumber(thr, "SizeMin", hs)
        field.setNumber(thr, "SizeMax", h)
        field.setNumber(thr, "DistMin", 0.0)
        field.setNumber(thr, "DistMax", depth)
        thresholds.append(thr)
    smallest = field.add("Min")
    field.setNumbers(smallest, "FieldsList", thresholds)
    field.setAsBackgroundMesh(smallest)
    for opt in ("Mesh.MeshSizeFromPoints", "Mesh.MeshSizeExtendFromBoundary", "Mesh.MeshSizeFromCurvature"):
        gmsh.option.setNumber(opt, 0)

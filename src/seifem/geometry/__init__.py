"""Particle geometry: gmsh builds the mesh on rank 0, dolfinx distributes it.

`build(case, comm)` returns a `Geometry`: the dolfinx mesh (model length unit: 1 um), its
cell and facet tags, and measures over named regions and surfaces (see `builders.py`).
A mesh written by `seifem mesh` into `meshes/` is reused by any case with the same
geometry parameters (`GeometrySpec.key`).
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import asdict, dataclass
from functools import reduce
from pathlib import Path

import numpy as np
import ufl
from mpi4py import MPI

from seifem.errors import GeometryError
from seifem.geometry.builders import build_particle, default_sublayers
from seifem.geometry.gmsh_rank0 import mesh_on_rank0
from seifem.units import SCALES

__all__ = ["Geometry", "NamedRegions", "GeometrySpec", "spec_from_case", "layer_yields", "electrolyte_surfaces", "design_report", "build", "GeometryError", "MESH_DIR"]

log = logging.getLogger(__name__)

MESH_DIR = Path("meshes")
"""Where `seifem mesh` writes meshes and where runs look for a cached one (current directory)."""

BUILDER_VERSION = 7  # bump when builders change the meshes they make


@dataclass(frozen=True)
class GeometrySpec:
    """Everything that determines the mesh, in model units (um).

    radii: outer "radius" of each layer, core first (for a non-spherical core: its radius
    plus the layer thicknesses, i.e. layer i lies at offset radii[i] - radii[0] from the core
    surface); names: their region names; inner_radius: cavity radius of a hollow particle (0:
    solid); shape: "sphere", "ellipsoid", "porous", "yolk-shell" or "file"; axes: semi-axes
    along y and z over the one along x (ellipsoid); pores: (x, y, z, r) of each pore; gaps:
    width of the void under each layer (yolk-shell: the layer called "shell"); file, file_sha1,
    scale: the imported shape, its content hash and model units per file unit; refine_depth:
    distance over which the element size grows from surface_mesh_size to mesh_size (0: radius/3);
    sublayers: elements through each layer (empty: layer_cells, or the builder's default if
    that is 0)."""

    radii: tuple[float, ...]
    names: tuple[str, ...]
    inner_radius: float
    octant: bool
    mesh_size: float
    surface_mesh_size: float
    layer_cells: int
    order: int
    shape: str = "sphere"
    axes: tuple[float, float] = (1.0, 1.0)
    pores: tuple[tuple[float, float, float, float], ...] = ()
    gaps: tuple[float, ...] = ()
    file: str = ""
    file_sha1: str = ""
    scale: float = 1.0
    refine_depth: float = 0.0
    sublayers: tuple[int, ...] = ()

    @property
    def key(self) -> str:
        """Hash of the parameters: equal keys give identical meshes (an imported file counts by
        its content, not its path)."""
        params = {k: v for k, v in asdict(self).items() if k != "file"}
        text = json.dumps({**params, "builder": BUILDER_VERSION}, sort_keys=True)
        return hashlib.sha1(text.encode()).hexdigest()[:12]


def spec_from_case(case) -> GeometrySpec:
    """The geometry parameters of a case, in model units."""
    L, g = SCALES.length, case.geometry
    radii, r = [case.particle.radius / L], case.particle.radius
    for layer in case.shells:
        r += layer.gap + layer.thickness
        radii.append(r / L)
    file_sha1 = hashlib.sha1(Path(g.file).read_bytes()).hexdigest() if g.shape == "file" else ""
    sublayers = tuple(g.layer_cells or default_sublayers(layer.thickness / L, g.surface_mesh_size / L,
                                                         layer_yields(case, layer)) for layer in case.shells)
    return GeometrySpec(tuple(radii), ("core", *(c.name for c in case.shells)), g.inner_radius / L,
                        g.domain == "octant", g.mesh_size / L, g.surface_mesh_size / L, g.layer_cells, g.order,
                        shape=g.shape, axes=(g.aspect_ratio_y, g.aspect_ratio),
                        pores=tuple(tuple(v / L for v in p) for p in g.pore_layout),
                        gaps=tuple(layer.gap / L for layer in case.shells), file=g.file, file_sha1=file_sha1,
                        scale=g.scale / L, refine_depth=g.refine_depth / L, sublayers=sublayers)


def layer_yields(case, layer) -> bool:
    """Whether a layer of the case can yield: J2 plasticity is on and its material has a
    yield stress (known before meshing, so the mesh can resolve its plastic front)."""
    return bool(case.physics.plasticity and "yield_stress" in layer.material.values)


def electrolyte_surfaces(case, geo: "Geometry") -> tuple[list[str], list[str]]:
    """(flux surfaces, SEI surfaces) of a meshed case: ions enter the core through its
    surface facing the electrolyte ("interface" under a bonded coating, "core_surface" of a
    yolk, else "outer"), and also through an open cavity or open pores, which carry SEI
    like the outer surface."""
    g = case.geometry
    first = "interface" if geo.has("interface") else "core_surface" if geo.has("core_surface") else "outer"
    extra = (["inner"] if geo.has("inner") and g.inner_surface == "open" else []) + \
            (["pores"] if geo.has("pores") and g.pores == "open" else [])
    return [first] + extra, ["outer"] + extra


class NamedRegions:
    """Named measures and index lookups of a tagged mesh: the methods of `Geometry` and of the
    electrode patch's geometry, which both hold `mesh`, `cell_tags`, `facet_tags` and `tags`
    (the physical tag of every named region and surface)."""

    mesh: "dolfinx.mesh.Mesh"  # noqa: F821
    cell_tags: "dolfinx.mesh.MeshTags"  # noqa: F821
    facet_tags: "dolfinx.mesh.MeshTags"  # noqa: F821
    tags: dict[str, int]

    def has(self, name: str) -> bool:
        """Whether the mesh has a region or surface of this name."""
        return name in self.tags

    def dx(self, *names: str) -> ufl.Measure:
        """Volume measure over the named regions (all regions if none are named)."""
        dx = ufl.Measure("dx", domain=self.mesh, subdomain_data=self.cell_tags)
        if not names:
            return dx
        return reduce(lambda a, b: a + b, (dx(self.tags[n]) for n in names))

    def ds(self, name: str) -> ufl.Measure:
        """Surface measure over a named exterior surface ("outer", "inner", "sym_x", ...)."""
        return ufl.Measure("ds", domain=self.mesh, subdomain_data=self.facet_tags)(self.tags[name])

    def dS(self, name: str) -> ufl.Measure:
        """Interior-facet measure over a named internal surface ("interface")."""
        return ufl.Measure("dS", domain=self.mesh, subdomain_data=self.facet_tags)(self.tags[name])

    def cells(self, name: str) -> np.ndarray:
        """Local cell indices of a region."""
        return self.cell_tags.find(self.tags[name])

    def facets(self, name: str) -> np.ndarray:
        """Local facet indices of a surface."""
        return self.facet_tags.find(self.tags[name])


@dataclass
class Geometry(NamedRegions):
    """A meshed particle. Lengths in model units (um).

    tags: physical tag of every named region and surface; symmetry_factor: particle volume
    over modelled volume (8 for an octant, 1 for the full particle).
    """

    mesh: "dolfinx.mesh.Mesh"  # noqa: F821
    cell_tags: "dolfinx.mesh.MeshTags"  # noqa: F821
    facet_tags: "dolfinx.mesh.MeshTags"  # noqa: F821
    spec: GeometrySpec
    tags: dict[str, int]
    report: dict | None = None  # `design_report`: volumes, areas, porosity as meshed

    @property
    def octant(self) -> bool:
        return self.spec.octant

    @property
    def symmetry_factor(self) -> int:
        return 8 if self.spec.octant else 1

    @property
    def regions(self) -> list[str]:
        """Region names, core first."""
        return list(self.spec.names)


def design_report(geo: Geometry) -> dict:
    """What was meshed, for the whole particle (model units: um^3, um^2): the volume of each
    region, the area of each named surface (symmetry planes excluded) and, for a porous
    particle, the pore count and the porosity of the mesh, 1 - V_core / V_envelope, with the
    envelope volume from the core's outer surface (the divergence theorem, |x.n| / 3 on it).
    Collective."""
    import dolfinx.fem as fem

    comm, f = geo.mesh.comm, geo.symmetry_factor
    one = fem.Constant(geo.mesh, 1.0)

    def total(expr) -> float:
        return f * comm.allreduce(fem.assemble_scalar(fem.form(expr)), op=MPI.SUM)

    out: dict = {"volume_um3": {n: total(one * geo.dx(n)) for n in geo.regions}, "area_um2": {}}
    for name in ("outer", "interface", "inner", "pores", "core_surface", "shell_inner"):
        if geo.has(name):
            out["area_um2"][name] = total(one("+") * geo.dS(name) if name == "interface" else one * geo.ds(name))
    if geo.spec.shape == "porous":
        x, n = ufl.SpatialCoordinate(geo.mesh), ufl.FacetNormal(geo.mesh)
        if geo.has("interface"):
            envelope = total(abs(ufl.dot(x, n("+"))) / 3 * geo.dS("interface"))
        else:
            envelope = total(ufl.dot(x, n) / 3 * geo.ds("outer"))
        out["pore_count"] = len(geo.spec.pores) * f
        out["porosity"] = 1 - out["volume_um3"]["core"] / envelope
        out["specific_area_um2"] = out["area_um2"].get("pores", 0.0) + out["area_um2"].get("outer", 0.0)
    return out


def cached_mesh(spec: GeometrySpec, mesh_dir: Path = MESH_DIR) -> Path | None:
    """A .msh file in `mesh_dir` written for the same parameters, if there is one."""
    for meta in sorted(mesh_dir.glob("*.json")) if mesh_dir.is_dir() else []:
        try:
            if json.loads(meta.read_text()).get("key") == spec.key and meta.with_suffix(".msh").is_file():
                return meta.with_suffix(".msh")
        except (OSError, ValueError):
            continue
    return None


def build(case, comm: MPI.Comm, msh_out: Path | None = None) -> Geometry:
    """Mesh the case's particle on rank 0 (or reuse a cached mesh) and distribute it.

    If `msh_out` is given, rank 0 also writes the gmsh mesh there (for `seifem mesh`)."""
    spec = spec_from_case(case)

    def build() -> None:
        import gmsh

        cached = cached_mesh(spec)
        if cached is not None:
            gmsh.open(str(cached))
            log.info("reusing mesh %s (same geometry parameters)", cached)
        else:
            gmsh.model.add("particle")
            build_particle(spec)
        if msh_out is not None:
            gmsh.write(str(msh_out))

    # shared-facet ghosts: interior-facet integrals over the interface work across ranks
    data = mesh_on_rank0(comm, "the particle", build, gdim=3)
    mesh = data.mesh
    mesh.topology.create_connectivity(2, 3)
    tags = {name: int(group.tag) for name, group in data.physical_groups.items()}
    missing = [n for n in spec.names if n not in tags]
    if missing:
        raise GeometryError(f"the mesh has no region {missing[0]!r} (a layer too thin for gmsh?)")
    geo = Geometry(mesh, data.cell_tags, data.facet_tags, spec, tags)
    ncells = comm.allreduce(mesh.topology.index_map(3).size_local, op=MPI.SUM)
    log.info("mesh: %d cells, order %d, regions %s", ncells, spec.order, ", ".join(spec.names))
    geo.report = design_report(geo)
    if spec.shape == "porous":
        r = geo.report
        log.info("porous particle: %d pores, porosity %.4f as meshed (requested %.4f), surface %.4g um^2 (pores "
                 "%.4g um^2)", r["pore_count"], r["porosity"], getattr(case.geometry, "porosity", 0.0),
                 r["specific_area_um2"], r["area_um2"].get("pores", 0.0))
    elif spec.shape == "file":
        log.info("imported particle: volume %.4g um^3 (volume-equivalent radius %.4g um), outer surface %.4g um^2",
                 geo.report["volume_um3"]["core"], (3 * geo.report["volume_um3"]["core"] / (4 * np.pi)) ** (1 / 3),
                 geo.report["area_um2"].get("interface", geo.report["area_um2"].get("outer", 0.0)))
    return geo

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

from ..errors import GeometryError
from ..units import SCALES
from .builders import SURFACE_TAGS, layered_sphere

__all__ = ["Geometry", "GeometrySpec", "spec_from_case", "build", "GeometryError", "MESH_DIR"]

log = logging.getLogger(__name__)

MESH_DIR = Path("meshes")
"""Where `seifem mesh` writes meshes and where runs look for a cached one (current directory)."""

BUILDER_VERSION = 4  # bump when builders change the meshes they make


@dataclass(frozen=True)
class GeometrySpec:
    """Everything that determines the mesh, in model units (um).

    radii: outer radius of each layer, core first; names: their region names;
    inner_radius: cavity radius of a hollow particle (0: solid)."""

    radii: tuple[float, ...]
    names: tuple[str, ...]
    inner_radius: float
    octant: bool
    mesh_size: float
    surface_mesh_size: float
    layer_cells: int
    order: int

    @property
    def key(self) -> str:
        """Hash of the parameters: equal keys give identical meshes."""
        text = json.dumps({**asdict(self), "builder": BUILDER_VERSION}, sort_keys=True)
        return hashlib.sha1(text.encode()).hexdigest()[:12]


def spec_from_case(case) -> GeometrySpec:
    """The geometry parameters of a case, in model units."""
    L, g = SCALES.length, case.geometry
    radii, r = [case.particle.radius / L], case.particle.radius
    for layer in case.shells:
        r += layer.thickness
        radii.append(r / L)
    return GeometrySpec(tuple(radii), ("core", *(c.name for c in case.shells)), g.inner_radius / L,
                        g.domain == "octant", g.mesh_size / L, g.surface_mesh_size / L, g.layer_cells, g.order)


@dataclass
class Geometry:
    """A meshed particle. Lengths in model units (um).

    tags: physical tag of every named region and surface; symmetry_factor: particle volume
    over modelled volume (8 for an octant, 1 for the full particle).
    """

    mesh: "dolfinx.mesh.Mesh"  # noqa: F821
    cell_tags: "dolfinx.mesh.MeshTags"  # noqa: F821
    facet_tags: "dolfinx.mesh.MeshTags"  # noqa: F821
    spec: GeometrySpec
    tags: dict[str, int]

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
    import gmsh
    from dolfinx.io import gmsh as gmshio

    spec = spec_from_case(case)
    error = None
    if comm.rank == 0:
        gmsh.initialize(interruptible=False)
        gmsh.option.setNumber("General.Terminal", 0)
        gmsh.option.setNumber("General.NumThreads", 1)
        try:
            cached = cached_mesh(spec)
            if cached is not None:
                gmsh.open(str(cached))
                log.info("reusing mesh %s (same geometry parameters)", cached)
            else:
                gmsh.model.add("particle")
                layered_sphere(list(spec.radii), list(spec.names), spec.inner_radius, spec.octant,
                               spec.mesh_size, spec.surface_mesh_size, spec.order, spec.layer_cells)
            if msh_out is not None:
                gmsh.write(str(msh_out))
        except Exception as exc:  # gmsh raises plain Exception
            error = f"gmsh failed to mesh the particle: {exc}"
    error = comm.bcast(error, root=0)
    if error:
        if comm.rank == 0:
            gmsh.finalize()
        raise GeometryError(error)
    from dolfinx.mesh import GhostMode, create_cell_partitioner

    try:  # shared-facet ghosts: interior-facet integrals over the interface work across ranks
        data = gmshio.model_to_mesh(gmsh.model, comm, 0, gdim=3,
                                    partitioner=create_cell_partitioner(GhostMode.shared_facet, 2))
    finally:
        if comm.rank == 0:
            gmsh.finalize()
    mesh = data.mesh
    mesh.topology.create_connectivity(2, 3)
    tags = {name: int(group.tag) for name, group in data.physical_groups.items()}
    missing = [n for n in spec.names if n not in tags]
    if missing:
        raise GeometryError(f"the mesh has no region {missing[0]!r} (a layer too thin for gmsh?)")
    geo = Geometry(mesh, data.cell_tags, data.facet_tags, spec, tags)
    ncells = comm.allreduce(mesh.topology.index_map(3).size_local, op=MPI.SUM)
    log.info("mesh: %d cells, order %d, regions %s", ncells, spec.order, ", ".join(spec.names))
    return geo

"""Particle geometry: gmsh builds the mesh on rank 0, dolfinx distributes it.

`build(case, comm)` returns a `Geometry`: the dolfinx mesh (model length unit: 1 um), its
cell and facet tags, and measures over named regions and surfaces (see `builders.py` for
the names).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import reduce

import numpy as np
import ufl
from mpi4py import MPI

from ..errors import GeometryError
from ..units import SCALES
from .builders import SURFACES, VOLUMES, layered_sphere

__all__ = ["Geometry", "build", "GeometryError", "SURFACES", "VOLUMES"]

log = logging.getLogger(__name__)


@dataclass
class Geometry:
    """A meshed particle. Lengths in model units (um).

    radii: outer radius of each layer (core first); symmetry_factor: particle volume over
    modelled volume (8 for an octant, 1 for the full particle).
    """

    mesh: "dolfinx.mesh.Mesh"  # noqa: F821
    cell_tags: "dolfinx.mesh.MeshTags"  # noqa: F821
    facet_tags: "dolfinx.mesh.MeshTags"  # noqa: F821
    radii: tuple[float, ...]
    octant: bool

    @property
    def symmetry_factor(self) -> int:
        return 8 if self.octant else 1

    @property
    def regions(self) -> list[str]:
        return [n for n, i in VOLUMES.items() if np.any(self.cell_tags.values == i) or _any(self, i, 3)]

    def dx(self, *names: str) -> ufl.Measure:
        """Volume measure over the named regions (all regions if none are named)."""
        dx = ufl.Measure("dx", domain=self.mesh, subdomain_data=self.cell_tags)
        if not names:
            return dx
        return reduce(lambda a, b: a + b, (dx(VOLUMES[n]) for n in names))

    def ds(self, name: str) -> ufl.Measure:
        """Surface measure over a named exterior surface ("outer", "sym_x", ...)."""
        return ufl.Measure("ds", domain=self.mesh, subdomain_data=self.facet_tags)(SURFACES[name])

    def dS(self, name: str) -> ufl.Measure:
        """Interior-facet measure over a named internal surface ("interface")."""
        return ufl.Measure("dS", domain=self.mesh, subdomain_data=self.facet_tags)(SURFACES[name])

    def cells(self, name: str) -> np.ndarray:
        """Local cell indices of a region."""
        return self.cell_tags.find(VOLUMES[name])

    def facets(self, name: str) -> np.ndarray:
        """Local facet indices of a surface."""
        return self.facet_tags.find(SURFACES[name])


def _any(geo: Geometry, tag: int, dim: int) -> bool:
    tags = geo.cell_tags if dim == 3 else geo.facet_tags
    return bool(geo.mesh.comm.allreduce(int(np.any(tags.values == tag)), op=MPI.MAX))


def build(case, comm: MPI.Comm) -> Geometry:
    """Mesh the case's particle on rank 0 and distribute it over `comm`."""
    import gmsh
    from dolfinx.io import gmsh as gmshio

    L = SCALES.length
    radii = [case.particle.radius / L]
    if case.coating is not None:
        radii.append((case.particle.radius + case.coating.thickness) / L)
    g = case.geometry
    error = None
    if comm.rank == 0:
        gmsh.initialize(interruptible=False)
        gmsh.option.setNumber("General.Terminal", 0)
        gmsh.option.setNumber("General.NumThreads", 1)
        gmsh.model.add("particle")
        try:
            layered_sphere(radii, g.domain == "octant", g.mesh_size / L, g.surface_mesh_size / L, g.order)
        except Exception as exc:  # gmsh raises plain Exception
            error = f"gmsh failed to mesh the particle: {exc}"
    error = comm.bcast(error, root=0)
    if error:
        if comm.rank == 0:
            gmsh.finalize()
        raise GeometryError(error)
    try:
        data = gmshio.model_to_mesh(gmsh.model, comm, 0, gdim=3)
    finally:
        if comm.rank == 0:
            gmsh.finalize()
    mesh = data.mesh
    mesh.topology.create_connectivity(2, 3)
    geo = Geometry(mesh, data.cell_tags, data.facet_tags, tuple(radii), g.domain == "octant")
    ncells = comm.allreduce(mesh.topology.index_map(3).size_local, op=MPI.SUM)
    log.info("mesh: %d cells, order %d, regions %s", ncells, g.order, ", ".join(geo.regions))
    return geo

"""An electrode patch: spheres in a carbon-binder box on a current collector.

The box [0, W] x [0, W] x [0, T] (model units, um) holds the spheres of a `Packing`
(`packing.py`). The space between them is one continuous "binder" region: the carbon-binder
domain homogenised as a compliant solid with its own (effective) elastic constants; the
electrolyte-filled pores of a real electrode are not resolved (their compliance belongs in the
binder's effective modulus) and no ions move through them. Particles are bonded to the binder or
joined to it by a cohesive interface (`problem.electrode_interface`).

gmsh (OpenCASCADE) builds it on rank 0: a box and the spheres, boolean fragments, a mesh size
growing from `surface_mesh_size` at the particle surfaces to `mesh_size` over `refine_depth`;
dolfinx distributes it.

Physical groups (names -> tags):
- volumes: "binder" (1), "particle_<i>" (100 + i, i = 0, 1, ...), with coated particles
  "coating_<i>" (10000 + i: the shell between r_i and r_i + coating); a hollow particle is the
  shell between its cavity radius r_i void^(1/3) and r_i (the cavity is not meshed), a porous
  one the sphere less its pores (not meshed either)
- surfaces: "collector" (z = 0), "top" (z = T), "x0", "x1", "y0", "y1" (lateral walls x = 0, W,
  y = 0, W), "particle_surfaces" (the interfaces of the binder with the particles, or with
  their coatings), "coating_interfaces" (particle-coating), "cavities" (the free inner surfaces
  of hollow particles)
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
from mpi4py import MPI

from seifem.errors import GeometryError
from seifem.geometry import NamedRegions
from seifem.geometry.gmsh_rank0 import mesh_on_rank0
from seifem.geometry.packing import Packing

__all__ = ["BINDER_TAG", "FACET_TAGS", "PARTICLE_TAG0", "ElectrodeGeometry", "build_electrode"]

log = logging.getLogger(__name__)

BINDER_TAG = 1
PARTICLE_TAG0 = 100
COATING_TAG0 = 10000
FACET_TAGS = {"collector": 1, "top": 2, "x0": 3, "x1": 4, "y0": 5, "y1": 6, "particle_surfaces": 10, "cavities": 11,
              "coating_interfaces": 12}
OPTIONAL_FACETS = ("particle_surfaces", "cavities", "coating_interfaces")
WALLS = ("x0", "x1", "y0", "y1")


@dataclass
class ElectrodeGeometry(NamedRegions):
    """A meshed electrode patch (lengths in um): mesh, tags, and the packing it was built from."""

    mesh: dolfinx.mesh.Mesh  # noqa: F821
    cell_tags: dolfinx.mesh.MeshTags  # noqa: F821
    facet_tags: dolfinx.mesh.MeshTags  # noqa: F821
    tags: dict[str, int]
    packing: Packing
    coating: float = 0.0

    @property
    def particles(self) -> list[str]:
        """Particle region names, in packing order."""
        return [f"particle_{i}" for i in range(self.packing.count)]

    @property
    def coatings(self) -> list[str]:
        """Coating region names, in packing order ([] for bare particles)."""
        return [f"coating_{i}" for i in range(self.packing.count)] if self.coating > 0 else []


def _gmsh_patch(p: Packing, mesh_size: float, surface_mesh_size: float, refine_depth: float, order: int,
                coating: float = 0.0, axes: tuple[float, float] = (1.0, 1.0), void: float = 0.0,
                pores: list | None = None) -> None:
    """Build and mesh the patch in the current gmsh model (rank 0)."""
    import gmsh

    occ = gmsh.model.occ
    W, T = p.width, p.thickness
    box = occ.addBox(0, 0, 0, W, W, T)
    spheres = [occ.addSphere(*c, r) for c, r in zip(p.centres, p.radii)]
    if axes != (1.0, 1.0):  # spheroids of the same volume, the symmetry axis along z
        for c, s in zip(p.centres, spheres):
            occ.dilate([(3, s)], *c, axes[0], axes[0], axes[1])
    shells = [occ.addSphere(*c, r + coating) for c, r in zip(p.centres, p.radii)] if coating > 0 else []
    n = len(spheres)
    if void > 0:  # hollow particles: one centred cavity
        pores = [np.array([[0.0, 0.0, 0.0, r * void ** (1 / 3)]]) for r in p.radii]
    if pores:  # the cavities cut out of each sphere (and its coating), and later out of the box
        cavities = [[(3, occ.addSphere(*(np.asarray(c) + q[:3]), q[3])) for q in holes]
                    for c, holes in zip(p.centres, pores)]
        spheres = [occ.cut([(3, s)], cs, removeTool=False)[0][0][1] for s, cs in zip(spheres, cavities)]
        shells = [occ.cut([(3, s)], cs, removeTool=False)[0][0][1] for s, cs in zip(shells, cavities)]
        box = occ.cut([(3, box)], [t for cs in cavities for t in cs])[0][0][1]
    if spheres:
        _, children = occ.fragment([(3, box)], [(3, s) for s in spheres + shells])
    else:  # a homogeneous layer (verification)
        children = [[(3, box)]]
    occ.synchronize()
    binder = [t for _, t in children[0] if all((3, t) not in c for c in children[1:])]
    particles = [[t for _, t in c] for c in children[1:n + 1]]
    coats = [[t for _, t in c if t not in particles[i]] for i, c in enumerate(children[n + 1:])]
    if len(binder) != 1 or any(len(c) != 1 for c in particles + coats):
        raise GeometryError(f"gmsh fragments gave {len(binder)} binder volumes, particle volumes "
                            f"{[len(c) for c in particles]} and coating volumes {[len(c) for c in coats]} (expected 1 each)")
    gmsh.model.addPhysicalGroup(3, binder, BINDER_TAG, name="binder")
    for i, c in enumerate(particles):
        gmsh.model.addPhysicalGroup(3, c, PARTICLE_TAG0 + i, name=f"particle_{i}")
    for i, c in enumerate(coats):
        gmsh.model.addPhysicalGroup(3, c, COATING_TAG0 + i, name=f"coating_{i}")
    faces: dict[str, list[int]] = {k: [] for k in FACET_TAGS}
    tol = 1e-6 * max(W, T)
    planes = {"collector": (2, 0.0), "top": (2, T), "x0": (0, 0.0), "x1": (0, W), "y0": (1, 0.0), "y1": (1, W)}
    for _, s in gmsh.model.getEntities(2):
        bb = np.array(gmsh.model.getBoundingBox(2, s))
        for name, (axis, val) in planes.items():
            if abs(bb[axis] - val) < tol and abs(bb[axis + 3] - val) < tol:
                faces[name].append(s)
                break
        else:  # a cavity bounds one volume, a particle surface two (one of them the binder)
            up, _ = gmsh.model.getAdjacencies(2, s)
            kind = "cavities" if len(up) == 1 else "particle_surfaces" if binder[0] in up else "coating_interfaces"
            faces[kind].append(s)
    for name, tag in FACET_TAGS.items():
        if not faces[name] and name in OPTIONAL_FACETS:
            continue
        if not faces[name]:
            raise GeometryError(f"the electrode patch has no surface {name!r}")
        gmsh.model.addPhysicalGroup(2, faces[name], tag, name=name)
    gmsh.option.setNumber("Mesh.MeshSizeMax", mesh_size)
    if not faces["particle_surfaces"]:
        surface_mesh_size = mesh_size
    f_dist = gmsh.model.mesh.field.add("Distance")
    gmsh.model.mesh.field.setNumbers(f_dist, "SurfacesList", faces["particle_surfaces"] + faces["coating_interfaces"]
                                     + faces["cavities"] or faces["top"])
    f_th = gmsh.model.mesh.field.add("Threshold")
    gmsh.model.mesh.field.setNumber(f_th, "InField", f_dist)
    gmsh.model.mesh.field.setNumber(f_th, "SizeMin", surface_mesh_size)
    gmsh.model.mesh.field.setNumber(f_th, "SizeMax", mesh_size)
    gmsh.model.mesh.field.setNumber(f_th, "DistMin", 0.0)
    gmsh.model.mesh.field.setNumber(f_th, "DistMax", refine_depth)
    gmsh.model.mesh.field.setAsBackgroundMesh(f_th)
    for opt in ("MeshSizeExtendFromBoundary", "MeshSizeFromPoints", "MeshSizeFromCurvature"):
        gmsh.option.setNumber(f"Mesh.{opt}", 0)
    gmsh.model.mesh.generate(3)
    if order == 2:
        gmsh.model.mesh.setOrder(2)


def build_electrode(packing: Packing, comm: MPI.Comm, mesh_size: float, surface_mesh_size: float | None = None,
                    refine_depth: float | None = None, order: int = 1, coating: float = 0.0,
                    axes: tuple[float, float] = (1.0, 1.0), void: float = 0.0,
                    shared_facet: bool = False, pores: list | None = None) -> ElectrodeGeometry:
    """Mesh the patch of `packing` on rank 0 and distribute it over `comm` (collective).

    mesh_size: element size far from the particles (um); surface_mesh_size: at the particle
    surfaces (default mesh_size); refine_depth: distance over which it grows (default the
    mean radius); order: geometry order (1 or 2); coating: thickness of a coating shell on every
    particle (um, 0: bare), its own region coating_<i>; axes: equatorial and polar semi-axis
    over the radius (spheroids of the sphere's volume; not with a coating); void: cavity volume
    over the sphere's (hollow particles, 0: solid); pores: per particle an array (k, 4) of its
    pores (x, y, z, r) relative to its centre (porous particles, `case.electrode_pores`); shared_facet: ghost the cells across every
    facet of a rank's cells (interior-facet integrals over the particle surfaces: debonding)."""

    surface_mesh_size = surface_mesh_size or mesh_size
    refine_depth = refine_depth or (float(np.mean(packing.radii)) if packing.count else mesh_size)
    def build() -> None:
        import gmsh

        gmsh.model.add("electrode")
        _gmsh_patch(packing, mesh_size, surface_mesh_size, refine_depth, order, coating, tuple(axes), void, pores)

    data = mesh_on_rank0(comm, "the electrode patch", build, gdim=3, shared_facet=shared_facet)
    mesh = data.mesh
    mesh.topology.create_connectivity(2, 3)
    tags = {name: int(group.tag) for name, group in data.physical_groups.items()}
    geo = ElectrodeGeometry(mesh, data.cell_tags, data.facet_tags, tags, packing, coating)
    ncells = comm.allreduce(mesh.topology.index_map(3).size_local, op=MPI.SUM)
    log.info("electrode patch: %d particles, active fraction %.4f (target %.4f), %d cells", packing.count,
             packing.achieved, packing.target, ncells)
    return geo

"""gmsh on rank 0, the mesh distributed by dolfinx: the start-up and tear-down every mesh
builder shares. A failure on rank 0 becomes the same GeometryError on every rank (never a
hang); gmsh is always finalised."""

from __future__ import annotations

from collections.abc import Callable

from mpi4py import MPI

from seifem.errors import GeometryError
from seifem.parallel import rank_local

__all__ = ["mesh_on_rank0"]


def mesh_on_rank0(comm: MPI.Comm, what: str, build: Callable[[], None], gdim: int, shared_facet: bool = True):
    """Call `build()` (gmsh model calls) on rank 0 and distribute the model over `comm`
    (collective); returns dolfinx's MeshData (mesh, cell_tags, facet_tags, physical_groups).

    what: the meshed object for the error message ("the particle"); a GeometryError raised by
    `build` keeps its own message. shared_facet: shared-facet ghosts, so that interior-facet
    integrals over material interfaces work across ranks."""
    import gmsh
    from dolfinx.io import gmsh as gmshio
    from dolfinx.mesh import GhostMode, create_cell_partitioner

    error = None
    if comm.rank == 0:
        gmsh.initialize(interruptible=False)
        gmsh.option.setNumber("General.Terminal", 0)
        gmsh.option.setNumber("General.NumThreads", 1)
        try:
            with rank_local():
                build()
        except GeometryError as exc:
            error = str(exc)
        except Exception as exc:  # noqa: BLE001 (gmsh raises plain Exception)
            error = f"gmsh failed to mesh {what}: {exc}"
    error = comm.bcast(error, root=0)
    if error:
        if comm.rank == 0:
            gmsh.finalize()
        raise GeometryError(error)
    options = {"partitioner": create_cell_partitioner(GhostMode.shared_facet, 2)} if shared_facet else {}
    try:
        return gmshio.model_to_mesh(gmsh.model, comm, 0, gdim=gdim, **options)
    finally:
        if comm.rank == 0:
            gmsh.finalize()

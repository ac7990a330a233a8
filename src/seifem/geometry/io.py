"""Write a meshed particle for inspection (XDMF + HDF5 with cell and facet tags)."""

from __future__ import annotations

from pathlib import Path

from dolfinx.io import XDMFFile

from . import Geometry

__all__ = ["write_mesh", "MeshFileError"]


class MeshFileError(FileExistsError):
    """The mesh file exists already."""


def write_mesh(geo: Geometry, path: Path) -> None:
    """Write mesh, cell tags ("regions") and facet tags ("surfaces"); refuses to overwrite."""
    path = Path(path)
    comm = geo.mesh.comm
    exists = comm.bcast(path.exists() if comm.rank == 0 else None, root=0)
    if exists:
        from ..case import CaseError

        raise CaseError("--out", str(path), "exists already; seifem does not overwrite files, choose another name")
    if comm.rank == 0:
        path.parent.mkdir(parents=True, exist_ok=True)
    comm.barrier()
    geo.mesh.topology.create_connectivity(2, 3)
    with XDMFFile(comm, str(path), "w") as f:
        f.write_mesh(geo.mesh)
        geo.cell_tags.name = "regions"
        geo.facet_tags.name = "surfaces"
        f.write_meshtags(geo.cell_tags, geo.mesh.geometry)
        f.write_meshtags(geo.facet_tags, geo.mesh.geometry)

"""Meshes written for inspection and reuse: `seifem mesh` writes NAME.xdmf (+ .h5, with cell
tags "regions" and facet tags "surfaces", for ParaView), NAME_vtk/mesh.pvd (the curved mesh
with its region numbers as cell data, for pyvista, meshio and ParaView), NAME.msh (gmsh, reused by any run
with the same geometry parameters, see `geometry.cached_mesh`) and NAME.json (the
parameters that made it and their key)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from dolfinx import fem
from dolfinx.io import VTKFile, XDMFFile

from seifem.geometry import Geometry, build

__all__ = ["mesh_case", "vtk_path"]


def vtk_path(path: Path) -> Path:
    """NAME_vtk/mesh.pvd next to NAME.xdmf."""
    return Path(path).with_name(Path(path).stem + "_vtk") / "mesh.pvd"


def mesh_case(case, path: Path, comm) -> Geometry:
    """Mesh `case` and write path (.xdmf), its .msh and .json; refuses to overwrite."""
    from seifem.errors import CaseError

    path = Path(path).with_suffix(".xdmf")
    outputs = [path, path.with_suffix(".h5"), path.with_suffix(".msh"), path.with_suffix(".json"), vtk_path(path).parent]
    taken = comm.bcast([str(p) for p in outputs if p.exists()] if comm.rank == 0 else None, root=0)
    if taken:
        raise CaseError("--out", str(path), f"{taken[0]} exists already; seifem does not overwrite files, "
                                             "choose another name")
    if comm.rank == 0:
        path.parent.mkdir(parents=True, exist_ok=True)
    comm.barrier()
    geo = build(case, comm, msh_out=path.with_suffix(".msh"))
    geo.mesh.topology.create_connectivity(2, 3)
    with XDMFFile(comm, str(path), "w") as f:
        f.write_mesh(geo.mesh)
        geo.cell_tags.name = "regions"
        geo.facet_tags.name = "surfaces"
        f.write_meshtags(geo.cell_tags, geo.mesh.geometry)
        f.write_meshtags(geo.facet_tags, geo.mesh.geometry)
    region = fem.Function(fem.functionspace(geo.mesh, ("DG", 0)), name="region")
    region.x.array[region.function_space.dofmap.list[geo.cell_tags.indices, 0]] = geo.cell_tags.values
    with VTKFile(comm, str(vtk_path(path)), "w") as f:
        f.write_function(region)
    if comm.rank == 0:
        meta = {"key": geo.spec.key, "parameters": asdict(geo.spec), "length_unit": "um", "tags": geo.tags}
        path.with_suffix(".json").write_text(json.dumps(meta, indent=2))
    return geo

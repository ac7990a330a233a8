"""Field values at named points. Each point is found on the rank that owns a cell containing
it; values are gathered on rank 0. For an octant model a point is mapped into the octant by
symmetry (|x|, |y|, |z|). A point on a curved surface is nudged inwards until it lies in a
cell (the discrete surface is a polynomial approximation of the sphere)."""

from __future__ import annotations

import numpy as np
from dolfinx import geometry
from mpi4py import MPI

from seifem.errors import ProbeError

__all__ = ["Probes", "ProbeError"]

_NUDGE = (1.0, 1 - 1e-9, 1 - 1e-6, 1 - 1e-4, 1 - 1e-3, 1 - 1e-2)


class Probes:
    """Evaluate named fields at named points (model units).

    points: name -> (x, y, z) in model units; fields: name -> dolfinx Function.
    `values()` returns {f"{point}_{field}": value} on rank 0 (empty dict elsewhere)."""

    def __init__(self, mesh, points: dict[str, tuple], fields: dict, octant: bool):
        self.mesh, self.fields = mesh, fields
        self.names = list(points)
        tree = geometry.bb_tree(mesh, mesh.topology.dim)
        comm = mesh.comm
        self.local: list[tuple[int, np.ndarray, int]] = []  # (index, point, cell)
        nloc = mesh.topology.index_map(mesh.topology.dim).size_local
        for i, name in enumerate(self.names):
            x0 = np.abs(points[name]) if octant else np.asarray(points[name], dtype=float)
            found = None
            for s in _NUDGE:
                x = np.asarray(x0, dtype=np.float64) * s
                cand = geometry.compute_collisions_points(tree, x.reshape(1, 3))
                cells = geometry.compute_colliding_cells(mesh, cand, x.reshape(1, 3)).links(0)
                cells = cells[cells < nloc]
                owner = comm.allreduce(comm.rank if cells.size else comm.size, op=MPI.MIN)
                if owner < comm.size:
                    found = (owner, x, int(cells[0]) if cells.size else -1)
                    break
            if found is None:
                raise ProbeError(f"output.probes.{name} = {points[name]} lies outside the mesh")
            owner, x, cell = found
            if comm.rank == owner:
                self.local.append((i, x, cell))

    def values(self) -> dict[str, float]:
        comm = self.mesh.comm
        mine = {}
        for i, x, cell in self.local:
            for fname, f in self.fields.items():
                val = np.atleast_1d(f.eval(x, np.array([cell], dtype=np.int32)))
                if val.size == 1:
                    mine[f"{self.names[i]}_{fname}"] = float(val[0])
                else:
                    for c, comp in zip("xyz", val):
                        mine[f"{self.names[i]}_{fname}_{c}"] = float(comp)
        gathered = comm.gather(mine, root=0)
        if comm.rank != 0:
            return {}
        out = {}
        for d in gathered:
            out.update(d)
        order = [f"{n}_" for n in self.names]
        return dict(sorted(out.items(), key=lambda kv: next(j for j, o in enumerate(order) if kv[0].startswith(o))))

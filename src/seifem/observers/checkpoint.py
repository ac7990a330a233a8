"""Checkpoints: the solution state in one file, written atomically, readable by any number
of ranks.

Function values are stored with the coordinates of their dofs (gathered on rank 0), and
read back by matching coordinates with a k-d tree. The mesh is rebuilt from the case, so a
run can be continued on a different number of ranks. The file is written as `<name>.tmp`
and renamed, so a kill leaves either the previous checkpoint or the new one, never half.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

import numpy as np
from mpi4py import MPI

from seifem.errors import CheckpointError
from seifem.observers.io import rank0_write

__all__ = ["save_checkpoint", "load_checkpoint", "CheckpointError"]


def save_checkpoint(path: Path, comm: MPI.Comm, functions: dict, meta: dict) -> None:
    """Write the owned dof values and coordinates of `functions` and the `meta` dict."""
    data = {}
    for name, f in functions.items():
        V = f.function_space
        n, bs = V.dofmap.index_map.size_local, V.dofmap.index_map_bs
        x = V.tabulate_dof_coordinates()[:n]
        v = f.x.array[: n * bs].reshape(n, bs)
        parts = comm.gather((x, v), root=0)
        if comm.rank == 0:
            data[f"{name}__x"] = np.vstack([p[0] for p in parts])
            data[f"{name}__v"] = np.vstack([p[1] for p in parts])
    rank0_write(comm, path, _write, Path(path), meta, data)  # a failure (disk full) is raised on every rank
    comm.barrier()


def _write(path: Path, meta: dict, data: dict) -> None:
    """Write `path.tmp`, sync it and rename it to `path`; a failed write removes the `.tmp`."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        with open(tmp, "wb") as fh:
            np.savez(fh, __meta__=np.array(json.dumps(meta)), **data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def load_checkpoint(path: Path, comm: MPI.Comm, functions: dict) -> dict:
    """Fill `functions` from a checkpoint (matching dof coordinates) and return its meta."""
    from scipy.spatial import cKDTree

    payload = None
    if comm.rank == 0:
        try:
            with np.load(path) as z:
                payload = {k: z[k] for k in z.files}
        except (OSError, ValueError) as exc:
            payload = f"cannot read checkpoint {path}: {exc}"
    payload = comm.bcast(payload, root=0)
    if isinstance(payload, str):
        raise CheckpointError(payload)
    missing = sorted(name for name in functions if f"{name}__x" not in payload)
    if missing:
        raise CheckpointError(f"checkpoint {path} has no {', '.join(missing)} (written by another version of "
                              "seifem or for another case?): it cannot continue this run")
    bad = 0.0
    for name, f in functions.items():
        V = f.function_space
        bs = V.dofmap.index_map_bs
        x = V.tabulate_dof_coordinates()
        dist, idx = cKDTree(payload[f"{name}__x"]).query(x)
        bad = max(bad, float(dist.max(initial=0.0)))
        f.x.array[:] = payload[f"{name}__v"][idx].reshape(-1)[: x.shape[0] * bs]
        f.x.scatter_forward()
    scale = float(np.abs(payload[f"{next(iter(functions))}__x"]).max())
    if comm.allreduce(bad, op=MPI.MAX) > 1e-8 * scale:
        raise CheckpointError(f"checkpoint {path} does not match this mesh (was the case changed?)")
    return json.loads(str(payload["__meta__"]))

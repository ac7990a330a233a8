"""A checkpoint that lacks one of the run's state functions (written by another version of
seifem, whose Newton kept less history) is refused with a message naming the field, before
any function is touched, on every rank."""

from __future__ import annotations

import pytest
from dolfinx import fem, mesh
from mpi4py import MPI

from seifem.observers.checkpoint import CheckpointError, load_checkpoint, save_checkpoint


def test_missing_state_function_is_named(tmp_path):
    comm = MPI.COMM_SELF
    V = fem.functionspace(mesh.create_unit_square(comm, 2, 2), ("Lagrange", 1))
    u, u_nm2 = fem.Function(V, name="u"), fem.Function(V, name="u_nm2")
    u.x.array[:] = 1.5
    save_checkpoint(tmp_path / "c.npz", comm, {"u": u}, {"t": 3.0})
    u.x.array[:] = 0.0
    with pytest.raises(CheckpointError, match="has no u_nm2"):
        load_checkpoint(tmp_path / "c.npz", comm, {"u": u, "u_nm2": u_nm2})
    assert not u.x.array.any()  # nothing loaded
    assert load_checkpoint(tmp_path / "c.npz", comm, {"u": u})["t"] == 3.0
    assert (u.x.array == 1.5).all()

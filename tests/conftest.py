"""Shared test helpers. Verification tests are collective: they run serially and under
`mpirun -n 2 python -m pytest tests/verification`, with every rank asserting the same
allreduced numbers."""

from __future__ import annotations

import pytest

import seifem  # noqa: F401  (loads MPI before any dolfinx import in the tests)

@pytest.fixture(scope="session")
def comm():
    import dolfinx_solver  # noqa: F401
    from mpi4py import MPI

    return MPI.COMM_WORLD


@pytest.fixture
def shared_tmp(tmp_path, comm):
    """One temporary directory for all ranks (rank 0's)."""
    from pathlib import Path

    return Path(comm.bcast(str(tmp_path), root=0))

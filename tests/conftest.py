"""Shared test helpers. Verification tests are collective: they run serially and under
`mpirun -n 2 python -m pytest tests/verification`, with every rank asserting the same
allreduced numbers."""

from __future__ import annotations

import gc

import pytest

import seifem  # noqa: F401  (loads MPI before any dolfinx import in the tests)


@pytest.fixture(scope="session")
def comm():
    try:  # the PyPI wheel's MPI loader; absent where dolfinx is the system's (docker/)
        import dolfinx_solver  # noqa: F401
    except ImportError:
        pass
    from mpi4py import MPI

    return MPI.COMM_WORLD


@pytest.fixture(scope="session", autouse=True)
def _no_collection_on_one_rank_alone():
    """Python's cycle collector stays off for the session and runs at every test's end on all
    ranks together (`_collect_together`): a collection on one rank alone could destroy PETSc
    objects whose destruction communicates and hang the job (see `seifem.parallel`)."""
    gc.disable()
    yield
    gc.enable()


@pytest.fixture(autouse=True)
def _collect_together(comm):
    yield
    from petsc4py import PETSc

    comm.barrier()
    gc.collect()
    PETSc.garbage_cleanup(comm)
    comm.barrier()


@pytest.fixture
def shared_tmp(tmp_path, comm):
    """One temporary directory for all ranks (rank 0's)."""
    from pathlib import Path

    return Path(comm.bcast(str(tmp_path), root=0))

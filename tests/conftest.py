"""Shared test helpers. Verification tests are collective: they run serially and under
`mpirun -n 2 python -m pytest tests/verification`, with every rank asserting the same
allreduced numbers."""

from __future__ import annotations

import gc
import os

# One BLAS thread a process, set before numpy loads (the CLI processes the e2e tests start inherit
# it): pytest's two workers, or two MPI ranks, on 2 cores already fill the machine, and OpenBLAS's
# own spinning threads on top made the 1D twin's dense LU (its mechanics maps, every step of a
# damaging SEI) ~30x slower: one cycle of test_cycle_life took 24 s instead of 0.8 s (loaded).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

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
    gc.unfreeze()
    gc.enable()


_CREATED: list = []  # the dolfinx meshes and function spaces of the running test, in creation order


@pytest.fixture(scope="session", autouse=True)
def _keep_communicators_to_clean():
    """Every dolfinx mesh and function space a test creates is kept until the test's end: their
    communicators hold the PETSc garbage (parallel objects petsc4py stashes when the collector
    frees them), which `_collect_together` cleans before they go (`seifem.parallel` explains
    why it would otherwise leak a communicator each)."""
    from dolfinx.fem import FunctionSpace
    from dolfinx.mesh import Mesh

    originals = {cls: cls.__init__ for cls in (Mesh, FunctionSpace)}

    def recorded(cls):
        def init(self, *args, **kwargs):
            originals[cls](self, *args, **kwargs)
            _CREATED.append(self)
        return init

    for cls in originals:
        cls.__init__ = recorded(cls)
    yield
    for cls, init in originals.items():
        cls.__init__ = init


@pytest.fixture
def dolfinx_created() -> list:
    """The dolfinx meshes and spaces the running test has created (kept to its end, above)."""
    return _CREATED


_MODULE: list = [None]  # the test module whose tests ran since the survivors were last frozen


@pytest.fixture(autouse=True)
def _collect_together(request, comm):
    """At every test's end, on all ranks together: collect, clean the PETSc garbage of the
    test's communicators and the session's. What survives is then frozen (`gc.freeze`: the
    imported modules, fixtures, caches; ~150k-250k objects that each full collection would
    otherwise walk again, 0.2-0.6 s a collection on a busy machine), so a test's collections
    look at what the test made. The first test of another module unfreezes everything
    first: the module fixtures torn down since are collected there, as without freezing."""
    yield
    from dolfinx.mesh import Mesh
    from petsc4py import PETSc

    comm.barrier()
    if request.module is not _MODULE[0]:  # the same test order on every rank
        gc.unfreeze()
        _MODULE[0] = request.module
    gc.collect()
    for obj in _CREATED:  # the same order on every rank; a size-1 communicator cleans alone
        PETSc.garbage_cleanup(obj.comm if isinstance(obj, Mesh) else obj.dofmap.index_map.comm)
    _CREATED.clear()
    gc.collect()
    PETSc.garbage_cleanup(comm)
    gc.freeze()
    comm.barrier()


@pytest.fixture
def shared_tmp(tmp_path, comm):
    """One temporary directory for all ranks (rank 0's)."""
    from pathlib import Path

    return Path(comm.bcast(str(tmp_path), root=0))

"""`parallel.release_petsc`: the PETSc objects a run owned, and the garbage petsc4py stashes for
them on dolfinx's communicators, are freed, so MPI's context ids (2048 per process in MPICH)
are not used up by a long sweep in one process."""

from __future__ import annotations

import gc

import numpy as np
import pytest
import ufl
from mpi4py import MPI
from petsc4py import PETSc

from seifem.parallel import release_petsc


def _free_context_ids() -> int:
    """How many communicators this process can still create (each takes a context id)."""
    comms = []
    try:
        for _ in range(5000):
            comms.append(MPI.COMM_SELF.Dup())
    except MPI.Exception:
        pass
    for c in comms:
        c.Free()
    return len(comms)


class _Owner:
    """What a model holds: a mesh, a matrix, vectors and a Krylov solver (GAMG: it creates
    communicators of its own), none destroyed explicitly."""

    def __init__(self, comm):
        from dolfinx import fem, mesh
        from dolfinx.fem import petsc as fpetsc

        self.mesh = mesh.create_unit_square(comm, 12, 12)
        V = fem.functionspace(self.mesh, ("Lagrange", 1))
        u, v = ufl.TrialFunction(V), ufl.TestFunction(V)
        self.A = fpetsc.assemble_matrix(fem.form((ufl.inner(ufl.grad(u), ufl.grad(v)) + u * v) * ufl.dx))
        self.A.assemble()
        self.b = fpetsc.assemble_vector(fem.form(v * ufl.dx))
        self.x = fem.Function(V)
        self.ksp = PETSc.KSP().create(self.mesh.comm)
        self.ksp.setOperators(self.A)
        self.ksp.setType("cg")
        self.ksp.getPC().setType("gamg")
        self.ksp.solve(self.b, self.x.x.petsc_vec)
        self.norm = self.x.x.petsc_vec.norm()


def _cycles(comm, kept: list, release: bool, n: int = 3) -> int:
    gc.collect()
    PETSc.garbage_cleanup(comm)
    before = _free_context_ids()
    for _ in range(n):
        owned = [_Owner(comm)]
        assert np.isfinite(owned[0].norm)
        kept.clear()  # the test session keeps what a test creates until its end (conftest): not here
        if release:
            release_petsc(owned, comm)
        else:
            owned.clear()
            gc.collect()
            PETSc.garbage_cleanup(comm)
    gc.collect()
    return before - _free_context_ids()


def test_release_frees_every_communicator(comm, dolfinx_created):
    _cycles(comm, dolfinx_created, True, 1)  # one-time allocations (PETSc's and MPI's own) out of the count
    leaked = _cycles(comm, dolfinx_created, True)
    assert comm.allreduce(leaked, op=MPI.MAX) == 0  # measured 0 on 2 ranks (without: 4 per cycle)


@pytest.mark.skipif(MPI.COMM_WORLD.size == 1, reason="one rank: petsc4py destroys at once, there is no garbage")
def test_without_release_the_garbage_keeps_communicators(comm, dolfinx_created):
    """The control: the probe sees the leak that `release_petsc` removes."""
    _cycles(comm, dolfinx_created, False, 1)
    assert comm.allreduce(_cycles(comm, dolfinx_created, False), op=MPI.MIN) > 0

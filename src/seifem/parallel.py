"""Safe teardown under MPI: PETSc objects destroyed on every rank together, and no garbage
collection inside work that one rank does alone.

dolfinx's LinearProblem and NonlinearProblem destroy their PETSc objects in `__del__`, that
is whenever Python's cycle collector happens to run. Some destroys communicate (MUMPS ends
its instance collectively; GAMG frees sub-communicators), so a collection on rank 0 alone,
say while it meshes with gmsh or renders, hangs the job while the other ranks wait in their
next collective. seifem therefore destroys every such problem explicitly (`destroy_problem`)
and runs rank-local work with the collector off (`rank_local`).

petsc4py does not destroy a parallel PETSc object whose Python wrapper the collector frees: it
stashes it as garbage on the object's communicator, to be destroyed by a collective
`PETSc.garbage_cleanup(comm)`. dolfinx creates its matrices and vectors on communicators of
its own (a mesh's, an index map's) and frees them with the mesh, after which that garbage can
never be cleaned: each such communicator keeps one of MPI's context ids (MPICH has 2048 per
process) and its objects' memory. A 3D run left ~14 behind, so a sweep of ~140 designs in one
process ended with "Too many communicators". `release_petsc` frees what a run owned, garbage
included, while those communicators are still known.
"""

from __future__ import annotations

import contextlib
import gc

__all__ = ["destroy_problem", "release_petsc", "rank_local", "on_rank0", "all_ranks_arrive", "abort", "REPORT_WAIT_S"]

REPORT_WAIT_S = 5.0
"""How long a rank with a known (all-ranks) error waits for the others before aborting the job."""


def destroy_problem(problem) -> None:
    """Destroy the PETSc objects of a dolfinx LinearProblem / NonlinearProblem now; call it on
    every rank at the same point. A second call (or the later `__del__`) does nothing."""
    if problem is not None:
        problem.__del__()


def _petsc_objects(root) -> list:
    """The PETSc objects reachable from `root` through Python references (not through modules,
    classes or functions, which would reach the whole program)."""
    import types

    import numpy as np
    from petsc4py import PETSc

    skip = (type, types.ModuleType, types.FunctionType, types.BuiltinFunctionType, types.CodeType,
            str, bytes, int, float, np.ndarray)
    found, seen, queue = [], set(), [root]
    while queue:
        obj = queue.pop()
        if id(obj) in seen or isinstance(obj, skip):
            continue
        seen.add(id(obj))
        if isinstance(obj, PETSc.Object):
            if obj.handle:
                found.append(obj)
            continue
        queue.extend(gc.get_referents(obj))
    return found


def _communicators(owned: list) -> list:
    """[first object id, object count, PETSc.Comm] of each communicator the PETSc objects
    reachable from `owned` live on, in the order of their first object. (A function of its
    own: no reference to those objects may outlive it.)"""
    found: dict[int, list] = {}
    for obj in _petsc_objects(owned):
        petsc_comm = obj.getComm()
        entry = found.setdefault(petsc_comm.tompi4py().py2f(), [obj.getId(), 0, petsc_comm])
        entry[0], entry[1] = min(entry[0], obj.getId()), entry[1] + 1
    return sorted(found.values(), key=lambda entry: entry[0])


def release_petsc(owned: list, comm) -> None:
    """Free everything the objects in `owned` hold, on every rank together: PETSc objects,
    including those petsc4py stashes as garbage (see above). The list is emptied; the caller
    must hold no other reference to them. Call it at the same point on every rank of `comm`, the
    communicator the objects live on (or a parent of theirs).

    How: every PETSc communicator the reachable objects use gets a placeholder object (an
    empty Vec), which keeps it alive; the references are dropped, the cycle collector runs, and
    the garbage on each communicator is destroyed collectively, in the order of their first
    PETSc object (every rank creates its objects in the same order: checked, through the size
    and object count of each communicator, and nothing is cleaned where the ranks disagree)."""
    from petsc4py import PETSc

    order = _communicators(owned)
    holds = [PETSc.Vec().create(comm=c) for _, _, c in order]  # each keeps its communicator alive
    owned.clear()
    gc.collect()
    pattern = [(c.getSize(), n) for _, n, c in order]
    agreed = all(pattern == other for other in comm.allgather(pattern))
    for hold in holds:
        if agreed:
            PETSc.garbage_cleanup(hold.getComm())
        hold.destroy()


@contextlib.contextmanager
def rank_local():
    """Work one rank does alone (gmsh, pictures, rank-0 files): no garbage collection inside."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def on_rank0(comm, fn, *args):
    """Call `fn(*args)` on rank 0 of `comm` only (pictures, reports: serial work on files) and
    return its result there (None elsewhere). A RenderError there is raised on every rank, so
    no rank is left waiting for the others."""
    from seifem.errors import RenderError

    result, error = None, None
    if comm.rank == 0:
        try:
            with rank_local():
                result = fn(*args)
        except RenderError as exc:
            error = str(exc)
    error = comm.bcast(error, root=0)
    if error is not None:
        raise RenderError(error)
    return result


def all_ranks_arrive(comm, seconds: float) -> bool:
    """True if every rank of `comm` reaches this point within `seconds` (a non-blocking
    barrier; use a communicator whose collectives cannot be pending elsewhere, a Dup)."""
    import time

    request, end = comm.Ibarrier(), time.monotonic() + seconds
    while not request.Test():
        if time.monotonic() > end:
            return False
        time.sleep(0.01)
    return True


def abort(comm, code: int) -> None:
    """End the whole MPI job. The short pause lets mpirun pass on what this rank just printed
    (MPI_Abort kills at once, and the message would be lost now and then)."""
    import sys
    import time

    sys.stdout.flush()
    sys.stderr.flush()
    time.sleep(0.5)
    comm.Abort(code)

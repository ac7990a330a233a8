"""Safe teardown under MPI: PETSc objects destroyed on every rank together, and no garbage
collection inside work that one rank does alone.

dolfinx's LinearProblem and NonlinearProblem destroy their PETSc objects in `__del__`, that
is whenever Python's cycle collector happens to run. Some destroys communicate (MUMPS ends
its instance collectively; GAMG frees sub-communicators), so a collection on rank 0 alone,
say while it meshes with gmsh or renders, hangs the job while the other ranks wait in their
next collective. seifem therefore destroys every such problem explicitly (`destroy_problem`)
and runs rank-local work with the collector off (`rank_local`).
"""

from __future__ import annotations

import contextlib
import gc

__all__ = ["destroy_problem", "rank_local", "on_rank0", "all_ranks_arrive", "abort", "REPORT_WAIT_S"]

REPORT_WAIT_S = 5.0
"""How long a rank with a known (all-ranks) error waits for the others before aborting the job."""


def destroy_problem(problem) -> None:
    """Destroy the PETSc objects of a dolfinx LinearProblem / NonlinearProblem now; call it on
    every rank at the same point. A second call (or the later `__del__`) does nothing."""
    if problem is not None:
        problem.__del__()


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

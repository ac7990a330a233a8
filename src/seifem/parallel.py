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

__all__ = ["destroy_problem", "rank_local"]


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

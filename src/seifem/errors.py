"""The errors seifem reports to its users, in one place that imports nothing heavy (so the
CLI can classify an error without loading dolfinx).

Input errors (exit code 2) are raised on every MPI rank alike; run errors (exit code 3)
come from collective operations and so reach every rank too.
"""

from __future__ import annotations

REPORT_WAIT_S = 5.0
"""How long a rank with a known (all-ranks) error waits for the others before aborting the job."""

__all__ = ["RunError", "GeometryError", "SolverError", "ProbeError", "RenderError", "RunDirError",
           "CheckpointError", "on_rank0", "all_ranks_arrive", "abort"]


class RunError(RuntimeError):
    """A run that cannot continue (exit code 3)."""


class GeometryError(RunError):
    """gmsh could not build the particle."""


class SolverError(RunError):
    """A linear or nonlinear solve failed; `reason` is PETSc's converged reason."""

    def __init__(self, message: str, reason: int | None = None):
        super().__init__(message)
        self.reason = reason


class CheckpointError(RunError):
    """A checkpoint is missing or does not fit the mesh."""


class ProbeError(ValueError):
    """A probe point lies outside the mesh (an input error)."""


class RenderError(RuntimeError):
    """The run directory cannot be rendered (an input error)."""


class RunDirError(RuntimeError):
    """The run directory cannot be created or continued (an input error)."""


def on_rank0(comm, fn, *args):
    """Call `fn(*args)` on rank 0 of `comm` only (pictures, reports: serial work on files) and
    return its result there (None elsewhere). A RenderError there is raised on every rank, so
    no rank is left waiting for the others."""
    from .parallel import rank_local

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

"""Writing files of a run so that a full disk or an I/O error ends the run with one message
(an `OutputError`, exit code 3) on every rank, never a traceback or a hang.

    with output_errors(path):          # OSError -> OutputError naming the file
        ...
    rank0_write(comm, path, fn)        # fn() on rank 0; its failure raised on every rank
    check_free_space(comm, path, need) # collective: refuse a write that cannot fit

Files a restart trusts are written to `<name>.tmp`, synced and renamed (`write_atomic`); a
failed write removes its `.tmp`, so nothing half-written is left to be trusted.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

from seifem.errors import OutputError

__all__ = ["output_errors", "rank0_write", "write_atomic", "check_free_space", "FIELD_RESERVE"]

FIELD_RESERVE = 16 * 2**20
"""Free bytes a field (VTX/ADIOS2) write needs on its device: ADIOS2 cannot report a full
disk to Python (it aborts the process), so seifem refuses the write beforehand."""


@contextlib.contextmanager
def output_errors(path):
    """Turn an OSError (ENOSPC, EDQUOT, EIO, EACCES, ...) inside the block into an OutputError
    naming `path`."""
    try:
        yield
    except OutputError:
        raise
    except OSError as exc:
        raise OutputError(path, exc) from None


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through `path.tmp`, synced, then renamed. On failure the `.tmp` is
    removed and an OutputError names `path`; the previous `path` (if any) is untouched."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    try:
        with output_errors(path):
            with open(tmp, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
    except OutputError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def rank0_write(comm, path, fn, *args):
    """Call `fn(*args)` on rank 0 (a file write); an OSError or OutputError there is raised as
    an OutputError on every rank of `comm` (collective: every rank must call this)."""
    error = None
    if comm.rank == 0:
        try:
            with output_errors(path):
                fn(*args)
        except OutputError as exc:
            error = str(exc)
    error = comm.bcast(error, root=0) if comm.size > 1 else error
    if error is not None:
        raise _Raised(error)


def check_free_space(comm, path, need: int = FIELD_RESERVE) -> None:
    """Raise an OutputError on every rank when the device of `path` has fewer than `need` free
    bytes (collective)."""
    free = None
    if comm.rank == 0:
        with contextlib.suppress(OSError):
            free = shutil.disk_usage(Path(path).parent).free
    free = comm.bcast(free, root=0) if comm.size > 1 else free
    if free is not None and free < need:
        raise OutputError(path, f"only {free / 2**20:.1f} MiB free on its device, a write needs "
                                f"{need / 2**20:.0f} MiB")


class _Raised(OutputError):
    """An OutputError re-raised from its message (on the ranks that did not meet it)."""

    def __init__(self, message: str):
        RuntimeError.__init__(self, message)

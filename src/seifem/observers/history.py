"""CSV files written by rank 0, one row per time step, buffered off the hot path.

Rows are kept in memory and written with `sync()` (the run calls it at every checkpoint, at
the end and on an error) in whole rows, then fsynced, so fsync costs once per checkpoint, not
once per row. A checkpoint records each file's `mark()` (rows and bytes after the sync); a
restart cuts the file back to that mark (`results.restart`) and the writer appends from there,
so a killed run loses only rows that the restart computes again. A very long stretch without
a checkpoint is written out (not synced) every `FLUSH_BYTES`.

A failed write (disk full, I/O error) raises an `OutputError` naming the file.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from mpi4py import MPI

from seifem.observers.io import output_errors

__all__ = ["CsvWriter", "FLUSH_BYTES"]

FLUSH_BYTES = 4 * 2**20
"""Buffered bytes above which rows are written out before the next sync."""


class CsvWriter:
    """Append rows (dicts) to a CSV file on rank 0; the first row fixes the columns (an
    existing file's header, when a continued run appends to it)."""

    def __init__(self, path: Path, comm: MPI.Comm):
        self.path, self.comm = Path(path), comm
        self._fd: int | None = None
        self._columns: list[str] | None = None
        self._buf: list[bytes] = []
        self._pending = 0
        self.rows = 0  # data rows in the file and the buffer
        self.size = 0  # bytes in the file and the buffer
        if comm.rank == 0 and self.path.is_file() and self.path.stat().st_size > 0:
            with open(self.path, newline="") as f:
                lines = list(csv.reader(f))
            self._columns = lines[0]
            self.rows, self.size = len(lines) - 1, self.path.stat().st_size

    def __enter__(self) -> "CsvWriter":
        return self

    def write(self, row: dict) -> None:
        """Buffer one row (rank 0; the others do nothing)."""
        if self.comm.rank != 0:
            return
        buf = io.StringIO()
        writer = csv.writer(buf)
        if self._columns is None:
            self._columns = list(row)
            writer.writerow(self._columns)
        writer.writerow([_fmt(row.get(k, "")) for k in self._columns])
        data = buf.getvalue().encode()
        self._buf.append(data)
        self._pending += len(data)
        self.rows += 1
        self.size += len(data)
        if self.size == len(data):  # a new file: header and first row at once, so it exists from the start
            self.sync()
        elif self._pending > FLUSH_BYTES:
            self._drain()

    def _drain(self) -> None:
        """Write the buffered rows to the file (whole buffer, retrying short writes)."""
        if not self._buf:
            return
        data = memoryview(b"".join(self._buf))
        self._buf, self._pending = [], 0
        with output_errors(self.path):
            if self._fd is None:
                self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
            while data:
                n = os.write(self._fd, data)
                data = data[n:]

    def sync(self) -> tuple[int, int]:
        """Write the buffered rows and fsync the file; returns `mark()` (rank 0)."""
        if self.comm.rank == 0:
            self._drain()
            if self._fd is not None:
                with output_errors(self.path):
                    os.fsync(self._fd)
        return self.mark()

    def mark(self) -> tuple[int, int]:
        """(data rows, bytes) written so far: where a restart from the next checkpoint cuts."""
        return self.rows, self.size

    def close(self) -> None:
        """Sync and close (rank 0). The file is closed even if the sync fails."""
        try:
            self.sync()
        finally:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None

    def abandon(self) -> None:
        """Close after an error: write what is buffered if possible, never raise."""
        try:
            self.close()
        except OSError:
            pass
        except RuntimeError:  # an OutputError: the run's first error is the one to report
            pass

    def __exit__(self, *exc) -> None:
        self.close()


def _fmt(v) -> str:
    return f"{v:.10g}" if isinstance(v, float) else str(v)

"""CSV files written by rank 0, one row per time step.

Each row goes to the file in one `write` system call on a file opened for appending, and is
synced, so a killed run leaves whole rows only. A continued run keeps the rows up to its
checkpoint time (`keep_until`, s) and appends from there.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from mpi4py import MPI

__all__ = ["CsvWriter"]


class CsvWriter:
    """Append rows (dicts) to a CSV file on rank 0; the first row fixes the columns."""

    def __init__(self, path: Path, comm: MPI.Comm, keep_until: float | None = None):
        self.path, self.comm = Path(path), comm
        self._fd: int | None = None
        self._columns: list[str] | None = None
        if keep_until is not None and comm.rank == 0 and self.path.exists():
            self._truncate(keep_until)

    def _truncate(self, t_max: float) -> None:
        """Keep the header and the complete rows with time_s <= t_max (atomic rewrite)."""
        with open(self.path, newline="") as f:
            rows = list(csv.reader(f))
        if not rows:
            return
        header, kept = rows[0], [r for r in rows[1:] if len(r) == len(rows[0]) and float(r[0]) <= t_max * (1 + 1e-12)]
        tmp = self.path.with_name(self.path.name + ".tmp")
        with open(tmp, "w", newline="") as f:
            csv.writer(f).writerows([header, *kept])
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)
        self._columns = header

    def __enter__(self) -> "CsvWriter":
        return self

    def write(self, row: dict) -> None:
        if self.comm.rank != 0:
            return
        buf = io.StringIO()
        writer = csv.writer(buf)
        if self._fd is None:
            self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
            if self._columns is None:
                self._columns = list(row)
                writer.writerow(self._columns)
        writer.writerow([_fmt(row.get(k, "")) for k in self._columns])
        os.write(self._fd, buf.getvalue().encode())
        os.fsync(self._fd)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __exit__(self, *exc) -> None:
        self.close()


def _fmt(v) -> str:
    return f"{v:.10g}" if isinstance(v, float) else str(v)

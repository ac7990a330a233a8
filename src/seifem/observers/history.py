"""CSV history written by rank 0, one row per time step, flushed as it goes."""

from __future__ import annotations

import csv
import os
from pathlib import Path

from mpi4py import MPI

__all__ = ["CsvWriter"]


class CsvWriter:
    """Append rows (dicts) to a CSV file on rank 0; the first row fixes the columns."""

    def __init__(self, path: Path, comm: MPI.Comm):
        self.path, self.comm = Path(path), comm
        self._file = None
        self._writer = None

    def __enter__(self) -> "CsvWriter":
        return self

    def write(self, row: dict) -> None:
        if self.comm.rank != 0:
            return
        if self._writer is None:
            self._file = open(self.path, "w", newline="")
            self._writer = csv.DictWriter(self._file, fieldnames=list(row))
            self._writer.writeheader()
        self._writer.writerow({k: (f"{v:.10g}" if isinstance(v, float) else v) for k, v in row.items()})
        self._file.flush()
        os.fsync(self._file.fileno())

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def __exit__(self, *exc) -> None:
        self.close()

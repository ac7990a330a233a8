"""Fields as VTX (ADIOS2 .bp) files that ParaView opens directly ("ADIOS2VTXReader"),
written collectively at chosen times."""

from __future__ import annotations

from pathlib import Path

from dolfinx.io import VTXWriter

__all__ = ["FieldWriter"]


class FieldWriter:
    """One VTX file holding functions that share a discontinuous Lagrange space."""

    def __init__(self, comm, path: Path, functions: list):
        self._writer = VTXWriter(comm, str(path), functions, engine="BP4")

    def __enter__(self) -> "FieldWriter":
        return self

    def write(self, t: float) -> None:
        self._writer.write(t)

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None

    def __exit__(self, *exc) -> None:
        self.close()

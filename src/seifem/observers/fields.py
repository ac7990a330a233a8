"""Fields as VTX (ADIOS2 .bp) files that ParaView opens directly ("ADIOS2VTXReader"),
written collectively at chosen times."""

from __future__ import annotations

from pathlib import Path

from dolfinx.io import VTXWriter

__all__ = ["FieldWriter"]


class FieldWriter:
    """One VTX file holding functions that share a discontinuous Lagrange space."""

    def __init__(self, comm, path: Path, functions: list):
        self._args = (comm, str(path), functions)
        self._writer = None  # created at the first write, so a run that writes nothing leaves no file

    def __enter__(self) -> "FieldWriter":
        return self

    def write(self, t: float) -> None:
        """Write the functions at time t (collective). ADIOS2 cannot report a full disk (it
        aborts the process), so a device with less than `FIELD_RESERVE` free is refused first,
        with an OutputError on every rank."""
        from seifem.observers.io import check_free_space

        check_free_space(self._args[0], Path(self._args[1]))
        if self._writer is None:
            self._writer = VTXWriter(*self._args, engine="BP4")
        self._writer.write(t)

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None

    def __exit__(self, *exc) -> None:
        self.close()

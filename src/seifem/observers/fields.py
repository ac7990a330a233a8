"""Fields written collectively at chosen times, twice: as VTX (ADIOS2 .bp; ParaView's
"ADIOS2VTXReader", and seifem's own pictures) and as a VTK collection (`<name>_vtk/fields.pvd`
of curved second-order cells) that ParaView, pyvista and meshio open."""

from __future__ import annotations

from pathlib import Path

from dolfinx.io import VTKFile, VTXWriter

__all__ = ["FieldWriter"]


class FieldWriter:
    """One VTX file holding functions that share a discontinuous Lagrange space."""

    def __init__(self, comm, path: Path, functions: list):
        self._args = (comm, str(path), functions)
        self.vtk_path = Path(path).with_suffix("").with_name(Path(path).stem + "_vtk") / "fields.pvd"
        self._writer = self._vtk = None  # created at the first write, so a run that writes nothing leaves no file

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
            self._vtk = VTKFile(self._args[0], str(self.vtk_path), "w")
        self._writer.write(t)
        self._vtk.write_function(self._args[2], t)

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._vtk.close()
            self._writer = self._vtk = None

    def __exit__(self, *exc) -> None:
        self.close()

"""Fields that every model writes the same way, for ParaView, pyvista and meshio: VTK
XML unstructured grids (`.vtu`) indexed in time by a ParaView collection (`.pvd`).

The 3D model writes its curved second-order fields through dolfinx's `VTKFile`; the 2D twin
(its meridian, triangles in the r-z plane) and the 1D twin (a line along x) write the same
field names and units here, rank 0 only:

    theta, displacement_um (3 components), sigma_rr_MPa, sigma_hoop_MPa, von_mises_MPa,
    hydrostatic_MPa, region (0 core, 1, 2, ... layers)
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

__all__ = ["VtuSeries", "VTK_TRIANGLE", "VTK_LINE"]

VTK_LINE = 3
VTK_TRIANGLE = 5


class VtuSeries:
    """A time series of grids in `directory`: t<index>.vtu files and `fields.pvd` (rank 0)."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self.entries: list[tuple[float, str]] = []

    def write(self, t: float, points: np.ndarray, cells: np.ndarray, cell_type: int,
              point_data: dict[str, np.ndarray]) -> None:
        """One grid at time t (s): points (n, 3), cells (m, k) into them, data per point
        (n,) or (n, 3)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        name = f"t{len(self.entries):05d}.vtu"
        _write_vtu(self.directory / name, points, cells, cell_type, point_data)
        self.entries.append((t, name))
        items = "\n".join(f'    <DataSet timestep="{t:.10g}" part="0" file="{f}"/>' for t, f in self.entries)
        tmp = self.directory / "fields.pvd.tmp"
        tmp.write_text('<?xml version="1.0"?>\n<VTKFile type="Collection" version="0.1">\n  <Collection>\n'
                       f"{items}\n  </Collection>\n</VTKFile>\n")
        tmp.replace(self.directory / "fields.pvd")


def _array(name: str, values: np.ndarray) -> str:
    values = np.asarray(values, dtype=np.float64)
    ncomp = 1 if values.ndim == 1 else values.shape[1]
    text = " ".join(f"{v:.9g}" for v in values.ravel())
    return f'<DataArray type="Float64" Name="{name}" NumberOfComponents="{ncomp}" format="ascii">{text}</DataArray>'


def _write_vtu(path: Path, points: np.ndarray, cells: np.ndarray, cell_type: int,
               point_data: dict[str, np.ndarray]) -> None:
    points, cells = np.asarray(points, dtype=np.float64), np.asarray(cells, dtype=np.int64)
    offsets = np.arange(1, len(cells) + 1) * cells.shape[1]
    data = "\n".join(_array(k, v) for k, v in point_data.items())
    conn = " ".join(map(str, cells.ravel()))
    text = (
        '<?xml version="1.0"?>\n<VTKFile type="UnstructuredGrid" version="0.1" byte_order="LittleEndian">\n'
        f'<UnstructuredGrid><Piece NumberOfPoints="{len(points)}" NumberOfCells="{len(cells)}">\n'
        f"<PointData>\n{data}\n</PointData>\n"
        f'<Points>{_array("points", points)}</Points>\n'
        f'<Cells><DataArray type="Int64" Name="connectivity" format="ascii">{conn}</DataArray>\n'
        f'<DataArray type="Int64" Name="offsets" format="ascii">{" ".join(map(str, offsets))}</DataArray>\n'
        f'<DataArray type="UInt8" Name="types" format="ascii">{" ".join([str(cell_type)] * len(cells))}</DataArray>'
        "</Cells>\n</Piece></UnstructuredGrid>\n</VTKFile>\n")
    tmp = Path(f"{path}.tmp")
    tmp.write_text(text)
    tmp.replace(path)

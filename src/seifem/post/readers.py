"""Reading what a run wrote, for pictures: the VTX field files (fields.bp, fields-2.bp, ...
of continued runs) and the history; a fresh figures directory."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from seifem.errors import RenderError
from seifem.results.rundir import HISTORY, RunDir, fresh_path

__all__ = ["read_vtx", "read_history", "field_files", "new_figure_dir"]


def read_vtx(path: Path) -> list[tuple[float, "pyvista.UnstructuredGrid"]]:  # noqa: F821
    """Read a dolfinx VTX file into linear-tetrahedron pyvista grids, one per time step.

    Higher-order cells keep their vertex values only (enough for pictures); discontinuous
    fields stay discontinuous because every cell has its own nodes."""
    import pyvista as pv
    from adios2 import Stream

    out = []
    mesh = None
    with Stream(str(path), "r") as f:
        for _ in f.steps():
            names = f.available_variables()
            nblocks = len(np.atleast_1d(f.read("NumberOfNodes")))
            t = float(np.atleast_1d(f.read("step"))[0]) if "step" in names else float(f.current_step())
            if mesh is None or "geometry" in names:
                pts, cells, offset = [], [], 0
                for b in range(nblocks):
                    x = f.read("geometry", block_id=b).reshape(-1, 3)
                    conn = f.read("connectivity", block_id=b)
                    cells.append(conn[:, 1:5] + offset)
                    pts.append(x)
                    offset += x.shape[0]
                mesh = pv.UnstructuredGrid({pv.CellType.TETRA: np.vstack(cells)}, np.vstack(pts))
            grid = mesh.copy()
            skip = {"geometry", "connectivity", "types", "NumberOfNodes", "NumberOfEntities", "step",
                    "vtkGhostType", "vtkOriginalPointIds"}
            for name in names:
                if name in skip:
                    continue
                blocks = [np.asarray(f.read(name, block_id=b)) for b in range(nblocks)]
                data = np.concatenate([b.reshape(b.shape[0], -1) for b in blocks])
                grid.point_data[name] = data[:, 0] if data.shape[1] == 1 else data
            out.append((t, grid))
    return out


def read_history(run_dir: Path) -> dict[str, np.ndarray]:
    """The run's history by column; RenderError if it has no rows."""
    run = RunDir(Path(run_dir))
    hist = run.history()
    if not hist:
        raise RenderError(f"{run.file(HISTORY)} has no rows")
    return hist


def field_files(run_dir: Path) -> list[Path]:
    files = [p for p in run_dir.glob("fields*.bp") if p.is_dir()]
    return sorted(files, key=lambda p: int(p.stem.split("-")[1]) if "-" in p.stem else 1)


def new_figure_dir(run_dir: Path) -> Path:
    """figures/, or figures-2/, ... if a previous rendering is there (never overwrite)."""
    d = fresh_path(run_dir, "figures")
    d.mkdir()
    return d

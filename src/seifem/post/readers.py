"""Reading what a run wrote, for pictures: the field collections (fields_vtk/fields.pvd, then
fields-2_vtk/... of continued runs; every model writes them with the same names and units)
and the history; a fresh figures directory."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from seifem.errors import RenderError
from seifem.results.rundir import HISTORY, RunDir, fresh_path

__all__ = ["field_files", "new_figure_dir", "read_fields", "read_history", "read_pvd"]


def field_files(run_dir: Path) -> list[Path]:
    """fields_vtk/fields.pvd, fields-2_vtk/fields.pvd, ... in the order they were written."""
    files = [p for p in Path(run_dir).glob("fields*_vtk/fields.pvd") if p.is_file()]
    order = lambda p: int(p.parent.name.removesuffix("_vtk").split("-")[1]) if "-" in p.parent.name else 1
    return sorted(files, key=order)


def read_pvd(path: Path) -> list[tuple[float, pyvista.UnstructuredGrid]]:  # noqa: F821
    """Every time of a ParaView collection as (t in s, grid with its point fields; lengths in um),
    each cell once (ghost copies of other ranks left out)."""
    import pyvista as pv

    pv.vtk_verbosity("off")
    reader = pv.get_reader(str(path))
    out = []
    for t in reader.time_values:
        reader.set_active_time_value(t)
        data = reader.read()
        grid = data.combine() if isinstance(data, pv.MultiBlock) and data.n_blocks > 1 else data[0] \
            if isinstance(data, pv.MultiBlock) else data
        ghost = grid.cell_data.get("vtkGhostType")
        if ghost is not None and np.any(ghost):  # cells shared by ranks are written by each: keep one
            grid = grid.extract_cells(np.flatnonzero(np.asarray(ghost) == 0))
        out.append((float(t), grid))
    return out


def read_fields(run_dir: Path) -> list[tuple[float, pyvista.UnstructuredGrid]]:  # noqa: F821
    """(t, grid) of every field output of a run, in time order; a time written twice (the end
    of a run and the start of its continuation) once."""
    seen, out = set(), []
    for path in field_files(run_dir):
        for t, grid in read_pvd(path):
            if round(t, 6) not in seen:
                seen.add(round(t, 6))
                out.append((t, grid))
    return out


def read_history(run_dir: Path) -> dict[str, np.ndarray]:
    """The run's history by column; RenderError if it has no rows."""
    run = RunDir(Path(run_dir))
    hist = run.history()
    if not hist:
        raise RenderError(f"{run.file(HISTORY)} has no rows")
    return hist


def new_figure_dir(run_dir: Path) -> Path:
    """figures/, or figures-2/, ... if a previous rendering is there (never overwrite)."""
    d = fresh_path(run_dir, "figures")
    d.mkdir()
    return d

"""Pictures from a finished run, made from its files only (works on another machine): history
plots (`plots`), stress and failure maps (`maps`) from the field files (`readers`). Off-screen,
serial.

    figures = render_run(Path("runs/si_coated"))
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from seifem.post.maps import failure_map, plot_meridian, stress_map
from seifem.post.plots import plot_history, plot_profiles
from seifem.post.readers import field_files, new_figure_dir, read_history, read_vtx
from seifem.results.rundir import MERIDIAN, PROFILES, RunDir

__all__ = ["render_run"]


def render_run(run_dir: Path) -> Path:
    """Render history plots and stress maps of a run; returns the figure directory."""
    run_dir = Path(run_dir)
    case = RunDir(run_dir).case()
    hist = read_history(run_dir)
    figs = new_figure_dir(run_dir)
    if "electrode" in case:  # an electrode run: its history and cuts through the electrode
        from seifem.post.electrode_maps import render_electrode

        return render_electrode(run_dir, figs)
    plot_history(hist, case, figs)
    if (run_dir / PROFILES).exists():  # the 1D twin writes radial profiles, not fields
        plot_profiles(run_dir / PROFILES, case, figs / "profiles.png")
    for snap in sorted((run_dir / MERIDIAN).glob("t*.npz")) if (run_dir / MERIDIAN).is_dir() else []:
        if float(np.load(snap)["time_s"]) > 0:  # the 2D twin writes meridian snapshots
            plot_meridian(snap, case, figs / f"map_{snap.stem}.png")
    done: set[float] = set()
    for path in field_files(run_dir):  # fields.bp, then fields-2.bp, ... of continued runs
        for t, grid in read_vtx(path):
            if t > 0 and round(t, 6) not in done:
                done.add(round(t, 6))
                stress_map(grid, t, case, hist, figs / f"map_t{t:08.1f}s.png")
                if "failure_index" in grid.point_data and np.max(grid.point_data["failure_index"]) > 0:
                    failure_map(grid, t, case, figs / f"failure_t{t:08.1f}s.png")
    return figs

"""Pictures from a finished run, made from its files only (works on another machine): history
and voltage plots (`plots`), stress maps of every field output in one style for the 3D, 2D
and 1D models (`section`, `maps`), failure maps of the 3D surface (`failure`) and, on
request, an animation of the stress map over the run (`animate`). Off-screen, serial.

    figures = render_run(Path("runs/si_coated"), animate=True)
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from seifem.post.maps import stress_map
from seifem.post.plots import plot_history, plot_profiles, plot_retention
from seifem.post.readers import new_figure_dir, read_fields, read_history
from seifem.post.section import section_of
from seifem.results.rundir import CYCLES, PROFILES, RunDir

__all__ = ["render_run"]

log = logging.getLogger(__name__)


def render_run(run_dir: Path, animate: bool = False) -> Path:
    """Render the plots and maps of a run into a fresh figures[-N]/ and, with `animate`,
    stress.gif (one frame per field output); returns the figure directory."""
    from seifem.post.failure import failure_map

    run_dir = Path(run_dir)
    case = RunDir(run_dir).case()
    hist = read_history(run_dir)
    figs = new_figure_dir(run_dir)
    if "electrode" in case:  # an electrode run: its history and cuts through the electrode
        from seifem.post.electrode_maps import render_electrode

        return render_electrode(run_dir, figs)
    plot_history(hist, case, figs)
    if (run_dir / CYCLES).exists() and len(RunDir(run_dir).cycles().get("cycle", ())) > 1:
        plot_retention(RunDir(run_dir).cycles(), case, figs / "retention.png")
    if (run_dir / PROFILES).exists():  # the 1D twin also writes radial profiles
        plot_profiles(run_dir / PROFILES, case, figs / "profiles.png")
    frames = []
    for t, grid in read_fields(run_dir):
        if t <= 0:
            continue
        sec = section_of(grid, case)
        frames.append((t, sec))
        stress_map(sec, t, case, hist, figs / f"map_t{t:08.1f}s.png")
        index = grid.point_data.get("failure_index")
        if index is not None and np.max(index) > 0 and case["geometry"].get("model", "3d") == "3d":
            failure_map(grid, t, case, figs / f"failure_t{t:08.1f}s.png")
    if animate:
        from seifem.post.animate import animate_maps

        if len(frames) < 2:
            log.warning("an animation needs at least two field outputs (%d written): set output.field_times",
                        len(frames))
        else:
            animate_maps(frames, case, hist, figs / "stress.gif")
    return figs

"""A gallery of the stress maps of a sweep's designs side by side, at one colour scale.

For each design with 3D fields (`fields.bp`) it takes the field output nearest to the peak
of the mean filling fraction (the end of lithiation) and draws, like `render.stress_map`, the cross-section in von Mises
stress (scale: the core range over all designs) above a zoom on the surface in hoop stress
(scale: symmetric, the largest magnitude over all designs). Designs run with the 1D or 2D
twins, or without fields, are listed as left out.
"""

from __future__ import annotations

import logging
import math
from pathlib import Path

import numpy as np

from seifem.post.maps import draw_section, map_limits, map_section
from seifem.post.readers import field_files, read_history, read_vtx
from seifem.results.rundir import CASE, RunDir

__all__ = ["gallery"]

log = logging.getLogger(__name__)

COLUMNS = 5
"""Designs per row of the gallery."""

TILE_PX = 420


def _peak_section(run_dir: Path, case: dict):
    """(time, section, core mask) of the field output nearest to the time of peak mean soc
    (the end of the deepest lithiation: one moment every design of a sweep has), or None."""
    hist = read_history(run_dir)
    t_peak = float(hist["time_s"][int(np.argmax(hist["soc"]))])
    best = None
    for path in field_files(run_dir):
        for t, grid in read_vtx(path):
            if t > 0 and "von_mises_MPa" in grid.point_data and (best is None or abs(t - t_peak) < abs(best[0] - t_peak)):
                best = (t, grid)
    if best is None:
        return None
    sec, in_core = map_section(best[1], case)
    return best[0], sec, in_core


def gallery(designs: list[tuple[str, Path]], path: Path) -> list[str]:
    """Draw the gallery of (name, run directory) pairs into the PNG `path`; return the names
    left out (no 3D fields). Nothing is drawn when no design has fields."""
    import pyvista as pv

    pv.OFF_SCREEN = True
    pv.vtk_verbosity("off")
    shown, left_out = [], []
    for name, run_dir in designs:
        case = RunDir(run_dir).case() if RunDir(run_dir).file(CASE).is_file() else None
        peak = _peak_section(run_dir, case) if case and case["geometry"].get("model", "3d") == "3d" else None
        if peak is None:
            left_out.append(name)
        else:
            shown.append((name, case, *peak))
    if not shown:
        return left_out
    vm = [map_limits(sec, core, "von_mises_MPa")[0] for *_, sec, core in shown]
    hoop = [map_limits(sec, core, "sigma_hoop_MPa")[1][1] for *_, sec, core in shown]
    vm_lim, hoop_lim = (min(v[0] for v in vm), max(v[1] for v in vm)), (-max(hoop), max(hoop))
    cols = min(COLUMNS, len(shown))
    rows = math.ceil(len(shown) / cols)
    pl = pv.Plotter(shape=(2 * rows, cols), off_screen=True, window_size=(TILE_PX * cols, TILE_PX * 2 * rows))
    for i, (name, case, t, sec, _) in enumerate(shown):
        r, c = 2 * (i // cols), i % cols
        pl.subplot(r, c)
        draw_section(pl, sec, case, "von_mises_MPa", "viridis", vm_lim, "von Mises [MPa] (core range, all designs)",
                     zoom=False)
        pl.add_text(f"{name}\nt = {t / 60:.1f} min", font_size=8)
        pl.subplot(r + 1, c)
        draw_section(pl, sec, case, "sigma_hoop_MPa", "coolwarm", hoop_lim, "hoop stress [MPa] (all designs)",
                     zoom=True)
        pl.add_text("surface zoom", font_size=8)
    pl.screenshot(str(path))
    pl.close()
    log.info("gallery of %d designs at one colour scale: %s", len(shown), path)
    return left_out

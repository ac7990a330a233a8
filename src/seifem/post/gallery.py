"""A gallery of the stress maps of a sweep's designs side by side, at one colour scale.

For each design with fields (any model: 3D, 2D or 1D, drawn alike by `maps`) it takes the
field output nearest to the peak of the mean filling fraction (the end of lithiation) and
draws the whole section in von Mises stress (scale: the core range over all designs) above
a zoom on the surface in hoop stress (scale: symmetric, the largest magnitude over all
designs in the zooms). Designs without fields are listed as left out.
"""

from __future__ import annotations

import logging
import math
from pathlib import Path

import numpy as np

from seifem.post.maps import draw_field, field_limits, new_figure, sei_thickness_um, zoom_window
from seifem.post.readers import read_fields, read_history
from seifem.post.section import section_of
from seifem.results.rundir import CASE, RunDir

__all__ = ["gallery"]

log = logging.getLogger(__name__)

COLUMNS = 5
"""Designs per row of the gallery."""


def _peak_section(run_dir: Path, case: dict):
    """(time, section) of the field output nearest to the time of peak mean soc (the end of
    the deepest lithiation: one moment every design of a sweep has), or None."""
    hist = read_history(run_dir)
    t_peak = float(hist["time_s"][int(np.argmax(hist["soc"]))])
    snaps = [(t, g) for t, g in read_fields(run_dir) if t > 0 and "von_mises_MPa" in g.point_data]
    if not snaps:
        return None
    t, grid = min(snaps, key=lambda s: abs(s[0] - t_peak))
    return t, section_of(grid, case)


def gallery(designs: list[tuple[str, Path]], path: Path) -> list[str]:
    """Draw the gallery of (name, run directory) pairs into the PNG `path`; return the names
    left out (no fields). Nothing is drawn when no design has fields."""
    import matplotlib.pyplot as plt

    shown, left_out = [], []
    for name, run_dir in designs:
        case = RunDir(run_dir).case() if RunDir(run_dir).file(CASE).is_file() else None
        peak = _peak_section(run_dir, case) if case else None
        if peak is None:
            left_out.append(name)
        else:
            shown.append((name, case, *peak))
    if not shown:
        return left_out
    windows = [zoom_window(sec, sei_thickness_um(case)) for _, case, _, sec in shown]
    vm = np.array([field_limits(sec, "von_mises_MPa") for *_, sec in shown])
    hoop = max(max(abs(v) for v in field_limits(sec, "sigma_hoop_MPa", w, core=c)) for (*_, sec), w in
               zip(shown, windows) for c in (True, False) if np.any((sec.region == 1) == c))
    vm_lim, hoop_lim = (float(vm[:, 0].min()), float(vm[:, 1].max())), (-hoop, hoop)
    cols = min(COLUMNS, len(shown))
    rows = math.ceil(len(shown) / cols)
    fig, axes = new_figure(2 * rows, cols, figsize=(3.3 * cols, 6.9 * rows), squeeze=False)
    arts = {}
    for i, ((name, case, t, sec), window) in enumerate(zip(shown, windows)):
        r, c = 2 * (i // cols), i % cols
        h_sei = sei_thickness_um(case)
        arts["vm"] = draw_field(fig, axes[r, c], sec, "von_mises_MPa", "", "viridis", vm_lim, h_sei, colorbar=False)
        axes[r, c].set_title(f"{name}\nt = {t / 60:.1f} min", fontsize=9)
        arts["hoop"] = draw_field(fig, axes[r + 1, c], sec, "sigma_hoop_MPa", "", "coolwarm", hoop_lim, h_sei, window,
                                  colorbar=False)
        axes[r + 1, c].set_title("surface zoom", fontsize=8)
    for i in range(len(shown), rows * cols):  # empty tiles of the last row
        axes[2 * (i // cols), i % cols].set_visible(False)
        axes[2 * (i // cols) + 1, i % cols].set_visible(False)
    fig.colorbar(arts["vm"], ax=axes[0::2].ravel().tolist(), orientation="horizontal", shrink=0.6, aspect=40,
                 extend="both", label="von Mises stress [MPa], core range over all designs")
    fig.colorbar(arts["hoop"], ax=axes[1::2].ravel().tolist(), orientation="horizontal", shrink=0.6, aspect=40,
                 label="hoop stress [MPa] in the surface zooms, all designs")
    fig.savefig(path, dpi=100)
    plt.close(fig)
    log.info("gallery of %d designs at one colour scale: %s", len(shown), path)
    return left_out

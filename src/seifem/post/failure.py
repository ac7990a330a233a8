"""The failure map: the particle seen from outside, coloured by the failure index (the largest
of the SEI and coating failure indicators; >= 1 where a layer has reached its limit), on a
fixed scale 0-2 that splits at the threshold 1 (greens below, reds above; values above 2 in
the darkest red) with the threshold labelled on the colour bar. Off-screen pyvista."""

from __future__ import annotations

from pathlib import Path

import numpy as np

__all__ = ["THRESHOLD", "failure_colormap", "failure_map"]

THRESHOLD = 1.0
"""Failure index at which a layer fails."""


def failure_colormap():
    """Greens on [0, 1), reds on [1, 2]: the colour changes hue at the threshold."""
    from matplotlib import colormaps
    from matplotlib.colors import ListedColormap

    below = colormaps["Greens_r"](np.linspace(0.15, 0.75, 128))
    above = colormaps["Reds"](np.linspace(0.45, 1.0, 128))
    return ListedColormap(np.vstack([below, above]), name="failure")


def failure_map(grid, t: float, case: dict, path: Path) -> float:
    """Write the failure map of a 3D field grid at time t (s) to the PNG `path`; returns the
    largest failure index drawn."""
    import pyvista as pv

    pv.OFF_SCREEN = True
    pv.vtk_verbosity("off")
    surf = grid.extract_surface(nonlinear_subdivision=2, algorithm=None)
    if case["geometry"].get("domain", "octant") == "octant":  # leave out the symmetry faces
        faces = surf.triangulate().regular_faces
        pts = np.abs(surf.triangulate().points)[faces]
        keep = np.flatnonzero(pts.min(axis=(1, 2)) > 1e-6 * np.abs(surf.points).max())
        surf = surf.triangulate().extract_cells(keep)
    peak = float(np.max(surf.point_data["failure_index"]))
    pl = pv.Plotter(off_screen=True, window_size=(1000, 800))
    pl.add_mesh(surf, scalars="failure_index", cmap=failure_colormap(), clim=(0.0, 2 * THRESHOLD),
                above_color=failure_colormap()(1.0), annotations={THRESHOLD: "failure"},
                scalar_bar_args={"title": "failure index [-]\n", "fmt": "%.1f", "n_labels": 5, "vertical": True,
                                 "position_x": 0.84, "position_y": 0.2, "height": 0.6, "width": 0.06,
                                 "title_font_size": 16, "label_font_size": 14})
    pl.add_text(f"t = {t / 60:.1f} min: SEI and coating failure index on the surface, "
                f"largest {peak:.2f} (threshold {THRESHOLD:g})", font_size=10, position="upper_left")
    pl.view_vector((1, 1, 1))
    pl.camera.zoom(0.85)
    pl.screenshot(str(path))
    pl.close()
    return peak

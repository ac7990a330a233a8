"""An animation of the stress map over a run: one frame per field output, the whole section
in von Mises stress, hoop stress and filling fraction at colour ranges fixed over the run (the
core's extremes over all frames), in the style of `maps`. Frames are drawn by matplotlib and
written as an animated GIF by Pillow (matplotlib's own image dependency).

    animate_maps([(t, section), ...], case, hist, Path("figures/stress.gif"))
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

import numpy as np

from seifem.post.maps import MAP_FIELDS, draw_field, field_limits, new_figure, sei_thickness_um
from seifem.post.section import Section

__all__ = ["FRAME_MS", "animate_maps"]

log = logging.getLogger(__name__)

FRAME_MS = 600
"""Time each frame is shown (ms); the last frame is held three times as long."""


def _frame(sec: Section, t: float, case: dict, hist: dict, limits: dict, h_sei: float) -> bytes:
    import matplotlib.pyplot as plt

    fields = [f for f in MAP_FIELDS if f[0] in sec.fields]
    fig, axes = new_figure(1, len(fields), figsize=(4.2 * len(fields), 5.0), squeeze=False)
    for ax, (name, label, cmap) in zip(axes[0], fields):
        draw_field(fig, ax, sec, name, label + " (core range over the run)", cmap, limits[name], h_sei)
    i = int(np.argmin(np.abs(hist["time_s"] - t)))
    voltage = f", {hist['voltage_V'][i]:.3f} V" if "voltage_V" in hist else ""
    fig.suptitle(f"{case.get('title', '')}\nt = {t / 60:.1f} min, mean c/c_max = {abs(hist['soc'][i]):.3f}{voltage}",
                 fontsize=10)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=80)
    plt.close(fig)
    return buf.getvalue()


def animate_maps(frames: list[tuple[float, Section]], case: dict, hist: dict, path: Path) -> Path:
    """Write the animated GIF of the (t in s, section) frames to `path`; returns `path`."""
    from PIL import Image

    names = [f[0] for f in MAP_FIELDS if f[0] in frames[0][1].fields]
    limits = {}
    for name in names:
        lims = np.array([field_limits(sec, name) for _, sec in frames])
        limits[name] = (float(lims[:, 0].min()), float(lims[:, 1].max()))
    h_sei = sei_thickness_um(case)
    images = [Image.open(io.BytesIO(_frame(sec, t, case, hist, limits, h_sei))).convert("RGB") for t, sec in frames]
    size = images[0].size
    # one adaptive palette per frame (median cut, dithered): smooth colour maps without bands
    images = [(im if im.size == size else im.resize(size)).quantize(256, Image.Quantize.MEDIANCUT,
                                                                      dither=Image.Dither.FLOYDSTEINBERG)
              for im in images]
    durations = [FRAME_MS] * (len(images) - 1) + [3 * FRAME_MS]
    images[0].save(path, save_all=True, append_images=images[1:], duration=durations, loop=0, optimize=True)
    log.info("animation of %d frames: %s", len(images), path)
    return Path(path)

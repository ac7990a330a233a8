"""Stress maps in one style for the 3D particle, the 2D twin and the 1D twin (matplotlib,
off-screen), drawn from a `Section`: von Mises stress, hoop stress and filling fraction on
the whole section (colours scaled to the core, the coating being far stiffer) and on a zoom
of the outer surface with its own colour range, where the coating and the SEI (a brown band
of its thickness) are visible; layer boundaries in black, a length scale bar, and for
finite-strain runs the current shape with the reference outline dashed.

    stress_map(sec, t, case, hist, Path("map.png"))
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from seifem.post.section import Section

__all__ = [
    "MAP_FIELDS",
    "Window",
    "draw_field",
    "field_limits",
    "new_figure",
    "sei_thickness_um",
    "stress_map",
    "zoom_window",
]

MAP_FIELDS = [("von_mises_MPa", "von Mises stress [MPa]", "viridis"),
              ("sigma_hoop_MPa", "hoop stress [MPa]", "coolwarm"),
              ("theta", "filling fraction c/c_max [-]", "plasma")]


UNIFORM = 1e-4
"""Relative spread below which a field is drawn as uniform (its colour range is widened to
+-0.01 % about its value: readable ticks instead of round-off)."""


@dataclass(frozen=True)
class Window:
    """A rectangle of the section (um) drawn by a zoom panel."""

    x0: float
    x1: float
    y0: float
    y1: float

    def holds(self, xy: np.ndarray) -> np.ndarray:
        return (xy[:, 0] >= self.x0) & (xy[:, 0] <= self.x1) & (xy[:, 1] >= self.y0) & (xy[:, 1] <= self.y1)


def new_figure(*args, **kwargs):
    """A matplotlib figure on the Agg backend (constrained layout: nothing overlaps)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt.subplots(*args, layout="constrained", **kwargs)


def sei_thickness_um(case: dict) -> float:
    from seifem.units import parse_quantity

    return parse_quantity(case["sei"]["thickness"], "m") * 1e6 if "sei" in case else 0.0


def zoom_window(sec: Section, h_sei: float) -> Window:
    """A square on the top of the particle spanning the layers: six coating thicknesses, eight
    SEI thicknesses or 6 % of the radius, whichever is largest."""
    top = float(sec.xy[:, 1].max())
    near_axis = np.abs(sec.xy[sec.triangles].mean(axis=1)[:, 0]) < 0.05 * top
    core_top = float(sec.xy[sec.triangles[near_axis & (sec.region == 1)]][..., 1].max()) \
        if np.any(near_axis & (sec.region == 1)) else top
    width = max(6 * (top - core_top), 8 * h_sei, 0.06 * top)
    y1 = top + h_sei + width / 6
    return Window(-width / 2, width / 2, y1 - width, y1)


def field_limits(sec: Section, name: str, window: Window | None = None, core: bool = True) -> tuple[float, float]:
    """Colour limits of a field over the core (or the layers: `core` False) of the whole
    section or of what the window shows; hoop stress symmetric about zero (tension red,
    compression blue)."""
    tris = sec.triangles[(sec.region == 1) == core]
    pts = np.unique(tris) if len(tris) else np.arange(len(sec.xy))
    if window is not None:
        inside = pts[window.holds(sec.xy[pts])]
        pts = inside if len(inside) else pts
    values = sec.fields[name][pts]
    lo, hi = float(np.nanmin(values)), float(np.nanmax(values))
    if name == "sigma_hoop_MPa":
        m = max(abs(lo), abs(hi), 1e-12)
        return -m, m
    pad = UNIFORM * max(abs(lo), abs(hi), 1e-3)  # a field uniform to 0.01 % is drawn uniform
    return (lo, hi) if hi - lo > 2 * pad else ((lo + hi) / 2 - pad, (lo + hi) / 2 + pad)


def _nice(length: float) -> float:
    """A round length (1, 2 or 5 x 10^k) near a fifth of `length`."""
    target = length / 5
    k = np.floor(np.log10(target))
    return min((m * 10**k for m in (1, 2, 5, 10)), key=lambda v: abs(np.log(v / target)))


def _scale_bar(ax, span_um: float) -> None:
    from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar

    size = _nice(span_um)
    label = f"{size:g} µm" if size >= 0.1 else f"{1000 * size:g} nm"
    ax.add_artist(AnchoredSizeBar(ax.transData, size, label, "lower left", frameon=False, size_vertical=0,
                                  sep=3, pad=0.4, borderpad=0.3))


def draw_field(fig, ax, sec: Section, name: str, label: str, cmap: str, clim: tuple[float, float],
               h_sei: float = 0.0, window: Window | None = None, colorbar: bool = True,
               layer_clim: tuple[float, float] | None = None):
    """Draw one field of a section into `ax` (whole section, or the zoom `window`), with layer
    outlines, the SEI band, a scale bar and a horizontal colour bar below. `clim` is the
    colour range of the core (of everything when `layer_clim` is None); with `layer_clim` the
    layers get their own range and a second colour bar. Returns the core's colour artist."""
    from matplotlib.collections import LineCollection, PolyCollection
    from matplotlib.tri import Triangulation

    values = sec.fields[name]
    bad = ~np.isfinite(values[sec.triangles]).all(axis=1)
    layers = sec.region != 1
    if name == "theta":  # ions live in the core only: the layers are drawn grey
        ax.add_collection(PolyCollection(sec.xy[sec.triangles[layers]], facecolor="0.82", edgecolor="0.82", linewidth=0.3))
    two = layer_clim is not None and name != "theta" and np.any(layers)
    tri = Triangulation(sec.xy[:, 0], sec.xy[:, 1], sec.triangles, mask=bad | (layers if two or name == "theta" else False))
    art = ax.tripcolor(tri, np.nan_to_num(values), cmap=cmap, vmin=clim[0], vmax=clim[1], shading="gouraud",
                       rasterized=True)
    if two:  # the layers with their own colour range
        lay = ax.tripcolor(Triangulation(sec.xy[:, 0], sec.xy[:, 1], sec.triangles, mask=bad | ~layers),
                           np.nan_to_num(values), cmap=cmap, vmin=layer_clim[0], vmax=layer_clim[1],
                           shading="gouraud", rasterized=True)
    ax.add_collection(LineCollection(sec.outlines(), colors="black", linewidths=0.6))
    if sec.deformed:
        ax.add_collection(LineCollection(sec.outlines(reference=True), colors="0.35", linewidths=0.8,
                                         linestyles="--", label="reference shape"))
    if h_sei > 0:
        seg, _ = sec.outer_edges()  # offset along the radius: neighbouring quads share their corners
        out = seg + h_sei * seg / np.maximum(np.linalg.norm(seg, axis=2, keepdims=True), 1e-30)
        quads = np.stack([seg[:, 0], seg[:, 1], out[:, 1], out[:, 0]], axis=1)
        ax.add_collection(PolyCollection(quads, facecolor="sienna", edgecolor="sienna", linewidth=0.6))
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ax.spines.values():
        side.set_visible(window is not None)
    if window is None:
        extent = float(np.abs(sec.xy).max()) + h_sei
        ax.set_xlim(-1.04 * extent, 1.04 * extent)
        ax.set_ylim(-1.04 * extent, 1.04 * extent)
        _scale_bar(ax, 2 * extent)
    else:
        ax.set_xlim(window.x0, window.x1)
        ax.set_ylim(window.y0, window.y1)
        _scale_bar(ax, window.x1 - window.x0)
    if colorbar:
        bars = [(art, label + (" in the core" if two else ""))] + ([(lay, label + " in the layers")] if two else [])
        for artist, text in bars:
            extend = "neither" if window is not None else "both"
            cb = fig.colorbar(artist, ax=ax, orientation="horizontal", shrink=0.9, pad=0.02, aspect=25, extend=extend)
            cb.set_label(text)
            cb.ax.locator_params(nbins=5)
            cb.formatter.set_useOffset(False)
    return art


def _layer_note(case: dict, hist: dict, i: int) -> str:
    parts = []
    for layer in case.get("coating", []):
        parts.append(f"{layer['name']} ({layer['material']}, {layer['thickness']}): max hoop "
                     f"{hist[layer['name'] + '_st_max_MPa'][i]:.0f} MPa")
    if "shell" in case:
        sh = case["shell"]
        parts.append(f"shell ({sh['material']}, {sh['thickness']}): max hoop {hist['shell_st_max_MPa'][i]:.0f} MPa")
    if "sei" in case and "sei_strain_max" in hist:
        parts.append(f"SEI ({case['sei']['material']}, {case['sei']['thickness']}, brown band): membrane strain "
                     f"{100 * hist['sei_strain_max'][i]:.2f} %, stress {hist['sei_stress_max_MPa'][i]:.0f} MPa")
    return "; ".join(parts)


def stress_map(sec: Section, t: float, case: dict, hist: dict, path: Path) -> object:
    """Whole section (top row, colours over the core) and surface zoom (bottom row, colours
    over what it shows) of three fields at time t (s), written to the PNG `path`; returns
    the figure (closed)."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    h_sei = sei_thickness_um(case)
    window = zoom_window(sec, h_sei)
    fields = [f for f in MAP_FIELDS if f[0] in sec.fields]
    fig, axes = new_figure(2, len(fields), figsize=(4.4 * len(fields), 9.6), squeeze=False)
    for col, (name, label, cmap) in enumerate(fields):
        draw_field(fig, axes[0, col], sec, name, label + " (core range)", cmap, field_limits(sec, name), h_sei)
        axes[0, col].add_patch(Rectangle((window.x0, window.y0), window.x1 - window.x0, window.y1 - window.y0,
                                         fill=False, edgecolor="black", linewidth=0.8))
        draw_field(fig, axes[1, col], sec, name, label, cmap, field_limits(sec, name, window), h_sei, window,
                   layer_clim=field_limits(sec, name, window, core=False))
    axes[1, 0].set_title("surface zoom (box above): colours over what it shows", fontsize=9, loc="left")
    i = int(np.argmin(np.abs(hist["time_s"] - t)))
    from seifem.post.section import section_normal

    plane = "section y = 0 (x across, z up)" if section_normal(case) == 1 else "section z = 0"
    model = {"2d": "2D axisymmetric twin (r across, z up)", "1d": "1D radial twin"}.get(
        case["geometry"].get("model", "3d"), plane)
    shape = "current shape, reference dashed" if sec.deformed else "reference shape"
    fig.suptitle(f"{case.get('title', '')}\nt = {t / 60:.1f} min, mean c/c_max = {abs(hist['soc'][i]):.3f} "
                 f"({model}, {shape})", fontsize=11)
    note = _layer_note(case, hist, i)
    if note:
        fig.supxlabel(note, fontsize=8.5)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return fig

"""Checks that a rendered matplotlib figure is laid out cleanly: no two pieces of text
overlap (tick labels, axis labels, titles, legends, colour-bar labels, notes), no text runs
over another panel's drawing area (a colour-bar title on the particle), and nothing is cut
off at the figure's edge. Used by the tests on every figure seifem draws.

    problems = layout_problems(fig)   # [] when clean
"""

from __future__ import annotations

import itertools

__all__ = ["layout_problems", "texts"]


def texts(fig) -> list:
    """Every drawn, non-empty text of the figure with the panel it belongs to (None for
    figure-level text): [(text, axes)]. Tick labels outside a panel's view (made but not
    drawn) are left out."""
    from matplotlib.text import Text

    owner, hidden = {}, set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            owner[id(axis.label)] = ax
            lo, hi = sorted(axis.get_view_interval())
            tol = 1e-9 * max(abs(lo), abs(hi), 1e-300)
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                drawn = lo - tol <= tick.get_loc() <= hi + tol
                for label in (tick.label1, tick.label2):
                    owner[id(label)] = ax
                    if not (drawn and tick.get_visible() and label.get_visible()):
                        hidden.add(id(label))
    out, seen = [], set()
    for artist in fig.findobj(Text):
        if id(artist) in seen or id(artist) in hidden or not artist.get_visible() or not artist.get_text().strip():
            continue
        seen.add(id(artist))
        ax = owner.get(id(artist), artist.axes)
        if ax is not None and not ax.get_visible():
            continue
        out.append((artist, ax))
    return out


def layout_problems(fig, pad_px: float = 0.5) -> list[str]:
    """Descriptions of overlapping or cut-off text in `fig` (drawn with its own renderer)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    found = []
    boxes = []
    fig_box = fig.bbox
    for text, ax in texts(fig):
        box = text.get_window_extent(renderer)
        if box.width <= 0 or box.height <= 0:
            continue
        boxes.append((text, ax, box.expanded(1.0, 1.0).padded(-pad_px)))
        if box.x0 < fig_box.x0 - 1 or box.y0 < fig_box.y0 - 1 or box.x1 > fig_box.x1 + 1 or box.y1 > fig_box.y1 + 1:
            found.append(f"{text.get_text()!r} is cut off at the figure's edge")
    for (t1, _, b1), (t2, _, b2) in itertools.combinations(boxes, 2):
        if b1.overlaps(b2):
            found.append(f"{t1.get_text()!r} overlaps {t2.get_text()!r}")
    panels = [ax for ax in fig.axes if ax.get_visible()]
    for text, ax, box in boxes:
        home = ax.get_window_extent(renderer).bounds if ax is not None else None
        for other in panels:
            area = other.get_window_extent(renderer)
            if other is ax or area.bounds == home:  # its own panel, or a twin sharing it
                continue
            if box.overlaps(area.padded(-pad_px)):
                found.append(f"{text.get_text()!r} runs over the panel {other.get_label() or other.get_title()!r}")
    return found

"""Plots of a sweep's comparison table: each physical metric that changes between designs
against the first varied key, one line per value of the other varied keys (a grid), failed
designs as gaps. Metrics that do not change (by less than 0.1 %, or only by round-off about
zero: a final volume change of 1e-11) and
those that are not physics (wall time, step counts) are left out; each panel is titled with
the metric's meaning and its axis with the unit.

The first key's values are placed by their magnitude when all of them read as numbers
(with units: converted to the unit of the first value that has one, "0,5,10nm" in nm), and
side by side in the order given otherwise (materials, names).
"""

from __future__ import annotations

import itertools
import math
import textwrap
from pathlib import Path

import numpy as np

from seifem.results.metrics import METRICS

__all__ = ["PLOTTED", "axis_values", "plot_metrics", "varies"]

PLOTTED = ("sei_strain", "sei_energy_util", "sei_energy_density_kJ_m3", "sei_failed_area", "coating_failure_margin",
           "coating_tension_MPa", "core_von_mises_MPa", "volume_change", "volume_change_final",
           "specific_capacity_mAh_g", "delivered_specific_capacity_mAh_g", "capacity_retention",
           "coulombic_efficiency")
"""The metrics drawn (those with a number for at least one design that differs between designs)."""

CONSTANT = 1e-3
"""A metric whose spread over the designs is at most this fraction of its magnitude is drawn
as a constant (left out): 0.1 % is below the models' discretisation error (round-off,
~1e-15 relative, sits far below)."""

ZERO = {"-": 1e-9, "MPa": 1e-6, "kJ/m^3": 1e-6}
"""Magnitudes below which a metric of this unit is zero (a final volume change of 1e-11 is
round-off about 0, not a trend)."""


def varies(values: list[float], unit: str = "") -> bool:
    """True when the finite values differ between designs by more than CONSTANT of their
    magnitude, values below the unit's ZERO counting as 0."""
    v = np.array([x for x in values if isinstance(x, float) and math.isfinite(x)])
    v = np.where(np.abs(v) < ZERO.get(unit, 0.0), 0.0, v)
    return len(v) > 1 and float(np.ptp(v)) > CONSTANT * max(float(np.max(np.abs(v))), 1e-300)


def axis_values(labels: list[str]) -> tuple[np.ndarray, str | None]:
    """Positions of the labels on the x axis and their unit: magnitudes if every label is a
    number with or without a unit ("20nm", "0.5"), in the unit of the first that has one;
    else 0, 1, 2, ... (unit None: categories, e.g. materials)."""
    from seifem.units import NUMBER_UNIT, registry

    categories = np.arange(len(labels), dtype=float), None
    matches = [NUMBER_UNIT.match(label) for label in labels]
    if not all(matches):
        return categories
    ureg = registry()
    unit = next((m["unit"] for m in matches if m["unit"]), "")
    try:
        x = [ureg.Quantity(float(m["num"]), m["unit"] or unit).to(unit or "dimensionless").magnitude for m in matches]
    except Exception:  # noqa: BLE001 - pint raises many types: unknown or mixed units are categories
        return categories
    return np.array(x, dtype=float), unit


def plot_metrics(rows: list[dict], keys: list[str], path: Path, title: str = "") -> tuple[list[str], object]:
    """Draw every PLOTTED metric that varies between designs against keys[0] into `path`
    (PNG); return the metrics drawn and the figure (closed; for layout checks)."""
    import matplotlib.pyplot as plt

    from seifem.post.maps import new_figure

    first = keys[0]
    x_labels = list(dict.fromkeys(r[first] for r in rows))
    x_pos, unit = axis_values(x_labels)
    where = dict(zip(x_labels, x_pos))
    others = keys[1:]
    groups = list(dict.fromkeys(tuple(r[k] for k in others) for r in rows)) if others else [()]
    metrics = [m for m in PLOTTED if varies([r.get(m) for r in rows], METRICS[m].unit)]
    n = max(len(metrics), 1)
    cols = min(4, n)
    nrows = math.ceil(n / cols)
    fig, axes = new_figure(nrows, cols, figsize=(4.4 * cols, 3.6 * nrows), squeeze=False)
    markers = itertools.cycle("osD^v<>p")
    styles = {g: next(markers) for g in groups}
    for ax, metric in zip(axes.flat, metrics):
        for g in groups:
            sel = [r for r in rows if tuple(r[k] for k in others) == g]
            sel.sort(key=lambda r: where[r[first]])
            xs = [where[r[first]] for r in sel]
            ys = [r[metric] if isinstance(r.get(metric), float) else math.nan for r in sel]
            label = ", ".join(f"{k}={v}" for k, v in zip(others, g)) or None
            ax.plot(xs, ys, marker=styles[g], label=label)
        meta = METRICS[metric]
        ax.set_title(textwrap.fill(meta.doc, 44), fontsize=8)
        ax.set_ylabel(f"{metric} [{meta.unit}]", fontsize=8)
        if unit is None:
            ax.set_xticks(x_pos, x_labels, rotation=20, fontsize=7)
        ax.set_xlabel(f"{first}" + (f" [{unit}]" if unit else ""), fontsize=8)
        if metric == "coating_failure_margin":
            ax.axhline(0.0, color="0.5", lw=0.8, ls="--")
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(metrics):]:
        ax.set_visible(False)
    if others and metrics:
        axes.flat[0].legend(fontsize=7)
    fig.suptitle(title or f"metrics against {first}")
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return metrics, fig

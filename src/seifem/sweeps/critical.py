"""The critical size of a radius sweep with fracture: for each combination of the other
varied keys (e.g. the C-rate), the largest particle radius whose run did not crack (metric
`cracked` = 0, `results.metrics.fracture_metrics`) and its bracketing designs: that design
and the smallest larger radius that cracked. Written to `critical_size.csv` by `seifem
compare` and printed with the ranking.

    rows = critical_sizes(keys, rows)   # [] unless particle.radius is varied and runs have `cracked`
"""

from __future__ import annotations

import math

from seifem.units import parse_quantity

__all__ = ["RADIUS", "critical_sizes", "describe"]

RADIUS = "particle.radius"


def critical_sizes(keys: list[str], rows: list[dict]) -> list[dict]:
    """One dict per group of the other varied keys: the group's labels, `critical_radius_um`
    (NaN if every radius cracked; the largest radius if none did), `below` (the largest
    uncracked design), `above` (the smallest cracked design larger than it, '' if none) and
    `verdict`."""
    if RADIUS not in keys:
        return []
    others = [k for k in keys if k != RADIUS]
    groups: dict[tuple, list[tuple[float, dict]]] = {}
    for r in rows:
        if r.get("status") != "done" or not isinstance(r.get("cracked"), float) or math.isnan(r["cracked"]):
            continue
        groups.setdefault(tuple(r[k] for k in others), []).append((parse_quantity(str(r[RADIUS]), "m"), r))
    out = []
    for labels, items in groups.items():
        items.sort(key=lambda t: t[0])
        intact = [(R, r) for R, r in items if r["cracked"] == 0.0]
        row = dict(zip(others, labels))
        if not intact:
            row.update(critical_radius_um=math.nan, below="", above=items[0][1]["design"],
                       verdict=f"every radius cracked (smallest {items[0][0] * 1e6:g} um)")
        else:
            R0, r0 = intact[-1]
            larger = [(R, r) for R, r in items if R > R0 and r["cracked"] == 1.0]
            row.update(critical_radius_um=R0 * 1e6, below=r0["design"], above=larger[0][1]["design"] if larger else "")
            row["verdict"] = (f"critical radius between {R0 * 1e6:g} um ({r0['design']}, intact) and "
                              f"{larger[0][0] * 1e6:g} um ({larger[0][1]['design']}, cracked)" if larger else
                              f"no radius cracked (largest {R0 * 1e6:g} um)")
            if any(r["cracked"] == 1.0 for R, r in items if R < R0):
                row["verdict"] += "; a smaller radius cracked (not monotone)"
        out.append(row)
    return out


def describe(row: dict) -> str:
    """One line: the group's labels and the verdict."""
    labels = ", ".join(f"{k} = {v}" for k, v in row.items()
                       if k not in ("critical_radius_um", "below", "above", "verdict"))
    return (f"{labels}: " if labels else "") + row["verdict"]

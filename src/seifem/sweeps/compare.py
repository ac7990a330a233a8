"""`seifem compare`: the comparison table of a sweep (one row per design, from sweep.json and
each run's metrics), its ranking, and the metric plots and stress-map gallery.

    rows = comparison_rows(sweep_dir)          # one per design, from sweep.json and the runs
    compare_sweep(sweep_dir, spec)             # comparison.csv, ranking.csv, figures[-N]/
                                               # (critical_size.csv for a radius sweep with fracture)
"""

from __future__ import annotations

import logging
import math
from pathlib import Path

from seifem.errors import RenderError
from seifem.results.metrics import METRICS, run_metrics
from seifem.results.rundir import RunDir
from seifem.results.sweepdir import (
    COMPARISON,
    RANKING,
    read_sweep,
    write_comparison,
    write_sweep,
)
from seifem.sweeps.critical import critical_sizes
from seifem.sweeps.ranking import RankingSpec, rank

CRITICAL = "critical_size.csv"

__all__ = ["comparison_rows", "compare_sweep"]


def comparison_rows(sweep_dir: Path) -> tuple[list[str], list[dict]]:
    """The varied keys and one row per design of a sweep: `design`, each varied key (its
    value as given), `status` (done / failed / incomplete), `run_dir`, the METRICS, `error`."""
    sweep_dir = Path(sweep_dir)
    record = read_sweep(sweep_dir)
    keys = [v["key"] for v in record["vary"]]
    rows = []
    for d in record["designs"]:
        run_dir = sweep_dir / d["dir"]
        done = RunDir(run_dir).is_finished()
        status = "done" if done else ("failed" if d.get("error") else "incomplete")
        row = {"design": d["name"], **{k: d["labels"][k] for k in keys}, "status": status, "run_dir": d["dir"]}
        row.update(run_metrics(run_dir) if done else {name: math.nan for name in METRICS})
        row["error"] = d.get("error", "") if not done else ""
        rows.append(row)
    return keys, rows


# ----------------------------------------------------------------------------- seifem compare
def compare_sweep(sweep_dir: Path, spec: RankingSpec | None = None, pictures: bool = True) -> dict:
    """`seifem compare`: comparison.csv and ranking.csv (rebuilt from the runs), and in a
    fresh figures[-N]/ the metric plots (metrics.png) and the stress-map gallery
    (gallery.png). `spec` is a `ranking.RankingSpec` (default: the sweep's own, else the
    documented default). Returns the keys, rows, ranked rows, best row (or None), figure dir."""
    sweep_dir = Path(sweep_dir)
    record = read_sweep(sweep_dir)
    if spec is None:
        saved = record.get("ranking", {})
        spec = RankingSpec.parse(saved.get("objective"), saved.get("constraints"))
    record["ranking"] = {**spec.to_json(), "describe": spec.describe()}
    write_sweep(sweep_dir, record)  # the rule of this ranking, for the report and the next compare
    keys, rows = comparison_rows(sweep_dir)
    if not rows:
        raise RenderError(f"sweep_dir = {str(sweep_dir)!r}: the sweep has no designs")
    write_comparison(rows, sweep_dir / COMPARISON)
    critical = critical_sizes(keys, rows)
    if critical:
        write_comparison(critical, sweep_dir / CRITICAL)
    ranked = rank(rows, spec)
    cols = ["rank", "design", *keys, "verdict", "objective", "value", *dict.fromkeys(c.metric for c in spec.constraints)]
    write_comparison([{c: r.get(c, "") for c in cols} for r in ranked], sweep_dir / RANKING)
    figs = None
    if pictures:
        from seifem.post.compare_plots import plot_metrics
        from seifem.post.gallery import gallery
        from seifem.post.readers import new_figure_dir

        figs = new_figure_dir(sweep_dir)
        plot_metrics(rows, keys, figs / "metrics.png", f"{Path(record['case_file']).name}: metrics against {keys[0]}")
        left_out = gallery([(r["design"], sweep_dir / r["run_dir"]) for r in rows if r["status"] == "done"],
                           figs / "gallery.png")
        if left_out:
            logging.getLogger(__name__).info("gallery: no 3D fields for %s", ", ".join(left_out))
    best = next((r for r in ranked if r["verdict"] == "ok"), None)
    return {"keys": keys, "rows": rows, "ranked": ranked, "best": best, "spec": spec, "figures": figs,
            "critical": critical}

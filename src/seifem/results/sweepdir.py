"""The sweep directory: the sweep record (sweep.json: case file, varied keys, designs and
their run directories) and the comparison tables (comparison.csv, ranking.csv), NaN written
as an empty cell.

    record = read_sweep(sweep_dir)
    rows = read_comparison(sweep_dir / COMPARISON)
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

from seifem.errors import RenderError
from seifem.results.metrics import METRICS

__all__ = ["SWEEP_FILE", "COMPARISON", "RANKING", "read_sweep", "write_sweep", "write_comparison", "read_comparison"]

SWEEP_FILE = "sweep.json"
"""The sweep record in a sweep directory: case file, varied keys, designs and their run directories."""
COMPARISON = "comparison.csv"
RANKING = "ranking.csv"


def read_sweep(sweep_dir: Path) -> dict:
    """The sweep record (sweep.json); RenderError if `sweep_dir` is not a sweep directory."""
    path = Path(sweep_dir) / SWEEP_FILE
    if not path.is_file():
        raise RenderError(f"sweep_dir = {str(sweep_dir)!r}: not a seifem sweep directory (no {SWEEP_FILE})")
    return json.loads(path.read_text())


def write_sweep(sweep_dir: Path, record: dict) -> None:
    """Write the sweep record atomically (a killed sweep leaves the old or the new one)."""
    path = Path(sweep_dir) / SWEEP_FILE
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(record, indent=2))
    tmp.replace(path)


def _fmt(v) -> str:
    if isinstance(v, float):
        return "" if math.isnan(v) else f"{v:.8g}"
    return str(v)


def write_comparison(rows: list[dict], path: Path) -> None:
    """Write the rows as CSV (NaN as empty), atomically: the table is rebuilt from the runs
    each time, so replacing it loses nothing."""
    tmp = Path(path).with_suffix(".csv.tmp")
    with open(tmp, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        for row in rows:
            w.writerow({k: _fmt(v) for k, v in row.items()})
    tmp.replace(path)


def read_comparison(path: Path) -> list[dict]:
    """comparison.csv or ranking.csv back as rows (metrics as floats, NaN where empty; other
    columns as text); [] if the file is absent."""
    if not Path(path).is_file():
        return []
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        for name in METRICS:
            if name in row:
                row[name] = float(row[name]) if row[name] != "" else math.nan
    return rows

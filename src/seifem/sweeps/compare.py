"""Design metrics of a finished run, and the comparison table of a sweep.

Every metric comes from the run's own files (`history.csv`, `cycles.csv`, `summary.json`,
`case.toml`), so a comparison can be made after the fact and on another machine. "Peak"
is the extreme over the whole run; a metric the run cannot give (no SEI, no failure limit,
no cycles) is NaN (empty in the CSV).

    metrics = run_metrics(run_dir)
    rows = comparison_rows(sweep_dir)          # one per design, from sweep.json and the runs
    write_comparison(rows, sweep_dir / "comparison.csv")
"""

from __future__ import annotations

import csv
import json
import logging
import math
import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from seifem.errors import RenderError
from seifem.units import FARADAY, parse_quantity

__all__ = ["Metric", "METRICS", "run_metrics", "composite_mass_capacity", "comparison_rows", "write_comparison",
           "read_comparison", "SWEEP_FILE", "read_sweep", "write_sweep", "compare_sweep"]

SWEEP_FILE = "sweep.json"
"""The sweep record in a sweep directory: case file, varied keys, designs and their run directories."""


@dataclass(frozen=True)
class Metric:
    """A comparison column: unit ("-" for dimensionless) and meaning."""

    unit: str
    doc: str


METRICS: dict[str, Metric] = {
    "sei_strain": Metric("-", "peak in-plane principal strain of the SEI"),
    "sei_strain_util": Metric("-", "peak SEI strain / elastic strain limit"),
    "sei_energy_util": Metric("-", "peak SEI elastic energy density / E eps_y^2 / 2 (maximum elastic deformation energy)"),
    "sei_energy_density_kJ_m3": Metric("kJ/m^3", "peak SEI elastic energy density"),
    "sei_crack_ratio": Metric("-", "peak SEI channel-cracking G / fracture energy"),
    "sei_failed_area": Metric("-", "peak fraction of the SEI surface with an indicator >= 1"),
    "coating_util": Metric("-", "peak of the largest coating indicator (stress / strength, channel cracking G / Gamma) "
                                "over all coatings"),
    "coating_failure_margin": Metric("-", "1 - coating_util (< 0: a coating failed)"),
    "coating_failed_fraction": Metric("-", "peak failed fraction of any coating (0 without coatings)"),
    "volume_change": Metric("-", "peak particle volume change Delta V / V0"),
    "volume_change_final": Metric("-", "particle volume change at the end"),
    "core_von_mises_MPa": Metric("MPa", "peak von Mises stress in the core"),
    "core_tension_MPa": Metric("MPa", "peak largest principal stress in the core"),
    "coating_tension_MPa": Metric("MPa", "peak largest principal stress in any coating"),
    "coating_von_mises_MPa": Metric("MPa", "peak von Mises stress in any coating"),
    "interface_tension_MPa": Metric("MPa", "peak opening normal traction on the core/coating interface"),
    "specific_capacity_mAh_g": Metric("mAh/g", "theoretical capacity of the core per mass of core + coatings"),
    "active_mass_fraction": Metric("-", "core mass / (core + coatings) mass"),
    "delivered_capacity_mAh": Metric("mAh", "charge out (delithiation) of the last cycle, whole particle"),
    "delivered_specific_capacity_mAh_g": Metric("mAh/g", "delivered_capacity per mass of core + coatings"),
    "capacity_retention": Metric("-", "charge out of the last cycle / of the first"),
    "coulombic_efficiency": Metric("-", "charge out / charge in of the last cycle"),
    "lost_ions_mol": Metric("mol", "lithium (ions) taken by SEI growth by the end"),
    "sei_thickness_nm": Metric("nm", "mean SEI thickness at the end (with SEI growth)"),
    "steps": Metric("-", "time steps"),
    "wall_time_s": Metric("s", "wall time of the run"),
}
"""The metric columns of comparison.csv, in order."""


def _read_csv(path: Path) -> dict[str, np.ndarray]:
    if not path.is_file():
        return {}
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        return {}
    return {k: np.array([float(r[k]) if r[k] not in ("", None) else np.nan for r in rows]) for k in rows[0]}


def _peak(h: dict, columns: list[str]) -> float:
    vals = [np.nanmax(h[c]) for c in columns if c in h and np.isfinite(h[c]).any()]
    return float(max(vals)) if vals else math.nan


def composite_mass_capacity(case: dict) -> dict[str, float]:
    """Masses (kg) and theoretical capacity (mAh) of the particle of a resolved case (the
    case.toml tree): core = shell between cavity and core radius times its density, each
    coating its shell times its density (the SEI is not counted); a spheroid (2d model)
    scales every volume by its aspect ratio. Capacity Q = c_max F V_core / 3.6 (mAh)."""
    geo = case.get("geometry", {})
    aspect = float(geo.get("aspect_ratio", 1.0))
    shell = lambda a, b: 4.0 / 3.0 * math.pi * (b**3 - a**3) * aspect  # noqa: E731

    def density(layer: dict) -> float:
        return parse_quantity(layer["density"], "kg/m^3") if "density" in layer else math.nan

    part = case["particle"]
    R, r_in = parse_quantity(part["radius"], "m"), parse_quantity(geo.get("inner_radius", "0 m"), "m")
    v_core = shell(r_in, R)
    m_core = v_core * density(part)
    m_coat, r = 0.0, R
    for layer in case.get("coating", []):
        t = parse_quantity(layer["thickness"], "m")
        m_coat += shell(r, r + t) * density(layer)
        r += t
    q = parse_quantity(part["max_concentration"], "mol/m^3") * FARADAY * v_core / 3.6
    return {"core_kg": m_core, "coating_kg": m_coat, "capacity_mAh": q}


def run_metrics(run_dir: Path) -> dict[str, float]:
    """The METRICS of one run directory (NaN where the run cannot give one)."""
    run_dir = Path(run_dir)
    case = tomllib.loads((run_dir / "case.toml").read_text())
    h = _read_csv(run_dir / "history.csv")
    cyc = _read_csv(run_dir / "cycles.csv")
    summary = json.loads((run_dir / "summary.json").read_text()) if (run_dir / "summary.json").is_file() else {}
    coats = [c["name"] for c in case.get("coating", [])]
    out = {name: math.nan for name in METRICS}
    out.update(sei_strain=_peak(h, ["sei_strain_max"]), sei_strain_util=_peak(h, ["sei_strain_util_max"]),
               sei_energy_util=_peak(h, ["sei_energy_util_max"]), sei_crack_ratio=_peak(h, ["sei_crack_ratio_max"]),
               sei_failed_area=_peak(h, ["sei_failed_area"]))
    if "sei" in case and "elastic_strain_limit" in case["sei"]:
        E, ey = parse_quantity(case["sei"]["youngs_modulus"], "Pa"), float(case["sei"]["elastic_strain_limit"])
        out["sei_energy_density_kJ_m3"] = out["sei_energy_util"] * E * ey * ey / 2 / 1e3
    util = _peak(h, [f"{c}_{k}" for c in coats for k in ("stress_util_max", "crack_ratio_max")])
    out.update(coating_util=util, coating_failure_margin=1.0 - util,
               coating_failed_fraction=_peak(h, [f"{c}_failed_fraction" for c in coats]) if coats else 0.0,
               core_von_mises_MPa=_peak(h, ["core_vm_max_MPa"]), core_tension_MPa=_peak(h, ["core_p1_max_MPa"]),
               coating_tension_MPa=_peak(h, [f"{c}_p1_max_MPa" for c in coats]),
               coating_von_mises_MPa=_peak(h, [f"{c}_vm_max_MPa" for c in coats]),
               interface_tension_MPa=_peak(h, ["interface_tn_max_MPa"]))
    if "volume_change" in h:
        out.update(volume_change=float(np.nanmax(h["volume_change"])), volume_change_final=float(h["volume_change"][-1]))
    mass = composite_mass_capacity(case)
    total_g = (mass["core_kg"] + mass["coating_kg"]) * 1e3
    out.update(specific_capacity_mAh_g=mass["capacity_mAh"] / total_g, active_mass_fraction=mass["core_kg"] * 1e3 / total_g)
    if cyc:
        out.update(delivered_capacity_mAh=float(cyc["charge_out_mAh"][-1]),
                   delivered_specific_capacity_mAh_g=float(cyc["charge_out_mAh"][-1]) / total_g,
                   capacity_retention=float(cyc["capacity_retention"][-1]),
                   coulombic_efficiency=float(cyc["coulombic_efficiency"][-1]))
    if "lost_ions_mol" in h:
        out["lost_ions_mol"] = float(h["lost_ions_mol"][-1])
    if "sei_thickness_mean_nm" in h:
        out["sei_thickness_nm"] = float(h["sei_thickness_mean_nm"][-1])
    out["steps"] = float(summary.get("steps", math.nan))
    out["wall_time_s"] = float(summary.get("wall_time_s", math.nan))
    return out


# ----------------------------------------------------------------------------- sweep table
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


def comparison_rows(sweep_dir: Path) -> tuple[list[str], list[dict]]:
    """The varied keys and one row per design of a sweep: `design`, each varied key (its
    value as given), `status` (done / failed / incomplete), `run_dir`, the METRICS, `error`."""
    sweep_dir = Path(sweep_dir)
    record = read_sweep(sweep_dir)
    keys = [v["key"] for v in record["vary"]]
    rows = []
    for d in record["designs"]:
        run_dir = sweep_dir / d["dir"]
        done = (run_dir / "summary.json").is_file() and (run_dir / "case.toml").is_file()
        status = "done" if done else ("failed" if d.get("error") else "incomplete")
        row = {"design": d["name"], **{k: d["labels"][k] for k in keys}, "status": status, "run_dir": d["dir"]}
        row.update(run_metrics(run_dir) if done else {name: math.nan for name in METRICS})
        row["error"] = d.get("error", "") if not done else ""
        rows.append(row)
    return keys, rows


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
    """comparison.csv back as rows (metrics as floats, NaN where empty)."""
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        for name in METRICS:
            if name in row:
                row[name] = float(row[name]) if row[name] != "" else math.nan
    return rows


# ----------------------------------------------------------------------------- seifem compare
def compare_sweep(sweep_dir: Path, spec: "RankingSpec | None" = None, pictures: bool = True) -> dict:  # noqa: F821
    """`seifem compare`: comparison.csv and ranking.csv (rebuilt from the runs), and in a
    fresh figures[-N]/ the metric plots (metrics.png) and the stress-map gallery
    (gallery.png). `spec` is a `ranking.RankingSpec` (default: the sweep's own, else the
    documented default). Returns the keys, rows, ranked rows, best row (or None), figure dir."""
    from seifem.sweeps.ranking import RankingSpec, rank

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
    write_comparison(rows, sweep_dir / "comparison.csv")
    ranked = rank(rows, spec)
    cols = ["rank", "design", *keys, "verdict", "objective", "value", *dict.fromkeys(c.metric for c in spec.constraints)]
    write_comparison([{c: r.get(c, "") for c in cols} for r in ranked], sweep_dir / "ranking.csv")
    figs = None
    if pictures:
        from seifem.post.compare_plots import plot_metrics
        from seifem.post.gallery import gallery
        from seifem.post.render import new_figure_dir

        figs = new_figure_dir(sweep_dir)
        plot_metrics(rows, keys, figs / "metrics.png", f"{Path(record['case_file']).name}: metrics against {keys[0]}")
        left_out = gallery([(r["design"], sweep_dir / r["run_dir"]) for r in rows if r["status"] == "done"],
                           figs / "gallery.png")
        if left_out:
            logging.getLogger(__name__).info("gallery: no 3D fields for %s", ", ".join(left_out))
    best = next((r for r in ranked if r["verdict"] == "ok"), None)
    return {"keys": keys, "rows": rows, "ranked": ranked, "best": best, "spec": spec, "figures": figs}

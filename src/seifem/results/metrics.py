"""What a finished run scores: the design metrics of a comparison (METRICS), each read from
the run's own files through `RunDir`, so a comparison can be made after the fact and on
another machine. "Peak" is the extreme over the whole run; a metric the run cannot give (no
SEI, no failure limit, no cycles) is NaN.

    metrics = run_metrics(run_dir)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from seifem.results.rundir import RunDir
from seifem.units import FARADAY, parse_quantity

__all__ = ["METRICS", "Metric", "composite_mass_capacity", "fracture_metrics", "run_metrics"]


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
    "debonded_area_fraction": Metric("-", "peak debonded fraction of the cohesive core/coating interface ([interface])"),
    "crack_sei_lost_mol": Metric("mol", "lithium taken by SEI on debonded interfaces by the end ([interface])"),
    "specific_capacity_mAh_g": Metric("mAh/g", "theoretical capacity of the core per mass of core + coatings"),
    "active_mass_fraction": Metric("-", "core mass / (core + coatings) mass"),
    "delivered_capacity_mAh": Metric("mAh", "charge out (delithiation) of the last cycle, whole particle"),
    "delivered_specific_capacity_mAh_g": Metric("mAh/g", "delivered_capacity per mass of core + coatings"),
    "capacity_retention": Metric("-", "charge out of the last cycle / of the first"),
    "coulombic_efficiency": Metric("-", "charge out / charge in of the last cycle"),
    "lost_ions_mol": Metric("mol", "lithium (ions) taken by SEI growth by the end"),
    "sei_thickness_nm": Metric("nm", "mean SEI thickness at the end (with SEI growth)"),
    "lost_crack_ions_mol": Metric("mol", "lithium (ions) taken by SEI on cracks by the end (cycle-life runs)"),
    "sei_exposed_area": Metric("-", "area fraction where every SEI layer is cracked at the end (cycle-life runs)"),
    "sei_layer_damage": Metric("-", "largest cracked area fraction of any SEI layer at the end (cycle-life runs)"),
    "thickness_change": Metric("-", "peak electrode thickness change Delta T / T0 (electrode runs)"),
    "thickness_change_final": Metric("-", "electrode thickness change at the end (electrode runs)"),
    "porosity_loss": Metric("-", "peak loss of electrode porosity, -min Delta porosity (electrode runs)"),
    "stack_pressure_MPa": Metric("MPa", "peak mean pressure on the top of the electrode (electrode runs)"),
    "particle_von_mises_MPa": Metric("MPa", "peak von Mises stress in any particle (electrode runs)"),
    "binder_von_mises_MPa": Metric("MPa", "peak von Mises stress in the binder (electrode runs)"),
    "particle_surface_strain": Metric("-", "peak in-plane surface strain of any particle (electrode runs)"),
    "cracked": Metric("-", "1 if the run broke new material (cracked_volume_fraction, d > 0.95, rose above its start; "
                           "with seeded flaws (2d-plane): the crack depth grew by half the flaws' depth), else 0; NaN "
                           "without [fracture]"),
    "crack_time_s": Metric("s", "time at which it first did (NaN: never)"),
    "cracked_volume_fraction": Metric("-", "cracked (d > 0.95) volume (2d-plane: area) fraction of the cracking regions at "
                                           "the end"),
    "crack_area_um2": Metric("um^2", "crack area (crack energy / G_c) at the end (2d-plane: crack length in um x 1 um)"),
    "fragments": Metric("-", "intact pieces of the cracking regions at the end (2d-plane)"),
    "surface_cracks": Metric("-", "cracks reaching the core's surface at the end (2d-plane)"),
    "steps": Metric("-", "time steps"),
    "wall_time_s": Metric("s", "wall time of the run"),
}
"""The metric columns of comparison.csv, in order."""


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


FLAW_RUN = 0.5
"""Seeded flaws count as cracked once the crack depth (`crack_depth_um`) exceeds its start by this
fraction: a sub-critical flaw only sharpens its tip (its cracked set moves by a fraction of the
length scale), a critical one runs unstably (a shallow flaw's G grows with its depth)."""


def fracture_metrics(h: dict) -> dict[str, float]:
    """cracked, crack_time_s and the final crack measures of a history (NaN without them)."""
    if "cracked_volume_fraction" not in h:
        return {}
    f = np.asarray(h["cracked_volume_fraction"], dtype=float)
    grew = np.flatnonzero(f - f[0] > 0.0)
    depth = np.asarray(h.get("crack_depth_um", [0.0]), dtype=float)
    if depth[0] > 0:  # seeded flaws (2d-plane): cracked once they ran, not when their tips sharpen
        grew = np.flatnonzero(depth > (1 + FLAW_RUN) * depth[0])
    out = {"cracked": float(grew.size > 0), "crack_time_s": float(h["time_s"][grew[0]]) if grew.size else math.nan}
    for k in ("cracked_volume_fraction", "crack_area_um2", "fragments", "surface_cracks"):
        out[k] = float(h[k][-1]) if k in h else math.nan
    return out


def run_metrics(run_dir: Path) -> dict[str, float]:
    """The METRICS of one run directory (NaN where the run cannot give one)."""
    run = RunDir(Path(run_dir))
    case, h, cyc, summary = run.case(), run.history(), run.cycles(), run.summary()
    coats = [c["name"] for c in case.get("coating", [])]
    out = {name: math.nan for name in METRICS}
    if "electrode" in case:
        return _electrode_metrics(out, h, cyc, summary)
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
    if cyc and "cracked_fraction" in cyc:  # a cycle-life run (docs/cycle-life.md)
        damage = [cyc[k][-1] for k in cyc if k.endswith("_damage")]
        out.update(lost_crack_ions_mol=float(cyc["lost_crack_sei_mol"][-1]),
                   sei_exposed_area=float(cyc["cracked_fraction"][-1]),
                   sei_layer_damage=float(max(damage)) if damage else math.nan)
    if "lost_ions_mol" in h:
        out["lost_ions_mol"] = float(h["lost_ions_mol"][-1])
    if "debonded_area_fraction" in h:
        out.update(debonded_area_fraction=float(np.nanmax(h["debonded_area_fraction"])),
                   crack_sei_lost_mol=float(h["crack_sei_lost_mol"][-1]))
    if "sei_thickness_mean_nm" in h:
        out["sei_thickness_nm"] = float(h["sei_thickness_mean_nm"][-1])
    out.update(fracture_metrics(h))
    out["steps"] = float(summary.get("steps", math.nan))
    out["wall_time_s"] = float(summary.get("wall_time_s", math.nan))
    return out


def _electrode_metrics(out: dict, h: dict, cyc: dict, summary: dict) -> dict[str, float]:
    """The metrics an electrode run gives (the others stay NaN)."""
    if "thickness_change" in h:
        out.update(thickness_change=_peak(h, ["thickness_change"]), thickness_change_final=float(h["thickness_change"][-1]),
                   porosity_loss=-float(np.nanmin(h["porosity_change"])),
                   stack_pressure_MPa=_peak(h, ["stack_pressure_MPa"]),
                   particle_von_mises_MPa=_peak(h, ["particle_max_von_mises_MPa"]),
                   binder_von_mises_MPa=_peak(h, ["binder_max_von_mises_MPa"]),
                   particle_surface_strain=_peak(h, ["surface_strain_max"]),
                   sei_strain_util=_peak(h, ["sei_strain_util_max"]))
    if cyc:
        out.update(delivered_capacity_mAh=float(cyc["charge_out_mAh"][-1]),
                   capacity_retention=float(cyc["capacity_retention"][-1]),
                   coulombic_efficiency=float(cyc["coulombic_efficiency"][-1]))
    out["steps"] = float(summary.get("steps", math.nan))
    out["wall_time_s"] = float(summary.get("wall_time_s", math.nan))
    return out

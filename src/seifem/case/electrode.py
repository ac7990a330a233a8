"""Electrode-patch case files: a `[electrode]` section, checked before anything is meshed.

    title = "..."
    description = "..."
    [electrode]
    thickness = "12 um"          # box height over the current collector
    width = "12 um"              # square box side
    active_fraction = 0.2        # target particle volume fraction
    material = "Si"              # active material of the particles (library)
    radius = "1.5 um"            # mean particle radius; radius_sd = relative sd (log-normal)
    binder = "PVDF"              # binder material (library, kind "binder")
    top = "free"                 # "free", "pressure" (stack_pressure) or "gap"

`ELECTRODE` is the single source of the keys: `load_electrode_case` validates against it and
`electrode_toml` writes the resolved case back from it (units, library values and sources).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import seifem.materials as materials
from seifem.case.fields import Field, check_value, suggest
from seifem.case.tree import load_tree
from seifem.errors import REQUIRED, CaseError
from seifem.materials import Material

__all__ = ["ELECTRODE", "ElectrodeCase", "electrode_toml", "load_electrode_case", "parse_electrode"]

ELECTRODE: dict[str, Field] = {
    "thickness": Field("quantity", "electrode (box) thickness over the current collector", REQUIRED, "m", "um",
                       0.0, 1e-2, lo_open=True),
    "width": Field("quantity", "side of the square patch (lateral walls on rollers)", REQUIRED, "m", "um",
                   0.0, 1e-2, lo_open=True),
    "active_fraction": Field("number", "target volume fraction of active particles (random sequential addition)",
                             REQUIRED, lo=0.0, hi=1.0, lo_open=True, hi_open=True),
    "material": Field("text", "active material of the particles (library, kind active)", "Si"),
    "radius": Field("quantity", "mean particle radius", REQUIRED, "m", "um", 0.0, 1e-3, lo_open=True),
    "radius_sd": Field("number", "relative standard deviation of the radius (log-normal, clipped to 0.5-1.5 x "
                                 "the mean; 0: equal spheres)", 0.0, lo=0.0, hi=1.0),
    "gap": Field("quantity", "least binder thickness between particles and from particles to the walls "
                             "(0: radius / 10)", "0 um", "m", "um", 0.0, 1e-3),
    "seed": Field("int", "seed of the packing", 0, lo=0),
    "binder": Field("text", "binder material (library, kind binder): the homogenised carbon-binder domain", "PVDF"),
    "binder_youngs_modulus": Field("quantity", "override of the binder's Young's modulus (effective, wetted "
                                               "carbon-binder domain)", None, "Pa", "GPa", 1e5, 2e12, lo_open=True),
    "binder_poisson_ratio": Field("number", "override of the binder's Poisson's ratio", None, lo=-0.99, hi=0.499),
    "top": Field("choice", "top boundary: free, stack pressure, or a fixed gap (u_z = 0)", "free",
                 choices=("free", "pressure", "gap")),
    "stack_pressure": Field("quantity", "pressure on the top (top = \"pressure\")", "0 MPa", "Pa", "MPa", 0.0, 1e9),
    "final_soc": Field("number", "state of charge reached by uniform lithiation (every particle alike)", 1.0,
                       lo=0.0, hi=1.0, lo_open=True),
    "soc_steps": Field("int", "number of lithiation steps written to the history", 5, lo=1, hi=1000),
    "mesh_size": Field("quantity", "element size far from the particles", "1.5 um", "m", "um", 0.0, 1e-3,
                       lo_open=True),
    "surface_mesh_size": Field("quantity", "element size at the particle surfaces", "0.6 um", "m", "um", 0.0,
                               1e-3, lo_open=True),
    "order": Field("int", "displacement element degree (and geometry order)", 1, lo=1, hi=2),
}
"""The keys of [electrode]: kind, unit, default, range."""

TOP = {"title": Field("text", "one-line title of the case", ""),
       "description": Field("text", "what the case shows", "")}


@dataclass(frozen=True)
class ElectrodeCase:
    """A checked electrode case, SI units (m, Pa); `particle` and `binder` resolved materials."""

    title: str
    description: str
    values: dict[str, Any]
    particle: Material
    binder: Material

    def __getattr__(self, key: str) -> Any:
        try:
            return self.__dict__["values"][key]
        except KeyError:
            raise AttributeError(key) from None

    @property
    def swelling_per_soc(self) -> float:
        """Linear eigenstrain per unit state of charge, Omega c_max / 3 (small strain, as in
        `physics.mechanics`)."""
        return self.particle.si("partial_molar_volume") * self.particle.si("max_concentration") / 3


def _material(key: str, name: str, kind: str) -> Material:
    try:
        mat = materials.get(name)
    except materials.MaterialError:
        mat = None
    if mat is None or mat.kind != kind:
        options = materials.names(kind)
        raise CaseError(key, name, f"must be a {kind} material from the library: {', '.join(options)}"
                                   f"{suggest(name, options)}")
    return mat


def parse_electrode(tree: dict) -> ElectrodeCase:
    """Check a case tree with an [electrode] section; raise CaseError naming the key."""
    for name, val in tree.items():
        if isinstance(val, dict) and name != "electrode":
            raise CaseError(name, "[section]", "unknown section in an electrode case (only [electrode])")
        if not isinstance(val, dict) and name not in TOP:
            raise CaseError(name, val, f"unknown key{suggest(name, list(TOP))}; allowed: {', '.join(TOP)}")
    top = {k: check_value(k, tree[k], f) if k in tree else f.default for k, f in TOP.items()}
    raw = tree.get("electrode")
    if not isinstance(raw, dict):
        raise CaseError("electrode", raw if raw is not None else REQUIRED, "is required: an [electrode] table")
    for key in raw:
        if key not in ELECTRODE:
            raise CaseError(f"electrode.{key}", raw[key], f"unknown key{suggest(key, list(ELECTRODE))}")
    v: dict[str, Any] = {}
    for key, f in ELECTRODE.items():
        if key in raw:
            v[key] = check_value(f"electrode.{key}", raw[key], f)
        elif f.default is REQUIRED:
            raise CaseError(f"electrode.{key}", REQUIRED, f"is required ({f.doc})")
        else:
            v[key] = check_value(f"electrode.{key}", f.default, f) if isinstance(f.default, str) and f.unit \
                else f.default
    particle = _material("electrode.material", v["material"], "active")
    binder = _material("electrode.binder", v["binder"], "binder")
    binder = binder.with_overrides({p: v[f"binder_{p}"] for p in ("youngs_modulus", "poisson_ratio")
                                    if v[f"binder_{p}"] is not None})
    for prop in ("youngs_modulus", "poisson_ratio"):
        if prop not in binder.values:
            raise CaseError(f"electrode.binder_{prop}", REQUIRED, f"binder {binder.name!r} has no {prop}; set it")
    r_max = v["radius"] * (1.5 if v["radius_sd"] > 0 else 1.0)
    gap = v["gap"] or v["radius"] / 10
    if 2 * (r_max + gap) > v["thickness"]:
        raise CaseError("electrode.radius", ELECTRODE["radius"].dump(v["radius"]),
                        f"must let the particles fit in the electrode thickness {ELECTRODE['thickness'].dump(v['thickness'])}"
                        f" (largest diameter {ELECTRODE['radius'].dump(2 * r_max)} plus a binder gap on each side)")
    if v["top"] == "pressure" and v["stack_pressure"] <= 0:
        raise CaseError("electrode.stack_pressure", "0 MPa", 'must be positive with top = "pressure"')
    if v["surface_mesh_size"] > v["mesh_size"]:
        raise CaseError("electrode.surface_mesh_size", ELECTRODE["surface_mesh_size"].dump(v["surface_mesh_size"]),
                        "must be at most electrode.mesh_size")
    n = v["active_fraction"] * v["thickness"] * v["width"] ** 2 / (4 / 3 * math.pi * v["radius"] ** 3)
    if n > 2000:
        raise CaseError("electrode.active_fraction", v["active_fraction"],
                        f"must give a patch of at most 2000 particles (this one needs ~{n:.0f})")
    return ElectrodeCase(top["title"], top["description"], v, particle, binder)


def load_electrode_case(path: str | Path, overrides: list[str] | None = None) -> ElectrodeCase:
    """Read and check an electrode case file (`--set key=value` overrides as for particle cases)."""
    return parse_electrode(load_tree(path, overrides))


def electrode_toml(case: ElectrodeCase) -> dict:
    """The resolved case as a TOML tree: every key with its unit, and the two materials' values
    with their sources."""
    from seifem.case.dump import material_table

    tree: dict[str, Any] = {k: getattr(case, k) for k in TOP if getattr(case, k)}
    tree["electrode"] = {k: f.dump(case.values[k]) for k, f in ELECTRODE.items() if case.values[k] is not None}
    tree["materials"] = {"particle": material_table(case.particle), "binder": material_table(case.binder)}
    return tree

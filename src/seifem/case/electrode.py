"""Electrode-patch case files: a `[electrode]` section, checked before anything is meshed.

    title = "..."
    description = "..."
    [electrode]
    thickness = "12 um"          # box height over the current collector
    width = "12 um"              # square box side
    active_fraction = 0.2        # target particle volume fraction
    material = "Si"              # active material of the particles (library)
    radius = "1.5 um"            # mean particle radius; radius_sd = relative sd (log-normal)
    binder = "PVDF"              # binder material (library, kind "binder"); binder_law = "visco-elastic"
    top = "free"                 # "free", "pressure" (stack_pressure) or "gap"
    kinetics = "butler-volmer"   # or "uniform": the current shared by surface area
    [protocol]                   # the steps of a particle case: lithiate / delithiate / rest / hold
    cycles = 2
    steps = ["Lithiate at C/2 until soc 0.05", "Delithiate at C/2 until soc 0.01"]
    [output]
    render = true                # checkpoint_every = 10

`ELECTRODE` is the single source of the keys: `load_electrode_case` validates against it and
`electrode_toml` writes the resolved case back from it (units, library values and sources).
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seifem import materials
from seifem.case.electrode_binder import BINDER_KEYS, resolve_binder
from seifem.case.electrode_interface import INTERFACE_KEYS, patch_interface
from seifem.case.electrode_pores import PORE_KEYS, check_pores
from seifem.case.fields import Field, check_value, suggest
from seifem.case.interface import Interface
from seifem.case.schema import check_section
from seifem.case.tables import material_table, protocol_table
from seifem.case.tree import load_tree
from seifem.errors import REQUIRED, CaseError
from seifem.materials import Material
from seifem.reduced.particles import KINETICS

__all__ = ["ELECTRODE", "ElectrodeCase", "electrode_toml", "load_electrode_case", "parse_electrode", "semi_axes"]

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
    "shape": Field("choice", "particle template: sphere, ellipsoid (a spheroid of the same volume as the sphere "
                             "of the drawn radius, its symmetry axis through the thickness) or hollow (a sphere of the "
                             "drawn radius with a concentric empty cavity, void_fraction) or porous (a sphere with "
                             "internal pores, pore_fraction and pore_radius)", "sphere",
                   choices=("sphere", "ellipsoid", "hollow", "porous")),
    "void_fraction": Field("number", "hollow: cavity volume over the particle's outer sphere volume (the cavity "
                                     "surface is free and takes no flux)", 0.0, lo=0.0, hi=0.9),
    "aspect_ratio": Field("number", "ellipsoid: polar over equatorial semi-axis (< 1 oblate flakes lying flat, > 1 "
                                    "prolate)", 1.0, lo=0.2, hi=5.0),
    "coating_thickness": Field("quantity", "thickness of a coating on every particle (0: bare spheres); the coating "
                                           "is its own region (coating_<i>), elastic, not swelling", "0 nm", "m", "nm",
                               0.0, 1e-4),
    "coating_material": Field("text", "coating material (library, kind coating), with coating_thickness > 0", None),
    "sei_material": Field("text", "SEI on every particle (library, kind sei) for the SEI indicator "
                                  "sei_strain_util = surface strain / its elastic strain limit (the film is not "
                                  "meshed)", "sei-carbonate"),
    "binder": Field("text", "binder material (library, kind binder): the homogenised carbon-binder domain", "PVDF"),
    **BINDER_KEYS,
    "top": Field("choice", "top boundary: free, stack pressure, or a fixed gap (u_z = 0)", "free",
                 choices=("free", "pressure", "gap")),
    "stack_pressure": Field("quantity", "pressure on the top (top = \"pressure\")", "0 MPa", "Pa", "MPa", 0.0, 1e9),
    "porosity": Field("number", "initial electrode porosity (pores in the carbon-binder domain, fraction of the "
                                "electrode volume; its volume change goes to the pores)", 0.3, lo=0.0, hi=1.0,
                      hi_open=True),
    "kinetics": Field("choice", "surface kinetics of every particle at the one electrode potential: the current "
                                "shared by area (uniform) or by Butler-Volmer", "butler-volmer",
                      choices=KINETICS),
    "initial_soc": Field("number", "initial filling fraction of every particle", 0.01, lo=0.0, hi=1.0),
    "radial_nodes": Field("int", "nodes along each particle's radius (its diffusion)", 21, lo=3, hi=2001),
    "dt": Field("quantity", "largest time step (a protocol step's dt overrides it)", "60 s", "s", "s", 0.0, 1e6,
                lo_open=True),
    "mesh_size": Field("quantity", "element size far from the particles", "1.5 um", "m", "um", 0.0, 1e-3,
                       lo_open=True),
    "surface_mesh_size": Field("quantity", "element size at the particle surfaces", "0.6 um", "m", "um", 0.0,
                               1e-3, lo_open=True),
    "order": Field("int", "displacement element degree (and geometry order)", 1, lo=1, hi=2),
    "mechanics": Field("choice", "small-strain (linear elastic phases, eigenstrain) or finite-strain (compressible "
                                 "neo-Hookean phases with the particles' chemical stretch: full lithiation of Si)",
                       "small-strain", choices=("small-strain", "finite-strain")),
    **PORE_KEYS,
    **INTERFACE_KEYS,
}
"""The keys of [electrode]: kind, unit, default, range."""

OUTPUT: dict[str, Field] = {
    "render": Field("bool", "render the history plots and the cut through the electrode at the end", True),
    "checkpoint_every": Field("int", "time steps between checkpoints (0: only at the end of each protocol step)", 10,
                              lo=0, hi=10**6),
}
"""The keys of [output] an electrode case takes."""

UNSUPPORTED_STEP_KEYS = ("until_voltage", "until_current", "until_capacity")
"""Protocol cut-offs the electrode run does not locate (refused before meshing)."""

TOP = {"title": Field("text", "one-line title of the case", ""),
       "description": Field("text", "what the case shows", "")}


@dataclass(frozen=True)
class ElectrodeOutput:
    """What an electrode run writes besides its tables: pictures at the end, checkpoints."""

    render: bool = True
    checkpoint_every: int = 10


@dataclass(frozen=True)
class ElectrodeCase:
    """A checked electrode case, SI units (m, Pa); `particle` and `binder` resolved materials,
    `protocol` the steps (cycles unrolled, `case.model.Step`), `raw` the tree as given."""

    title: str
    description: str
    values: dict[str, Any]
    particle: Material
    binder: Material
    protocol: tuple = ()
    output: ElectrodeOutput = ElectrodeOutput()
    raw: dict = field(default_factory=dict)
    coating: Material | None = None
    sei: Material | None = None
    interface: Interface | None = None

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


def semi_axes(values: dict) -> tuple[float, float, float]:
    """(equatorial semi-axis, polar semi-axis, the larger) over the equal-volume radius of the
    particle template: (1, 1, 1) for spheres, (ar^(-1/3), ar^(2/3), max) for ellipsoids."""
    ar = values["aspect_ratio"] if values["shape"] == "ellipsoid" else 1.0
    a, c = ar ** (-1 / 3), ar ** (2 / 3)
    return a, c, max(a, c)


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
        if isinstance(val, dict) and name not in ("electrode", "protocol", "output"):
            raise CaseError(name, "[section]", "is not a section of an electrode case ([electrode], [protocol], "
                                               "[output])")
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
    sei = _material("electrode.sei_material", v["sei_material"], "sei")
    if "elastic_strain_limit" not in sei.values:
        raise CaseError("electrode.sei_material", sei.name, "has no elastic_strain_limit for the SEI indicator")
    coating = None
    if v["coating_thickness"] > 0:
        if v["coating_material"] is None:
            raise CaseError("electrode.coating_material", REQUIRED, "is required with electrode.coating_thickness > 0")
        coating = _material("electrode.coating_material", v["coating_material"], "coating")
    elif v["coating_material"] is not None:
        raise CaseError("electrode.coating_material", v["coating_material"],
                        "needs electrode.coating_thickness > 0 (a coating of zero thickness is no coating)")
    binder = resolve_binder(v, raw, _material("electrode.binder", v["binder"], "binder"))
    if (v["shape"] == "hollow") != (v["void_fraction"] > 0):
        raise CaseError("electrode.void_fraction", v["void_fraction"], 'must be > 0 exactly when electrode.shape = '
                                                                       '"hollow" (the cavity of a hollow particle)')
    check_pores(v)
    if v["shape"] != "ellipsoid" and v["aspect_ratio"] != 1.0:
        raise CaseError("electrode.aspect_ratio", v["aspect_ratio"], 'needs electrode.shape = "ellipsoid"')
    if v["shape"] == "ellipsoid" and v["coating_thickness"] > 0:
        raise CaseError("electrode.coating_thickness", ELECTRODE["coating_thickness"].dump(v["coating_thickness"]),
                        'must be 0 with electrode.shape = "ellipsoid" (coated ellipsoids are not built: the offset '
                        "of an ellipsoid is no ellipsoid); use spheres for coated particles")
    r_max = v["radius"] * (1.5 if v["radius_sd"] > 0 else 1.0) * semi_axes(v)[2] + v["coating_thickness"]
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
    if v["porosity"] >= 1 - v["active_fraction"]:
        raise CaseError("electrode.porosity", v["porosity"], f"must be below 1 - active_fraction = "
                                                             f"{1 - v['active_fraction']:.3g} (the pores lie in the binder)")
    needed = ["diffusivity", "max_concentration", "partial_molar_volume", "exchange_current_density"]
    for prop in needed:
        if prop not in particle.values:
            raise CaseError("electrode.material", particle.name, f"has no {prop}; choose an active material with it")
    if particle.ocp is None:
        raise CaseError("electrode.material", particle.name, "has no open-circuit potential")
    interface = patch_interface(v, raw)
    protocol = _protocol(tree, v)
    out = check_section(tree, "output", OUTPUT)
    return ElectrodeCase(top["title"], top["description"], v, particle, binder, protocol,
                         ElectrodeOutput(out["render"], out["checkpoint_every"]), copy.deepcopy(tree), coating, sei,
                         interface)


def _protocol(tree: dict, v: dict) -> tuple:
    """The protocol steps (those of a particle case); the cut-offs the electrode run cannot
    locate and holds without Butler-Volmer kinetics are refused."""
    from seifem.case.protocol import parse_steps

    if "protocol" not in tree:
        raise CaseError("protocol", REQUIRED, 'is required, e.g. [protocol] steps = ["Lithiate at C/2 until soc 0.05"]')
    steps = parse_steps(tree, v["dt"])
    n = len(steps) // steps[-1].cycle
    for i, st in enumerate(steps[:n]):
        for key in UNSUPPORTED_STEP_KEYS:
            if getattr(st, key) is not None:
                raise CaseError(f"protocol.steps.{i}.{key}", tree["protocol"]["steps"][i],
                                "is not available in an electrode case; end the step by duration or until_soc")
        if st.mode == "hold" and v["kinetics"] != "butler-volmer":
            raise CaseError(f"protocol.steps.{i}.mode", "hold", 'a voltage hold needs electrode.kinetics = '
                                                                '"butler-volmer"')
    return steps


def load_electrode_case(path: str | Path, overrides: list[str] | None = None) -> ElectrodeCase:
    """Read and check an electrode case file (`--set key=value` overrides as for particle cases)."""
    return parse_electrode(load_tree(path, overrides))


def electrode_toml(case: ElectrodeCase) -> dict:
    """The resolved case as a TOML tree: every key with its unit, and the two materials' values
    with their sources."""

    tree: dict[str, Any] = {k: getattr(case, k) for k in TOP if getattr(case, k)}
    tree["electrode"] = {k: f.dump(case.values[k]) for k, f in ELECTRODE.items() if case.values[k] is not None}
    tree["protocol"] = protocol_table(case)
    tree["output"] = {k: f.dump(getattr(case.output, k)) for k, f in OUTPUT.items()}
    tree["materials"] = {"particle": material_table(case.particle), "binder": material_table(case.binder),
                         "sei": material_table(case.sei),
                         **({"coating": material_table(case.coating)} if case.coating is not None else {})}
    return tree

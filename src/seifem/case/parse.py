"""Validate a case tree and resolve it to a `Case` in SI units.

    case = load_case("cases/si_coated.toml", overrides=['coating.thickness="20 nm"'])

Every rank parses the same file and raises the same `CaseError`, so a bad case ends an MPI
job on all ranks alike, before any mesh is built. `Case` is frozen and holds SI values.
"""

from __future__ import annotations

import copy
import logging
from pathlib import Path

import seifem.materials as materials
from seifem.case.bounds import check_bounds
from seifem.case.fields import Field, check_value, suggest
from seifem.case.fracture import parse_fracture
from seifem.case.interface import parse_interface
from seifem.case.model import Case, Electrochemistry, Layer, Output, Particle, Physics, Solver
from seifem.case.protocol import check_dt_min, check_swelling, check_electrochemistry, parse_steps
from seifem.case.schema import PROBE, SECTIONS, SEI_MAX_THICKNESS_RATIO, SEI_THIN_RATIO, check_section
from seifem.case.cycling import cycle_of
from seifem.case.sei_layers import apply_layers, check_laws_in_3d, check_resolved_layers
from seifem.case.shape import Geometry, outer_extent, parse_geometry
from seifem.case.tree import load_tree
from seifem.case.usage import refuse_unused
from seifem.errors import REQUIRED, CaseError
from seifem.materials import Material

__all__ = ["load_case", "parse_case"]

log = logging.getLogger(__name__)


def load_case(path: str | Path, overrides: list[str] | None = None) -> Case:
    """Read a case file, apply `key=value` overrides and validate it."""
    return parse_case(load_tree(path, overrides), base_dir=Path(path).parent)



def _material(section: str, values: dict, kind: str, default: str | None = None) -> Material:
    name = values.get("material") or default
    if name is None:
        raise CaseError(f"{section}.material", REQUIRED, f"is required; one of {', '.join(materials.names(kind))}")
    try:
        mat = materials.get(name)
    except materials.MaterialError:
        mat = None
    if mat is None or mat.kind != kind:
        options = materials.names(kind)
        raise CaseError(f"{section}.material", name,
                        f"must be {'an' if kind[0] in 'aeiou' else 'a'} {kind} material from the library: {', '.join(options)}{suggest(name, options)}")
    overrides = {k: v for k, v in values.items() if k in materials.PROPERTIES and v is not None}
    mat = mat.with_overrides(overrides)
    missing = [k for k in _needed(kind) if k not in mat.values]
    if missing:
        raise CaseError(f"{section}.{missing[0]}", REQUIRED, f"material {name!r} has no value for it; set it in [{section}]")
    return mat


def _needed(kind: str) -> tuple[str, ...]:
    return {"active": ("youngs_modulus", "poisson_ratio", "diffusivity", "max_concentration", "partial_molar_volume"),
            "coating": ("youngs_modulus", "poisson_ratio"),
            "sei": ("youngs_modulus", "poisson_ratio")}[kind]


def _probes(tree: dict) -> dict[str, tuple[float, float, float]]:
    raw = tree.get("output", {}).get("probes", {})
    if not isinstance(raw, dict):
        raise CaseError("output.probes", raw, 'must be a table of name = ["x", "y", "z"] points')
    return {name: check_value(f"output.probes.{name}", p, PROBE) for name, p in raw.items()}


def parse_case(tree: dict, base_dir: Path | None = None) -> Case:
    """Validate a parsed TOML tree and return the resolved `Case` (raises `CaseError`).

    base_dir: the case file's folder, where a relative geometry.file is looked for first. A
    tree with an [electrode] section is an electrode case (`case.electrode.ElectrodeCase`)."""
    if "electrode" in tree:
        from seifem.case.electrode import parse_electrode

        return parse_electrode(tree)
    for name, val in tree.items():
        if name in SECTIONS[""]:
            check_value(name, val, SECTIONS[""][name])
        elif isinstance(val, dict) and (name not in SECTIONS or not name) and name != "protocol":
            raise CaseError(name or '""', "[section]", f"unknown section{suggest(name, [s for s in SECTIONS if s] + ['protocol'])}")
        elif not isinstance(val, dict) and name == "protocol":
            raise CaseError(name, val, "must be a table with [[protocol.steps]]")
        elif not isinstance(val, dict) and name in SECTIONS and not (name == "coating" and isinstance(val, list)):
            raise CaseError(name, val, f"must be a [{name}] section (a table of keys)")
    top = check_section(tree, "", SECTIONS[""])
    part = check_section(tree, "particle", SECTIONS["particle"])
    sei = check_section(tree, "sei", SECTIONS["sei"]) if "sei" in tree else None
    geo = check_section(tree, "geometry", SECTIONS["geometry"])
    sol = check_section(tree, "solver", SECTIONS["solver"])
    phy = check_section(tree, "physics", SECTIONS["physics"])
    ech = check_section(tree, "electrochemistry", SECTIONS["electrochemistry"])
    out = check_section(tree, "output", SECTIONS["output"], extra=("probes",))

    factors = {k[:-len("_factor")]: v for k, v in part.items() if k.endswith("_factor") and v is not None}
    particle = Particle(_material("particle", part, "active"), part["radius"], part["initial_soc"], factors,
                        part["expansion"])
    if particle.expansion == "phases":
        from seifem.materials.phases import VOLUME_CURVES

        if particle.material.name not in VOLUME_CURVES:
            raise CaseError("particle.expansion", "phases", f"{particle.material.name} has no per-phase volume "
                                                            f"curve; materials with one: {', '.join(VOLUME_CURVES)}")
    coatings = _coatings(tree)
    shell = _shell(tree)

    R = particle.radius
    for i, layer in enumerate(coatings):
        if layer.thickness >= R:
            key = "coating.thickness" if isinstance(tree["coating"], dict) else f"coating.{i}.thickness"
            raw = tree["coating"]["thickness"] if isinstance(tree["coating"], dict) else tree["coating"][i]["thickness"]
            raise CaseError(key, raw, f"a coating must be thinner than the particle radius ({R * 1e6:g} um)")
    outer = R + sum(c.thickness for c in coatings) + (shell.gap + shell.thickness if shell else 0.0)
    layered = apply_layers(tree, sei, _material("sei", sei, "sei"), particle.material.ion, outer,
                           SEI_MAX_THICKNESS_RATIO, SEI_THIN_RATIO) if sei is not None else {}
    sei_layer = Layer(layered.pop("material"), layered.pop("thickness"), "sei") if sei is not None else None
    if "sei_regions" in layered:
        layered["sei_regions"] = tuple(Layer(*region) for region in layered["sei_regions"])
    if sei is not None:
        sei["thickness"] = sei_layer.thickness
    sei_model = _sei_model(tree, sei, outer) if sei is not None else "none"
    sei_growth = sei["growth"] if sei is not None else "none"
    geometry = parse_geometry(tree, geo, R, base_dir)
    _check_design(tree, geometry, shell, sei_model, phy)
    if sei_model == "resolved" and geometry.inner_radius > 0 and geometry.inner_surface == "open":
        raise CaseError("sei.model", "resolved", "a resolved SEI is meshed on the outer surface only; with an open "
                                                 "cavity use sei.model = \"membrane\"")
    solver = Solver(sol["dt"], sol["degree"], sol["time_scheme"], sol["rtol"], sol["contact_penalty"], sol["max_cells"],
                    sol["max_steps"], sol["cycle_jump"], sol["adaptive"], sol["time_rtol"], sol["dt_min"],
                    sol["coupling_solver"])
    if geometry.shape == "yolk-shell" and geometry.order == 1 and solver.degree == 2:
        # on straight cells the P2 edge nodes of yolk and shell surface are not radial partners
        raise CaseError("geometry.order", 1, "yolk-shell contact with solver.degree = 2 pairs the yolk's surface "
                                             "nodes with the shell's along radii, which needs curved cells; use "
                                             "geometry.order = 2 or solver.degree = 1")
    protocol = parse_steps(tree, solver.dt)
    check_dt_min(tree, solver, protocol)
    probes = _probes(tree)
    extent = outer_extent(geometry, R, outer)
    for name, p in probes.items():
        if sum(x * x for x in p) ** 0.5 > extent * (1 + 1e-9):
            raise CaseError(f"output.probes.{name}", tree["output"]["probes"][name],
                            f"must lie inside the particle (|x| <= {extent * 1e6:g} um)")
    output = Output(tuple(out["field_times"]), probes, out["render"], out["fields"], out["checkpoint_every"])
    physics = Physics(phy["mechanics"], phy["plasticity"], phy["coupling"], phy["temperature"])
    nonlinear = physics.mechanics == "finite-strain" or physics.plasticity
    if physics.coupling == "two-way" and nonlinear:
        raise CaseError("physics.coupling", "two-way", "two-way coupling is implemented for small-strain elasticity; "
                                                       "set physics.mechanics = \"small-strain\", plasticity = false")
    if physics.coupling == "two-way" and (geometry.domain == "full" or geometry.model != "3d"):
        raise CaseError("physics.coupling", "two-way", "two-way coupling needs geometry.model = \"3d\" and "
                                                       "geometry.domain = \"octant\"")
    if nonlinear and geometry.domain == "full" and geometry.model == "3d":
        raise CaseError("geometry.domain", "full", "finite strain and plasticity are solved on the octant model; "
                                                   "use geometry.domain = \"octant\"")
    if particle.expansion == "phases" and physics.coupling == "two-way":
        raise CaseError("particle.expansion", "phases", "two-way coupling drifts ions with one partial molar "
                                                        "volume; use the linear expansion with it")
    if particle.expansion == "phases" and physics.mechanics == "finite-strain":
        raise CaseError("particle.expansion", "phases", "the per-phase expansion is implemented at small strain; "
                                                        "set physics.mechanics = \"small-strain\"")
    if physics.mechanics == "finite-strain" and geometry.model not in ("3d", "1d", "2d"):
        raise CaseError("geometry.model", geometry.model, "finite strain needs geometry.model = \"3d\", \"1d\" or "
                                                          "\"2d\" (the 2d-plane cross-section is small strain)")
    if physics.plasticity and geometry.model not in ("3d", "1d", "2d"):
        raise CaseError("geometry.model", geometry.model, "plasticity needs geometry.model = \"3d\", \"1d\" or \"2d\" "
                                                          "(the 2d-plane cross-section is elastic)")
    echem = Electrochemistry(ech["kinetics"], ech["transfer_coefficient"])
    check_electrochemistry(protocol, echem, particle, geometry, physics, tree["protocol"]["steps"])
    check_swelling(protocol, particle, tree["protocol"]["steps"])
    for prop in particle.factors:
        key = f"particle.{prop}_factor"
        models = {"diffusivity": ("3d", "2d", "1d"), "yield_stress": ("3d", "2d", "1d")}.get(prop, ("3d",))
        if geometry.model not in models:
            where = {"diffusivity": "3d and in the 2d and 1d twins",
                     "yield_stress": "3d and in the 2d and 1d twins"}.get(prop, "3d")
            raise CaseError(key, tree["particle"][f"{prop}_factor"], f"is solved in {where}; set geometry.model "
                                                                     f"= \"3d\"")
        if prop == "yield_stress" and not (physics.plasticity and "yield_stress" in particle.material.values):
            raise CaseError(key, tree["particle"][f"{prop}_factor"], "needs physics.plasticity = true and a "
                                                                     "particle yield_stress")
        if prop == "poisson_ratio":
            nu = particle.material.si("poisson_ratio")
            worst = max(nu * f for _, f in particle.factors[prop])
            if worst >= 0.499:
                raise CaseError(key, tree["particle"][f"{prop}_factor"], f"makes the Poisson ratio {worst:g} "
                                                                         f"(must stay < 0.499)")
    if sei_model == "membrane" and geometry.model == "2d-plane":
        raise CaseError("sei.model", "membrane", "the 2d-plane cross-section meshes its SEI; set sei.model = "
                                                 "\"resolved\" or remove [sei]")
    if sei_growth != "none" and (sei_model != "membrane" or geometry.model == "2d-plane"):
        raise CaseError("sei.growth", sei_growth, "SEI growth is modelled for the membrane SEI of 3d runs and of "
                                                  "1d/2d cycle-life runs; set sei.model = \"membrane\" and "
                                                  "geometry.model = \"3d\", \"2d\" or \"1d\"")
    if solver.cycle_jump and sei_growth == "none":
        raise CaseError("solver.cycle_jump", solver.cycle_jump, "cycle jumping extrapolates the growing SEI's state; "
                                                                "set sei.growth, or solver.cycle_jump = 0")
    if sei_growth != "none" and geometry.model in ("1d", "2d"):
        cycle_of(protocol)  # a cycle-life run: one repeated cycle (CaseError naming protocol.steps)
        if solver.adaptive:
            raise CaseError("solver.adaptive", True, "a cycle-life run (geometry.model = \"1d\" or \"2d\" with sei.growth) "
                                                     "takes its own steps per half cycle; leave solver.adaptive false")
    check_resolved_layers(layered.get("sei_regions", ()), geometry.model, tree, physics.plasticity)
    fracture = None
    if "fracture" in tree:
        fracture = parse_fracture(tree, check_section(tree, "fracture", SECTIONS["fracture"]), particle, coatings,
                                  sei_layer, sei_model, geometry, physics)
    interface = None
    if "interface" in tree:
        interface = parse_interface(tree, check_section(tree, "interface", SECTIONS["interface"]),
                                    coatings + ((sei_layer,) if sei_model == "resolved" and sei_layer else ()), geometry,
                                    physics, fracture)
    raw = copy.deepcopy(tree)
    if geometry.shape == "file":  # the resolved path: a run directory's input.toml is read from elsewhere
        raw["geometry"]["file"] = geometry.file
    case = Case(top["title"], top["description"], particle, coatings, sei_layer, sei_model, sei_growth, geometry,
                protocol, physics, solver, output, raw=raw, electrochemistry=echem,
                sei_potential=sei["electrode_potential"] if sei is not None else 0.1, shell=shell, fracture=fracture,
                interface=interface, **layered)
    refuse_unused(tree, case)
    check_laws_in_3d(case)
    check_bounds(case, tree)
    return case


def _sei_model(tree: dict, sei: dict, outer: float) -> str:
    """"membrane" or "resolved" for the SEI of thickness sei["thickness"] on radius `outer` (m)."""
    h, model = sei["thickness"], sei["model"]
    given = tree["sei"].get("thickness", f"{h * 1e9:g} nm")  # a layered SEI may leave it out (the layers' total)
    if model == "auto":
        model = "membrane" if h <= SEI_THIN_RATIO * outer else "resolved"
    if model == "membrane" and h > SEI_MAX_THICKNESS_RATIO * outer:
        raise CaseError("sei.thickness", given,
                        f"the thin-layer SEI model needs thickness <= {SEI_MAX_THICKNESS_RATIO:g} x outer radius "
                        f"= {SEI_MAX_THICKNESS_RATIO * outer * 1e9:g} nm; use sei.model = \"resolved\"")
    if model == "membrane" and h > SEI_THIN_RATIO * outer:
        log.warning("sei.thickness = %s is %.1f %% of the radius: the membrane model's error is of that order; "
                    "sei.model = \"resolved\" meshes the film", given, 100 * h / outer)
    if model == "resolved" and h >= outer:
        raise CaseError("sei.thickness", given, f"must be thinner than the particle ({outer * 1e6:g} um)")
    return model


def _coatings(tree: dict) -> tuple[Layer, ...]:
    """[coating] (one layer) or [[coating]] (several, inside out); thickness 0 means none."""
    raw = tree.get("coating")
    if raw is None:
        return ()
    if isinstance(raw, dict):
        entries = [("coating", raw)]
    elif isinstance(raw, list) and raw and all(isinstance(c, dict) for c in raw):
        entries = [(f"coating.{i}", c) for i, c in enumerate(raw)]
    else:
        raise CaseError("coating", raw, "must be a [coating] table or a list of [[coating]] tables (inside out)")
    fields = {**SECTIONS["coating"], "name": Field("text", "region name of the layer", "")}
    layers = []
    for i, (label, c) in enumerate(entries):
        v = check_section({"c": c}, "c", fields, label=label)
        if v["thickness"] <= 0:
            continue
        name = v["name"] or ("coating" if len(entries) == 1 else f"coating{i + 1}")
        if not name.isidentifier() or name == "core" or name in [layer.name for layer in layers]:
            raise CaseError(f"{label}.name", name, "must be a unique identifier other than 'core' (letters, digits, _)")
        layers.append(Layer(_material(label, v, "coating"), v["thickness"], name))
    return tuple(layers)


def _shell(tree: dict) -> Layer | None:
    """[shell]: the shell of a yolk-shell particle, across a void from the core."""
    raw = tree.get("shell")
    if raw is None:
        return None
    v = check_section(tree, "shell", SECTIONS["shell"])
    return Layer(_material("shell", v, "coating"), v["thickness"], "shell", gap=v["gap"])


def _check_design(tree: dict, geometry: Geometry, shell: Layer | None, sei_model: str, phy: dict) -> None:
    """Combinations of shape, layers and physics that seifem cannot build or solve."""
    shape = geometry.shape
    if (shell is not None) != (shape == "yolk-shell"):
        if shell is not None:
            raise CaseError("shell", "[shell]", "is the shell of a yolk-shell particle: set geometry.shape = "
                                                "\"yolk-shell\" or remove [shell]")
        raise CaseError("shell", REQUIRED, "geometry.shape = \"yolk-shell\" needs a [shell] section (material, "
                                           "thickness, gap)")
    if shape == "yolk-shell" and phy["mechanics"] != "small-strain":
        raise CaseError("physics.mechanics", phy["mechanics"], "yolk-shell contact is implemented at small strain; use "
                                                               "physics.mechanics = \"small-strain\"")
    if shape == "yolk-shell" and phy["coupling"] == "two-way":
        raise CaseError("physics.coupling", "two-way", "yolk-shell contact is solved with one-way coupling; use "
                                                       "physics.coupling = \"one-way\"")
    open_pores = shape == "porous" and geometry.pores == "open"
    if sei_model == "resolved" and open_pores:
        raise CaseError("sei.model", "resolved", "a resolved SEI is meshed on the outer surface only; with open pores "
                                                 "use sei.model = \"membrane\"")

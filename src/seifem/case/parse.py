"""Case files: load TOML, apply `--set key=value` overrides, validate, resolve to SI.

    case = load_case("cases/si_coated.toml", overrides=["coating.thickness=20nm"])

Every rank parses the same file and raises the same `CaseError`, so a bad case ends an MPI
job on all ranks alike, before any mesh is built. `Case` is frozen and holds SI values.
"""

from __future__ import annotations

import copy
import logging
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from seifem import materials
from seifem.case.bounds import MAX_CASE_BYTES, check_bounds, regular_file
from seifem.case.schema import SECTIONS, STEP, Field, check_value, suggest
from seifem.case.usage import refuse_unused
from seifem.case.shape import Geometry, outer_extent, parse_geometry
from seifem.errors import REQUIRED, CaseError
from seifem.materials import Material

__all__ = ["Case", "Particle", "Layer", "Geometry", "Step", "Physics", "Solver", "Output", "Electrochemistry", "CaseError",
           "load_case", "load_tree", "parse_case", "resolved_toml", "set_key", "split_override", "toml_value"]

SEI_MAX_THICKNESS_RATIO = 0.1
"""The thin-layer (membrane) SEI needs thickness <= this fraction of the outer radius."""

SEI_THIN_RATIO = 0.02
"""Above this thickness / radius the membrane's O(h/R) error is worth a resolved layer: the
automatic choice switches, and an explicit membrane gets a warning."""

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Particle:
    """Active (ion-storing) core: material with case overrides, radius (m), initial c/c_max,
    and concentration dependences: property -> (theta, factor) points ("diffusivity",
    "youngs_modulus", "poisson_ratio", "yield_stress"; absent: constant)."""

    material: Material
    radius: float
    initial_soc: float
    factors: dict[str, tuple[tuple[float, float], ...]] = field(default_factory=dict)

    @property
    def diffusivity_factor(self) -> tuple[tuple[float, float], ...] | None:
        return self.factors.get("diffusivity")


@dataclass(frozen=True)
class Layer:
    """A coating, shell or SEI layer: material, thickness (m), region name, and the width (m)
    of a void under it (0: bonded to the layer below; > 0: the shell of a yolk-shell)."""

    material: Material
    thickness: float
    name: str = ""
    gap: float = 0.0


@dataclass(frozen=True)
class Step:
    """One protocol step: mode "lithiate" / "delithiate" (constant current c_rate, 1/h), "hold"
    (constant `voltage`, V) or "rest"; ends at `duration` (s) or at the first cut-off reached:
    until_soc (mean filling fraction), until_voltage (V), until_current (C-rate magnitude, 1/h,
    holds), until_capacity (charge passed in the step per mass of active material, mAh/g).
    dt: largest time step (s)."""

    mode: str
    c_rate: float
    duration: float | None
    until_soc: float | None
    dt: float
    cycle: int = 1
    voltage: float | None = None
    until_voltage: float | None = None
    until_current: float | None = None
    until_capacity: float | None = None


@dataclass(frozen=True)
class Electrochemistry:
    """Surface kinetics: "uniform", "butler-volmer" or "none"; anodic transfer coefficient."""

    kinetics: str = "uniform"
    transfer_coefficient: float = 0.5


@dataclass(frozen=True)
class Physics:
    """Model choices: mechanics ("small-strain" / "finite-strain"), J2 plasticity, coupling
    ("one-way" / "two-way"), temperature (K)."""

    mechanics: str
    plasticity: bool
    coupling: str
    temperature: float


@dataclass(frozen=True)
class Solver:
    """Discretisation: largest time step (s), element degree, time scheme, linear rtol,
    contact penalty factor (yolk-shell)."""

    dt: float
    degree: int
    time_scheme: str
    rtol: float
    contact_penalty: float = 100.0
    max_cells: int = 2_000_000
    max_steps: int = 200_000


@dataclass(frozen=True)
class Output:
    """What to write: field times (s), named probe points (m), whether to render and write
    fields, time steps between checkpoints."""

    field_times: tuple[float, ...]
    probes: dict[str, tuple[float, float, float]]
    render: bool
    fields: bool
    checkpoint_every: int


@dataclass(frozen=True)
class Case:
    """A validated case in SI units. `raw` is the resolved TOML tree (for the run directory)."""

    title: str
    description: str
    particle: Particle
    coatings: tuple[Layer, ...]
    sei: Layer | None
    sei_model: str
    sei_growth: str
    geometry: Geometry
    protocol: tuple[Step, ...]
    physics: Physics
    solver: Solver
    output: Output
    raw: dict
    electrochemistry: Electrochemistry = Electrochemistry()
    sei_potential: float = 0.1
    """Electrode potential phi_s - phi_e (V) of the reaction-limited SEI growth law, while no
    voltage is computed (electrochemistry.kinetics = "none")."""
    shell: Layer | None = None

    @property
    def shells(self) -> tuple[Layer, ...]:
        """The meshed layers outside the core, inside out: the coatings, the shell of a
        yolk-shell (across its void) and a resolved SEI."""
        return self.coatings + ((self.shell,) if self.shell else ()) + ((self.sei,) if self.sei_model == "resolved" else ())

    @property
    def solid_layers(self) -> tuple[Layer, ...]:
        """The layers with the coating failure indicators: the coatings and a yolk-shell's shell."""
        return self.coatings + ((self.shell,) if self.shell else ())

    @property
    def outer_radius(self) -> float:
        """Radius of the particle including its coatings, a yolk-shell's void and shell (m);
        the SEI membrane sits there (for other shapes: core radius plus the layer thicknesses)."""
        shell = self.shell.gap + self.shell.thickness if self.shell else 0.0
        return self.particle.radius + sum(c.thickness for c in self.coatings) + shell


# --------------------------------------------------------------------------- loading

def load_case(path: str | Path, overrides: list[str] | None = None) -> Case:
    """Read a case file, apply `key=value` overrides and validate it."""
    return parse_case(load_tree(path, overrides), base_dir=Path(path).parent)


def load_tree(path: str | Path, overrides: list[str] | None = None) -> dict:
    """The TOML tree of a case file with `key=value` overrides applied, not yet validated."""
    path = Path(path)
    regular_file(path, "case file", MAX_CASE_BYTES)  # a FIFO or a device is refused without reading it
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CaseError("case file", str(path), "no such file") from None
    except UnicodeDecodeError as exc:
        raise CaseError("case file", str(path), f"is not UTF-8 text (byte {exc.object[exc.start]:#04x} at offset {exc.start}); "
                                                "save it as UTF-8") from None
    except (OSError, ValueError) as exc:
        raise CaseError("case file", str(path), f"cannot be read ({exc.__class__.__name__})") from None
    try:
        tree = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CaseError("case file", str(path), f"is not valid TOML: {exc}") from None
    except RecursionError:
        raise CaseError("case file", str(path), "is not valid TOML: nested too deeply") from None
    except ValueError:  # what tomllib does not catch itself, e.g. an integer of more than 4300 digits
        raise CaseError("case file", str(path), "is not valid TOML: a number too long to read") from None
    for item in overrides or []:
        apply_override(tree, item)
    return tree


def split_override(item: str, option: str = "--set") -> tuple[str, str]:
    """`section.key=value` -> (key, value text); raises CaseError naming `option` if malformed,
    or if it holds a line break or another control character (one key, one value, one line)."""
    if any(not c.isprintable() and c != "\t" for c in item):
        raise CaseError(option, item, "must be one key=value on one line (no line breaks or control characters), "
                                      'e.g. coating.thickness="20 nm"; give one --set per key')
    key, sep, text = item.partition("=")
    key = key.strip()
    if not sep or not key or not all(p.strip() for p in key.split(".")):
        raise CaseError(option, item, 'must look like section.key=value, e.g. coating.thickness="20 nm"')
    return key, text


def toml_value(text: str, option: str = "--set", item: str | None = None) -> Any:
    """An override's value: read as one TOML value if it can be ("20 nm" with quotes, 0.5, true),
    else the text. Anything beyond one value (more TOML) is refused naming `option`."""
    if any(not c.isprintable() and c != "\t" for c in text):
        raise CaseError(option, item if item is not None else text, "must be one TOML value on one line")
    try:
        tree = tomllib.loads(f"v = {text}")
    except (ValueError, RecursionError):  # TOMLDecodeError, or a value TOML cannot hold: keep the text
        if text.strip()[:1] in ("\"", "'", "[", "{"):  # meant as TOML, but not one value
            raise CaseError(option, item if item is not None else text, "must be one key=value whose value is one "
                                                                        "TOML value, e.g. coating.thickness=\"20 nm\"") from None
        return text.strip()
    if list(tree) != ["v"]:
        raise CaseError(option, item if item is not None else text, "must be one key=value whose value is one TOML "
                                                                    "value; give one --set per key")
    return tree["v"]


def apply_override(tree: dict, item: str) -> None:
    """Apply one `section.key=value` override in place; the value is read as TOML if it can be."""
    key, text = split_override(item)
    set_key(tree, key, toml_value(text, "--set", item))


def set_key(tree: dict, key: str, value: Any) -> None:
    """Set the dotted case key (`coating.thickness`, `protocol.steps.0.c_rate`) in place."""
    parts = [p.strip() for p in key.split(".")]
    node: Any = tree
    for i, part in enumerate(parts[:-1]):
        nxt = parts[i + 1]
        if isinstance(node, list):
            node = node[_index(key, value, part, node)]
        elif isinstance(node, dict):
            node = node.setdefault(part, [] if nxt.isdigit() else {})
        else:
            raise CaseError(key, value, f"{'.'.join(parts[:i])} is not a section")
    last = parts[-1]
    if isinstance(node, list):
        node[_index(key, value, last, node)] = value
    elif isinstance(node, dict):
        node[last] = value
    else:
        raise CaseError(key, value, f"{'.'.join(parts[:-1])} is not a section")


def _index(key: str, value: Any, part: str, node: list) -> int:
    """`part` of an override key as an index into the list `node`."""
    if not (part.isascii() and part.isdigit() and len(part) < 10 and int(part) < len(node)):
        where = f"0..{len(node) - 1}" if node else "the list is empty"
        raise CaseError(key, value, f"list index {part!r} out of range ({where})")
    return int(part)


def _section(tree: dict, name: str, fields: dict[str, Field], extra: tuple[str, ...] = (),
             label: str | None = None) -> dict:
    """Validate one section: unknown keys, missing keys, each value. Returns SI values.

    `label` is the key path used in messages (default: the section name)."""
    raw = tree.get(name, {}) if name else {k: v for k, v in tree.items()
                                           if not isinstance(v, dict) and k not in SECTIONS and k != "protocol"}
    label = name if label is None else label
    if not isinstance(raw, dict):
        raise CaseError(label, raw, "must be a [section] table")
    prefix = f"{label}." if label else ""
    for key in raw:
        if key not in fields and key not in extra:
            other = [s for s, f in SECTIONS.items() if key in f and s]
            where = f' (it belongs in [{other[0]}])' if other else suggest(key, list(fields) + list(extra))
            allowed = ", ".join(list(fields) + list(extra))
            raise CaseError(f"{prefix}{key}", raw[key], f"unknown key{where}; allowed here: {allowed}")
    out = {}
    for key, f in fields.items():
        if key in raw:
            out[key] = check_value(prefix + key, raw[key], f)
        elif f.default is REQUIRED:
            raise CaseError(prefix + key, REQUIRED, f"is required ({f.doc})")
        elif isinstance(f.default, str) and f.kind == "quantity":
            out[key] = check_value(prefix + key, f.default, f)
        else:
            out[key] = copy.deepcopy(f.default)
    return out


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


def _steps(tree: dict, solver_dt: float) -> tuple[Step, ...]:
    proto = tree.get("protocol", {})
    if not isinstance(proto, dict):
        raise CaseError("protocol", proto, "must be a table with [[protocol.steps]]")
    for key in proto:
        if key not in ("steps", "cycles"):
            raise CaseError(f"protocol.{key}", proto[key],
                            f"unknown key{suggest(key, ['steps', 'cycles'])}; allowed here: steps, cycles")
    cycles = check_value("protocol.cycles", proto.get("cycles", 1),
                         Field("int", "repeat the steps this many times", 1, lo=1, hi=10000))
    raw_steps = proto.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise CaseError("protocol.steps", raw_steps if raw_steps is not None else REQUIRED,
                        'needs at least one [[protocol.steps]] table, e.g. mode = "lithiate", c_rate = "1 C", duration = "30 min"')
    for i, raw in enumerate(raw_steps):
        if not isinstance(raw, dict):
            raise CaseError(f"protocol.steps.{i}", raw, 'must be a [[protocol.steps]] table, e.g. mode = "lithiate", c_rate = "1 C", duration = "30 min"')
    steps = []
    for i, raw in enumerate(raw_steps):
        key = f"protocol.steps.{i}"
        v = _section({"s": raw}, "s", STEP, label=key)
        _check_step(key, raw, v)
        steps.append(Step(v["mode"], v["c_rate"] or 0.0, v["duration"], v["until_soc"], v["dt"] or solver_dt,
                          voltage=v["voltage"], until_voltage=v["until_voltage"], until_current=v["until_current"],
                          until_capacity=v["until_capacity"]))
    return tuple(replace(s, cycle=c) for c in range(1, cycles + 1) for s in steps)


_STEP_KEYS = {  # mode -> keys it may carry (besides mode and dt), and the keys that can end it
    "lithiate": ({"c_rate", "duration", "until_soc", "until_voltage", "until_capacity"},
                 ("duration", "until_soc", "until_voltage", "until_capacity")),
    "delithiate": ({"c_rate", "duration", "until_soc", "until_voltage", "until_capacity"},
                   ("duration", "until_soc", "until_voltage", "until_capacity")),
    "hold": ({"voltage", "duration", "until_current", "until_capacity"}, ("duration", "until_current", "until_capacity")),
    "rest": ({"duration"}, ("duration",)),
}


def _check_step(key: str, raw: dict, v: dict) -> None:
    """One protocol step's keys fit its mode: what it needs, what it may not carry."""
    mode = v["mode"]
    allowed, enders = _STEP_KEYS[mode]
    for k in STEP:
        if k not in ("mode", "dt") and v[k] is not None and k not in allowed:
            raise CaseError(f"{key}.{k}", raw.get(k), f"a {mode} step cannot have {k}; it takes "
                                                       f"{', '.join(sorted(allowed))}")
    if mode in ("lithiate", "delithiate") and v["c_rate"] is None:
        raise CaseError(f"{key}.c_rate", REQUIRED, f"a {mode} step needs a C-rate, e.g. \"1 C\"")
    if mode == "hold" and v["voltage"] is None:
        raise CaseError(f"{key}.voltage", REQUIRED, 'a hold step needs a voltage, e.g. "0.05 V"')
    if all(v[k] is None for k in enders):
        raise CaseError(f"{key}.duration", REQUIRED, f"a {mode} step needs one of {', '.join(enders)} to end it")


def _check_electrochemistry(protocol: tuple[Step, ...], echem: Electrochemistry, particle: Particle,
                            geometry: Geometry, physics: Physics, raw_steps: list) -> None:
    """Voltage cut-offs need a voltage, holds need Butler-Volmer kinetics, which is 3d and one-way."""
    n = len(raw_steps)
    for i, st in enumerate(protocol[:n]):
        key = f"protocol.steps.{i}"
        if echem.kinetics == "none" and (st.until_voltage is not None or st.mode == "hold"):
            what = "until_voltage" if st.until_voltage is not None else "mode"
            raise CaseError(f"{key}.{what}", raw_steps[i].get(what), "needs a voltage: set electrochemistry.kinetics "
                                                                     "= \"uniform\" or \"butler-volmer\"")
        if st.mode == "hold" and echem.kinetics != "butler-volmer":
            raise CaseError(f"{key}.mode", "hold", "a voltage hold needs electrochemistry.kinetics = "
                                                   "\"butler-volmer\" (the current is then an unknown)")
    if echem.kinetics == "none":
        return
    mat = particle.material
    if mat.ocp is None:
        raise CaseError("electrochemistry.kinetics", echem.kinetics, f"material {mat.name!r} has no open-circuit "
                                                                     "potential; use kinetics = \"none\"")
    if "exchange_current_density" not in mat.values:
        raise CaseError("particle.exchange_current_density", REQUIRED, f"material {mat.name!r} has none; set it")
    if echem.kinetics == "butler-volmer":
        if geometry.model != "3d":
            raise CaseError("electrochemistry.kinetics", "butler-volmer", "local Butler-Volmer kinetics are solved "
                                                                          "in 3d; the twins take \"uniform\"")
        if physics.coupling == "two-way":
            raise CaseError("electrochemistry.kinetics", "butler-volmer", "is not available with physics.coupling "
                                                                          "= \"two-way\"; use \"uniform\"")


def _probes(tree: dict) -> dict[str, tuple[float, float, float]]:
    from seifem.case.schema import Field as _F
    raw = tree.get("output", {}).get("probes", {})
    if not isinstance(raw, dict):
        raise CaseError("output.probes", raw, 'must be a table of name = ["x", "y", "z"] points')
    point = _F("point", "probe point")
    return {name: check_value(f"output.probes.{name}", p, point) for name, p in raw.items()}


def parse_case(tree: dict, base_dir: Path | None = None) -> Case:
    """Validate a parsed TOML tree and return the resolved `Case` (raises `CaseError`).

    base_dir: the case file's folder, where a relative geometry.file is looked for first."""
    for name, val in tree.items():
        if name in SECTIONS[""]:
            check_value(name, val, SECTIONS[""][name])
        elif isinstance(val, dict) and (name not in SECTIONS or not name) and name != "protocol":
            raise CaseError(name or '""', "[section]", f"unknown section{suggest(name, [s for s in SECTIONS if s] + ['protocol'])}")
        elif not isinstance(val, dict) and name == "protocol":
            raise CaseError(name, val, "must be a table with [[protocol.steps]]")
        elif not isinstance(val, dict) and name in SECTIONS and not (name == "coating" and isinstance(val, list)):
            raise CaseError(name, val, f"must be a [{name}] section (a table of keys)")
    top = _section(tree, "", SECTIONS[""])
    part = _section(tree, "particle", SECTIONS["particle"])
    sei = _section(tree, "sei", SECTIONS["sei"]) if "sei" in tree else None
    geo = _section(tree, "geometry", SECTIONS["geometry"])
    sol = _section(tree, "solver", SECTIONS["solver"])
    phy = _section(tree, "physics", SECTIONS["physics"])
    ech = _section(tree, "electrochemistry", SECTIONS["electrochemistry"])
    out = _section(tree, "output", SECTIONS["output"], extra=("probes",))

    factors = {k[:-len("_factor")]: v for k, v in part.items() if k.endswith("_factor") and v is not None}
    particle = Particle(_material("particle", part, "active"), part["radius"], part["initial_soc"], factors)
    coatings = _coatings(tree)
    shell = _shell(tree)
    sei_layer = Layer(_material("sei", sei, "sei"), sei["thickness"], "sei") if sei is not None else None

    R = particle.radius
    for i, layer in enumerate(coatings):
        if layer.thickness >= R:
            key = "coating.thickness" if isinstance(tree["coating"], dict) else f"coating.{i}.thickness"
            raw = tree["coating"]["thickness"] if isinstance(tree["coating"], dict) else tree["coating"][i]["thickness"]
            raise CaseError(key, raw, f"a coating must be thinner than the particle radius ({R * 1e6:g} um)")
    outer = R + sum(c.thickness for c in coatings) + (shell.gap + shell.thickness if shell else 0.0)
    sei_model = _sei_model(tree, sei, outer) if sei is not None else "none"
    sei_growth = sei["growth"] if sei is not None else "none"
    geometry = parse_geometry(tree, geo, R, base_dir)
    _check_design(tree, geometry, shell, sei_model, phy)
    if sei_model == "resolved" and geometry.inner_radius > 0 and geometry.inner_surface == "open":
        raise CaseError("sei.model", "resolved", "a resolved SEI is meshed on the outer surface only; with an open "
                                                 "cavity use sei.model = \"membrane\"")
    solver = Solver(sol["dt"], sol["degree"], sol["time_scheme"], sol["rtol"], sol["contact_penalty"], sol["max_cells"],
                    sol["max_steps"])
    if geometry.shape == "yolk-shell" and geometry.order == 1 and solver.degree == 2:
        # on straight cells the P2 edge nodes of yolk and shell surface are not radial partners
        raise CaseError("geometry.order", 1, "yolk-shell contact with solver.degree = 2 pairs the yolk's surface "
                                             "nodes with the shell's along radii, which needs curved cells; use "
                                             "geometry.order = 2 or solver.degree = 1")
    protocol = _steps(tree, solver.dt)
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
    if nonlinear and geometry.domain == "full":
        raise CaseError("geometry.domain", "full", "finite strain and plasticity are solved on the octant model; "
                                                   "use geometry.domain = \"octant\"")
    if nonlinear and geometry.model != "3d":
        raise CaseError("geometry.model", geometry.model, "finite strain and plasticity need geometry.model = \"3d\"")
    echem = Electrochemistry(ech["kinetics"], ech["transfer_coefficient"])
    _check_electrochemistry(protocol, echem, particle, geometry, physics, tree["protocol"]["steps"])
    for prop in particle.factors:
        key = f"particle.{prop}_factor"
        if geometry.model != "3d":
            raise CaseError(key, tree["particle"][f"{prop}_factor"], "concentration-dependent properties are "
                                                                     "solved in 3d; set geometry.model = \"3d\"")
        if prop == "yield_stress" and not (physics.plasticity and "yield_stress" in particle.material.values):
            raise CaseError(key, tree["particle"][f"{prop}_factor"], "needs physics.plasticity = true and a "
                                                                     "particle yield_stress")
        if prop == "poisson_ratio":
            nu = particle.material.si("poisson_ratio")
            worst = max(nu * f for _, f in particle.factors[prop])
            if worst >= 0.499:
                raise CaseError(key, tree["particle"][f"{prop}_factor"], f"makes the Poisson ratio {worst:g} "
                                                                         f"(must stay < 0.499)")
    if sei_growth != "none" and (sei_model != "membrane" or geometry.model != "3d"):
        raise CaseError("sei.growth", sei_growth, "SEI growth is modelled for the membrane SEI of 3d runs; set "
                                                  "sei.model = \"membrane\" and geometry.model = \"3d\"")
    raw = copy.deepcopy(tree)
    if geometry.shape == "file":  # the resolved path: a run directory's input.toml is read from elsewhere
        raw["geometry"]["file"] = geometry.file
    case = Case(top["title"], top["description"], particle, coatings, sei_layer, sei_model, sei_growth, geometry,
                protocol, physics, solver, output, raw=raw, electrochemistry=echem,
                sei_potential=sei["electrode_potential"] if sei is not None else 0.1, shell=shell)
    refuse_unused(tree, case)
    check_bounds(case, tree)
    return case


def _sei_model(tree: dict, sei: dict, outer: float) -> str:
    """"membrane" or "resolved" for the SEI of thickness sei["thickness"] on radius `outer` (m)."""
    h, model = sei["thickness"], sei["model"]
    if model == "auto":
        model = "membrane" if h <= SEI_THIN_RATIO * outer else "resolved"
    if model == "membrane" and h > SEI_MAX_THICKNESS_RATIO * outer:
        raise CaseError("sei.thickness", tree["sei"]["thickness"],
                        f"the thin-layer SEI model needs thickness <= {SEI_MAX_THICKNESS_RATIO:g} x outer radius "
                        f"= {SEI_MAX_THICKNESS_RATIO * outer * 1e9:g} nm; use sei.model = \"resolved\"")
    if model == "membrane" and h > SEI_THIN_RATIO * outer:
        log.warning("sei.thickness = %s is %.1f %% of the radius: the membrane model's error is of that order; "
                    "sei.model = \"resolved\" meshes the film", tree["sei"]["thickness"], 100 * h / outer)
    if model == "resolved" and h >= outer:
        raise CaseError("sei.thickness", tree["sei"]["thickness"], f"must be thinner than the particle ({outer * 1e6:g} um)")
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
        v = _section({"c": c}, "c", fields, label=label)
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
    v = _section(tree, "shell", SECTIONS["shell"])
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


# --------------------------------------------------------------------------- printing

def resolved_toml(case: Case) -> dict:
    """The resolved case as a TOML-ready tree with units, defaults and material sources."""
    def q(si, unit, display):
        from seifem.units import format_quantity
        return format_quantity(si, unit, display)

    def mat(m: Material) -> dict:
        from seifem.materials import PROPERTIES
        d = {"material": m.name, **({"ion": m.ion} if m.ion else {})}
        for k, v in m.values.items():
            p = PROPERTIES[k]
            d[k] = q(v.si, p.si_unit, p.display_unit) if p.si_unit else v.si
        d["sources"] = {k: v.source + (" [estimate]" if v.estimate else "") for k, v in m.values.items()}
        return d

    tree: dict[str, Any] = {"title": case.title, "description": case.description}
    tree["particle"] = {**mat(case.particle.material), "radius": q(case.particle.radius, "m", "um"),
                        "initial_soc": case.particle.initial_soc}
    for prop, points in case.particle.factors.items():
        tree["particle"][f"{prop}_factor"] = [list(p) for p in points]
    ocp = case.particle.material.ocp
    if ocp is not None:
        tree["particle"]["sources"]["open_circuit_potential"] = ocp.source + (" [estimate]" if ocp.estimate else "")
    if case.coatings:
        tree["coating"] = [{"name": c.name, **mat(c.material), "thickness": q(c.thickness, "m", "nm")}
                           for c in case.coatings]
    if case.sei:
        tree["sei"] = {**mat(case.sei.material), "thickness": q(case.sei.thickness, "m", "nm"), "model": case.sei_model,
                       "growth": case.sei_growth}
        if case.sei_growth == "reaction-limited":
            tree["sei"]["electrode_potential"] = q(case.sei_potential, "V", "V")
    g = case.geometry
    tree["geometry"] = {"shape": g.shape, "domain": g.domain, "model": g.model, "mesh_size": q(g.mesh_size, "m", "um"),
                        "surface_mesh_size": q(g.surface_mesh_size, "m", "um"),
                        "refine_depth": q(g.refine_depth or case.particle.radius / 3, "m", "um"),
                        "layer_cells": g.layer_cells, "order": g.order}
    if g.shape == "sphere":
        tree["geometry"].update(inner_radius=q(g.inner_radius, "m", "um"), inner_surface=g.inner_surface)
    elif g.shape == "ellipsoid":
        tree["geometry"].update(aspect_ratio=g.aspect_ratio, aspect_ratio_y=g.aspect_ratio_y)
    elif g.shape == "porous":
        r = [p[3] for p in g.pore_layout]
        tree["geometry"].update(porosity=g.porosity, pore_radius=q(g.pore_radius, "m", "um"),
                                pore_radius_spread=g.pore_radius_spread, min_ligament=q(g.min_ligament, "m", "nm"),
                                seed=g.seed, pores=g.pores)
        tree["geometry"]["pore_layout"] = {  # what the seed gave (model part: octant or full), before meshing
            "count": len(r), "radius_factor": g.pore_radius_factor,
            "radius_min": q(min(r), "m", "um"), "radius_max": q(max(r), "m", "um"),
            "porosity": sum(x**3 for x in r) / (case.particle.radius**3 * (0.125 if g.domain == "octant" else 1.0))}
    elif g.shape == "file":
        tree["geometry"].update(file=g.file, scale=q(g.scale, "m", "um"))
    if case.shell is not None:
        tree["shell"] = {**mat(case.shell.material), "thickness": q(case.shell.thickness, "m", "nm"),
                         "gap": q(case.shell.gap, "m", "nm")}
    tree["physics"] = {"mechanics": case.physics.mechanics, "plasticity": case.physics.plasticity,
                       "coupling": case.physics.coupling, "temperature": q(case.physics.temperature, "K", "K")}
    tree["electrochemistry"] = {"kinetics": case.electrochemistry.kinetics,
                                "transfer_coefficient": case.electrochemistry.transfer_coefficient}
    s = case.solver
    tree["solver"] = {"dt": q(s.dt, "s", "s"), "degree": s.degree, "time_scheme": s.time_scheme, "rtol": s.rtol,
                      "max_cells": s.max_cells, "max_steps": s.max_steps}
    if case.shell is not None:
        tree["solver"]["contact_penalty"] = s.contact_penalty
    steps = []
    for st in case.protocol[: len(case.protocol) // case.protocol[-1].cycle]:
        d: dict[str, Any] = {"mode": st.mode}
        if st.mode in ("lithiate", "delithiate"):
            d["c_rate"] = f"{st.c_rate:g} C"
        if st.voltage is not None:
            d["voltage"] = q(st.voltage, "V", "V")
        if st.duration is not None:
            d["duration"] = q(st.duration, "s", "min")
        if st.until_soc is not None:
            d["until_soc"] = st.until_soc
        if st.until_voltage is not None:
            d["until_voltage"] = q(st.until_voltage, "V", "V")
        if st.until_current is not None:
            d["until_current"] = f"{st.until_current:g} C"
        if st.until_capacity is not None:
            d["until_capacity"] = q(st.until_capacity, "mA*h/g", "mA*h/g")
        d["dt"] = q(st.dt, "s", "s")
        steps.append(d)
    tree["protocol"] = {"cycles": case.protocol[-1].cycle, "steps": steps}
    o = case.output
    tree["output"] = {"field_times": [q(t, "s", "min") for t in o.field_times], "render": o.render, "fields": o.fields,
                      "checkpoint_every": o.checkpoint_every,
                      "probes": {n: [q(x, "m", "um") for x in p] for n, p in o.probes.items()}}
    return tree

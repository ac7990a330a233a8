"""The case-file schema: every key a case may hold, its kind, unit, default and range.

`check_value` turns one raw TOML value into its SI value or raises `CaseError` naming the
key, the value and what is allowed. `case.py` walks a whole case with it.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from seifem.errors import REQUIRED, CaseError, UnitError
from seifem.materials import PROPERTIES
from seifem.units import format_quantity, parse_c_rate, parse_quantity

__all__ = ["CaseError", "Field", "SECTIONS", "SHAPES", "STEP", "check_value", "suggest", "REQUIRED"]



@dataclass(frozen=True)
class Field:
    """One case key.

    kind: "quantity" (string with a unit, SI `unit`), "number", "int", "choice", "bool",
    "text", "c_rate" (1/h), "times" (list of times, s), "point" (3 lengths, m), "table"
    ([[theta, value], ...] pairs; bounds apply to the values).
    Bounds are in SI; `lo_open`/`hi_open` make them strict.
    """

    kind: str
    doc: str
    default: Any = REQUIRED
    unit: str = ""
    display: str = ""
    lo: float | None = None
    hi: float | None = None
    lo_open: bool = False
    hi_open: bool = False
    choices: tuple = ()

    def show(self, si: float) -> str:
        return format_quantity(si, self.unit, self.display or self.unit) if self.unit else f"{si:g}"

    def range_text(self) -> str:
        lo = None if self.lo is None else ("> " if self.lo_open else ">= ") + self.show(self.lo)
        hi = None if self.hi is None else ("< " if self.hi_open else "<= ") + self.show(self.hi)
        return " and ".join(s for s in (lo, hi) if s)


def _property_fields(keys: tuple[str, ...]) -> dict[str, Field]:
    """Material properties a section may override, with their physical ranges."""
    out = {}
    for k in keys:
        p = PROPERTIES[k]
        kind = "quantity" if p.si_unit else "number"
        out[k] = Field(kind, p.doc, None, p.si_unit, p.display_unit, p.lo, p.hi, lo_open=p.lo_open)
    return out


SHAPES = ("sphere", "ellipsoid", "porous", "yolk-shell", "file")
"""Particle shapes (`geometry.shape`), each built by `geometry.shapes`."""

_ACTIVE_PROPS = ("youngs_modulus", "poisson_ratio", "diffusivity", "max_concentration",
                 "partial_molar_volume", "density", "yield_stress", "fracture_energy", "exchange_current_density",
                 "reaction_activation_energy", "diffusivity_activation_energy")
_LAYER_PROPS = ("youngs_modulus", "poisson_ratio", "density", "yield_stress", "strength", "fracture_energy")
_SEI_PROPS = ("youngs_modulus", "poisson_ratio", "elastic_strain_limit", "fracture_energy", "resistivity")

SECTIONS: dict[str, dict[str, Field]] = {
    "": {
        "title": Field("text", "one-line title of the case", ""),
        "description": Field("text", "what the case shows", ""),
    },
    "particle": {
        "material": Field("text", "active material from the library (seifem materials)"),
        "radius": Field("quantity", "radius of the active particle", REQUIRED, "m", "um", 10e-9, 1e-3),
        "initial_soc": Field("number", "initial filling fraction c/c_max (uniform)", 0.0, lo=0.0, hi=1.0, hi_open=True),
        **{f"{prop}_factor": Field("table", f"concentration dependence of {prop}: [[theta, factor], ...], "
                                   f"{prop}(theta) = {prop} x factor, linear in between (3d model)", None, lo=0.0,
                                   hi=hi, lo_open=True)
           for prop, hi in (("diffusivity", 1e6), ("youngs_modulus", 100.0), ("poisson_ratio", 2.0),
                            ("yield_stress", 100.0))},
        **_property_fields(_ACTIVE_PROPS),
    },
    "coating": {
        "material": Field("text", "coating material from the library"),
        "thickness": Field("quantity", "coating thickness (0 = no coating)", REQUIRED, "m", "nm", 0.0, 1e-3),
        **_property_fields(_LAYER_PROPS),
    },
    "sei": {
        "material": Field("text", "SEI property set from the library"),
        "thickness": Field("quantity", "SEI thickness", REQUIRED, "m", "nm", 0.0, 1e-4, lo_open=True),
        "growth": Field("choice", "SEI growth: none, the solvent-diffusion-limited law (sqrt(t)) or the "
                        "reaction-limited law (linear in t), PyBaMM OKane2022 parameters, with fresh SEI where the "
                        "film failed or the surface opened (membrane SEI, 3d)",
                        "none", choices=("none", "solvent-diffusion", "reaction-limited")),
        "electrode_potential": Field("quantity", "electrode potential phi_s - phi_e driving reaction-limited growth "
                                     "(eta_SEI = potential - U_sei, U_sei = 0.4 V) when no voltage is computed "
                                     "(electrochemistry.kinetics = \"none\"); otherwise the run's voltage is used",
                                     "0.1 V", "V", "V", -5.0, 5.0),
        "model": Field("choice", "thin-layer membrane on the surface, a resolved layer of elements, or auto "
                       "(membrane while thickness <= 2 % of the radius)", "auto", choices=("auto", "membrane", "resolved")),
        **_property_fields(_SEI_PROPS),
    },
    "geometry": {
        "shape": Field("choice", "particle shape: sphere (solid or hollow), ellipsoid (aspect_ratio, aspect_ratio_y), "
                       "porous (random spherical pores), yolk-shell (the core inside a [shell] across a void) or file "
                       "(imported STEP / BREP / STL); default sphere, or ellipsoid when an aspect ratio is given",
                       None, choices=SHAPES),
        "domain": Field("choice", "model the full particle or one octant with symmetry planes (default octant; full "
                        "for an imported shape)", "octant", choices=("octant", "full")),
        "mesh_size": Field("quantity", "element size in the core (default radius/6)", None, "m", "um", 0.0, 1e-3, lo_open=True),
        "surface_mesh_size": Field("quantity", "element size at the core's surfaces, and along the layers grown on "
                                   "them (default mesh_size/2; porous: also at most half the smallest pore radius; "
                                   "the ligaments must not be thinner)", None, "m", "um", 0.0, 1e-3, lo_open=True),
        "refine_depth": Field("quantity", "distance from the core's surfaces over which the element size grows from "
                              "surface_mesh_size to mesh_size (default radius/3)", None, "m", "um", 0.0, 1e-3,
                              lo_open=True),
        "model": Field("choice", "3d finite elements, the 2d axisymmetric or the 1d spherically symmetric twin (same "
                       "physics and history)", "3d", choices=("3d", "2d", "1d")),
        "aspect_ratio": Field("number", "ellipsoid: semi-axis along z (the axis of the 2d model) over the one along x "
                              "(= particle.radius)", 1.0, lo=0.2, hi=5.0),
        "aspect_ratio_y": Field("number", "ellipsoid: semi-axis along y over the one along x (3d; 1 = spheroid about z)",
                                1.0, lo=0.2, hi=5.0),
        "inner_radius": Field("quantity", "cavity radius of a hollow particle (default 0: solid)", None, "m", "um", 0.0, 1e-3),
        "void_fraction": Field("number", "cavity volume / particle volume of a hollow particle (instead of inner_radius)",
                               None, lo=0.0, hi=0.9),
        "inner_surface": Field("choice", "cavity surface of a hollow particle: open to the electrolyte (flux and SEI there "
                               "too) or sealed (no flux, traction-free)", "sealed", choices=("sealed", "open")),
        "porosity": Field("number", "porous: pore volume / particle volume (met exactly by the sampled spheres, "
                          "reported as meshed)", None, lo=0.0, hi=0.5, lo_open=True),
        "pore_radius": Field("quantity", "porous: mean pore radius", None, "m", "um", 0.0, 1e-3, lo_open=True),
        "pore_radius_spread": Field("number", "porous: standard deviation of the pore radius / its mean (normal "
                                    "distribution truncated at 2 deviations; 0 = all alike)", 0.0, lo=0.0, hi=0.4),
        "min_ligament": Field("quantity", "porous: least solid between two pores and between a pore and the outer "
                              "surface (default pore_radius/2)", None, "m", "nm", 0.0, 1e-3, lo_open=True),
        "seed": Field("int", "porous: random seed of the pore layout (same seed, same pores)", 0, lo=0, hi=2**32 - 1),
        "pores": Field("choice", "porous: pore surfaces open to the electrolyte (flux and SEI there too) or closed "
                       "(sealed: no flux, traction-free)", "closed", choices=("closed", "open")),
        "file": Field("text", "file: the solid to import, .step/.stp/.brep (OpenCASCADE) or .stl (closed triangle "
                      "surface); relative paths from the case file's folder, else the working directory", None),
        "scale": Field("quantity", "file: the length of one unit of the file's coordinates", "1 um", "m", "um", 1e-12,
                       1.0),
        "layer_cells": Field("int", "elements through each coating (0: thickness / surface_mesh_size, 1 to 8)", 0,
                             lo=0, hi=32),
        "order": Field("int", "geometry order: 2 = curved (second-order) elements", 2, lo=1, hi=2),
    },
    "shell": {
        "material": Field("text", "yolk-shell: material of the shell, from the coating library"),
        "thickness": Field("quantity", "yolk-shell: shell thickness", REQUIRED, "m", "nm", 0.0, 1e-3, lo_open=True),
        "gap": Field("quantity", "yolk-shell: width of the void between the core (with its coatings) and the shell",
                     REQUIRED, "m", "nm", 0.0, 1e-3, lo_open=True),
        **_property_fields(_LAYER_PROPS),
    },
    "physics": {
        "mechanics": Field("choice", "small strain (linear, fast) or finite strain (neo-Hookean with a chemical stretch, "
                           "for large swelling)", "small-strain", choices=("small-strain", "finite-strain")),
        "plasticity": Field("bool", "J2 perfect plasticity (small strain) in every region whose material has a "
                            "yield_stress", False),
        "coupling": Field("choice", "one-way (stress does not act on diffusion; fast) or two-way (stress-assisted "
                          "diffusion, solved with the mechanics in one Newton system)", "one-way",
                          choices=("one-way", "two-way")),
        "temperature": Field("quantity", "temperature (drift of stress-assisted diffusion)", "298.15 K", "K", "K",
                             200.0, 400.0),
    },
    "electrochemistry": {
        "kinetics": Field("choice", "surface kinetics: uniform (current density uniform over the surface, the "
                          "voltage from Butler-Volmer at the mean surface state, fast), butler-volmer (local "
                          "Butler-Volmer with the particle potential as one global unknown: current distribution, "
                          "voltage holds; 3d) or none (no voltage)", "uniform",
                          choices=("uniform", "butler-volmer", "none")),
        "transfer_coefficient": Field("number", "anodic transfer coefficient alpha_a (alpha_c = 1 - alpha_a)", 0.5,
                                      lo=0.0, hi=1.0, lo_open=True, hi_open=True),
    },
    "solver": {
        "dt": Field("quantity", "largest time step", "60 s", "s", "s", 0.0, 1e6, lo_open=True),
        "degree": Field("int", "polynomial degree of concentration and displacement", 2, lo=1, hi=2),
        "time_scheme": Field("choice", "time integration of diffusion", "bdf2", choices=("bdf2", "euler")),
        "rtol": Field("number", "relative tolerance of the linear solvers", 1e-10, lo=1e-14, hi=1e-3),
        "contact_penalty": Field("number", "yolk-shell contact: penalty stiffness in units of E_max / h (largest "
                                 "Young's modulus of the particle's regions over the surface element size)", 100.0,
                                 lo=1.0, hi=1e6),
        "max_cells": Field("int", "refuse a mesh estimated to have more cells (a bound on memory and time)",
                           2_000_000, lo=1, hi=10**9),
        "max_steps": Field("int", "refuse a protocol estimated to take more time steps", 200_000, lo=1, hi=10**9),
    },
    "output": {
        "field_times": Field("times", "times at which fields and stress maps are written (default: end of each protocol step)", []),
        "render": Field("bool", "render stress maps and history plots at the end of the run", True),
        "checkpoint_every": Field("int", "time steps between checkpoints (0: only at the end of each protocol step)", 10, lo=0, hi=10**6),
        "fields": Field("bool", "write VTX field files", True),
    },
}
"""Top-level sections and their keys. [output.probes] and [[protocol.steps]] are special."""

STEP: dict[str, Field] = {
    "mode": Field("choice", "what the step does: constant current (lithiate, delithiate), constant voltage (hold) "
                  "or no current (rest)", REQUIRED, choices=("lithiate", "delithiate", "hold", "rest")),
    "c_rate": Field("c_rate", "current as a C-rate (1 C fills the particle in 1 h)", None, lo=0.0, hi=1000.0, lo_open=True),
    "voltage": Field("quantity", "potential of a hold step (vs the guest metal, e.g. Li/Li+)", None, "V", "V", -1.0, 5.0),
    "duration": Field("quantity", "step length", None, "s", "min", 0.0, 3.6e7, lo_open=True),
    "until_soc": Field("number", "end the step when the mean filling fraction reaches this", None, lo=0.0, hi=1.0),
    "until_voltage": Field("quantity", "end a lithiation when the voltage falls to this, a delithiation when it "
                           "rises to it", None, "V", "V", -1.0, 5.0),
    "until_current": Field("c_rate", "end a hold when the current magnitude falls to this C-rate", None, lo=0.0,
                           hi=1000.0, lo_open=True),
    "until_capacity": Field("quantity", "end the step when this charge per mass of active material has passed",
                            None, "mA*h/g", "mA*h/g", 0.0, 1e5, lo_open=True),
    "dt": Field("quantity", "largest time step in this step (default solver.dt)", None, "s", "s", 0.0, 1e6, lo_open=True),
}


def suggest(key: str, allowed: list[str]) -> str:
    """' (did you mean "x"?)' for the closest allowed key, or ''."""
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""


def _check_range(key: str, raw: Any, si: float, f: Field) -> float:
    bad = (
        (f.lo is not None and (si < f.lo or (f.lo_open and si == f.lo)))
        or (f.hi is not None and (si > f.hi or (f.hi_open and si == f.hi)))
    )
    if bad:
        raise CaseError(key, raw, f"must be {f.range_text()}")
    return si


def check_value(key: str, raw: Any, f: Field) -> Any:
    """Validate one raw value against its field; return it in SI (or as its Python type)."""
    try:
        if f.kind == "quantity":
            return _check_range(key, raw, parse_quantity(raw, f.unit, f.display), f)
        if f.kind == "c_rate":
            return _check_range(key, raw, parse_c_rate(raw), f)
        if f.kind in ("number", "int"):
            if isinstance(raw, bool) or not isinstance(raw, (int, float)):
                if isinstance(raw, str):
                    raw_num = parse_quantity(raw, "")  # allows "0.5" or "50 %"
                    return check_value(key, raw_num, f) if f.kind == "number" else _fail_int(key, raw)
                raise CaseError(key, raw, f"must be a {'whole ' if f.kind == 'int' else ''}number")
            if f.kind == "int" and isinstance(raw, float) and not raw.is_integer():
                _fail_int(key, raw)
            try:
                val = int(raw) if f.kind == "int" else float(raw)
            except OverflowError:  # an integer beyond float range
                raise CaseError(key, raw, f"must be {f.range_text()}") from None
            if val != val or abs(val) == float("inf"):
                raise CaseError(key, raw, "must be a finite number")
            return _check_range(key, raw, val, f)
        if f.kind == "choice":
            if raw not in f.choices:
                hint = suggest(str(raw), list(f.choices))
                raise CaseError(key, raw, f"must be one of {', '.join(map(repr, f.choices))}{hint}")
            return raw
        if f.kind == "bool":
            if not isinstance(raw, bool):
                raise CaseError(key, raw, "must be true or false")
            return raw
        if f.kind == "text":
            if not isinstance(raw, str) or not raw.encode("utf-8", "replace").decode("utf-8") == raw:
                raise CaseError(key, raw, "must be a string (UTF-8 text)")
            return raw
        if f.kind == "times":
            if not isinstance(raw, list):
                raise CaseError(key, raw, 'must be a list of times, e.g. ["10 min", "1 h"]')
            times = [parse_quantity(v, "s") for v in raw]
            if any(t < 0 for t in times):
                raise CaseError(key, raw, "times must be >= 0 s")
            return sorted(times)
        if f.kind == "table":
            return _table(key, raw, f)
        if f.kind == "point":
            if not isinstance(raw, list) or len(raw) != 3:
                raise CaseError(key, raw, 'must be three lengths, e.g. ["0 um", "0 um", "2.5 um"]')
            return tuple(parse_quantity(v, "m") for v in raw)
    except UnitError as exc:
        raise CaseError(key, raw, str(exc)) from None
    raise AssertionError(f"unknown field kind {f.kind}")


def _table(key: str, raw: Any, f: Field) -> tuple[tuple[float, float], ...]:
    """[[x, y], ...] with x in [0, 1] strictly increasing and y within the field's range."""
    example = "e.g. [[0.0, 1.0], [0.5, 3.0], [1.0, 10.0]]"
    if not isinstance(raw, list) or len(raw) < 2 or len(raw) > 1000:
        raise CaseError(key, raw, f"must be a list of at least two [theta, value] pairs, {example}")
    points = []
    for pair in raw:
        if (not isinstance(pair, list) or len(pair) != 2
                or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in pair)):
            raise CaseError(key, raw, f"must be a list of [theta, value] number pairs, {example}")
        x, y = float(pair[0]), float(pair[1])
        if not (0.0 <= x <= 1.0) or y != y or abs(y) == float("inf"):
            raise CaseError(key, raw, "theta must lie in [0, 1] and values be finite numbers")
        _check_range(key, raw, y, f)
        points.append((x, y))
    if any(b[0] <= a[0] for a, b in zip(points, points[1:])):
        raise CaseError(key, raw, "theta must increase strictly from one pair to the next")
    return tuple(points)


def _fail_int(key: str, raw: Any):
    raise CaseError(key, raw, "must be a whole number")

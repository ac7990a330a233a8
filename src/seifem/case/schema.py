"""The case-file schema: every key a case may hold, its kind, unit, default and range, and
the shape it belongs to. It is the single source of the keys: parsing validates against it,
the resolved case.toml is written from it (`dump`), and the case-file reference in the docs
is generated from it (`reference`).
"""

from __future__ import annotations

import copy

from seifem.case.fields import Field, check_value, suggest
from seifem.errors import REQUIRED, CaseError
from seifem.materials import PROPERTIES

__all__ = ["check_section", "SECTIONS", "SHAPES", "STEP", "PROBE", "SHAPE_KEYS", "SEI_MAX_THICKNESS_RATIO", "SEI_THIN_RATIO"]

SEI_MAX_THICKNESS_RATIO = 0.1
"""The thin-layer (membrane) SEI needs thickness <= this fraction of the outer radius."""

SEI_THIN_RATIO = 0.02
"""Above this thickness / radius the membrane's O(h/R) error is worth a resolved layer: the
automatic choice switches, and an explicit membrane gets a warning."""


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
_FACTOR_MODELS = {"diffusivity": "3d model and 2d, 1d twins", "yield_stress": "3d model and 1d twin"}
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
        "expansion": Field("choice", "free swelling of the host: linear in theta (partial_molar_volume) or phases "
                           "(the material's per-phase volume curve, piecewise linear across its alloying steps: "
                           "seifem materials; with it Si remembers crystalline Li15Si4 and delithiates it on its "
                           "0.44 V plateau)", "linear", choices=("linear", "phases")),
        **{f"{prop}_factor": Field("table", f"concentration dependence of {prop}: [[theta, factor], ...], "
                                   f"{prop}(theta) = {prop} x factor, linear in between "
                                   f"({_FACTOR_MODELS.get(prop, '3d model')})", None, lo=0.0,
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
        "thickness": Field("quantity", "SEI thickness (required unless layers or electrolyte give the layers; "
                           "then their total)", None, "m", "nm", 0.0, 1e-4, lo_open=True),
        "electrolyte": Field("text", "electrolyte preset (seifem materials: carbonate, carbonate-FEC, ether, LHCE, "
                             "NaPF6-diglyme, ...) giving a layered SEI for the particle's ion",
                             None),
        "layers": Field("layers", "layered SEI, inside out: a membrane, or with model = resolved one meshed elastic region "
                        "sei_<name> per layer (3d, 1d, 2d); [{name, thickness, composition = {phase = "
                        "volume fraction} or material}, ...]; E, nu per layer by Voigt-Reuss-Hill; overrides the "
                        "electrolyte's layers; per layer: law = elastic / sls (relaxed_modulus, relaxation_time) / "
                        "plastic (yield_stress), solved in 1d/2d cycle-life runs and in 3d small-strain runs without "
                        "growth; strength (cycle-life damage)", None),
        "growth": Field("choice", "SEI growth: none, the solvent-diffusion-limited law (sqrt(t)) or the "
                        "reaction-limited law (linear in t), PyBaMM OKane2022 parameters, with fresh SEI where the "
                        "film failed or the surface opened (membrane SEI; 3d, or 1d and 2d: a cycle-life run)",
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
                       "physics and history), or the 2d plane-strain cross-section of a long cylinder (2d-plane: "
                       "radial cracks)", "3d", choices=("3d", "2d", "1d", "2d-plane")),
        "aspect_ratio": Field("number", "ellipsoid: semi-axis along z (the axis of the 2d model) over the one along x "
                              "(= particle.radius)", 1.0, lo=0.2, hi=5.0, shape="ellipsoid"),
        "aspect_ratio_y": Field("number", "ellipsoid: semi-axis along y over the one along x (3d; 1 = spheroid about z)",
                                1.0, lo=0.2, hi=5.0, shape="ellipsoid"),
        "inner_radius": Field("quantity", "cavity radius of a hollow particle (default 0: solid)", None, "m", "um", 0.0, 1e-3, shape="sphere"),
        "void_fraction": Field("number", "cavity volume / particle volume of a hollow particle (instead of inner_radius)",
                               None, lo=0.0, hi=0.9, shape="sphere"),
        "inner_surface": Field("choice", "cavity surface of a hollow particle: open to the electrolyte (flux and SEI there "
                               "too) or sealed (no flux, traction-free)", "sealed", choices=("sealed", "open"), shape="sphere"),
        "porosity": Field("number", "porous: pore volume / particle volume (met exactly by the sampled spheres, "
                          "reported as meshed)", None, lo=0.0, hi=0.5, lo_open=True, shape="porous"),
        "pore_radius": Field("quantity", "porous: mean pore radius", None, "m", "um", 0.0, 1e-3, lo_open=True, shape="porous"),
        "pore_radius_spread": Field("number", "porous: standard deviation of the pore radius / its mean (normal "
                                    "distribution truncated at 2 deviations; 0 = all alike)", 0.0, lo=0.0, hi=0.4, shape="porous"),
        "min_ligament": Field("quantity", "porous: least solid between two pores and between a pore and the outer "
                              "surface (default pore_radius/2)", None, "m", "nm", 0.0, 1e-3, lo_open=True, shape="porous"),
        "seed": Field("int", "porous: random seed of the pore layout (same seed, same pores)", 0, lo=0, hi=2**32 - 1, shape="porous"),
        "pores": Field("choice", "porous: pore surfaces open to the electrolyte (flux and SEI there too) or closed "
                       "(sealed: no flux, traction-free)", "closed", choices=("closed", "open"), shape="porous"),
        "file": Field("text", "file: the solid to import, .step/.stp/.brep (OpenCASCADE) or .stl (closed triangle "
                      "surface); relative paths from the case file's folder, else the working directory", None, shape="file"),
        "scale": Field("quantity", "file: the length of one unit of the file's coordinates", "1 um", "m", "um", 1e-12,
                       1.0, shape="file"),
        "layer_cells": Field("int", "elements through each coating (0: thickness / surface_mesh_size, 2 to 8; at least 6 in a "
                             "layer that can yield, physics.plasticity with a yield stress)", 0,
                             lo=0, hi=32),
        "order": Field("int", "geometry order: 2 = curved (second-order) elements", 2, lo=1, hi=2),
        "axial": Field("choice", "2d-plane: \"free\" = generalized plane strain (uniform axial strain, no axial force: a "
                       "free long cylinder, uniform swelling is stress-free), \"fixed\" = plane strain (eps_zz = 0)",
                       "free", choices=("free", "fixed")),
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
                           "for large swelling; 3d model and the 1d and 2d twins, with physics.plasticity too)", "small-strain", choices=("small-strain", "finite-strain")),
        "plasticity": Field("bool", "J2 perfect plasticity (at small or finite strain: physics.mechanics; 3d model, 1d and 2d "
                            "twins) in every region whose material has a yield_stress", False),
        "coupling": Field("choice", "one-way (stress does not act on diffusion; fast) or two-way (stress-assisted "
                          "diffusion, solved with the mechanics: solver.coupling_solver)", "one-way",
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
        "cycle_jump": Field("int", "runs with sei.growth (cycle life on the 1d/2d twins, and 3d runs): largest block of "
                            "cycles whose slowly varying SEI state is extrapolated between resolved cycles, after 3 "
                            "resolved cycles (0: every cycle)",
                            0, lo=0, hi=1000),
        "adaptive": Field("bool", "choose each time step from a local error estimate (concentration and stress "
                          "extremes) between dt_min and dt (the largest step) instead of taking dt", False),
        "time_rtol": Field("number", "adaptive: largest local error of a time step in the filling fraction, and in "
                           "the stress extremes relative to the largest stress so far (at least 1 MPa)", 1e-3,
                           lo=1e-6, hi=0.1),
        "coupling_solver": Field("choice", "two-way coupling: direct (one Newton system, MUMPS LU; memory grows fast), "
                                 "staggered (transport and mechanics in turn with iterative solvers, to increments of "
                                 "1e-6; for large meshes) or auto (staggered from 100k displacement dofs)", "auto",
                                 choices=("auto", "direct", "staggered")),
        "dt_min": Field("quantity", "adaptive: smallest time step (a step that misses time_rtol at dt_min is kept, "
                        "with a warning)", "1 ms", "s", "s", 0.0, 1e6, lo_open=True),
    },
    "fracture": {
        "model": Field("choice", "phase-field fracture model: AT1 (elastic until the strength sqrt(3 E G_c / (8 l)), "
                       "then damage) or AT2 (damages from the first tensile load); small strain in the 3d octant, "
                       "2d twin or 2d-plane; elastic finite strain in the 3d octant",
                       "AT1", choices=("AT1", "AT2")),
        "length_scale": Field("quantity", "phase-field length l (crack band ~2 l wide; must be >= 2 x "
                              "geometry.surface_mesh_size, or 2 x fracture.notch_mesh_size when set)", REQUIRED, "m", "nm", 0.0, 1e-3, lo_open=True),
        "regions": Field("names", "regions that may crack: \"core\" and coating names (their materials need a "
                         "fracture_energy)", ["core"]),
        "residual_stiffness": Field("number", "k in the degradation (1 - d)^2 + k", 1e-6, lo=0.0, hi=1e-2, lo_open=True),
        "tolerance": Field("number", "staggered loop: largest change of the damage between two iterations (and the "
                           "relative out-of-balance force)", 1e-4, lo=1e-9, hi=0.1),
        "max_iterations": Field("int", "staggered loop: iterations before the time step is cut (with "
                                "balance_tolerance: before the loop goes on at its load, at most 4 times)", 200, lo=1,
                                hi=100000),
        "notch_depth": Field("quantity", "2d-plane: depth of seeded radial flaws (initial cracks, d = 1) from the "
                             "core's surface (0: none; cracks then nucleate where the strength is reached)", 0.0, "m",
                             "nm", 0.0, 1e-3),
        "notches": Field("int", "2d-plane: number of seeded flaws, evenly spaced in angle from +x", 1, lo=1, hi=64),
        "notch_mesh_size": Field("quantity", "2d-plane: element size around each seeded flaw (within half its depth "
                                 "of the flaw and of its extension one flaw depth further in), graded to "
                                 "geometry.surface_mesh_size; the length scale is then checked against it (default: "
                                 "geometry.surface_mesh_size, no extra refinement)", None, "m", "nm", 0.0, 1e-3,
                                 lo_open=True),
        "sei_growth": Field("choice", "3d and 2d twin: SEI on the faces of cracks open to the electrolyte (cracks that reach "
                            "the outer surface): none or a growth law (OKane2022 parameters, from the fresh-film "
                            "thickness); its lithium leaves the particle", "none",
                            choices=("none", "solvent-diffusion", "reaction-limited")),
        "balance_tolerance": Field("number", "3d and 2d twin: largest defect of a time step's energy balance (elastic "
                                   "+ crack + plastic dissipation = chemical work) as a fraction of the energy "
                                   "stored and spent so far; a step that misses is solved in load increments of "
                                   "its concentration change, down to 1/128 of the step (a crack running at a "
                                   "fixed load: its loss booked as released_energy_J); 0: one solve per step",
                                   0.0, lo=0.0, hi=1.0),
    },
    "interface": {
        "normal_strength": Field("quantity", "cohesive core/first-layer interface: normal (opening) strength sigma_n",
                                 REQUIRED, "Pa", "MPa", 0.0, 1e11, lo_open=True),
        "tangential_strength": Field("quantity", "tangential (sliding) strength tau_t; low: a low-adhesion SEI or "
                                     "coating that slides", REQUIRED, "Pa", "MPa", 0.0, 1e11, lo_open=True),
        "normal_energy": Field("quantity", "mode I fracture energy G_Ic of the interface", REQUIRED, "J/m^2", "J/m^2",
                               0.0, 1e4, lo_open=True),
        "tangential_energy": Field("quantity", "mode II fracture energy G_IIc of the interface", REQUIRED, "J/m^2",
                                   "J/m^2", 0.0, 1e4, lo_open=True),
        "normal_stiffness": Field("quantity", "penalty stiffness K_n of the bonded interface (and of contact in "
                                  "compression); must exceed sigma_n^2 / (2 G_Ic)", "100 GPa/nm", "Pa/m", "GPa/nm",
                                  0.0, 1e25, lo_open=True),
        "tangential_stiffness": Field("quantity", "tangential stiffness K_t of the bonded interface; must exceed "
                                      "tau_t^2 / (2 G_IIc)", "100 GPa/nm", "Pa/m", "GPa/nm", 0.0, 1e25, lo_open=True),
        "mixity_exponent": Field("number", "Benzeggagh-Kenane exponent eta in G_c = G_Ic + (G_IIc - G_Ic) B^eta",
                                 2.0, lo=0.1, hi=10.0),
        "sei_growth": Field("choice", "SEI on the debonded interface (open to the electrolyte): none or a growth law "
                            "of [sei] growth (OKane2022 parameters, from the fresh-film thickness); 1d and 2d only, 3d: none",
                            "solvent-diffusion", choices=("none", "solvent-diffusion", "reaction-limited")),
    },
    "output": {
        "field_times": Field("times", "times at which fields and stress maps are written (default: end of each protocol step)", [],
                            "s", "min"),
        "render": Field("bool", "render stress maps and history plots at the end of the run", True),
        "checkpoint_every": Field("int", "time steps between checkpoints (0: only at the end of each protocol step); "
                                          "cycle-life runs of the 1d/2d twins: resolved cycles (0 or 1: after every one)",
                                  10, lo=0, hi=10**6),
        "fields": Field("bool", "write VTX field files", True),
    },
}
"""Top-level sections and their keys. [output.probes] and [[protocol.steps]] are special."""

PROBE = Field("point", "a named point (three lengths from the particle centre) where theta, displacement and "
              "stresses are recorded each step in probes.csv", None, "m", "um")
"""[output.probes]: name = ["x", "y", "z"]."""

SHAPE_KEYS: dict[str, tuple[str, ...]] = {
    shape: tuple(k for k, f in SECTIONS["geometry"].items() if f.shape == shape) for shape in SHAPES}
"""The [geometry] keys that only one shape takes."""

STEP: dict[str, Field] = {
    "mode": Field("choice", "what the step does: constant current (lithiate, delithiate), constant voltage (hold), "
                  "no current (rest), or a uniform filling fraction set at once (equilibrate: the stresses of a "
                  "uniformly lithiated particle in one solve, no time passing)", REQUIRED,
                  choices=("lithiate", "delithiate", "hold", "rest", "equilibrate")),
    "c_rate": Field("c_rate", "current as a C-rate (1 C fills the particle in 1 h)", None, lo=0.0, hi=1000.0, lo_open=True),
    "voltage": Field("quantity", "potential of a hold step (vs the guest metal, e.g. Li/Li+)", None, "V", "V", -1.0, 5.0),
    "duration": Field("quantity", "step length", None, "s", "min", 0.0, 3.6e7, lo_open=True),
    "until_soc": Field("number", "end the step when the mean filling fraction reaches this", None, lo=0.0, hi=1.0),
    "soc": Field("number", "equilibrate: the uniform filling fraction set in the active core", None, lo=0.0, hi=1.0),
    "swelling": Field("number", "equilibrate, instead of soc: the core's free volume change Delta V / V0 = "
                      "partial_molar_volume x max_concentration x (soc - initial_soc)", None, lo=-1.0, hi=10.0),
    "until_voltage": Field("quantity", "end a lithiation when the voltage falls to this, a delithiation when it "
                           "rises to it", None, "V", "V", -1.0, 5.0),
    "until_current": Field("c_rate", "end a hold when the current magnitude falls to this C-rate", None, lo=0.0,
                           hi=1000.0, lo_open=True),
    "until_capacity": Field("quantity", "end the step when this charge per mass of active material has passed",
                            None, "mA*h/g", "mA*h/g", 0.0, 1e5, lo_open=True),
    "dt": Field("quantity", "largest time step in this step (default solver.dt)", None, "s", "s", 0.0, 1e6, lo_open=True),
}


def check_section(tree: dict, name: str, fields: dict[str, Field], extra: tuple[str, ...] = (),
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

"""The resolved case as TOML (the inverse of parsing), written into every run directory:
every key of the schema that the case resolved, in the schema's order and display units,
defaults filled in, material values with their sources.

The keys, their order and their units come from `schema.SECTIONS` / `schema.STEP`; the
values come from the `Case` attribute of the same name (`_values`), so a key added to the
schema and to its dataclass is written back without touching this module.
"""

from __future__ import annotations

from typing import Any

from seifem.case.model import Case, Layer
from seifem.case.schema import PROBE, SECTIONS, SHAPE_KEYS
from seifem.case.tables import material_table, protocol_table, schema_values
from seifem.materials import PROPERTIES
from seifem.units import format_quantity

__all__ = ["resolved_toml"]


def _layer(section: str, layer: Layer, **extra: Any) -> dict:
    fields = {k: f for k, f in SECTIONS[section].items() if k != "material" and k not in PROPERTIES}
    return {**material_table(layer.material), **schema_values(fields, layer, **extra)}


def _geometry(case: Case) -> dict:
    g = case.geometry
    other = {k for shape, keys in SHAPE_KEYS.items() if shape != g.shape for k in keys}
    fields = {k: f for k, f in SECTIONS["geometry"].items() if k not in other}
    R = case.particle.radius
    void = (g.inner_radius / R) ** 3 if g.shape == "sphere" else None  # resolved both ways, whichever was given
    tree = schema_values(fields, g, refine_depth=g.refine_depth or R / 3, void_fraction=void)
    if g.shape == "porous":
        r = [p[3] for p in g.pore_layout]
        tree["pore_layout"] = {  # what the seed gave (model part: octant or full), before meshing
            "count": len(r), "radius_factor": g.pore_radius_factor,
            "radius_min": format_quantity(min(r), "m", "um"), "radius_max": format_quantity(max(r), "m", "um"),
            "porosity": sum(x**3 for x in r) / (case.particle.radius**3 * (0.125 if g.domain == "octant" else 1.0))}
    return tree


def resolved_toml(case: Case) -> dict:
    """The resolved case as a TOML-ready tree with units, defaults and material sources (an
    electrode case: `case.electrode.electrode_toml`)."""
    from seifem.case.electrode import ElectrodeCase, electrode_toml

    if isinstance(case, ElectrodeCase):
        return electrode_toml(case)
    tree: dict[str, Any] = schema_values(SECTIONS[""], case)
    p = case.particle
    factors = {f"{prop}_factor": points for prop, points in p.factors.items()}
    particle_fields = {k: f for k, f in SECTIONS["particle"].items() if k != "material" and k not in PROPERTIES}
    tree["particle"] = {**material_table(p.material), **schema_values(particle_fields, p, **factors)}
    if p.material.ocp is not None:
        ocp = p.material.ocp
        tree["particle"]["sources"]["open_circuit_potential"] = ocp.source + (" [estimate]" if ocp.estimate else "")
    if case.coatings:
        tree["coating"] = [{"name": c.name, **_layer("coating", c)} for c in case.coatings]
    if case.sei:
        potential = case.sei_potential if case.sei_growth == "reaction-limited" else None
        tree["sei"] = _layer("sei", case.sei, model=case.sei_model, growth=case.sei_growth,
                             electrode_potential=potential, electrolyte=case.sei_electrolyte,
                             layers=case.sei_layer_tables or None)
    tree["geometry"] = _geometry(case)
    if case.shell is not None:
        tree["shell"] = _layer("shell", case.shell)
    tree["physics"] = schema_values(SECTIONS["physics"], case.physics)
    if case.fracture is not None:
        tree["fracture"] = schema_values(SECTIONS["fracture"], case.fracture)
    if case.interface is not None:
        tree["interface"] = schema_values(SECTIONS["interface"], case.interface)
    tree["electrochemistry"] = schema_values(SECTIONS["electrochemistry"], case.electrochemistry)
    contact = case.solver.contact_penalty if case.shell is not None else None
    tree["solver"] = schema_values(SECTIONS["solver"], case.solver, contact_penalty=contact)
    tree["protocol"] = protocol_table(case)
    tree["output"] = {**schema_values(SECTIONS["output"], case.output),
                      "probes": {n: PROBE.dump(x) for n, x in case.output.probes.items()}}
    return tree

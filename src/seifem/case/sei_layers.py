"""The layered SEI of a case: `[sei] layers = [...]` and/or `[sei] electrolyte = "..."`.

    [sei]
    material = "sei-carbonate"        # failure and growth properties of the film as a whole
    electrolyte = "carbonate-FEC"     # a preset (seifem materials): its layers, for this cell's ion
    layers = [                        # or explicit layers, inside out (override the preset's)
      {name = "inner", thickness = "3 nm", composition = {LiF = 0.7, Li2O = 0.3}},
      {name = "outer", thickness = "6 nm", material = "sei-ether"},
    ]

Each layer is a membrane of its own thickness and E, nu (a composition by Voigt-Reuss-Hill of
the phases, or a library SEI material). The particle carries them through their exact
equivalent film (physics.layered_membrane.equivalent_film): `[sei] thickness` is then their
total and may be left out, and the SEI material's E and nu are replaced by the film's.
Every check raises CaseError naming the key, before any mesh is built.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import seifem.materials as materials
from seifem.errors import REQUIRED, CaseError
from seifem.materials import Material, Value
from seifem.units import UnitError, format_quantity, parse_quantity

__all__ = ["check_layers", "check_resolved_layers", "dump_layers", "resolve_layers", "resolved_regions"]

_LAYER_KEYS = ("name", "thickness", "composition", "material", "law", "relaxed_modulus", "relaxation_time",
               "yield_stress", "strength")
_LAWS = {"elastic": (), "sls": ("relaxed_modulus", "relaxation_time"), "plastic": ("yield_stress",)}
"""A layer's law (cycle-life runs) and the keys it needs (physics.sei_layer_state)."""
_LAW_UNITS = {"relaxed_modulus": ("Pa", "GPa"), "relaxation_time": ("s", "s"), "yield_stress": ("Pa", "MPa"),
              "strength": ("Pa", "MPa")}
EXAMPLE = 'e.g. [{thickness = "3 nm", composition = {LiF = 0.7, Li2O = 0.3}}, {thickness = "6 nm", material = "sei-ether"}]'


def check_layers(key: str, raw: Any) -> tuple[dict, ...]:
    """Validate the form of `layers` (a list of tables): each has a thickness (0 < h <= 1 um) and
    exactly one of composition (phase -> fraction, summing to 1) or material (a library SEI).
    Returns the layers with thickness in m (composition and phases are checked again against the
    cell's ion in `resolve_layers`)."""
    from seifem.materials.sei_phases import SEI_PHASES
    from seifem.physics.homogenisation import check_fractions

    if not isinstance(raw, list) or not raw or len(raw) > 10:
        raise CaseError(key, raw, f"must be a list of 1 to 10 layer tables, inside out, {EXAMPLE}")
    out = []
    for i, layer in enumerate(raw):
        k = f"{key}.{i}"
        if not isinstance(layer, dict):
            raise CaseError(k, layer, f"must be a table, {EXAMPLE}")
        for name in layer:
            if name not in _LAYER_KEYS:
                raise CaseError(f"{k}.{name}", layer[name], f"unknown key; allowed here: {', '.join(_LAYER_KEYS)}")
        if ("composition" in layer) == ("material" in layer):
            raise CaseError(k, layer, "give exactly one of composition (phase volume fractions) or material")
        if "thickness" not in layer:
            raise CaseError(f"{k}.thickness", layer.get("thickness"), "is required (e.g. \"3 nm\")")
        try:
            h = parse_quantity(layer["thickness"], "m")
        except UnitError as exc:
            raise CaseError(f"{k}.thickness", layer["thickness"], str(exc)) from None
        if not 0 < h <= 1e-6:
            raise CaseError(f"{k}.thickness", layer["thickness"], "must be > 0 nm and <= 1000 nm")
        name = layer.get("name", f"layer{i + 1}")
        if not isinstance(name, str):
            raise CaseError(f"{k}.name", name, "must be a string")
        entry = {"name": name, "thickness": h, **_check_law(k, layer)}
        if "composition" in layer:
            entry["composition"] = check_fractions(layer["composition"], f"{k}.composition", SEI_PHASES)
        else:
            m = layer["material"]
            if not isinstance(m, str) or m not in materials.names("sei"):
                raise CaseError(f"{k}.material", m, f"must be an SEI material: {', '.join(materials.names('sei'))}")
            entry["material"] = m
        out.append(entry)
    return tuple(out)


def _check_law(k: str, layer: dict) -> dict:
    """The law keys of one layer table, in SI: law (default elastic), its parameters, strength."""
    law = layer.get("law", "elastic")
    if law not in _LAWS:
        raise CaseError(f"{k}.law", law, f"must be one of {', '.join(_LAWS)}")
    out = {"law": law} if "law" in layer else {}
    for key, (unit, _) in _LAW_UNITS.items():
        if key not in layer:
            continue
        if key != "strength" and key not in _LAWS[law]:
            raise CaseError(f"{k}.{key}", layer[key], f"belongs to law = {'sls' if key.startswith('relax') else 'plastic'}")
        try:
            out[key] = parse_quantity(layer[key], unit)
        except UnitError as exc:
            raise CaseError(f"{k}.{key}", layer[key], str(exc)) from None
        if not out[key] > 0:
            raise CaseError(f"{k}.{key}", layer[key], "must be > 0")
    for key in _LAWS[law]:
        if key not in out:
            raise CaseError(f"{k}.{key}", REQUIRED, f"law = {law!r} needs it")
    return out


def dump_layers(layers: tuple[dict, ...]) -> list[dict]:
    """The TOML form of checked layers (thickness in nm, law parameters in their display units)."""
    out = []
    for L in layers:
        d = {k: v for k, v in L.items() if k != "thickness" and k not in _LAW_UNITS}
        d["thickness"] = format_quantity(L["thickness"], "m", "nm")
        d.update({k: format_quantity(L[k], *_LAW_UNITS[k]) for k in _LAW_UNITS if k in L})
        out.append(d)
    return out


def layer_laws(layers, tables) -> tuple:
    """The law of each SEI layer (None: elastic; physics.sei_inelastic laws), from the layer tables.
    SLS: instantaneous modulus = the layer's E, relaxed = relaxed_modulus (must be below E)."""
    from seifem.physics.sei_inelastic import ElasticPlastic, StandardLinearSolid

    out = []
    for i, (L, t) in enumerate(zip(layers, tables)):
        law = t.get("law", "elastic")
        if law == "sls":
            if not t["relaxed_modulus"] < L.youngs_modulus:
                raise CaseError(f"sei.layers.{i}.relaxed_modulus", t["relaxed_modulus"],
                                f"must be below the layer's Young's modulus {L.youngs_modulus:.4g} Pa")
            out.append(StandardLinearSolid(t["relaxed_modulus"], L.youngs_modulus - t["relaxed_modulus"],
                                           t["relaxation_time"], L.poisson_ratio))
        elif law == "plastic":
            out.append(ElasticPlastic(L.youngs_modulus, t["yield_stress"], L.poisson_ratio))
        else:
            out.append(None)
    return tuple(out)


def resolve_layers(layers: tuple[dict, ...] | None, electrolyte: str | None, ion: str | None, sei: Material,
                   radius: float, limit: float | None):
    """(SEI layers, equivalent-film SEI material, total thickness [m], resolved layer tables, the
    layers' materials), or None when neither `layers` nor `electrolyte` is given. Refuses a preset
    for another ion (sei.electrolyte), a phase of another ion (sei.layers.i.composition.X) and a
    total thickness above limit x radius (sei.layers, the membrane limit; None: a meshed SEI)."""
    from seifem.materials.electrolytes import electrolyte as preset
    from seifem.materials.sei_phases import sei_film
    from seifem.physics.layered_membrane import SEILayer, check_membrane_limit, equivalent_film

    if layers is None and electrolyte is None:
        return None
    if layers is None:
        e = preset(electrolyte, ion or "Li", key="sei.electrolyte")
        layers = tuple({"name": L.name, "thickness": L.thickness.si, "composition": dict(L.composition)} for L in e.layers)
    elif electrolyte is not None:
        preset(electrolyte, ion or "Li", key="sei.electrolyte")  # the preset must still fit the cell
    out, mats = [], []
    for i, L in enumerate(layers):
        if "composition" in L:
            m = sei_film(L["composition"], key=f"sei.layers.{i}.composition", name=f"sei-{L['name']}", ion=ion)
        else:
            m = materials.get(L["material"])
        for key in ("strength", "yield_stress"):  # a meshed layer's failure and J2 yield (physics.plasticity)
            if L.get(key):
                m = replace(m, values={**m.values, key: Value(L[key], f"sei.layers.{i}.{key}")})
        mats.append(m)
        out.append(SEILayer(L["thickness"], m.si("youngs_modulus"), m.si("poisson_ratio"), name=L["name"],
                            strength=L.get("strength")))
    if limit is not None:
        check_membrane_limit(out, radius, key="sei.layers", limit=limit)
    h, E, nu = equivalent_film(out)
    src = "equivalent film of the SEI layers " + ", ".join(f"{L.name} {L.thickness * 1e9:g} nm" for L in out)
    values = {**sei.values, "youngs_modulus": Value(E, src, estimate=True), "poisson_ratio": Value(nu, src, estimate=True)}
    return tuple(out), replace(sei, values=values), h, layers, tuple(mats)


def apply_layers(tree: dict, sei: dict, material: Material, ion: str | None, outer: float, limit: float,
                 thin: float) -> dict:
    """The Case fields of the [sei] section (`sei` checked values, `material` its SEI material):
    sei_layers, sei_layer_tables, sei_electrolyte, the (equivalent-film) material and thickness,
    and for a meshed SEI (sei.model = "resolved", or "auto" with a total above thin x outer) the
    regions `sei_regions`, one per layer. A given thickness must match the layers' total; without
    layers it is required."""
    from seifem.physics.layered_membrane import check_membrane_limit

    res = resolve_layers(sei["layers"], sei["electrolyte"], ion, material, outer, None)
    if res is None:
        if sei["thickness"] is None:
            raise CaseError("sei.thickness", REQUIRED, "is required (SEI thickness), unless layers or electrolyte give the layers")
        return {"material": material, "thickness": sei["thickness"]}
    layers, film, h, tables, mats = res
    if sei["thickness"] is not None and abs(sei["thickness"] - h) > 1e-3 * h:
        raise CaseError("sei.thickness", tree["sei"]["thickness"],
                        f"must be the layers' total {h * 1e9:g} nm (or be left out)")
    resolved = sei["model"] == "resolved" or (sei["model"] == "auto" and h > thin * outer)
    if not resolved:
        check_membrane_limit(layers, outer, key="sei.layers", limit=limit)
    out = {"material": film, "thickness": h, "sei_layers": layers, "sei_layer_tables": tables,
           "sei_electrolyte": sei["electrolyte"], "sei_layer_laws": layer_laws(layers, tables)}
    if resolved:
        out["sei_regions"] = resolved_regions(layers, tables, mats)
    return out


def resolved_regions(layers, tables, mats) -> tuple[tuple[Material, float, str], ...]:
    """The meshed regions of a resolved layered SEI, inside out, as (material, thickness [m],
    region name) for `case.model.Layer`: region `sei_<name>` of the
    layer's thickness and material (its own E, nu, strength and, law = "plastic", yield stress:
    J2 with physics.plasticity). Refuses law = "sls" (sei.layers.i.law) and a name that is no identifier or repeats (sei.layers.i.name)."""
    out = []
    for i, (L, t, m) in enumerate(zip(layers, tables, mats)):
        if t.get("law", "elastic") == "sls":
            raise CaseError(f"sei.layers.{i}.law", t["law"], "a resolved (meshed) SEI layer is elastic or J2 plastic "
                                                             "(law = \"plastic\" with physics.plasticity = true); "
                                                             "use sei.model = \"membrane\" for law = \"sls\"")
        name = f"sei_{L.name}"
        if not name.isidentifier() or name in [r[2] for r in out]:
            raise CaseError(f"sei.layers.{i}.name", L.name, "a resolved SEI layer's name must be a unique identifier "
                                                            "(letters, digits, _): its region is sei_<name>")
        out.append((m, L.thickness, name))
    return tuple(out)


def check_resolved_layers(regions: tuple, model: str, tree: dict, plasticity: bool = False) -> None:
    """A resolved layered SEI (`regions`) is meshed as elastic regions (small or finite strain) of
    a 3D run or of the 1d / 2d twins (as their coatings): refuse the 2d-plane cross-section
    (geometry.model), [fracture] and [interface] (not verified with SEI regions), and a plastic
    layer without physics.plasticity or in 3d (sei.layers.i.law), naming the key."""
    if not regions:
        return
    clash = [("geometry.model", model, model not in ("3d", "1d", "2d"), "geometry.model = \"3d\", \"1d\" or \"2d\""),
             ("fracture", "[fracture]", "fracture" in tree, "no [fracture] section"),
             ("interface", "[interface]", "interface" in tree, "no [interface] section")]
    plastic = [i for i, L in enumerate(regions) if "yield_stress" in L.material.values]
    if plastic and not plasticity:
        i = plastic[0]
        raise CaseError(f"sei.layers.{i}.law", "plastic", "a resolved plastic SEI layer yields by J2 plasticity: "
                                                          "set physics.plasticity = true (or law = \"elastic\")")
    if plastic and model == "3d":
        raise CaseError(f"sei.layers.{plastic[0]}.law", "plastic", "a resolved plastic SEI layer is solved in the 1d and "
                                                                   "2d twins; in 3d use law = \"elastic\" or sei.model "
                                                                   "= \"membrane\"")
    for key, value, bad, need in clash:
        if bad:
            raise CaseError(key, value, f"a resolved layered SEI (sei.model = \"resolved\" with sei.layers) is "
                                        f"meshed in 3d, 1d and 2d runs; it needs {need}, or use sei.model = "
                                        f"\"membrane\"")


def check_laws_in_3d(case) -> None:
    """Inelastic SEI layers in a 3D run (`problem.sei_layered_3d`) need small-strain linear
    mechanics, one-way coupling and no fracture or cohesive interface: refuse the rest, naming the
    first inelastic layer's law key; SEI growth is taken, but not with a cracking layer (a
    `strength`), refused naming that layer's strength key."""
    laws = [i for i, law in enumerate(case.sei_layer_laws) if law is not None]
    if not laws or case.geometry.model != "3d" or case.sei_model != "membrane":
        return
    phy = case.physics
    clash = [(phy.mechanics == "finite-strain", 'physics.mechanics = "finite-strain"'),
             (phy.plasticity, "physics.plasticity = true"), (phy.coupling == "two-way", 'physics.coupling = "two-way"'),
             (case.fracture is not None, "[fracture]"), (case.interface is not None, "[interface]")]
    for bad, what in clash:
        if bad:
            i = laws[0]
            law = case.sei_layer_tables[i].get("law")
            raise CaseError(f"sei.layers.{i}.law", law, f"inelastic SEI layers in 3D are solved with small-strain "
                                                        f"linear mechanics, one-way coupling and no fracture or "
                                                        f"interface; remove {what} or set law = \"elastic\" (the "
                                                        f"1d/2d cycle-life runs take growth with inelastic layers)")
    cracking = [i for i, L in enumerate(case.sei_layers) if L.strength]
    if cracking and case.sei_growth != "none":
        i = cracking[0]
        raise CaseError(f"sei.layers.{i}.strength", case.sei_layer_tables[i].get("strength"),
                        f"a cracking SEI layer is not combined with sei.growth = \"{case.sei_growth}\" in 3D "
                        f"(the crack SEI is counted by the 1d/2d cycle-life runs); remove the strength or the growth")

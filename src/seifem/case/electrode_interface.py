"""The particle-binder interface keys of [electrode]: bonded, or the cohesive law of the
fracture work (`physics.cohesive`), so that particles debond from the binder (lost contact).

    [electrode]
    interface = "cohesive"
    interface_normal_strength = "10 MPa"       # sigma_n: opening strength
    interface_tangential_strength = "10 MPa"   # tau_t: sliding strength
    interface_normal_energy = "0.1 J/m^2"      # G_Ic
    interface_tangential_energy = "0.1 J/m^2"  # G_IIc
    interface_stiffness = "0.01 GPa/nm"        # penalty K_n = K_t of the bonded interface
    contact_threshold = 0.0                    # isolated at or below this contact fraction

Refused before meshing, naming the key: a cohesive interface without its strengths and
energies, interface keys without interface = "cohesive", a penalty stiffness that would store
more than the fracture energy before the interface softens, finite strain.
"""

from __future__ import annotations

from seifem.case.fields import Field
from seifem.case.interface import Interface
from seifem.errors import REQUIRED, CaseError

__all__ = ["INTERFACE_KEYS", "STIFFNESS", "patch_interface"]

STIFFNESS = 1e16
"""Default penalty stiffness (Pa/m, 10 GPa/um = 0.01 GPa/nm): ~10 x a binder of 1 GPa over a
radius of 1 um (the bonded interface adds ~10 % compliance there, less for larger particles),
yet soft enough against the mesh (K h / E_binder ~ 3 at h = 0.3 um) that the facet tractions
scatter by ~3 % about the exact one; at 1 GPa/nm they scatter by ~20 % (docs/electrode.md)."""

INTERFACE_KEYS: dict[str, Field] = {
    "interface": Field("choice", "particle (or coating) / binder interface: bonded, or cohesive (debonds: the "
                                 "bilinear mixed-mode law of the fracture work, contact in compression; small strain)",
                       "bonded", choices=("bonded", "cohesive")),
    "interface_normal_strength": Field("quantity", "cohesive: normal (opening) strength sigma_n of the interface",
                                       None, "Pa", "MPa", 0.0, 1e11, lo_open=True),
    "interface_tangential_strength": Field("quantity", "cohesive: tangential (sliding) strength tau_t", None, "Pa",
                                           "MPa", 0.0, 1e11, lo_open=True),
    "interface_normal_energy": Field("quantity", "cohesive: mode I fracture energy G_Ic", None, "J/m^2", "J/m^2",
                                     0.0, 1e4, lo_open=True),
    "interface_tangential_energy": Field("quantity", "cohesive: mode II fracture energy G_IIc", None, "J/m^2",
                                         "J/m^2", 0.0, 1e4, lo_open=True),
    "interface_stiffness": Field("quantity", "cohesive: penalty stiffness K_n = K_t of the bonded interface (and of "
                                             "contact), default 0.01 GPa/nm: between ~10 binder modulus / "
                                             "radius and ~3 binder modulus / element size; must exceed strength^2 / (2 energy)", None, "Pa/m", "GPa/nm", 0.0, 1e25,
                                 lo_open=True),
    "contact_threshold": Field("number", "cohesive: a particle whose contact fraction (interface area not debonded "
                                         "over its interface area) falls to or below this value loses its electrical "
                                         "contact: no flux from the next step on, its lithium trapped (0: when its "
                                         "whole interface has debonded, the default)", None, lo=0.0, hi=1.0, hi_open=True),
}
"""The interface keys (merged into `case.electrode.ELECTRODE`)."""

_LAW = ("interface_normal_strength", "interface_tangential_strength", "interface_normal_energy",
        "interface_tangential_energy")


def patch_interface(v: dict, raw: dict) -> Interface | None:
    """The cohesive law of the particle-binder interface (SI), None if bonded; `v` the checked
    [electrode] values, `raw` the keys as given. Raise CaseError naming the key."""
    if v["interface"] == "bonded":
        for key in (*_LAW, "interface_stiffness", "contact_threshold"):
            if key in raw:
                raise CaseError(f"electrode.{key}", raw[key], 'needs electrode.interface = "cohesive"')
        return None
    for key in _LAW:
        if v[key] is None:
            raise CaseError(f"electrode.{key}", REQUIRED, f'is required with electrode.interface = "cohesive" '
                                                          f"({INTERFACE_KEYS[key].doc.removeprefix('cohesive: ')})")
    if v["mechanics"] != "small-strain":
        raise CaseError("electrode.interface", "cohesive", 'is solved at small strain: set electrode.mechanics = '
                                                          '"small-strain" or electrode.interface = "bonded"')
    k = v["interface_stiffness"] or STIFFNESS
    for mode in ("normal", "tangential"):
        s, g = v[f"interface_{mode}_strength"], v[f"interface_{mode}_energy"]
        if k <= s * s / (2 * g):
            raise CaseError("electrode.interface_stiffness", INTERFACE_KEYS["interface_stiffness"].dump(k),
                            f"must exceed interface_{mode}_strength^2 / (2 interface_{mode}_energy) = "
                            f"{s * s / (2 * g) / 1e18:.4g} GPa/nm (the bonded interface would store more than its "
                            "fracture energy)")
    return Interface(v["interface_normal_strength"], v["interface_tangential_strength"], v["interface_normal_energy"],
                     v["interface_tangential_energy"], k, k, sei_growth="none")

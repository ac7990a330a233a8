"""The binder keys of [electrode]: the binder material, its elastic overrides and its law,
elastic or visco-elastic (a standard linear solid in shear, bulk elastic:
`physics.viscoelasticity`).

    [electrode]
    binder = "PVDF"
    binder_law = "visco-elastic"
    binder_youngs_modulus = "1 GPa"               # instantaneous E_0 (override)
    binder_relaxed_youngs_modulus = "0.5 GPa"     # E_inf, the bulk modulus held (override)
    binder_relaxation_time = "10 s"               # tau (override)

Refused before meshing, naming the key: a visco-elastic binder without a relaxed modulus or a
relaxation time (from the library or the case), a relaxed modulus above the instantaneous one,
a zero or negative value, relaxation keys with an elastic binder, a visco-elastic binder at
finite strain or with a cohesive particle-binder interface (neither is built).
"""

from __future__ import annotations

from seifem.case.fields import Field
from seifem.errors import REQUIRED, CaseError
from seifem.materials import Material

__all__ = ["BINDER_KEYS", "VISCO", "resolve_binder"]

VISCO = ("relaxed_youngs_modulus", "relaxation_time")
"""The binder properties a visco-elastic law needs beyond E and nu."""

BINDER_KEYS: dict[str, Field] = {
    "binder_youngs_modulus": Field("quantity", "override of the binder's Young's modulus (effective, wetted "
                                               "carbon-binder domain; a visco-elastic binder's instantaneous "
                                               "modulus E_0)", None, "Pa", "GPa", 1e5, 2e12, lo_open=True),
    "binder_poisson_ratio": Field("number", "override of the binder's Poisson's ratio (visco-elastic: the "
                                            "instantaneous nu_0)", None, lo=-0.99, hi=0.499),
    "binder_law": Field("choice", "binder law: elastic, or visco-elastic (small strain: a standard linear solid in "
                                  "shear, one Maxwell branch, the bulk modulus elastic; needs the binder's "
                                  "relaxed_youngs_modulus and relaxation_time)", "elastic",
                        choices=("elastic", "visco-elastic")),
    "binder_relaxed_youngs_modulus": Field("quantity", "visco-elastic: override of the binder's relaxed (long-time) "
                                                       "Young's modulus E_inf, at most the instantaneous one (the "
                                                       "bulk modulus held)", None, "Pa", "GPa", 1e5, 2e12,
                                           lo_open=True),
    "binder_relaxation_time": Field("quantity", "visco-elastic: override of the binder's relaxation time tau",
                                    None, "s", "s", 0.0, 1e12, lo_open=True),
}
"""The binder keys (merged into `case.electrode.ELECTRODE` after `binder`)."""


def resolve_binder(v: dict, raw: dict, binder: Material) -> Material:
    """The library binder with the case's overrides, checked for its law; `v` the checked
    [electrode] values, `raw` the keys as given. Raise CaseError naming the key."""
    props = ("youngs_modulus", "poisson_ratio", *VISCO)
    binder = binder.with_overrides({p: v[f"binder_{p}"] for p in props if v[f"binder_{p}"] is not None})
    for prop in ("youngs_modulus", "poisson_ratio"):
        if prop not in binder.values:
            raise CaseError(f"electrode.binder_{prop}", REQUIRED, f"binder {binder.name!r} has no {prop}; set it")
    if v["binder_law"] == "elastic":
        for prop in VISCO:
            if f"binder_{prop}" in raw:
                raise CaseError(f"electrode.binder_{prop}", raw[f"binder_{prop}"],
                                'needs electrode.binder_law = "visco-elastic"')
        return binder
    for prop in VISCO:
        if prop not in binder.values:
            raise CaseError(f"electrode.binder_{prop}", REQUIRED,
                            f'is required with electrode.binder_law = "visco-elastic": binder {binder.name!r} has no '
                            f"{prop} in the library; set it")
    E0, E_inf = binder.si("youngs_modulus"), binder.si("relaxed_youngs_modulus")
    if E_inf > E0:
        raise CaseError("electrode.binder_relaxed_youngs_modulus",
                        BINDER_KEYS["binder_relaxed_youngs_modulus"].dump(E_inf),
                        f"must be at most the instantaneous binder_youngs_modulus "
                        f"{BINDER_KEYS['binder_youngs_modulus'].dump(E0)} (a relaxing binder softens)")
    if v["mechanics"] != "small-strain":
        raise CaseError("electrode.binder_law", "visco-elastic", 'is built at small strain only: set '
                                                                 'electrode.mechanics = "small-strain" or '
                                                                 'electrode.binder_law = "elastic"')
    if v["interface"] != "bonded":
        raise CaseError("electrode.binder_law", "visco-elastic", 'is built with a bonded interface only: set '
                                                                 'electrode.interface = "bonded" or '
                                                                 'electrode.binder_law = "elastic"')
    return binder

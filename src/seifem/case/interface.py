"""The [interface] section: a cohesive core/first-layer interface that debonds and slides
(`seifem.physics.cohesive`), and the combinations it refuses before any mesh is built.

Supported: geometry.model = "1d", "2d" or "3d" with at least one meshed layer outside the
core (a coating, or a resolved SEI): the interface is the core's outer surface, between the
core and that layer (`seifem.reduced.radial_interface`, `seifem.reduced.axisym_interface`,
`seifem.problem.cohesive`). The 3d model solves it on the octant at small strain with elastic
layers and one-way coupling, without SEI growth on the debonded area. Refused with a
`CaseError` naming the key: the 2d-plane model, in 3d the full domain, finite strain,
plasticity, two-way coupling, [fracture], yolk-shell, interface.sei_growth other than
"none"; in the 1d and 2d twins plasticity and finite strain; a
core without a meshed layer, missing strengths or energies (the schema), a penalty
stiffness that would store more than the fracture energy before the interface softens.
"""

from __future__ import annotations

from dataclasses import dataclass

from seifem.errors import CaseError
from seifem.physics.cohesive import CohesiveLaw

__all__ = ["Interface", "parse_interface"]


@dataclass(frozen=True)
class Interface:
    """Cohesive law of the core/first-layer interface in SI (Pa, J/m^2, Pa/m) and the SEI
    growth law on its debonded area ("none", "solvent-diffusion", "reaction-limited")."""

    normal_strength: float
    tangential_strength: float
    normal_energy: float
    tangential_energy: float
    normal_stiffness: float
    tangential_stiffness: float
    mixity_exponent: float = 2.0
    sei_growth: str = "solvent-diffusion"

    def law(self) -> CohesiveLaw:
        return CohesiveLaw(self.normal_strength, self.tangential_strength, self.normal_energy,
                           self.tangential_energy, self.normal_stiffness, self.tangential_stiffness,
                           self.mixity_exponent)


def parse_interface(tree: dict, values: dict, shells, geometry, physics=None, fracture=None) -> Interface:
    """Validate the [interface] section (`values`: its keys in SI, from the schema) against the
    rest of the case; raise `CaseError` on the first unsupported combination."""
    raw = tree["interface"]
    if geometry.model not in ("1d", "2d", "3d"):
        raise CaseError("geometry.model", geometry.model, "the cohesive [interface] is solved in 3d and in the 1d and "
                                                          "2d twins; set geometry.model = \"3d\", \"1d\" or \"2d\", "
                                                          "or remove [interface]")
    if geometry.model == "3d":
        _check_3d(raw, values, geometry, physics, fracture)
    elif physics is not None and physics.plasticity:  # the twins' cohesive interface joins elastic fields
        raise CaseError("physics.plasticity", True, f"the {geometry.model} cohesive interface is solved with elastic "
                                                    "layers; set physics.plasticity = false or remove [interface]")
    elif physics is not None and physics.mechanics != "small-strain":
        raise CaseError("physics.mechanics", physics.mechanics, f"the {geometry.model} cohesive interface is solved "
                                                                "at small strain; set physics.mechanics = "
                                                                "\"small-strain\" or remove [interface]")
    if not shells:
        raise CaseError("interface", "[interface]", "needs a meshed layer outside the core (a [coating] or a "
                                                    "resolved SEI, sei.model = \"resolved\") to debond from")
    for mode, s, g, k in (("normal", "normal_strength", "normal_energy", "normal_stiffness"),
                          ("tangential", "tangential_strength", "tangential_energy", "tangential_stiffness")):
        least = values[s] ** 2 / (2 * values[g])
        if values[k] <= least:
            raise CaseError(f"interface.{k}", raw.get(k, "(default)"),
                            f"must exceed {s}^2 / (2 {g}) = {least / 1e18:.4g} GPa/nm (the bonded {mode} interface "
                            f"would store more than its fracture energy)")
    return Interface(**{k: values[k] for k in ("normal_strength", "tangential_strength", "normal_energy",
                                               "tangential_energy", "normal_stiffness", "tangential_stiffness",
                                               "mixity_exponent", "sei_growth")})


def _check_3d(raw: dict, values: dict, geometry, physics, fracture) -> None:
    """What the 3d cohesive interface (`seifem.problem.cohesive`) does not combine with."""
    why = "the 3d cohesive interface is solved"
    if geometry.domain != "octant":
        raise CaseError("geometry.domain", geometry.domain, f"{why} on the octant model; set geometry.domain = "
                                                            "\"octant\" or remove [interface]")
    if geometry.shape == "yolk-shell":
        raise CaseError("geometry.shape", "yolk-shell", f"{why} on bonded shapes, not with yolk-shell contact; "
                                                        "remove [interface]")
    if physics is not None:
        if physics.mechanics != "small-strain":
            raise CaseError("physics.mechanics", physics.mechanics, f"{why} at small strain; set physics.mechanics = "
                                                                    "\"small-strain\" or remove [interface]")
        if physics.plasticity:
            raise CaseError("physics.plasticity", True, f"{why} with elastic layers; set physics.plasticity = false "
                                                        "or remove [interface]")
        if physics.coupling != "one-way":
            raise CaseError("physics.coupling", physics.coupling, f"{why} with one-way coupling; set "
                                                                  "physics.coupling = \"one-way\" or remove [interface]")
    if fracture is not None:
        raise CaseError("fracture", "[fracture]", f"{why} without phase-field fracture; remove [fracture] or "
                                                  "[interface]")
    if values["sei_growth"] != "none":
        raise CaseError("interface.sei_growth", raw.get("sei_growth", values["sei_growth"]),
                        f"{why} without SEI growth on the debonded area (1d and 2d twins only); set "
                        "interface.sei_growth = \"none\"")

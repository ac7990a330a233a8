"""Materials: named property sets with their sources, and the properties a case may override.

Every value carries its source. `estimate=True` marks a value that is a modelling choice or
an unverified literature figure; reports flag such values. See `library.py` for the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from seifem.errors import MaterialError
from seifem.units import FARADAY

if TYPE_CHECKING:
    from seifem.materials.ocp import OpenCircuitPotential

__all__ = ["Value", "Property", "Material", "PROPERTIES", "FARADAY", "get", "names", "MaterialError",
           "specific_capacity", "ions_per_host"]



@dataclass(frozen=True, slots=True)
class Value:
    """One property value in SI units with where it comes from."""

    si: float
    source: str
    estimate: bool = False


@dataclass(frozen=True, slots=True)
class Property:
    """What a property means, its SI unit, a display unit and its physical range (SI)."""

    si_unit: str
    display_unit: str
    lo: float
    hi: float
    doc: str
    lo_open: bool = False  # True: value must be > lo, else >= lo


PROPERTIES: dict[str, Property] = {
    "youngs_modulus": Property("Pa", "GPa", 1e5, 2e12, "Young's modulus E", lo_open=True),
    "poisson_ratio": Property("", "", -0.99, 0.499, "Poisson's ratio nu"),
    "relaxed_youngs_modulus": Property("Pa", "GPa", 1e5, 2e12, "relaxed (long-time) Young's modulus E_inf of a "
                                       "visco-elastic binder: its shear relaxes, its bulk modulus does not", lo_open=True),
    "relaxation_time": Property("s", "s", 0.0, 1e12, "relaxation time tau of a visco-elastic binder's Maxwell branch",
                                lo_open=True),
    "diffusivity": Property("m^2/s", "m^2/s", 1e-24, 1e-6, "ion diffusivity D in the host"),
    "max_concentration": Property("mol/m^3", "mol/m^3", 1.0, 1e6, "c_max: ions per host volume at full alloying"),
    "partial_molar_volume": Property("m^3/mol", "m^3/mol", 0.0, 1e-3, "Omega: volume added per mole of ions (linear Vegard swelling)"),
    "density": Property("kg/m^3", "g/cm^3", 10.0, 3e4, "mass density of the unalloyed material"),
    "elastic_strain_limit": Property("", "", 0.0, 10.0, "largest elastic strain before the layer yields or cracks", lo_open=True),
    "molar_mass": Property("kg/mol", "g/mol", 1e-3, 1.0, "molar mass of the host per host atom (c_max = x rho / M)"),
    "volume_ratio": Property("", "", 1.0, 20.0, "V/V0 of the fully alloyed end phase per host volume (finite-strain swelling J at c_max)"),
    "yield_stress": Property("Pa", "MPa", 0.0, 1e11, "yield (plastic flow) stress; for an active material that of the alloyed phase", lo_open=True),
    "fracture_toughness": Property("Pa*m^0.5", "MPa*m^0.5", 0.0, 1e8, "mode-I fracture toughness K_Ic", lo_open=True),
    "fracture_energy": Property("J/m^2", "J/m^2", 0.0, 1e4, "fracture energy Gamma (crack growth resistance, e.g. channel cracking)", lo_open=True),
    "strength": Property("Pa", "MPa", 0.0, 2e11, "tensile (fracture) strength of the layer, for failure checks", lo_open=True),
    "exchange_current_density": Property("A/m^2", "A/m^2", 0.0, 1e5, "Butler-Volmer exchange current density i0 at "
                                         "theta = 0.5 in the reference electrolyte (i0 ~ sqrt(theta (1 - theta)))",
                                         lo_open=True),
    "reaction_activation_energy": Property("J/mol", "kJ/mol", 0.0, 3e5, "activation energy of i0 (Arrhenius about 298.15 K)"),
    "diffusivity_activation_energy": Property("J/mol", "kJ/mol", 0.0, 3e5, "activation energy of D (Arrhenius about 298.15 K)"),
    "resistivity": Property("ohm*m", "ohm*m", 0.0, 1e12, "ionic resistivity of an SEI film (film resistance = resistivity x thickness)"),
}
"""Every material property with its unit and physical range. A case may override those that
`schema.py` lists for its section; the others are library data (reports, derived quantities)."""


@dataclass(frozen=True)
class Material:
    """A named material: `kind` is "active" (stores ions), "coating", "sei" or "binder"."""

    name: str
    kind: str
    description: str
    values: dict[str, Value] = field(default_factory=dict)
    ion: str | None = None
    ocp: "OpenCircuitPotential | None" = None  # active materials: open-circuit potential (materials.ocp)

    def si(self, prop: str) -> float:
        """The property's SI value."""
        return self.values[prop].si

    def with_overrides(self, overrides: dict[str, float]) -> "Material":
        """A copy with some properties replaced by case values (source: 'case file')."""
        values = dict(self.values)
        for key, si in overrides.items():
            values[key] = Value(si, "case file")
        return replace(self, values=values)


def specific_capacity(material: Material) -> float:
    """Theoretical capacity per mass of host in mAh/g, from c_max (per host volume) and the host density.

    c_max F / rho is in C/kg and 1 mAh/g = 3.6 C/g = 3600 C/kg, so Q = c_max F / (3600 rho) with
    c_max in mol/m^3 and rho in kg/m^3. Example, Li15Si4 on Si: 310970 x 96485 / (3600 x 2329) = 3579 mAh/g.
    """
    return material.si("max_concentration") * FARADAY / (3600.0 * material.si("density"))


def ions_per_host(material: Material) -> float:
    """x in A_x M at full alloying (A = Li/Na/K per host atom): x = c_max M / rho."""
    return material.si("max_concentration") * material.si("molar_mass") / material.si("density")


def _library() -> dict[str, Material]:
    from seifem.materials.library import LIBRARY
    from seifem.materials.ocp import OCP_CURVES

    return {m.name: replace(m, ocp=OCP_CURVES.get(m.name)) for m in LIBRARY}


def names(kind: str | None = None) -> list[str]:
    """Library names, optionally only those of one kind."""
    return sorted(n for n, m in _library().items() if kind is None or m.kind == kind)


ALIASES = {"silicon": "Si", "germanium": "Ge", "tin": "Sn", "antimony": "Sb", "bismuth": "Bi", "phosphorus": "P",
           "red phosphorus": "P", "aluminium": "Al", "aluminum": "Al", "amorphous carbon": "carbon",
           "alumina": "Al2O3", "titania": "TiO2", "zirconia": "ZrO2", "silica": "SiOx", "silicon oxide": "SiOx",
           "magnesium fluoride": "MgF2", "polypyrrole": "PPy", "polyaniline": "PANI",
           "sodium": "Na", "potassium": "K", "lithium": "Li"}
"""Element and compound names users write, lower case, for the library's symbols ("silicon" ->
"Si"; with a guest ion: "tin-sodium" -> "Sn-Na")."""


def canonical_name(name: str) -> str:
    """The library name `name` means: itself, the same name in another case ("si", "SEI-carbonate"),
    or an alias ("silicon", "Tin-Na", "antimony-potassium"); `name` unchanged if none fits."""
    library = {n.lower(): n for n in _library()}
    key = " ".join(name.strip().lower().split())
    if key in library:
        return library[key]
    host, _, ion = key.partition("-")
    host, ion = ALIASES.get(host, host), ALIASES.get(ion, ion)
    candidate = f"{host}-{ion}" if ion else host
    return library.get(candidate.lower(), name)


def get(name: str) -> Material:
    """The library material called `name` (any letter case, or an alias: `canonical_name`)."""
    try:
        return _library()[canonical_name(name)]
    except KeyError:
        raise MaterialError(name) from None

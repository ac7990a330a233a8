"""Materials: named property sets with their sources, and the properties a case may override.

Every value carries its source. `estimate=True` marks a value that is a modelling choice or
an unverified literature figure; reports flag such values. See `library.py` for the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

__all__ = ["Value", "Property", "Material", "PROPERTIES", "get", "names", "MaterialError"]


class MaterialError(KeyError):
    """An unknown material name."""


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
    "diffusivity": Property("m^2/s", "m^2/s", 1e-24, 1e-6, "ion diffusivity D in the host"),
    "max_concentration": Property("mol/m^3", "mol/m^3", 1.0, 1e6, "c_max: ions per host volume at full alloying"),
    "partial_molar_volume": Property("m^3/mol", "m^3/mol", 0.0, 1e-3, "Omega: volume added per mole of ions (linear Vegard swelling)"),
    "density": Property("kg/m^3", "g/cm^3", 10.0, 3e4, "mass density of the unalloyed material"),
    "elastic_strain_limit": Property("", "", 0.0, 10.0, "largest elastic strain before the layer yields or cracks", lo_open=True),
}
"""Every property a case may set in a [particle], [coating] or [sei] section."""


@dataclass(frozen=True)
class Material:
    """A named material: `kind` is "active" (stores ions), "coating" or "sei"."""

    name: str
    kind: str
    description: str
    values: dict[str, Value] = field(default_factory=dict)
    ion: str | None = None

    def si(self, prop: str) -> float:
        """The property's SI value."""
        return self.values[prop].si

    def with_overrides(self, overrides: dict[str, float]) -> "Material":
        """A copy with some properties replaced by case values (source: 'case file')."""
        values = dict(self.values)
        for key, si in overrides.items():
            values[key] = Value(si, "case file")
        return replace(self, values=values)


def _library() -> dict[str, Material]:
    from .library import LIBRARY

    return {m.name: m for m in LIBRARY}


def names(kind: str | None = None) -> list[str]:
    """Library names, optionally only those of one kind."""
    return sorted(n for n, m in _library().items() if kind is None or m.kind == kind)


def get(name: str) -> Material:
    """The library material called `name`."""
    try:
        return _library()[name]
    except KeyError:
        raise MaterialError(name) from None

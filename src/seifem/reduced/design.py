"""Spherically symmetric particle designs in SI units, and the design of a seifem `Case`."""

from __future__ import annotations

from dataclasses import dataclass

from seifem.physics.cohesive import CohesiveLaw

__all__ = ["RadialLayer", "RadialDesign", "design_from_case"]

_CORE_KEYS = ("youngs_modulus", "poisson_ratio", "diffusivity", "max_concentration", "partial_molar_volume")


@dataclass(frozen=True)
class RadialLayer:
    """A concentric layer (coating) or the SEI membrane: thickness (m), E (Pa), nu, an optional
    region name for a coating (default "coating" / "coating<i>") and yield stress (Pa)."""

    thickness: float
    youngs_modulus: float
    poisson_ratio: float
    name: str = ""
    yield_stress: float | None = None
    """J2 yield stress (Pa) of a coating (None: elastic)."""

    def __post_init__(self):
        if self.yield_stress is not None and not self.yield_stress > 0:
            raise ValueError(f"invalid layer yield stress {self.yield_stress}")
        if not (self.thickness > 0 and self.youngs_modulus > 0 and -1 < self.poisson_ratio < 0.5):
            raise ValueError(f"invalid layer {self}")


@dataclass(frozen=True)
class RadialDesign:
    """A spherically symmetric particle in SI units (m, Pa, m^2/s, mol/m^3, m^3/mol).

    radius: outer radius of the active core; r_inner: radius of the central void (0: solid);
    inner_surface: "sealed" (no flux, no SEI) or "open" (same inward flux density as the
    outer core surface, SEI too); coatings: layers outside the core, innermost first; sei:
    membrane on the electrolyte-facing surface(s). core_cells / layer_cells: equal cells in
    the core and in each coating (interfaces are nodes)."""

    radius: float
    youngs_modulus: float
    poisson_ratio: float
    diffusivity: float
    max_concentration: float
    partial_molar_volume: float
    initial_soc: float = 0.0
    r_inner: float = 0.0
    inner_surface: str = "sealed"
    coatings: tuple[RadialLayer, ...] = ()
    sei: RadialLayer | None = None
    degree: int = 2
    core_cells: int = 64
    layer_cells: int = 8
    time_scheme: str = "bdf2"
    interface: CohesiveLaw | None = None
    """Cohesive law of the core/first-layer interface (None: bonded); needs a coating."""
    interface_sei: str = "none"
    """SEI growth law on the debonded interface: "none", "solvent-diffusion", "reaction-limited"."""
    diffusivity_factor: tuple[tuple[float, float], ...] | None = None
    """(theta, factor) table: D(theta) = diffusivity x factor, linear in between (None: constant)."""
    volume_curve: tuple[tuple[float, float], ...] | None = None
    """(theta, V/V0) per-phase free volume of the host (None: linear, partial_molar_volume)."""
    yield_stress: float | None = None
    """J2 yield stress (Pa) of the core (None: elastic); coatings carry their own."""
    yield_stress_factor: tuple[tuple[float, float], ...] | None = None
    """(theta, factor) table: the core's yield stress x factor(theta), linear in between."""
    finite_strain: bool = False
    """Neo-Hookean finite strain with the chemical stretch (elastic; a St Venant-Kirchhoff SEI film)."""

    def __post_init__(self):
        object.__setattr__(self, "coatings", tuple(self.coatings))
        if not 0 <= self.r_inner < self.radius:
            raise ValueError(f"need 0 <= r_inner < radius, got {self.r_inner} and {self.radius}")
        if self.inner_surface not in ("sealed", "open"):
            raise ValueError(f"inner_surface must be 'sealed' or 'open', got {self.inner_surface!r}")
        if self.time_scheme not in ("bdf2", "euler"):
            raise ValueError(f"time_scheme must be 'bdf2' or 'euler', got {self.time_scheme!r}")
        if self.interface is not None and not self.coatings:
            raise ValueError("a cohesive interface needs a layer outside the core")
        if self.interface is not None and self.yield_stresses:
            raise ValueError("a cohesive interface is modelled with elastic layers (no yield stress)")
        if self.finite_strain and (self.interface is not None or self.volume_curve is not None):
            raise ValueError("finite strain in the 1D twin is without interface or phase curve")
        if self.yield_stress_factor is not None and self.yield_stress is None:
            raise ValueError("yield_stress_factor needs a core yield_stress")
        if min(self.core_cells, self.layer_cells, self.degree) < 1:
            raise ValueError("core_cells, layer_cells and degree must be >= 1")

    @property
    def breaks(self) -> list[float]:
        """Region boundaries (m): inner radius (or 0), core radius, then each coating's outer."""
        out = [self.r_inner, self.radius]
        for layer in self.coatings:
            out.append(out[-1] + layer.thickness)
        return out

    @property
    def yield_stresses(self) -> dict[str, float]:
        """Region name -> yield stress (Pa) of the regions that can yield."""
        ys = [self.yield_stress] + [c.yield_stress for c in self.coatings]
        return {n: y for n, y in zip(self.region_names, ys) if y is not None}

    @property
    def outer_radius(self) -> float:
        return self.breaks[-1]

    @property
    def open_inner(self) -> bool:
        return self.r_inner > 0 and self.inner_surface == "open"

    @property
    def region_names(self) -> list[str]:
        n = len(self.coatings)
        default = ["coating"] if n == 1 else [f"coating{i + 1}" for i in range(n)]
        return ["core"] + [c.name or d for c, d in zip(self.coatings, default)]


def design_from_case(case, **overrides) -> RadialDesign:
    """The radial design of a seifem `Case`: core, coatings, SEI and hollow core; keyword
    overrides replace any field."""
    plastic = case.physics.plasticity

    def yield_of(material):
        return material.si("yield_stress") if plastic and "yield_stress" in material.values else None

    def layer(lay, yields=False):
        return RadialLayer(lay.thickness, lay.material.si("youngs_modulus"), lay.material.si("poisson_ratio"), lay.name,
                           yield_of(lay.material) if yields else None)

    from seifem.physics.electrochemistry import arrhenius

    m, g = case.particle.material, case.geometry
    Ea = m.si("diffusivity_activation_energy") if "diffusivity_activation_energy" in m.values else 0.0
    kw = dict(radius=case.particle.radius, **{k: m.si(k) for k in _CORE_KEYS},
              initial_soc=case.particle.initial_soc, coatings=tuple(layer(c, True) for c in case.shells),
              yield_stress=yield_of(m),
              r_inner=g.inner_radius, inner_surface=g.inner_surface,
              sei=layer(case.sei) if case.sei_model == "membrane" else None,
              degree=case.solver.degree, time_scheme=case.solver.time_scheme,
              # a 1d/2d case is validated for it; a 3d case's design (a twin to compare with) stays small strain
              finite_strain=case.physics.mechanics == "finite-strain" and g.model in ("1d", "2d"))
    if case.interface is not None:
        kw.update(interface=case.interface.law(), interface_sei=case.interface.sei_growth)
    kw["diffusivity"] *= arrhenius(Ea, case.physics.temperature)
    if g.model == "1d":
        kw.update(twin_cells(case))
    if case.particle.diffusivity_factor is not None:
        kw["diffusivity_factor"] = case.particle.diffusivity_factor
    kw["volume_curve"] = case.particle.volume_curve
    if kw["yield_stress"] is not None and "yield_stress" in case.particle.factors:
        kw["yield_stress_factor"] = tuple(case.particle.factors["yield_stress"])
    return RadialDesign(**{**kw, **overrides})


def twin_cells(case) -> dict[str, int]:
    """The 1D twin's grid from the case's mesh keys, where given: core_cells = wall thickness /
    geometry.mesh_size; layer_cells = geometry.layer_cells, or the thickest layer over
    geometry.surface_mesh_size (else the defaults, 64 and 8)."""
    import math

    geo, g = case.raw.get("geometry", {}), case.geometry
    out = {}
    if "mesh_size" in geo:
        out["core_cells"] = max(1, math.ceil((case.particle.radius - g.inner_radius) / g.mesh_size - 1e-9))
    if g.layer_cells:
        out["layer_cells"] = g.layer_cells
    elif "surface_mesh_size" in geo and case.shells:
        out["layer_cells"] = max(1, math.ceil(max(s.thickness for s in case.shells) / g.surface_mesh_size - 1e-9))
    return out

"""The validated case: frozen dataclasses holding SI values (m, s, Pa, K, V, 1/h), one per
section of the case file (`schema.SECTIONS` names the keys, their units and ranges)."""

from __future__ import annotations

from dataclasses import dataclass, field

from seifem.case.fracture import Fracture
from seifem.case.interface import Interface
from seifem.case.shape import Geometry
from seifem.materials import Material

__all__ = ["Case", "Particle", "Layer", "Geometry", "Step", "Physics", "Solver", "Output", "Electrochemistry"]


@dataclass(frozen=True)
class Particle:
    """Active (ion-storing) core: material with case overrides, radius (m), initial c/c_max,
    and concentration dependences: property -> (theta, factor) points ("diffusivity",
    "youngs_modulus", "poisson_ratio", "yield_stress"; absent: constant)."""

    material: Material
    radius: float
    initial_soc: float
    factors: dict[str, tuple[tuple[float, float], ...]] = field(default_factory=dict)
    expansion: str = "linear"
    """"linear" (Vegard: partial_molar_volume) or "phases" (the material's per-phase volume curve)."""

    @property
    def volume_curve(self) -> tuple[tuple[float, float], ...] | None:
        """(theta, V/V0) points of the per-phase expansion, or None (linear law)."""
        if self.expansion != "phases":
            return None
        from seifem.materials.phases import volume_curve

        return volume_curve(self.material.name).points

    @property
    def diffusivity_factor(self) -> tuple[tuple[float, float], ...] | None:
        return self.factors.get("diffusivity")


@dataclass(frozen=True)
class Layer:
    """A coating, shell or SEI layer: material, thickness (m), region name, and the width (m)
    of a void under it (0: bonded to the layer below; > 0: the shell of a yolk-shell)."""

    material: Material
    thickness: float
    name: str = ""
    gap: float = 0.0


@dataclass(frozen=True)
class Step:
    """One protocol step: mode "lithiate" / "delithiate" (constant current c_rate, 1/h), "hold"
    (constant `voltage`, V) or "rest"; ends at `duration` (s) or at the first cut-off reached:
    until_soc (mean filling fraction), until_voltage (V), until_current (C-rate magnitude, 1/h,
    holds), until_capacity (charge passed in the step per mass of active material, mAh/g).
    Mode "equilibrate" sets the uniform filling fraction `soc` (or the one whose free volume
    change is `swelling`) at once (no time passes).
    dt: largest time step (s)."""

    mode: str
    c_rate: float
    duration: float | None
    until_soc: float | None
    dt: float
    cycle: int = 1
    voltage: float | None = None
    until_voltage: float | None = None
    until_current: float | None = None
    until_capacity: float | None = None
    soc: float | None = None
    swelling: float | None = None


@dataclass(frozen=True)
class Electrochemistry:
    """Surface kinetics: "uniform", "butler-volmer" or "none"; anodic transfer coefficient."""

    kinetics: str = "uniform"
    transfer_coefficient: float = 0.5


@dataclass(frozen=True)
class Physics:
    """Model choices: mechanics ("small-strain" / "finite-strain"), J2 plasticity, coupling
    ("one-way" / "two-way"), temperature (K)."""

    mechanics: str
    plasticity: bool
    coupling: str
    temperature: float


@dataclass(frozen=True)
class Solver:
    """Discretisation: largest time step (s), element degree, time scheme, linear rtol,
    contact penalty factor (yolk-shell), resource bounds, cycle jumping (cycle-life runs); adaptive
    time stepping: on/off, the relative local error per step, the smallest step (s); the solver
    of two-way coupling (auto / direct / staggered)."""

    dt: float
    degree: int
    time_scheme: str
    rtol: float
    contact_penalty: float = 100.0
    max_cells: int = 2_000_000
    max_steps: int = 200_000
    cycle_jump: int = 0
    adaptive: bool = False
    time_rtol: float = 1e-3
    dt_min: float = 1e-3
    coupling_solver: str = "auto"


@dataclass(frozen=True)
class Output:
    """What to write: field times (s), named probe points (m), whether to render and write
    fields, time steps between checkpoints."""

    field_times: tuple[float, ...]
    probes: dict[str, tuple[float, float, float]]
    render: bool
    fields: bool
    checkpoint_every: int


@dataclass(frozen=True)
class Case:
    """A validated case in SI units. `raw` is the resolved TOML tree (for the run directory)."""

    title: str
    description: str
    particle: Particle
    coatings: tuple[Layer, ...]
    sei: Layer | None
    sei_model: str
    sei_growth: str
    geometry: Geometry
    protocol: tuple[Step, ...]
    physics: Physics
    solver: Solver
    output: Output
    raw: dict
    electrochemistry: Electrochemistry = Electrochemistry()
    sei_potential: float = 0.1
    """Electrode potential phi_s - phi_e (V) of the reaction-limited SEI growth law, while no
    voltage is computed (electrochemistry.kinetics = "none")."""
    shell: Layer | None = None
    fracture: Fracture | None = None
    """Phase-field fracture ([fracture]); None: nothing cracks."""
    interface: Interface | None = None
    """Cohesive core/first-layer interface ([interface]); None: perfectly bonded."""
    sei_layers: tuple = ()
    """The layered membrane SEI (physics.layered_membrane.SEILayer, inside out); `sei` is then
    their equivalent film. Empty: one film."""
    sei_layer_tables: tuple = ()
    sei_electrolyte: str | None = None
    sei_layer_laws: tuple = ()
    """Law of each SEI layer (None: elastic; physics.sei_inelastic laws), for cycle-life runs."""
    sei_regions: tuple[Layer, ...] = ()
    """A resolved layered SEI: one meshed region per layer, inside out (`sei_<name>`, the layer's
    own material); empty otherwise (a resolved single film is the region "sei")."""

    @property
    def shells(self) -> tuple[Layer, ...]:
        """The meshed layers outside the core, inside out: the coatings, the shell of a
        yolk-shell (across its void) and a resolved SEI (one film, or its layers)."""
        sei = (self.sei_regions or (self.sei,)) if self.sei_model == "resolved" else ()
        return self.coatings + ((self.shell,) if self.shell else ()) + sei

    @property
    def solid_layers(self) -> tuple[Layer, ...]:
        """The layers with the coating failure indicators: the coatings, a yolk-shell's shell and
        the layers of a resolved layered SEI."""
        return self.coatings + ((self.shell,) if self.shell else ()) + self.sei_regions

    @property
    def outer_radius(self) -> float:
        """Radius of the particle including its coatings, a yolk-shell's void and shell (m);
        the SEI membrane sits there (for other shapes: core radius plus the layer thicknesses)."""
        shell = self.shell.gap + self.shell.thickness if self.shell else 0.0
        return self.particle.radius + sum(c.thickness for c in self.coatings) + shell

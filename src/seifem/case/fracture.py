"""The [fracture] section: phase-field fracture of the core and of resolved layers
(`seifem.problem.particle_fracture`), and the combinations it refuses before any mesh is built.

Supported: geometry.model = "3d" (geometry.domain = "octant"), "2d" (the axisymmetric twin:
circumferential cracks, `problem.axisym_fracture`) and "2d-plane", small-strain linear elasticity
with one-way coupling, any kinetics, a membrane or resolved SEI (it does not crack unless it
is listed in `regions` as a resolved layer); in 3d and in the 2d twin also small-strain J2
plasticity (`problem.fracture_plastic`, `problem.axisym_fracture_plastic`; plasticity in 2d-plane
is refused by the [physics] checks, naming geometry.model); in 3d finite strain, elastic
(neo-Hookean, `physics.phase_field.psi_split_finite`). In 3d and in the 2d twin a cracking step
can be solved in load increments (`fracture.balance_tolerance`, `problem.fracture_increments`).
Refused with a `CaseError` naming the key: finite strain with plasticity or outside 3d,
two-way coupling, the 1d twin, the full 3d domain, yolk-shell
contact, a cohesive [interface] in the 2d twin, SEI on crack faces or load increments in 2d-plane, a region that is not meshed, a cracking
material without a fracture energy, and a length scale below twice the surface mesh size (with
`notch_mesh_size`, the element size at the seeded flaws, below twice that: the flaws are then
where the cracks grow, and a warning says the rest of the surface does not resolve the length).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from seifem.errors import REQUIRED, CaseError

__all__ = ["Fracture", "parse_fracture"]

log = logging.getLogger(__name__)

RESOLUTION = 2.0
"""The length scale must be at least this many surface element sizes (the crack band, ~2 l
wide, then spans >= 4 elements)."""


@dataclass(frozen=True)
class Fracture:
    """model "AT1"/"AT2", length scale l (m), the cracking regions, residual stiffness k,
    staggered-loop tolerance and iteration limit."""

    model: str
    length_scale: float
    regions: tuple[str, ...]
    residual_stiffness: float = 1e-6
    tolerance: float = 1e-4
    max_iterations: int = 200
    notch_depth: float = 0.0
    notches: int = 1
    notch_mesh_size: float | None = None
    """2d-plane: element size (m) around the seeded flaws (None: the surface mesh size, no extra refinement)."""
    sei_growth: str = "none"
    """SEI on crack faces open to the electrolyte (3d, 2d twin): "none", "solvent-diffusion", "reaction-limited"."""
    balance_tolerance: float = 0.0
    """3d and 2d twin: the largest energy-balance defect of a time step over the energy stored and spent
    (`problem.fracture_increments`); 0: one solve per time step."""


def parse_fracture(tree: dict, values: dict, particle, coatings, sei_layer, sei_model: str, geometry,
                   physics) -> Fracture:
    """Validate the [fracture] section (`values`: its keys in SI, from the schema) against the
    rest of the case; raise `CaseError` on the first unsupported combination."""
    raw = tree["fracture"]
    model = values["model"]
    if physics.mechanics == "finite-strain" and physics.plasticity:
        raise CaseError("physics.plasticity", True, "phase-field fracture at finite strain is elastic; set "
                                                    "physics.plasticity = false or physics.mechanics = "
                                                    "\"small-strain\" (fracture with J2 plasticity)")
    if physics.mechanics == "finite-strain" and geometry.model != "3d":
        raise CaseError("physics.mechanics", physics.mechanics, "phase-field fracture at finite strain is solved in "
                                                                "3d; set geometry.model = \"3d\" or "
                                                                "physics.mechanics = \"small-strain\"")
    if physics.coupling != "one-way":
        raise CaseError("physics.coupling", physics.coupling, "phase-field fracture is solved with one-way coupling; "
                                                              "set physics.coupling = \"one-way\" or remove [fracture]")
    if geometry.model not in ("3d", "2d", "2d-plane"):
        raise CaseError("geometry.model", geometry.model, "phase-field fracture is solved in 3d, in the 2d "
                                                          "axisymmetric twin and in the 2d-plane cross-section; set "
                                                          "geometry.model = \"3d\", \"2d\" or \"2d-plane\" or "
                                                          "remove [fracture]")
    if geometry.model == "2d" and isinstance(tree.get("interface"), dict):
        raise CaseError("interface", "[interface]", "the 2d twin does not combine a cohesive interface with "
                                                    "phase-field fracture; remove [interface] or [fracture]")
    if geometry.model == "3d" and geometry.domain != "octant":
        raise CaseError("geometry.domain", geometry.domain, "phase-field fracture is solved on the octant model; set "
                                                            "geometry.domain = \"octant\" or remove [fracture]")
    if geometry.shape == "yolk-shell":
        raise CaseError("geometry.shape", "yolk-shell", "phase-field fracture is not combined with yolk-shell "
                                                        "contact; remove [fracture]")
    layers = {"core": ("particle", particle.material)}
    single = isinstance(tree.get("coating"), dict)
    for i, c in enumerate(coatings):
        layers[c.name] = ("coating" if single else f"coating.{i}", c.material)
    if sei_layer is not None and sei_model == "resolved":
        layers["sei"] = ("sei", sei_layer.material)
    for name in values["regions"]:
        if name not in layers:
            raise CaseError("fracture.regions", raw.get("regions"), f"{name!r} is not a meshed region; the regions "
                                                                    f"are {', '.join(layers)}")
        label, mat = layers[name]
        if "fracture_energy" not in mat.values:
            raise CaseError(f"{label}.fracture_energy", REQUIRED, f"material {mat.name!r} has no fracture energy; set "
                                                                 f"it in [{label.split('.')[0]}] to let {name!r} crack")
    for key in ("notch_depth", "notches", "notch_mesh_size"):
        if key in raw and geometry.model != "2d-plane":
            raise CaseError(f"fracture.{key}", raw[key], "seeded flaws are placed in the 2d-plane cross-section; "
                                                         "remove it or set geometry.model = \"2d-plane\"")
    hf = values["notch_mesh_size"]
    if hf is not None and values["notch_depth"] <= 0:
        raise CaseError("fracture.notch_mesh_size", raw.get("notch_mesh_size"), "refines the mesh around seeded flaws; "
                                                                               "set fracture.notch_depth > 0 or remove it")
    if hf is not None and hf > geometry.surface_mesh_size * (1 + 1e-12):
        raise CaseError("fracture.notch_mesh_size", raw.get("notch_mesh_size"),
                        f"must be at most geometry.surface_mesh_size ({geometry.surface_mesh_size * 1e9:g} nm)")
    l = values["length_scale"]
    h, key = (hf, "fracture.notch_mesh_size") if hf is not None else (geometry.surface_mesh_size,
                                                                       "geometry.surface_mesh_size")
    if l < RESOLUTION * h * (1 - 1e-12):
        raise CaseError("fracture.length_scale", raw.get("length_scale"),
                        f"must be >= {RESOLUTION:g} x {key} = {RESOLUTION * h * 1e9:g} nm (the mesh cannot resolve "
                        f"the crack band); refine {key} or raise the length")
    if hf is not None and l < RESOLUTION * geometry.surface_mesh_size:
        log.warning("fracture.length_scale = %s is below %g x geometry.surface_mesh_size: only the seeded flaws "
                    "(fracture.notch_mesh_size) resolve it; damage elsewhere on the surface (above the AT1 strength) "
                    "is not resolved", raw.get("length_scale"), RESOLUTION)
    if l < RESOLUTION * geometry.mesh_size:
        log.warning("fracture.length_scale = %s is below %g x geometry.mesh_size: cracks that run into the coarse "
                    "interior are not resolved there", raw.get("length_scale"), RESOLUTION)
    if values["sei_growth"] != "none" and geometry.model == "2d-plane":
        raise CaseError("fracture.sei_growth", raw.get("sei_growth"), "SEI on open crack faces is grown in 3d and in "
                                                                      "the 2d twin; set it to \"none\" or "
                                                                      "geometry.model = \"3d\" or \"2d\"")
    if values["balance_tolerance"] > 0.0 and geometry.model == "2d-plane":
        raise CaseError("fracture.balance_tolerance", raw.get("balance_tolerance"),
                        "load increments of a cracking step are taken in 3d and in the 2d twin (2d-plane has its "
                        "own substeps); set it to 0 or geometry.model = \"3d\" or \"2d\"")
    if values["notch_depth"] >= particle.radius:
        raise CaseError("fracture.notch_depth", raw.get("notch_depth"), f"must be below the particle radius "
                                                                       f"({particle.radius * 1e6:g} um)")
    return Fracture(model, l, tuple(values["regions"]), values["residual_stiffness"], values["tolerance"],
                    values["max_iterations"], values["notch_depth"], values["notches"], hf, values["sei_growth"],
                    values["balance_tolerance"])

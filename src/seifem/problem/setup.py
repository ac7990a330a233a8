"""Setting up a `ParticleProblem`: the concentration
dofs that only coatings touch, and the models attached to the problem for what linear
small-strain one-way physics does not cover (finite strain, plasticity, contact, fracture,
two-way coupling, Newton transport)."""

from __future__ import annotations

import numpy as np
from dolfinx import fem

from seifem.materials.ocp import table
from seifem.units import SCALES

__all__ = ["coating_only_dofs", "attach_models"]


def coating_only_dofs(V, geo, case) -> np.ndarray:
    """Local dofs of V that touch coating (shell) cells only: theta lives in the core, so they
    are held at 0 (empty without coatings)."""
    if not case.shells:
        return np.empty(0, dtype=np.int32)
    cells = np.concatenate([geo.cells(c.name) for c in case.shells])
    coat = fem.locate_dofs_topological(V, 3, cells)
    core = fem.locate_dofs_topological(V, 3, geo.cells("core"))
    return np.setdiff1d(coat, core).astype(np.int32)


def attach_models(p) -> None:
    """Set `p.nonlinear` (finite strain, plasticity, yolk-shell contact; not with [fracture], whose
    staggered solve carries the plastic return itself), `p.fracture`
    (phase-field), `p.cohesive` (a cohesive interface), `p.coupled` (two-way) and `p.transport` (Butler-Volmer, D(theta)) of the
    ParticleProblem `p` as its case asks (None where not)."""
    case, geo = p.case, p.geo
    S = SCALES.stress
    p.nonlinear = None
    contact = geo.has("shell_inner")  # a yolk-shell: the yolk meets its shell (seifem.problem.contact)
    yields = {}
    if case.physics.plasticity:
        layers = [("core", case.particle.material)] + [(c.name, c.material) for c in case.shells]
        yields = {n: m.si("yield_stress") / S for n, m in layers if "yield_stress" in m.values}
        if "core" in yields and "yield_stress" in case.particle.factors:
            yields["core"] = yields["core"] * table(*case.particle.factors["yield_stress"]).ufl(p.theta)
    if case.fracture is None and (case.physics.mechanics == "finite-strain" or case.physics.plasticity or contact):
        from seifem.problem.contact import ContactMechanics
        from seifem.problem.nonlinear_mechanics import NonlinearMechanics

        mechanics = ContactMechanics if contact else NonlinearMechanics
        p.nonlinear = mechanics(p, case.physics.mechanics == "finite-strain", yields)
    p.fracture = None
    if case.fracture is not None:  # phase-field fracture replaces the mechanics solve (its own plastic return)
        from seifem.problem.particle_fracture import ParticleFracture

        p.fracture = ParticleFracture(p, yields)
    p.cohesive = None
    if case.interface is not None:  # a cohesive core/coating interface (seifem.problem.cohesive)
        from seifem.problem.cohesive import ParticleInterface

        p.cohesive = ParticleInterface(p, case.interface.law())
    p.coupled = p.transport = None
    if case.physics.coupling == "two-way":
        from seifem.problem.coupled import TwoWayCoupling
        from seifem.problem.coupled_staggered import StaggeredCoupling
        from seifem.problem.solvers import LARGE

        choice = case.solver.coupling_solver
        if choice == "auto":
            n = p.W.dofmap.index_map.size_global * p.W.dofmap.index_map_bs
            choice = "staggered" if n >= LARGE else "direct"
        solver = StaggeredCoupling if choice == "staggered" else TwoWayCoupling
        p.coupled = solver(p, case.physics.temperature)
        p.extra_state["hydrostatic"] = p.coupled.s
    elif case.electrochemistry.kinetics == "butler-volmer" or case.particle.diffusivity_factor is not None:
        from seifem.problem.kinetics import NonlinearTransport

        p.transport = NonlinearTransport(p)

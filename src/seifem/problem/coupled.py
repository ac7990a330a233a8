"""Two-way chemo-mechanical coupling: stress-assisted diffusion and mechanics in one Newton
system (small strain, linear elasticity).

    J = -D grad theta + D theta kappa grad sigma_h,   kappa = Omega / (R T)   (docs/physics.md),

so ions drift towards hydrostatic tension. The hydrostatic stress is a third unknown s, the
L2 projection of the core's own tr(sigma)/3 onto the continuous space of theta over the core
cells only, which gives the drift a well-defined gradient across elements. The coatings do not
enter it: the hydrostatic stress jumps at a core/coating interface (a bonded Lame shell adds a
uniform pressure to the core and carries tension itself), and a projection over all regions
would smear that jump over one element into a spurious drift ~ jump / h towards the coating.
Like theta, s is held at 0 on the coating-only dofs (it is the core's field; the value of s on
the interface is the core-side value). The drift is a second derivative of u: with P2
displacements it limits theta to O(h^2) in L2 and O(h) in H1 (tests/verification/test_coupling.py). The unknowns (theta, u, s) are solved together by PETSc SNES:
Newton with the exact block Jacobian from UFL, each linear system by LU (MUMPS) by default
(prefix `seifem_coupled_`, e.g. `-seifem_coupled_snes_monitor`). Time scheme, flux surfaces,
SEI membrane and symmetry conditions are those of `ParticleProblem`.
"""

from __future__ import annotations

import time

import ufl
from dolfinx import fem
from petsc4py import PETSc

from seifem.errors import SolverError
from seifem.parallel import destroy_problem
from seifem.petsc_options import nonlinear_problem
from seifem.physics import mechanics as mech
from seifem.physics.membrane import membrane_form
from seifem.physics.transport import stress_assisted_flux, transport_residual
from seifem.problem.kinetics import diffusivity
from seifem.units import GAS_CONSTANT, SCALES

__all__ = ["TwoWayCoupling", "COUPLED", "drift_coefficient"]

COUPLED = {
    "snes_type": "newtonls",
    "snes_linesearch_type": "none",
    "snes_rtol": 1e-10,
    "snes_atol": 1e-12,
    "snes_max_it": 25,
    "ksp_type": "preonly",
    "pc_type": "lu",
    "pc_factor_mat_solver_type": "mumps",
}
"""Newton with a direct solve of each (theta, u, s) system."""


def drift_coefficient(partial_molar_volume: float, temperature: float) -> float:
    """kappa = Omega / (R T) per model stress unit (1/GPa): Omega in m^3/mol, T in K."""
    return partial_molar_volume * SCALES.stress / (GAS_CONSTANT * temperature)


class TwoWayCoupling:
    """The coupled (theta, u, s) Newton problem of a `ParticleProblem` (model units: um, s, GPa)."""

    def __init__(self, problem, temperature: float):
        p, geo, mesh = problem, problem.geo, problem.geo.mesh
        self.p = p
        # a space of its own (same element as theta's): boundary conditions go by space
        self.s = fem.Function(fem.functionspace(mesh, p.V.ufl_element()), name="hydrostatic_GPa")
        kappa = drift_coefficient(p.case.particle.material.si("partial_molar_volume"), temperature)
        self.kappa = fem.Constant(mesh, PETSc.ScalarType(kappa))
        theta, u, s = p.theta, p.u, self.s
        v, w, q = ufl.TestFunction(p.V), ufl.TestFunction(p.W), ufl.TestFunction(self.s.function_space)
        dxc = geo.dx("core")
        D = diffusivity(p.case, theta)
        F_theta = transport_residual(theta, v, p.theta_n, p.theta_nm1, p.w_c, p.dt_c,
                                     stress_assisted_flux(theta, s, D, self.kappa), dxc,
                                     p.on_surfaces(p.j_c * v, p.flux_surfaces))
        F_theta += p.pinned_pattern(theta, v)
        F_u = sum(ufl.inner(p.stress(r), mech.eps(w)) * geo.dx(r) for r in p.moduli)
        if p.sei is not None:
            _, E, nu = p.sei
            n = ufl.FacetNormal(mesh)
            Ec, nuc = (fem.Constant(mesh, PETSc.ScalarType(x)) for x in (E, nu))
            for name in p.sei_surfaces:
                F_u += membrane_form(mech.eps(u) - p.sei_ref, mech.eps(w), n, p.sei_h, Ec, nuc, geo.ds(name))
        # the core's hydrostatic stress only; coating-only dofs pinned (diagonal from the zero term)
        F_s = (s - mech.hydrostatic(p.stress("core"))) * q * dxc + p.pinned_pattern(s, q)
        S = self.s.function_space
        bcs_s = [fem.dirichletbc(PETSc.ScalarType(0.0), p.coating_only_dofs, S)] if p.case.shells else []
        self.nlp = nonlinear_problem([F_theta, F_u, F_s], [theta, u, s], bcs=p.diffusion_bcs + p.bcs_u + bcs_s,
                                     kind="mpi", prefix="seifem_coupled_", options=COUPLED)
        self.stats = {"setups": 0, "solves": 0, "iterations": 0, "newton_iterations": 0, "setup_time": 0.0,
                      "solve_time": 0.0}

    def solve(self) -> None:
        """One implicit step (the BDF weights, dt and flux are set on the problem)."""
        t0 = time.perf_counter()
        self.nlp.solve()
        snes = self.nlp.solver
        reason, its = snes.getConvergedReason(), snes.getIterationNumber()
        self.stats["solves"] += 1
        self.stats["newton_iterations"] += its
        self.stats["iterations"] += snes.getLinearSolveIterations()
        self.stats["solve_time"] += time.perf_counter() - t0
        if reason < 0:
            names = {v: k for k, v in PETSc.SNES.ConvergedReason.__dict__.items() if isinstance(v, int)}
            raise SolverError(f"seifem_coupled: Newton failed after {its} iterations ({names.get(reason, reason)})",
                              reason)
        for f in (self.p.theta, self.p.u, self.s):
            f.x.scatter_forward()

    def destroy(self) -> None:
        destroy_problem(self.nlp)

"""Nonlinear mechanics of a particle, solved by Newton (PETSc SNES) with the consistent
UFL Jacobian: finite strain (neo-Hookean with a chemical stretch, `physics.finite_strain`)
and/or J2 perfect plasticity of regions with a yield stress (small strain,
`physics.plasticity`). CG + GAMG with the rigid-body near-nullspace for every Newton step.

Octant models only: their symmetry planes remove rigid motion, which a free particle at
finite strain would leave in the Newton systems.
"""

from __future__ import annotations

import time

import basix.ufl
import ufl
from dolfinx import fem
from dolfinx.fem import petsc as fpetsc
from petsc4py import PETSc

from .errors import SolverError
from .physics import finite_strain as fs
from .physics import mechanics as mech
from .physics.membrane import membrane_strain, membrane_stress
from .physics.plasticity import radial_return
from .solvers import ELASTICITY, rigid_body_modes

__all__ = ["NonlinearMechanics", "NEWTON"]

NEWTON = {
    "snes_type": "newtonls",
    "snes_linesearch_type": "none",
    "snes_rtol": 1e-9,
    "snes_atol": 1e-12,
    "snes_max_it": 30,
}
"""Newton presets (prefix seifem_mechanics_); the linear solves use the elasticity presets."""


class NonlinearMechanics:
    """Residual, Jacobian and Newton solver of the particle's mechanics.

    problem: the `ParticleProblem` (spaces, u, theta, moduli, SEI, symmetry conditions);
    finite: finite strain; yield_stress: region -> yield stress (GPa) of plastic regions.
    """

    linear_presets: dict = ELASTICITY
    """PETSc options of the linear solves in each Newton step (prefix seifem_mechanics_)."""

    def __init__(self, problem, finite: bool, yield_stress: dict[str, float]):
        self.p, self.finite, self.yield_stress = problem, finite, yield_stress
        p, geo, mesh = problem, problem.geo, problem.geo.mesh
        u, v = p.u, ufl.TestFunction(p.W)
        self.stats = {"setups": 0, "solves": 0, "iterations": 0, "newton_iterations": 0,
                      "setup_time": 0.0, "solve_time": 0.0}
        self.qdeg = qdeg = 2 * (p.case.solver.degree - 1) if p.case.solver.degree > 1 else 1
        self.history, self._eps_p_update = {}, {}
        residual = 0
        for region in p.moduli:
            E, nu = p.E_c[region], p.nu_c[region]
            if finite:  # logs and powers would make UFL's degree estimate explode: fix it at 2k
                J_ch = fs.chemical_jacobian(p.beta, p.theta, p.theta0) if region == "core" else None
                dxf = geo.dx(region)(metadata={"quadrature_degree": 2 * p.case.solver.degree})
                residual += ufl.inner(fs.first_piola(u, E, nu, J_ch), ufl.grad(v)) * dxf
            elif region in yield_stress:
                Q = fem.functionspace(mesh, basix.ufl.quadrature_element(mesh.basix_cell(), value_shape=(3, 3),
                                                                          degree=qdeg))
                eps_p = fem.Function(Q, name=f"plastic_strain_{region}")
                self.history[region] = eps_p
                sigma, d_eps_p, _ = radial_return(self._strain(region), eps_p, E, nu, yield_stress[region])
                self._eps_p_update[region] = fem.Expression(eps_p + d_eps_p, Q.element.interpolation_points)
                dxq = geo.dx(region)(metadata={"quadrature_degree": qdeg})
                residual += ufl.inner(sigma, mech.eps(v)) * dxq
            else:
                residual += ufl.inner(mech.stress(self._strain(region), E, nu), mech.eps(v)) * geo.dx(region)
        if p.sei is not None:
            residual += self._membrane_residual(v)
        jacobian = ufl.derivative(residual, u, ufl.TrialFunction(p.W))
        opts = {**self.linear_presets, **NEWTON, "ksp_rtol": 1e-10}
        self.nlp = fpetsc.NonlinearProblem(residual, u, bcs=p.bcs_u, J=jacobian,
                                           petsc_options_prefix="seifem_mechanics_", petsc_options=opts)
        self._ns, self._ns_arrays = rigid_body_modes(p.W)
        self.nlp.A.setNearNullSpace(self._ns)

    # ------------------------------------------------------------------ forms
    def _strain(self, region: str):
        """Small strain minus the chemical eigenstrain (core)."""
        strain = mech.eps(self.p.u)
        return strain - self.p.eigenstrain() if region == "core" else strain

    def _membrane_residual(self, v):
        """SEI membrane: small-strain plane-stress film, or at finite strain a St Venant-Kirchhoff
        film on the in-plane Green-Lagrange strain (reference normal)."""
        p, geo = self.p, self.p.geo
        h = p.sei_h
        E, nu = (fem.Constant(geo.mesh, PETSc.ScalarType(x)) for x in p.sei[1:])
        N = ufl.FacetNormal(geo.mesh)
        if self.finite:
            F = fs.deformation_gradient(p.u)
            strain_u = 0.5 * (F.T * F - ufl.Identity(3))
            strain_v = ufl.sym(F.T * ufl.grad(v))
        else:
            strain_u, strain_v = mech.eps(p.u), mech.eps(v)
        es = membrane_strain(strain_u - p.sei_ref, N)
        md = {"quadrature_degree": 2 * p.case.solver.degree}
        return sum(h * ufl.inner(membrane_stress(es, N, E, nu), membrane_strain(strain_v, N)) * geo.ds(name)(metadata=md)
                   for name in p.sei_surfaces)

    def stress(self, region: str):
        """Cauchy stress of a region (GPa, UFL)."""
        p = self.p
        E, nu = p.E_c[region], p.nu_c[region]
        if self.finite:
            J_ch = fs.chemical_jacobian(p.beta, p.theta, p.theta0) if region == "core" else None
            return fs.cauchy(fs.first_piola(p.u, E, nu, J_ch), p.u)
        if region in self.history:
            return radial_return(self._strain(region), self.history[region], E, nu, self.yield_stress[region])[0]
        return mech.stress(self._strain(region), E, nu)

    def volume_change_density(self):
        """Local volume change per reference volume: det F - 1 (or tr eps at small strain)."""
        return ufl.det(fs.deformation_gradient(self.p.u)) - 1 if self.finite else ufl.tr(mech.eps(self.p.u))

    def surface_strain(self):
        """The strain tensor the SEI sees (Green-Lagrange at finite strain)."""
        if self.finite:
            F = fs.deformation_gradient(self.p.u)
            return 0.5 * (F.T * F - ufl.Identity(3))
        return mech.eps(self.p.u)

    # ------------------------------------------------------------------ solving
    def solve(self) -> None:
        t0 = time.perf_counter()
        self.nlp.solve()
        snes = self.nlp.solver
        reason, its = snes.getConvergedReason(), snes.getIterationNumber()
        self.stats["solve_time"] += time.perf_counter() - t0
        self.stats["solves"] += 1
        self.stats["newton_iterations"] += its
        self.stats["iterations"] += snes.getLinearSolveIterations()
        if reason < 0:
            names = {v: k for k, v in PETSc.SNES.ConvergedReason.__dict__.items() if isinstance(v, int)}
            raise SolverError(f"seifem_mechanics: Newton failed after {its} iterations ({names.get(reason, reason)})",
                              reason)
        self.p.u.x.scatter_forward()

    def commit(self) -> None:
        """Accept the converged step: move the plastic strain history forward."""
        for region, eps_p in self.history.items():
            eps_p.interpolate(self._eps_p_update[region])
            eps_p.x.scatter_forward()

    def plastic_volume(self, region: str) -> float:
        """Volume of the region (model units) where the current state is yielding or has
        yielded (accumulated plastic strain > 1e-9)."""
        eps_p = self.history[region]
        eq = ufl.sqrt(2.0 / 3.0 * ufl.inner(eps_p, eps_p))
        dx = self.p.geo.dx(region)(metadata={"quadrature_degree": self.qdeg})
        return self.p._sum(ufl.conditional(ufl.gt(eq, 1e-9), 1.0, 0.0) * dx)

    def destroy(self) -> None:
        del self.nlp

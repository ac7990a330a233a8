"""The mechanics of a `ParticleProblem` (a mixin): the small-strain elasticity operator of core,
coatings and membrane SEI, the chemical eigenstrain, the stress and strain measures the
outputs and the SEI read, and the per-step mechanics solve (linear, or the attached
nonlinear, fracture or cohesive model).

Model units: lengths um, stresses GPa.
"""

from __future__ import annotations

import time

import numpy as np
import ufl
from dolfinx import fem
from dolfinx.fem import petsc as fpetsc
from mpi4py import MPI
from petsc4py import PETSc

from seifem.materials.ocp import table
from seifem.physics import finite_strain as fs
from seifem.physics import mechanics as mech
from seifem.physics.membrane import membrane_form, membrane_strain, membrane_stress
from seifem.problem.solvers import (LinearSolver, assemble_rhs, constant, elasticity_presets, extrapolate,
                                    rigid_body_modes)
from seifem.problem.symmetry import symmetry_bcs

__all__ = ["ParticleMechanics"]


class ParticleMechanics:
    """Mechanics methods of `ParticleProblem` (which holds the state: u, theta, moduli, SEI)."""

    def _setup_elasticity(self) -> None:
        geo, mesh = self.geo, self.geo.mesh
        u, v = ufl.TrialFunction(self.W), ufl.TestFunction(self.W)
        a = 0
        self.E_c, self.nu_c = {}, {}
        for region, (E, nu) in self.moduli.items():
            self.E_c[region], self.nu_c[region] = constant(mesh, E), constant(mesh, nu)
        # concentration-dependent moduli of the core: the operator then changes every step
        factors = self.case.particle.factors
        for key, moduli in (("youngs_modulus", self.E_c), ("poisson_ratio", self.nu_c)):
            if key in factors:
                moduli["core"] = moduli["core"] * table(*factors[key]).ufl(self.theta)
        self._moduli_vary = "youngs_modulus" in factors or "poisson_ratio" in factors
        for region in self.moduli:
            a += ufl.inner(mech.stress(mech.eps(u), self.E_c[region], self.nu_c[region]), mech.eps(v)) * geo.dx(region)
        eig = self.eigenstrain()
        Lform = ufl.inner(mech.stress(eig, self.E_c["core"], self.nu_c["core"]), mech.eps(v)) * geo.dx("core")
        if self.sei is not None and any(law is not None for law in self.case.sei_layer_laws):
            from seifem.problem.sei_layered_3d import LayeredFilm3D

            self.layered = LayeredFilm3D(self, self.case.sei_layers, self.case.sei_layer_laws)
            self.layered.prepare(self.case.solver.dt)
            for name in self.sei_surfaces:
                da, dL = self.layered.forms(mech.eps(u), mech.eps(v), geo.ds(name))
                a, Lform = a + da, Lform + dL
        elif self.sei is not None:  # the film: its thickness per cell and its stress-free strain
            _, E, nu = self.sei
            n, Es, nus = ufl.FacetNormal(mesh), constant(mesh, E), constant(mesh, nu)
            for name in self.sei_surfaces:
                a += membrane_form(mech.eps(u), mech.eps(v), n, self.sei_h, Es, nus, geo.ds(name))
                Lform += membrane_form(self.sei_ref, mech.eps(v), n, self.sei_h, Es, nus, geo.ds(name))
        self.bcs_u = symmetry_bcs(self.W, self.geo)
        self.a_el, self.L_el = fem.form(a), fem.form(Lform)
        t0 = time.perf_counter()
        self.A_el = fpetsc.assemble_matrix(self.a_el, bcs=self.bcs_u)
        self.A_el.assemble()
        self.timers["assemble"] += time.perf_counter() - t0
        self._ns, self._ns_arrays = rigid_body_modes(self.W)
        self.A_el.setNearNullSpace(self._ns)
        self.nullspace = None
        if not geo.octant:  # free particle: rigid motion is the nullspace, removed after each solve
            self.A_el.setNullSpace(self._ns)
            self.nullspace = self._ns
        self.b_el = fpetsc.create_vector(self.W)
        # factorised once when the operator stays (no E(theta), a fixed film), has no nullspace
        # and the run is serial (MUMPS on several ranks differs from run to run by ~1e-10: a
        # restart would not continue bit for bit)
        factorise = not self._moduli_vary and self.nullspace is None and self.layered is None and self.comm.size == 1
        self.el_solver = LinearSolver(self.A_el, "seifem_elasticity_", elasticity_presets(self.W, factorise),
                                      self.case.solver.rtol)

    def eigenstrain(self):
        """Chemical eigenstrain (beta/3)(theta - theta0) I in the core, or a third of the per-phase
        free swelling with particle.expansion = "phases" (UFL)."""
        dv = mech.free_swelling(self.theta, self.theta0, self.beta, self.case.particle.volume_curve)
        return dv / 3 * ufl.Identity(3)

    def stress(self, region: str):
        """Cauchy stress in a region (GPa, UFL)."""
        if self.nonlinear is not None:
            return self.nonlinear.stress(region)
        if self.fracture is not None:
            return self.fracture.stress(region)
        strain = mech.eps(self.u if self.cohesive is None else self.cohesive.field(region))
        if region == "core":
            strain = strain - self.eigenstrain()
        return mech.stress(strain, self.E_c[region], self.nu_c[region])

    def volume_change_density(self):
        """Local volume change per reference volume (UFL): tr eps, or det F - 1 at finite strain."""
        return ufl.det(fs.deformation_gradient(self.u)) - 1 if self.finite else ufl.tr(mech.eps(self.u))

    @property
    def volume_change_degree(self) -> int:
        """The quadrature degree that integrates `volume_change_density` exactly, curved cells
        included. On the reference cell, with u of degree k and the geometry of degree g (J the
        geometry's Jacobian), (det F - 1) det J = det(J + grad_ref u) - det J is a polynomial of
        degree 3 max(k - 1, g - 1), and tr(eps) det J = tr(grad_ref u adj J) one of degree
        (k - 1) + 2 (g - 1); UFL's estimate (6 and 4 for P2 on P2 cells) cost 2.6-4.4x the time."""
        k = self.u.function_space.element.basix_element.degree
        g = self.geo.mesh.geometry.cmaps[0].degree
        return 3 * max(k - 1, g - 1) if self.finite else (k - 1) + 2 * (g - 1)

    def surface_strain(self):
        """Strain tensor the SEI measures (UFL): eps, or Green-Lagrange at finite strain."""
        if self.finite:
            F = fs.deformation_gradient(self.u)
            return 0.5 * (F.T * F - ufl.Identity(3))
        return mech.eps(self.u)

    @property
    def finite(self) -> bool:
        """physics.mechanics = "finite-strain" (whichever model solves it: nonlinear or fracture)."""
        return self.case.physics.mechanics == "finite-strain"

    def membrane_residual(self, v):
        """The membrane SEI's virtual work (UFL, linear in the test function v): a small-strain
        plane-stress film, or at finite strain a St Venant-Kirchhoff film on the in-plane
        Green-Lagrange strain (reference normal); the strain since the film formed (sei_ref)."""
        geo = self.geo
        E, nu = (fem.Constant(geo.mesh, PETSc.ScalarType(x)) for x in self.sei[1:])
        N = ufl.FacetNormal(geo.mesh)
        if self.finite:
            F = fs.deformation_gradient(self.u)
            strain_v = ufl.sym(F.T * ufl.grad(v))
        else:
            strain_v = mech.eps(v)
        es = membrane_strain(self.surface_strain() - self.sei_ref, N)
        md = {"quadrature_degree": 2 * self.case.solver.degree}
        return sum(self.sei_h * ufl.inner(membrane_stress(es, N, E, nu), membrane_strain(strain_v, N))
                   * geo.ds(name)(metadata=md) for name in self.sei_surfaces)

    def sei_strain(self):
        """Elastic strain of a membrane SEI (UFL): the surface strain since the film formed."""
        return self.surface_strain() - self.sei_ref

    def update_sei(self, tolerance: float = 0.01) -> None:
        """The film's thickness changed: reassemble the elasticity operator (linear mechanics)
        once some cell's thickness differs from the assembled one by more than `tolerance`
        (relative to the initial thickness)."""
        h = self.sei_h.x.array
        change = np.max(np.abs(h - self._sei_h_assembled), initial=0.0) / self.sei[0]
        if self.comm.allreduce(change, op=MPI.MAX) > tolerance and self.nonlinear is None:
            self._sei_h_assembled = h.copy()
            self.A_el.zeroEntries()
            fpetsc.assemble_matrix(self.A_el, self.a_el, bcs=self.bcs_u)
            self.A_el.assemble()
            self.el_solver.update_operator()

    def _reassemble_elasticity(self) -> None:
        self.A_el.zeroEntries()
        fpetsc.assemble_matrix(self.A_el, self.a_el, bcs=self.bcs_u)
        self.A_el.assemble()
        self.el_solver.update_operator()

    def _attach_extrapolation(self) -> None:
        """Linear mechanics (no nonlinear, fracture, cohesive, coupled or layered-film model)
        keeps the displacement of the step before (`u_prev`, a state function, so restarts and
        retried steps continue bit for bit) to start CG from a linear extrapolation."""
        self.u_prev = None
        models = (self.nonlinear, self.fracture, self.cohesive, self.coupled, self.layered)
        if all(m is None for m in models) and self.el_solver.ksp.getType() != PETSc.KSP.Type.PREONLY:
            self.u_prev = fem.Function(self.W, name="displacement_previous_step")
            self.extra_state["u_prev"] = self.u_prev

    def _solve_step_mechanics(self, dt: float, dt_prev: float | None) -> None:
        """The mechanics of a time step dt: with inelastic SEI layers through their step
        (`problem.sei_layered_3d`), else the plain solve. `dt_prev` (s): the step before, at the
        same current (None after a change of current or at the start): linear mechanics then
        starts CG from u_n + dt / dt_prev (u_n - u_(n-1)) instead of u_n (measured on the bare
        particle: fewer CG iterations a step, the same tolerance)."""
        if self.layered is not None:
            return self.layered.step(dt, self._solve_elasticity, self._reassemble_elasticity)
        if self.u_prev is None:
            return self._solve_elasticity()
        u, u_prev = self.u.x.array, self.u_prev.x.array
        u_n = u.copy()
        if dt_prev is not None:
            extrapolate(u, u_n, u_prev, dt / dt_prev)
        u_prev[:] = u_n
        self._solve_elasticity()

    def _solve_elasticity(self) -> None:
        if self.nonlinear is not None or self.fracture is not None or self.cohesive is not None:
            t0 = time.perf_counter()
            (self.nonlinear or self.fracture or self.cohesive).solve()
            self.timers["elasticity"] += time.perf_counter() - t0
            return
        t0 = time.perf_counter()
        if self._moduli_vary:  # E(theta), nu(theta): a new operator (and preconditioner) every step
            self.A_el.zeroEntries()
            fpetsc.assemble_matrix(self.A_el, self.a_el, bcs=self.bcs_u)
            self.A_el.assemble()
            self.el_solver.update_operator()
        b = assemble_rhs(self.b_el, self.L_el, self.bcs_u)
        if self.nullspace is not None:
            self.nullspace.remove(b)
        self.timers["assemble"] += time.perf_counter() - t0
        t0 = time.perf_counter()
        self.el_solver.solve(b, self.u.x.petsc_vec)
        if self.nullspace is not None:
            self.nullspace.remove(self.u.x.petsc_vec)
        self.u.x.scatter_forward()
        self.timers["elasticity"] += time.perf_counter() - t0

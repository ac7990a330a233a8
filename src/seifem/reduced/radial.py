"""The 1D spherical (radial) twin of `seifem.problem.particle.ParticleProblem`.

Same physics, units, time scheme, flux scaling and history names as the 3D problem, for
spherically symmetric designs: a solid or hollow core (inner surface sealed or open to the
electrolyte), any number of concentric coatings and a membrane SEI on the electrolyte-facing
surface(s); linear elastic at small strain, or with J2 plasticity or elastic finite strain
(`radial_nonlinear`).

    design = design_from_case(case)             # or RadialDesign(...) in SI units
    p = RadialProblem(design, MPI.COMM_WORLD)
    p.advance(dt=0.5, c_rate=1.0)
    row = p.scalars()                           # the keys of Quantities.scalars()

Parallel runs: the mesh (a few hundred dofs) lives on MPI.COMM_SELF and is replicated on every
rank; each rank does the same deterministic work, so results are identical everywhere and no
communication is needed. `comm` is kept for observers (rank-0 output).
"""

from __future__ import annotations

import time

import numpy as np
import ufl
from dolfinx import fem
from dolfinx.fem import petsc as fpetsc
from mpi4py import MPI
from petsc4py import PETSc

from seifem.physics.transport import bdf_weights
from seifem.reduced import radial_forms as rf
from seifem.reduced.design import RadialDesign, RadialLayer, design_from_case
from seifem.reduced.radial_affine import AffineVector, FormVector
from seifem.reduced.radial_interface import RadialInterface
from seifem.reduced.radial_lti import lti_stepper
from seifem.reduced.radial_mechanics import RadialMechanics, direct_solver, factorise
from seifem.reduced.radial_nonlinear import RadialNonlinearMechanics
from seifem.reduced.radial_report import RadialOutput
from seifem.reduced.radial_transport import RadialNonlinearDiffusion
from seifem.stepping import SteppedProblem
from seifem.units import SCALES

__all__ = ["RadialDesign", "RadialLayer", "RadialProblem", "design_from_case"]


class RadialProblem(RadialMechanics, RadialOutput, SteppedProblem):
    """State (theta, u) of a `RadialDesign` on a 1D mesh in r (um), solved like the 3D problem:
    per step diffusion (BDF2, BDF1 first and after a change of current), then mechanics."""

    def __init__(self, design: RadialDesign, comm: MPI.Comm = MPI.COMM_WORLD):
        self.design, self.comm = design, comm
        d, L, S = design, SCALES.length, SCALES.stress
        self.c_max, self.beta, self.theta0 = d.max_concentration, d.partial_molar_volume * d.max_concentration, d.initial_soc
        self.D = d.diffusivity / L**2
        self.t, self._prev_dt, self._prev_flux = 0.0, None, None
        self.timers = {"assemble": 0.0, "diffusion": 0.0, "elasticity": 0.0}  # s; assembly counted in the solves
        self.regions = d.region_names
        self.moduli = {"core": (d.youngs_modulus / S, d.poisson_ratio)}
        self.moduli.update({n: (c.youngs_modulus / S, c.poisson_ratio) for n, c in zip(self.regions[1:], d.coatings)})
        self.breaks = [b / L for b in d.breaks]
        cells = [d.core_cells] + [d.layer_cells] * len(d.coatings)
        self.mesh, self.cell_tags, self.facet_tags = rf.interval_mesh(self.breaks, cells, MPI.COMM_SELF)
        self.r = ufl.SpatialCoordinate(self.mesh)[0]
        self.dx = ufl.Measure("dx", self.mesh, subdomain_data=self.cell_tags)
        self.ds = ufl.Measure("ds", self.mesh, subdomain_data=self.facet_tags)
        self.dS = ufl.Measure("dS", self.mesh, subdomain_data=self.facet_tags)
        self.V = fem.functionspace(self.mesh, ("Lagrange", d.degree))
        # theta: linear elements with D(theta) (monotone fronts: `radial_transport`), else as u
        self.Vt = self.V if d.diffusivity_factor is None else fem.functionspace(self.mesh, ("Lagrange", 1))
        self.theta, self.theta_n, self.theta_nm1 = (fem.Function(self.Vt) for _ in range(3))
        self.u = fem.Function(self.V, name="u")

        # surfaces: flux enters at the core's outer radius (tag 2) and, if open, at r_inner (tag 1)
        ncoat = len(d.coatings)
        self.flux_tags = [2] + ([1] if d.open_inner else [])
        self.sei_tags = [ncoat + 2] + ([1] if d.open_inner else [])
        self.core_volume = self._integral(self.r**2 * self.dx(1))
        self.total_volume = self._integral(self.r**2 * self.dx)
        self.flux_area = sum(self._point(self.r**2, t) for t in self.flux_tags)
        self._setup_diffusion()
        self._setup_elasticity()
        self.mechanics = None
        yields = d.yield_stresses
        if yields or d.finite_strain:  # J2 plasticity or finite strain: Newton (`radial_nonlinear`)
            self.mechanics = RadialNonlinearMechanics(self, yields, d.finite_strain)
        self.interface = None
        if d.interface is not None:  # separate core and shell fields joined by the cohesive law
            self.interface = RadialInterface(self, d.interface, d.interface_sei)
        self._setup_output()
        self.lti = lti_stepper(self)  # linear and time-invariant: stepped in numpy (`radial_lti`)

    # ------------------------------------------------------------------ helpers
    def _integral(self, expr) -> float:
        return float(fem.assemble_scalar(fem.form(expr)))

    def _surface(self, expr, tag: int):
        """expr * dS at the surface node of a facet tag (exterior ds or interior dS)."""
        interior = 1 < tag < len(self.breaks)
        return (expr("+") * self.dS(tag)) if interior else expr * self.ds(tag)

    def _point(self, expr, tag: int) -> float:
        return self._integral(self._surface(expr, tag))

    def _const(self, value):
        return fem.Constant(self.mesh, PETSc.ScalarType(value))

    # ------------------------------------------------------------------ setup
    def _setup_diffusion(self) -> None:
        for f in (self.theta, self.theta_n, self.theta_nm1):
            f.x.array[:] = self.theta0
        core = np.unique(self.Vt.dofmap.list[self.cell_tags.find(1)])
        only = np.setdiff1d(np.arange(self.Vt.dofmap.index_map.size_local), core).astype(np.int32)
        for f in (self.theta, self.theta_n, self.theta_nm1):
            f.x.array[only] = 0.0  # theta lives in the core; coating-only dofs held at 0
        self.bcs_theta = [fem.dirichletbc(PETSc.ScalarType(0.0), only, self.Vt)] if only.size else []
        self.dt_c, self.j_c = self._const(1.0), self._const(0.0)
        self.w_c = fem.Constant(self.mesh, np.array([1.0, 1.0, 0.0], dtype=PETSc.ScalarType))
        th, v = ufl.TrialFunction(self.Vt), ufl.TestFunction(self.Vt)
        flux = sum(self._surface(self.j_c * v * self.r**2, t) for t in self.flux_tags)
        a, L = rf.diffusion_forms(th, v, self.theta_n, self.theta_nm1, self.w_c, self.dt_c,
                                  self._const(self.D), self.r, self.dx(1), flux)
        if len(self.regions) > 1:  # pattern (diagonal) for the pinned coating-only dofs, for LU
            a += sum(self._const(0.0) * th * v * self.dx(i + 2) for i in range(len(self.regions) - 1))
        self.a_diff, self.L_diff = fem.form(a), AffineVector(L, [self.theta_n, self.theta_nm1])
        self.A_diff = fpetsc.create_matrix(self.a_diff)
        self.b_diff = fpetsc.create_vector(self.Vt)
        self.ksp_diff = direct_solver(self.A_diff, "seifem_radial_diffusion_", dense=False)
        self._diff_key = None
        self.nonlinear = None
        if self.design.diffusivity_factor is not None:  # D(theta): Newton instead of the linear step
            self.nonlinear = RadialNonlinearDiffusion(self, self.design.diffusivity_factor, flux)

    def soc(self) -> float:
        """Mean filling fraction of the core [-] (no field interpolation: cheap)."""
        return self._integral(self._inv) / self.core_volume

    def surface_soc(self) -> float:
        """Filling fraction at the (outer) flux surface [-]."""
        return float(self.theta.x.array[self._surf_dofs[0]])

    # ------------------------------------------------------------------ stepping
    def flux_for(self, c_rate: float) -> float:
        """Inward flux in theta units (um/s) filling the core in 1/|c_rate| h (discrete V/A)."""
        return c_rate / 3600.0 * self.core_volume / self.flux_area

    def advance(self, dt: float, c_rate: float, order: int | None = None, sink: float = 0.0) -> None:
        """One step of length dt (s) at signed C-rate (>0 lithiation, <0 delithiation);
        `sink` (mol/s, whole particle) leaves through the flux surface (as in 3D)."""
        if order is None:
            order = 2 if self.design.time_scheme == "bdf2" else 1
        flux = self.flux_for(c_rate) - sink / (self.c_max * 4 * np.pi * self.flux_area * SCALES.length**3)
        if self._prev_flux is not None and flux != self._prev_flux:
            order = 1
        weights = bdf_weights(dt, self._prev_dt, order)
        self.dt_c.value, self.w_c.value[:], self.j_c.value = dt, weights, flux
        t0 = time.perf_counter()
        self.theta_nm1.x.array[:] = self.theta_n.x.array
        self.theta_n.x.array[:] = self.theta.x.array
        if self.lti is not None:
            self.lti.advance(dt, weights, flux)
        elif self.nonlinear is not None:
            self.nonlinear.solve()
        elif weights[0] / dt != self._diff_key:
            self.A_diff.zeroEntries()
            fpetsc.assemble_matrix(self.A_diff, self.a_diff, bcs=self.bcs_theta)
            self.A_diff.assemble()
            factorise(self.ksp_diff, self.A_diff)
            self._diff_key = weights[0] / dt
        if self.nonlinear is None and self.lti is None:
            self._solve(self.ksp_diff, self.b_diff, self.L_diff, self.bcs_theta, self.theta)
        self.timers["diffusion"] += time.perf_counter() - t0
        if self.lti is None:
            self.solve_mechanics()
        self._prev_dt, self._prev_flux = dt, flux
        self.t += dt

    def _solve(self, ksp, b, L: AffineVector | FormVector, bcs, x) -> None:
        ksp.solve(L.assemble(b, bcs), x.x.petsc_vec)
        x.x.scatter_forward()

    # ------------------------------------------------------------------ state (as ParticleProblem)
    def pinned_theta_dofs(self) -> np.ndarray:
        """Concentration dofs held at 0 (those touching only coating cells)."""
        return self.bcs_theta[0].dof_indices()[0] if self.bcs_theta else np.empty(0, dtype=np.int32)

    def state_functions(self) -> dict:
        out = {"theta": self.theta, "theta_n": self.theta_n, "theta_nm1": self.theta_nm1, "u": self.u}
        if self.interface is not None:
            out.update(u_core=self.interface.u_core, u_shell=self.interface.u_shell)
        if self.mechanics is not None:
            out.update(self.mechanics.history)
        return out

    @property
    def equilibrate_increment(self) -> float | None:
        """Nonlinear mechanics take `equilibrate` in increments of 0.05 in theta (as in 3D)."""
        return 0.05 if self.mechanics is not None else None

    def time_state(self) -> dict:
        ts = super().time_state()
        return ts if self.interface is None else {**ts, "interface": self.interface.time_state()}

    def set_time_state(self, ts: dict) -> None:
        super().set_time_state(ts)
        if self.interface is not None:
            self.interface.set_time_state(ts["interface"])

    def destroy(self) -> None:
        for model in (self.interface, self.mechanics):
            if model is not None:
                model.destroy()
        if self.nonlinear is not None:
            self.nonlinear.destroy()
        for obj in (self.ksp_diff, self.ksp_el, self.A_diff, self.b_diff, self.A_el, self.b_el, self.L_diff,
                    self.L_el):
            obj.destroy()

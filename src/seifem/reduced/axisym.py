"""The 2D axisymmetric twin of `seifem.problem.particle.ParticleProblem`.

Same physics, units, time scheme, flux scaling and history names as the 3D small-strain
problem, on the meridian quarter (r, z >= 0) of a body of revolution (forms and mesh in
`axisym_forms`): a solid or hollow core (cavity sealed or open to the electrolyte), any
number of coatings and a membrane SEI on the electrolyte-facing curve(s), from the same
`RadialDesign` as the 1D twin.

    p = AxisymProblem(design_from_case(case), MPI.COMM_WORLD)   # sphere
    p = AxisymProblem(design, comm, aspect_ratio=1.5)            # prolate spheroid
    p.advance(dt=0.5, c_rate=1.0)
    row = p.scalars()                                            # the keys of Quantities.scalars()

Spheroids: aspect_ratio != 1 scales the sphere's core mesh by `aspect_ratio` along the axis,
so the core is the spheroid with semi-axes (R, R, aspect R) (a cavity the same scaling of its
sphere); coatings are offset layers of uniform thickness on it (`seifem.reduced.spheroid.spheroid_map`),
as the 3D builder grows them. The flux, the SEI and all outputs follow the mapped curves. Radial and hoop stresses stay those about the
centre (hoop = mean of the two normal stresses tangential to the sphere through the point).

The mesh is distributed over `comm` (gmsh on rank 0); scalars are reduced over all ranks.
Solvers: direct LU for both operators, factorised once per time step size (a few thousand dofs):
PETSc's own in serial, SuperLU_DIST in parallel (repeated solves of the elasticity operator on
2 ranks: 0.7-1.3 ms against 1.8-20 ms with MUMPS). The price: a twin built and destroyed on 2
ranks leaves 3 MPI context ids behind with SuperLU_DIST and none with MUMPS (measured with the
test session's cleanup: the communicators of its process grid outlive the solver), which is
what the 2D twin's MPI tests leave. Options prefixes `seifem_axisym_diffusion_`
and `seifem_axisym_elasticity_` (e.g. `-seifem_axisym_elasticity_pc_factor_mat_solver_type mumps`).
Timers (s): "assemble" (matrices and right-hand sides), "diffusion" and "elasticity" (solves).
"""

from __future__ import annotations

import time

import numpy as np
import ufl
from dolfinx import fem
from dolfinx.fem import petsc as fpetsc
from mpi4py import MPI
from petsc4py import PETSc

from seifem.errors import SolverError
from seifem.physics.transport import bdf_weights
from seifem.reduced import axisym_forms as af
from seifem.reduced.axisym_finite import AxisymFiniteStrain
from seifem.reduced.axisym_interface import AxisymInterface
from seifem.reduced.axisym_mechanics import AxisymMechanics
from seifem.reduced.axisym_output import lu_solver
from seifem.reduced.axisym_plastic import AxisymPlasticity
from seifem.reduced.axisym_report import AxisymOutput
from seifem.reduced.design import RadialDesign, RadialLayer, design_from_case
from seifem.stepping import SteppedProblem
from seifem.units import SCALES

__all__ = ["AxisymProblem", "RadialDesign", "RadialLayer", "design_from_case"]



class AxisymProblem(AxisymMechanics, AxisymOutput, SteppedProblem):
    """State (theta, u = (u_r, u_z)) of a `RadialDesign` on the meridian quarter, solved like
    the 3D problem: per step diffusion (BDF2, BDF1 first and after a change of current), then
    mechanics.

    Volumes, areas and inventories are of the full particle: `core_volume`, `total_volume`
    (um^3), `flux_area` (um^2). Mesh controls as the 3D builder (model units, um):
    `mesh_size` (default radius/6), `surface_mesh_size` (mesh_size/2), `order` (2: curved).
    `fracture`: None, or a factory problem -> fracture model (`problem.axisym_fracture`:
    `solve()`, `stress(region, tiny)`, `scalars()`, `state`, `d`, `destroy()`), whose
    staggered solve then replaces the linear mechanics."""

    _MIRROR = 2  # the quarter meridian is the upper half (z >= 0) of the body: integrals x 2

    def __init__(self, design: RadialDesign, comm: MPI.Comm = MPI.COMM_WORLD, aspect_ratio: float = 1.0,
                 mesh_size: float | None = None, surface_mesh_size: float | None = None, order: int = 2,
                 fracture=None):
        if not aspect_ratio > 0:
            raise ValueError(f"aspect_ratio must be > 0, got {aspect_ratio}")
        self.design, self.comm, self.aspect = design, comm, float(aspect_ratio)
        d, L, S = design, SCALES.length, SCALES.stress
        self.c_max, self.theta0 = d.max_concentration, d.initial_soc
        self.beta = d.partial_molar_volume * d.max_concentration
        self.D = d.diffusivity / L**2
        self.t, self._prev_dt, self._prev_flux = 0.0, None, None
        self.timers = {"assemble": 0.0, "diffusion": 0.0, "elasticity": 0.0}
        self.regions = d.region_names
        self.moduli = {"core": (d.youngs_modulus / S, d.poisson_ratio)}
        self.moduli.update({n: (c.youngs_modulus / S, c.poisson_ratio) for n, c in zip(self.regions[1:], d.coatings)})
        self.breaks = [b / L for b in d.breaks]
        h = mesh_size if mesh_size is not None else self.breaks[1] / 6
        hs = surface_mesh_size if surface_mesh_size is not None else h / 2
        t0 = time.perf_counter()
        yields = tuple(c.yield_stress is not None for c in d.coatings)  # >= 6 elements through those (as 3D)
        self.mesh, self.cell_tags, self.facet_tags = af.meridian_mesh(self.breaks, comm, h, hs, order, self.aspect, yields)
        self.t_mesh = time.perf_counter() - t0
        self.tiny = 1e-9 * self.breaks[-1]
        self.x = ufl.SpatialCoordinate(self.mesh)
        self.r = self.x[0]
        self.w = af.weight(self.r)
        k = d.degree
        self.quadrature_degree = 4 * k  # one rule for every integral: discrete balances are exact
        md = {"quadrature_degree": self.quadrature_degree}
        self.dx = ufl.Measure("dx", self.mesh, subdomain_data=self.cell_tags, metadata=md)
        self.ds = ufl.Measure("ds", self.mesh, subdomain_data=self.facet_tags, metadata=md)
        self.dS = ufl.Measure("dS", self.mesh, subdomain_data=self.facet_tags, metadata=md)
        # theta: linear elements with D(theta) (Kirchhoff flux: `axisym_transport`), else as u
        self.V = fem.functionspace(self.mesh, ("Lagrange", 1 if d.diffusivity_factor is not None else k))
        self.W = fem.functionspace(self.mesh, ("Lagrange", k, (2,)))
        self.theta = fem.Function(self.V, name="theta")
        self.theta_n, self.theta_nm1 = fem.Function(self.V), fem.Function(self.V)
        self.u = fem.Function(self.W, name="displacement")

        flux = ["interface" if d.coatings else "outer"] + (["inner"] if d.open_inner else [])
        self.flux_surfaces, self.sei_surfaces = flux, ["outer"] + (["inner"] if d.open_inner else [])
        self.cells = {n: self.cell_tags.find(i + 1) for i, n in enumerate(self.regions)}
        one = self._const(1.0)
        sf = self._MIRROR
        self.core_volume = sf * self.integrate(self.w * self.dx(1))
        self.total_volume = sf * self.integrate(self.w * self.dx)
        self.flux_area = sf * self.integrate(self.on_surfaces(one * self.w, self.flux_surfaces))
        self._setup_diffusion()
        self._setup_elasticity()
        self.plastic = self.finite = None
        if d.finite_strain and fracture is not None or (d.yield_stresses or d.finite_strain) and d.interface is not None:
            raise ValueError("finite strain in the 2D twin is solved without fracture, plasticity and finite strain "
                             "without a cohesive interface")
        if d.finite_strain:  # neo-Hookean with the chemical stretch, J2 regions if any: Newton (`axisym_finite`)
            self.finite = AxisymFiniteStrain(self, d.yield_stresses)
            self.plastic = self.finite if d.yield_stresses else None  # the one model holds the plastic history
        elif d.yield_stresses and fracture is None:  # J2 at small strain: Newton replaces the linear solve
            self.plastic = AxisymPlasticity(self, d.yield_stresses)
        self.interface = AxisymInterface(self, d.interface, d.interface_sei) if d.interface is not None else None
        self.fracture = fracture(self) if fracture is not None else None  # replaces the linear mechanics solve
        if self.fracture is not None and d.yield_stresses:  # the staggered solve carries the plastic return
            self.plastic = self.fracture.plastic
        self._setup_output()
        self.dofs = {"displacement": self.W.dofmap.index_map.size_global * 2,
                     "concentration": self.V.dofmap.index_map.size_global}

    # ------------------------------------------------------------------ helpers
    def _const(self, value):
        return fem.Constant(self.mesh, PETSc.ScalarType(value))

    def integrate(self, expr) -> float:
        form = expr if isinstance(expr, fem.Form) else fem.form(expr)
        return self.comm.allreduce(fem.assemble_scalar(form), op=MPI.SUM)

    def on_surfaces(self, expr, names: list[str]):
        """Integral of `expr` over named curves; the internal "interface" from one side."""
        T = af.CURVE_TAGS
        terms = [expr("+") * self.dS(T[n]) if n == "interface" else expr * self.ds(T[n]) for n in names]
        return sum(terms[1:], terms[0])

    def _moduli(self, region: str):
        E, nu = self.moduli[region]
        return self._const(E), self._const(nu)

    # ------------------------------------------------------------------ setup
    def _setup_diffusion(self) -> None:
        for f in (self.theta, self.theta_n, self.theta_nm1):
            f.x.array[:] = self.theta0
        self.bcs_theta = []
        if len(self.regions) > 1:  # theta lives in the core; dofs touching only coating cells held at 0
            coat = fem.locate_dofs_topological(self.V, 2, np.concatenate([self.cells[n] for n in self.regions[1:]]))
            core = fem.locate_dofs_topological(self.V, 2, self.cells["core"])
            only = np.setdiff1d(coat, core).astype(np.int32)
            for f in (self.theta, self.theta_n, self.theta_nm1):
                f.x.array[only] = 0.0
            self.bcs_theta = [fem.dirichletbc(PETSc.ScalarType(0.0), only, self.V)]
        self.dt_c, self.j_c = self._const(1.0), self._const(0.0)
        self.w_c = fem.Constant(self.mesh, np.array([1.0, 1.0, 0.0], dtype=PETSc.ScalarType))
        th, v = ufl.TrialFunction(self.V), ufl.TestFunction(self.V)
        flux = self.on_surfaces(self.j_c * v * self.w, self.flux_surfaces)
        a, L = af.diffusion_forms(th, v, self.theta_n, self.theta_nm1, self.w_c, self.dt_c,
                                  self._const(self.D), self.r, self.dx(1), flux)
        if len(self.regions) > 1:  # sparsity (diagonal) for the pinned coating-only dofs
            a += sum(self._const(0.0) * th * v * self.dx(i + 2) for i in range(len(self.regions) - 1))
        self.a_diff, self.L_diff = fem.form(a), fem.form(L)
        self.A_diff = fpetsc.create_matrix(self.a_diff)
        self.b_diff = fpetsc.create_vector(self.V)
        self.ksp_diff = lu_solver(self.A_diff, "seifem_axisym_diffusion_")
        self._diff_key = None
        self.nonlinear = None
        if self.design.diffusivity_factor is not None:
            from seifem.reduced.axisym_transport import AxisymNonlinearDiffusion

            self.nonlinear = AxisymNonlinearDiffusion(self, self.design.diffusivity_factor, flux, lu_solver)

    # ------------------------------------------------------------------ stepping
    def flux_for(self, c_rate: float) -> float:
        """Inward flux in theta units (um/s) filling the core in 1/|c_rate| h (discrete V/A)."""
        return c_rate / 3600.0 * self.core_volume / self.flux_area

    def advance(self, dt: float, c_rate: float, order: int | None = None, sink: float = 0.0) -> None:
        """One step of length dt (s) at signed C-rate (>0 lithiation, <0 delithiation);
        `sink` (mol/s, whole particle) leaves through the flux surface (as in 3D)."""
        if order is None:
            order = 2 if self.design.time_scheme == "bdf2" else 1
        flux = self.flux_for(c_rate) - sink / (self.c_max * self.flux_area * SCALES.length**3)
        if self._prev_flux is not None and flux != self._prev_flux:
            order = 1  # restart BDF after a change of current: keeps the inventory exact
        weights = bdf_weights(dt, self._prev_dt, order)
        self.dt_c.value, self.w_c.value[:], self.j_c.value = dt, weights, flux
        self.theta_nm1.x.array[:] = self.theta_n.x.array
        self.theta_n.x.array[:] = self.theta.x.array
        if self.nonlinear is not None:
            t0 = time.perf_counter()
            self.nonlinear.solve()
            self.timers["diffusion"] += time.perf_counter() - t0
        elif weights[0] / dt != self._diff_key:  # the operator changes only with a0/dt: refactorise
            t0 = time.perf_counter()
            self.A_diff.zeroEntries()
            fpetsc.assemble_matrix(self.A_diff, self.a_diff, bcs=self.bcs_theta)
            self.A_diff.assemble()
            self.timers["assemble"] += time.perf_counter() - t0
            self.ksp_diff.setOperators(self.A_diff)
            self._diff_key = weights[0] / dt
        if self.nonlinear is None:
            self._solve(self.ksp_diff, self.b_diff, self.L_diff, self.bcs_theta, self.theta, "diffusion")
        self.solve_mechanics()
        self._prev_dt, self._prev_flux = dt, flux
        self.t += dt

    def _solve(self, ksp, b, L, bcs, x, timer: str) -> None:
        """Assemble the right-hand side (timed as "assemble") and solve (timed as `timer`)."""
        t0 = time.perf_counter()
        with b.localForm() as loc:
            loc.set(0.0)
        fpetsc.assemble_vector(b, L)
        b.ghostUpdate(addv=PETSc.InsertMode.ADD, mode=PETSc.ScatterMode.REVERSE)
        fpetsc.set_bc(b, bcs)
        t1 = time.perf_counter()
        self.timers["assemble"] += t1 - t0
        ksp.solve(b, x.x.petsc_vec)
        reason = ksp.getConvergedReason()
        if reason < 0:
            raise SolverError(f"axisymmetric {ksp.getOptionsPrefix()} solve failed (reason {reason})")
        x.x.scatter_forward()
        self.timers[timer] += time.perf_counter() - t1

    # ------------------------------------------------------------------ state (as ParticleProblem)
    def time_state(self) -> dict:
        """Time, the BDF history and, with fracture, its scalars (chemical work, SEI on open crack
        faces, plastic dissipation)."""
        ts = super().time_state()
        return ts if self.fracture is None else {**ts, **self.fracture.time_state()}

    def set_time_state(self, ts: dict) -> None:
        super().set_time_state(ts)
        if self.fracture is not None:
            self.fracture.set_time_state(ts)

    @property
    def equilibrate_increment(self) -> float | None:
        """With fracture, plasticity or finite strain `equilibrate` goes in increments of 0.05 in
        theta (damage and plastic flow are path dependent; Newton starts near the solution)."""
        nonlinear = (self.fracture, self.plastic, self.finite)
        return 0.05 if any(m is not None for m in nonlinear) else None

    def pinned_theta_dofs(self) -> np.ndarray:
        """Concentration dofs held at 0 (those touching only coating cells)."""
        return self.bcs_theta[0].dof_indices()[0] if self.bcs_theta else np.empty(0, dtype=np.int32)

    def state_functions(self) -> dict:
        out = {"theta": self.theta, "theta_n": self.theta_n, "theta_nm1": self.theta_nm1, "u": self.u}
        if self.interface is not None:
            i = self.interface
            out.update(u_core=i.u_core, u_shell=i.u_shell, interface_damage=i.history, crack_sei_m=i.sei_L,
                       crack_sei_mol=i.sei_lost)
        if self.fracture is not None:
            out.update(self.fracture.state)
        if self.plastic is not None:
            out.update(self.plastic.history)
        return out

    def destroy(self) -> None:
        if self.nonlinear is not None:
            self.nonlinear.destroy()
        for obj in (self.ksp_diff, self.ksp_el, self.A_diff, self.b_diff, self.A_el, self.b_el):
            obj.destroy()
        for model in (self.fracture, self.finite if self.finite is not None else self.plastic):
            if model is not None:
                model.destroy()

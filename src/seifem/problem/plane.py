"""The 2D plane-strain cross-section model (`geometry.model = "2d-plane"`): a long cylinder
(a nanowire) or the cross-section of a particle, where radial cracks are possible.

Same physics, units, time scheme and history names as the twins, on the full disc of
`seifem.geometry.plane` (x, y in um):

- diffusion of theta = c / c_max in the core (BDF2; BDF1 first and after a change of current)
  with the uniform inward flux that fills the core in 1/C h on its circle;
- small-strain elasticity of u = (u_x, u_y) with the 3 x 3 elastic strain [[e_xx - e*, e_xy,
  0], [e_xy, e_yy - e*, 0], [0, 0, e_zz - e*]], e* = (beta / 3)(theta - theta0) in the core
  (0 in the layers); axial "fixed": plane strain, e_zz = 0; "free" (generalized plane strain):
  the uniform e_zz for which the axial force int s_zz dA vanishes (a free long cylinder; a
  uniform swelling is stress-free). Without fracture e_zz is exact by superposition (u = u0 +
  e_zz u1, u1 the response to a unit e_zz, solved once); with fracture by a secant iteration
  on the axial force after every u-solve of the staggered loop (the damage fixed, so the force
  is piecewise linear in e_zz), from a predictor with the last state (`axial_iterations`);
- with `fracture`: phase-field fracture of the listed regions (`seifem.problem.fracture`,
  AT1/AT2, volumetric-deviatoric split of the 3 x 3 strain, VI Newton for irreversibility),
  optionally from seeded radial flaws (`seed_notches`: initial cracks d = 1 at the surface);
  without: one LU factorisation of the elasticity operator, reused every step.

Rigid motions are held at two vertices (`geometry.plane.pin_vertices`). Extensive
quantities are per um of cylinder length: volumes in um^3 are areas x 1 um.

    p = PlaneProblem(design, comm, mesh_size=0.1, surface_mesh_size=0.03)
    p.advance(dt=1.0, c_rate=-1.0); row = p.scalars()
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
from seifem.geometry.plane import CURVE_TAGS, Flaws, cross_section_mesh
from seifem.physics.transport import bdf_weights
from seifem.problem.plane_mechanics import AXIAL_TOLERANCE, PlaneMechanics, strain3
from seifem.problem.plane_output import PlaneOutput
from seifem.problem.plane_steps import advance_in_substeps
from seifem.reduced.axisym_output import lu_solver
from seifem.reduced.design import RadialDesign
from seifem.stepping import SteppedProblem
from seifem.units import SCALES

__all__ = ["AXIAL_TOLERANCE", "PlaneProblem", "strain3"]


class PlaneProblem(PlaneMechanics, SteppedProblem):
    """State (theta, u, and the damage with `fracture`) of a `RadialDesign`'s cross-section.

    Mesh controls in model units (um): mesh_size (default radius / 6), surface_mesh_size
    (mesh_size / 2), refine_depth (radius / 3), order (1 or 2). fracture: a
    `case.fracture.Fracture` or None; fracture_energy: region -> G_c (J/m^2) of the regions
    it lists."""

    def __init__(self, design: RadialDesign, comm: MPI.Comm = MPI.COMM_WORLD, mesh_size: float | None = None,
                 surface_mesh_size: float | None = None, refine_depth: float | None = None, order: int = 1,
                 fracture=None, fracture_energy: dict[str, float] | None = None, axial: str = "free"):
        if axial not in ("free", "fixed"):
            raise ValueError(f"axial must be 'free' or 'fixed', got {axial!r}")
        self.design, self.comm, self.axial = design, comm, axial
        d, L, S = design, SCALES.length, SCALES.stress
        self.c_max, self.theta0 = d.max_concentration, d.initial_soc
        self.beta = d.partial_molar_volume * d.max_concentration
        self.D = d.diffusivity / L**2
        self.t, self._prev_dt, self._prev_flux = 0.0, None, None
        self.substep = None  # fracture: the length (s) of the next substep (`problem.plane_steps`)
        self.timers = {"assemble": 0.0, "diffusion": 0.0, "elasticity": 0.0}
        self.regions = d.region_names
        self.moduli = {"core": (d.youngs_modulus / S, d.poisson_ratio)}
        self.moduli.update({n: (c.youngs_modulus / S, c.poisson_ratio) for n, c in zip(self.regions[1:], d.coatings)})
        self.breaks = [b / L for b in d.breaks]
        h = mesh_size if mesh_size is not None else self.breaks[1] / 6
        hs = surface_mesh_size if surface_mesh_size is not None else h / 2
        self._hs = hs  # the width within which seeded flaws are set to d = 1: their element size
        flaws = None
        if fracture is not None and fracture.notch_depth > 0 and fracture.notch_mesh_size is not None:
            self._hs = fracture.notch_mesh_size / L
            flaws = Flaws(fracture.notch_depth / L, fracture.notches, self._hs)
        t0 = time.perf_counter()
        self.mesh, self.cell_tags, self.facet_tags = cross_section_mesh(self.breaks, comm, h, hs, refine_depth, order,
                                                                        flaws)
        self.t_mesh = time.perf_counter() - t0
        k = d.degree
        self.dx = ufl.Measure("dx", self.mesh, subdomain_data=self.cell_tags, metadata={"quadrature_degree": 2 * k})
        self.ds = ufl.Measure("ds", self.mesh, subdomain_data=self.facet_tags)
        self.dS = ufl.Measure("dS", self.mesh, subdomain_data=self.facet_tags)
        self.V = fem.functionspace(self.mesh, ("Lagrange", k))
        self.W = fem.functionspace(self.mesh, ("Lagrange", k, (2,)))
        self.theta = fem.Function(self.V, name="theta")
        self.theta_n, self.theta_nm1 = fem.Function(self.V), fem.Function(self.V)
        self.u = fem.Function(self.W, name="displacement")
        self.cells = {n: self.cell_tags.find(i + 1) for i, n in enumerate(self.regions)}
        self.flux_surface = "interface" if d.coatings else "outer"
        one = fem.Constant(self.mesh, PETSc.ScalarType(1.0))
        self.core_volume = self.integrate(one * self.dx(1))  # um^2 x 1 um
        self.total_volume = self.integrate(one * self.dx)
        self.flux_area = self.integrate(self._on_flux_surface(one))
        self._setup_diffusion()
        self._setup_mechanics(fracture, fracture_energy or {})
        self.out = PlaneOutput(self)
        self.dofs = {"displacement": self.W.dofmap.index_map.size_global * 2,
                     "concentration": self.V.dofmap.index_map.size_global}

    # ------------------------------------------------------------------ helpers
    def _const(self, value):
        return fem.Constant(self.mesh, PETSc.ScalarType(value))

    def integrate(self, expr) -> float:
        form = expr if isinstance(expr, fem.Form) else fem.form(expr)
        return self.comm.allreduce(fem.assemble_scalar(form), op=MPI.SUM)

    def _on_flux_surface(self, expr):
        tag = CURVE_TAGS[self.flux_surface]
        return expr("+") * self.dS(tag) if self.flux_surface == "interface" else expr * self.ds(tag)

    # ------------------------------------------------------------------ setup
    def _setup_diffusion(self) -> None:
        for f in (self.theta, self.theta_n, self.theta_nm1):
            f.x.array[:] = self.theta0
        self.bcs_theta = []
        if len(self.regions) > 1:  # theta lives in the core; dofs touching only layer cells held at 0
            coat = fem.locate_dofs_topological(self.V, 2, np.concatenate([self.cells[n] for n in self.regions[1:]]))
            core = fem.locate_dofs_topological(self.V, 2, self.cells["core"])
            only = np.setdiff1d(coat, core).astype(np.int32)
            for f in (self.theta, self.theta_n, self.theta_nm1):
                f.x.array[only] = 0.0
            self.bcs_theta = [fem.dirichletbc(PETSc.ScalarType(0.0), only, self.V)]
        self.dt_c, self.j_c = self._const(1.0), self._const(0.0)
        self.w_c = fem.Constant(self.mesh, np.array([1.0, 1.0, 0.0], dtype=PETSc.ScalarType))
        th, v = ufl.TrialFunction(self.V), ufl.TestFunction(self.V)
        w, D = self.w_c, self._const(self.D)
        a = (w[0] / self.dt_c * th * v + D * ufl.inner(ufl.grad(th), ufl.grad(v))) * self.dx(1)
        Lf = (w[1] * self.theta_n - w[2] * self.theta_nm1) / self.dt_c * v * self.dx(1) + self._on_flux_surface(self.j_c * v)
        if len(self.regions) > 1:  # sparsity (diagonal) for the pinned layer-only dofs
            a += sum(self._const(0.0) * th * v * self.dx(i + 2) for i in range(len(self.regions) - 1))
        self.a_diff, self.L_diff = fem.form(a), fem.form(Lf)
        self.A_diff = fpetsc.create_matrix(self.a_diff)
        self.b_diff = fpetsc.create_vector(self.V)
        self.ksp_diff = lu_solver(self.A_diff, "seifem_plane_diffusion_")
        self._diff_key = None
    # ------------------------------------------------------------------ stepping
    def flux_for(self, c_rate: float) -> float:
        """Inward flux in theta units (um/s) filling the core in 1/|c_rate| h (discrete area/perimeter)."""
        return c_rate / 3600.0 * self.core_volume / self.flux_area

    def advance(self, dt: float, c_rate: float, order: int | None = None, sink: float = 0.0) -> None:
        """One step of length dt (s) at signed C-rate (> 0 lithiation); `sink` (mol/s per um of
        length) leaves through the flux surface. With fracture in substeps
        (`problem.plane_steps`: cut when the staggered loop needs many iterations)."""
        if self.fracture is not None:
            advance_in_substeps(self, dt, lambda h, o: self._step(h, c_rate, o, sink, commit=False), order)
        else:
            self._step(dt, c_rate, order, sink)

    def _step(self, dt: float, c_rate: float, order: int | None, sink: float, commit: bool = True) -> None:
        if order is None:
            order = 2 if self.design.time_scheme == "bdf2" else 1
        flux = self.flux_for(c_rate) - sink / (self.c_max * self.flux_area * SCALES.length**3)
        if self._prev_flux is not None and flux != self._prev_flux:
            order = 1  # restart BDF after a change of current
        weights = bdf_weights(dt, self._prev_dt, order)
        self.dt_c.value, self.w_c.value[:], self.j_c.value = dt, weights, flux
        self.theta_nm1.x.array[:] = self.theta_n.x.array
        self.theta_n.x.array[:] = self.theta.x.array
        if weights[0] / dt != self._diff_key:
            t0 = time.perf_counter()
            self.A_diff.zeroEntries()
            fpetsc.assemble_matrix(self.A_diff, self.a_diff, bcs=self.bcs_theta)
            self.A_diff.assemble()
            self.timers["assemble"] += time.perf_counter() - t0
            self.ksp_diff.setOperators(self.A_diff)
            self._diff_key = weights[0] / dt
        self._solve(self.ksp_diff, self.b_diff, self.L_diff, self.bcs_theta, self.theta, "diffusion")
        self.solve_mechanics(commit)
        self._prev_dt, self._prev_flux = dt, flux
        self.t += dt

    def _solve(self, ksp, b, L, bcs, x, timer: str) -> None:
        t0 = time.perf_counter()
        with b.localForm() as loc:
            loc.set(0.0)
        fpetsc.assemble_vector(b, L)
        b.ghostUpdate(addv=PETSc.InsertMode.ADD, mode=PETSc.ScatterMode.REVERSE)
        fpetsc.set_bc(b, bcs)
        t1 = time.perf_counter()
        self.timers["assemble"] += t1 - t0
        ksp.solve(b, x.x.petsc_vec)
        if ksp.getConvergedReason() < 0:
            raise SolverError(f"plane-strain {ksp.getOptionsPrefix()} solve failed (reason {ksp.getConvergedReason()})")
        x.x.scatter_forward()
        self.timers[timer] += time.perf_counter() - t1
    # ------------------------------------------------------------------ state
    def state_functions(self) -> dict:
        out = {"theta": self.theta, "theta_n": self.theta_n, "theta_nm1": self.theta_nm1, "u": self.u}
        if self.fracture is not None:
            out.update(self.fracture.state)
        return out

    def time_state(self) -> dict:
        work = {"chemical_work": self.fracture_work.work} if self.fracture_work is not None else {}
        return {**super().time_state(), "ezz": float(self.ezz.value), "substep": self.substep, **work}

    def set_time_state(self, ts: dict) -> None:
        super().set_time_state(ts)
        self.ezz.value = ts.get("ezz", 0.0)
        self.substep = ts.get("substep")
        if self.fracture_work is not None:  # after the state functions and e_zz: the last accepted state
            self.fracture_work.work = ts.get("chemical_work", 0.0)
            self.fracture_work.rebase()

    def scalars(self) -> dict[str, float]:
        return self.out.scalars()

    def destroy(self) -> None:
        self.out.destroy()
        for obj in (self.ksp_diff, self.A_diff, self.b_diff):
            obj.destroy()
        if self.fracture is not None:
            self.u_newton.destroy()
            self.fracture.destroy()
        else:
            for obj in (self.ksp_el, self.A_el, self.b_el):
                obj.destroy()

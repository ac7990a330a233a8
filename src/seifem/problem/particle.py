"""The coupled small-strain problem on one particle: diffusion in the core, elasticity in core
and coating (perfectly bonded), the SEI as a membrane on the outer surface.

One-way coupling per step: diffusion first (linear, implicit), then quasi-static mechanics
with the new concentration. Both operators are constant while the time step is, so each is
assembled once and its preconditioner reused; only right-hand sides are assembled per step.

    problem = ParticleProblem(case, geometry)
    problem.advance(dt=60.0, c_rate=1.0)    # lithiate at 1C for 60 s
"""

from __future__ import annotations

import logging
import time

import numpy as np
import ufl
from dolfinx import fem
from dolfinx.fem import petsc as fpetsc
from mpi4py import MPI
from petsc4py import PETSc

from seifem.geometry import Geometry, electrolyte_surfaces
from seifem.physics.transport import bdf_weights, diffusion_forms
from seifem.problem.kinetics import diffusivity
from seifem.problem.particle_mechanics import ParticleMechanics
from seifem.problem.setup import attach_models, coating_only_dofs
from seifem.problem.solvers import DIFFUSION, LinearSolver, assemble_rhs, constant, extrapolate
from seifem.stepping import SteppedProblem
from seifem.units import SCALES

__all__ = ["ParticleProblem"]

log = logging.getLogger(__name__)


class ParticleProblem(ParticleMechanics, SteppedProblem):
    """State (theta, u) and the discrete operators of one particle design.

    Model units: lengths um, time s, stresses GPa, concentration theta = c / c_max.
    Attributes for observers: `theta`, `u`, `t` (s), `geo`, `case`, and the material
    constants in model units.
    """

    def __init__(self, case, geo: Geometry):
        self.case, self.geo = case, geo
        mesh = geo.mesh
        self.comm: MPI.Comm = mesh.comm
        k = case.solver.degree
        L, S = SCALES.length, SCALES.stress
        core = case.particle.material
        self.c_max = core.si("max_concentration")
        self.beta = core.si("partial_molar_volume") * self.c_max
        self.theta0 = case.particle.initial_soc
        self.t = 0.0
        self.extra_state: dict = {}  # more state functions of attached models (e.g. a growing SEI)
        self.timers = {"assemble": 0.0, "diffusion": 0.0, "elasticity": 0.0}

        # moduli per region (GPa) and the SEI
        self.moduli = {"core": (core.si("youngs_modulus") / S, core.si("poisson_ratio"))}
        for layer in case.shells:  # coatings, and the SEI when it is a resolved layer
            self.moduli[layer.name] = (layer.material.si("youngs_modulus") / S, layer.material.si("poisson_ratio"))
        self.flux_surfaces, self.sei_surfaces = electrolyte_surfaces(case, geo)
        self.sei = None  # (h, E, nu) of a membrane SEI
        if case.sei_model == "membrane":
            m = case.sei.material
            self.sei = (case.sei.thickness / L, m.si("youngs_modulus") / S, m.si("poisson_ratio"))
            # per cell under the film: its thickness (um; grows with SEI growth) and the strain
            # at which it formed (stress-free then: zero for the pristine film)
            self.sei_h = fem.Function(fem.functionspace(mesh, ("DG", 0)), name="sei_thickness_um")
            self.sei_h.x.array[:] = self.sei[0]
            self.sei_ref = fem.Function(fem.functionspace(mesh, ("DG", 0, (3, 3))), name="sei_reference_strain")
            self._sei_h_assembled = self.sei_h.x.array.copy()  # the thickness in the assembled operator
        self.layered = None  # inelastic SEI layers in the membrane (problem.sei_layered_3d)

        self.V = fem.functionspace(mesh, ("Lagrange", k))
        self.W = fem.functionspace(mesh, ("Lagrange", k, (3,)))
        self.theta = fem.Function(self.V, name="theta")
        self.theta_n = fem.Function(self.V)
        self.theta_nm1 = fem.Function(self.V)
        self.u = fem.Function(self.W, name="displacement")
        for f in (self.theta, self.theta_n, self.theta_nm1):
            f.x.array[:] = self.theta0
        self._coating_only_dofs_to_zero()

        dx_core = geo.dx("core")
        one = constant(mesh, 1.0)
        self.core_volume = self.integrate(one * dx_core)  # um^3, modelled part
        self.flux_area = self.integrate(self.on_surfaces(one, self.flux_surfaces))
        self.total_volume = self.integrate(one * geo.dx())

        self._setup_diffusion(dx_core)
        self._setup_elasticity()
        attach_models(self)
        self._attach_extrapolation()
        self.uptake_c_rate = 0.0  # signed C-rate of the ions entering the core in the last step
        self._prev_dt: float | None = None
        self._prev_flux: float | None = None

    # ------------------------------------------------------------------ setup
    def integrate(self, expr) -> float:
        """The integral of a UFL form over the whole mesh, the same on every rank (collective)."""
        return self.comm.allreduce(fem.assemble_scalar(fem.form(expr)), op=MPI.SUM)

    def on_surfaces(self, expr, names: list[str]):
        """Integral of `expr` over named surfaces; internal ones ("interface") from one side
        (`expr` must then be continuous there, as test functions and theta are)."""
        terms = [expr("+") * self.geo.dS(n) if n == "interface" else expr * self.geo.ds(n) for n in names]
        return sum(terms[1:], terms[0])

    def _coating_only_dofs_to_zero(self) -> None:
        """theta lives in the core; dofs that touch only coating cells are held at 0."""
        self.coating_only_dofs = coating_only_dofs(self.V, self.geo, self.case)  # local dofs of V
        for f in (self.theta, self.theta_n, self.theta_nm1):
            f.x.array[self.coating_only_dofs] = 0.0
        self.diffusion_bcs = ([fem.dirichletbc(PETSc.ScalarType(0.0), self.coating_only_dofs, self.V)]
                              if self.case.shells else [])

    def pinned_pattern(self, theta, v):
        """A zero term over the coatings that puts the pinned coating-only concentration dofs on
        the matrix diagonal (their Dirichlet rows need the entry; 0 without coatings)."""
        shells = [c.name for c in self.case.shells]
        return constant(self.geo.mesh, 0.0) * theta * v * self.geo.dx(*shells) if shells else 0

    def _setup_diffusion(self, dx_core) -> None:
        mesh = self.geo.mesh
        D = diffusivity(self.case)  # um^2/s at the case temperature (the linear path has no D(theta))
        self.D = D
        self.dt_c = constant(mesh, 1.0)
        self.j_c = constant(mesh, 0.0)  # inward flux in theta units, um/s
        self.w_c = fem.Constant(mesh, np.array([1.0, 1.0, 0.0], dtype=PETSc.ScalarType))
        th, v = ufl.TrialFunction(self.V), ufl.TestFunction(self.V)
        flux = self.on_surfaces(self.j_c * v, self.flux_surfaces)
        a, Lform = diffusion_forms(th, v, self.theta_n, self.theta_nm1, self.w_c, self.dt_c,
                                   constant(mesh, D), dx_core, flux)
        self.a_diff, self.L_diff = fem.form(a), fem.form(Lform)
        self.A_diff = fpetsc.create_matrix(self.a_diff)
        self.b_diff = fpetsc.create_vector(self.V)
        self.diff_solver = LinearSolver(self.A_diff, "seifem_diffusion_", DIFFUSION, self.case.solver.rtol)
        self._diff_key = None

    # ------------------------------------------------------------------ physics helpers
    def flux_for(self, c_rate: float) -> float:
        """Inward flux in theta units (um/s) that fills the core in 1/|c_rate| hours.

        Uses the discrete core volume and flux area, so the ion inventory of the mesh grows at
        exactly c_rate * c_max * V / 3600 s."""
        return c_rate / 3600.0 * self.core_volume / self.flux_area

    # ------------------------------------------------------------------ stepping
    def advance(self, dt: float, c_rate: float, order: int | None = None, sink: float = 0.0,
                voltage: float | None = None) -> None:
        """One step of length dt (s) at signed C-rate (>0 lithiation, <0 delithiation), or at
        the electrode potential `voltage` (V, Butler-Volmer kinetics; c_rate is then ignored);
        `sink` (mol/s, whole particle) leaves the particle through its flux surface (ions the
        SEI takes). Sets `uptake_c_rate`, the signed C-rate of the ions that entered the core."""
        if order is None:
            order = 2 if self.case.solver.time_scheme == "bdf2" else 1
        flux = self.flux_for(c_rate) - sink / (self.geo.symmetry_factor * self.c_max * self.flux_area * SCALES.length**3)
        if voltage is not None:
            flux = float("nan")  # the current is an unknown: BDF1, which keeps the inventory exact
        if self._prev_flux is not None and not flux == self._prev_flux:
            order = 1  # restart BDF after a change of flux: keeps the inventory exact
        dt_before = self._prev_dt if flux == self._prev_flux else None  # the same current (nan under voltage control: None)
        weights = bdf_weights(dt, self._prev_dt, order)
        self.dt_c.value = dt
        self.w_c.value[:] = weights
        self.j_c.value = 0.0 if voltage is not None else flux
        t0 = time.perf_counter()
        self.theta_nm1.x.array[:] = self.theta_n.x.array  # the BDF history moves on
        self.theta_n.x.array[:] = self.theta.x.array
        if self.coupled is not None:
            self.coupled.solve()
            self.timers["diffusion"] += time.perf_counter() - t0
        elif self.transport is not None:
            self.transport.solve(inflow=flux * self.flux_area, voltage=voltage)
            self.timers["diffusion"] += time.perf_counter() - t0
            self._solve_step_mechanics(dt, dt_before)
        else:
            self._solve_diffusion(dt, weights, dt_before)
            self._solve_step_mechanics(dt, dt_before)
        if self.nonlinear is not None:
            self.nonlinear.commit()
        if self.fracture is not None:
            self.fracture.commit()
        uptake = self.transport.inflow if voltage is not None else flux * self.flux_area  # um^3/s of theta
        self.uptake_c_rate = uptake * 3600.0 / self.core_volume
        self._prev_dt, self._prev_flux = dt, flux
        self.t += dt

    def voltage(self) -> float | None:
        """Electrode potential of the last step from local Butler-Volmer kinetics (V); None
        without them or before the first step (at rest the electrode is at its OCP)."""
        tr = self.transport
        return tr.voltage() if tr is not None and tr.bv and tr._started else None

    def set_branch(self, direction: int) -> None:
        """Current direction for the OCP branch (+1 lithiation, -1 delithiation)."""
        if self.transport is not None and self.transport.bv:
            self.transport.set_branch(direction)

    def _solve_diffusion(self, dt: float, weights, dt_before: float | None) -> None:
        """theta of the step; CG starts from theta_n + dt / dt_before (theta_n - theta_(n-1))
        when the step before ran at the same current (`dt_before`, s), else from theta_n."""
        t0 = time.perf_counter()
        key = weights[0] / dt
        if key != self._diff_key:  # operator changes only with a0/dt
            self.A_diff.zeroEntries()
            fpetsc.assemble_matrix(self.A_diff, self.a_diff, bcs=self.diffusion_bcs)
            self.A_diff.assemble()
            self.diff_solver.update_operator()
            self._diff_key = key
        b = assemble_rhs(self.b_diff, self.L_diff, self.diffusion_bcs)
        self.timers["assemble"] += time.perf_counter() - t0
        t0 = time.perf_counter()
        if dt_before is not None:
            extrapolate(self.theta.x.array, self.theta_n.x.array, self.theta_nm1.x.array, dt / dt_before)
        self.diff_solver.solve(b, self.theta.x.petsc_vec)
        self.theta.x.scatter_forward()
        self.timers["diffusion"] += time.perf_counter() - t0

    # ------------------------------------------------------------------ state
    def state_functions(self) -> dict:
        """The functions that, with `time_state()`, define the state (for checkpoints)."""
        history = self.nonlinear.history if self.nonlinear is not None else {}
        film = {"sei_h": self.sei_h, "sei_ref": self.sei_ref} if self.sei is not None else {}
        damage = self.fracture.state if self.fracture is not None else {}
        interface = self.cohesive.state if self.cohesive is not None else {}
        return {"theta": self.theta, "theta_n": self.theta_n, "theta_nm1": self.theta_nm1, "u": self.u,
                **history, **film, **damage, **interface, **self.extra_state}

    def time_state(self) -> dict:
        """Time (s), the history the BDF scheme needs, the potential of Butler-Volmer kinetics."""
        out = {"t": self.t, "prev_dt": self._prev_dt, "prev_flux": self._prev_flux, "uptake_c_rate": self.uptake_c_rate}
        if self.transport is not None:
            tr = self.transport
            out.update(psi=float(tr.psi.value), inflow=tr.inflow, started=tr._started,
                       lithiating=float(tr.lithiating.value))
        if self.fracture is not None:  # the chemical work, SEI on open crack faces
            out.update(self.fracture.time_state())
        if self.nonlinear is not None:  # the Newton's predictor
            out.update(self.nonlinear.time_state())
        return out

    def set_time_state(self, ts: dict) -> None:
        self.t, self._prev_dt, self._prev_flux = ts["t"], ts["prev_dt"], ts["prev_flux"]
        self.uptake_c_rate = ts.get("uptake_c_rate", 0.0)
        if self.transport is not None:
            tr = self.transport
            tr.psi.value, tr.inflow, tr._started = ts["psi"], ts["inflow"], ts["started"]
            tr.lithiating.value = ts["lithiating"]
        if self.fracture is not None:
            self.fracture.set_time_state(ts)
        if self.nonlinear is not None:
            self.nonlinear.set_time_state(ts)

    @property
    def equilibrate_increment(self) -> float | None:
        """Nonlinear mechanics take `equilibrate` in increments of 0.05 in theta."""
        return 0.05 if (self.nonlinear is not None or self.fracture is not None) else None

    def pinned_theta_dofs(self):
        return self.coating_only_dofs

    def fresh_preconditioners(self) -> None:
        """Newton's kept preconditioner is rebuilt at the next solve (checkpoints, restarts)."""
        if self.nonlinear is not None:
            self.nonlinear.reuse.rebuild()

    def solve_mechanics(self) -> None:
        """Mechanics for the current theta (e.g. after setting theta directly in a test); a
        plastic history is moved forward as after a time step."""
        self._solve_elasticity()
        if self.u_prev is not None:  # no trend to extrapolate from a jump
            self.u_prev.x.array[:] = self.u.x.array
        if self.nonlinear is not None:
            self.nonlinear.commit()
        if self.fracture is not None:
            self.fracture.commit()

    def destroy(self) -> None:
        """Destroy every PETSc object of the problem, on all ranks together (`seifem.parallel`)."""
        for obj in (self.diff_solver, self.el_solver, self.transport, self.coupled, self.nonlinear,
                    self.fracture):
            if obj is not None:
                obj.destroy()
        for obj in (self.A_diff, self.b_diff, self.A_el, self.b_el):
            obj.destroy()

"""Nonlinear mechanics of a particle, solved by Newton (PETSc SNES) with the consistent
UFL Jacobian, kept across Newton steps and time steps while Newton contracts fast
(`newton.JacobianLag`: modified Newton): finite strain (neo-Hookean with a chemical stretch, `physics.finite_strain`)
and/or J2 perfect plasticity of regions with a yield stress (small strain:
`physics.plasticity`; finite strain: `physics.finite_plasticity`, Simo's multiplicative
model). The linear solves (`solvers.newton_presets`): a serial run below `solvers.DIRECT_BELOW`
dofs factorises the Jacobian (MUMPS; a new factorisation only when the Jacobian is
reassembled), else CG + GAMG with SOR smoothing and the rigid-body near-nullspace, converged
on the true residual (the preconditioner kept while it works, `newton.PreconditionerReuse`).

Octant models only: their symmetry planes remove rigid motion, which a free particle at
finite strain would leave in the Newton systems.
"""

from __future__ import annotations

import time

import basix.ufl
import numpy as np
import ufl
from dolfinx import fem
from dolfinx.fem import petsc as fpetsc
from mpi4py import MPI
from petsc4py import PETSc

from seifem.errors import SolverError
from seifem.parallel import destroy_problem
from seifem.petsc_options import nonlinear_problem
from seifem.physics import finite_strain as fs
from seifem.physics import mechanics as mech
from seifem.physics.finite_plasticity import simo_return
from seifem.physics.plasticity import radial_return
from seifem.problem.newton import (ForcingTerms, JacobianLag, KeptJacobianAcceleration, PreconditionerReuse,
                                   predict)
from seifem.problem.solvers import newton_presets, rigid_body_modes

__all__ = ["NonlinearMechanics", "NEWTON"]

NEWTON = {
    "snes_type": "newtonls",
    "snes_linesearch_type": "none",
    "snes_rtol": 1e-9,
    "snes_atol": 1e-12,
    "snes_max_it": 30,
    "ksp_rtol": 1e-6,
    "snes_lag_preconditioner": -2,  # built once, then -1: rebuilt by `PreconditionerReuse` only
    "snes_lag_preconditioner_persists": True,
}
"""Newton presets (prefix seifem_mechanics_); the linear solves use the elasticity presets.
With an iterative linear solver the Newton is inexact: `ForcingTerms` sets each linear solve's
tolerance (ksp_rtol is then only the LU's, unused); the Newton tolerance is unchanged."""


class NonlinearMechanics:
    """Residual, Jacobian and Newton solver of the particle's mechanics.

    problem: the `ParticleProblem` (spaces, u, theta, moduli, SEI, symmetry conditions);
    finite: finite strain; yield_stress: region -> yield stress (GPa) of plastic regions.
    """

    linear_presets: dict | None = None
    """PETSc options of the linear solves in each Newton step (prefix seifem_mechanics_); None:
    `solvers.newton_presets` (a subclass may fix its own)."""
    keep_jacobian: bool = True
    """Modified Newton (`newton.JacobianLag`); a subclass with its own Jacobian callback opts out."""
    predictor_order: int = 2
    """Highest order of the extrapolated start of Newton (`predict`): 2 quadratic, 1 linear,
    0 none (Newton starts from u_n, as a test's reference does)."""

    def __init__(self, problem, finite: bool, yield_stress: dict[str, float]):
        self.p, self.finite, self.yield_stress = problem, finite, yield_stress
        p, geo = problem, problem.geo
        u, v = p.u, ufl.TestFunction(p.W)
        self.stats = {"setups": 0, "solves": 0, "iterations": 0, "newton_iterations": 0, "jacobians": 0,
                      "jacobians_kept": 0, "jacobians_slow": 0, "setup_time": 0.0, "solve_time": 0.0}
        """Counters: linear `iterations` and preconditioner `setups`; `jacobians` assembled,
        Newton steps on a kept one (`jacobians_kept`) and assemblies because Newton contracted
        slowly on a kept one (`jacobians_slow`; `newton.JacobianLag`)."""
        self.qdeg = 2 * (p.case.solver.degree - 1) if p.case.solver.degree > 1 else 1
        # history at quadrature points, and the expressions that move it on after a step;
        # `plastic_measure[region]` is > 0 where the region has flowed
        self.history, self._updates, self.plastic_measure, self._plastic_forms = {}, {}, {}, {}
        if finite and yield_stress:
            self.u_n = fem.Function(p.W, name="displacement_previous")
            self.history["u_n"] = self.u_n
        residual = 0
        for region in p.moduli:
            E, nu = p.E_c[region], p.nu_c[region]
            if region in yield_stress:
                residual += self._plastic_residual(region, v)
            elif finite:  # logs and powers would make UFL's degree estimate explode: fix it at 2k
                J_ch = fs.chemical_jacobian(p.beta, p.theta, p.theta0) if region == "core" else None
                dxf = geo.dx(region)(metadata={"quadrature_degree": max(self.qdeg, 2)})
                residual += ufl.inner(fs.first_piola(u, E, nu, J_ch), ufl.grad(v)) * dxf
            else:
                residual += ufl.inner(mech.stress(self._strain(region), E, nu), mech.eps(v)) * geo.dx(region)
        if p.sei is not None:
            residual += self._membrane_residual(v)
        jacobian = ufl.derivative(residual, u, ufl.TrialFunction(p.W))
        factorise = p.comm.size == 1  # as small strain: MUMPS on several ranks is not reproducible
        presets = newton_presets(p.W, factorise) if self.linear_presets is None else self.linear_presets
        opts = {**presets, **NEWTON}
        if presets.get("ksp_type") == "preonly":  # LU: factorised whenever the Jacobian is assembled;
            # converged on |F| alone: an Anderson step (`KeptJacobianAcceleration`) may be short
            # by cancellation, so PETSc's short-step test (stol) would stop it early
            opts.update(snes_lag_preconditioner=1, snes_lag_preconditioner_persists=False, snes_stol=0.0)
        self.nlp = nonlinear_problem(residual, u, bcs=p.bcs_u, J=jacobian, prefix="seifem_mechanics_", options=opts)
        self._ns, self._ns_arrays = rigid_body_modes(p.W)
        self.nlp.A.setNearNullSpace(self._ns)
        self.nlp.solver.setFunction(self._residual, self.nlp.b)
        self.reuse = PreconditionerReuse("seifem_mechanics")
        self.forcing = ForcingTerms()
        direct = self.nlp.solver.getKSP().getType() == PETSc.KSP.Type.PREONLY
        lag = (JacobianLag(JacobianLag.DIRECT, JacobianLag.DIRECT_STEPS) if direct
               else JacobianLag(JacobianLag.ITERATIVE))
        self.lag = lag if self.keep_jacobian else None
        self.reuse.attach(self.nlp.solver, self.forcing, self.lag)
        if direct and self.lag is not None:
            KeptJacobianAcceleration(p.comm, self.lag).attach(self.nlp.solver)
        _, _, (jacobian, args, kargs) = self.nlp.solver.getJacobian()

        def kept_or_assembled(snes, x, J, P):  # modified Newton: `JacobianLag` decides
            if self.lag is None or self.lag.new:
                jacobian(snes, x, J, P, *(args or ()), **(kargs or {}))

        self.nlp.solver.setJacobian(kept_or_assembled, self.nlp.A, self.nlp.P_mat)
        # u at the start of the last committed step and of the one before (for the extrapolated
        # guess; state, so a restart guesses the same), and the start of this one
        self.u_nm1 = fem.Function(p.W, name="displacement_before")
        self.u_nm2 = fem.Function(p.W, name="displacement_before_last")
        self.history["u_nm1"], self.history["u_nm2"] = self.u_nm1, self.u_nm2
        self._u_start = self.u_nm1.x.petsc_vec.duplicate()
        self.steps_at_current = 0
        """Steps committed in a row at the current of the last one (`time_state`)."""
        self.dt_before_last: float | None = None
        """Length of the step before the last one (s), when both ran at the same current."""
        self._this_step: tuple[bool, float | None] = (False, None)  # (continues the current, last dt)

    def _residual(self, snes, x: PETSc.Vec, b: PETSc.Vec) -> None:
        """The residual at x. Every Dirichlet condition is homogeneous and x satisfies it, so
        no lifting (it would cost about a Jacobian assembly of the cells on the planes)."""
        x.copy(self.p.u.x.petsc_vec)
        self.p.u.x.scatter_forward()
        with b.localForm() as loc:
            loc.set(0.0)
        fpetsc.assemble_vector(b, self.nlp.F)
        b.ghostUpdate(addv=PETSc.InsertMode.ADD, mode=PETSc.ScatterMode.REVERSE)
        fpetsc.set_bc(b, self.p.bcs_u, x, -1.0)

    # ------------------------------------------------------------------ forms
    def _quadrature_function(self, name: str, shape: tuple):
        mesh = self.p.geo.mesh
        Q = fem.functionspace(mesh, basix.ufl.quadrature_element(mesh.basix_cell(), value_shape=shape,
                                                                  degree=self.qdeg))
        f = fem.Function(Q, name=name)
        self.history[name] = f
        return f

    def _plastic(self, region: str):
        """(stress tensor for the residual, its test strain, updates {history: new value},
        plastic measure) of a plastic region: small-strain radial return, or Simo's finite-strain
        return map with the history b_e_bar (initially I) and the accumulated multiplier."""
        p = self.p
        E, nu, sy = p.E_c[region], p.nu_c[region], self.yield_stress[region]
        if not self.finite:
            eps_p = self.history.get(f"plastic_strain_{region}") or self._quadrature_function(
                f"plastic_strain_{region}", (3, 3))
            sigma, d_eps_p, _ = radial_return(self._strain(region), eps_p, E, nu, sy)
            measure = ufl.sqrt(2.0 / 3.0 * ufl.inner(eps_p, eps_p))
            return sigma, sigma, {eps_p: eps_p + d_eps_p}, measure
        be = self.history.get(f"elastic_strain_{region}")
        if be is None:
            be = self._quadrature_function(f"elastic_strain_{region}", (3, 3))
            be.x.array.reshape(-1, 9)[:, [0, 4, 8]] = 1.0  # b_e_bar = I: the stress-free state
            self._quadrature_function(f"plastic_multiplier_{region}", ())
        alpha = self.history[f"plastic_multiplier_{region}"]
        F, F_n = fs.deformation_gradient(p.u), fs.deformation_gradient(self.u_n)
        J_ch = fs.chemical_jacobian(p.beta, p.theta, p.theta0) if region == "core" else 1.0
        P, sigma, be_new, dgamma = simo_return(F, F_n, be, J_ch, E, nu, sy)
        return P, sigma, {be: be_new, alpha: alpha + (2.0 / 3.0) ** 0.5 * dgamma}, alpha

    def _plastic_residual(self, region: str, v):
        stress, _, updates, measure = self._plastic(region)
        # one expression for all of the region's updates: the return map evaluated once
        flat = [new[i] if new.ufl_shape else new for new in updates.values() for i in np.ndindex(new.ufl_shape)]
        first = next(iter(updates))
        self._updates[region] = (tuple(updates), fem.Expression(ufl.as_vector(flat),
                                                                 first.function_space.element.interpolation_points))
        self.plastic_measure[region] = measure
        dxq = self.p.geo.dx(region)(metadata={"quadrature_degree": self.qdeg})
        test = ufl.grad(v) if self.finite else mech.eps(v)
        return ufl.inner(stress, test) * dxq

    def _strain(self, region: str):
        """Small strain minus the chemical eigenstrain (core)."""
        strain = mech.eps(self.p.u)
        return strain - self.p.eigenstrain() if region == "core" else strain

    def _membrane_residual(self, v):
        """SEI membrane (`ParticleProblem.membrane_residual`: small strain, or St Venant-Kirchhoff
        on the Green-Lagrange strain at finite strain)."""
        return self.p.membrane_residual(v)

    def stress(self, region: str):
        """Cauchy stress of a region (GPa, UFL)."""
        p = self.p
        E, nu = p.E_c[region], p.nu_c[region]
        if region in self.yield_stress:
            return self._plastic(region)[1]
        if self.finite:
            J_ch = fs.chemical_jacobian(p.beta, p.theta, p.theta0) if region == "core" else None
            return fs.cauchy(fs.first_piola(p.u, E, nu, J_ch), p.u)
        return mech.stress(self._strain(region), E, nu)

    # ------------------------------------------------------------------ solving
    def _initial_guess(self) -> None:
        """Tolerances and the starting point of Newton: the convergence test is the one from the
        last step's displacement (|F| <= snes_rtol |F(u_n)|, or snes_atol), whatever the guess.
        While the flux is the same (a new protocol step starts from u_n) the guess extrapolates
        u in time: quadratically through the starts of the last two steps and u_n once three
        steps in a row ran at this current (so the jump of the first step from rest is not in
        the fit), else linearly from the last step (`predict`)."""
        p, snes = self.p, self.nlp.solver
        p.u.x.petsc_vec.copy(self._u_start)
        snes.computeFunction(self._u_start, self.nlp.b)
        rtol = NEWTON["snes_rtol"]
        snes.setTolerances(atol=max(NEWTON["snes_atol"], rtol * self.nlp.b.norm()), rtol=0.0)
        dt, flux = float(p.dt_c.value), float(p.j_c.value)
        continues = bool(p._prev_dt) and p._prev_flux == flux
        self._this_step = (continues, p._prev_dt)
        self.forcing.start_norm = None
        if continues and self.predictor_order > 0:
            self.forcing.start_norm = self.nlp.b.norm()
            quadratic = self.predictor_order > 1 and self.steps_at_current >= 3 and self.dt_before_last
            weights = predict(dt, p._prev_dt, self.dt_before_last if quadratic else None)
            u = p.u.x.petsc_vec
            u.scale(weights[0])
            for w, f in zip(weights[1:], (self.u_nm1, self.u_nm2)):
                if w:
                    u.axpy(w, f.x.petsc_vec)
            p.u.x.scatter_forward()

    def time_state(self) -> dict:
        """The predictor's scalars (`steps_at_current`, `dt_before_last`), for checkpoints."""
        return {"predictor_steps": self.steps_at_current, "predictor_dt_before_last": self.dt_before_last}

    def set_time_state(self, ts: dict) -> None:
        """From `time_state()` (a checkpoint without them: the linear guess until three steps ran)."""
        self.steps_at_current = ts.get("predictor_steps", 0)
        self.dt_before_last = ts.get("predictor_dt_before_last")

    def solve(self) -> None:
        t0 = time.perf_counter()
        self._initial_guess()
        self.nlp.solve()
        snes = self.nlp.solver
        reason, its = snes.getConvergedReason(), snes.getIterationNumber()
        self.stats["solve_time"] += time.perf_counter() - t0
        self.stats["solves"] += 1
        self.stats["newton_iterations"] += its
        self.stats["iterations"] += snes.getLinearSolveIterations()
        self.stats["setups"] = self.reuse.rebuilds if self.reuse.enabled or self.lag is None else self.lag.assembled
        if self.lag is not None:
            self.stats.update(jacobians=self.lag.assembled, jacobians_kept=self.lag.kept, jacobians_slow=self.lag.slow)
        if reason < 0:
            names = {v: k for k, v in PETSc.SNES.ConvergedReason.__dict__.items() if isinstance(v, int)}
            raise SolverError(f"seifem_mechanics: Newton failed after {its} iterations ({names.get(reason, reason)})",
                              reason)
        self.p.u.x.scatter_forward()

    def commit(self) -> None:
        """Accept the converged step: move the plastic history forward on each plastic region's
        cells (its history elsewhere stays untouched: zero, or b_e_bar = I; all updates are
        evaluated before any is stored, since they read each other's old values) and keep the
        step's starting displacement (and the last one's) for the next guess."""
        mesh, geo = self.p.geo.mesh, self.p.geo
        cells = {region: geo.cells(region) for region in self._updates}
        values = [(cells[region], functions, expr.eval(mesh, cells[region]))
                  for region, (functions, expr) in self._updates.items()]
        for region_cells, functions, new in values:  # (cell, point, component), the blocks side by side
            start = 0
            for f in functions:
                bs = f.function_space.dofmap.index_map_bs
                f.x.array.reshape(-1, bs)[f.function_space.dofmap.list[region_cells]] = new[:, :, start:start + bs]
                f.x.scatter_forward()
                start += bs
        if "u_n" in self.history:
            self.u_n.x.array[:] = self.p.u.x.array
        continues, dt_before = self._this_step
        self.steps_at_current = self.steps_at_current + 1 if continues else 1
        self.dt_before_last = dt_before if continues else None
        self.u_nm2.x.array[:] = self.u_nm1.x.array
        self._u_start.copy(self.u_nm1.x.petsc_vec)
        self.u_nm1.x.scatter_forward()

    def plastic_volume(self, region: str) -> float:
        """Volume of the region (model units) where the material has yielded (equivalent
        plastic strain, or accumulated multiplier at finite strain, > 1e-9)."""
        if region not in self._plastic_forms:
            dx = self.p.geo.dx(region)(metadata={"quadrature_degree": self.qdeg})
            yielded = ufl.conditional(ufl.gt(self.plastic_measure[region], 1e-9), 1.0, 0.0)
            volume = fem.assemble_scalar(fem.form(fem.Constant(self.p.geo.mesh, 1.0) * dx))
            self._plastic_forms[region] = (fem.form(yielded * dx), self.p.comm.allreduce(volume, op=MPI.SUM))
        return self.p.comm.allreduce(fem.assemble_scalar(self._plastic_forms[region][0]), op=MPI.SUM)

    def scalars(self) -> dict[str, float]:
        """History columns of the plastic regions: `<region>_plastic_fraction` (volume fraction
        that has yielded) and `<region>_plastic_strain_max` (largest equivalent plastic strain
        sqrt(2/3 eps_p : eps_p) at small strain, accumulated sqrt(2/3) x multiplier at finite
        strain, over the region's quadrature points). Collective."""
        out = {}
        for region in self.yield_stress:
            yielded = self.plastic_volume(region)
            volume = self._plastic_forms[region][1]  # the region's, at the quadrature degree (once)
            f = self.history[f"plastic_multiplier_{region}" if self.finite else f"plastic_strain_{region}"]
            points = f.function_space.dofmap.list[self.p.geo.cells(region)].ravel()  # the region's
            if self.finite:
                measure = f.x.array[points]
            else:
                eps_p = f.x.array.reshape(-1, 9)[points]
                measure = np.sqrt(2.0 / 3.0 * np.sum(eps_p * eps_p, axis=1))
            local = float(measure.max()) if measure.size else 0.0
            out[f"{region}_plastic_fraction"] = yielded / volume
            out[f"{region}_plastic_strain_max"] = self.p.comm.allreduce(local, op=MPI.MAX)
        return out

    def destroy(self) -> None:
        self._u_start.destroy()
        destroy_problem(self.nlp)

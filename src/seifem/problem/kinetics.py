"""Nonlinear transport of a `ParticleProblem`: local Butler-Volmer kinetics and/or a
concentration-dependent diffusivity, by Newton's method with the particle potential as one
global unknown (docs/physics.md "Electrochemistry").

Unknowns: theta (the problem's concentration space) and psi, the potential behind the SEI
film (V vs the guest metal; the electrode potential is V = psi - i_mean R_film). The inward
flux at the electrolyte-facing surfaces is j = i(theta, psi) / (F c_max) with the
Butler-Volmer current of `physics.electrochemistry`; its total is fixed by one more equation:

    galvanostatic:  G = int j ds - Q = 0          (Q: the applied current in theta units)
    potentiostatic: G = psi - V_hold - R_film i_mean = 0,   i_mean = F c_max int j ds / A.

Each Newton step solves the bordered system [[J, F_psi], [G_theta, G_psi]] by block
elimination: two solves with the Jacobian J (same operator and preconditioner), then a
scalar for d psi (Keller's bordering algorithm). The ion inventory then follows the current
to Newton tolerance. Without Butler-Volmer kinetics (uniform flux, D(theta) only) the border
drops out. Linear solves: GMRES + GAMG, prefix `seifem_transport_`, the preconditioner
rebuilt once per time step and reused by its Newton iterations.
"""

from __future__ import annotations

import time

import ufl
from dolfinx import fem
from dolfinx.fem import petsc as fpetsc
from mpi4py import MPI
from petsc4py import PETSc

from seifem.errors import SolverError
from seifem.materials.ocp import table
from seifem.physics.electrochemistry import (
    arrhenius,
    butler_volmer,
    exchange_current,
    overpotential,
    thermal_voltage,
)
from seifem.physics.transport import transport_residual
from seifem.problem.solvers import DIFFUSION, LinearSolver, assemble_rhs
from seifem.units import FARADAY, SCALES

__all__ = ["NonlinearTransport", "NEWTON_TOL", "diffusivity"]

NEWTON_TOL = 1e-10
"""Newton stops when the largest theta update and the psi update (in units of RT/F) are below this."""

MAX_ITERATIONS = 30


def diffusivity(case, theta=None):
    """D (um^2/s) as a UFL expression of theta: the reference D, its Arrhenius factor at the
    case temperature and the (theta, factor) table of `particle.diffusivity_factor` (left out
    when theta is None: the reference D at the case temperature, a float)."""
    mat, T = case.particle.material, case.physics.temperature
    Ea = mat.si("diffusivity_activation_energy") if "diffusivity_activation_energy" in mat.values else 0.0
    D = mat.si("diffusivity") / SCALES.length**2 * arrhenius(Ea, T)
    factor = case.particle.diffusivity_factor
    return D * table(*factor).ufl(theta) if factor is not None and theta is not None else D


class NonlinearTransport:
    """theta (and psi) of a `ParticleProblem` by bordered Newton; see the module docstring."""

    def __init__(self, problem):
        p, case = problem, problem.case
        mesh, self.p = p.geo.mesh, p
        self.bv = case.electrochemistry.kinetics == "butler-volmer"
        theta, v = p.theta, ufl.TestFunction(p.V)
        dxc = p.geo.dx("core")
        flux = -diffusivity(case, theta) * ufl.grad(theta)
        L, T = SCALES.length, case.physics.temperature
        self.psi = fem.Constant(mesh, PETSc.ScalarType(0.0))
        self.lithiating = fem.Constant(mesh, PETSc.ScalarType(1.0))  # OCP branch: 1 lithiation, 0 delithiation
        if self.bv:
            mat = case.particle.material
            Ea = mat.si("reaction_activation_energy") if "reaction_activation_energy" in mat.values else 0.0
            i0 = exchange_current(mat.si("exchange_current_density") * arrhenius(Ea, T), theta)
            w = self.lithiating
            U_de = mat.ocp.delithiation.ufl(theta)
            self.phase = None  # per dof: 1 where the host holds the crystalline phase (history)
            if mat.ocp.crystalline is not None and case.particle.expansion == "phases":
                self.phase = fem.Function(p.V, name="crystalline_phase")
                self.phase_range = mat.ocp.crystalline_range()
                p.extra_state["crystalline_phase"] = self.phase
                U_de = U_de + self.phase * ufl.max_value(mat.ocp.crystalline.voltage - U_de, 0.0)
            U = w * mat.ocp.lithiation.ufl(theta) + (1 - w) * U_de
            psi = ufl.variable(self.psi)
            i = butler_volmer(i0, psi - U, T, case.electrochemistry.transfer_coefficient)
            j = i / (FARADAY * p.c_max * L)  # inward flux in theta units, um/s
            dj = ufl.diff(j, psi)
            inflow = p.on_surfaces(j * v, p.flux_surfaces)
            self.G_form = fem.form(p.on_surfaces(j, p.flux_surfaces))          # int j ds (um^3/s)
            self.dG_dpsi = fem.form(p.on_surfaces(dj, p.flux_surfaces))
            self.dG_dtheta = fem.form(ufl.derivative(p.on_surfaces(j, p.flux_surfaces), theta, v))
            self.F_psi = fem.form(-p.on_surfaces(dj * v, p.flux_surfaces))
            self.i_per_flux = FARADAY * p.c_max * L / p.flux_area  # A/m^2 of mean current per um^3/s of int j ds
        else:
            inflow = p.on_surfaces(p.j_c * v, p.flux_surfaces)
        residual = transport_residual(theta, v, p.theta_n, p.theta_nm1, p.w_c, p.dt_c, flux, dxc, inflow)
        residual += p.pinned_pattern(theta, v)
        self.F_form = fem.form(residual)
        self.J_form = fem.form(ufl.derivative(residual, theta, ufl.TrialFunction(p.V)))
        self.bcs = p.diffusion_bcs
        self.J = fpetsc.create_matrix(self.J_form)
        self.b = fpetsc.create_vector(p.V)
        self.x1, self.x2 = fpetsc.create_vector(p.V), fpetsc.create_vector(p.V)
        self.bpsi, self.c = fpetsc.create_vector(p.V), fpetsc.create_vector(p.V)
        self.solver = LinearSolver(self.J, "seifem_transport_", {**DIFFUSION, "ksp_type": "gmres"}, 1e-12)
        self.solver.ksp.setInitialGuessNonzero(False)
        self.stats = {"setups": 0, "solves": 0, "iterations": 0, "newton_iterations": 0, "setup_time": 0.0,
                      "solve_time": 0.0}
        self.film_resistance = 0.0  # ohm m^2
        if case.sei is not None and "resistivity" in case.sei.material.values:
            self.film_resistance = case.sei.material.si("resistivity") * case.sei.thickness
        self.inflow = 0.0  # int j ds of the last step (um^3/s, modelled part)
        self.vt = thermal_voltage(T)
        self._started = False

    # ------------------------------------------------------------------ helpers
    def _sum(self, form) -> float:
        return self.p.comm.allreduce(fem.assemble_scalar(form), op=MPI.SUM)

    def mean_current(self) -> float:
        """Mean inward current density of the last solution (A/m^2)."""
        return self.inflow * self.i_per_flux if self.bv else 0.0

    def voltage(self) -> float:
        """Electrode potential V = psi - i_mean R_film (V vs the guest metal)."""
        return float(self.psi.value) - self.mean_current() * self.film_resistance

    def set_film_thickness(self, thickness_m: float) -> None:
        """The SEI thickness (m) that sets the film resistance."""
        mat = self.p.case.sei.material
        if "resistivity" in mat.values:
            self.film_resistance = mat.si("resistivity") * thickness_m

    def set_branch(self, direction: int) -> None:
        """OCP branch: +1 lithiation, -1 delithiation (0 keeps the current one)."""
        if direction:
            self.lithiating.value = 1.0 if direction > 0 else 0.0

    # ------------------------------------------------------------------ Newton
    def solve(self, inflow: float | None = None, voltage: float | None = None) -> int:
        """One implicit step: with `inflow` (um^3/s over the flux surfaces, modelled part) the
        current is fixed; with `voltage` (V) the electrode potential is. Without Butler-Volmer
        kinetics the flux is the problem's uniform j. Returns the Newton iterations."""
        p = self.p
        theta = p.theta.x.petsc_vec
        t_start = time.perf_counter()
        if self.bv and not self._started:
            self.psi.value = self._initial_psi(inflow, voltage)
        self._started = True
        ksp = self.solver.ksp
        for it in range(1, MAX_ITERATIONS + 1):
            self.J.zeroEntries()
            fpetsc.assemble_matrix(self.J, self.J_form, bcs=self.bcs)
            self.J.assemble()
            b = assemble_rhs(self.b, self.F_form, self.bcs)
            if it == 1:  # one preconditioner per time step, reused by its Newton iterations
                ksp.getPC().setReusePreconditioner(False)
                self.solver.update_operator()
            self.solver.solve(b, self.x1)  # J x1 = F
            ksp.getPC().setReusePreconditioner(True)
            step_psi = 0.0
            if self.bv:
                self.solver.solve(assemble_rhs(self.bpsi, self.F_psi, self.bcs), self.x2)  # J x2 = F_psi
                c = assemble_rhs(self.c, self.dG_dtheta, self.bcs)
                g_int, dg_psi = self._sum(self.G_form), self._sum(self.dG_dpsi)
                if voltage is None:  # galvanostatic: int j ds = inflow
                    G, dG, cs = g_int - inflow, dg_psi, 1.0
                else:  # potentiostatic: psi - V - R i_mean = 0
                    k = self.film_resistance * self.i_per_flux
                    G, dG, cs = float(self.psi.value) - voltage - k * g_int, 1.0 - k * dg_psi, -k
                step_psi = (cs * c.dot(self.x1) - G) / (dG - cs * c.dot(self.x2))
                self.x1.axpy(step_psi, self.x2)  # -(theta update)
            theta.axpy(-1.0, self.x1)
            p.theta.x.scatter_forward()
            self.psi.value = float(self.psi.value) + step_psi
            change = max(self.x1.norm(PETSc.NormType.INFINITY), abs(step_psi) / self.vt)
            if change < NEWTON_TOL:
                break
        else:
            raise SolverError(f"seifem_transport: Newton did not converge in {MAX_ITERATIONS} iterations "
                              f"(last change {change:.3g})", -1)
        if self.bv:
            self.inflow = self._sum(self.G_form)
        if self.bv and self.phase is not None:
            self._update_phase()
        self.stats["newton_iterations"] += it
        self.stats["solves"] += 1
        self.stats["solve_time"] += time.perf_counter() - t_start
        self.stats.update(setups=self.solver.stats["setups"], iterations=self.solver.stats["iterations"],
                          setup_time=self.solver.stats["setup_time"])
        return it

    def _update_phase(self) -> None:
        """The crystalline-phase history at every dof after a converged step: the material's
        rule (`OpenCircuitPotential.crystalline_after`) pointwise: formed where theta reached the
        formation point while lithiating, gone where it fell to the plateau's end."""
        forms, ends = self.phase_range
        th, chi = self.p.theta.x.array, self.phase.x.array
        if float(self.lithiating.value) > 0.5:
            chi[th >= forms] = 1.0
        chi[th <= ends] = 0.0

    def _initial_psi(self, inflow: float | None, voltage: float | None) -> float:
        """A starting potential: the hold voltage, or the OCP at the mean surface state plus the
        symmetric Butler-Volmer overpotential of the uniform current."""
        if voltage is not None:
            return voltage
        p, case = self.p, self.p.case
        one = fem.form(p.on_surfaces(fem.Constant(p.geo.mesh, 1.0), p.flux_surfaces))
        theta_s = self._sum(fem.form(p.on_surfaces(p.theta, p.flux_surfaces))) / self._sum(one)
        mat = case.particle.material
        i = inflow * self.i_per_flux
        i0 = float(exchange_current(mat.si("exchange_current_density"), theta_s))
        direction = 1 if float(self.lithiating.value) > 0.5 else -1
        return float(mat.ocp.numpy(theta_s, direction)) + float(overpotential(i, i0, case.physics.temperature))

    def destroy(self) -> None:
        self.solver.destroy()
        for obj in (self.J, self.b, self.x1, self.x2, self.bpsi, self.c):
            obj.destroy()

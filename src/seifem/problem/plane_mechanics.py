"""Mechanics of the 2D plane-strain cross-section (`seifem.problem.plane`): the 3 x 3 elastic
strain with the uniform axial strain e_zz, the elasticity operator (one LU factorisation without
fracture), generalized plane strain (axial "free": the axial force int s_zz dA vanishes), the
phase-field fracture of the listed regions with seeded radial flaws, and the stress outputs.

`PlaneMechanics` is a mixin of `PlaneProblem` (which owns the mesh, the measures, theta and the
moduli); units as there (um, GPa).
"""

from __future__ import annotations

import time

import numpy as np
import ufl
from dolfinx import fem
from dolfinx.fem import petsc as fpetsc
from petsc4py import PETSc

from seifem.geometry.plane import pin_vertices
from seifem.petsc_options import forget_options, set_options
from seifem.physics import mechanics as mech
from seifem.problem.plane_solver import PlaneNewton, direct_options
from seifem.reduced.axisym_output import lu_solver
from seifem.units import SCALES

__all__ = ["AXIAL_TOLERANCE", "PlaneMechanics", "strain3"]

AXIAL_TOLERANCE = 1e-8
"""Fracture with axial "free": the relative axial-strain update (of max(|e_zz|, 1e-4)) below which
the axial force counts as balanced (`problem.plane_solver`)."""

STAGGERED_SHARE = 0.1
"""Fracture: each u-solve of the staggered loop stops once its residual is below this fraction
of the loop's own u-tolerance (`fracture.tolerance` times the step's first residual; the axial
force likewise), `PlaneNewton.step_rtol`: a tighter u-solve changes nothing the loop's test
can see, and after cracking it is where the Newton on the split's switching stalled."""


def strain3(u, e_ch=0.0, ezz=0.0):
    """3 x 3 elastic strain of the in-plane displacement u with the uniform axial strain ezz
    (0: plane strain) and the isotropic eigenstrain e_ch (a scalar)."""
    g = ufl.grad(u)
    exy = 0.5 * (g[0, 1] + g[1, 0])
    return ufl.as_matrix([[g[0, 0] - e_ch, exy, 0], [exy, g[1, 1] - e_ch, 0], [0, 0, ezz - e_ch]])



class PlaneMechanics:
    """Mechanics and fracture of `PlaneProblem` (a mixin)."""

    def eigenstrain(self):
        """Chemical eigenstrain (beta/3)(theta - theta0) of the core (UFL scalar)."""
        return mech.free_swelling(self.theta, self.theta0, self.beta, self.design.volume_curve) / 3

    def strain(self, region: str):
        """The elastic-strain function u -> 3 x 3 tensor of a region."""
        if region == "core":
            return lambda u: strain3(u, self.eigenstrain(), self._ezz_var)
        return lambda u: strain3(u, 0.0, self._ezz_var)

    def _setup_mechanics(self, fracture, energies: dict[str, float]) -> None:
        centre, pin = pin_vertices(self.mesh, self.breaks[1])
        self.bcs_u = [fem.dirichletbc(PETSc.ScalarType(0.0), fem.locate_dofs_topological(self.W.sub(i), 0, centre),
                                      self.W.sub(i)) for i in (0, 1)]
        self.bcs_u.append(fem.dirichletbc(PETSc.ScalarType(0.0), fem.locate_dofs_topological(self.W.sub(1), 0, pin),
                                          self.W.sub(1)))
        self.ezz = self._const(0.0)  # uniform axial strain (stays 0 with axial "fixed")
        self._ezz_var = ufl.variable(self.ezz)  # e_zz in the strain, so forms can be differentiated by it
        self.E_c = {n: self._const(E) for n, (E, _) in self.moduli.items()}
        self.nu_c = {n: self._const(nu) for n, (_, nu) in self.moduli.items()}
        self.fracture = self.fracture_work = None
        if fracture is not None:
            from seifem.problem.fracture import Region, StaggeredPhaseField
            from seifem.problem.fracture_work import ChemicalWork

            L, S = SCALES.length, SCALES.stress
            self.Gc = {n: energies[n] / (S * L) for n in fracture.regions}  # GPa um
            regions = {n: Region(self.dx(i + 1), self.E_c[n], self.nu_c[n], self.strain(n), self.Gc.get(n),
                                 self.cells[n]) for i, n in enumerate(self.regions)}
            self.fracture = StaggeredPhaseField(self.u, regions, self.bcs_u, fracture.length_scale / L, fracture.model,
                                                fracture.residual_stiffness, tol_d=fracture.tolerance,
                                                rtol_u=fracture.tolerance, max_iterations=fracture.max_iterations,
                                                prefix="seifem_plane_fracture_")
            self.fracture_model = fracture
            if fracture.notch_depth > 0:
                self.seed_notches(fracture.notch_depth / L, fracture.notches, self._hs)
            self._setup_axial()
            self._setup_solvers(fracture)
            self.fracture_work = ChemicalWork(self.fracture, self.theta, (self.ezz,))  # `problem.fracture_work`
            return
        u, v = ufl.TrialFunction(self.W), ufl.TestFunction(self.W)
        a = sum(ufl.inner(mech.stress(strain3(u), self.E_c[n], self.nu_c[n]), strain3(v)) * self.dx(i + 1)
                for i, n in enumerate(self.regions))
        e = self.eigenstrain()
        sig_ch = mech.stress(e * ufl.Identity(3), self.E_c["core"], self.nu_c["core"])
        self.a_el, self.L_el = fem.form(a), fem.form(ufl.inner(sig_ch, strain3(v)) * self.dx(1))
        self.A_el = fpetsc.assemble_matrix(self.a_el, bcs=self.bcs_u)
        self.A_el.assemble()
        self.b_el = fpetsc.create_vector(self.W)
        self.ksp_el = lu_solver(self.A_el, "seifem_plane_elasticity_")
        self._setup_axial()
        if self.axial == "free":  # u1: the response to a unit axial strain (no eigenstrain)
            unit = sum(-ufl.inner(mech.stress(ufl.as_matrix([[0, 0, 0], [0, 0, 0], [0, 0, 1.0]]), self.E_c[n],
                                              self.nu_c[n]), strain3(v)) * self.dx(i + 1)
                       for i, n in enumerate(self.regions))
            self.u1 = fem.Function(self.W)
            self._solve(self.ksp_el, self.b_el, fem.form(unit), self.bcs_u, self.u1, "elasticity")

    def _setup_axial(self) -> None:
        """The axial force int s_zz dA (GPa um^2) and the undamaged axial stiffness int E dA."""
        self._axial_force = fem.form(sum(self.stress(n)[2, 2] * self.dx(i + 1) for i, n in enumerate(self.regions)))
        self._axial_stiffness = self.integrate(sum(self.E_c[n] * self.dx(i + 1) for i, n in enumerate(self.regions)))

    def _setup_solvers(self, fracture) -> None:
        """Fracture: the u-problem by `PlaneNewton` (e_zz a global unknown with axial "free"); up
        to `DIRECT_LIMIT` displacement dofs both the u- and the d-problem by LU (MUMPS)."""
        pf = self.fracture
        force = None
        if self.axial == "free":
            force = sum(self.stress(n)[2, 2] * self.dx(i + 1) for i, n in enumerate(self.regions))
        self.u_newton = PlaneNewton(pf.residual_form, self.u, self.bcs_u, self.ezz, self._ezz_var, force,
                                    self._axial_stiffness, pf._ns, rtol=1e-9, atol=pf.atol_u,
                                    axial_tol=AXIAL_TOLERANCE, prefix="seifem_plane_fracture_newton_",
                                    step_rtol=STAGGERED_SHARE * pf.rtol_u)
        pf.u_solver = self.u_newton
        forget_options("seifem_plane_fracture_u_")  # the replaced SNES's options, never read
        if self.u_newton.direct:  # the d-problem's reduced-space Newton systems by LU too
            # in the database: the solve reads them again
            set_options("seifem_plane_fracture_d_", direct_options())
            pf.d_problem.solver.getKSP().setFromOptions()

    def axial_force(self) -> float:
        """int s_zz dA over the cross-section (GPa um^2). Collective."""
        return self.integrate(self._axial_force)

    def seed_notches(self, depth: float, count: int, width: float) -> None:
        """Seeded flaws: d = 1 (and its irreversible lower bound) at the damage dofs within
        0.6 `width` (um) of `count` radial segments of length `depth` (um) from the core's
        circle inwards, at the angles 2 pi k / count from +x; then the damage problem is solved
        once in the stress-free start, so the flaws take the optimal crack profile (width ~2 l)."""
        D = self.fracture.d.function_space
        x = D.tabulate_dof_coordinates()[:, :2]
        R = self.breaks[1]
        hit = np.zeros(len(x), dtype=bool)
        for k in range(count):
            e = np.array([np.cos(2 * np.pi * k / count), np.sin(2 * np.pi * k / count)])
            s = np.clip(x @ e, R - depth, R)  # nearest point of the segment, along the ray
            hit |= np.linalg.norm(x - s[:, None] * e, axis=1) <= 0.6 * width
        for f in (self.fracture.d, self.fracture.d_n):
            f.x.array[hit] = 1.0
            f.x.scatter_forward()
        self.fracture._solve_d()  # the stress-free start: the flaws relax to the optimal crack profile
        self.fracture.commit()

    def commit_fracture(self) -> None:
        """Accept the step's damage and add its chemical work (`problem.fracture_work`)."""
        self.fracture.commit()
        self.fracture_work.commit()

    def stress(self, region: str):
        """Cauchy stress (GPa, 3 x 3, UFL) of a region, degraded where it cracks."""
        if self.fracture is not None:
            return self.fracture.stress(region)
        return mech.stress(self.strain(region)(self.u), self.E_c[region], self.nu_c[region])

    def solve_mechanics(self, commit: bool = True) -> None:
        """Mechanics (and damage) for the current theta; with fracture and `commit` the damage of
        the step is accepted (irreversible from now on)."""
        t0 = time.perf_counter()
        if self.fracture is not None:
            self.u_newton.new_step()  # the reference of the u-solves' tolerance: this step's first residual
            self.fracture.solve()  # with axial "free", e_zz is solved with u (`PlaneNewton`)
            if commit:
                self.commit_fracture()
            self.timers["elasticity"] += time.perf_counter() - t0
            return
        self.ezz.value = 0.0
        self._solve(self.ksp_el, self.b_el, self.L_el, self.bcs_u, self.u, "elasticity")
        if self.axial == "free":  # N(u0 + t u1, t) is affine in t: one evaluation at t = 0 and one at t = 1
            N0 = self.axial_force()
            self.u.x.array[:] += self.u1.x.array
            self.ezz.value = 1.0
            N1 = self.axial_force()
            t = -N0 / (N1 - N0)
            self.u.x.array[:] += (t - 1.0) * self.u1.x.array
            self.ezz.value = t

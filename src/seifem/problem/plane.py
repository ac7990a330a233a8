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
from seifem.geometry.plane import CURVE_TAGS, cross_section_mesh, pin_vertices
from seifem.physics import mechanics as mech
from seifem.physics.transport import bdf_weights
from seifem.problem.plane_output import PlaneOutput
from seifem.reduced.axisym_output import lu_solver
from seifem.reduced.design import RadialDesign
from seifem.stepping import SteppedProblem
from seifem.units import SCALES

__all__ = ["AXIAL_TOLERANCE", "PlaneProblem", "strain3"]

AXIAL_TOLERANCE = 1e-8
"""Fracture with axial "free": the relative axial-strain update (of max(|e_zz|, 1e-4)) below which
the axial force counts as balanced."""
AXIAL_MAX_ITERATIONS = 30


def strain3(u, e_ch=0.0, ezz=0.0):
    """3 x 3 elastic strain of the in-plane displacement u with the uniform axial strain ezz
    (0: plane strain) and the isotropic eigenstrain e_ch (a scalar)."""
    g = ufl.grad(u)
    exy = 0.5 * (g[0, 1] + g[1, 0])
    return ufl.as_matrix([[g[0, 0] - e_ch, exy, 0], [exy, g[1, 1] - e_ch, 0], [0, 0, ezz - e_ch]])


class PlaneProblem(SteppedProblem):
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
        self.timers = {"assemble": 0.0, "diffusion": 0.0, "elasticity": 0.0}
        self.regions = d.region_names
        self.moduli = {"core": (d.youngs_modulus / S, d.poisson_ratio)}
        self.moduli.update({n: (c.youngs_modulus / S, c.poisson_ratio) for n, c in zip(self.regions[1:], d.coatings)})
        self.breaks = [b / L for b in d.breaks]
        h = mesh_size if mesh_size is not None else self.breaks[1] / 6
        hs = surface_mesh_size if surface_mesh_size is not None else h / 2
        self._hs = hs
        t0 = time.perf_counter()
        self.mesh, self.cell_tags, self.facet_tags = cross_section_mesh(self.breaks, comm, h, hs, refine_depth, order)
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

    def eigenstrain(self):
        """Chemical eigenstrain (beta/3)(theta - theta0) of the core (UFL scalar)."""
        return mech.free_swelling(self.theta, self.theta0, self.beta, self.design.volume_curve) / 3

    def strain(self, region: str):
        """The elastic-strain function u -> 3 x 3 tensor of a region."""
        if region == "core":
            return lambda u: strain3(u, self.eigenstrain(), self.ezz)
        return lambda u: strain3(u, 0.0, self.ezz)

    def _setup_mechanics(self, fracture, energies: dict[str, float]) -> None:
        centre, pin = pin_vertices(self.mesh, self.breaks[1])
        self.bcs_u = [fem.dirichletbc(PETSc.ScalarType(0.0), fem.locate_dofs_topological(self.W.sub(i), 0, centre),
                                      self.W.sub(i)) for i in (0, 1)]
        self.bcs_u.append(fem.dirichletbc(PETSc.ScalarType(0.0), fem.locate_dofs_topological(self.W.sub(1), 0, pin),
                                          self.W.sub(1)))
        self.ezz = self._const(0.0)  # uniform axial strain (stays 0 with axial "fixed")
        self.axial_iterations = 0
        self.E_c = {n: self._const(E) for n, (E, _) in self.moduli.items()}
        self.nu_c = {n: self._const(nu) for n, (_, nu) in self.moduli.items()}
        self.fracture = None
        if fracture is not None:
            from seifem.problem.fracture import Region, StaggeredPhaseField

            L, S = SCALES.length, SCALES.stress
            self.Gc = {n: energies[n] / (S * L) for n in fracture.regions}  # GPa um
            regions = {n: Region(self.dx(i + 1), self.E_c[n], self.nu_c[n], self.strain(n), self.Gc.get(n),
                                 self.cells[n]) for i, n in enumerate(self.regions)}
            self.fracture = StaggeredPhaseField(self.u, regions, self.bcs_u, fracture.length_scale / L, fracture.model,
                                                fracture.residual_stiffness, tol_d=fracture.tolerance,
                                                rtol_u=fracture.tolerance, max_iterations=fracture.max_iterations,
                                                prefix="seifem_plane_fracture_",
                                                after_u=self._balance_axial if self.axial == "free" else None)
            self.fracture_model = fracture
            if fracture.notch_depth > 0:
                self.seed_notches(fracture.notch_depth / L, fracture.notches, self._hs)
            self._setup_axial()
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
        self._axial_slope = self._axial_stiffness  # d(force)/d(e_zz) of the last secant step (fracture)

    def _balance_axial(self) -> None:
        """Generalized plane strain with fracture: for the current damage, secant iteration on
        the uniform axial strain (each step a u-solve) until the axial force vanishes (update
        below AXIAL_TOLERANCE max(|e_zz|, 1e-4)); first slope the last secant's (the damage
        changes little between two calls: one update and its u-solve usually balance the force),
        at the start int E dA."""
        prev = None
        for k in range(1, AXIAL_MAX_ITERATIONS + 1):
            N, ezz = self.axial_force(), float(self.ezz.value)
            slope = self._axial_slope if prev is None or ezz == prev[1] else (N - prev[0]) / (ezz - prev[1])
            if not slope > 1e-6 * self._axial_stiffness:  # not increasing: the undamaged slope
                slope = self._axial_stiffness
            self._axial_slope = slope
            step = -N / slope
            if abs(step) <= AXIAL_TOLERANCE * max(abs(ezz), 1e-4):
                self.axial_iterations = k
                return
            prev = (N, ezz)
            self.ezz.value = ezz + step
            self.fracture._solve_u()
        raise SolverError(f"plane-strain axial force not balanced in {AXIAL_MAX_ITERATIONS} iterations "
                          f"(last axial strain change {step:.3g})")

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

    def stress(self, region: str):
        """Cauchy stress (GPa, 3 x 3, UFL) of a region, degraded where it cracks."""
        if self.fracture is not None:
            return self.fracture.stress(region)
        return mech.stress(self.strain(region)(self.u), self.E_c[region], self.nu_c[region])

    # ------------------------------------------------------------------ stepping
    def flux_for(self, c_rate: float) -> float:
        """Inward flux in theta units (um/s) filling the core in 1/|c_rate| h (discrete area/perimeter)."""
        return c_rate / 3600.0 * self.core_volume / self.flux_area

    def advance(self, dt: float, c_rate: float, order: int | None = None, sink: float = 0.0) -> None:
        """One step of length dt (s) at signed C-rate (> 0 lithiation); `sink` (mol/s per um of
        length) leaves through the flux surface."""
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
        self.solve_mechanics()
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

    def solve_mechanics(self) -> None:
        """Mechanics (and damage) for the current theta; with fracture the damage of the step
        is accepted (irreversible from now on)."""
        t0 = time.perf_counter()
        if self.fracture is not None:
            if self.axial == "free":  # predictor: the axial force of the last state with the new theta, last secant slope
                self.ezz.value = float(self.ezz.value) - self.axial_force() / self._axial_slope
            self.fracture.solve()  # with axial "free", `_balance_axial` after every u-solve
            self.fracture.commit()
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

    # ------------------------------------------------------------------ state
    def state_functions(self) -> dict:
        out = {"theta": self.theta, "theta_n": self.theta_n, "theta_nm1": self.theta_nm1, "u": self.u}
        if self.fracture is not None:
            out.update(self.fracture.state)
        return out

    def time_state(self) -> dict:
        return {**super().time_state(), "ezz": float(self.ezz.value)}

    def set_time_state(self, ts: dict) -> None:
        super().set_time_state(ts)
        self.ezz.value = ts.get("ezz", 0.0)

    def scalars(self) -> dict[str, float]:
        return self.out.scalars()

    def destroy(self) -> None:
        self.out.destroy()
        for obj in (self.ksp_diff, self.A_diff, self.b_diff):
            obj.destroy()
        if self.fracture is not None:
            self.fracture.destroy()
        else:
            for obj in (self.ksp_el, self.A_el, self.b_el):
                obj.destroy()

"""Phase-field fracture (`seifem.problem.fracture`) against closed forms, on uniform box meshes
(dimensionless: E = 1, G_c = 1; P1 displacement and damage, h < l / 2):

- homogeneous bar in uniaxial tension: peak stress AT1 sqrt(3 E G_c / (8 l)) (= the onset of
  damage, found by bisection on the applied strain), AT2 (3/16) sqrt(3 E G_c / l);
- compression does not crack: a cube swelling freely (zero stress) and a cube under uniform
  pressure keep d = 0 up to loads 100x beyond what would crack it without the split;
- irreversibility and energy balance: loading past the onset and unloading to zero, d never
  decreases and elastic + crack energy = external work to the trapezoid rule's step error.
"""

from __future__ import annotations

import numpy as np
import pytest
import ufl
from dolfinx import fem
from dolfinx import mesh as dmesh
from mpi4py import MPI
from petsc4py import PETSc

from seifem.physics import mechanics as mech
from seifem.physics import phase_field as pf
from seifem.problem.fracture import Region, StaggeredPhaseField

E, NU, GC = 1.0, 0.3, 1.0


class Box:
    """[0, L] x [0, b] x [0, b], P1 displacement, rollers on x = 0, y = 0, z = 0 (u_i = 0),
    the x = L face pulled to u_x = U (`pull`), or free."""

    def __init__(self, comm, L, b, n, l, model="AT1", pull=True, strain=mech.eps, traction=None, finite=False, **kw):
        m = dmesh.create_box(comm, [[0, 0, 0], [L, b, b]], [max(1, round(n * L / b)), n, n])
        self.mesh, self.L, self.b = m, L, b
        W = fem.functionspace(m, ("Lagrange", 1, (3,)))
        self.u = fem.Function(W, name="u")
        self.U = fem.Constant(m, PETSc.ScalarType(0.0))
        fdim = m.topology.dim - 1
        bcs = []
        for i in range(3):
            facets = dmesh.locate_entities_boundary(m, fdim, lambda x, i=i: np.isclose(x[i], 0.0))
            bcs.append(fem.dirichletbc(PETSc.ScalarType(0.0), fem.locate_dofs_topological(W.sub(i), fdim, facets), W.sub(i)))
        if pull:
            facets = dmesh.locate_entities_boundary(m, fdim, lambda x: np.isclose(x[0], L))
            bcs.append(fem.dirichletbc(self.U, fem.locate_dofs_topological(W.sub(0), fdim, facets), W.sub(0)))
        self.pf = StaggeredPhaseField(self.u, {"box": Region(ufl.dx(domain=m), E, NU, strain, GC, finite=finite)}, bcs,
                                      l, model,
                                      extra_residual=traction(m) if traction else None, **kw)
        self.sigma = self.pf.stress("box")
        self.volume = L * b * b

    def mean(self, expr) -> float:
        return self.mesh.comm.allreduce(fem.assemble_scalar(fem.form(expr * ufl.dx)), op=MPI.SUM) / self.volume

    def d_range(self) -> tuple[float, float]:
        a = self.pf.d.x.array
        c = self.mesh.comm
        return c.allreduce(float(a.min()), op=MPI.MIN), c.allreduce(float(a.max()), op=MPI.MAX)

    def step(self, U: float, commit: bool = True) -> None:
        self.U.value = U
        self.pf.solve()
        if commit:
            self.pf.commit()

    def state(self):
        return [f.x.array.copy() for f in (self.u, self.pf.d, self.pf.d_n)]

    def restore(self, arrays) -> None:
        for f, a in zip((self.u, self.pf.d, self.pf.d_n), arrays):
            f.x.array[:] = a


def test_bar_onset_at1(comm):
    """AT1, l = 0.3, bar 1 x 0.25 x 0.25 (h = 0.1): the largest undamaged stress, found by 14
    bisections of the applied strain between an undamaged and a damaged state, equals
    sqrt(3 E G_c / (8 l)) to the bisection's resolution: the closed form lies inside the final
    bracket (0.1 / 2^14 = 6.1e-6 of the critical strain wide). Measured: 1.0e-6 and 5.1e-6
    below it in two runs whose linear solves differed at their tolerance (where in the bracket
    the threshold d > 1e-12 flips); serial and 2 ranks."""
    l = 0.3
    bar = Box(comm, 1.0, 0.25, 4, l, tol_d=1e-8, rtol_u=1e-8)
    exact = pf.critical_stress(E, GC, l, "AT1")
    lo, saved = 0.0, bar.state()
    for s in (0.5, 0.8, 0.9, 0.95, 1.05):  # coarse load steps until the bar damages
        bar.step(s * exact / E)
        if bar.d_range()[1] > 0:
            hi = s * exact / E
            break
        lo, saved = s * exact / E, bar.state()
    else:
        pytest.fail("no damage at 1.05 x the critical strain")
    for _ in range(14):
        mid = 0.5 * (lo + hi)
        bar.restore(saved)
        bar.step(mid, commit=False)
        if bar.d_range()[1] > 1e-12:
            hi = mid
        else:
            lo, saved = mid, bar.state()
    bar.restore(saved)
    bar.step(lo, commit=False)
    sigma = bar.mean(bar.sigma[0, 0])
    assert bar.d_range()[1] <= 1e-12  # the bisection's undamaged side
    assert (hi - lo) / lo < 7e-6  # 0.1 / 2^14 of the critical strain
    # the onset lies in the final bracket [sigma(lo), sigma(lo) hi / lo], up to k = 1e-6 in g(0)
    assert sigma * (1 - 2e-6) <= exact <= sigma * hi / lo * (1 + 2e-6)


def test_bar_peak_at2(comm):
    """AT2, l = 0.3: peak of the homogeneous stress-strain curve, strain steps of 2 % of the
    peak strain sqrt(G_c / (3 E l)) from 0.8 to 1.2 of it, equals (3/16) sqrt(3 E G_c / l). Measured: -3.5e-5
    relative (the flat top sampled by the steps), serial and 2 ranks."""
    l = 0.3
    bar = Box(comm, 1.0, 0.25, 4, l, model="AT2", tol_d=1e-8, rtol_u=1e-8)
    eps_peak = np.sqrt(GC / (3 * E * l))
    peak = 0.0
    # steps that do not hit the peak strain exactly, from 0.8 of it: the homogeneous damage grows
    # with the strain, so the way to the first step does not matter, and the steps around the
    # peak are those the steps from 0.02 took (20 steps instead of 64, the same -3.5e-5)
    for s in np.arange(0.80, 1.2, 0.02) + 0.013:
        bar.step(s * eps_peak)
        peak = max(peak, bar.mean(bar.sigma[0, 0]))
    exact = pf.critical_stress(E, GC, l, "AT2")
    assert peak == pytest.approx(exact, rel=1e-4)


def _pressure(p):
    def traction(m):
        n = ufl.FacetNormal(m)
        return lambda v: p * ufl.dot(n, v) * ufl.ds(domain=m)  # t = -p n on the faces (rollers carry none)
    return traction


@pytest.mark.parametrize("load", ["swelling", "pressure"])
def test_compression_does_not_crack(comm, load):
    """Unit cube (h = 0.125, l = 0.3, AT1), rollers on three faces: a uniform eigenstrain e*
    up to 1 (free swelling, stress-free) or a uniform pressure p up to 100 sigma_c. d stays
    exactly 0; the stress is 0, resp. -p I, to 1e-9 relative; at the largest load the energy
    without the split would exceed the damage threshold 3 G_c / (16 l) by far (it would crack)."""
    l, sc = 0.3, pf.critical_stress(E, GC, 0.3, "AT1")
    if load == "swelling":
        holder = {}

        def strain(u):
            holder.setdefault("e", fem.Constant(u.function_space.mesh, PETSc.ScalarType(0.0)))
            return mech.eps(u) - holder["e"] * ufl.Identity(3)

        box = Box(comm, 1.0, 1.0, 8, l, pull=False, strain=strain)
        for e in (0.01, 0.1, 1.0):
            holder["e"].value = e
            box.step(0.0)
            assert box.d_range() == (0.0, 0.0)
            assert box.mean(ufl.inner(box.sigma, box.sigma)) ** 0.5 < 1e-9 * E * e
            assert box.mean(box.u[0] / ufl.SpatialCoordinate(box.mesh)[0]) == pytest.approx(e, rel=1e-9)
        psi_isotropic = 0.5 * 3 * E / (3 * (1 - 2 * NU)) * (3 * e) ** 2  # K/2 (tr eps)^2 if the swelling were blocked
    else:
        box_p = {}

        def traction(m):
            box_p["p"] = fem.Constant(m, PETSc.ScalarType(0.0))
            return _pressure(box_p["p"])(m)

        box = Box(comm, 1.0, 1.0, 8, l, pull=False, traction=traction)
        for factor in (1.0, 10.0, 100.0):
            box_p["p"].value = factor * sc
            box.step(0.0)
            assert box.d_range() == (0.0, 0.0)
            assert box.mean(box.sigma[0, 0]) == pytest.approx(-factor * sc, rel=1e-9)
            assert box.mean(box.sigma[0, 1]) == pytest.approx(0.0, abs=1e-9 * factor * sc)
        e = 100 * sc
        psi_isotropic = e**2 / (2 * E / (3 * (1 - 2 * NU)))  # p^2 / (2 K)
    assert psi_isotropic > 10 * pf.damage_threshold(GC, l, "AT1")


def test_irreversibility_and_energy_balance(comm):
    """AT1, l = 0.25, bar 0.5 x 0.25 x 0.25 (h = 0.125; short enough that the damage stays
    homogeneous): pulled to twice the critical strain in 40 steps (d -> 0.75) and released to
    zero in 20. No dof's damage ever decreases (without the bound it would fall back to 0 on
    release); at the end the elastic energy is ~0 and the crack energy equals the external work
    int F dU (trapezoid rule) - measured -7.8e-4 relative (-3.1e-3 with 20 + 10 steps: the
    step error, second order), serial and 2 ranks; the crack energy is the homogeneous closed
    form 3 G_c d V / (8 l) to 1e-9."""
    l, L, b = 0.25, 0.5, 0.25
    bar = Box(comm, L, b, 2, l, tol_d=1e-6, rtol_u=1e-6)
    ec = pf.critical_stress(E, GC, l, "AT1") / E
    loads = np.concatenate([np.linspace(0, 2.0, 41), np.linspace(2.0, 0, 21)[1:]]) * ec * L
    work, F_prev, drop = 0.0, 0.0, 0.0
    d_prev = bar.pf.d.x.array.copy()
    for U_prev, U in zip(loads[:-1], loads[1:]):
        bar.step(U)
        F = bar.mean(bar.sigma[0, 0]) * b * b  # axial force (the stress is uniform)
        work += 0.5 * (F + F_prev) * (U - U_prev)
        F_prev = F
        drop = min(drop, comm.allreduce(float(np.min(bar.pf.d.x.array - d_prev)), op=MPI.MIN))
        d_prev = bar.pf.d.x.array.copy()
    d_min, d_max = bar.d_range()
    assert drop >= 0.0
    assert d_min == pytest.approx(0.75, abs=1e-8) and d_max == pytest.approx(0.75, abs=1e-8)
    crack, elastic = bar.pf.crack_energy(), bar.pf.elastic_energy()
    assert crack == pytest.approx(3 * GC * 0.75 * L * b * b / (8 * l), rel=1e-8)
    assert elastic < 1e-12 * crack
    assert (elastic + crack) == pytest.approx(work, rel=2e-3)


def test_particle_swelling_uniformly_does_not_crack(comm):
    """The 3D particle model with [fracture] (octant, R = 1 um, l = 250 nm): a uniform
    concentration jump to theta = 1 (linear eigenstrain beta/3 = 0.94, far beyond anything
    that cracks a constrained particle) leaves it stress-free (rms von Mises < 1e-12 GPa,
    measured 3.2e-13: round-off) and undamaged (d = 0 exactly), serial and 2 ranks."""
    from dolfinx import fem as _fem

    from helpers import make_case
    from seifem.geometry import build
    from seifem.problem.particle import ParticleProblem

    case = make_case(geometry={"mesh_size": "0.25 um", "surface_mesh_size": "0.125 um"},
                     fracture={"length_scale": "250 nm"})
    p = ParticleProblem(case, build(case, comm))
    p.theta.x.array[:] = 1.0
    p.solve_mechanics()
    dmax = comm.allreduce(float(p.fracture.d.x.array.max()), op=MPI.MAX)
    vm2 = comm.allreduce(_fem.assemble_scalar(_fem.form(ufl.inner(ufl.dev(p.stress("core")), ufl.dev(p.stress("core")))
                                                         * p.geo.dx("core"))), op=MPI.SUM)
    row = p.fracture.scalars()
    p.destroy()
    assert dmax == 0.0 and row["damage_max"] == 0.0 and row["crack_area_um2"] == 0.0
    assert np.sqrt(1.5 * vm2 / p.core_volume) < 1e-12  # rms von Mises, GPa


@pytest.mark.slow
def test_sphere_under_pressure_does_not_crack(comm):
    """The meshed particle (octant of a 1 um sphere, faceted: geometry order 1, P1, symmetry
    rollers; `geometry.build`) as one cracking region (E = 1, nu = 0.3, G_c = 1, AT1, l = 0.3)
    under a uniform external pressure p = 1, 10, 100 sigma_c: d stays exactly 0, and the mean
    stress is -p I to 1e-9 relative (the exact u = -p (1 - 2 nu) x / E is linear, in the P1
    space), serial and 2 ranks. On curved (order 2) cells the P1 solution carries a local
    deviatoric error that the volumetric-deviatoric split lets damage at 100 sigma_c (seen:
    d = 0.006 there; mean stress error 2e-5): the split protects against volumetric
    compression only."""
    from helpers import make_case
    from seifem.geometry import build
    from seifem.problem.symmetry import symmetry_bcs

    geo = build(make_case(geometry={"mesh_size": "0.25 um", "surface_mesh_size": "0.125 um", "order": 1}), comm)
    m = geo.mesh
    u = fem.Function(fem.functionspace(m, ("Lagrange", 1, (3,))))
    p = fem.Constant(m, PETSc.ScalarType(0.0))
    n = ufl.FacetNormal(m)
    l = 0.3
    solver = StaggeredPhaseField(u, {"core": Region(geo.dx("core"), E, NU, mech.eps, GC)}, symmetry_bcs(u.function_space, geo),
                                 l, "AT1", extra_residual=lambda v: p * ufl.dot(n, v) * geo.ds("outer"),
                                 prefix="sphere_pressure_")
    sigma = solver.stress("core")
    volume = comm.allreduce(fem.assemble_scalar(fem.form(1.0 * geo.dx("core"))), op=MPI.SUM)
    sc = pf.critical_stress(E, GC, l, "AT1")
    try:
        for factor in (1.0, 10.0, 100.0):
            p.value = factor * sc
            solver.solve()
            solver.commit()
            dmax = comm.allreduce(float(np.max(solver.d.x.array)), op=MPI.MAX)
            assert dmax == 0.0, f"damage {dmax} at p = {factor} sigma_c"
            for i, j in ((0, 0), (1, 1), (2, 2), (0, 1), (1, 2)):
                mean = comm.allreduce(fem.assemble_scalar(fem.form(sigma[i, j] * geo.dx("core"))), op=MPI.SUM) / volume
                exact = -factor * sc if i == j else 0.0
                assert mean == pytest.approx(exact, abs=1e-9 * factor * sc)
    finally:
        solver.destroy()

"""Phase-field fracture with J2 perfect plasticity (`problem.fracture_plastic`), small strain,
against closed forms on uniform box meshes (dimensionless: E = 1, G_c = 1, nu = 0.3, AT1;
P1 displacement and damage). The return is on the effective stress; the damage is driven
by the elastic tensile energy only, so:

- yield stress above the AT1 strength sqrt(3 E G_c / (8 l)): the bar is elastic up to it and
  damages there (onset within 1 %);
- yield stress below it: the bar yields at sigma_Y (stress plateau, plastic strain
  eps - sigma_Y / E) and never cracks, since its elastic energy stays at sigma_Y^2 / (2 E)
  below the threshold 3 G_c / (16 l); elastic + plastic dissipation = external work;
- compression never cracks: a plastic cube under hydrostatic pressure (no flow, d = 0) and a
  plastic bar squeezed past yield (its deviatoric energy, bounded by the yield, stays below
  the threshold, where an elastic bar at the same strain would crack);
- flow then hydrostatic tension: the cube cracks where the volumetric plus the capped
  deviatoric energy reach the threshold, d never decreases, and elastic + crack + plastic
  dissipation = external work to the step error;
- a plastic particle that does not crack matches the plastic mechanics without [fracture].
"""

from __future__ import annotations

import itertools

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

E, NU, GC, L_PF = 1.0, 0.3, 1.0, 0.3
G0 = pf.degradation(0.0)  # 1 + k: the intact material's stress carries the residual stiffness k = 1e-6
SC = pf.critical_stress(E, GC, L_PF, "AT1")


class PlasticBar:
    """[0, L] x [0, b] x [0, b], rollers on x = 0, y = 0, z = 0, u_x = U on x = L (`pull`), or
    a pressure p on the free faces; one plastic, cracking region."""

    def __init__(self, comm, L, b, n, yield_stress, pull=True, **kw):
        m = dmesh.create_box(comm, [[0, 0, 0], [L, b, b]], [max(1, round(n * L / b)), n, n])
        self.mesh, self.L, self.b, self.volume = m, L, b, L * b * b
        W = fem.functionspace(m, ("Lagrange", 1, (3,)))
        self.u = fem.Function(W, name="u")
        self.U = fem.Constant(m, PETSc.ScalarType(0.0))
        self.p = fem.Constant(m, PETSc.ScalarType(0.0))
        fdim = m.topology.dim - 1
        bcs = []
        for i in range(3):
            facets = dmesh.locate_entities_boundary(m, fdim, lambda x, i=i: np.isclose(x[i], 0.0))
            bcs.append(fem.dirichletbc(PETSc.ScalarType(0.0), fem.locate_dofs_topological(W.sub(i), fdim, facets),
                                       W.sub(i)))
        extra = None
        if pull:
            facets = dmesh.locate_entities_boundary(m, fdim, lambda x: np.isclose(x[0], L))
            bcs.append(fem.dirichletbc(self.U, fem.locate_dofs_topological(W.sub(0), fdim, facets), W.sub(0)))
        else:
            n_ = ufl.FacetNormal(m)
            extra = lambda v: self.p * ufl.dot(n_, v) * ufl.ds(domain=m)  # t = -p n
        region = Region(ufl.dx(domain=m), E, NU, mech.eps, GC, yield_stress=yield_stress)
        self.pf = StaggeredPhaseField(self.u, {"bar": region}, bcs, L_PF, "AT1", extra_residual=extra, **kw)
        self.sigma = self.pf.stress("bar")

    def mean(self, expr) -> float:
        return self.mesh.comm.allreduce(fem.assemble_scalar(fem.form(expr * ufl.dx)), op=MPI.SUM) / self.volume

    def d_max(self) -> float:
        return self.mesh.comm.allreduce(float(self.pf.d.x.array.max(initial=0.0)), op=MPI.MAX)

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


def test_plastic_bar_cracks_at_at1_strength(comm):
    """sigma_Y = 1.5 sigma_c, bar 1 x 0.25 x 0.25 (h = 0.125, l = 0.3): the largest undamaged
    stress (10 bisections of the applied strain between 0.9 and 1.13 sigma_c / E) is
    sqrt(3 E G_c / (8 l)). Measured: (sigma - sigma_c) / sigma_c = -4.8e-5, the closed form
    inside the final bracket (2.2e-4 wide);
    tolerance 1 % (the issue's), no plastic strain before the onset; serial and 2 ranks."""
    bar = PlasticBar(comm, 1.0, 0.25, 2, 1.5 * SC, tol_d=1e-8, rtol_u=1e-8)
    lo, hi, saved = 0.9 * SC / E, 1.13 * SC / E, None  # no midpoint lands on SC
    bar.step(lo)
    assert bar.d_max() == 0.0
    saved = bar.state()
    for _ in range(10):
        mid = 0.5 * (lo + hi)
        bar.restore(saved)
        bar.step(mid, commit=False)
        if bar.d_max() > 1e-12:
            hi = mid
        else:
            lo, saved = mid, bar.state()
    bar.restore(saved)
    bar.step(lo, commit=False)
    sigma = bar.mean(bar.sigma[0, 0])
    assert bar.d_max() <= 1e-12
    assert bar.pf.plastic.max_plastic_strain() == 0.0
    assert abs(sigma - SC) / SC < 1e-2
    assert sigma * (1 - 2e-6) <= SC <= sigma * hi / lo * (1 + 2e-6)  # inside the final bracket


def test_plastic_bar_yields_and_does_not_crack(comm):
    """sigma_Y = 0.5 sigma_c: pulled to 4 yield strains in 8 steps (one lands on the yield
    strain). After yield the stress is (1 + k) sigma_Y (measured 2.6e-14 relative; tolerance
    1e-9, the Newton tolerance), the plastic strain eps - sigma_Y / E (2.8e-14 of the yield
    strain), d = 0 exactly, the elastic energy density sigma_Y^2 / (2E) = threshold / 4; the
    dissipation sigma_Y eps_p V (1.3e-14) and elastic + plastic dissipation = int F dU, exact
    for the trapezoid rule here since a step lands on the yield strain (measured 1e-14;
    tolerance 1e-9); serial and 2 ranks."""
    sy = 0.5 * SC
    bar = PlasticBar(comm, 1.0, 0.25, 2, sy, tol_d=1e-8, rtol_u=1e-10)
    ey = sy / E
    work, F_prev, U_prev = 0.0, 0.0, 0.0
    for s in np.linspace(0.5, 4.0, 8):
        U = s * ey * bar.L
        bar.step(U)
        sigma = bar.mean(bar.sigma[0, 0])
        F = sigma * bar.b**2
        work += 0.5 * (F + F_prev) * (U - U_prev)
        F_prev, U_prev = F, U
        assert bar.d_max() == 0.0
        if s >= 1.0:
            assert sigma == pytest.approx(G0 * sy, rel=1e-9)
            assert bar.pf.plastic.max_plastic_strain() == pytest.approx((s - 1.0) * ey, abs=1e-9 * ey)
        else:
            assert sigma == pytest.approx(G0 * E * s * ey, rel=1e-9)
    elastic = bar.pf.elastic_energy()
    assert elastic / bar.volume == pytest.approx(G0 * sy**2 / (2 * E), rel=1e-9)
    assert elastic / bar.volume < 0.26 * pf.damage_threshold(GC, L_PF, "AT1")
    assert bar.pf.crack_energy() == 0.0
    assert bar.pf.plastic_dissipation() == pytest.approx(G0 * sy * 3.0 * ey * bar.volume, rel=1e-9)
    assert elastic + bar.pf.plastic_dissipation() == pytest.approx(work, rel=1e-9)


@pytest.mark.parametrize("load", ["pressure", "squeeze"])
def test_plastic_compression_does_not_crack(comm, load):
    """sigma_Y = 0.5 sigma_c. pressure: a unit cube (h = 0.25) under hydrostatic pressure up to
    100 sigma_c: no flow (max plastic strain 0), stress -p I (1e-9), d = 0 exactly. squeeze:
    the bar pushed to -4 yield strains: yields at -sigma_Y (1e-9), d = 0 exactly, while an
    elastic bar at that strain would hold a deviatoric energy (2 sigma_c)^2 / (6 mu) = 3.5x
    the threshold (it would crack)."""
    sy = 0.5 * SC
    if load == "pressure":
        box = PlasticBar(comm, 1.0, 1.0, 4, sy, pull=False)
        for factor in (1.0, 10.0, 100.0):
            box.p.value = factor * SC
            box.step(0.0)
            assert box.d_max() == 0.0
            assert box.pf.plastic.max_plastic_strain() == 0.0
            for i in range(3):
                assert box.mean(box.sigma[i, i]) == pytest.approx(-factor * SC, rel=1e-9)
        return
    bar = PlasticBar(comm, 1.0, 0.25, 2, sy, tol_d=1e-8, rtol_u=1e-10)
    for s in (0.5, 1.0, 2.0, 4.0):
        bar.step(-s * sy / E * bar.L)
        assert bar.d_max() == 0.0
    assert bar.mean(bar.sigma[0, 0]) == pytest.approx(-G0 * sy, rel=1e-9)
    mu = E / (2 * (1 + NU))
    assert (2 * SC) ** 2 / (6 * mu) > 3 * pf.damage_threshold(GC, L_PF, "AT1")


def _plastic_particle(comm, fracture: bool):
    """Octant of the default 1 um Si particle (yield 1 GPa), P1 on a coarse mesh, with a
    concentration rising to the surface (theta = 0.1 r^2 / R^2: the swelling rim is squeezed
    past yield); with [fracture] its G_c is raised to 1000 J/m^2 (AT1 strength ~11 GPa) so
    nothing cracks. Returns (rms von Mises of the core, GPa; max equivalent plastic strain;
    max damage)."""
    from helpers import make_case
    from seifem.geometry import build
    from seifem.problem.particle import ParticleProblem

    extra = {"fracture": {"length_scale": "250 nm"}, "particle": {"fracture_energy": "1000 J/m^2"}} if fracture else {}
    case = make_case(geometry={"mesh_size": "0.25 um", "surface_mesh_size": "0.125 um"},
                     physics={"plasticity": True}, solver={"degree": 1}, **extra)
    p = ParticleProblem(case, build(case, comm))
    x = p.V.tabulate_dof_coordinates()
    R = case.particle.radius / 1e-6
    p.theta.x.array[:] = 0.1 * (x[:, 0] ** 2 + x[:, 1] ** 2 + x[:, 2] ** 2) / R**2
    p.solve_mechanics()
    s = ufl.dev(p.stress("core"))
    dxc = p.geo.dx("core")(metadata={"quadrature_degree": 1})
    vm2 = comm.allreduce(fem.assemble_scalar(fem.form(1.5 * ufl.inner(s, s) * dxc)), op=MPI.SUM)
    if fracture:
        eps_p, dmax = p.fracture.solver.plastic.max_plastic_strain(), p.fracture.scalars()["damage_max"]
    else:
        eps_p, dmax = p.nonlinear.scalars()["core_plastic_strain_max"], 0.0
    out = (np.sqrt(vm2 / p.core_volume), eps_p, dmax)
    p.destroy()
    return out


@pytest.mark.slow
def test_plastic_particle_without_cracks_matches_plastic_mechanics(comm):
    """The particle with [fracture] and physics.plasticity (the staggered solve's own return)
    against the same particle without [fracture] (`nonlinear_mechanics`, verified against the
    elastic-perfectly-plastic shell elsewhere) where nothing cracks: the same rms von Mises
    and the same largest plastic strain, to the residual stiffness k = 1e-6 that stiffens the
    intact phase-field material. Measured (serial): rms von Mises 0.976 GPa, +1.0e-6 (= k;
    tolerance 3e-6); plastic strain max 0.0538, -1.9e-7 (Newton's tolerance; tolerance 6e-7);
    d = 0 exactly; serial and 2 ranks."""
    vm_f, ep_f, d_f = _plastic_particle(comm, True)
    vm_n, ep_n, _ = _plastic_particle(comm, False)
    assert d_f == 0.0
    assert ep_n > 1e-3  # the rim has flowed
    assert vm_f == pytest.approx(vm_n, rel=3e-6)
    assert ep_f == pytest.approx(ep_n, rel=6e-7)


def test_plastic_cracking_energy_balance(comm):
    """Unit cube (h = 0.5, homogeneous: every face's normal displacement prescribed, u_i = e_i x_i),
    sigma_Y = 0.5 sigma_c: 20 steps of isochoric stretch (s, -s/2, -s/2) to 3 yield strains
    (the cube flows; its deviatoric energy, held at sigma_Y^2 / (6 mu), stays below the
    threshold: d = 0), then 40 steps of added hydrostatic tension to 1.5 x the onset strain
    (flow cannot relax a hydrostatic tension: the cube cracks, d -> 0.49). No dof's damage
    decreases; the damage starts within the step that crosses K/2 (tr e)^2 + sigma_Y^2 / (6 mu)
    = 3 G_c / (16 l); at the end elastic + crack + plastic dissipation = int sigma : de dV
    (trapezoid rule): measured +6.7e-4 (+2.7e-3 with 10 + 20 steps: the step error, second
    order); tolerance 2e-3; serial and 2 ranks."""
    sy = 0.5 * SC
    m = dmesh.create_box(comm, [[0, 0, 0], [1, 1, 1]], [2, 2, 2])
    W = fem.functionspace(m, ("Lagrange", 1, (3,)))
    u = fem.Function(W)
    e = [fem.Constant(m, PETSc.ScalarType(0.0)) for _ in range(3)]
    bcs = []
    for i in range(3):
        for where, value in ((0.0, PETSc.ScalarType(0.0)), (1.0, e[i])):
            facets = dmesh.locate_entities_boundary(m, 2, lambda x, i=i, w=where: np.isclose(x[i], w))
            bcs.append(fem.dirichletbc(value, fem.locate_dofs_topological(W.sub(i), 2, facets), W.sub(i)))
    region = Region(ufl.dx(domain=m), E, NU, mech.eps, GC, yield_stress=sy)
    solver = StaggeredPhaseField(u, {"cube": region}, bcs, L_PF, "AT1", tol_d=1e-7, rtol_u=1e-8, prefix="cube_pd_")
    sigma = solver.stress("cube")
    s_form = [fem.form(sigma[i, i] * ufl.dx) for i in range(3)]
    mu, K = E / (2 * (1 + NU)), E / (3 * (1 - 2 * NU))
    s_end = 3 * sy / (3 * mu)
    # onset: K/2 tr^2 + the deviatoric energy held at the yield surface, sigma_Y^2 / (6 mu) = 3 G_c / (16 l)
    tr_c = (2 * (pf.damage_threshold(GC, L_PF, "AT1") - sy**2 / (6 * mu)) / K) ** 0.5
    path = [np.array([s, -s / 2, -s / 2]) for s in np.linspace(0, s_end, 21)]
    path += [path[-1] + h / 3 * np.ones(3) for h in np.linspace(0, 1.5 * tr_c, 41)[1:]]
    work, s_prev, drop, d_prev, onset = 0.0, np.zeros(3), 0.0, solver.d.x.array.copy(), None
    for k_, (a, b_) in enumerate(itertools.pairwise(path)):
        for i in range(3):
            e[i].value = b_[i]
        solver.solve()
        solver.commit()
        s_now = np.array([comm.allreduce(fem.assemble_scalar(f), op=MPI.SUM) for f in s_form])
        work += 0.5 * np.dot(s_now + s_prev, b_ - a)
        s_prev = s_now
        d = solver.d.x.array
        drop = min(drop, comm.allreduce(float(np.min(d - d_prev)), op=MPI.MIN))
        d_prev = d.copy()
        dmax = comm.allreduce(float(d.max()), op=MPI.MAX)
        if onset is None and dmax > 0:
            onset = (np.sum(a), np.sum(b_))
        if k_ < 20:
            assert dmax == 0.0
    assert drop >= 0.0
    assert onset is not None and onset[0] <= tr_c <= onset[1]
    elastic, crack, plastic = solver.elastic_energy(), solver.crack_energy(), solver.plastic_dissipation()
    assert plastic > 0.1 * work and crack > 0.1 * work
    assert (elastic + crack + plastic) == pytest.approx(work, rel=2e-3)
    solver.destroy()

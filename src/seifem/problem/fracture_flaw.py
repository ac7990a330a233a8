"""Phase-field fracture from a surface flaw in the diffusion-induced stress of a cylinder: the
critical load of a flaw, for the critical-size check (Zhao, Pharr, Vlassak & Suo, J. Appl.
Phys. 108, 073517 (2010): G = Z s_s^2 a / E = G_c).

A long cylinder of radius b (plane strain, E, nu; the mode-I symmetric upper half,
`geometry.specimens.flawed_half_disc`) with a radial slit of depth a from its surface carries
the eigenstrain of the quasi-steady galvanostatic delithiation,

    e(r) = -2 (1 - nu) (s_s / E) (r^2 / b^2 - 1/2)   ( = (beta / 3) k (r^2 - b^2 / 2), k < 0 ),

whose uniform part is removed so that plane strain carries the axial stress of a free-ended
cylinder (generalized plane strain: s_zz = s_tt = s_s at the surface); its surface hoop
stress is s_s (`analytic.cylinders.galvanostatic_cylinder`), the load parameter here. The
phase field (`problem.fracture`, P1 displacement and damage) cracks only in the box around
the flaw's tip (tag 2, element size h), where the flaw runs once critical; the rest is
elastic and graded to a coarse mesh. Symmetry: u_y = 0 on the ligament y = 0 ahead of the
slit (the phase-field band is centred on it, its upper half meshed), u_x = 0 at (b, 0).
The flaw's faces (y = 0 behind the tip) are free.

`FlawedCylinder.load(s_s)` solves and commits one load; `critical_load` brackets the s_s at
which the flaw runs by bisection, each trial started from the last sub-critical state (the
damage of an accepted load is the lower bound of the next: irreversibility). The domain
J-integral with the eigenstrain term (`physics.crack_tip`) on an annulus around the slit's
tip, outside the process zone, is the G of the flaw as it stands (both halves).
Units: any consistent set (the checks take E = 1, b = 1).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import ufl
from dolfinx import fem
from dolfinx import mesh as dmesh
from mpi4py import MPI
from petsc4py import PETSc

from seifem.geometry.specimens import flawed_half_disc
from seifem.petsc_options import forget_options
from seifem.physics import phase_field as pf
from seifem.physics.crack_tip import annulus_weight, j_integral
from seifem.problem.fracture import Region, StaggeredPhaseField
from seifem.problem.fracture_finite import direct
from seifem.problem.plane_mechanics import strain3
from seifem.problem.solvers import ELASTICITY

__all__ = ["CriticalLoad", "FlawLoad", "FlawedCylinder", "critical_load"]


@dataclass(frozen=True)
class FlawLoad:
    """One load: s_s (stress units), the J-integral (G of the flaw, energy / area), the tip
    (largest x on y = 0 with d > 0.95; the slit's tip while none), the crack energy (per unit
    thickness, of the half) and the staggered iterations."""

    s: float
    J: float
    tip: float
    crack_energy: float
    iterations: int


@dataclass
class CriticalLoad:
    """The bracket lo < s_c <= hi of the critical surface stress (lo: the flaw did not run,
    hi: it ran) and every load tried, in order."""

    lo: float
    hi: float
    loads: list[FlawLoad] = field(default_factory=list)

    @property
    def mid(self) -> float:
        return 0.5 * (self.lo + self.hi)


class FlawedCylinder:
    """The half cylinder section with its flaw and the phase field in the box around its tip.

    radius b, depth a, length scale l, element size h in the box, Gc, E, nu (consistent
    units); box = (behind, ahead, height) of the tip (default 5 l, 8 l, 4 l); coarse: element
    size far away (default b / 20); annulus: radii of the J-integral about the slit's tip
    (default 2 l, 4 l); tol: the staggered loop's tolerances (`problem.fracture`); seed: d = 1
    on the slit's nodes in the box (the flaw carries the crack band of a grown crack, as the
    Griffith check's pre-crack; False: a bare slit, whose tip must first form the band's cap)."""

    def __init__(self, comm: MPI.Comm, radius: float, depth: float, l: float, h: float, Gc: float = 1.0,
                 E: float = 1.0, nu: float = 0.3, model: str = "AT1", box: tuple[float, float, float] | None = None,
                 coarse: float | None = None, annulus: tuple[float, float] | None = None, tol: float = 1e-3,
                 seed: bool = True, prefix: str = "flaw_"):
        box = box or (5 * l, 8 * l, 4 * l)
        self.comm, self.b, self.a, self.l, self.h, self.Gc, self.E, self.nu = comm, radius, depth, l, h, Gc, E, nu
        self.mesh, tags = flawed_half_disc(comm, depth, h, box, radius, coarse)
        mesh = self.mesh
        self.tip0 = depth - radius
        V = fem.functionspace(mesh, ("Lagrange", 1, (2,)))
        self.u = fem.Function(V, name="u")
        self.s = fem.Constant(mesh, PETSc.ScalarType(0.0))
        x = ufl.SpatialCoordinate(mesh)
        e = -2 * (1 - nu) * self.s / E * ((x[0] ** 2 + x[1] ** 2) / radius**2 - 0.5)
        dx = ufl.Measure("dx", domain=mesh, subdomain_data=tags)
        regions = {"band": Region(dx(2), E, nu, lambda w: strain3(w, e), Gc, tags.find(2)),
                   "bulk": Region(dx(1), E, nu, lambda w: strain3(w, e), None, tags.find(1))}
        tdim = mesh.topology.dim
        mesh.topology.create_connectivity(tdim - 1, tdim)
        lig = dmesh.locate_entities_boundary(mesh, 1, lambda X: np.isclose(X[1], 0.0) & (X[0] > self.tip0 - 1e-9 * h))
        V0, _ = V.sub(0).collapse()
        pin = fem.locate_dofs_geometrical((V.sub(0), V0), lambda X: np.isclose(X[0], radius) & np.isclose(X[1], 0.0))
        self.bcs = [fem.dirichletbc(np.float64(0.0), fem.locate_dofs_topological(V.sub(1), 1, lig), V.sub(1)),
                    fem.dirichletbc(fem.Function(V0), pin, V.sub(0))]
        self.pf = StaggeredPhaseField(self.u, regions, self.bcs, l, model, tol_d=tol, rtol_u=tol,
                                      max_iterations=2000, prefix=prefix)
        direct(self.pf.u_problem, self.bcs)  # a few thousand dofs: LU, robust on the broken band
        forget_options(prefix + "u_", ELASTICITY)  # the multigrid keys LU never reads
        xd = self.pf.d.function_space.tabulate_dof_coordinates()[:, :2]
        self._line, self._x = np.abs(xd[:, 1]) < 1e-9 * h, xd[:, 0]
        if seed:  # the band behind the tip is a crack already: d = 1 on the slit's nodes in the box
            on = self._line & (self._x <= self.tip0 + 1e-9 * h) & (self._x >= self.tip0 - box[0] - 1e-9 * h)
            for f in (self.pf.d, self.pf.d_n):
                f.x.array[on] = 1.0
        eps = strain3(self.u, e)
        sigma = pf.stress_split(eps, self.pf.d, E, nu, self.pf.k)
        r1, r2 = annulus or (2 * l, 4 * l)
        q = annulus_weight(x, (self.tip0, 0.0), r1, r2)
        plane = ufl.as_matrix([[sigma[0, 0], sigma[0, 1]], [sigma[1, 0], sigma[1, 1]]])
        source = ufl.tr(sigma) * ufl.grad(e)[0]  # sigma_ij d(e delta_ij)/dx
        self._J = fem.form(j_integral(plane, self.u, pf.energy_density(eps, self.pf.d, E, nu, self.pf.k), q, source)
                           * ufl.dx(domain=mesh))
        self.dofs = V.dofmap.index_map.size_global * V.dofmap.index_map_bs

    def tip(self) -> float:
        """Largest x on y = 0 with d > 0.95 (allreduced); the slit's tip if there is none."""
        cracked = self._line & (self.pf.d.x.array > 0.95)
        return self.comm.allreduce(float(self._x[cracked].max(initial=self.tip0)), op=MPI.MAX)

    def J(self) -> float:
        """G of the flaw: the domain J-integral of the half about the slit's tip, doubled."""
        return 2 * self.comm.allreduce(fem.assemble_scalar(self._J), op=MPI.SUM)

    def load(self, s: float) -> FlawLoad:
        """Surface hoop stress s of the quasi-steady profile: solve, commit, measure."""
        self.s.value = s
        its = self.pf.solve()
        self.pf.commit()
        return FlawLoad(s, self.J(), self.tip(), self.pf.crack_energy(), its)

    def snapshot(self) -> tuple[np.ndarray, ...]:
        return tuple(f.x.array.copy() for f in (self.u, self.pf.d, self.pf.d_n))

    def restore(self, state: tuple[np.ndarray, ...]) -> None:
        for f, arr in zip((self.u, self.pf.d, self.pf.d_n), state):
            f.x.array[:] = arr

    def destroy(self) -> None:
        self.pf.destroy()


def critical_load(cyl: FlawedCylinder, lo: float, hi: float, bisections: int, advance: float,
                  max_expansions: int = 4) -> CriticalLoad:
    """Bracket the s_s at which the flaw runs (its tip advances more than `advance`): load
    `lo` on the virgin state (it must not run: ValueError), then `hi` (raised by a factor 1.25
    while it does not run), then `bisections` halvings; every trial starts from the last
    sub-critical state."""
    out = CriticalLoad(lo, hi)

    def runs(step: FlawLoad) -> bool:
        out.loads.append(step)
        return step.tip > cyl.tip0 + advance

    if runs(cyl.load(lo)):
        raise ValueError(f"the flaw already runs at the lower bracket s_s = {lo:g}")
    state = cyl.snapshot()
    for _ in range(max_expansions + 1):
        if runs(cyl.load(out.hi)):
            break
        out.lo, state = out.hi, cyl.snapshot()
        out.hi *= 1.25
    else:
        raise ValueError(f"the flaw does not run up to s_s = {out.lo:g}")
    for _ in range(bisections):
        cyl.restore(state)
        mid = out.mid
        if runs(cyl.load(mid)):
            out.hi = mid
        else:
            out.lo, state = mid, cyl.snapshot()
    cyl.restore(state)
    return out

"""Linear elasticity of an electrode patch in a cell: swelling particles in a binder.

Small strain, each phase isotropic linear elastic (E in GPa, stresses in GPa, lengths in um):

    div sigma = 0,  sigma = lambda tr(eps(u) - eps*) I + 2 mu (eps(u) - eps*),
    eps* = e_i I in particle i (e_i: linear swelling strain, e.g. (beta / 3) soc_i), e_b I in the binder.

Boundary conditions of a cell (`top`):
- collector (z = 0): u_z = 0 (bonded to a rigid current collector in z, free to slide in x, y);
- lateral walls x = 0, W and y = 0, W: rollers u.n = 0 (the patch is a unit of a laterally
  periodic, symmetric electrode that cannot expand sideways);
- top z = T: "free" (traction-free), "pressure" (traction -P e_z, stack pressure P in GPa)
  or "gap" (u_z = 0: a fixed gap, e.g. a rigid separator stack).

For verification, `lateral = "free"` keeps rollers only on x = 0 and y = 0 (symmetry planes,
with the collector z = 0: an octant of a larger body) and puts the top's load on x = W and
y = W too: top = "pressure" then loads the patch hydrostatically, top = "free" lets it swell
freely.

Solved by CG + GAMG with the rigid-body near-nullspace (`solvers.ELASTICITY`). With a
cohesive particle-binder `interface` (`problem.electrode_interface`) the particles and the binder
carry their own displacements joined by the cohesive traction, solved by Newton (LU).
"""

from __future__ import annotations

from dataclasses import dataclass

import dolfinx.fem.petsc as fpetsc
import numpy as np
import ufl
from dolfinx import fem
from mpi4py import MPI
from petsc4py import PETSc

from seifem.errors import CaseError
from seifem.geometry.electrode import WALLS, ElectrodeGeometry
from seifem.physics import mechanics as mech
from seifem.problem.solvers import ELASTICITY, LinearSolver, rigid_body_modes

__all__ = ["LATERALS", "TOPS", "ElectrodePatch"]

TOPS = ("free", "pressure", "gap")
LATERALS = ("rollers", "free")


@dataclass(frozen=True)
class Elastic:
    """Isotropic linear elastic constants: E in GPa, nu."""

    E: float
    nu: float


class ElectrodePatch:
    """The patch problem on an `ElectrodeGeometry` (collective).

    particle, binder: (E [GPa], nu) of the particles and of the homogenised binder;
    top: "free", "pressure" or "gap"; stack_pressure: P in GPa (top = "pressure");
    order: displacement element degree (1 or 2); rtol: CG relative tolerance; interface: a
    cohesive law (SI) of the particle (or coating) / binder interface, None: bonded (the mesh
    must then ghost shared facets)."""

    def __init__(self, geo: ElectrodeGeometry, particle: tuple[float, float], binder: tuple[float, float],
                 top: str = "free", stack_pressure: float = 0.0, order: int = 1, rtol: float = 1e-10,
                 prefix: str = "seifem_electrode_", lateral: str = "rollers",
                 coating: tuple[float, float] | None = None, interface=None):
        if top not in TOPS:
            raise CaseError("electrode.top", top, " / ".join(TOPS))
        if lateral not in LATERALS:
            raise CaseError("electrode.lateral", lateral, " / ".join(LATERALS))
        self.geo, self.top, self.lateral = geo, top, lateral
        self.particle, self.binder = Elastic(*particle), Elastic(*binder)
        mesh = geo.mesh
        self.comm = mesh.comm
        self.V = fem.functionspace(mesh, ("Lagrange", order, (3,)))
        self.Q = fem.functionspace(mesh, ("DG", 0))
        self.E, self.nu, self.estar = (fem.Function(self.Q, name=n) for n in ("E", "nu", "eigenstrain"))
        self._cells = {n: geo.cells(n) for n in ["binder", *geo.particles, *geo.coatings]}
        self.coating = Elastic(*coating) if coating is not None else None
        if geo.coatings and self.coating is None:
            raise ValueError("the geometry has coatings: give their elastic constants")
        for name, cells in self._cells.items():
            m = self.binder if name == "binder" else self.coating if name.startswith("coating") else self.particle
            self.E.x.array[cells], self.nu.x.array[cells] = m.E, m.nu
        for f in (self.E, self.nu):
            f.x.scatter_forward()
        self.P = fem.Constant(mesh, PETSc.ScalarType(stack_pressure if top == "pressure" else 0.0))
        self.u = fem.Function(self.V, name="u")
        v = ufl.TestFunction(self.V)
        load = v[2] * geo.ds("top")
        if lateral == "free":  # the far walls carry the top's load: hydrostatic pressure on 3 faces
            load += v[0] * geo.ds("x1") + v[1] * geo.ds("y1")
        self.bcs = self._bcs()
        self.cohesive = None
        if interface is not None:
            from seifem.problem.electrode_interface import PatchInterface

            self.cohesive = PatchInterface(self, interface, load)
        else:
            self._ns, self._ns_arrays = rigid_body_modes(self.V)
            self._setup_solver(v, load, prefix, rtol)
        self.disp = self.u if self.cohesive is None else self.cohesive.displacement()
        self.sigma = self._cauchy()
        self._w = ufl.TestFunction(self.Q)
        self._T = fem.functionspace(mesh, ("DG", 0, (3, 3)))
        self._sigma_expr = None  # compiled on first use (`_principal_max`)
        dx = self._dx()
        self._hyd_form = fem.form(mech.hydrostatic(self.sigma) * self._w * dx)
        self._vm_form = fem.form(mech.von_mises(self.sigma) * self._w * dx)
        self._tr_form = fem.form(self._dilatation() * self._w * dx)
        self._szz_form = fem.form(self._nominal()[2, 2] * dx)
        self._vol = self._cellwise(ufl.as_ufl(1.0))
        self._owner = np.full(len(self.E.x.array), -1, dtype=np.int64)  # cell -> particle index
        for i, name in enumerate(geo.particles):
            self._owner[self._cells[name]] = i
        one = fem.Constant(mesh, PETSc.ScalarType(1.0))
        self.top_area = self._sum(one * geo.ds("top"))

    # ------------------------------------------------------------------ the law (small strain)
    def _setup_solver(self, v, load, prefix: str, rtol: float) -> None:
        """The linear system a(u, v) = L(v) (the eigenstrain and the stack pressure in L) and
        its CG + GAMG solver."""
        u, I = ufl.TrialFunction(self.V), ufl.Identity(3)
        a = ufl.inner(mech.stress(mech.eps(u), self.E, self.nu), mech.eps(v)) * ufl.dx
        L = ufl.inner(mech.stress(self.estar * I, self.E, self.nu), mech.eps(v)) * ufl.dx - self.P * load
        self._linear_system(a, L, prefix, rtol)

    def _linear_system(self, a, L, prefix: str, rtol: float) -> None:
        """Compile a and L, assemble the operator (with the rigid-body near-nullspace) and
        build its CG + GAMG solver."""
        self.a, self.L = fem.form(a), fem.form(L)
        self.A = fpetsc.assemble_matrix(self.a, bcs=self.bcs)
        self.A.assemble()
        self.A.setNearNullSpace(self._ns)
        self.b = fpetsc.create_vector(self.V)
        self.solver = LinearSolver(self.A, prefix, ELASTICITY, rtol)

    def _dx(self):
        """The cell measure of the stress outputs (a visco-elastic binder fixes its quadrature)."""
        return ufl.dx

    def _cauchy(self):
        """The stress (GPa) as UFL."""
        return mech.stress(mech.eps(self.disp) - self.estar * ufl.Identity(3), self.E, self.nu)

    def _nominal(self):
        """The stress whose volume mean is minus the mean top traction (GPa): sigma here, the
        first Piola-Kirchhoff stress at finite strain."""
        return self.sigma

    def _dilatation(self):
        """Volume change per reference volume: tr eps here, det F - 1 at finite strain."""
        return ufl.tr(mech.eps(self.disp))

    def _bcs(self) -> list:
        """u_z = 0 on the collector (and the top for a gap), u.n = 0 on the lateral walls."""
        walls = WALLS if self.lateral == "rollers" else ("x0", "y0")
        fixed = [("collector", 2)] + [(w, 0 if w[0] == "x" else 1) for w in walls] + \
                ([("top", 2)] if self.top == "gap" else [])
        bcs = []
        for name, i in fixed:
            Vi = self.V.sub(i)
            dofs = fem.locate_dofs_topological(Vi, 2, self.geo.facets(name))
            bcs.append(fem.dirichletbc(PETSc.ScalarType(0.0), dofs, Vi))
        return bcs

    def _sum_cells(self, name: str) -> float:
        """Volume of a region (um^3)."""
        n = self.geo.mesh.topology.index_map(3).size_local
        c = self._cells[name][self._cells[name] < n]
        return self.comm.allreduce(float(self._vol[c].sum()), op=MPI.SUM)

    def _sum(self, expr) -> float:
        form = expr if isinstance(expr, fem.Form) else fem.form(expr)
        return self.comm.allreduce(fem.assemble_scalar(form), op=MPI.SUM)

    def _cellwise(self, expr) -> np.ndarray:
        """Integral of a scalar (UFL, or a compiled form of expr * w dx) over each owned cell."""
        form = expr if isinstance(expr, fem.Form) else fem.form(expr * self._w * self._dx())
        b = fem.assemble_vector(form)
        n = self.geo.mesh.topology.index_map(3).size_local
        return b.array[self.Q.dofmap.list[:n, 0]]

    def set_eigenstrain(self, particle: float | np.ndarray, binder: float = 0.0) -> None:
        """Linear swelling strain per axis: one value for every particle or one per particle
        (packing order), and the binder's (0: the binder does not swell)."""
        e = np.broadcast_to(np.asarray(particle, dtype=float), (len(self.geo.particles),))
        self.estar.x.array[self._cells["binder"]] = binder
        for name, ei in zip(self.geo.particles, e):
            self.estar.x.array[self._cells[name]] = ei
        self.estar.x.scatter_forward()

    def state_functions(self) -> dict:
        """The fields a checkpoint must hold to continue (none: the elastic patch is
        quasi-static and recomputed from the eigenstrain)."""
        return {}

    def solve(self, dt: float = 0.0) -> int:
        """Solve for u with the current eigenstrain, reached over a time step dt [s] (unused:
        elastic phases have no memory); returns the CG (or, debonding, Newton) iteration count."""
        if self.cohesive is not None:
            return self.cohesive.solve()
        with self.b.localForm() as loc:
            loc.set(0.0)
        fpetsc.assemble_vector(self.b, self.L)
        self.b.ghostUpdate(addv=PETSc.InsertMode.ADD, mode=PETSc.ScatterMode.REVERSE)
        fpetsc.set_bc(self.b, self.bcs)  # all conditions are homogeneous: no lifting needed
        its = self.solver.solve(self.b, self.u.x.petsc_vec)
        self.u.x.scatter_forward()
        return its

    def thickness_change(self) -> float:
        """Mean top-surface displacement u_z over the thickness T (dimensionless)."""
        return self._sum(self.u[2] * self.geo.ds("top")) / self.top_area / self.geo.packing.thickness

    def volume_change(self) -> float:
        """Relative volume change of the patch, (1 / V) int_boundary u.n ds (dimensionless)."""
        n = ufl.FacetNormal(self.geo.mesh)
        V = self.geo.packing.thickness * self.geo.packing.width ** 2
        return self._sum(ufl.dot(self.u, n) * ufl.ds) / V

    def cell_hydrostatic(self) -> np.ndarray:
        """Cell-mean hydrostatic stress (GPa) of every owned cell."""
        return self._cellwise(self._hyd_form) / self._vol

    def cell_von_mises(self) -> np.ndarray:
        """Cell-mean von Mises stress (GPa) of every owned cell."""
        return self._cellwise(self._vm_form) / self._vol

    def _principal_max(self) -> np.ndarray:
        """Largest principal stress (GPa) at the midpoint of every owned cell."""
        if self._sigma_expr is None:
            self._sigma_expr = fem.Expression(self.sigma, self._T.element.interpolation_points)
        s = fem.Function(self._T)
        s.interpolate(self._sigma_expr)
        n = self.geo.mesh.topology.index_map(3).size_local
        S = s.x.array.reshape(-1, 3, 3)[self.Q.dofmap.list[:n, 0]]
        return np.linalg.eigvalsh(0.5 * (S + S.transpose(0, 2, 1)))[:, -1]

    def outputs(self) -> dict:
        """Thickness change, per-particle volume-mean hydrostatic stress (GPa, exact integral),
        volume change (um^3, int tr eps), the binder domain's volume change (um^3), the volume
        mean of sigma_zz (GPa: minus the mean top traction, see `simulation.electrode_patch`),
        max principal stress (GPa, cell midpoints) and max cell-mean von Mises stress, binder max principal and von Mises
        stress (GPa, cell midpoints). Collective; every rank gets the same numbers."""
        n = self.geo.mesh.topology.index_map(3).size_local
        hyd = self._cellwise(self._hyd_form)
        tr = self._cellwise(self._tr_form)
        pmax_cells = self._principal_max()
        vm = self._cellwise(self._vm_form) / self._vol
        out = {"thickness_change": self.thickness_change(), "particles": []}
        k, owner = len(self.geo.particles), self._owner[:n]  # owned cells' particle index (-1: not a particle)
        mine = owner >= 0
        # float64 on every rank (bincount of nothing is int64: the buffers must match)
        sums = np.stack([np.bincount(owner[mine], w[:n][mine], minlength=k) for w in (hyd, self._vol, tr)]).astype(float)
        peaks = np.full((2, k), -np.inf)
        np.maximum.at(peaks[0], owner[mine], pmax_cells[mine])
        np.maximum.at(peaks[1], owner[mine], vm[mine])
        self.comm.Allreduce(MPI.IN_PLACE, sums, op=MPI.SUM)  # one reduction for all particles
        self.comm.Allreduce(MPI.IN_PLACE, peaks, op=MPI.MAX)
        for i, name in enumerate(self.geo.particles):
            h, v, dv = sums[:, i]
            out["particles"].append({"name": name, "volume_um3": v, "mean_hydrostatic_GPa": h / v, "volume_change_um3": dv,
                                     "max_principal_GPa": peaks[0, i], "max_von_mises_GPa": peaks[1, i]})
        c = self._cells["binder"][self._cells["binder"] < n]
        out["binder_volume_change_um3"] = self.comm.allreduce(float(tr[c].sum()), op=MPI.SUM)
        p = self.geo.packing
        out["mean_sigma_zz_GPa"] = self._sum(self._szz_form) / (p.thickness * p.width**2)
        out["binder_max_principal_GPa"] = self.comm.allreduce(
            float(np.max(pmax_cells[c], initial=-np.inf)), op=MPI.MAX)
        out["binder_max_von_mises_GPa"] = self.comm.allreduce(float(np.max(vm[c], initial=0.0)), op=MPI.MAX)
        if self.cohesive is not None:
            out["interface"] = self.cohesive.outputs()
        if self.geo.coatings:
            c = np.concatenate([self._cells[k] for k in self.geo.coatings])
            c = c[c < n]
            out["coating_max_principal_GPa"] = self.comm.allreduce(float(np.max(pmax_cells[c], initial=-np.inf)),
                                                                   op=MPI.MAX)
            out["coating_max_von_mises_GPa"] = self.comm.allreduce(float(np.max(vm[c], initial=0.0)), op=MPI.MAX)
        return out

    def destroy(self) -> None:
        """Free the PETSc objects (call on every rank together)."""
        if self.cohesive is not None:
            return
        self.solver.destroy()
        self.A.destroy()
        self.b.destroy()

"""Frictionless contact of a yolk with its shell (geometry.shape = "yolk-shell"), by a penalty
on the radial gap, solved together with the particle's mechanics by Newton (PETSc SNES).

The shell's inner surface ("shell_inner") is the yolk's outer surface ("core_surface") moved
out by the gap g0 along the radius (`geometry.layers`), node for node. So every node x_i of
the yolk surface has its partner x_i + g0 n_i (n = x/|x|) on the shell, and the gap in that
direction is, at small strain,

    g = g0 - (u_yolk - u_shell) . n,      u_shell taken at the partner node (interpolated over
                                          the yolk surface in the yolk's own basis).

The relative displacement w = T u (T: +1 on the yolk dof, -1 on its partner shell dof, per
component) is a linear map, so the penalty energy and its derivatives are

    Pi = int k/2 <g>_-^2 ds,   residual  T^T int -k <g>_- (v . n) ds,
    Jacobian  T^T [int k H(-g) (dw . n)(v . n) ds] T          (<g>_- = min(g, 0), H step),

added to the bulk residual and Jacobian of `NonlinearMechanics` (semismooth Newton: exact for
a fixed contact set, which it finds in a few iterations). The penalty k = contact_penalty *
E_max / h (E_max the largest Young's modulus of the particle's regions, h the surface element
size) lets the surfaces overlap by p / k under a contact pressure p: with the default factor 100 that
is h p / (100 E), a 1e-4 .. 1e-3 fraction of a typical gap (checked on the solution, history
column contact_gap_min_nm). Symmetry conditions of the octant stay exact: T has no entries on
constrained dofs.

History columns: contact_gap_min_nm (smallest gap over the yolk surface nodes; negative: the
penalty overlap), contact_pressure_max_MPa, contact_pressure_mean_MPa (over the yolk
surface), contact_area_fraction (share of the yolk surface in contact).
"""

from __future__ import annotations

import logging

import numpy as np
import ufl
from dolfinx import fem
from dolfinx.fem import petsc as fpetsc
from mpi4py import MPI
from petsc4py import PETSc
from scipy.spatial import cKDTree

from seifem.errors import GeometryError
from seifem.problem.nonlinear_mechanics import NonlinearMechanics
from seifem.units import SCALES

__all__ = ["ContactMechanics", "pairing_matrix"]

log = logging.getLogger(__name__)

GPA_TO_MPA = SCALES.stress / 1e6


def _surface_nodes(W, geo, name: str) -> np.ndarray:
    """Owned (local) node indices of W on a named surface."""
    nodes = fem.locate_dofs_topological(W, 2, geo.facets(name))
    return nodes[nodes < W.dofmap.index_map.size_local]


def pairing_matrix(W, geo, gap: float, constrained: np.ndarray) -> tuple[PETSc.Mat, np.ndarray]:
    """T with (T u)_i = u_i - u_partner(i) for each component of every owned yolk-surface
    node i (rows and columns in W's global numbering; rows of other dofs empty), skipping
    the constrained (symmetry) dofs; and the owned yolk-surface nodes. Collective."""
    comm, imap, bs = W.mesh.comm, W.dofmap.index_map, W.dofmap.index_map_bs
    x = W.tabulate_dof_coordinates()
    core, shell = _surface_nodes(W, geo, "core_surface"), _surface_nodes(W, geo, "shell_inner")
    shell_xyz = np.vstack(comm.allgather(x[shell]))
    shell_gid = np.concatenate(comm.allgather(imap.local_to_global(shell.astype(np.int32))))
    xc = x[core]
    target = xc + gap * xc / np.linalg.norm(xc, axis=1)[:, None]
    dist, hit = cKDTree(shell_xyz).query(target) if shell_xyz.size else (np.zeros(0), np.zeros(0, dtype=int))
    scale = float(np.max(np.abs(shell_xyz))) if shell_xyz.size else 1.0
    bad = comm.allreduce(int(np.sum(dist > 1e-6 * scale)), op=MPI.SUM)
    if bad:
        raise GeometryError(f"yolk-shell: {bad} yolk surface nodes have no partner on the shell's inner surface")
    n_local = imap.size_local * bs
    T = PETSc.Mat().createAIJ(((n_local, None), (n_local, None)), nnz=(2, 2), comm=comm)
    T.setOption(PETSc.Mat.Option.NEW_NONZERO_ALLOCATION_ERR, False)
    mine = imap.local_to_global(core.astype(np.int32))
    for i, g_core, g_shell in zip(core, mine, shell_gid[hit]):
        for c in range(bs):
            if constrained[i * bs + c]:
                continue
            row = int(g_core) * bs + c
            T.setValue(row, row, 1.0)
            T.setValue(row, int(g_shell) * bs + c, -1.0)
    T.assemble()
    return T, core


class ContactMechanics(NonlinearMechanics):
    """The particle's (small-strain, optionally plastic) mechanics with yolk/shell contact.

    problem: the `ParticleProblem` of a yolk-shell particle (surfaces "core_surface" and
    "shell_inner", a layer "shell" across a void of width spec.gaps).

    Linear solves by LU (MUMPS where PETSc has it): the penalty springs across the void make
    CG + GAMG take 40+ iterations per Newton step (measured: 11 s against 2.9 s with MUMPS
    for the first contact solve of a 15k-dof octant)."""

    linear_presets = {"ksp_type": "preonly", "pc_type": "lu",
                      "pc_factor_mat_solver_type": "mumps" if PETSc.Sys.hasExternalPackage("mumps") else "superlu_dist"}
    keep_jacobian = False  # semismooth Newton: the active set changes the Jacobian (its own callback)

    def __init__(self, problem, finite: bool, yield_stress: dict[str, float]):
        super().__init__(problem, finite, yield_stress)
        p, geo, W = problem, problem.geo, problem.W
        mesh = geo.mesh
        self.gap = float(max(geo.spec.gaps))
        bs = W.dofmap.index_map_bs
        constrained = np.zeros(W.dofmap.index_map.size_local * bs + W.dofmap.index_map.num_ghosts * bs, dtype=bool)
        for bc in p.bcs_u:
            constrained[bc.dof_indices()[0]] = True
        self.T, self._core_nodes = pairing_matrix(W, geo, self.gap, constrained)
        E_max = max(E for E, _ in p.moduli.values())
        self.k = p.case.solver.contact_penalty * E_max / geo.spec.surface_mesh_size  # GPa / um
        self.rel = fem.Function(W, name="relative_displacement")
        x = ufl.SpatialCoordinate(mesh)
        self._n = x / ufl.sqrt(ufl.dot(x, x))
        g = fem.Constant(mesh, PETSc.ScalarType(self.gap)) - ufl.dot(self.rel, self._n)
        k = fem.Constant(mesh, PETSc.ScalarType(self.k))
        v, w = ufl.TestFunction(W), ufl.TrialFunction(W)
        ds = geo.ds("core_surface")(metadata={"quadrature_degree": 2 * p.case.solver.degree + 2})
        self._gm = ufl.conditional(ufl.lt(g, 0), g, 0)
        self._active = ufl.conditional(ufl.lt(g, 0), 1.0, 0.0)
        self.c_form = fem.form(-k * self._gm * ufl.dot(v, self._n) * ds)
        self.K_form = fem.form(k * self._active * ufl.dot(w, self._n) * ufl.dot(v, self._n) * ds)
        self.c_vec = fpetsc.create_vector(W)
        self.K = fpetsc.create_matrix(self.K_form)
        self.C = None
        self.A = self._union_matrix()
        self.A.setNearNullSpace(self._ns)
        ctx = {"u": p.u, "residual": self.nlp.F, "jacobian": self.nlp.J, "bcs": p.bcs_u}
        snes = self.nlp.solver
        snes.setFunction(self._residual, self.nlp.b, kargs=ctx)
        snes.setJacobian(self._jacobian, self.A, self.A,
                         kargs={"u": p.u, "jacobian": self.nlp.J, "preconditioner": None, "bcs": p.bcs_u})
        self._area = p.integrate(fem.Constant(mesh, 1.0) * geo.ds("core_surface"))
        self._pressure_form = fem.form(-k * self._gm * geo.ds("core_surface"))
        self._contact_form = fem.form(self._active * geo.ds("core_surface"))
        log.info("yolk-shell contact: gap %.4g um, penalty %.3g GPa/um (%g x E_max / h)", self.gap, self.k,
                 p.case.solver.contact_penalty)

    # ------------------------------------------------------------------ assembly
    def _union_matrix(self) -> PETSc.Mat:
        """The bulk Jacobian's pattern plus the contact pattern T^T K T (all of the yolk
        surface in contact), so every Jacobian fits in one preallocated matrix."""
        K0 = fpetsc.assemble_matrix(fem.form(ufl.dot(ufl.TrialFunction(self.p.W), self._n)
                                             * ufl.dot(ufl.TestFunction(self.p.W), self._n)
                                             * self.p.geo.ds("core_surface")))
        K0.assemble()
        C0 = K0.ptap(self.T)
        bulk = self.nlp.A
        bulk.zeroEntries()
        fpetsc.assemble_matrix(bulk, self.nlp.J, bcs=self.p.bcs_u, diag=1.0)  # fills the bulk pattern
        bulk.assemble()
        start, end = bulk.getOwnershipRange()
        n_cols = bulk.getSize()[1]
        keys = []
        for M in (bulk, C0):
            indptr, cols, _ = M.getValuesCSR()
            rows = np.repeat(np.arange(end - start, dtype=np.int64), np.diff(indptr))
            keys.append(rows * n_cols + cols.astype(np.int64))
        keys = np.sort(np.concatenate(keys))
        keys = keys[np.r_[True, keys[1:] != keys[:-1]]]
        rows, cols = np.divmod(keys, n_cols)
        indptr = np.searchsorted(rows, np.arange(end - start + 1)).astype(PETSc.IntType)
        A = PETSc.Mat().createAIJ(bulk.getSizes(), bsize=bulk.getBlockSize(), comm=bulk.getComm(),
                                  csr=(indptr, cols.astype(PETSc.IntType), np.zeros(cols.size)))
        A.setLGMap(*bulk.getLGMap())
        A.setOption(PETSc.Mat.Option.NEW_NONZERO_ALLOCATION_ERR, True)
        K0.destroy()
        C0.destroy()
        return A

    def _update_relative(self, x: PETSc.Vec) -> None:
        self.T.mult(x, self.rel.x.petsc_vec)
        self.rel.x.scatter_forward()

    def _residual(self, snes, x, b, **ctx) -> None:
        fpetsc.assemble_residual(snes, x, b, **ctx)
        self._update_relative(x)
        with self.c_vec.localForm() as loc:
            loc.set(0.0)
        fpetsc.assemble_vector(self.c_vec, self.c_form)
        self.c_vec.ghostUpdate(addv=PETSc.InsertMode.ADD, mode=PETSc.ScatterMode.REVERSE)
        self.T.multTransposeAdd(self.c_vec, b, b)

    def _jacobian(self, snes, x, A, P, **ctx) -> None:
        fpetsc.assemble_jacobian(snes, x, A, P, **ctx)
        self._update_relative(x)
        self.K.zeroEntries()
        fpetsc.assemble_matrix(self.K, self.K_form)
        self.K.assemble()
        self.C = self.K.ptap(self.T, result=self.C)
        A.axpy(1.0, self.C, structure=PETSc.Mat.Structure.SUBSET_NONZERO_PATTERN)

    # ------------------------------------------------------------------ results
    def solve(self) -> None:
        super().solve()
        self._update_relative(self.p.u.x.petsc_vec)

    def scalars(self) -> dict[str, float]:
        """Contact history columns (see the module docstring). Collective."""
        bs, comm = self.p.W.dofmap.index_map_bs, self.p.comm
        x = self.p.W.tabulate_dof_coordinates()[self._core_nodes]
        n = x / np.linalg.norm(x, axis=1)[:, None]
        rel = self.rel.x.array.reshape(-1, bs)[self._core_nodes]
        g = self.gap - np.einsum("ij,ij->i", rel, n)
        g_min = comm.allreduce(float(g.min()) if g.size else np.inf, op=MPI.MIN)
        L_nm = SCALES.length * 1e9
        return {**super().scalars(), "contact_gap_min_nm": g_min * L_nm,
                "contact_pressure_max_MPa": max(0.0, -g_min) * self.k * GPA_TO_MPA,
                "contact_pressure_mean_MPa": self._total(self._pressure_form) / self._area * GPA_TO_MPA,
                "contact_area_fraction": self._total(self._contact_form) / self._area}

    def _total(self, form) -> float:
        return self.p.comm.allreduce(fem.assemble_scalar(form), op=MPI.SUM)

    def destroy(self) -> None:
        for obj in (self.T, self.K, self.C, self.A, self.c_vec):
            if obj is not None:
                obj.destroy()
        super().destroy()

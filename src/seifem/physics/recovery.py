"""Per-region nodal recovery of discontinuous fields, for the history extremes.

A stress computed from P2 displacements is discontinuous between cells, and its value at a
vertex taken from one cell carries that cell's gradient error (largest at vertices); the
largest such value over a region picks the worst cell. Averaging, at each node, the values of
the cells of the *same region* that share it (a per-region Zienkiewicz-Zhu style average)
cancels most of that scatter, and keeps the jumps at material interfaces: a node on an
interface gets one value per region. It costs one scatter per call, no solve.

    avg = RegionAverage(dg_space, {"core": cells, "coating": cells})
    x, values = avg(region, dg_values)     # owned nodes of the region, averaged values
"""

from __future__ import annotations

import numpy as np
from dolfinx import fem, la

__all__ = ["RegionAverage"]


class RegionAverage:
    """Per-region nodal average of the values of a blocked discontinuous Lagrange space.

    dg_space: a "Discontinuous Lagrange" space (any value shape); cells: region -> local cell
    indices (ghost cells are ignored: each cell is counted on its owner). Values are the DG
    function's array reshaped to (blocks, block size)."""

    def __init__(self, dg_space, cells: dict[str, np.ndarray]):
        mesh = dg_space.mesh
        tdim = mesh.topology.dim
        degree = dg_space.element.basix_element.degree
        self.bs = dg_space.dofmap.index_map_bs
        # the continuous space of the same degree: the same reference nodes per cell; one more
        # component for the count of cells that share a node
        self.acc = fem.Function(fem.functionspace(mesh, ("Lagrange", degree, (self.bs + 1,))))
        V = self.acc.function_space
        nloc = mesh.topology.index_map(tdim).size_local
        self.nown = V.dofmap.index_map.size_local
        gdim = mesh.geometry.dim
        self.coords = V.tabulate_dof_coordinates()[: self.nown, :gdim]
        self.blocks = {}
        for name, c in cells.items():
            c = np.asarray(c)[np.asarray(c) < nloc]
            self.blocks[name] = (dg_space.dofmap.list[c].ravel(), V.dofmap.list[c].ravel())

    def __call__(self, region: str, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(coordinates (n, gdim), averaged values (n, block size)) at the owned nodes of the
        region's cells. Collective (one reverse scatter)."""
        dg, cg = self.blocks[region]
        a = self.acc.x.array.reshape(-1, self.bs + 1)
        v = values.reshape(-1, self.bs)[dg]
        for j in range(self.bs):  # bincount: a sum per node, much faster than np.add.at
            a[:, j] = np.bincount(cg, weights=v[:, j], minlength=len(a))
        a[:, -1] = np.bincount(cg, minlength=len(a))
        self.acc.x.scatter_reverse(la.InsertMode.add)
        own = a[: self.nown]
        hit = own[:, -1] > 0
        return self.coords[hit], own[hit, :-1] / own[hit, -1:]


def stress_measures(x: np.ndarray, sigma: np.ndarray) -> dict[str, np.ndarray]:
    """Radial and hoop stress about the origin (hoop: the mean of the two tangential normal
    stresses; both tr/3 at the origin), von Mises and largest principal stress of the stress
    tensors sigma (n, 3, 3) at the points x (n, 3), in the unit of sigma (as
    `physics.mechanics.radial_hoop`, `von_mises`)."""
    r = np.linalg.norm(x, axis=1)
    at_origin = r <= 1e-9
    n = x / np.where(at_origin, 1.0, r)[:, None]
    tr = np.trace(sigma, axis1=1, axis2=2)
    srr = np.where(at_origin, tr / 3, np.einsum("ni,nij,nj->n", n, sigma, n))
    dev = sigma - (tr / 3)[:, None, None] * np.eye(3)
    p1 = np.linalg.eigvalsh(0.5 * (sigma + sigma.transpose(0, 2, 1)))[:, -1] if len(sigma) else np.empty(0)
    return {"sr": srr, "st": (tr - srr) / 2, "vm": np.sqrt(1.5 * np.einsum("nij,nij->n", dev, dev)), "p1": p1}


class RegionStresses:
    """Stress tensors (MPa) per region where they are accurate, for the history extremes of a
    `Quantities`: in elastic regions the per-region nodal average of its DG stress field
    (`RegionAverage`); in plastic regions the values at the quadrature points of the
    mechanics, where the return map defines them (a projection to nodes would extrapolate
    across the elastic-plastic front and overshoot)."""

    def __init__(self, q, plastic: dict, qdeg: int | None, scale: float):
        import basix
        import ufl

        self.q = q
        self.avg = RegionAverage(q.St, {r: c for r, c in q.cells.items() if r not in plastic})
        mesh = q.p.geo.mesh
        self.points = {}
        if plastic:
            pts, _ = basix.make_quadrature(mesh.basix_cell(), qdeg)
            x = ufl.SpatialCoordinate(mesh)
            nloc = mesh.topology.index_map(mesh.topology.dim).size_local
            for r in plastic:
                s = scale * q.p.stress(r)
                expr = fem.Expression(ufl.as_vector([s[i, j] for i in range(3) for j in range(3)]
                                                    + [x[i] for i in range(3)]), pts)
                cells = q.cells[r]
                self.points[r] = (expr, np.asarray(cells[cells < nloc], dtype=np.int32))
        self._cache: dict = {}

    def clear(self) -> None:
        self._cache = {}

    def __call__(self, region: str) -> dict[str, np.ndarray]:
        """`stress_measures` of the region's accurate stress values (local: reduce over ranks)."""
        if region not in self._cache:
            if region in self.points:
                expr, cells = self.points[region]
                v = expr.eval(self.q.p.geo.mesh, cells).reshape(-1, 12) if cells.size else np.empty((0, 12))
                x, sig = v[:, 9:], v[:, :9].reshape(-1, 3, 3)
            else:
                x, s = self.avg(region, self.q.sigma.x.array)
                sig = s.reshape(-1, 3, 3)
            self._cache[region] = stress_measures(x, sig)
        return self._cache[region]


def meridian_tensors(x: np.ndarray, v: np.ndarray, keys: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """(points (n, 3), stress tensors (n, 3, 3)) from nodal rows v of the axisymmetric twin's
    output vector (`reduced.axisym_forms.OUTPUT_KEYS`, index map `keys`) at meridian points x
    (n, 2): the tensor in the (r, z, theta) order, the point (r, z, 0), as `stress_measures` wants."""
    sig = np.zeros((len(v), 3, 3))
    sig[:, 0, 0], sig[:, 1, 1], sig[:, 2, 2] = v[:, keys["sigma_r_cyl"]], v[:, keys["sigma_z"]], v[:, keys["sigma_theta"]]
    sig[:, 0, 1] = sig[:, 1, 0] = v[:, keys["sigma_rz"]]
    return np.column_stack([x, np.zeros(len(x))]), sig

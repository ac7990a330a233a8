"""Per-region patch recovery of discontinuous fields, for the history extremes.

A stress computed from P2 displacements is discontinuous between cells and least accurate at
the cell vertices, worst on a region's boundary (a free surface, a material interface), where
the history extremes usually are. The superconvergent patch recovery of Zienkiewicz and Zhu
(Int. J. Numer. Meth. Eng. 33, 1331 (1992)) fits, at each vertex, one polynomial of the
element degree (quadratic for P2) by least squares to the values at the quadrature points of
the cells around it, and evaluates it at the vertex. Here the patches are taken *per region*
(only the cells of one material), so jumps at material interfaces are kept and a vertex on
an interface gets one value per region; on a region's boundary the fit is one-sided (an
extrapolation of the smooth interior field, which is what converges there). A patch too
small for the quadratic (a corner with one or two cells) falls back to the linear fit, then
to the average.

The fit depends only on the geometry, so it is built once: a sparse matrix from the
quadrature-point values of a region's cells to its vertex values. Every call is one sparse
product and one scatter; no solve.

    rec = PatchRecovery(mesh, {"core": cells, "coating": cells}, degree=2)
    x, values = rec("core", qp_values)   # owned vertices of the region, recovered values

`qp_values` has shape (owned cells of the region, points, components), at `rec.points` (the
reference quadrature points of degree `rec.quadrature_degree`), in the order of the region's
owned cells (`rec.cells[region]`), as `dolfinx.fem.Expression.eval` returns them.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from dolfinx import fem, la

from seifem.physics.vertices import boundary_vertices

__all__ = ["PatchRecovery", "RegionStresses", "meridian_tensors", "quadrature_degree", "stress_measures"]

_RCOND = 1e-9
"""Smallest eigenvalue ratio of a diagonally scaled patch matrix that counts as full rank."""


def quadrature_degree(degree: int) -> int:
    """Sampling points of the recovery for elements of `degree`: 2 (degree - 1) (the 4-point
    rule of a tetrahedron for P2, where the mechanics keeps its plastic history), the
    centroid for P1."""
    return max(1, 2 * (degree - 1))


def _monomials(d: np.ndarray, degree: int) -> np.ndarray:
    """Monomials of total degree <= `degree` in the offsets d (..., gdim): 1, the linear ones,
    then the quadratic ones (the leading 1 + gdim columns are the linear basis)."""
    cols = [np.ones(d.shape[:-1])] + [d[..., i] for i in range(d.shape[-1])]
    if degree >= 2:
        cols += [d[..., i] * d[..., j] for i in range(d.shape[-1]) for j in range(i, d.shape[-1])]
    return np.stack(cols, axis=-1)


def _exponents(gdim: int, degree: int) -> np.ndarray:
    """Exponents (m, gdim) of the monomials of `_monomials`, in its order."""
    eye = np.eye(gdim, dtype=int)
    rows = [np.zeros(gdim, dtype=int)] + list(eye)
    if degree >= 2:
        rows += [eye[i] + eye[j] for i in range(gdim) for j in range(i, gdim)]
    return np.array(rows)


def _scaled_inverse(A: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(inverses (n, m, m), full rank (n,)) of symmetric patch matrices A (n, m, m), inverted
    with a diagonal scaling; rank-deficient ones (smallest scaled eigenvalue below _RCOND of
    the largest) are flagged and left zero."""
    n, m = A.shape[:2]
    s = 1.0 / np.sqrt(np.maximum(np.einsum("nii->ni", A), 1e-300))
    scaled = A * s[:, :, None] * s[:, None, :]
    ev = np.linalg.eigvalsh(scaled) if n else np.ones((0, m))
    ok = ev[:, 0] > _RCOND * ev[:, -1]
    inv = np.zeros_like(A)
    inv[ok] = np.linalg.inv(scaled[ok]) * s[ok, :, None] * s[ok, None, :]
    return inv, ok


class PatchRecovery:
    """Per-region superconvergent patch recovery at the vertices (see the module docstring).

    A vertex inside a region takes the value at itself of the polynomial fitted on its own
    patch; a vertex on the region's boundary (a free surface, an interface, a symmetry plane)
    the mean of the polynomials of its neighbours inside the region, evaluated at it (a one-
    sided patch cannot fix a quadratic in the normal direction); a boundary vertex without
    such neighbours (a layer one element thick, an edge where two boundaries that are not
    symmetry planes meet) the linear fit on its own patch.

    Symmetry planes x_k = 0 (`planes`: the axes k) are no boundary: the field continues as its
    mirror image, so a vertex on them fits its own (half) patch with the monomials even in x_k
    (the least-squares fit to the patch and its mirror image), and a component odd in x_k
    (`__call__`'s `odd`; the shear stresses sigma_ik, i != k) is zero there.

    mesh: a dolfinx mesh; cells: region -> local cell indices (ghosts are ignored: each cell
    counts on its owner; facet ghosts must be present to find region boundaries); degree:
    the polynomial degree of the fit (the element degree, 1 or 2). Collective."""

    def __init__(self, mesh, cells: dict[str, np.ndarray], degree: int, planes: tuple[int, ...] = ()):
        import basix
        import ufl

        self.mesh, self.degree = mesh, min(degree, 2)
        self.quadrature_degree = quadrature_degree(degree)
        self.points, _ = basix.make_quadrature(mesh.basix_cell(), self.quadrature_degree)
        tdim, gdim = mesh.topology.dim, mesh.geometry.dim
        nq, nloc = len(self.points), mesh.topology.index_map(tdim).size_local
        m = _monomials(np.zeros((1, gdim)), self.degree).shape[-1]
        self.m, self.mlin = m, 1 + gdim
        self.V1 = fem.functionspace(mesh, ("Lagrange", 1))
        self.nown = self.V1.dofmap.index_map.size_local
        ntot = self.nown + self.V1.dofmap.index_map.num_ghosts
        self._x = coords = self.V1.tabulate_dof_coordinates()[:, :gdim]
        tol = 1e-9 * (np.abs(coords).max() if coords.size else 1.0)
        self.onplane = onplane = np.zeros((ntot, gdim), dtype=bool)
        for k in planes:
            onplane[:, k] = np.abs(coords[:, k]) < tol
        expo = _exponents(gdim, self.degree)
        xq_expr = fem.Expression(ufl.SpatialCoordinate(mesh), self.points)
        patch = fem.Function(fem.functionspace(mesh, ("Lagrange", 1, (m * m + 1,))))
        self.cells, self._ops, self._acc = {}, {}, {}
        for name, c_all in cells.items():
            c_all = np.asarray(c_all, dtype=np.int32)
            c = c_all[c_all < nloc]
            self.cells[name] = c
            xq = xq_expr.eval(mesh, c).reshape(len(c), nq, gdim) if c.size else np.empty((0, nq, gdim))
            v = self.V1.dofmap.list[c]  # (cells, vertices)
            nv = v.shape[1]
            P = _monomials(xq[:, None, :, :] - coords[v][:, :, None, :], self.degree)  # (c, v, q, m)
            rows = np.broadcast_to(v[:, :, None], P.shape[:3]).ravel()
            cols = np.broadcast_to(np.arange(len(c) * nq).reshape(len(c), 1, nq), P.shape[:3]).ravel()
            P = P.reshape(-1, m)
            S = sp.csr_matrix((np.ones(len(rows)), (rows, np.arange(len(rows)))), shape=(ntot, len(rows)))
            a = patch.x.array.reshape(ntot, m * m + 1)
            a[:, :-1] = S @ np.einsum("pi,pj->pij", P, P).reshape(-1, m * m)
            a[:, -1] = 0.0
            a[boundary_vertices(mesh, self.V1, c, c_all, onplane), -1] = 1.0
            patch.x.scatter_reverse(la.InsertMode.add)
            patch.x.scatter_forward()
            A, bnd = a[:, :-1].reshape(ntot, m, m), a[:, -1] > 0
            hit = A[:, 0, 0] > 0
            G, ok = np.zeros_like(A), np.zeros(ntot, dtype=bool)
            # one basis per pattern of symmetry planes through the vertex: the monomials even in them
            patterns, which = np.unique(onplane, axis=0, return_inverse=True)
            for k, pattern in enumerate(patterns):
                sel = np.flatnonzero(hit & (which.ravel() == k))
                keep = np.flatnonzero(~np.any(expo[:, pattern] % 2 == 1, axis=1))
                sub = A[np.ix_(sel, keep, keep)]
                Gs, ok[sel] = _scaled_inverse(sub)
                G[np.ix_(sel, keep, keep)] = Gs
            inner = hit & ~bnd & ok
            Glin, _ = _scaled_inverse(A[:, : self.mlin, : self.mlin][hit])
            # the moments b_w = sum_q P_w(x_q) sigma_q of every vertex: rows w * m + j
            B = sp.csr_matrix((P.ravel(), ((rows[:, None] * m + np.arange(m)).ravel(), np.repeat(cols, m))),
                              shape=(ntot * m, len(c) * nq))
            # boundary vertex v <- inner neighbour w in an owned cell: P(x_v - x_w) . coef_w
            iv, iw = np.meshgrid(np.arange(nv), np.arange(nv), indexing="ij")
            iv, iw = iv[iv != iw], iw[iv != iw]
            ev, ew = v[:, iv].ravel(), v[:, iw].ravel()
            # a neighbour on a symmetry plane fits the even monomials only: usable where the
            # boundary vertex is on the same planes (the odd components are zero there)
            keep = bnd[ev] & inner[ew] & ~np.any(onplane[ew] & ~onplane[ev], axis=1)
            ev, ew = ev[keep], ew[keep]
            Pe = _monomials(coords[ev] - coords[ew], self.degree)
            E = sp.csr_matrix((np.c_[Pe, np.ones(len(ev))].ravel(),
                               (np.repeat(ev, m + 1), (np.c_[ew[:, None] * m + np.arange(m), np.full(len(ev), ntot * m)]
                                                     ).ravel())), shape=(ntot, ntot * m + 1))
            glin = np.zeros((ntot, m))
            glin[hit, : self.mlin] = Glin[:, :, 0]
            self._ops[name] = {"B": B, "E": E, "G": G[inner], "inner": np.flatnonzero(inner), "glin": glin,
                               "own": np.flatnonzero(hit[: self.nown])}

    def vertices(self, region: str) -> np.ndarray:
        """Local P1 dofs (`V1`) of the owned vertices that `__call__` returns, in its order."""
        return self._ops[region]["own"]

    def _function(self, ncomp: int) -> fem.Function:
        if ncomp not in self._acc:
            self._acc[ncomp] = fem.Function(fem.functionspace(self.mesh, ("Lagrange", 1, (ncomp,))))
        return self._acc[ncomp]

    def __call__(self, region: str, values: np.ndarray, odd: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(coordinates (n, gdim), recovered values (n, components)) at the owned vertices of
        the region. values: (owned region cells, points, components); odd: (components, gdim),
        whether a component is odd in x_k (zero on a symmetry plane x_k = 0). Collective
        (three scatters)."""
        op, m = self._ops[region], self.m
        ncomp = values.shape[-1]
        moments = self._function(m * ncomp)
        moments.x.array[:] = (op["B"] @ values.reshape(-1, ncomp)).ravel()
        moments.x.scatter_reverse(la.InsertMode.add)
        moments.x.scatter_forward()
        b = moments.x.array.reshape(-1, m, ncomp)
        coef = np.zeros_like(b)
        coef[op["inner"]] = np.einsum("nij,njc->nic", op["G"], b[op["inner"]])
        acc = self._function(ncomp + 1)
        flat = np.vstack([coef.reshape(-1, ncomp), np.ones((1, ncomp))])
        out = op["E"] @ flat  # (ntot, ncomp): the sums; the last column of E counts
        count = (op["E"][:, -1]).toarray().ravel()
        a = acc.x.array.reshape(-1, ncomp + 1)
        a[:, :-1] = out - count[:, None]  # the ones row added the count to every component
        a[:, -1] = count
        acc.x.scatter_reverse(la.InsertMode.add)
        own = op["own"]
        a = a[own]
        result = np.einsum("nm,nmc->nc", op["glin"][own], b[own])  # own linear fit (no neighbour)
        has = a[:, -1] > 0
        result[has] = a[has, :-1] / a[has, -1:]
        inner = np.isin(own, op["inner"])
        result[inner] = coef[own[inner], 0]
        if odd is not None:
            result[self.onplane[own] @ np.asarray(odd, dtype=int).T > 0] = 0.0
        return self._x[own], result


TENSOR_ODD = np.array([[(i == k) != (j == k) for k in range(3)] for i in range(3) for j in range(3)])
"""Whether component (i, j) of a 3D tensor (row-major) is odd in x_k: its shears across the plane."""


class RegionStresses:
    """`stress_measures` of the recovered stress per region, cached until `clear()`.

    recovery: a `PatchRecovery`; tensors: region -> a `dolfinx.fem.Expression` of the 9
    components of the stress tensor at `recovery.points` (any unit; 3D points); points:
    region -> an Expression of the coordinates at `recovery.points`, for the regions whose
    measures also include the quadrature-point values themselves (plastic regions: an extreme
    at the kink of a plastic front lies between the vertices, where the vertex samples miss it
    and the quadrature points come closer)."""

    def __init__(self, recovery: PatchRecovery, tensors: dict, points: dict | None = None):
        self.recovery, self.tensors, self.points = recovery, tensors, points or {}
        self._cache: dict = {}

    def clear(self) -> None:
        self._cache = {}

    def qp_values(self, region: str) -> np.ndarray:
        """The stress tensors at the quadrature points of the region's owned cells, (cells,
        points, 9)."""
        if ("qp", region) not in self._cache:
            rec, cells = self.recovery, self.recovery.cells[region]
            nq = len(rec.points)
            self._cache[("qp", region)] = (self.tensors[region].eval(rec.mesh, cells).reshape(len(cells), nq, 9)
                                           if cells.size else np.empty((0, nq, 9)))
        return self._cache[("qp", region)]

    def tensor(self, region: str) -> tuple[np.ndarray, np.ndarray]:
        """(owned vertices (n, 3), recovered stress tensors (n, 3, 3)) of the region. Collective."""
        if ("tensor", region) not in self._cache:
            x, s = self.recovery(region, self.qp_values(region), TENSOR_ODD)
            self._cache[("tensor", region)] = (x, s.reshape(-1, 3, 3))
        return self._cache[("tensor", region)]

    def __call__(self, region: str) -> dict[str, np.ndarray]:
        """`stress_measures` at the region's owned vertices (local: reduce over ranks)."""
        if region not in self._cache:
            m = stress_measures(*self.tensor(region))
            if region in self.points:
                cells = self.recovery.cells[region]
                x = (self.points[region].eval(self.recovery.mesh, cells).reshape(-1, 3) if cells.size
                     else np.empty((0, 3)))
                at_qp = stress_measures(x, self.qp_values(region).reshape(-1, 3, 3))
                m = {k: np.concatenate([v, at_qp[k]]) for k, v in m.items()}
            self._cache[region] = m
        return self._cache[region]


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


def meridian_tensors(x: np.ndarray, v: np.ndarray, keys: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """(points (n, 3), stress tensors (n, 3, 3)) from nodal rows v of the axisymmetric twin's
    output vector (`reduced.axisym_forms.OUTPUT_KEYS`, index map `keys`) at meridian points x
    (n, 2): the tensor in the (r, z, theta) order, the point (r, z, 0), as `stress_measures` wants."""
    sig = np.zeros((len(v), 3, 3))
    sig[:, 0, 0], sig[:, 1, 1], sig[:, 2, 2] = v[:, keys["sigma_r_cyl"]], v[:, keys["sigma_z"]], v[:, keys["sigma_theta"]]
    sig[:, 0, 1] = sig[:, 1, 0] = v[:, keys["sigma_rz"]]
    return np.column_stack([x, np.zeros(len(x))]), sig

"""The 1D twin stepped in numpy when it is linear and time-invariant between changes of dt.

With a constant diffusivity, one-way coupling, an elastic (affine in theta) swelling and no
cohesive interface, one step of `RadialProblem` is an affine map of the BDF history:

    A(dt, w) theta = B1(dt, w) theta_n + B2(dt, w) theta_nm1 + j f       (diffusion)
    K u = G theta + g0 + T m                                            (mechanics)

with A, B1, B2, f, K, G, g0, m the matrices and vectors dolfinx assembles for the twin's own
forms (Dirichlet rows as in its solves), j the surface flux and T the membrane prestress. Per
set of (dt, BDF weights) the maps are precomputed once as dense arrays,

    theta = P1 theta_n + P2 theta_nm1 + j p_f,    u = Q theta + q0 + T q_m,

(P1 = A^-1 B1, ... by LAPACK), and a step costs three dense matrix-vector products (a few
microseconds on the ~130-dof default grid) instead of two sparse direct solves and their PETSc
calls. The discretisation is the dolfinx path's; the results agree to round-off.

Round-off and the ion balance: the discrete scheme conserves the ions exactly (the stiffness
has zero column sums, BDF weights a0 - a1 + a2 = 0), but a triangular solve or a precomputed
inverse rounds with a small bias, and over hundreds of cycles the inventory drifts one way
(~1e-9 of the core after 40 cycles with LAPACK's LU). After each step the balance
m^T (a0 theta - a1 theta_n + a2 theta_nm1) = dt j F, the mass-weighted identity every exact
solution satisfies (m: the core's mass row sums, F: the flux surface), is restored by adding
the uniform field that fixes it, in the stiffness' kernel: a change at round-off level
(~1e-16 of theta) that keeps the inventory unbiased.

`lti_stepper(problem)` returns the stepper, or None when the problem is not linear and
time-invariant (nonlinear diffusion, a cohesive interface, a piecewise-linear swelling curve)
or its grid is too large for dense maps.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg as sla
import ufl
from dolfinx import fem
from dolfinx.fem import petsc as fpetsc

from seifem.reduced.radial_affine import AffineVector

__all__ = ["MAX_DOFS", "RadialLTI", "lti_stepper"]

MAX_DOFS = 600
"""Largest grid (dofs of u) stepped with dense maps: the maps cost n^2 per product, a sparse
direct solve ~n, and they meet near here."""

CACHE = 8
"""Sets of (dt, BDF weights) whose maps are kept (oldest dropped first)."""


def lti_stepper(problem) -> RadialLTI | None:
    """The numpy stepper of a `RadialProblem`, or None when it is not linear and
    time-invariant (nonlinear diffusion, a cohesive interface, plastic or finite-strain
    mechanics, a phase swelling curve) or too large."""
    p = problem
    if (p.nonlinear is not None or p.interface is not None or p.mechanics is not None
            or not isinstance(p.L_el, AffineVector)
            or p.V.dofmap.index_map.size_local > MAX_DOFS):
        return None
    return RadialLTI(p)


def _dense(A) -> np.ndarray:
    """A small PETSc matrix as a dense numpy array."""
    m, n = A.getSize()
    indptr, indices, data = A.getValuesCSR()
    out = np.zeros((m, n))
    rows = np.repeat(np.arange(m), np.diff(indptr))
    out[rows, indices] = data
    return out


def _vector(form, space) -> np.ndarray:
    b = fpetsc.create_vector(space)
    with b.localForm() as loc:
        loc.set(0.0)
    fpetsc.assemble_vector(b, fem.form(form))
    out = b.array.copy()
    b.destroy()
    return out


class RadialLTI:
    """Dense affine step maps of a linear, time-invariant `RadialProblem` (see the module)."""

    def __init__(self, problem):
        p = self.p = problem
        self._diff: dict[tuple, tuple] = {}
        self._mech_key = None
        self._bc_theta = np.concatenate([bc.dof_indices()[0] for bc in p.bcs_theta]) if p.bcs_theta else []
        self._bc_u = np.concatenate([bc.dof_indices()[0] for bc in p.bcs_u]) if p.bcs_u else []
        # the ion balance: core mass row sums (r^2 weight) and the flux surface, from the forms
        v = ufl.TestFunction(p.Vt)
        self._m = _vector(v * p.r**2 * p.dx(1), p.Vt)
        self._m[self._bc_theta] = 0.0
        self._mm = float(self._m.sum())
        self._area = p.flux_area
        self._th, self._th_n, self._th_nm1, self._u = (f.x.array for f in (p.theta, p.theta_n, p.theta_nm1, p.u))
        self.modes = None  # the diffusion modes, built by `radial_segment.advance_segment` when used

    # ------------------------------------------------------------------ maps
    def _diffusion_maps(self, dt: float, weights) -> tuple:
        key = (dt, *weights)
        maps = self._diff.get(key)
        if maps is not None:
            return maps
        p = self.p
        p.dt_c.value, p.w_c.value[:] = dt, weights
        j = float(p.j_c.value)
        p.j_c.value = 1.0  # the flux load per unit j
        p.A_diff.zeroEntries()
        fpetsc.assemble_matrix(p.A_diff, p.a_diff, bcs=p.bcs_theta)
        p.A_diff.assemble()
        p._diff_key = None  # the dolfinx path reassembles its matrix before it next solves
        L = p.L_diff
        L._update()
        rhs = np.column_stack([_dense(A) for A in L.A] + [L.b0.array.copy()])
        p.j_c.value = j
        rhs[self._bc_theta] = 0.0
        lu = sla.lu_factor(_dense(p.A_diff))
        X = sla.lu_solve(lu, rhs)
        n = X.shape[0]
        maps = (np.ascontiguousarray(X[:, :n]), np.ascontiguousarray(X[:, n:2 * n]), X[:, -1].copy())
        if len(self._diff) >= CACHE:
            self._diff.pop(next(iter(self._diff)))
        self._diff[key] = maps
        return maps

    def _mechanics_maps(self) -> tuple:
        p = self.p
        key = float(p.membrane_S.value)
        if key == self._mech_key:
            return self._mech
        T = float(p.membrane_T.value)
        L = p.L_el
        p.membrane_T.value = 0.0
        L._update()
        G, g0 = _dense(L.A[0]), L.b0.array.copy()
        p.membrane_T.value = 1.0
        L._update()
        gm = L.b0.array - g0  # the prestress load per unit T
        p.membrane_T.value = T
        rhs = np.column_stack([G, g0, gm])
        rhs[self._bc_u] = 0.0
        X = sla.lu_solve(sla.lu_factor(_dense(p.A_el)), rhs)
        n = G.shape[1]
        self._mech = (np.ascontiguousarray(X[:, :n]), X[:, n].copy(), X[:, n + 1].copy())
        self._mech_key = key
        return self._mech

    # ------------------------------------------------------------------ stepping
    def advance(self, dt: float, weights, flux: float) -> None:
        """theta and u after a step of dt (s) with BDF `weights` and surface flux (um/s), from
        theta_n and theta_nm1 (already moved on by `RadialProblem.advance`)."""
        P1, P2, pf = self._diffusion_maps(dt, weights)
        th, th_n, th_nm1 = self._th, self._th_n, self._th_nm1
        new = P1 @ th_n
        new += P2 @ th_nm1
        new += flux * pf
        # restore the discrete ion balance exactly (see the module): a uniform shift
        a0, a1, a2 = weights
        m = self._m
        defect = dt * flux * self._area - (a0 * (m @ new) - a1 * (m @ th_n) + a2 * (m @ th_nm1))
        new += defect / (a0 * self._mm)
        new[self._bc_theta] = 0.0
        th[:] = new
        self.solve_mechanics()

    def solve_mechanics(self) -> None:
        """u for the current theta and membrane prestress."""
        Q, q0, qm = self._mechanics_maps()
        u = Q @ self._th
        u += q0
        T = float(self.p.membrane_T.value)
        if T:
            u += T * qm
        self._u[:] = u

"""Concentration-dependent diffusion in the 1D twin: D(theta) = D x factor(theta), by Newton.

With the piecewise-linear (theta, factor) table of `particle.diffusivity_factor` the flux is
written through the Kirchhoff potential Phi(theta) = int D(s) ds, -D(theta) theta' = -Phi',
and Phi is interpolated at the nodes of linear elements (theta on P1):

    M (a0 theta - a1 theta_n + a2 theta_nm1)/dt + K Phi(theta) = f,

M the mass and K the (D = 1) stiffness matrices with the r^2 weight, f the inflow. The flux
through a cell is then the difference of the nodal potentials, exact for a steady flux: a
factor rising by orders of magnitude with theta (the sharp lithiation front of crystalline
Si, docs/lithiation-fronts.md) neither pins the front (as a D at a cell's mean theta would)
nor makes Newton cycle on the table's kinks. The Jacobian M a0/dt + K diag(D(theta)) is exact;
Newton is backtracked on |F|. A constant table is the linear step on P1 exactly. The system
is a few hundred unknowns, a tridiagonal system in r solved with scipy on every rank alike (like the rest of the twin).
"""

from __future__ import annotations

import numpy as np
import ufl
from dolfinx import fem
from scipy.linalg import solve_banded

from seifem.errors import SolverError

__all__ = ["RadialNonlinearDiffusion", "NEWTON_TOL", "kirchhoff"]

NEWTON_TOL = 1e-11
"""Newton stops when the largest theta update is below this."""

MAX_ITERATIONS = 60


def kirchhoff(factor, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(Phi, factor) at theta: Phi = int factor from the table's first point (piecewise
    quadratic; the factor is constant outside the table)."""
    x, y = np.array(factor, dtype=float).T
    cum = np.concatenate([[0.0], np.cumsum(0.5 * (y[1:] + y[:-1]) * np.diff(x))])
    seg = np.clip(np.searchsorted(x, theta, side="right") - 1, 0, len(x) - 2)
    s = np.clip(theta, x[0], x[-1])
    f = np.interp(theta, x, y)
    phi = cum[seg] + 0.5 * (y[seg] + np.interp(s, x, y)) * (s - x[seg]) + f * (theta - s)
    return phi, f


class RadialNonlinearDiffusion:
    """theta (P1) of a `RadialProblem` with D(theta): one Newton solve per step (`solve`)."""

    def __init__(self, p, factor: tuple[tuple[float, float], ...], flux):
        th, v = ufl.TrialFunction(p.Vt), ufl.TestFunction(p.Vt)
        self.p, self.factor = p, factor
        pinned = p.pinned_theta_dofs()
        free = np.setdiff1d(np.arange(p.Vt.dofmap.index_map.size_local), pinned)
        self.free = free[np.argsort(p.Vt.tabulate_dof_coordinates()[free, 0])]  # in r: tridiagonal
        M = fem.assemble_matrix(fem.form(th * v * p.r**2 * p.dx(1))).to_scipy()
        K = fem.assemble_matrix(fem.form(th.dx(0) * v.dx(0) * p.r**2 * p.dx(1))).to_scipy()
        f = self.free
        self.M, self.K = self._bands(M[f][:, f]), self._bands(K[f][:, f])
        self.flux = fem.form(flux)
        self.iterations = 0

    @staticmethod
    def _bands(A) -> np.ndarray:
        """The three diagonals of a tridiagonal matrix in `solve_banded`'s (1, 1) layout."""
        A, n = A.toarray(), A.shape[0]
        ab = np.zeros((3, n))
        ab[0, 1:], ab[1], ab[2, :-1] = np.diag(A, 1), np.diag(A), np.diag(A, -1)
        return ab

    @staticmethod
    def _apply(ab: np.ndarray, x: np.ndarray) -> np.ndarray:
        """The product of a banded (1, 1) matrix with x."""
        y = ab[1] * x
        y[:-1] += ab[0, 1:] * x[1:]
        y[1:] += ab[2, :-1] * x[:-1]
        return y

    def _residual(self, x, history, inflow, a0, dt):
        phi, fac = kirchhoff(self.factor, x)
        return self._apply(self.M, a0 * x - history) / dt + self.p.D * self._apply(self.K, phi) - inflow, fac

    @staticmethod
    def _columns(c: np.ndarray) -> np.ndarray:
        """Banded layout of the column scaling diag(c): entry (i, j) of the matrix sits in
        column j of the band array, so the scaling is c broadcast along the rows."""
        return c[None, :]

    def solve(self) -> None:
        """theta at the new time level (theta holds the start guess: the last state)."""
        p, f = self.p, self.free
        a0, a1, a2 = (float(w) for w in p.w_c.value)
        dt = float(p.dt_c.value)
        history = a1 * p.theta_n.x.array[f] - a2 * p.theta_nm1.x.array[f]
        inflow = fem.assemble_vector(self.flux).array[f]
        x = p.theta.x.array[f].copy()
        F, fac = self._residual(x, history, inflow, a0, dt)
        for _ in range(MAX_ITERATIONS):
            J = self.M * (a0 / dt) + p.D * self.K * self._columns(fac)
            dx = -solve_banded((1, 1), J, F)
            if not np.all(np.isfinite(dx)):
                raise SolverError("1D twin D(theta) diffusion: the Newton update is not finite")
            self.iterations += 1
            norm, lam = np.linalg.norm(F), 1.0
            while True:  # backtracking on |F|
                F_new, fac_new = self._residual(x + lam * dx, history, inflow, a0, dt)
                if np.linalg.norm(F_new) <= (1 - 1e-4 * lam) * norm or lam < 1e-4:
                    break
                lam *= 0.5
            x += lam * dx
            F, fac = F_new, fac_new
            if lam * np.abs(dx).max() < NEWTON_TOL:
                p.theta.x.array[f] = x
                return
        raise SolverError(f"1D twin D(theta) diffusion: Newton did not converge in {MAX_ITERATIONS} iterations "
                          f"(last update {lam * np.abs(dx).max():.3g})")

    def destroy(self) -> None:
        """Nothing to release (numpy arrays)."""

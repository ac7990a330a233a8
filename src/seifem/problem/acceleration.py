"""Anderson acceleration of a fixed-point iteration x <- G(x), distributed over MPI ranks.

Used by the staggered phase-field solver (`seifem.problem.fracture`) on its damage iterate,
and on the Newton steps of the mechanics on a kept Jacobian (`newton.KeptJacobianAcceleration`).
In the staggered solver x is the damage the u-problem was solved with, G(x) the damage the
d-problem returns for that displacement, g = G(x) - x the fixed-point residual (the "plain"
staggered update). Anderson's type-II update of depth m (Walker & Ni, SIAM J. Numer. Anal. 49,
1715 (2011)) takes

    x+ = x + g - (dX + dG) gamma,   gamma = argmin || g - dG gamma ||_2,

dX, dG the last m differences of the iterates and residuals; the caller projects x+ onto its
bounds. On the staggered scheme of phase-field fracture this is the acceleration of Storvik,
Both, Sargado, Nordbotten & Radu, Comput. Methods Appl. Mech. Engrg. 381, 113822 (2021).

Safeguard: the history is dropped (a plain step, x+ = x + g) when ||g|| grew by more than
`growth` (1: any growth) over the previous residual, i.e. when the extrapolation left the region where the
map is smooth (an active set of the bounds changed); `restarts` counts these.

The least-squares problem is solved by its m x m normal equations (the inner products
allreduced), with a relative Tikhonov term 1e-10 trace against a rank-deficient history.
"""

from __future__ import annotations

import numpy as np
from mpi4py import MPI

__all__ = ["Anderson"]


class Anderson:
    """Anderson mixing of depth `depth` (>= 1) on the owned entries of a distributed vector."""

    def __init__(self, comm: MPI.Comm, depth: int = 5, growth: float = 1.0):
        if depth < 1:
            raise ValueError(f"Anderson depth must be >= 1, got {depth}")
        self.comm, self.depth, self.growth = comm, depth, growth
        self.restarts = 0
        self.reset()

    def reset(self) -> None:
        """Forget the history (a new load step)."""
        self._dx: list[np.ndarray] = []
        self._dg: list[np.ndarray] = []
        self._gram = np.zeros((0, 0))  # dG^T dG of the kept differences, bordered as they come
        self._x = self._g = None
        self._gnorm = None

    def detach(self) -> None:
        """The next update starts on a nearby map (the next load step's): its first iterate
        makes no difference with the last one, but the differences gathered so far are kept."""
        self._x = self._g = self._gnorm = None

    def _dots(self, vectors: list[np.ndarray], b: np.ndarray) -> np.ndarray:
        """The global inner products of each vector with b (one allreduce)."""
        return self.comm.allreduce(np.array([a @ b for a in vectors]), op=MPI.SUM)

    def update(self, x: np.ndarray, g: np.ndarray) -> np.ndarray:
        """The next iterate from the iterate x and its residual g = G(x) - x (owned entries)."""
        gnorm = float(np.sqrt(self._dots([g], g)[0]))
        if self._gnorm is not None and gnorm > self.growth * self._gnorm:
            self.restarts += 1
            self.reset()
        if self._x is not None:
            self._dx.append(x - self._x)
            self._dg.append(g - self._g)
            row = self._dots(self._dg, self._dg[-1])
            m = len(row)
            gram = np.empty((m, m))
            gram[:-1, :-1], gram[-1, :], gram[:, -1] = self._gram, row, row
            self._gram = gram
            if m > self.depth:
                self._dx.pop(0)
                self._dg.pop(0)
                self._gram = self._gram[1:, 1:]
        self._x, self._g, self._gnorm = x.copy(), g.copy(), gnorm
        out = x + g
        if not self._dg:
            return out
        A = self._gram + 1e-10 * max(np.trace(self._gram), 1e-300) * np.eye(len(self._gram))
        gamma = np.linalg.solve(A, self._dots(self._dg, g))
        for c, dx, dg in zip(gamma, self._dx, self._dg):
            out -= c * (dx + dg)
        return out

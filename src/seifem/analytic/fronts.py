"""Lithiation fronts in a sphere from a concentration-dependent diffusivity: references.

Problem (model units um, s; theta = c / c_max): d theta/dt = (1/r^2)(r^2 D(theta) theta')'
in 0 < r < R, theta = theta_0 at t = 0, inward flux j (um/s) at r = R, D(theta) = D x the
piecewise-linear (theta, factor) table. A factor that is tiny below theta_a and 1 above makes
a sharp front between a lithiated shell (theta >= theta_a) and an unreacted core.

* `shrinking_core_time(r_f, ...)`: the quasi-steady closed form of the sharp limit (one-phase
  Stefan problem: D = 0 ahead of the front, D in the shell, theta = theta_a at the front). The
  shell carries the whole inflow Q = j R^2 (per steradian) in steady state,
  theta(r) = theta_a + (Q/D)(1/r_f - 1/r), and the ion balance gives t(r_f) in closed form:

      Q t = theta_a (R^3 - r_f^3)/3 + (Q/D) [(R^3 - r_f^3)/(3 r_f) - (R^2 - r_f^2)/2].

  It neglects the shell's storage rate (relative error of order the Stefan number
  St = j R/(D theta_a)) and the width of the table's ramp; at D -> infinity it is the pure
  ion balance r_f^3 = R^3 - 3 Q t/theta_a.
* `FiniteVolumeFront`: an independent cell-centred finite-volume solve of the full nonlinear
  problem (uniform shells; the face flux is the difference of the Kirchhoff potential
  Phi(theta) = int D, exact for a steady flux and free of the front pinning that a face D at
  the mean concentration causes; BDF2 in time; Newton with the exact tridiagonal Jacobian and
  backtracking): the fine reference of the 1D twin's front.
  Its own error is second order in h and dt (measured in tests/verification/test_fronts.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.linalg import solve_banded

__all__ = ["shrinking_core_time", "FiniteVolumeFront", "front_radius", "plastic_shell_behind_front"]


def shrinking_core_time(r_f, R: float, j: float, D: float, theta_a: float):
    """Time (s) at which the sharp front reaches r_f (um) under inflow j (um/s) at R (um), shell
    diffusivity D (um^2/s) and shell concentration theta_a at the front (quasi-steady)."""
    r_f = np.asarray(r_f, dtype=float)
    Q = j * R**2
    M = theta_a * (R**3 - r_f**3) / 3 + Q / D * ((R**3 - r_f**3) / (3 * r_f) - (R**2 - r_f**2) / 2)
    return M / Q


def front_radius(r, theta, level: float) -> float:
    """Outermost radius where theta (ascending r) rises through `level` (linear interpolation);
    0 when theta >= level everywhere, R when nowhere."""
    r, theta = np.asarray(r, dtype=float), np.asarray(theta, dtype=float)
    below = np.flatnonzero(theta < level)
    if below.size == 0:
        return 0.0
    i = below[-1]
    if i == r.size - 1:
        return float(r[-1])
    t0, t1 = theta[i], theta[i + 1]
    return float(r[i] + (level - t0) / (t1 - t0) * (r[i + 1] - r[i]))


@dataclass
class FiniteVolumeFront:
    """Cell-centred FV solve of the front problem (see the module docstring).

    R (um), D (um^2/s), factor: (theta, factor) points, j: inward flux (um/s), n: cells."""

    R: float
    D: float
    factor: tuple
    j: float
    n: int = 400
    theta0: float = 0.0

    def __post_init__(self):
        h = self.R / self.n
        self.faces = np.linspace(0.0, self.R, self.n + 1)
        self.r = 0.5 * (self.faces[1:] + self.faces[:-1])
        self.vol = (self.faces[1:] ** 3 - self.faces[:-1] ** 3) / 3
        self.area = self.faces[1:-1] ** 2 / h  # inner faces, over the centre distance h
        self.theta = np.full(self.n, float(self.theta0))
        self.prev = None
        self.t = 0.0
        x, y = np.array(self.factor, dtype=float).T
        self._x, self._y = x, y

    def _phi(self, th):
        """Kirchhoff potential Phi(theta) = int D(s) ds from the first table point (um^2/s) and D(theta)."""
        x, y = self._x, self._y
        cum = np.concatenate([[0.0], np.cumsum(0.5 * (y[1:] + y[:-1]) * np.diff(x))])
        seg = np.clip(np.searchsorted(x, th, side="right") - 1, 0, len(x) - 2)
        f = np.interp(th, x, y)  # the factor, constant outside the table
        s = np.clip(th, x[0], x[-1])
        phi = cum[seg] + 0.5 * (y[seg] + np.interp(s, x, y)) * (s - x[seg])
        phi = phi + f * (th - s)  # linear beyond the table (constant factor)
        return self.D * phi, self.D * f

    def step(self, dt: float) -> None:
        """One BDF2 step (BDF1 on the first) of length dt (s), by Newton."""
        th_n = self.theta.copy()
        if self.prev is None:
            a0, a1, a2, th_nm1 = 1.0, 1.0, 0.0, th_n
        else:
            a0, a1, a2, th_nm1 = 1.5, 2.0, 0.5, self.prev
        th = th_n.copy()

        def residual(th):
            phi, Dc = self._phi(th)
            q = self.area * (phi[1:] - phi[:-1])  # ions per second from cell i+1 into cell i
            F = self.vol * (a0 * th - a1 * th_n + a2 * th_nm1) / dt
            F[:-1] -= q
            F[1:] += q
            F[-1] -= self.j * self.R**2
            return F, Dc

        F, Dc = residual(th)
        for _ in range(100):
            dq_dl = -self.area * Dc[:-1]  # d q / d th[i]   (left cell)
            dq_dr = self.area * Dc[1:]    # d q / d th[i+1] (right cell)
            ab = np.zeros((3, self.n))
            ab[1] = self.vol * a0 / dt
            ab[1, :-1] -= dq_dl
            ab[1, 1:] += dq_dr
            ab[0, 1:] = -dq_dr        # dF[i]/dth[i+1]
            ab[2, :-1] = dq_dl        # dF[i+1]/dth[i]
            dx = solve_banded((1, 1), ab, -F)
            if np.abs(dx).max() < 1e-12:
                break
            # backtracking on |F|: the piecewise-linear D has kinks, on which a full Newton step cycles
            norm, lam = np.linalg.norm(F), 1.0
            while True:
                new = residual(th + lam * dx)
                if np.linalg.norm(new[0]) <= (1 - 1e-4 * lam) * norm or lam < 1e-6:
                    break
                lam *= 0.5
            th = th + lam * dx
            F, Dc = new
        else:
            raise RuntimeError("FiniteVolumeFront: Newton did not converge")
        self.prev, self.theta = th_n, th
        self.t += dt

    def front(self, level: float) -> float:
        """Front radius (um) at the concentration `level`."""
        return front_radius(self.r, self.theta, level)

    def ions(self) -> float:
        """Ion content per steradian (theta um^3)."""
        return float((self.theta * self.vol).sum())


def plastic_shell_behind_front(r, R: float, sigma_y: float):
    """(sigma_r, sigma_t) [units of sigma_y] in the lithiated shell r_f < r <= R of a sphere
    lithiating through a sharp front at r_f, the shell perfectly plastic (yield stress
    sigma_y, elastic strains neglected).

    Each new layer formed at the front swells and pushes the shell outside it outwards, so
    every material element of the shell is stretched in the hoop direction as the front moves
    in, and (past the brief compressive yield at the front) flows in hoop tension:
    sigma_t - sigma_r = +sigma_y. With d sigma_r/dr = 2 (sigma_t - sigma_r)/r and the free
    surface sigma_r(R) = 0:

        sigma_r = -2 sigma_y ln(R/r),   sigma_t = sigma_y (1 - 2 ln(R/r)),

    so the surface hoop stress is +sigma_y, tensile, whatever the front's position: the
    construction of Zhao, Pharr, Wan, Wang, Kaxiras, Vlassak & Suo, J. Electrochem. Soc. 159,
    A238 (2012) for the initial lithiation of crystalline Si (docs/lithiation-fronts.md)."""
    r = np.asarray(r, dtype=float)
    sr = -2 * sigma_y * np.log(R / r)
    return sr, sr + sigma_y

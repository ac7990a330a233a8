"""A whole protocol segment of the linear, time-invariant 1D twin at once, in its diffusion modes.

Within a segment of constant step dt and constant surface flux j the twin's step
(`RadialProblem.advance`, BDF1 or variable-step BDF2 for the first step, then constant-weight
BDF2) is, on the concentration dofs that are not pinned,

    (a0/dt M + K) theta^{k+1} = (a1 theta^k - a2 theta^{k-1})/dt M + j f,

with M the r^2-weighted mass matrix, K the diffusion stiffness and f the flux load, all as
dolfinx assembles them for the twin's own forms (the same discretisation, nothing changed). The
generalized symmetric eigenproblem K v = mu M v (`scipy.linalg.eigh`; V^T M V = I, V^T K V =
diag(mu)) does not depend on dt, and in its modes c = V^T M theta each step decouples:

    (a0 + z) c^{k+1} = a1 c^k - a2 c^{k-1} + dt j g,      z = dt mu,  g = V^T f.

After the first step the weights are constant, so each mode obeys a scalar two-term recurrence
with constant coefficients, solved for all steps at once as an array (modes x steps):
c^k = c_p + alpha r1^k + beta r2^k with r1, r2 the roots of (a0 + z) x^2 - a1 x + a2 = 0
(complex for z > 1/2 at BDF2, |r| < 1) and c_p = dt j g / z; the powers come from a cumulative
product (relative round-off ~k eps). The kernel mode (mu = 0, the uniform field: the ion
inventory) has a1 = a0 + a2 and its increments obey a first-order recurrence, summed in closed
form, so the inventory follows the discrete ion balance exactly. Modes with nearly equal roots
(where alpha and beta would cancel) are marched step by step instead.

The displacement is the affine map u = Q theta + q0 + T q_m of `radial_lti`, and the outputs a
user reads per step (filling, surface filling, surface displacement, the core's surface
stresses) are linear functionals of theta, precomputed on the modes, so a segment of N steps
costs a few array operations of size modes x N instead of N Python steps. The full history rows
(`RadialProblem.scalars()`, the rows of a normal run) are made afterwards from the states, all
at once by `Segment.scalars()` (`radial_segment_rows.RowMaps`, whose stress maps also give the
surface stresses above) or one state at a time by `Segment.rows()`. The run loop takes the
constant-current stretches of a 1D run this way (`simulation/segment_run.py`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import scipy.linalg as sla
from dolfinx.fem import petsc as fpetsc

from seifem.physics.transport import bdf_weights
from seifem.reduced.radial_lti import RadialLTI, _dense
from seifem.reduced.radial_segment_rows import RowMaps
from seifem.units import SCALES

__all__ = ["RadialModes", "Segment", "advance_segment"]

CLOSE_ROOTS = 1e-4
"""Modes whose roots differ by less than this (relative) are marched step by step: the closed
form's alpha, beta ~ 1/|r1 - r2| would cancel to ~eps/|r1 - r2|."""

TINY = 1e-30
"""Powers r^k below this (relative to 1) are set to 0: far below round-off of the amplitudes."""


@dataclass
class Segment:
    """The N steps of one segment: times (s, the end of each step), the linear outputs per step
    (`outputs`: soc, surface_soc (filling at the outer flux surface), u_surface_m (displacement
    of the core's outer surface, m), core_sr_surface_MPa, core_st_surface_MPa (stresses on the
    core side of its outer surface)) and the mode amplitudes from which `rows()` rebuilds the
    states."""

    times: np.ndarray
    outputs: dict[str, np.ndarray]
    amplitudes: np.ndarray = field(repr=False)  # (modes, N + 1): c^0 .. c^N
    inventory: np.ndarray = field(repr=False)  # (N + 1,): m^T theta^0 .. m^T theta^N (see RadialModes.theta)
    modes: RadialModes = field(repr=False)
    membrane_T: float = 0.0

    def states(self) -> tuple[np.ndarray, np.ndarray]:
        """(theta, u) after every step: arrays (N, dofs of theta) and (N, dofs of u)."""
        th = self.modes.theta(self.amplitudes[:, 1:], self.inventory[1:]).T
        Q, q0, qm = self.modes.lti._mechanics_maps()
        u = th @ Q.T + q0
        if self.membrane_T:
            u += self.membrane_T * qm
        return th, u

    def scalars(self) -> list[dict[str, float]]:
        """The history row (`RadialProblem.scalars()`) after every step, all at once from the
        row maps (`radial_segment_rows.RowMaps`): equal to `rows()` to round-off."""
        return self.modes.table.rows(*self.states())

    def rows(self) -> list[dict[str, float]]:
        """The history row (`RadialProblem.scalars()`) after every step, exactly as a normal run
        writes it, one state at a time; the problem's state is left at the segment's end."""
        p = self.modes.p
        keep = p.theta.x.array.copy(), p.u.x.array.copy()
        out = []
        for th, u in zip(*self.states()):
            p.theta.x.array[:], p.u.x.array[:] = th, u
            out.append(p.scalars())
        p.theta.x.array[:], p.u.x.array[:] = keep
        return out


def balance(x0: float, x1: float, weights, h: float, steps: int) -> np.ndarray:
    """x^0..x^steps of a0 x^{k+1} - a1 x^k + a2 x^{k-1} = h with a1 = a0 + a2 (the kernel
    mode, and the ion inventory), from x^0, x^1: the increments d^k = x^k - x^{k-1} obey
    a0 d^{k+1} - a2 d^k = h, so x^k = x^0 + k d* + (d^1 - d*) sum_{l<k} rho^l, with
    d* = h / (a0 - a2) and rho = a2 / a0."""
    a0, _, a2 = weights
    k = np.arange(steps + 1)
    rho, dstar = a2 / a0, h / (a0 - a2)
    out = x0 + k * dstar + (x1 - x0 - dstar) * (1.0 - rho**k) / (1.0 - rho)
    out[1] = x1
    return out


class RadialModes:
    """The diffusion modes of a linear, time-invariant `RadialProblem` (its `lti` stepper) and
    the user outputs on them (see the module)."""

    def __init__(self, lti: RadialLTI):
        self.lti, p = lti, lti.p
        self.p = p
        n = p.Vt.dofmap.index_map.size_local
        self.free = np.setdiff1d(np.arange(n), lti._bc_theta).astype(np.int32)
        dt, w, j = float(p.dt_c.value), p.w_c.value.copy(), float(p.j_c.value)
        p.dt_c.value, p.w_c.value[:], p.j_c.value = 1.0, (0.0, 1.0, 0.0), 1.0
        p.A_diff.zeroEntries()
        fpetsc.assemble_matrix(p.A_diff, p.a_diff)
        p.A_diff.assemble()
        K = _dense(p.A_diff)
        p.L_diff._update()
        M, f = _dense(p.L_diff.A[0]), p.L_diff.b0.array.copy()  # a1/dt = 1: M itself; f at j = 1
        p.dt_c.value, p.w_c.value[:], p.j_c.value = dt, w, j
        p._diff_key = None  # the PETSc path reassembles its matrix before it next solves
        ix = np.ix_(self.free, self.free)
        self.mu, self.V = sla.eigh(K[ix], M[ix])
        self.VtM = self.V.T @ M[ix]  # c = V^T M theta
        self.g = self.V.T @ f[self.free]
        if np.argmin(np.abs(self.mu)) != 0 or self.mu[1] <= 0:  # a connected core: one kernel mode
            raise ValueError(f"RadialModes: expected one zero eigenvalue first, got {self.mu[:2]}")
        self.table = RowMaps(p, lti._m)  # the history rows of many states at once
        self._outputs_on_modes()

    def theta(self, c: np.ndarray, inventory: np.ndarray) -> np.ndarray:
        """theta (all dofs, pinned ones 0) of mode amplitudes c (modes, k), each column shifted
        by the uniform field (the stiffness' kernel) that gives it the `inventory` m^T theta of
        the discrete ion balance: the modes' reconstruction V c rounds the inventory to ~1e-15
        of the core per segment (V is large where the r^2 weight is small), which over many
        segments would add up; the shift is of that size."""
        out = np.zeros((self.p.Vt.dofmap.index_map.size_local, c.shape[1]))
        out[self.free] = self.V @ c
        out[self.free] += (inventory - self.lti._m @ out) / self.lti._mm
        return out

    # ------------------------------------------------------------------ outputs
    def _core_surface_stresses(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The core's surface (sigma_r, sigma_t) in MPa as S_th theta + S_u u + s_0: the rows
        of the history row maps (`RowMaps`) at the core's outer surface dof."""
        p = self.p
        j = int(np.argmin(np.abs(p._sx[p.dofs["core"]] - p.breaks[1])))
        maps = [self.table.stress[("core", k)] for k in ("sigma_r", "sigma_t")]
        return tuple(np.array([m[c][j] for m in maps]) for c in range(3))

    def _outputs_on_modes(self) -> None:
        p, lti = self.p, self.lti
        nt = p.Vt.dofmap.index_map.size_local
        S_th, S_u, s0 = self._core_surface_stresses()
        e_surf = np.zeros(nt)
        e_surf[p._surf_dofs[0]] = 1.0
        u_dof = int(np.argmin(np.abs(p._r_dofs - p.breaks[1])))
        self._theta_rows = np.vstack([lti._m / p.core_volume, e_surf])  # soc, surface_soc
        self._u_row = np.eye(p._r_dofs.size)[u_dof] * SCALES.length  # m
        self._stress = (S_th, S_u, s0)
        self._mech_key = None

    def _output_maps(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """W (outputs x modes), w0 and w_T (outputs): y = W c + w0 + T w_T (cached per membrane)."""
        key = float(self.p.membrane_S.value)
        if key != self._mech_key:
            Q, q0, qm = self.lti._mechanics_maps()
            S_th, S_u, s0 = self._stress
            U = np.vstack([self._u_row, S_u])  # u and the stresses' u part
            rows = np.vstack([self._theta_rows, U @ Q + np.vstack([0 * self._u_row, S_th])])
            w0 = np.concatenate([[0.0, 0.0], U @ q0 + np.concatenate([[0.0], s0])])
            wT = np.concatenate([[0.0, 0.0], U @ qm])
            self._maps = (rows[:, self.free] @ self.V, w0, wT)
            self._mech_key = key
        return self._maps

    # ------------------------------------------------------------------ the recurrence
    def march(self, c0, c1, dt: float, weights, h, steps: int) -> np.ndarray:
        """Amplitudes c^0..c^steps (modes, steps + 1) from c^0, c^1 under constant `weights`
        for steps 2.. (see the module); h = dt j g. Mode 0 is the kernel."""
        a0, a1, a2 = weights
        z = dt * self.mu[1:]
        C = np.empty((z.size + 1, steps + 1))
        C[:, 0], C[:, 1] = c0, c1
        if steps < 2:
            return C[:, :steps + 1]
        k = np.arange(steps + 1)
        C[0] = balance(c0[0], c1[0], weights, h[0], steps)  # the kernel
        # the other modes: c^k = c_p + alpha r1^k + beta r2^k
        disc = np.sqrt((a1 * a1 - 4 * a2 * (a0 + z)).astype(complex))
        r1, r2 = (a1 + disc) / (2 * (a0 + z)), (a1 - disc) / (2 * (a0 + z))
        cp = h[1:] / z
        e0, e1 = c0[1:] - cp, c1[1:] - cp
        gap = r1 - r2
        close = np.abs(gap) <= CLOSE_ROOTS * np.abs(r1)
        gap[close] = 1.0  # marched below
        alpha, beta = (e1 - r2 * e0) / gap, (r1 * e0 - e1) / gap
        # powers r^k by a cumulative product, cut to 0 once below TINY: the homogeneous part has
        # then died out to round-off, and the product would go on into slow subnormal numbers
        r = np.concatenate([r1, r2])
        with np.errstate(divide="ignore"):
            last = np.floor(np.log(TINY) / np.log(np.maximum(np.abs(r), 1e-300)))
        cols = int(min(steps, last.max() + 1))
        P = np.empty((r.size, cols + 1), dtype=complex)
        P[:, 0] = 1.0
        P[:, 1:] = r[:, None]
        P[:, 1:][k[1:cols + 1][None, :] > last[:, None]] = 0.0
        np.cumprod(P, axis=1, out=P)
        n = z.size
        C[1:, 2:] = cp[:, None]
        C[1:, 2:cols + 1] += (alpha[:, None] * P[:n, 2:] + beta[:, None] * P[n:, 2:]).real
        rest = np.flatnonzero(close) + 1
        if rest.size:  # nearly equal roots: step by step
            for s in range(2, steps + 1):
                C[rest, s] = (a1 * C[rest, s - 1] - a2 * C[rest, s - 2] + h[rest]) / (a0 + dt * self.mu[rest])
        return C

    def run(self, dt: float, first, weights, flux: float, steps: int) -> Segment:
        """The segment's amplitudes and outputs from the problem's state (theta, theta_n)."""
        p = self.p
        c0 = self.VtM @ p.theta.x.array[self.free]
        cm = self.VtM @ p.theta_n.x.array[self.free]
        h = dt * flux * self.g
        b0, b1, b2 = first
        c1 = (b1 * c0 - b2 * cm + h) / (b0 + dt * self.mu)
        C = self.march(c0, c1, dt, weights, h, steps)
        m, area = self.lti._m, self.lti._area
        i0, im = m @ p.theta.x.array, m @ p.theta_n.x.array
        inventory = balance(i0, (b1 * i0 - b2 * im + dt * flux * area) / b0, weights, dt * flux * area, steps)
        W, w0, wT = self._output_maps()
        T = float(p.membrane_T.value)
        Y = W @ C[:, 1:] + (w0 + T * wT)[:, None]
        names = ("soc", "surface_soc", "u_surface_m", "core_sr_surface_MPa", "core_st_surface_MPa")
        times = p.t + dt * np.arange(1, steps + 1)
        return Segment(times, dict(zip(names, Y)), C, inventory, self, T)


def advance_segment(problem, dt: float, c_rate: float, steps: int, sink: float = 0.0) -> Segment:
    """`steps` steps of `problem.advance(dt, c_rate, sink=sink)` at once (the same scheme and
    results to round-off) for a linear, time-invariant `RadialProblem` (`problem.lti` not None);
    leaves the problem in the state the steps would. Returns the `Segment` (outputs per step)."""
    p = problem
    if p.lti is None:
        raise ValueError("advance_segment: the twin is not linear and time-invariant (p.lti is None)")
    if steps < 1:
        raise ValueError(f"advance_segment: steps = {steps}, at least 1")
    t0 = time.perf_counter()
    modes = p.lti.modes
    if modes is None:  # once per problem: the eigenproblem and the outputs on the modes
        modes = p.lti.modes = RadialModes(p.lti)
    order = 2 if p.design.time_scheme == "bdf2" else 1
    flux = p.flux_for(c_rate) - sink / (p.c_max * 4 * np.pi * p.flux_area * SCALES.length**3)
    first = bdf_weights(dt, p._prev_dt, 1 if p._prev_flux is not None and flux != p._prev_flux else order)
    seg = modes.run(dt, first, bdf_weights(dt, dt, order), flux, steps)
    # the state the steps leave: theta^N, theta^{N-1}, theta^{N-2} (or the old theta_n), u^N
    C = seg.amplitudes
    last = modes.theta(C[:, max(steps - 2, 0):], seg.inventory[max(steps - 2, 0):])
    old_n = p.theta_n.x.array.copy()
    p.theta.x.array[:] = last[:, -1]
    p.theta_n.x.array[:] = last[:, -2]
    p.theta_nm1.x.array[:] = last[:, -3] if steps >= 2 else old_n
    p.dt_c.value, p.w_c.value[:], p.j_c.value = dt, bdf_weights(dt, dt, order) if steps > 1 else first, flux
    p.lti.solve_mechanics()
    p.t += steps * dt
    p._prev_dt, p._prev_flux = dt, flux
    p.timers["diffusion"] += time.perf_counter() - t0
    return seg


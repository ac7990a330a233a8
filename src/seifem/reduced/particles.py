"""Lithiation of many particles at one electrode potential: each particle a radially symmetric
diffusion problem with its own surface flux (numpy only, the same on every rank).

Per particle i of radius R_i (filling fraction theta = c / c_max, D constant):

    d theta / dt = D (1/r^2) d/dr (r^2 d theta/dr),   D d theta/dr (R_i) = q_i,

q_i = j_i / c_max (m/s) with j_i the inward molar flux (mol m^-2 s^-1), the current of the
particle I_i = F c_max q_i 4 pi R_i^2 (A, > 0 lithiating). P1 elements on r / R_i in [s0, 1]
with the r^2 weight and a lumped mass, backward Euler: every step conserves the ions exactly,
N_i(t + dt) = N_i(t) + 4 pi R_i^2 c_max q_i dt. A hollow particle (cavity volume fraction
void, s0 = void^(1/3)) has a free inner surface that takes no flux; solid ones have s0 = 0.

Kinetics, the electrode potential V shared by all particles (no electrolyte transport in the
pores, no ohmic drop: every particle sees the same V):

- "uniform": the applied current is shared by surface area (q_i = q for all i); V is reported
  from the area-mean surface state, V = U(theta_s) + eta(i) (the single-particle reduction);
- "butler-volmer": i_i = i0(theta_s,i) [exp(-alpha_c f eta_i) - exp(alpha_a f eta_i)],
  eta_i = V - U(theta_s,i) (`physics.electrochemistry`), with theta_s,i the surface value at the
  end of the step (implicit). Galvanostatic: V is the unknown that makes sum_i I_i = I_applied
  (bracketed root, to `rtol` of the applied current); potentiostatic (a hold): V is given.

Electronically isolated particles (`connected[i]` False: a particle that lost its contact with
the carbon-binder network) take no flux: q_i = 0, their ions stay (their profile relaxes by
diffusion); the applied current is shared by the connected ones alone (uniform: by their
area; Butler-Volmer: their currents sum to it). A current with no connected particle is
refused (ValueError), and so is a step that would take a connected particle's surface filling
fraction out of [0, 1] (the particles in contact cannot carry the current).

Since theta is linear in q_i within a step, theta_s,i = a_i + b_i q_i: one scalar equation per
particle, solved by vectorised bisection for a given V, inside the root on V.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from scipy.linalg import solve_banded
from scipy.optimize import brentq

from seifem.physics.electrochemistry import butler_volmer, exchange_current, overpotential
from seifem.units import FARADAY

__all__ = ["KINETICS", "Kinetics", "ParticleBank"]

KINETICS = ("uniform", "butler-volmer")


@dataclass(frozen=True)
class Kinetics:
    """Surface kinetics shared by the particles: kind (KINETICS), open-circuit potential (an
    object with `numpy(theta, direction)`, V), exchange current density at theta = 1/2 (A/m^2),
    anodic transfer coefficient, temperature (K)."""

    kind: str
    ocp: object
    i0_ref: float
    alpha_a: float = 0.5
    temperature: float = 298.15


def _p1_radial(n: int, s0: float = 0.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Nodes s in [s0, 1], lumped mass m_k = int s^2 phi_k ds and the banded stiffness
    int s^2 phi_k' phi_l' ds (scipy `solve_banded` layout, (1, 1) bands)."""
    s = np.linspace(s0, 1.0, n)
    h = np.diff(s)
    mass = np.zeros(n)
    k_elem = (s[1:] ** 3 - s[:-1] ** 3) / 3 / h**2  # int s^2 ds / h^2 on each element
    for a, b in itertools.pairwise(s):  # lumped: the exact int s^2 phi_k over each element
        mass[s == a] += (b * (b**3 - a**3) / 3 - (b**4 - a**4) / 4) / (b - a)
        mass[s == b] += ((b**4 - a**4) / 4 - a * (b**3 - a**3) / 3) / (b - a)
    band = np.zeros((3, n))
    band[1, :-1] += k_elem
    band[1, 1:] += k_elem
    band[0, 1:] = -k_elem
    band[2, :-1] = -k_elem
    return s, mass, band


class ParticleBank:
    """The filling fractions of all particles (packing order). radii in m, D in m^2/s, c_max in
    mol/m^3, theta0 the initial uniform filling fraction, `nodes` per radius, void the cavity
    volume over the outer sphere's of hollow particles (0: solid)."""

    def __init__(self, radii, diffusivity: float, c_max: float, kinetics: Kinetics, theta0: float = 0.0,
                 nodes: int = 21, rtol: float = 1e-12, void: float = 0.0):
        self.radii = np.asarray(radii, dtype=float)
        self.D, self.c_max, self.kin, self.rtol = diffusivity, c_max, kinetics, rtol
        self.s, self.mass, self.band = _p1_radial(nodes, void ** (1 / 3))
        self.theta = np.full((len(self.radii), nodes), float(theta0))
        self.areas = 4 * np.pi * self.radii**2
        self.volumes = 4 / 3 * np.pi * self.radii**3 * (1 - void)
        self._shell = 1 - void  # int_s0^1 s^2 ds over int_0^1 s^2 ds
        self.q = np.zeros(len(self.radii))  # surface flux of the last step, m/s
        self.voltage = float("nan")  # electrode potential of the last step, V
        self.connected = np.ones(len(self.radii), dtype=bool)  # False: electronically isolated, no flux

    # ------------------------------------------------------------------ state
    @property
    def capacity_C(self) -> float:
        """Charge of all particles from empty to full (C)."""
        return FARADAY * self.c_max * float(self.volumes.sum())

    def soc(self) -> np.ndarray:
        """Mean filling fraction of each particle (the lumped mass integral: exact ion count)."""
        return 3 * self.theta @ self.mass / self._shell

    def soc_total(self) -> float:
        """Mean filling fraction of all particles together (volume-weighted)."""
        return float(self.soc() @ self.volumes / self.volumes.sum())

    def surface(self) -> np.ndarray:
        return self.theta[:, -1].copy()

    def currents(self) -> np.ndarray:
        """Current of each particle in the last step (A, > 0 lithiating)."""
        return FARADAY * self.c_max * self.q * self.areas

    def profile(self, i: int, r) -> np.ndarray:
        """theta of particle i at radii r (m; beyond R_i: the surface value)."""
        return np.interp(np.asarray(r) / self.radii[i], self.s, self.theta[i])

    def state(self) -> dict:
        return {"theta": self.theta.tolist(), "q": self.q.tolist(), "voltage": self.voltage,
                "connected": self.connected.tolist()}

    def set_state(self, state: dict) -> None:
        self.theta = np.array(state["theta"], dtype=float)
        self.q, self.voltage = np.array(state["q"], dtype=float), float(state["voltage"])
        self.connected = np.array(state.get("connected", [True] * len(self.radii)), dtype=bool)

    # ------------------------------------------------------------------ stepping
    def _affine(self, dt: float) -> tuple[np.ndarray, np.ndarray]:
        """theta(t + dt) = a + b q per particle: (a, b), each (particles, nodes)."""
        a, b = np.empty_like(self.theta), np.empty_like(self.theta)
        e_n = np.zeros(len(self.s))
        e_n[-1] = 1.0
        for i, R in enumerate(self.radii):
            A = self.D * R * self.band
            A[1] += R**3 * self.mass / dt
            x = solve_banded((1, 1), A, np.column_stack([R**3 * self.mass * self.theta[i] / dt, R**2 * e_n]))
            a[i], b[i] = x[:, 0], x[:, 1]
        return a, b

    def _bv_q(self, V: float, a_s: np.ndarray, b_s: np.ndarray, direction: int) -> np.ndarray:
        """Surface flux q_i (m/s) of every particle at the electrode potential V (vectorised
        bisection on theta_s = a_s + b_s q, where the flux equals the Butler-Volmer current)."""
        k = self.kin

        def residual(ts):
            i = butler_volmer(exchange_current(k.i0_ref, ts), V - k.ocp.numpy(ts, direction), k.temperature, k.alpha_a)
            return (ts - a_s) / b_s - i / (FARADAY * self.c_max)

        width = np.full_like(a_s, 0.05)
        lo, hi = a_s - width, a_s + width
        for _ in range(60):  # widen until the root is bracketed (the residual rises with theta_s)
            bad = (residual(lo) > 0) | (residual(hi) < 0)
            if not bad.any():
                break
            width = np.where(bad, 2 * width, width)
            lo, hi = a_s - width, a_s + width
        for _ in range(100):
            mid = 0.5 * (lo + hi)
            up = residual(mid) > 0
            hi, lo = np.where(up, mid, hi), np.where(up, lo, mid)
            if np.all(hi - lo < 1e-15):
                break
        return (0.5 * (lo + hi) - a_s) / b_s

    def advance(self, dt: float, current: float | None = None, voltage: float | None = None,
                direction: int = 1) -> None:
        """One backward-Euler step of dt (s) at the applied `current` (A, > 0 lithiating;
        0: rest), or at the electrode potential `voltage` (V, Butler-Volmer only: a hold).
        `direction` (+1 / -1) picks the open-circuit branch."""
        a, b = self._affine(dt)
        a_s, b_s = a[:, -1], b[:, -1]
        k, on = self.kin, self.connected
        if not on.any() and (voltage is not None or current != 0.0):
            raise ValueError("every particle is electronically isolated: no current can flow")
        if voltage is not None:
            if k.kind != "butler-volmer":
                raise ValueError("a potentiostatic step needs Butler-Volmer kinetics")
            V, q = voltage, np.where(on, self._bv_q(voltage, a_s, b_s, direction), 0.0)
        elif k.kind == "uniform" or current == 0.0:
            A = self.areas[on].sum() if on.any() else 1.0
            q = np.where(on, current / (FARADAY * self.c_max * A), 0.0)
            ts = a_s + b_s * q
            area = np.where(on, self.areas, 0.0) if on.any() else self.areas
            ts_mean, i = float(ts @ area / area.sum()), current / A
            eta = float(overpotential(i, float(exchange_current(k.i0_ref, ts_mean)), k.temperature, k.alpha_a))
            V = float(k.ocp.numpy(ts_mean, direction)) + eta
        else:
            V, q = self._galvanostatic(current, a_s, b_s, direction)
        theta = a + b * q[:, None]
        out = on & ((theta[:, -1] < 0.0) | (theta[:, -1] > 1.0))
        if out.any():  # the state stays that of the last step
            i = int(np.flatnonzero(out)[0])
            raise ValueError(f"the particles in contact cannot carry the current: the surface filling fraction of "
                             f"particle {i} would reach {theta[i, -1]:.4g}, outside [0, 1]")
        self.theta = theta
        self.q, self.voltage = q, float(V)

    def _galvanostatic(self, current: float, a_s, b_s, direction: int) -> tuple[float, np.ndarray]:
        """The shared potential at which the particles' Butler-Volmer currents sum to `current`."""
        area = np.where(self.connected, self.areas, 0.0)  # isolated particles carry no current

        def excess(V):
            return float(FARADAY * self.c_max * self._bv_q(V, a_s, b_s, direction) @ area) - current

        V0 = float(self.kin.ocp.numpy(a_s, direction) @ area / area.sum())
        step, lo, hi = 0.01, V0, V0
        while excess(lo) < 0:  # the total current falls as V rises
            lo -= step
            step *= 2
        step = 0.01
        while excess(hi) > 0:
            hi += step
            step *= 2
        V = brentq(excess, lo, hi, xtol=1e-15, rtol=4 * np.finfo(float).eps, maxiter=500)
        return V, np.where(self.connected, self._bv_q(V, a_s, b_s, direction), 0.0)

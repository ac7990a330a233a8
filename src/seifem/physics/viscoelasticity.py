"""Isotropic small-strain visco-elasticity with a relaxing shear modulus and an elastic bulk
modulus: a standard linear solid (Zener) in shear, for polymer binders.

    sigma = K tr(eps - eps*) I + 2 G_inf dev(eps) + h,
    dh/dt = 2 G_1 d(dev eps)/dt - h / tau,                      (the Maxwell branch, deviatoric)

so the shear relaxation modulus is G(t) = G_inf + G_1 exp(-t/tau), G_0 = G_inf + G_1. Only the
shear relaxes: polymers keep most of their bulk stiffness at long times (chains rearrange
without changing the volume), and a confined, swollen binder keeps its pressure. The
eigenstrain eps* is isotropic (swelling), so dev(eps - eps*) = dev(eps).

The parameters are those of a tensile test: the instantaneous Young's modulus E_0 and Poisson's
ratio nu_0 (so K = E_0 / (3 (1 - 2 nu_0)), G_0 = E_0 / (2 (1 + nu_0))), the relaxed Young's
modulus E_inf (with K held: G_inf = 3 K E_inf / (9 K - E_inf)) and the relaxation time tau.

Time integration (the recursive exponential update, exact for a strain linear in time over the
step, unconditionally stable, second order in dt for a strain that is not):

    h_{n+1} = a h_n + 2 G_1 g (dev eps_{n+1} - dev eps_n),   a = exp(-dt/tau),
    g = tau / dt (1 - exp(-dt/tau))                           (g = 1 at dt = 0: a jump),

so a step is a linear elastic solve with the algorithmic shear modulus G_inf + g G_1 and the
known history stress a h_n - 2 G_1 g dev eps_n on the right-hand side.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import ufl

__all__ = ["ShearRelaxation", "step_factors", "stress"]


@dataclass(frozen=True)
class ShearRelaxation:
    """E0, E_inf [any stress unit, the same], nu0 [-], tau [s]: a standard linear solid in
    shear with an elastic bulk modulus. ValueError unless 0 < E_inf <= E0 and tau > 0."""

    E0: float
    nu0: float
    E_inf: float
    tau: float

    def __post_init__(self):
        if not (0 < self.E_inf <= self.E0 and self.tau > 0 and -1 < self.nu0 < 0.5):
            raise ValueError(f"invalid shear relaxation {self}: need 0 < E_inf <= E0, tau > 0, -1 < nu0 < 0.5")

    @property
    def K(self) -> float:
        """Bulk modulus (never relaxes)."""
        return self.E0 / (3 * (1 - 2 * self.nu0))

    @property
    def G0(self) -> float:
        """Instantaneous shear modulus."""
        return self.E0 / (2 * (1 + self.nu0))

    @property
    def G_inf(self) -> float:
        """Relaxed shear modulus, from E_inf at the same K."""
        return 3 * self.K * self.E_inf / (9 * self.K - self.E_inf)

    @property
    def G1(self) -> float:
        """Shear modulus of the Maxwell branch, G0 - G_inf."""
        return self.G0 - self.G_inf

    @property
    def nu_inf(self) -> float:
        """Relaxed Poisson's ratio (towards 1/2 as the shear relaxes)."""
        K, G = self.K, self.G_inf
        return (3 * K - 2 * G) / (2 * (3 * K + G))

    def shear_modulus(self, t: float) -> float:
        """G(t) = G_inf + G_1 exp(-t / tau), t [s] >= 0."""
        return self.G_inf + self.G1 * math.exp(-t / self.tau)


def step_factors(dt: float, tau: float) -> tuple[float, float]:
    """(a, g) of the exponential update for a step dt [s] >= 0: a = exp(-dt/tau), g = tau/dt
    (1 - exp(-dt/tau)) (1 at dt = 0)."""
    if dt < 0:
        raise ValueError(f"time step {dt} < 0")
    if dt == 0.0:
        return 1.0, 1.0
    x = dt / tau
    return math.exp(-x), -math.expm1(-x) / x


def stress(eps, estar, K, G_inf, h):
    """Cauchy stress K tr(eps - estar I) I + 2 G_inf dev(eps) + h (UFL; estar the isotropic
    eigenstrain per axis, h the Maxwell branch's deviatoric stress)."""
    return K * (ufl.tr(eps) - 3 * estar) * ufl.Identity(3) + 2 * G_inf * ufl.dev(eps) + h

"""Cohesive interface: a bilinear, mixed-mode traction-separation law (numpy, pure functions).

An interface between two bodies carries the traction t = (t_n, t_t) as a function of the
separation delta = (delta_n, delta_t) (opening normal to the interface, sliding along it):

    t_n = (1 - D) K_n delta_n  (delta_n >= 0),      t_n = K_n delta_n  (delta_n < 0: contact penalty)
    t_t = (1 - D) K_t delta_t

with penalty stiffnesses K_n, K_t (Pa/m). Damage D is driven by the normalised separation

    lam = sqrt( (<delta_n>+ / delta_n0)^2 + (delta_t / delta_t0)^2 ),  delta_n0 = sigma_n / K_n,  delta_t0 = tau_t / K_t,

so damage starts (lam = 1) exactly where the quadratic traction criterion
(t_n / sigma_n)^2 + (t_t / tau_t)^2 = 1 holds. On the damage envelope the law softens linearly
in lam to zero at lam_f: D(lam) = lam_f (lam - 1) / (lam (lam_f - 1)). Along a proportional path
(fixed direction of (delta_n / delta_n0, delta_t / delta_t0)) the work done is S lam^2 / 2 up to
onset with S = sigma_n delta_n0 c^2 + tau_t delta_t0 s^2 (c, s the direction cosines), and S lam_f / 2
to full separation; lam_f = 2 G_c(B) / S makes that total the mixed-mode fracture energy of
Benzeggagh & Kenane (Compos. Sci. Technol. 56, 439 (1996)):

    G_c(B) = G_Ic + (G_IIc - G_Ic) B^eta,    B = G_II / (G_I + G_II) = tau_t delta_t0 s^2 / S,

the mode ratio of the work along the path. Pure mode I is the classical bilinear law with
strength sigma_n and energy G_Ic (opening at failure 2 G_Ic / sigma_n); pure mode II likewise
with tau_t and G_IIc. Damage never decreases (D = max(D_old, D(lam)); unloading is secant,
towards the origin) and compression is not degraded, so a debonded interface still carries
contact pressure and does not interpenetrate beyond the penalty's t_n / K_n.

Units: any consistent set (Pa, m, J/m^2 = Pa m in SI).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import ufl
from numpy.typing import ArrayLike

__all__ = [
    "CohesiveLaw",
    "damage_ufl",
    "dissipated_energy",
    "envelope_damage",
    "equilibrium_opening",
    "mode_direction",
    "stored_energy",
    "traction",
    "traction_ufl",
    "work_to",
]


@dataclass(frozen=True)
class CohesiveLaw:
    """Strengths sigma_n, tau_t (Pa), fracture energies G_Ic, G_IIc (J/m^2), penalty
    stiffnesses K_n, K_t (Pa/m) and the Benzeggagh-Kenane exponent eta. Each mode must store
    less than its fracture energy at onset (strength^2 / (2 K) < G_c): the stiffness must
    exceed strength^2 / (2 G_c)."""

    normal_strength: float
    tangential_strength: float
    normal_energy: float
    tangential_energy: float
    normal_stiffness: float
    tangential_stiffness: float
    mixity_exponent: float = 2.0

    def __post_init__(self):
        for name in ("normal_strength", "tangential_strength", "normal_energy", "tangential_energy",
                     "normal_stiffness", "tangential_stiffness", "mixity_exponent"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be > 0, got {getattr(self, name)}")
        for mode, s, g, k in (("normal", self.normal_strength, self.normal_energy, self.normal_stiffness),
                              ("tangential", self.tangential_strength, self.tangential_energy, self.tangential_stiffness)):
            if s * s / (2 * k) >= g:
                raise ValueError(f"{mode}: stiffness {k:g} must exceed strength^2 / (2 energy) = {s * s / (2 * g):g}")

    @property
    def onset(self) -> tuple[float, float]:
        """Separations at onset in pure mode I and II: (delta_n0, delta_t0)."""
        return self.normal_strength / self.normal_stiffness, self.tangential_strength / self.tangential_stiffness

    @property
    def failure(self) -> tuple[float, float]:
        """Separations at full failure in pure mode I and II: 2 G_c / strength."""
        return 2 * self.normal_energy / self.normal_strength, 2 * self.tangential_energy / self.tangential_strength


def mode_direction(law: CohesiveLaw, delta_n: ArrayLike, delta_t: ArrayLike):
    """(lam, S, B, lam_f): normalised separation, the work scale S (J/m^2), the mode ratio
    B = G_II / (G_I + G_II) and lam at failure for the direction of (delta_n, delta_t).
    Where lam = 0 the direction is taken as pure mode I."""
    dn0, dt0 = law.onset
    a, b = np.maximum(np.asarray(delta_n, dtype=float), 0.0) / dn0, np.asarray(delta_t, dtype=float) / dt0
    lam = np.hypot(a, b)
    safe = np.where(lam > 0, lam, 1.0)
    c2 = np.where(lam > 0, (a / safe) ** 2, 1.0)
    s2 = 1.0 - c2
    S = law.normal_strength * dn0 * c2 + law.tangential_strength * dt0 * s2
    B = law.tangential_strength * dt0 * s2 / S
    Gc = law.normal_energy + (law.tangential_energy - law.normal_energy) * B**law.mixity_exponent
    return lam, S, B, 2 * Gc / S


def envelope_damage(lam: ArrayLike, lam_f: ArrayLike) -> np.ndarray:
    """Damage on the envelope: 0 for lam <= 1, lam_f (lam - 1) / (lam (lam_f - 1)) up to lam_f, 1 beyond."""
    lam, lam_f = np.asarray(lam, dtype=float), np.asarray(lam_f, dtype=float)
    safe = np.maximum(lam, 1.0)
    return np.clip(lam_f * (safe - 1) / (safe * (lam_f - 1)), 0.0, 1.0)


def traction(law: CohesiveLaw, delta_n: ArrayLike, delta_t: ArrayLike, damage_old: ArrayLike = 0.0):
    """(t_n, t_t, D): tractions (Pa) at separations (m), with the damage D = max(D_old,
    D(lam)) that the caller keeps as the history of the next step."""
    dn = np.asarray(delta_n, dtype=float)
    lam, _, _, lam_f = mode_direction(law, dn, delta_t)
    D = np.maximum(np.asarray(damage_old, dtype=float), envelope_damage(lam, lam_f))
    tn = np.where(dn >= 0, (1 - D) * law.normal_stiffness * dn, law.normal_stiffness * dn)
    tt = (1 - D) * law.tangential_stiffness * np.asarray(delta_t, dtype=float)
    return tn, tt, D


def work_to(law: CohesiveLaw, lam: ArrayLike, S: ArrayLike, lam_f: ArrayLike) -> np.ndarray:
    """Work (J/m^2) done along a proportional path from 0 to lam on the envelope."""
    lam, S, lam_f = (np.asarray(v, dtype=float) for v in (lam, S, lam_f))
    x = np.clip(lam, 1.0, lam_f)
    soft = S * (lam_f * (x - 1) - (x * x - 1) / 2) / (lam_f - 1)
    return np.where(lam <= 1, S * lam * lam / 2, S / 2 + soft)


def stored_energy(law: CohesiveLaw, delta_n: ArrayLike, delta_t: ArrayLike, damage: ArrayLike) -> np.ndarray:
    """Recoverable energy (J/m^2) of the interface springs at damage D (the compressive
    penalty is never degraded)."""
    dn, dt, D = (np.asarray(v, dtype=float) for v in (delta_n, delta_t, damage))
    kn = np.where(dn >= 0, 1 - D, 1.0) * law.normal_stiffness
    return 0.5 * (kn * dn * dn + (1 - D) * law.tangential_stiffness * dt * dt)


def dissipated_energy(law: CohesiveLaw, damage: ArrayLike, B: ArrayLike = 0.0) -> np.ndarray:
    """Energy (J/m^2) dissipated in reaching damage D along a proportional path of mode ratio
    B (0: mode I): the work to lam(D) on the envelope minus what the springs still store;
    G_c(B) at D = 1."""
    D, B = np.asarray(damage, dtype=float), np.asarray(B, dtype=float)
    dn0, dt0 = law.onset
    S1, S2 = law.normal_strength * dn0, law.tangential_strength * dt0
    s2 = B * S1 / (B * S1 + (1 - B) * S2)  # the direction with this work ratio
    S = S1 * (1 - s2) + S2 * s2
    Gc = law.normal_energy + (law.tangential_energy - law.normal_energy) * B**law.mixity_exponent
    lam_f = 2 * Gc / S
    lam = lam_f / (lam_f - D * (lam_f - 1))  # inverse of envelope_damage
    return work_to(law, lam, S, lam_f) - 0.5 * S * (1 - D) * lam * lam


def equilibrium_opening(law: CohesiveLaw, delta0: float, compliance: float, damage_old: float = 0.0) -> float:
    """Normal opening delta (m) of an interface loaded in pure mode I through linear bodies:
    delta = delta0 - compliance * t_n(delta), with delta0 the opening of the separated bodies
    (m) and compliance (m/Pa) > 0 their combined response to a pair of interface tractions.

    t_n is piecewise linear in delta (contact, secant unloading at damage_old, softening,
    separated), so the root is exact on its segment. Of several roots (a snap-back, when the
    softening is steeper than 1/compliance) the smallest opening is returned: the state that
    continues the loading path; where that branch ends the interface jumps to the next root."""
    K = law.normal_stiffness
    if delta0 <= 0:
        return delta0 / (1 + compliance * K)  # closed or pressed shut: contact penalty, no damage
    dn0, dnf = law.onset[0], law.failure[0]
    lam_f = dnf / dn0
    kink = dn0 * lam_f / (lam_f - damage_old * (lam_f - 1)) if damage_old < 1 else 0.0
    x = np.array([0.0, kink, dnf]) if kink < dnf else np.array([0.0, dnf])
    f = x + compliance * traction(law, x, 0.0, damage_old)[0] - delta0
    for i in range(len(x) - 1):
        if f[i] < 0 <= f[i + 1]:
            return float(x[i] - f[i] * (x[i + 1] - x[i]) / (f[i + 1] - f[i]))
    return float(delta0)  # beyond the failure opening: no traction, the bodies' own opening


def damage_ufl(law: CohesiveLaw, jump, n, history, tiny: float = 1e-30):
    """Damage (UFL) at the separation `jump` with the irreversible `history`: max(history,
    D_envelope(lam)), the UFL twin of `traction`'s update, so that a Newton solve sees the
    softening tangent. The law in the caller's units (a CohesiveLaw in model units)."""
    dn0, dt0 = law.onset
    dn = ufl.dot(jump, n)
    jt = jump - dn * n
    a2 = (ufl.max_value(dn, 0.0) / dn0) ** 2
    lam2 = a2 + ufl.dot(jt, jt) / dt0**2
    lam = ufl.sqrt(lam2 + tiny)
    c2 = a2 / (lam2 + tiny)
    S1, S2 = law.normal_strength * law.onset[0], law.tangential_strength * law.onset[1]  # J/m^2
    S = S1 * c2 + S2 * (1 - c2)
    B = S2 * (1 - c2) / S
    lam_f = 2 * (law.normal_energy + (law.tangential_energy - law.normal_energy) * B**law.mixity_exponent) / S
    env = lam_f * (lam - 1) / (lam * (lam_f - 1))
    env = ufl.conditional(ufl.le(lam, 1.0), 0.0, ufl.min_value(env, 1.0))
    return ufl.max_value(history, env)


def traction_ufl(law: CohesiveLaw, jump, n, damage):
    """The law's traction vector (UFL) on an interface with unit normal n, for the separation
    `jump` = u_outer - u_inner and a damage (`damage_ufl`, or a history held fixed):
    (1 - D) K_n <delta_n>+ n + K_n <delta_n>- n + (1 - D) K_t delta_t, with delta_n = jump . n
    and delta_t = jump - delta_n n; the law in the caller's units."""
    dn = ufl.dot(jump, n)
    kn, kt = law.normal_stiffness, law.tangential_stiffness
    # one conditional (not max + min): its derivative at delta_n = 0 is the contact stiffness
    # K_n, where max_value(dn, 0) + min_value(dn, 0) would differentiate to 0 on both sides
    opening = kn * dn * ufl.conditional(ufl.gt(dn, 0.0), 1 - damage, 1.0)
    return opening * n + (1 - damage) * kt * (jump - dn * n)

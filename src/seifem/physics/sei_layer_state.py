"""Inelastic, damaging SEI layers inside a solve: the incremental form of the laws of
`physics.sei_inelastic` for a layered membrane on an equibiaxially stretched surface.

Each layer i (inside out) has its own law (elastic, standard linear solid, elastic-perfectly-
plastic), thickness h_i [m], biaxial moduli M = E/(1 - nu) [Pa], reference strain e_ref,i (the
surface strain at which it formed) and damage D_i in [0, 1) (the cracked area fraction). Over a
step of length dt the intact layer's stress is affine in the end-of-step surface strain e:

    elastic:  sigma = M (e - e_ref)
    SLS:      sigma = M_inf (e - e_ref) + q_n exp(-dt/tau) + M_1 g (e - e_n),  g = tau/dt (1 - exp(-dt/tau))
              (the exponential integrator of sei_inelastic, exact for e linear over the step)
    plastic:  sigma = M (e - e_ref - e_p)      (elastic)   or   sigma = +-sigma_y   (yielding)

so the membrane's resultant is N = S e - T with S = sum h_i (1 - D_i) k_i and
T = -sum h_i (1 - D_i) s_i (k_i, s_i: slope and offset of layer i); the linear solve takes it
as a stiffness and a prestress (`reduced.radial.RadialProblem.set_membrane`). The plastic
layers' yield status is an active set: solve, return-map every layer at the new strain, and
solve again if a status changed (`LayeredMembraneState.statuses`), which is exact for
perfect plasticity because every other part of the 1D problem is linear.

Damage (the damaging membrane): a layer whose intact stress exceeds its strength cracks over
an area fraction by Weibull's weakest-link law, D_i = max over the history of
1 - exp[-(sigma_i/sigma_s,i)^m]  (sigma_i > 0, m the Weibull modulus); cracked area carries no
stress (the layer's stiffness is (1 - D_i) M_i). The particle is exposed where every layer is
cracked (`cracked_fraction`); what that costs is counted by `physics.sei_cracks`.

The SEI grown after the layers formed (`LayeredMembraneState.grow`) is an elastic, intact part
of biaxial modulus M_g whose increments are stress-free at the surface strain they grew in: it
adds M_g h_g to S and M_g sum(dh e_form) to T, so the membrane stiffens as the film thickens.

Default strength of a layer without one (`channel_cracking_strength`): the stress at which a
channel crack runs through a thin film bonded to a substrate of similar stiffness,
G = Z sigma^2 h / E' = Gamma with Z = 1.976 and E' = E/(1 - nu^2) (Beuth, Int. J. Solids
Struct. 29, 1657 (1992); Hutchinson & Suo, Adv. Appl. Mech. 29, 63 (1992)):
sigma_c = sqrt(Gamma E' / (Z h)). Thin and compliant layers are stronger in strain.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from seifem.physics.layered_membrane import SEILayer
from seifem.physics.sei_inelastic import ElasticPlastic, StandardLinearSolid, biaxial

__all__ = ["CHANNEL_Z", "WEIBULL_MODULUS", "LayerState", "LayeredMembraneState", "channel_cracking_strength"]

CHANNEL_Z = 1.976
"""Channel-cracking coefficient of a film on a substrate of equal stiffness (Beuth 1992)."""


def channel_cracking_strength(E: float, nu: float, h: float, fracture_energy: float) -> float:
    """sigma_c = sqrt(Gamma E/(1 - nu^2) / (Z h)) [Pa] of a film of thickness h [m] (see module)."""
    return math.sqrt(fracture_energy * E / (1 - nu * nu) / (CHANNEL_Z * h))

WEIBULL_MODULUS = 6.0
"""Weibull modulus m of the SEI layers' strength [-]: brittle ceramic films scatter with
m ~ 5-10 [estimate]; m -> infinity is a sharp strength."""


@dataclass
class LayerState:
    """One layer and its internal variables: q [Pa] (SLS viscous stress), e_p [-] (plastic
    strain), e [-] (surface strain at the last committed step), damage [-], peak [Pa] (largest
    intact tensile stress so far), status (plastic: 0 elastic, +1/-1 yielding in tension/compression)."""

    layer: SEILayer
    law: StandardLinearSolid | ElasticPlastic | None = None
    q: float = 0.0
    e_p: float = 0.0
    e: float = 0.0
    damage: float = 0.0
    peak: float = 0.0
    status: int = 0

    def __post_init__(self):
        self.e = self.layer.reference_strain

    def affine(self, dt: float) -> tuple[float, float]:
        """(k [Pa], s [Pa]): the intact stress over the next step is k e + s."""
        L, nu, law = self.layer, self.layer.poisson_ratio, self.law
        if law is None:
            M = biaxial(L.youngs_modulus, nu)
            return M, -M * L.reference_strain
        if isinstance(law, StandardLinearSolid):
            Mi, M1 = biaxial(law.E_inf, nu), biaxial(law.E_1, nu)
            x = dt / law.tau
            g = -math.expm1(-x) / x if x > 1e-12 else 1.0 - x / 2
            k = Mi + M1 * g
            return k, -Mi * L.reference_strain + self.q * math.exp(-x) - M1 * g * self.e
        M = biaxial(law.E, nu)
        if self.status:
            return 0.0, self.status * law.yield_stress
        return M, -M * (L.reference_strain + self.e_p)

    def stress(self, e: float, dt: float) -> float:
        """Intact stress [Pa] at the end-of-step strain e (not committed)."""
        k, s = self.affine(dt)
        return k * e + s

    def update_status(self, e: float) -> bool:
        """Return-map a plastic layer at the strain e; True if its yield status changed."""
        law = self.law
        if not isinstance(law, ElasticPlastic):
            return False
        M = biaxial(law.E, self.layer.poisson_ratio)
        trial = M * (e - self.layer.reference_strain - self.e_p)  # elastic predictor from the last e_p
        new = 0 if abs(trial) <= law.yield_stress else (1 if trial > 0 else -1)
        changed, self.status = new != self.status, new
        return changed

    def commit(self, e: float, dt: float, weibull: float | None) -> float:
        """End the step at the strain e: update q / e_p, the peak and (Weibull modulus given) the
        damage. Returns the intact stress [Pa]."""
        sigma = self.stress(e, dt)
        if isinstance(self.law, StandardLinearSolid):
            self.q = sigma - biaxial(self.law.E_inf, self.layer.poisson_ratio) * (e - self.layer.reference_strain)
        elif isinstance(self.law, ElasticPlastic) and self.status:
            M = biaxial(self.law.E, self.layer.poisson_ratio)
            self.e_p = e - self.layer.reference_strain - sigma / M
        self.e = e
        self.peak = max(self.peak, sigma)
        if weibull is not None and self.layer.strength and sigma > 0:
            x = min((sigma / self.layer.strength) ** weibull, 30.0)  # D <= 1 - 1e-13: an intact sliver
            self.damage = max(self.damage, -math.expm1(-x))
        return sigma


@dataclass
class LayeredMembraneState:
    """The layers of a membrane SEI inside a solve (see the module docstring); `damaging`
    False keeps every layer intact (peaks are still recorded)."""

    layers: list[LayerState] = field(default_factory=list)
    damaging: bool = True
    weibull: float = WEIBULL_MODULUS
    grown_modulus: float = 0.0
    """Biaxial modulus M_g [Pa] of the SEI grown after the layers formed (see `grow`)."""
    grown_thickness: float = 0.0
    """Thickness h_g [m] grown so far."""
    grown_formed: float = 0.0
    """Integral of the surface strain at formation over the grown thickness, I = sum dh e_form [m]."""

    @classmethod
    def of(cls, layers: Sequence[SEILayer], laws: Sequence | None = None, damaging: bool = True,
           weibull: float = WEIBULL_MODULUS, grown_modulus: float = 0.0) -> LayeredMembraneState:
        laws = list(laws) if laws is not None else [None] * len(layers)
        return cls([LayerState(L, law) for L, law in zip(layers, laws)], damaging, weibull, grown_modulus)

    def grow(self, dh: float, e: float) -> None:
        """The film thickened by dh [m] at the surface strain e [-]: the new SEI is elastic (biaxial
        modulus `grown_modulus`), stress-free in the shape it grows in, and intact, so the grown
        part adds N_g = M_g (h_g e - I) to the resultant: the stiffness grows with the thickness
        (the thin-shell closed form `analytic.bilayer` with one sublayer per increment, each with
        its own reference strain)."""
        if dh > 0:
            self.grown_thickness += dh
            self.grown_formed += dh * e

    def grown_stress(self, e: float) -> float:
        """Mean stress [Pa] of the grown SEI at the surface strain e (0 before any growth)."""
        h = self.grown_thickness
        return self.grown_modulus * (e - self.grown_formed / h) if h > 0 else 0.0

    def resultant(self, dt: float) -> tuple[float, float]:
        """(S [N/m], T [N/m]) of N = S e - T over the next step (cracked area carries nothing; the
        grown SEI carries M_g (h_g e - I))."""
        S, T = self.grown_modulus * self.grown_thickness, self.grown_modulus * self.grown_formed
        for s in self.layers:
            k, off = s.affine(dt)
            w = s.layer.thickness * (1.0 - s.damage)
            S, T = S + w * k, T - w * off
        return S, T

    def statuses(self, e: float) -> bool:
        """Return-map the plastic layers at e; True if any yield status changed (solve again)."""
        return any([s.update_status(e) for s in self.layers])  # noqa: C419 (every layer must update)

    def commit(self, e: float, dt: float) -> list[float]:
        """End the step at the surface strain e; the intact stress of each layer [Pa]."""
        return [s.commit(e, dt, self.weibull if self.damaging else None) for s in self.layers]

    def cracked_fraction(self) -> float:
        """Area fraction [-] where a crack runs through the whole film, exposing the particle: the
        product of the layers' damage (cracks of different layers placed independently; the
        electrolyte reaches the particle only where every layer is cracked, so an intact ductile
        layer bridges the cracks of a brittle one)."""
        return math.prod(s.damage for s in self.layers) if self.layers else 0.0

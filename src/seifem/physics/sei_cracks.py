"""SEI growth on a particle whose film cracks: the intact film and the fresh SEI that heals the
cracks, and the lithium each takes (the damaging membrane's bookkeeping, one surface state).

The surface (area A [m^2]) carries the film of mean thickness L (growth law of
`physics.sei_growth`, from its initial thickness). Where the film cracked (area fraction X,
`physics.sei_layer_state.LayeredMembraneState.cracked_fraction`, non-decreasing) the particle
is exposed and heals with fresh SEI: the crack SEI has the mean thickness L_c over X A, grows
by the same law, and newly exposed area joins it at the fresh thickness L_f
(`SEIGrowthParameters.fresh_thickness`) by area weighting (volume conserved, as PyBaMM's SEI on
cracks). The cracked old film stays where it is (its lithium stays lost) and keeps growing.

Cracks reopen: the crack SEI formed stress-free at the surface strain e_h (area-weighted over
the healing); when the surface strain leaves e_h by more than the film's failure strain
`reopen_strain` (stretched: the healed crack opens again; compressed: the thin film buckles off,
a stated symmetric choice), the crack SEI breaks, its volume
is dead (its lithium stays lost), the crack area is bare and heals again at the fresh thickness,
with e_h = e. This is the reset-on-failure rule of `physics.sei_growth.SEIGrowth` applied to the
crack SEI; it is what makes the loss to cracks recur every cycle. `reopen_strain` None: healed
cracks hold.

Lithium taken over a step, z/V [A delta L + A delta(X L_c)] [mol]: the first term is the SEI's
loss, the second the crack SEI's (the fresh SEI feeds capacity fade and Coulombic efficiency).
Each growth is exact over a step at a constant overpotential and temperature.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from seifem.physics.sei_growth import SEIGrowthParameters, advance_thickness, sei_overpotential

__all__ = ["CrackFaceSEI", "CrackedFilm"]


@dataclass
class CrackedFilm:
    """Film state on a surface of area `area` [m^2]: thickness L [m], cracked fraction X [-],
    crack-SEI thickness L_c [m], lithium taken so far by the film and by the crack SEI [mol]."""

    area: float
    params: SEIGrowthParameters
    law: str = "solvent-diffusion"
    L: float = -1.0
    X: float = 0.0
    Lc: float = 0.0
    lost_sei_mol: float = 0.0
    lost_crack_mol: float = 0.0
    reopen_strain: float | None = None
    e_heal: float = 0.0
    dead: float = 0.0

    def __post_init__(self):
        if self.L < 0:
            self.L = self.params.initial_thickness

    def grow(self, dt: float, exposed: float, eta: float = 0.0, temperature: float | None = None,
             strain: float = 0.0) -> tuple[float, float]:
        """Grow over dt [s] at the SEI overpotential eta [V], then let the cracked fraction rise to
        `exposed` [-] (it never falls) and reopen the healed cracks if the surface strain [-] has
        stretched them past `reopen_strain`. Returns the lithium taken (film, crack SEI) [mol]."""
        p, k = self.params, self.params.z * self.area / self.params.molar_volume
        L = float(advance_thickness(self.L, dt, self.law, p, eta, temperature))
        Lc = float(advance_thickness(self.Lc, dt, self.law, p, eta, temperature)) if self.X > 0 else 0.0
        X = max(self.X, float(np.clip(exposed, 0.0, 1.0)))
        dead = self.dead
        if self.X > 0 and self.reopen_strain is not None and abs(strain - self.e_heal) > self.reopen_strain:
            dead += self.X * Lc  # the old crack SEI breaks off; the area heals afresh at this strain
            Lc, self.e_heal = p.fresh_thickness, strain
        if X > self.X:
            self.e_heal = (self.e_heal * self.X + strain * (X - self.X)) / X
            Lc = (Lc * self.X + p.fresh_thickness * (X - self.X)) / X
        d_sei, d_crack = k * (L - self.L), k * (X * Lc + dead - self.X * self.Lc - self.dead)
        self.L, self.Lc, self.X, self.dead = L, Lc, X, dead
        self.lost_sei_mol += d_sei
        self.lost_crack_mol += d_crack
        return d_sei, d_crack

    @property
    def lost_mol(self) -> float:
        return self.lost_sei_mol + self.lost_crack_mol

    def state(self) -> dict[str, float]:
        """The slowly varying state (for cycle jumping)."""
        return {"L": self.L, "X": self.X, "Lc": self.Lc, "dead": self.dead, "lost_sei_mol": self.lost_sei_mol,
                "lost_crack_mol": self.lost_crack_mol}


@dataclass
class CrackFaceSEI:
    """SEI on the faces of cracks open to the electrolyte (`problem.crack_faces`): covered area
    A [m^2], its mean thickness L [m], the lithium it took [mol].

    The covered area never decreases (a crack that closes keeps its film). Per step, the film
    on A grows by the law (exact at constant eta, T), then newly opened face area joins at the
    fresh thickness L_f by area weighting (volume conserved, as `CrackedFilm`'s crack SEI). The
    lithium taken over the step is z/V [A' L' - A L] (the fresh seed's included)."""

    params: SEIGrowthParameters
    law: str = "solvent-diffusion"
    area: float = 0.0
    L: float = 0.0
    lost_mol: float = 0.0

    def grow(self, dt: float, open_area: float, eta: float = 0.0, temperature: float | None = None) -> float:
        """Grow over dt [s] at the SEI overpotential eta [V] and cover the open face area [m^2];
        return the lithium taken [mol]."""
        p = self.params
        L = float(advance_thickness(self.L, dt, self.law, p, eta, temperature)) if self.area > 0 else 0.0
        A = max(self.area, float(open_area))
        if A > self.area:
            L = (L * self.area + p.fresh_thickness * (A - self.area)) / A
        taken = p.z / p.molar_volume * (A * L - self.area * self.L)
        self.area, self.L, self.lost_mol = A, L, self.lost_mol + taken
        return taken

    def grow_at_potential(self, dt: float, open_area: float, electrode_potential: float) -> float:
        """`grow` at the SEI overpotential of the electrode potential [V] (no current term)."""
        return self.grow(dt, open_area, float(sei_overpotential(electrode_potential, self.params)))

    def state(self) -> list[float]:
        return [self.area, self.L, self.lost_mol]

    def set_state(self, state: list[float]) -> None:
        self.area, self.L, self.lost_mol = (float(v) for v in state)

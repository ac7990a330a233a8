"""SEI growth per surface point, the lithium it consumes, Coulombic efficiency and retention.

Growth laws (PyBaMM ``SEIGrowth``, Marquis 2020 sec. 5.6.4; docs/verification.md B6), with
dL/dt = -V j_sei/(F z) and the Arrhenius factor A(T) = exp[E_sei/R (1/T_ref - 1/T)]:

* ``"reaction"`` (reaction limited): dL/dt = k_r = V j0 A exp(-alpha F eta/(R T))/(F z), linear in t;
* ``"solvent-diffusion"`` (solvent-diffusion limited): dL/dt = k_d / L, k_d = V D_sol c_sol A / z,
  so L^2 grows by 2 k_d t: the sqrt(t) law.

Both are integrated exactly over a step (eta and T held at the step's values), so a run's
thickness does not depend on how the time is cut into steps.

Failure and surface stretch (docs/physics.md "SEI and coating": "extra growth on area whose SEI
failed"). Per point the state is a mean thickness L over the area A the SEI covers; new SEI
mixes in by area weighting, as PyBaMM's SEI-on-cracks spreading term dL/dt = (dA/dt / A)(L_0,cr - L)
does, with fresh SEI of thickness ``fresh_thickness`` (OKane2022 "Initial outer SEI on cracks
thickness", 5e-13 m). Chosen model:

* **reset on failure**: when a point's ``failed`` flag rises (False -> True), a fraction
  ``crack_exposure`` (default 1: a full reset of L to the fresh thickness) of its SEI spalls
  off; that SEI is dead (its lithium stays lost) and the bare area re-forms fresh SEI. With
  the sqrt(t) law the thin fresh film then grows fast (dL/dt ~ 1/L): that is the extra growth.
  A rate factor on failed points was not chosen: it has no measured value, and its effect
  would depend on how long the flag stays raised rather than on how much surface is exposed.
* **newly exposed area**: with the surface area ratio J_s = A/A_0 (1 + tr eps_s in small
  strain), area growth at failed points (``exposure="failed"``, default) or everywhere
  (``exposure="all"``, an inextensible SEI) is bare and forms fresh SEI. Intact SEI stretches
  elastically with the surface (the membrane model), as does all SEI under contraction:
  its volume is conserved, L A = const.

Order within a step: growth over dt, then the failure reset, then the area change (failure
flags and J_s are those at the step's end). Lithium consumed per step is
n = z [delta(L A) + delta(dead SEI volume)] / V [mol]; all of it is lost capacity.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from seifem.units import FARADAY, GAS_CONSTANT

__all__ = ["LAWS", "SEIGrowthParameters", "arrhenius", "sei_overpotential", "growth_rate",
           "advance_thickness", "SEIGrowth", "coulombic_efficiency", "lost_charge",
           "capacity_retention", "inventory_retention"]

LAWS = ("reaction", "solvent-diffusion")


@dataclass(frozen=True)
class SEIGrowthParameters:
    """SEI growth parameters, SI; defaults from PyBaMM ``OKane2022.py`` (docs/materials.md M4, B6).

    molar_volume: SEI partial molar volume V [m^3 mol^-1]; z: Li moles per SEI mole [-];
    j0: SEI reaction exchange current density [A m^-2]; alpha: transfer coefficient [-]
    (PyBaMM's symmetric "reaction limited" uses 0.5); ocp: SEI open-circuit potential U_sei [V];
    resistivity: R_sei [Ohm m]; solvent_diffusivity: D_sol [m^2 s^-1]; solvent_concentration:
    c_sol [mol m^-3]; activation_energy: E_sei [J mol^-1]; reference_temperature: T_ref [K];
    initial_thickness: L_0 [m] (outer SEI); fresh_thickness: SEI on freshly exposed surface [m]
    ("Initial outer SEI on cracks thickness"); crack_exposure: fraction of a failing point's SEI
    replaced by fresh SEI [-] ([estimate], 1 = full reset).
    """

    molar_volume: float = 9.585e-5
    z: float = 1.0
    j0: float = 1.5e-7
    alpha: float = 0.5
    ocp: float = 0.4
    resistivity: float = 2e5
    solvent_diffusivity: float = 2.5e-22
    solvent_concentration: float = 2636.0
    activation_energy: float = 38e3
    reference_temperature: float = 298.15
    initial_thickness: float = 5e-9
    fresh_thickness: float = 5e-13
    crack_exposure: float = 1.0

    def __post_init__(self):
        for name in ("molar_volume", "z", "reference_temperature", "fresh_thickness"):
            if not getattr(self, name) > 0:
                raise ValueError(f"SEIGrowthParameters.{name} must be > 0")
        if not 0.0 <= self.crack_exposure <= 1.0:
            raise ValueError("SEIGrowthParameters.crack_exposure must be in [0, 1]")


def arrhenius(T: ArrayLike, p: SEIGrowthParameters) -> np.ndarray:
    """exp[E_sei/R (1/T_ref - 1/T)] [-], T [K]."""
    return np.exp(p.activation_energy / GAS_CONSTANT * (1 / p.reference_temperature - 1 / np.asarray(T)))


def sei_overpotential(delta_phi: ArrayLike, p: SEIGrowthParameters, current_density: ArrayLike = 0.0,
                      thickness: ArrayLike = 0.0) -> np.ndarray:
    """eta_SEI = delta_phi - U_sei - j L R_sei [V] (PyBaMM): delta_phi = phi_s - phi_e [V],
    j the main interfacial current density [A m^-2], L the SEI thickness [m]."""
    return np.asarray(delta_phi) - p.ocp - np.asarray(current_density) * np.asarray(thickness) * p.resistivity


def growth_rate(law: str, p: SEIGrowthParameters, eta: ArrayLike = 0.0,
                T: ArrayLike | None = None) -> np.ndarray:
    """Rate constant: k_r = dL/dt [m s^-1] ("reaction", eta [V]) or k_d = L dL/dt [m^2 s^-1]
    ("solvent-diffusion"); T [K] (default T_ref)."""
    T = p.reference_temperature if T is None else T
    a = arrhenius(T, p)
    if law == "reaction":
        kin = np.exp(-p.alpha * FARADAY * np.asarray(eta) / (GAS_CONSTANT * np.asarray(T)))
        return p.molar_volume * p.j0 * a * kin / (FARADAY * p.z)
    if law == "solvent-diffusion":
        return p.molar_volume * p.solvent_diffusivity * p.solvent_concentration * a / p.z
    raise ValueError(f"unknown SEI growth law {law!r}; expected one of {LAWS}")


def advance_thickness(L: ArrayLike, dt: float, law: str, p: SEIGrowthParameters,
                      eta: ArrayLike = 0.0, T: ArrayLike | None = None) -> np.ndarray:
    """Thickness [m] after dt [s] from L [m], exact for eta, T constant over the step:
    L + k_r dt ("reaction") or sqrt(L^2 + 2 k_d dt) ("solvent-diffusion")."""
    if dt < 0:
        raise ValueError(f"dt must be >= 0, got {dt}")
    k = growth_rate(law, p, eta, T)
    L = np.asarray(L, dtype=float)
    return L + k * dt if law == "reaction" else np.sqrt(L * L + 2 * k * dt)


class SEIGrowth:
    """SEI thickness L [m] over surface points with reference areas ``area`` [m^2].

    Attributes: ``L`` [m] mean thickness, ``area`` [m^2] current covered area, ``dead_volume``
    [m^3] spalled SEI per point, ``failed`` the last failure flags, ``lost_mol`` cumulative
    lithium consumed [mol] since construction. See the module docstring for the model.
    """

    def __init__(self, area: ArrayLike, params: SEIGrowthParameters | None = None,
                 law: str = "solvent-diffusion", thickness: ArrayLike | None = None,
                 exposure: str = "failed"):
        if law not in LAWS:
            raise ValueError(f"unknown SEI growth law {law!r}; expected one of {LAWS}")
        if exposure not in ("failed", "all"):
            raise ValueError(f"exposure must be 'failed' or 'all', got {exposure!r}")
        self.p = params or SEIGrowthParameters()
        self.law, self.exposure = law, exposure
        self.area0 = np.array(area, dtype=float)
        if np.any(self.area0 < 0):
            raise ValueError("areas must be >= 0")
        self.area = self.area0.copy()
        L0 = self.p.initial_thickness if thickness is None else thickness
        self.L = np.array(np.broadcast_to(L0, self.area0.shape), dtype=float)
        self.dead_volume = np.zeros_like(self.area0)
        self.failed = np.zeros(self.area0.shape, dtype=bool)
        self.lost_mol = 0.0

    def sei_volume(self) -> np.ndarray:
        """SEI volume per point, live and dead [m^3]."""
        return self.L * self.area + self.dead_volume

    def sei_mol(self) -> float:
        """SEI moles on this set of points, live and dead [mol]."""
        return float(self.sei_volume().sum()) / self.p.molar_volume

    def step(self, dt: float, eta: ArrayLike = 0.0, temperature: ArrayLike | None = None,
             area_ratio: ArrayLike | None = None, failed: ArrayLike | None = None) -> np.ndarray:
        """Advance by dt [s]; return the lithium consumed per point in this step [mol].

        eta: SEI overpotential [V] ("reaction" law); temperature [K]; area_ratio: J_s = A/A_0
        at the step's end [-]; failed: failure flags at the step's end (e.g. failure.failed_mask).
        """
        p = self.p
        before = self.sei_volume()
        self.L = advance_thickness(self.L, dt, self.law, p, eta, temperature)
        if failed is not None:
            failed = np.broadcast_to(np.asarray(failed, dtype=bool), self.L.shape)
            new, phi = failed & ~self.failed, p.crack_exposure
            self.dead_volume[new] += phi * self.L[new] * self.area[new]
            self.L[new] = (1 - phi) * self.L[new] + phi * p.fresh_thickness
            self.failed = failed.copy()
        if area_ratio is not None:
            J = np.broadcast_to(np.asarray(area_ratio, dtype=float), self.L.shape)
            if not np.all(J > 0):
                raise ValueError("area_ratio must be > 0")
            A = self.area0 * J
            bare = A > self.area
            if self.exposure == "failed":
                bare &= self.failed
            vol = self.L * self.area + np.where(bare, (A - self.area) * p.fresh_thickness, 0.0)
            self.L = np.divide(vol, A, out=self.L.copy(), where=A > 0)
            self.area = A
        dn = p.z * (self.sei_volume() - before) / p.molar_volume
        self.lost_mol += float(dn.sum())
        return dn


# ----------------------------------------------------------------------------- capacity
def coulombic_efficiency(charge_in: ArrayLike, charge_out: ArrayLike) -> np.ndarray:
    """Q_out / Q_in [-] per cycle (for an anode: delithiation over lithiation charge; any
    common unit, C or mAh)."""
    return np.asarray(charge_out, dtype=float) / np.asarray(charge_in, dtype=float)


def lost_charge(lost_mol: ArrayLike) -> np.ndarray:
    """Charge of the lithium consumed, F n [C] (monovalent Li+/Na+/K+)."""
    return FARADAY * np.asarray(lost_mol, dtype=float)


def capacity_retention(efficiencies: ArrayLike) -> np.ndarray:
    """Capacity after each cycle over the initial one, cumprod(CE) [-], for a cell whose
    capacity is limited by its cyclable lithium (each cycle returns CE of what went in)."""
    return np.cumprod(np.asarray(efficiencies, dtype=float))


def inventory_retention(lost_per_cycle: ArrayLike, inventory: float) -> np.ndarray:
    """1 - cumsum(lost)/inventory [-]: cyclable lithium left after each cycle (same units)."""
    return 1.0 - np.cumsum(np.asarray(lost_per_cycle, dtype=float)) / inventory

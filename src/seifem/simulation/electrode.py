"""The electrode's voltage and capacity, from the particle's surface state and the current.

    voltage_V      electrode potential against the guest metal (V vs Li/Li+, Na/Na+, K/K+)
    ocp_V          open-circuit potential U at the mean surface filling fraction (the branch of
                   the current direction; plus Omega sigma_h / F at the surface with two-way coupling)
    capacity_mAh_g ions in the particle per mass of active material (theta_mean x theoretical capacity)

With `electrochemistry.kinetics = "uniform"` the current density is uniform over the surface
and the voltage is that of the single-particle model: V = U(theta_s) + eta(i) - i R_film with
eta from inverting Butler-Volmer at the mean surface state, exact for a sphere (every surface
point alike) and the standard SPM reduction otherwise. With local Butler-Volmer kinetics the
voltage comes from the problem (`ParticleProblem.voltage`).
"""

from __future__ import annotations

from dataclasses import dataclass

from seifem.materials import specific_capacity
from seifem.physics.electrochemistry import arrhenius, exchange_current, overpotential
from seifem.simulation.state import ElectrodeState
from seifem.units import FARADAY, SCALES

__all__ = ["Electrode", "SurfaceState"]


class Electrode:
    """Voltage columns of one case. `volume_to_area`: core volume over flux area of the
    discrete particle (model length unit, um), which turns a C-rate into a current density."""

    def __init__(self, case, volume_to_area: float):
        self.case = case
        mat = case.particle.material
        self.enabled = case.electrochemistry.kinetics != "none"
        self.capacity = specific_capacity(mat) if "density" in mat.values else None  # mAh/g
        if not self.enabled:
            return
        self.ocp, T = mat.ocp, case.physics.temperature
        Ea = mat.si("reaction_activation_energy") if "reaction_activation_energy" in mat.values else 0.0
        self.i0_ref = mat.si("exchange_current_density") * arrhenius(Ea, T)
        self.T, self.alpha = T, case.electrochemistry.transfer_coefficient
        # A/m^2 per unit C-rate: c_max F (V/A) / 3600 s
        self.i_per_c_rate = mat.si("max_concentration") * FARADAY * volume_to_area * SCALES.length / 3600.0
        # the path-dependent OCP of a crystalline phase (Si: c-Li15Si4) with the phase model only
        self.tracks_phase = case.particle.expansion == "phases" and self.ocp.crystalline is not None
        self.omega = mat.si("partial_molar_volume") if case.physics.coupling == "two-way" else 0.0
        sei = case.sei
        self.resistivity = sei.material.si("resistivity") if sei is not None and "resistivity" in sei.material.values else 0.0

    def crystalline_after(self, crystalline: bool, surface: SurfaceState, direction: int) -> bool:
        """Whether the particle holds the crystalline phase at `surface`, reached in `direction`
        from a state that did (`crystalline`): the material's history rule
        (`OpenCircuitPotential.crystalline_after`) with `particle.expansion = "phases"`, else False."""
        if not (self.enabled and self.tracks_phase):
            return False
        return self.ocp.crystalline_after(crystalline, surface.soc_mean, direction)

    def open_circuit(self, surface: SurfaceState, direction: int, crystalline: bool = False) -> float:
        """U at the mean surface filling fraction on the branch of `direction` (+1/-1; the
        crystalline phase's delithiation plateau where `crystalline`), plus Omega sigma_h / F at
        the surface with two-way coupling (V)."""
        U = float(self.ocp.numpy(surface.soc_mean, direction, crystalline))
        return U + self.omega * surface.sigma_h_MPa * 1e6 / FARADAY

    def read(self, surface: SurfaceState, c_rate: float, direction: int, bv_voltage: float | None,
             film_thickness_nm: float | None, crystalline: bool = False) -> ElectrodeState:
        """The electrode at a state: its voltage, OCP and capacity at the signed electrode C-rate
        of the step; direction +1/-1 picks the OCP branch; `bv_voltage` is the problem's own
        voltage with local Butler-Volmer kinetics; `film_thickness_nm` the grown SEI's mean
        thickness (None: the case's thickness); `crystalline`: the particle holds the crystalline
        phase (`crystalline_after`)."""
        capacity = surface.soc * self.capacity if self.capacity is not None else None
        if not self.enabled:
            return ElectrodeState(c_rate, capacity_mAh_g=capacity)
        U = self.open_circuit(surface, direction, crystalline)
        if bv_voltage is not None:
            V = bv_voltage
        else:
            i = c_rate * self.i_per_c_rate
            if film_thickness_nm is None:
                film_thickness_nm = self.case.sei.thickness * 1e9 if self.case.sei else 0.0
            eta = float(overpotential(i, float(exchange_current(self.i0_ref, surface.soc_mean)), self.T, self.alpha))
            V = U + eta - i * self.resistivity * film_thickness_nm * 1e-9
        return ElectrodeState(c_rate, V, U, capacity)


@dataclass(frozen=True)
class SurfaceState:
    """What the electrode needs of the particle: mean filling fraction `soc`, mean surface
    filling fraction `soc_mean`, mean hydrostatic stress at the surface (MPa)."""

    soc: float
    soc_mean: float
    sigma_h_MPa: float = 0.0

    @classmethod
    def of(cls, scalars: dict[str, float]) -> SurfaceState:
        """From a model's scalars (`Model.scalars()`)."""
        return cls(scalars["soc"], scalars["surface_soc_mean"], scalars.get("surface_sigma_h_MPa", 0.0))

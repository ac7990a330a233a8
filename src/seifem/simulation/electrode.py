"""The electrode's voltage and capacity for the history, from a history row and the current.

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

from seifem.materials import specific_capacity
from seifem.physics.electrochemistry import arrhenius, exchange_current, overpotential
from seifem.units import FARADAY, SCALES

__all__ = ["Electrode"]


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
        self.omega = mat.si("partial_molar_volume") if case.physics.coupling == "two-way" else 0.0
        sei = case.sei
        self.resistivity = sei.material.si("resistivity") if sei is not None and "resistivity" in sei.material.values else 0.0

    def columns(self, row: dict, c_rate: float, direction: int, bv_voltage: float | None = None) -> dict:
        """voltage_V, ocp_V, capacity_mAh_g for a row (needs soc, surface_soc_mean) at the signed
        electrode C-rate of the step; direction +1/-1 picks the OCP branch."""
        out = {}
        if self.capacity is not None:
            out["capacity_mAh_g"] = row["soc"] * self.capacity
        if not self.enabled:
            return out
        theta_s = row["surface_soc_mean"]
        U = float(self.ocp.numpy(theta_s, direction)) + self.omega * row.get("surface_sigma_h_MPa", 0.0) * 1e6 / FARADAY
        if bv_voltage is not None:
            V = bv_voltage
        else:
            i = c_rate * self.i_per_c_rate
            thickness = row.get("sei_thickness_mean_nm", self.case.sei.thickness * 1e9 if self.case.sei else 0.0) * 1e-9
            eta = float(overpotential(i, float(exchange_current(self.i0_ref, theta_s)), self.T, self.alpha))
            V = U + eta - i * self.resistivity * thickness
        return {"voltage_V": V, "ocp_V": U, **out}

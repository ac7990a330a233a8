"""One particle cycled with its SEI: the stepping of a cycle-life run (`simulation.cycle_life`,
whose docstring states the model): the 1D twin, the layered membrane inside its mechanics, the
growing and cracking film, the counter electrode's inventory, cut-offs landed by regula falsi
(Illinois), and the slowly varying state that cycle jumping extrapolates.
"""

from __future__ import annotations

import copy
import logging

import numpy as np
from mpi4py import MPI

from seifem.case.cycling import CycleLife
from seifem.physics.layered_membrane import SEILayer
from seifem.physics.sei_cracks import CrackedFilm
from seifem.physics.sei_growth import SEIGrowthParameters, sei_overpotential
from seifem.physics.sei_inelastic import biaxial
from seifem.physics.sei_layer_state import LayeredMembraneState, channel_cracking_strength
from seifem.reduced.radial import RadialProblem, design_from_case
from seifem.simulation.cutoffs import regula_falsi
from seifem.simulation.electrode import Electrode, SurfaceState
from seifem.units import FARADAY, SCALES

log = logging.getLogger(__name__)

__all__ = ["MAX_ACTIVE_SET", "SOC_TOL", "Cell", "sei_layers_of", "twin"]

SOC_TOL, VOLTAGE_TOL, INVENTORY_TOL = 1e-6, 1e-3, 1e-6
"""Cut-off tolerances: mean filling fraction [-], voltage [V], inventory over the full core [-]."""
MAX_ACTIVE_SET = 6


def sei_layers_of(case) -> list[SEILayer]:
    """The case's SEI layers (inside out) with a strength each: the layer's own (`strength`), else
    its channel-cracking strength with the SEI material's fracture energy
    (`physics.sei_layer_state.channel_cracking_strength`), else E times its elastic strain limit."""
    mat = case.sei.material
    gamma = mat.si("fracture_energy") if "fracture_energy" in mat.values else None
    eps = mat.si("elastic_strain_limit") if "elastic_strain_limit" in mat.values else None
    layers = list(case.sei_layers) or [SEILayer(case.sei.thickness, mat.si("youngs_modulus"),
                                                mat.si("poisson_ratio"), "sei")]
    out = []
    for L in layers:
        strength = L.strength
        if strength is None and gamma:
            strength = channel_cracking_strength(L.youngs_modulus, L.poisson_ratio, L.thickness, gamma)
        elif strength is None and eps:
            strength = L.youngs_modulus * eps
        out.append(SEILayer(L.thickness, L.youngs_modulus, L.poisson_ratio, L.name, strength, L.reference_strain))
    return out


def twin(case, model: str, comm: MPI.Comm):
    """(problem, mol at theta = 1, SEI area [m^2]) of the twin a cycle-life run steps: "1d" the
    radial twin (on COMM_SELF: every rank the same), "2d" the axisymmetric twin with a settable
    membrane (`reduced.axisym_membrane`) distributed over `comm`, meshed by the case's
    geometry.mesh_size / surface_mesh_size / order (the default 3D mesh sizes: radius/6, half that)."""
    L = SCALES.length
    design = design_from_case(case, time_scheme="euler")
    if model == "1d":
        p = RadialProblem(design, MPI.COMM_SELF)
        return p, p.c_max * p.core_volume * L**3 * 4 * np.pi, 4 * np.pi * (p.breaks[-1] * L) ** 2
    from seifem.reduced.axisym_membrane import AxisymMembraneProblem

    g = case.geometry
    p = AxisymMembraneProblem(design, comm, aspect_ratio=g.aspect_ratio, mesh_size=g.mesh_size / L,
                              surface_mesh_size=g.surface_mesh_size / L, order=g.order)
    return p, p.c_max * p.core_volume * L**3, p.sei_area * L**2


class Cell:
    """The particle, its SEI and the counter electrode's inventory, stepped together."""

    def __init__(self, case, spec: CycleLife, laws, layers, comm: MPI.Comm = MPI.COMM_SELF):
        self.spec, self.case = spec, case
        self.p, self.n_full, area = twin(case, spec.model, comm)
        self.layers = layers if layers is not None else sei_layers_of(case)
        if laws is None and layers is None and case.sei_layer_laws:
            laws = case.sei_layer_laws  # the layer tables' laws (sei.layers.N.law)
        mat = case.sei.material  # the grown SEI's moduli (the layers keep theirs)
        self.membrane = LayeredMembraneState.of(self.layers, laws, spec.damaging, spec.weibull,
                                                biaxial(mat.si("youngs_modulus"), mat.si("poisson_ratio")))
        self.L0 = sum(x.thickness for x in self.layers)
        params = SEIGrowthParameters(initial_thickness=self.L0)
        law = {"solvent-diffusion": "solvent-diffusion", "reaction-limited": "reaction"}.get(case.sei_growth)
        self.growth = law is not None
        self.strain = 0.0  # surface strain at the last committed step [-]
        reopen = mat.si("elastic_strain_limit") if spec.damaging and "elastic_strain_limit" in mat.values else None
        self.film = CrackedFilm(area, params, law or "solvent-diffusion",
                                reopen_strain=reopen)
        self.electrode = Electrode(case, self.p.core_volume / self.p.flux_area)
        self.capacity = self.electrode.capacity or float("nan")  # mAh/g at theta = 1
        self.applied = self.ions()
        self.reservoir = float("inf")  # until the first lithiation has ended (then: the inventory left)
        self.direction, self.voltage, self.steps = 1, None, 0
        self.crystalline = False  # the particle holds c-Li15Si4 (`Electrode.crystalline_after`)
        self.stresses = [0.0] * len(self.layers)
        self.history: list[dict] = []

    # --------------------------------------------------------------- state
    def ions(self) -> float:
        return self.p.soc() * self.n_full

    def snapshot(self):
        return (self.p.snapshot(), copy.deepcopy(self.membrane), copy.deepcopy(self.film), self.applied,
                self.reservoir, self.voltage, self.strain, self.crystalline)

    def restore(self, snap) -> None:
        self.p.restore(snap[0])
        self.membrane, self.film = copy.deepcopy(snap[1]), copy.deepcopy(snap[2])
        self.applied, self.reservoir, self.voltage, self.strain, self.crystalline = snap[3:]

    def read_voltage(self, rate: float) -> float | None:
        if not self.electrode.enabled:
            return None
        surface = SurfaceState(self.p.soc(), self.p.surface_soc())
        self.crystalline = self.electrode.crystalline_after(self.crystalline, surface, self.direction)
        return self.electrode.read(surface, rate, self.direction, None, self.film.L * 1e9, self.crystalline).voltage_V

    # --------------------------------------------------------------- stepping
    def step(self, dt: float, rate: float) -> None:
        """One step of length dt [s] at the signed C-rate [1/h] of the electrode current."""
        lost = 0.0
        if self.growth:
            eta = float(sei_overpotential(self.voltage if self.voltage is not None else self.case.sei_potential,
                                          self.film.params))
            lost = sum(self.film.grow(dt, self.membrane.cracked_fraction(), eta, self.case.physics.temperature,
                                      self.strain))
        m, p = self.membrane, self.p
        m.grow(self.film.L - self.L0 - m.grown_thickness, self.strain)  # stiffer as it thickens
        p.set_membrane(*m.resultant(dt))
        p.advance(dt, rate, order=1, sink=lost / dt)
        for _ in range(MAX_ACTIVE_SET):
            if not m.statuses(p.surface_strain()):
                break
            p.set_membrane(*m.resultant(dt))
            p.solve_mechanics()
        self.strain = p.surface_strain()
        self.stresses = m.commit(self.strain, dt)
        charge = rate * self.n_full / 3600.0 * dt
        self.applied += charge
        self.reservoir -= charge
        self.voltage = self.read_voltage(rate)
        self.steps += 1

    def remaining(self, lithiate: bool) -> float:
        """Distance to the nearest cut-off in units of its tolerance (<= 0: reached)."""
        s, soc, V = self.spec, self.p.soc(), self.voltage
        if lithiate:
            out = [(s.soc_max - soc) / SOC_TOL, self.reservoir / self.n_full / INVENTORY_TOL]
            if s.v_min is not None and V is not None:
                out.append((V - s.v_min) / VOLTAGE_TOL)
        else:
            out = [(soc - s.soc_min) / SOC_TOL]
            if s.v_max is not None and V is not None:
                out.append((s.v_max - V) / VOLTAGE_TOL)
        return min(out)

    def half_cycle(self, lithiate: bool) -> float:
        """Charge (or discharge) until a cut-off, then the rest; returns the charge passed [mol]."""
        rate = self.spec.c_rate if lithiate else -(self.spec.c_rate_out or self.spec.c_rate)
        self.direction = 1 if lithiate else -1
        self.p.set_branch(self.direction)
        self.voltage = self.read_voltage(rate)
        q0, dt, t_limit = self.applied, self.spec.dt, 4 * 3600.0 / self.spec.c_rate
        t = 0.0
        while self.remaining(lithiate) > 1.0 and t < t_limit:
            before = self.snapshot()
            self.step(dt, rate)
            g1 = self.remaining(lithiate)
            if g1 <= 1.0:  # reached within this step: land on it (Illinois regula falsi on the step length)
                def redo(d: float, before=before) -> tuple[float, float]:
                    self.restore(before)
                    self.step(d, rate)
                    return d, self.remaining(lithiate)

                landed, _, hi, g = regula_falsi(dt, g1, dt, redo)
                if landed is None:
                    log.warning("cut-off bracketed within %.3g s but %.3g times its tolerance away", hi, g)
                    landed = redo(hi)[0]
                t += landed
                break
            t += dt
        if t >= t_limit:
            log.warning("%s ended after %.1f h without reaching a cut-off", "lithiation" if lithiate else "delithiation",
                        t / 3600.0)
        rest = self.spec.rest_in if lithiate else self.spec.rest_out
        if rest > 0:
            n = max(1, int(np.ceil(rest / dt)))
            for _ in range(n):
                self.step(rest / n, 0.0)
        return abs(self.applied - q0)

    # --------------------------------------------------------------- cycles
    def cycle(self, n: int) -> dict:
        """One full cycle; its row (layer peaks over this cycle)."""
        for s in self.membrane.layers:
            s.peak = 0.0
        q_in = self.half_cycle(True)
        if n == 1:  # the counter electrode held `inventory` x what the first lithiation took
            self.reservoir = (self.spec.inventory - 1.0) * q_in
        self.record(n)
        q_out = self.half_cycle(False)
        self.record(n)
        return self.row(n, q_in, q_out)

    def record(self, n: int) -> None:
        """A history row at the end of a half cycle: the twin's scalars, the SEI's own stresses
        (layers' intact stresses, not the equivalent film's) and the lithium counted."""
        row = {"time_s": self.p.t, "cycle": n, "c_rate": 0.0, **self.p.scalars()}
        if self.voltage is not None:
            row["voltage_end_V"] = self.voltage  # at the half cycle's end (not a voltage curve)
        if self.stresses:
            row.update(sei_stress_max_MPa=max(self.stresses) / 1e6, sei_stress_min_MPa=min(self.stresses) / 1e6)
        f = self.film
        row.update(applied_ions_mol=self.applied, lost_ions_mol=f.lost_mol, lost_crack_ions_mol=f.lost_crack_mol,
                   sei_thickness_mean_nm=f.L * 1e9, sei_thickness_max_nm=f.L * 1e9, cracked_fraction=f.X)
        self.history.append(row)

    def row(self, n: int, q_in: float, q_out: float, resolved: int = 1) -> dict:
        f, to_mAh_g = self.film, self.capacity / self.n_full
        mAh = FARADAY / 3.6
        row = {"end_time_s": self.p.t, "cycle": n, "resolved": resolved, "charge_in_mAh": q_in * mAh,
               "charge_out_mAh": q_out * mAh, "charge_in_mAh_g": q_in * to_mAh_g, "capacity_mAh_g": q_out * to_mAh_g,
               "coulombic_efficiency": q_out / q_in if q_in else float("nan"), "capacity_retention": float("nan"),
               "sei_thickness_nm": f.L * 1e9, "crack_sei_thickness_nm": f.Lc * 1e9, "cracked_fraction": f.X,
               "lost_sei_mol": f.lost_sei_mol, "lost_crack_sei_mol": f.lost_crack_mol, "particle_mol": self.ions(),
               "applied_mol": self.applied, "inventory_mol": self.reservoir}
        row["conservation_error"] = (row["particle_mol"] + f.lost_mol - self.applied) / self.n_full
        for i, s in enumerate(self.membrane.layers):
            name = s.layer.name or f"layer{i + 1}"
            row[f"{name}_peak_stress_MPa"] = s.peak / 1e6
            row[f"{name}_damage"] = s.damage
        return row

    def slow_state(self) -> np.ndarray:
        """What cycle jumping extrapolates: the film's thickness (its square for the sqrt(t) law,
        which then grows linearly), cracked fraction, broken-off crack SEI, lithium lost and the
        counter electrode's inventory. The crack SEI's live thickness and healing strain are
        reset within every cycle (periodic, like the particle's state) and are kept."""
        f = self.film
        return np.array([f.L**2 if f.law == "solvent-diffusion" else f.L, f.X, f.dead, f.lost_sei_mol,
                         f.lost_crack_mol, self.reservoir, self.membrane.grown_formed])

    def set_slow_state(self, x: np.ndarray) -> None:
        f = self.film
        f.L = float(np.sqrt(x[0])) if f.law == "solvent-diffusion" else float(x[0])
        f.X = float(np.clip(x[1], 0.0, 1.0))
        f.dead, f.lost_sei_mol, f.lost_crack_mol, self.reservoir, self.membrane.grown_formed = (float(v) for v in x[2:])
        self.membrane.grown_thickness = f.L - self.L0
        self.applied = self.ions() + f.lost_mol  # the charge passed over the jumped cycles, by conservation

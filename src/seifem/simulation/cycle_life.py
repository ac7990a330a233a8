"""Cycle life on the 1D twin: hundreds of galvanostatic cycles of a spherical particle with a
growing, layered, inelastic and damaging SEI, and the capacity the cell keeps.

    result = run_cycle_life(case, CycleLife(cycles=300), laws=[None, StandardLinearSolid(...)])
    result.rows          # one dict per cycle (the columns of cycles.csv)
    write_cycles(result, out_dir / "cycles.csv")

The cell (stated model): the particle cycles against a counter electrode that holds a finite
lithium inventory, `inventory` x the charge of the first lithiation (1: a cell balanced on its
first cycle, the counter electrode empty at its end). Lithiation at `c_rate` ends when the particle's
mean filling fraction reaches `soc_max`, the electrode voltage falls to `v_min`, or the counter
electrode has no lithium left; delithiation ends at `soc_min` or `v_max`; an optional rest
follows each. The SEI (`physics.sei_cracks.CrackedFilm`) takes its lithium from the particle
through its surface every step (the run loop's rule), so particle + SEI + crack SEI = applied
(initial content + the time integral of the current) to round-off, and the lost lithium leaves
the cyclable inventory: capacity fades. Per step: the film grows over dt (with the cracked
fraction of the step's start), the diffusion step (backward Euler, exactly conservative), then
the mechanics with the membrane's resultant N = S e - T of its layers' incremental laws
(`physics.sei_layer_state`; plastic layers by an active set), then the layers commit (damage).
A cut-off inside a step is landed by the secant rule on the step length (to `SOC_TOL` or
`VOLTAGE_TOL`).

Cycle jumping (`jump` > 0): after `JUMP_WARMUP` resolved cycles, the slowly varying state (SEI
thickness, cracked fraction, broken-off crack SEI, lithium lost, counter-electrode inventory) is
extrapolated linearly over blocks of up to `jump` cycles from its change over the last resolved
cycle, and one cycle is resolved after each block; the particle's state is periodic over a
cycle and is kept. Skipped cycles' rows are interpolated (`resolved` = 0). The last cycle is
always resolved. Its error is measured against every-cycle runs (tests/unit/test_cycle_life.py).
"""

from __future__ import annotations

import copy
import csv
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from mpi4py import MPI

from seifem.materials import specific_capacity
from seifem.physics.layered_membrane import SEILayer
from seifem.physics.sei_cracks import CrackedFilm
from seifem.physics.sei_growth import SEIGrowthParameters, sei_overpotential
from seifem.physics.sei_layer_state import WEIBULL_MODULUS, LayeredMembraneState, channel_cracking_strength
from seifem.reduced.radial import RadialProblem, design_from_case
from seifem.simulation.electrode import Electrode, SurfaceState
from seifem.units import FARADAY, SCALES

__all__ = ["CycleLife", "CycleLifeResult", "run_cycle_life", "write_cycles", "sei_layers_of", "JUMP_WARMUP"]

log = logging.getLogger(__name__)

SOC_TOL, VOLTAGE_TOL, INVENTORY_TOL = 1e-6, 1e-3, 1e-6
"""Cut-off tolerances: mean filling fraction [-], voltage [V], inventory over the full core [-]."""
JUMP_WARMUP = 3
"""Cycles resolved before the first jump."""
MAX_ACTIVE_SET = 6


@dataclass(frozen=True)
class CycleLife:
    """The cycling protocol and cell: cycles, C-rate [1/h] of lithiation (and of delithiation,
    None: the same), mean filling fraction window [-], optional voltage cut-offs [V] (need
    electrochemistry.kinetics), largest time step [s], rests after lithiation and delithiation
    [s], counter-electrode inventory over the first lithiation's charge [-], largest block of jumped cycles (0:
    every cycle resolved), damaging membrane on/off, the layers' Weibull modulus."""

    cycles: int = 300
    c_rate: float = 1.0
    c_rate_out: float | None = None
    soc_max: float = 0.9
    soc_min: float = 0.05
    v_min: float | None = None
    v_max: float | None = None
    dt: float = 90.0
    rest_in: float = 0.0
    rest_out: float = 0.0
    inventory: float = 1.0
    jump: int = 0
    damaging: bool = True
    weibull: float = WEIBULL_MODULUS

    @classmethod
    def of(cls, case) -> CycleLife:
        """The cycle-life run a case asks for: its protocol's repeated cycle (case.cycling) and
        solver.dt, solver.cycle_jump."""
        from seifem.case.cycling import cycle_of

        c = cycle_of(case.protocol)
        return cls(c.cycles, c.c_rate_in, c.c_rate_out, c.soc_max, c.soc_min, c.v_min, c.v_max, c.dt, c.rest_in,
                   c.rest_out, jump=case.solver.cycle_jump)


@dataclass
class CycleLifeResult:
    """One row per cycle, history rows (end of each resolved half cycle), the wall time [s], the
    number of resolved cycles and time steps."""

    rows: list[dict] = field(default_factory=list)
    history: list[dict] = field(default_factory=list)
    wall_s: float = 0.0
    resolved: int = 0
    steps: int = 0


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


class _Cell:
    """The particle, its SEI and the counter electrode's inventory, stepped together."""

    def __init__(self, case, spec: CycleLife, laws, layers):
        self.spec, self.case = spec, case
        self.p = RadialProblem(design_from_case(case, time_scheme="euler"), MPI.COMM_SELF)
        L = SCALES.length
        self.n_full = self.p.c_max * self.p.core_volume * L**3 * 4 * np.pi  # mol at theta = 1
        self.layers = layers if layers is not None else sei_layers_of(case)
        if laws is None and layers is None and case.sei_layer_laws:
            laws = case.sei_layer_laws  # the layer tables' laws (sei.layers.N.law)
        self.membrane = LayeredMembraneState.of(self.layers, laws, spec.damaging, spec.weibull)
        params = SEIGrowthParameters(initial_thickness=sum(x.thickness for x in self.layers))
        law = {"solvent-diffusion": "solvent-diffusion", "reaction-limited": "reaction"}.get(case.sei_growth)
        self.growth = law is not None
        mat = case.sei.material
        reopen = mat.si("elastic_strain_limit") if spec.damaging and "elastic_strain_limit" in mat.values else None
        self.film = CrackedFilm(4 * np.pi * (self.p.breaks[-1] * L) ** 2, params, law or "solvent-diffusion",
                                reopen_strain=reopen)
        self.electrode = Electrode(case, self.p.core_volume / self.p.flux_area)
        self.capacity = self.electrode.capacity or float("nan")  # mAh/g at theta = 1
        self.applied = self.ions()
        self.reservoir = float("inf")  # until the first lithiation has ended (then: the inventory left)
        self.direction, self.voltage, self.steps = 1, None, 0
        self.stresses = [0.0] * len(self.layers)
        self.history: list[dict] = []

    # --------------------------------------------------------------- state
    def ions(self) -> float:
        return self.p.soc() * self.n_full

    def snapshot(self):
        return (self.p.snapshot(), copy.deepcopy(self.membrane), copy.deepcopy(self.film), self.applied,
                self.reservoir, self.voltage)

    def restore(self, snap) -> None:
        self.p.restore(snap[0])
        self.membrane, self.film = copy.deepcopy(snap[1]), copy.deepcopy(snap[2])
        self.applied, self.reservoir, self.voltage = snap[3:]

    def read_voltage(self, rate: float) -> float | None:
        if not self.electrode.enabled:
            return None
        surface = SurfaceState(self.p.soc(), self.p.surface_soc())
        return self.electrode.read(surface, rate, self.direction, None, self.film.L * 1e9).voltage_V

    # --------------------------------------------------------------- stepping
    def step(self, dt: float, rate: float) -> None:
        """One step of length dt [s] at the signed C-rate [1/h] of the electrode current."""
        lost = 0.0
        if self.growth:
            eta = float(sei_overpotential(self.voltage if self.voltage is not None else self.case.sei_potential,
                                          self.film.params))
            lost = sum(self.film.grow(dt, self.membrane.cracked_fraction(), eta, self.case.physics.temperature,
                                      self.p.surface_strain()))
        m, p = self.membrane, self.p
        p.set_membrane(*m.resultant(dt))
        p.advance(dt, rate, order=1, sink=lost / dt)
        for _ in range(MAX_ACTIVE_SET):
            if not m.statuses(p.surface_strain()):
                break
            p.set_membrane(*m.resultant(dt))
            p.solve_mechanics()
        self.stresses = m.commit(p.surface_strain(), dt)
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

    def half_cycle(self, lithiate: bool) -> tuple[float, float]:
        """Charge until a cut-off; returns (charge passed [mol], peak intact stress per layer max)."""
        rate = self.spec.c_rate if lithiate else -(self.spec.c_rate_out or self.spec.c_rate)
        self.direction = 1 if lithiate else -1
        self.p.set_branch(self.direction)
        self.voltage = self.read_voltage(rate)
        q0, dt, t_limit = self.applied, self.spec.dt, 4 * 3600.0 / self.spec.c_rate
        t = 0.0
        while self.remaining(lithiate) > 1.0 and t < t_limit:
            before, g0 = self.snapshot(), self.remaining(lithiate)
            self.step(dt, rate)
            g1 = self.remaining(lithiate)
            if g1 <= 0.0:  # crossed: secant on the step length
                lo, hi, glo, ghi = 0.0, dt, g0, g1
                for _ in range(30):
                    trial = lo + (hi - lo) * glo / (glo - ghi)
                    trial = min(max(trial, lo + 1e-9 * dt), hi)
                    self.restore(before)
                    self.step(trial, rate)
                    g = self.remaining(lithiate)
                    if 0.0 <= g <= 1.0:
                        break
                    lo, glo, hi, ghi = (trial, g, hi, ghi) if g > 0 else (lo, glo, trial, g)
                t += trial
                break
            t += dt
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
            row["voltage_V"] = self.voltage
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
                         f.lost_crack_mol, self.reservoir])

    def set_slow_state(self, x: np.ndarray) -> None:
        f = self.film
        f.L = float(np.sqrt(x[0])) if f.law == "solvent-diffusion" else float(x[0])
        f.X = float(np.clip(x[1], 0.0, 1.0))
        f.dead, f.lost_sei_mol, f.lost_crack_mol, self.reservoir = (float(v) for v in x[2:])
        self.applied = self.ions() + f.lost_mol  # the charge passed over the jumped cycles, by conservation


def run_cycle_life(case, spec: CycleLife, laws=None, layers: list[SEILayer] | None = None) -> CycleLifeResult:
    """Cycle the case's particle (1D twin) under `spec`; `laws[i]` the law of SEI layer i (None:
    elastic), `layers` to replace the case's SEI layers. Same work on every rank (COMM_SELF)."""
    t0 = time.perf_counter()
    cell = _Cell(case, spec, laws, layers)
    out = CycleLifeResult()
    n = 1
    while n <= spec.cycles:
        x0 = cell.slow_state()
        row = cell.cycle(n)
        out.rows.append(row)
        out.resolved += 1
        if spec.jump and n >= JUMP_WARMUP and n < spec.cycles:
            m = min(spec.jump, spec.cycles - n - 1)  # the last cycle is resolved
            if m > 0:
                x1 = cell.slow_state()
                cell.set_slow_state(x1 + m * (x1 - x0))
                out.rows += [{"cycle": n + j, "resolved": 0} for j in range(1, m + 1)]
                n += m
        n += 1
    _interpolate_skipped(out.rows)
    first = out.rows[0]["capacity_mAh_g"]
    for r in out.rows:
        r["capacity_retention"] = r["capacity_mAh_g"] / first
    out.wall_s, out.steps, out.history = time.perf_counter() - t0, cell.steps, cell.history
    cell.p.destroy()
    return out


def _interpolate_skipped(rows: list[dict]) -> None:
    """Fill the rows of jumped cycles by linear interpolation between the resolved cycles."""
    done = [r for r in rows if r["resolved"]]
    x = np.array([r["cycle"] for r in done], dtype=float)
    for r in rows:
        if not r["resolved"]:
            r.update({k: float(np.interp(r["cycle"], x, [d[k] for d in done])) for k in done[0]
                      if k not in ("cycle", "resolved")})


def write_cycles(result: CycleLifeResult, path: Path) -> Path:
    """cycles.csv of a cycle-life run (call on one rank): one row per cycle, columns as `row`."""
    path = Path(path)
    with open(path, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(result.rows[0]))
        w.writeheader()
        for r in result.rows:
            w.writerow({k: f"{v:.10g}" for k, v in r.items()})
    return path

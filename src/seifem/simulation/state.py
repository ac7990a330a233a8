"""The typed state of a run, besides the fields its problem holds: where the run is in its
protocol, what charge it has counted, and what the electrode reads. The run loop, the
protocol's cut-offs and the SEI film read these, never a history column; the history row is
made from them at the end of a time step, once (`history_row`).
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path

__all__ = ["StepPosition", "Ledger", "ElectrodeState", "RunResult", "history_row", "warn_range"]

log = logging.getLogger("seifem.simulation.run")


@dataclass
class RunResult:
    """What a finished run produced: its directory, step count and timing figures (s)."""

    out_dir: Path
    steps: int
    stats: dict


@dataclass
class StepPosition:
    """Where the run is in its protocol.

    step: 1-based index of the current protocol step (0 before the first); step_t0: time the
    step started (s); duration: its longest length known in advance (s, inf if only events
    end it); ended: the step has ended; q0: capacity at its start (mAh/g), for `until_capacity`.
    """

    step: int = 0
    step_t0: float = 0.0
    duration: float = 0.0
    ended: bool = False
    q0: float = 0.0

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> StepPosition:
        return cls(**data)


@dataclass
class Ledger:
    """The charge a run counts (mol of ions, whole particle) and the current it drives.

    applied_mol: time integral of the electrode current (with the initial content);
    lost_mol: ions taken by SEI growth; charge: cycle -> [ions in, ions out];
    direction: +1 lithiation, -1 delithiation (the OCP branch); c_rate: signed electrode
    C-rate of the last time step (1/h); voltage: electrode potential of the last step (V),
    None without kinetics; crystalline: the particle holds a crystalline phase that
    delithiates on its plateau (`Electrode.crystalline_after`).
    """

    applied_mol: float
    lost_mol: float = 0.0
    charge: dict[int, list[float]] = field(default_factory=dict)
    direction: int = 1
    c_rate: float = 0.0
    voltage: float | None = None
    crystalline: bool = False

    def copy(self) -> Ledger:
        return Ledger(self.applied_mol, self.lost_mol, {k: list(v) for k, v in self.charge.items()}, self.direction,
                      self.c_rate, self.voltage, self.crystalline)

    def count(self, cycle: int, c_rate: float, ions_per_s_1C: float, dt: float, lost_mol: float) -> None:
        """Book one time step of length dt (s) at the signed electrode C-rate."""
        self.c_rate = c_rate
        self.applied_mol += c_rate * ions_per_s_1C * dt
        self.lost_mol += lost_mol
        inout = self.charge.setdefault(cycle, [0.0, 0.0])
        inout[0 if c_rate > 0 else 1] += abs(c_rate) * ions_per_s_1C * dt

    def to_json(self) -> dict:
        return {**asdict(self), "charge": {str(k): v for k, v in self.charge.items()}}

    @classmethod
    def from_json(cls, data: dict) -> Ledger:
        return cls(data["applied_mol"], data["lost_mol"], {int(k): list(v) for k, v in data["charge"].items()},
                   data["direction"], data["c_rate"], data["voltage"], data.get("crystalline", False))


@dataclass(frozen=True)
class ElectrodeState:
    """What the electrode reads at the end of a time step: the cut-offs test it.

    c_rate: signed electrode C-rate (1/h); voltage_V, ocp_V: electrode and open-circuit
    potential (V vs the guest metal; None without kinetics); capacity_mAh_g: ions in the
    particle per mass of active material (None without a density).
    """

    c_rate: float
    voltage_V: float | None = None
    ocp_V: float | None = None
    capacity_mAh_g: float | None = None

    def columns(self) -> dict[str, float]:
        """Its history columns (those it has)."""
        out = {}
        if self.voltage_V is not None:
            out.update(voltage_V=self.voltage_V, ocp_V=self.ocp_V)
        if self.capacity_mAh_g is not None:
            out["capacity_mAh_g"] = self.capacity_mAh_g
        return out


def history_row(time_s: float, step: int, cycle: int, scalars: dict[str, float], ledger: Ledger,
                film: tuple[float, float] | None, electrode: ElectrodeState) -> dict[str, float]:
    """The history row of a state: time, protocol position, the model's scalars, the charge
    counted, the SEI film (mean, max thickness in nm) and the electrode's reading."""
    row = {"time_s": time_s, "step": step, "cycle": cycle, "c_rate": ledger.c_rate, **scalars,
           "applied_ions_mol": ledger.applied_mol}
    if film is not None:
        row.update(lost_ions_mol=ledger.lost_mol, sei_thickness_mean_nm=film[0], sei_thickness_max_nm=film[1])
    tail = electrode.columns()
    # the electrode's columns follow in the order voltage_V, ocp_V, capacity_mAh_g
    row.update({k: tail[k] for k in ("voltage_V", "ocp_V", "capacity_mAh_g") if k in tail})
    return row


def warn_range(row: dict, warned: set[str]) -> None:
    """The linear model has no saturation: say so once when the surface leaves [0, 1]."""
    for key, bad in (("surface_soc_max", row["surface_soc_max"] > 1.0), ("surface_soc_min", row["surface_soc_min"] < 0.0)):
        if bad and key not in warned:
            warned.add(key)
            log.warning("t = %.1f s: surface filling fraction %s = %.3f is outside [0, 1]; the linear "
                        "diffusion model does not saturate (lower the C-rate or shorten the step)",
                        row["time_s"], key, row[key])

"""The cycle of a cycle-life run (a twin with SEI growth, `simulation.cycle_life`) and the run's
spec (`CycleLife`): its
protocol must be one repeated cycle of a lithiation and a delithiation at constant current, each
ended by a filling fraction and/or a voltage cut-off, each optionally followed by a rest.
`cycle_of` reads it and refuses any other protocol before a mesh is built, naming the key.
"""

from __future__ import annotations

from dataclasses import dataclass

from seifem.errors import CaseError
from seifem.physics.sei_layer_state import WEIBULL_MODULUS

__all__ = ["Cycle", "CycleLife", "cycle_of"]

_SHAPE = ("one cycle of: lithiate (until_soc and/or until_voltage), [rest], delithiate (until_soc and/or "
          "until_voltage), [rest], repeated with protocol.cycles")


@dataclass(frozen=True)
class Cycle:
    """C-rates [1/h] in and out, filling-fraction window [-], voltage cut-offs [V] (None: not
    set), rests after lithiation and delithiation [s], number of cycles, largest time step [s]."""

    c_rate_in: float
    c_rate_out: float
    soc_max: float
    soc_min: float
    v_min: float | None
    v_max: float | None
    rest_in: float
    rest_out: float
    cycles: int
    dt: float


def cycle_of(protocol) -> Cycle:
    """The repeated cycle of a protocol (tuple of case.model.Step); CaseError naming
    protocol.steps otherwise."""
    first = [s for s in protocol if s.cycle == 1]
    cycles = max(s.cycle for s in protocol)
    modes = [s.mode for s in first]
    plain = [m for m in modes if m != "rest"]
    if plain != ["lithiate", "delithiate"] or modes[0] != "lithiate" or len(modes) > 4:
        raise CaseError("protocol.steps", modes, f"a cycle-life run (geometry.model = \"1d\" or \"2d\" with sei.growth) "
                                                 f"needs {_SHAPE}")
    i = modes.index("delithiate")
    lit, de = first[0], first[i]
    for s in (lit, de):
        if s.duration is not None or s.until_capacity is not None:
            raise CaseError("protocol.steps", s.mode, f"a cycle-life step ends by until_soc or until_voltage only; {_SHAPE}")
    rests = [s for s in first if s.mode == "rest"]
    for s in rests:
        if s.duration is None:
            raise CaseError("protocol.steps", "rest", "a rest in a cycle-life run needs a duration")
    rest_in = sum(s.duration for s in first[1:i])
    rest_out = sum(s.duration for s in first[i + 1:])
    return Cycle(lit.c_rate, abs(de.c_rate), lit.until_soc if lit.until_soc is not None else 1.0,
                 de.until_soc if de.until_soc is not None else 0.0, lit.until_voltage, de.until_voltage, rest_in,
                 rest_out, cycles, min(lit.dt, de.dt))


@dataclass(frozen=True)
class CycleLife:
    """The cycling protocol and cell: cycles, C-rate [1/h] of lithiation (and of delithiation,
    None: the same), mean filling fraction window [-], optional voltage cut-offs [V] (need
    electrochemistry.kinetics), largest time step [s], rests after lithiation and delithiation
    [s], counter-electrode inventory over the first lithiation's charge [-], largest block of jumped cycles (0:
    every cycle resolved), damaging membrane on/off, the layers' Weibull modulus, the twin ("1d" radial, "2d"
    axisymmetric: `cycle_cell.twin`)."""

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
    model: str = "1d"

    @classmethod
    def of(cls, case) -> CycleLife:
        """The cycle-life run a case asks for: its protocol's repeated cycle (case.cycling) and
        solver.dt, solver.cycle_jump."""
        c = cycle_of(case.protocol)
        return cls(c.cycles, c.c_rate_in, c.c_rate_out, c.soc_max, c.soc_min, c.v_min, c.v_max, c.dt, c.rest_in,
                   c.rest_out, jump=case.solver.cycle_jump, model=case.geometry.model)

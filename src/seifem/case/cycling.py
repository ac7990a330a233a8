"""The cycle of a cycle-life run (the 1D twin with SEI growth, `simulation.cycle_life`): its
protocol must be one repeated cycle of a lithiation and a delithiation at constant current, each
ended by a filling fraction and/or a voltage cut-off, each optionally followed by a rest.
`cycle_of` reads it and refuses any other protocol before a mesh is built, naming the key.
"""

from __future__ import annotations

from dataclasses import dataclass

from seifem.errors import CaseError

__all__ = ["Cycle", "cycle_of"]

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

"""The tables that every resolved case writes, single particle or electrode: a schema
section's values in display units, a material with its sources, the protocol of one cycle."""

from __future__ import annotations

from typing import Any

from seifem.case.fields import Field
from seifem.case.schema import STEP
from seifem.materials import PROPERTIES, Material
from seifem.units import format_quantity

__all__ = ["material_table", "protocol_table", "schema_values"]


def schema_values(fields: dict[str, Field], obj: Any, **extra: Any) -> dict[str, Any]:
    """The TOML values of the schema keys `fields` that `obj` (or `extra`) holds, in schema order."""
    out = {}
    for key, f in fields.items():
        value = extra[key] if key in extra else getattr(obj, key, None)
        if value is not None:
            out[key] = f.dump(value)
    return out


def material_table(m: Material) -> dict:
    """A material's name, guest ion, values in their display units and their sources."""
    d: dict[str, Any] = {"material": m.name, **({"ion": m.ion} if m.ion else {})}
    for k, v in m.values.items():
        p = PROPERTIES[k]
        d[k] = format_quantity(v.si, p.si_unit, p.display_unit) if p.si_unit else v.si
    d["sources"] = {k: v.source + (" [estimate]" if v.estimate else "") for k, v in m.values.items()}
    return d


def protocol_table(case) -> dict:
    """[protocol] of a resolved case: the steps of one cycle and the cycle count."""
    steps = []
    for st in case.protocol[: len(case.protocol) // case.protocol[-1].cycle]:
        c_rate = st.c_rate if st.mode in ("lithiate", "delithiate") else None
        steps.append(schema_values(STEP, st, c_rate=c_rate))
    return {"cycles": case.protocol[-1].cycle, "steps": steps}

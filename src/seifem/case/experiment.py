"""Protocol steps written as sentences, as PyBaMM's `Experiment` reads them, turned into the
step tables of `[[protocol.steps]]` (the resolved case shows the tables):

    "Lithiate at C/2 until 0.05 V"           {mode = "lithiate", c_rate = "C/2", until_voltage = "0.05 V"}
    "Delithiate at 1C for 30 minutes"        {mode = "delithiate", c_rate = "1C", duration = "30 minutes"}
    "Charge at C/2 until 0.05 V"             charge lithiates the anode (as in a full cell)
    "Discharge at C/2 until 1.0 V"           discharge delithiates it
    "Hold at 0.05 V until C/20"              {mode = "hold", voltage = "0.05 V", until_current = "C/20"}
    "Rest for 10 minutes"                    {mode = "rest", duration = "10 minutes"}

A step may end "for <duration>", "until <cut-off>" or "for <duration> or until <cut-off>";
a cut-off is a voltage ("0.05 V"), a C-rate for holds ("C/20"), a state of charge
("soc 0.9") or a capacity ("500 mAh/g"). Only C-rates set currents: a particle has no cell
current in A.
"""

from __future__ import annotations

import re
from typing import Any

from seifem.errors import CaseError

__all__ = ["experiment_step", "EXAMPLES"]

EXAMPLES = ('"Lithiate at C/2 until 0.05 V"', '"Delithiate at 1C for 30 minutes"', '"Hold at 0.05 V until C/20"',
            '"Rest for 10 minutes"')

_MODES = {"lithiate": "lithiate", "charge": "lithiate", "delithiate": "delithiate", "discharge": "delithiate",
          "hold": "hold", "rest": "rest"}
_SENTENCE = re.compile(
    r"^\s*(?P<verb>[A-Za-z]+)"
    r"(?:\s+at\s+(?P<at>[^\s]+(?:\s*[A-Za-z/]+)?))?"
    r"(?:\s+for\s+(?P<for>.+?))?"
    r"(?:\s+(?:or\s+)?until\s+(?P<until>.+?))?\s*$", re.IGNORECASE)
_C_RATE = re.compile(r"^(?:C\s*/\s*[\d.eE+-]+|[\d.eE+-]+\s*C)$", re.IGNORECASE)
_VOLT = re.compile(r"^[+-]?[\d.eE+-]+\s*(?:m?V)$")
_SOC = re.compile(r"^soc\s*(?:=\s*)?(?P<x>[\d.eE+-]+)$", re.IGNORECASE)


def _fail(key: str, text: str, why: str) -> CaseError:
    return CaseError(key, text, f"{why}; write a step as e.g. {', '.join(EXAMPLES)}")


def _until(key: str, text: str, mode: str, cut: str) -> dict[str, Any]:
    """The cut-off of a step as its table key."""
    if _VOLT.match(cut):
        if mode == "hold":
            raise _fail(key, text, "a hold ends at a current (until C/20), not at a voltage")
        return {"until_voltage": cut}
    if _C_RATE.match(cut):
        if mode != "hold":
            raise _fail(key, text, "only a hold ends at a current; a constant-current step ends at a voltage, soc or "
                                   "capacity")
        return {"until_current": cut}
    if m := _SOC.match(cut):
        return {"until_soc": float(m["x"])}
    if re.search(r"mA\s*\*?\s*h\s*/\s*g$", cut):
        return {"until_capacity": cut}
    raise _fail(key, text, f"cannot read the cut-off {cut!r} (a voltage, a C-rate for holds, \"soc 0.9\" or a "
                           "capacity in mAh/g)")


def experiment_step(text: str, key: str) -> dict[str, Any]:
    """The `[[protocol.steps]]` table of one step sentence; `key` names it in errors."""
    m = _SENTENCE.match(text)
    if m is None or m["verb"].lower() not in _MODES:
        verb = m["verb"] if m else text
        raise _fail(key, text, f"unknown action {verb!r} (lithiate, delithiate, charge, discharge, hold, rest)")
    mode = _MODES[m["verb"].lower()]
    step: dict[str, Any] = {"mode": mode}
    at = (m["at"] or "").strip()
    if mode in ("lithiate", "delithiate"):
        if not _C_RATE.match(at):
            raise _fail(key, text, f"a {m['verb'].lower()} step needs a C-rate after 'at' (e.g. C/2, 1C)")
        step["c_rate"] = at
    elif mode == "hold":
        if not _VOLT.match(at):
            raise _fail(key, text, "a hold needs a voltage after 'at' (e.g. 0.05 V)")
        step["voltage"] = at
    elif at:
        raise _fail(key, text, "a rest has no 'at'")
    if m["for"]:
        step["duration"] = m["for"].strip()
    if m["until"]:
        step.update(_until(key, text, mode, m["until"].strip()))
    if not m["for"] and not m["until"]:
        raise _fail(key, text, "a step needs an end: 'for <duration>' or 'until <cut-off>'")
    return step

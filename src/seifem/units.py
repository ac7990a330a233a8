"""Quantities with units in, SI floats out.

Case files write physical quantities as strings with units ("5 um", "20 nm", "80 GPa",
"1e-14 m^2/s"). This module turns them into SI floats with `pint`, and parses C-rates
("1 C", "C/10", "0.5C"), which pint would read as coulombs.

Internally the solver works in scaled units (see `Scales`): lengths in micrometres so
that gmsh tolerances and matrix entries stay well conditioned, stresses in GPa.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import pint

from seifem.errors import UnitError

__all__ = ["UnitError", "parse_quantity", "parse_c_rate", "format_quantity", "SCALES", "Scales", "FARADAY", "GAS_CONSTANT", "NUMBER_UNIT"]


@functools.cache
def registry() -> pint.UnitRegistry:
    ureg = pint.UnitRegistry()
    return ureg


def parse_quantity(value: object, si_unit: str, example_unit: str | None = None) -> float:
    """Read `value` ("20 nm", "80 GPa") and return it as a float in `si_unit`.

    A bare number is refused when `si_unit` is not dimensionless: a case must say whether
    it means nm or um. Raises `UnitError` with a sentence saying what is wrong.
    """
    ureg = registry()
    target = ureg.Unit(si_unit)
    example_unit = example_unit or si_unit
    if isinstance(value, bool) or value is None:
        raise UnitError(f"expected a quantity in units of {si_unit}, got {value!r}")
    if isinstance(value, (int, float)):
        if target.dimensionless:
            return float(value)
        raise UnitError(f"a bare number needs a unit, e.g. \"{value} {example_unit}\"")
    if not isinstance(value, str) or not value.strip():
        raise UnitError(f"expected a quantity such as \"1 {si_unit}\", got {value!r}")
    text = value.strip().replace("µ", "u").replace("μ", "u")
    _check_text(value, text, example_unit)
    try:
        q = ureg.Quantity(text)
    except Exception as exc:  # pint raises several unrelated types
        raise UnitError(f"cannot read {value!r} as a quantity ({exc.__class__.__name__})") from None
    if not isinstance(q, pint.Quantity):
        q = ureg.Quantity(float(q), "")
    if q.dimensionless and not target.dimensionless and q.units == ureg.dimensionless:
        raise UnitError(f"a bare number needs a unit, e.g. \"{value} {example_unit}\"")
    if q.dimensionality != target.dimensionality:
        raise UnitError(
            f"{value!r} has dimension {q.dimensionality}, expected {target.dimensionality}"
            + (f" (e.g. {example_unit})" if example_unit else " (a plain number such as 0.5, or a percentage)")
            + _case_slip(text, target)
        )
    try:
        mag = float(q.to(target).magnitude)
    except (OverflowError, ValueError, ZeroDivisionError):
        mag = float("nan")
    if mag != mag or mag in (float("inf"), float("-inf")):
        raise UnitError(f"{value!r} is not a finite number")
    return mag


_MAX_TEXT = 100
_POWER = re.compile(r"\*\*|\^")
_SMALL_EXPONENT = re.compile(r"\s*[+-]?\d{1,2}(?![\d.])(?!\s*(?:\*\*|\^))")


def _case_slip(text: str, target) -> str:
    """' (did you mean "20 nm"?)' when the text in other letter case has the wanted dimension
    ("20 nM" is nanomolar; "20 nm" a length), else ''."""
    for variant in (text.lower(), text[:1] + text[1:].lower()):
        try:
            q = registry().Quantity(variant)
        except Exception:  # pint raises several unrelated types
            continue
        if isinstance(q, pint.Quantity) and q.dimensionality == target.dimensionality:
            return f' (did you mean "{variant}"?)'
    return ""


def _check_text(value: str, text: str, example_unit: str) -> None:
    """Refuse what pint would take ages on or read as something else: long or non-ASCII text,
    powers of numbers or big powers ("9**9**9 um"), and a unit without a number ("um")."""
    example = f'a number with a unit such as "5 {example_unit}"' if example_unit else 'a number such as 0.5 or "50 %"'
    if len(text) > _MAX_TEXT or not text.isascii() or not text.isprintable():
        raise UnitError(f"expected {example} (printable ASCII, at most {_MAX_TEXT} characters)")
    for m in _POWER.finditer(text):
        before = text[:m.start()].rstrip()
        if not before or not (before[-1].isalpha() or before[-1] == "_") or not _SMALL_EXPONENT.match(text, m.end()):
            raise UnitError(f"cannot read {value!r} as a quantity (powers are allowed on units only, e.g. \"1e-14 m^2/s\")")
    if not re.search(r"\d|nan|inf", text, re.IGNORECASE):
        raise UnitError(f"{value!r} has no number; expected {example}")


_C_RATE = re.compile(r"^\s*(?:(?P<num>[0-9.eE+-]+)\s*C|C\s*/\s*(?P<den>[0-9.eE+-]+))\s*$")


def parse_c_rate(value: object) -> float:
    """Read a C-rate ("1 C", "0.5C", "C/10") and return it in 1/h (1 C fills the particle in 1 h)."""
    if isinstance(value, str):
        m = _C_RATE.match(value)
        if m:
            try:
                rate = float(m["num"]) if m["num"] is not None else 1.0 / float(m["den"])
            except (ValueError, ZeroDivisionError):
                rate = float("nan")
            if rate == rate and abs(rate) != float("inf"):
                return rate
    raise UnitError(f"expected a C-rate such as \"1 C\", \"0.5 C\" or \"C/10\", got {value!r}")


def format_quantity(si_value: float, si_unit: str, display_unit: str | None = None) -> str:
    """Human-readable form of an SI value in `display_unit` ("20 nm", "80 GPa")."""
    if not si_unit:
        return f"{si_value:g}"
    display_unit = display_unit or si_unit
    mag = registry().Quantity(si_value, si_unit).to(display_unit).magnitude
    return f"{mag:.6g} {display_unit}"


@dataclass(frozen=True)
class Scales:
    """Scaled unit system of the discrete problem.

    length: m per model length unit (1 um); stress: Pa per model stress unit (1 GPa).
    Time stays in s and concentration is solved as the filling fraction theta = c / c_max.
    """

    length: float = 1e-6
    stress: float = 1e9


SCALES = Scales()

FARADAY = 96485.33212
"""Faraday constant (C/mol, CODATA 2018 exact)."""

GAS_CONSTANT = 8.314462618
"""Molar gas constant (J/(mol K), CODATA 2018 exact)."""

NUMBER_UNIT = re.compile(r"^(?P<num>[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*(?P<unit>[^\d\s,.+-][^,]*?)?\s*$")
"""A number with an optional unit ("20 nm", "0.5"): groups `num` and `unit`."""

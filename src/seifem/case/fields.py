"""One case key (`Field`: kind, unit, default, range) and how a raw TOML value is checked
against it (`check_value`, to SI) and written back (`Field.dump`, with its display unit).

Every check raises `CaseError` naming the key, the value and what is allowed.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from seifem.errors import REQUIRED, CaseError, UnitError
from seifem.units import format_quantity, parse_c_rate, parse_quantity

__all__ = ["Field", "check_value", "suggest"]


@dataclass(frozen=True)
class Field:
    """One case key.

    kind: "quantity" (string with a unit, SI `unit`), "number", "int", "choice", "bool",
    "text", "c_rate" (1/h), "times" (list of times, s), "point" (3 lengths, m), "table"
    ([[theta, value], ...] pairs; bounds apply to the values), "names" (list of distinct strings).
    Bounds are in SI; `lo_open`/`hi_open` make them strict. `unit` is the SI unit of the
    value, `display` the unit it is written back in (`dump`).
    """

    kind: str
    doc: str
    default: Any = REQUIRED
    unit: str = ""
    display: str = ""
    lo: float | None = None
    hi: float | None = None
    lo_open: bool = False
    hi_open: bool = False
    choices: tuple = ()
    shape: str = ""
    """The geometry.shape this key belongs to ("" = every shape)."""

    def show(self, si: float) -> str:
        return format_quantity(si, self.unit, self.display or self.unit) if self.unit else f"{si:g}"

    def dump(self, value: Any) -> Any:
        """The TOML value of a checked (SI) value: quantities with their display unit, C-rates
        as "x C", lists of times and points with units, tables as [[theta, value], ...]."""
        if self.kind == "quantity":
            return format_quantity(value, self.unit, self.display or self.unit)
        if self.kind == "c_rate":
            return f"{value:g} C"
        if self.kind == "times":
            return [format_quantity(t, "s", self.display or "s") for t in value]
        if self.kind == "point":
            return [format_quantity(x, "m", "um") for x in value]
        if self.kind == "table":
            return [list(p) for p in value]
        if self.kind == "names":
            return list(value)
        if self.kind == "layers":
            from seifem.case.sei_layers import dump_layers
            return dump_layers(value)
        return value

    def range_text(self) -> str:
        lo = None if self.lo is None else ("> " if self.lo_open else ">= ") + self.show(self.lo)
        hi = None if self.hi is None else ("< " if self.hi_open else "<= ") + self.show(self.hi)
        return " and ".join(s for s in (lo, hi) if s)


def suggest(key: str, allowed: list[str]) -> str:
    """' (did you mean "x"?)' for the closest allowed key, or ''."""
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""


def _check_range(key: str, raw: Any, si: float, f: Field) -> float:
    bad = (
        (f.lo is not None and (si < f.lo or (f.lo_open and si == f.lo)))
        or (f.hi is not None and (si > f.hi or (f.hi_open and si == f.hi)))
    )
    if bad:
        raise CaseError(key, raw, f"must be {f.range_text()}")
    return si


def check_value(key: str, raw: Any, f: Field) -> Any:
    """Validate one raw value against its field; return it in SI (or as its Python type)."""
    try:
        if f.kind == "quantity":
            return _check_range(key, raw, parse_quantity(raw, f.unit, f.display), f)
        if f.kind == "c_rate":
            return _check_range(key, raw, parse_c_rate(raw), f)
        if f.kind in ("number", "int"):
            if isinstance(raw, bool) or not isinstance(raw, (int, float)):
                if isinstance(raw, str):
                    raw_num = parse_quantity(raw, "")  # allows "0.5" or "50 %"
                    return check_value(key, raw_num, f) if f.kind == "number" else _fail_int(key, raw)
                raise CaseError(key, raw, f"must be a {'whole ' if f.kind == 'int' else ''}number")
            if f.kind == "int" and isinstance(raw, float) and not raw.is_integer():
                _fail_int(key, raw)
            try:
                val = int(raw) if f.kind == "int" else float(raw)
            except OverflowError:  # an integer beyond float range
                raise CaseError(key, raw, f"must be {f.range_text()}") from None
            if val != val or abs(val) == float("inf"):
                raise CaseError(key, raw, "must be a finite number")
            return _check_range(key, raw, val, f)
        if f.kind == "choice":
            if raw not in f.choices:
                hint = suggest(str(raw), list(f.choices))
                raise CaseError(key, raw, f"must be one of {', '.join(map(repr, f.choices))}{hint}")
            return raw
        if f.kind == "bool":
            if not isinstance(raw, bool):
                raise CaseError(key, raw, "must be true or false")
            return raw
        if f.kind == "text":
            if not isinstance(raw, str) or not raw.encode("utf-8", "replace").decode("utf-8") == raw:
                raise CaseError(key, raw, "must be a string (UTF-8 text)")
            return raw
        if f.kind == "times":
            if not isinstance(raw, list):
                raise CaseError(key, raw, 'must be a list of times, e.g. ["10 min", "1 h"]')
            times = [parse_quantity(v, "s") for v in raw]
            if any(t < 0 for t in times):
                raise CaseError(key, raw, "times must be >= 0 s")
            return sorted(times)
        if f.kind == "table":
            return _table(key, raw, f)
        if f.kind == "names":
            if not isinstance(raw, list) or not raw or not all(isinstance(v, str) for v in raw) or len(set(raw)) < len(raw):
                raise CaseError(key, raw, 'must be a list of distinct names, e.g. ["core", "coating"]')
            return tuple(raw)
        if f.kind == "layers":
            from seifem.case.sei_layers import check_layers
            return check_layers(key, raw)
        if f.kind == "point":
            if not isinstance(raw, list) or len(raw) != 3:
                raise CaseError(key, raw, 'must be three lengths, e.g. ["0 um", "0 um", "2.5 um"]')
            return tuple(parse_quantity(v, "m") for v in raw)
    except UnitError as exc:
        raise CaseError(key, raw, str(exc)) from None
    raise AssertionError(f"unknown field kind {f.kind}")


def _table(key: str, raw: Any, f: Field) -> tuple[tuple[float, float], ...]:
    """[[x, y], ...] with x in [0, 1] strictly increasing and y within the field's range."""
    example = "e.g. [[0.0, 1.0], [0.5, 3.0], [1.0, 10.0]]"
    if not isinstance(raw, list) or len(raw) < 2 or len(raw) > 1000:
        raise CaseError(key, raw, f"must be a list of at least two [theta, value] pairs, {example}")
    points = []
    for pair in raw:
        if (not isinstance(pair, list) or len(pair) != 2
                or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in pair)):
            raise CaseError(key, raw, f"must be a list of [theta, value] number pairs, {example}")
        x, y = float(pair[0]), float(pair[1])
        if not (0.0 <= x <= 1.0) or y != y or abs(y) == float("inf"):
            raise CaseError(key, raw, "theta must lie in [0, 1] and values be finite numbers")
        _check_range(key, raw, y, f)
        points.append((x, y))
    if any(b[0] <= a[0] for a, b in zip(points, points[1:])):
        raise CaseError(key, raw, "theta must increase strictly from one pair to the next")
    return tuple(points)


def _fail_int(key: str, raw: Any):
    raise CaseError(key, raw, "must be a whole number")

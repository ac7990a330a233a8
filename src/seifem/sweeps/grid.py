"""Design sweeps: `--vary key=a,b,c` options into a list of validated designs.

    varies = [parse_vary("coating.thickness=0,5,10,20,40nm"), parse_vary("sei.material=sei-carbonate,sei-ether")]
    designs = build_designs(load_tree(case_file, overrides), varies)   # every design validated

Keys are the dotted case keys of `--set`. Values are separated by commas (not inside quotes
or brackets); a number without a unit takes the unit of the last value (`0,5,10nm` = 0, 5
and 10 nm), each value may also carry its own (`500nm,1um`), and anything else is read as a
TOML value (`0.5`, `true`, `"C/10"`) or, failing that, as text (`sei-ether`). Several
`--vary` options make the full grid. Every design is a whole case, parsed and validated here,
before any mesh exists; the first bad one raises the usual one-line `CaseError` (key, value,
what is allowed) with the design's name added.
"""

from __future__ import annotations

import copy
import itertools
import re
from dataclasses import dataclass
from typing import Any

from seifem.case import Case, parse_case, set_key, split_override, toml_value
from seifem.errors import CaseError
from seifem.units import NUMBER_UNIT

__all__ = ["Vary", "Design", "parse_vary", "build_designs", "design_name"]

_UNSAFE = re.compile(r"[^A-Za-z0-9._=+%^-]")


@dataclass(frozen=True)
class Vary:
    """One varied key: the values to set (TOML values: "20 nm", 0.5, "sei-ether") and their
    labels as written (without spaces: "20nm"), for design names and tables."""

    key: str
    values: tuple[Any, ...]
    labels: tuple[str, ...]


@dataclass(frozen=True)
class Design:
    """One point of the sweep: its name (`key=label+key=label`), the label of each varied key,
    and the validated case."""

    name: str
    labels: dict[str, str]
    case: Case


def _split(text: str) -> list[str]:
    """Split on commas outside quotes and brackets."""
    items, depth, quote, start = [], 0, "", 0
    for i, ch in enumerate(text):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        elif ch == "," and depth == 0:
            items.append(text[start:i])
            start = i + 1
    items.append(text[start:])
    return [item.strip() for item in items]


def parse_vary(spec: str) -> Vary:
    """Read one `--vary key=a,b,c` option (see the module docstring)."""
    example = "e.g. --vary coating.thickness=0,5,10nm or --vary sei.material=sei-carbonate,sei-ether"
    key, text = split_override(spec, "--vary")
    items = _split(text)
    if not text.strip():
        raise CaseError("--vary", spec, f"needs a list of values after '=', {example}")
    if any(not item for item in items):
        raise CaseError("--vary", spec, f"has an empty value (two commas in a row, or one at an end); {example}")
    parsed = [NUMBER_UNIT.match(item) for item in items]
    last_unit = parsed[-1]["unit"] if parsed[-1] else None
    values, labels = [], []
    for item, m in zip(items, parsed):
        if m is not None and (m["unit"] or last_unit):
            unit = (m["unit"] or last_unit).strip()
            values.append(f"{m['num']} {unit}")
            labels.append(f"{m['num']}{unit.replace(' ', '')}")
        else:
            value = toml_value(item)
            values.append(value)
            labels.append((value if isinstance(value, str) else item).replace(" ", ""))
    seen = set()
    for label in labels:
        if label in seen:
            raise CaseError("--vary", spec, f"value {label!r} is given twice; each design needs its own value")
        seen.add(label)
    return Vary(key, tuple(values), tuple(labels))


def design_name(labels: dict[str, str]) -> str:
    """Directory-safe name of a design: `coating.thickness=20nm+sei.material=sei-ether`."""
    return "+".join(_UNSAFE.sub("_", f"{key}={label}") for key, label in labels.items())


def build_designs(tree: dict, varies: list[Vary], overrides: list[str] = ()) -> list[Design]:
    """Every design of the grid over `varies`, applied to the case tree (with `overrides`
    already in it) and validated. Raises CaseError for the first design that is not a valid
    case, for a key varied twice and for a key both varied and in `overrides` (--set)."""
    if not varies:
        raise CaseError("--vary", None, "give at least one --vary key=a,b,c, e.g. --vary coating.thickness=0,5,10nm")
    keys = [v.key for v in varies]
    for i, key in enumerate(keys):
        if key in keys[:i]:
            raise CaseError("--vary", key, "is varied twice; give each key once (several --vary make a grid)")
    for item in overrides:
        if split_override(item)[0] in keys:
            raise CaseError("--set", item, f"sets {split_override(item)[0]}, which --vary varies; give it once")
    designs, names = [], set()
    for combo in itertools.product(*(range(len(v.values)) for v in varies)):
        labels = {v.key: v.labels[i] for v, i in zip(varies, combo)}
        name = design_name(labels)
        if name in names:
            raise CaseError("--vary", name, "two designs get the same name; use values that differ in letters or "
                                            "digits, not only in punctuation")
        names.add(name)
        design_tree = copy.deepcopy(tree)
        try:
            for v, i in zip(varies, combo):
                set_key(design_tree, v.key, v.values[i])
            case = parse_case(design_tree)
        except CaseError as exc:
            raise CaseError(exc.key, exc.value, f"{exc.allowed} (design {name})") from None
        designs.append(Design(name, labels, case))
    return designs

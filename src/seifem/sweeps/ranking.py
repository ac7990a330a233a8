"""Rank the designs of a sweep: an objective to maximise (or minimise) under constraints.

    spec = RankingSpec.parse(objective="specific_capacity_mAh_g", constraints=["sei_failed_area<=0"])
    ranked = rank(rows, spec)

Default (`RankingSpec.parse()`): maximise the composite specific capacity
(`specific_capacity_mAh_g`, core + coating mass) subject to no SEI failure
(`sei_failed_area<=0`) and no coating failure (`coating_failed_fraction<=0`).

A design meets the constraints ("ok"), breaks one ("violates ..."), or cannot be judged on
one because its run has no such number, e.g. a coating without a strength in the library
("not assessed ..."). Order: designs that meet every constraint by objective, then those
not assessed, then those that violate (fewest violations first), then failed runs. The best
design is the first that meets every constraint.
"""

from __future__ import annotations

import math
import operator
import re
from dataclasses import dataclass

from seifem.case.fields import suggest
from seifem.errors import CaseError
from seifem.results.metrics import METRICS

__all__ = ["Constraint", "RankingSpec", "rank", "DEFAULT_OBJECTIVE", "DEFAULT_CONSTRAINTS"]

DEFAULT_OBJECTIVE = "max:specific_capacity_mAh_g"
DEFAULT_CONSTRAINTS = ("sei_failed_area<=0", "coating_failed_fraction<=0")

_OPS = {"<=": operator.le, ">=": operator.ge, "<": operator.lt, ">": operator.gt, "==": operator.eq}
_CONSTRAINT = re.compile(r"^\s*(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*(?P<op><=|>=|==|<|>)\s*(?P<value>\S+)\s*$")


def _metric(option: str, text: str, name: str) -> str:
    if name not in METRICS:
        raise CaseError(option, text, f"unknown metric {name!r}{suggest(name, list(METRICS))}; metrics: "
                                      f"{', '.join(METRICS)}")
    return name


@dataclass(frozen=True)
class Constraint:
    """`metric op value`, e.g. sei_failed_area <= 0."""

    metric: str
    op: str
    value: float

    @classmethod
    def parse(cls, text: str) -> "Constraint":
        m = _CONSTRAINT.match(text)
        if m is None:
            raise CaseError("--constraint", text, 'must look like metric<=value, e.g. "sei_failed_area<=0" '
                                                  '(operators <=, >=, <, >, ==)')
        try:
            value = float(m["value"])
        except ValueError:
            raise CaseError("--constraint", text, f"{m['value']!r} is not a number") from None
        return cls(_metric("--constraint", text, m["name"]), m["op"], value)

    def check(self, row: dict) -> bool | None:
        """True / False, or None when the row has no value for the metric."""
        v = row.get(self.metric, math.nan)
        return None if not isinstance(v, float) or math.isnan(v) else _OPS[self.op](v, self.value)

    def __str__(self) -> str:
        return f"{self.metric}{self.op}{self.value:g}"


@dataclass(frozen=True)
class RankingSpec:
    """The objective (metric and sense) and the constraints."""

    metric: str
    maximise: bool
    constraints: tuple[Constraint, ...]

    @classmethod
    def parse(cls, objective: str | None = None, constraints: list[str] | None = None) -> "RankingSpec":
        """objective: `metric`, `max:metric` or `min:metric` (default DEFAULT_OBJECTIVE);
        constraints: `metric<=value` texts (default DEFAULT_CONSTRAINTS; an empty list: none)."""
        text = objective or DEFAULT_OBJECTIVE
        sense, _, name = text.rpartition(":")
        if sense not in ("", "max", "min"):
            raise CaseError("--objective", text, "must be a metric, max:metric or min:metric, e.g. "
                                                 "max:specific_capacity_mAh_g")
        cons = DEFAULT_CONSTRAINTS if constraints is None else constraints
        return cls(_metric("--objective", text, name.strip()), sense != "min", tuple(Constraint.parse(c) for c in cons))

    def describe(self) -> str:
        goal = f"{'maximise' if self.maximise else 'minimise'} {self.metric}"
        return goal + (" subject to " + ", ".join(map(str, self.constraints)) if self.constraints else "")

    def to_json(self) -> dict:
        return {"objective": f"{'max' if self.maximise else 'min'}:{self.metric}",
                "constraints": [str(c) for c in self.constraints]}


def rank(rows: list[dict], spec: RankingSpec) -> list[dict]:
    """Rows of the ranking, best first: rank, design, verdict, objective value, and the
    varied values and metrics of the comparison row."""
    scored = []
    for row in rows:
        checks = [(c, c.check(row)) for c in spec.constraints]
        broken = [str(c) for c, ok in checks if ok is False]
        unknown = [c.metric for c, ok in checks if ok is None]
        value = row.get(spec.metric, math.nan)
        if row.get("status") != "done":
            verdict, tier = f"run {row.get('status', 'missing')}", 3
        elif broken:
            verdict, tier = "violates " + ", ".join(broken), 2
        elif unknown:
            verdict, tier = "not assessed: no " + ", ".join(unknown), 1
        else:
            verdict, tier = "ok", 0
        has = isinstance(value, float) and not math.isnan(value)
        key = -value if spec.maximise and has else (value if has else math.inf)
        scored.append(((tier, len(broken), key), {"design": row["design"], "verdict": verdict,
                                                  "objective": spec.metric, "value": value, **row}))
    scored.sort(key=lambda s: s[0])
    return [{"rank": i + 1, **r} for i, (_, r) in enumerate(scored)]

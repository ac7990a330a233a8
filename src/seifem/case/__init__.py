"""The case file: its schema (every key, its unit, range and shape), the tree and its
`--set` overrides, the frozen `Case` it becomes (SI values) and the resolved TOML written
into every run.

    case = load_case(Path("cases/si_coated.toml"), overrides=['coating.thickness="20 nm"'])

Modules, bottom up: fields (one key) -> schema (all keys) -> shape ([geometry]) -> model
(the dataclasses) -> tree (TOML and overrides) -> parse (validate) / dump (write back) ->
reference (the docs' case-file reference).
"""

from seifem.case.dump import resolved_toml
from seifem.case.model import Case, Electrochemistry, Geometry, Layer, Output, Particle, Physics, Solver, Step
from seifem.case.parse import load_case, parse_case
from seifem.case.tree import load_tree, set_key, split_override, toml_value
from seifem.errors import CaseError

__all__ = ["Case", "Particle", "Layer", "Geometry", "Step", "Physics", "Solver", "Output", "Electrochemistry", "CaseError",
           "load_case", "load_tree", "parse_case", "resolved_toml", "set_key", "split_override", "toml_value"]

"""The case file: its schema (every key, its unit and range), the shape section, the frozen
`Case` it becomes (SI values) and the resolved TOML written into every run.

    case = load_case(Path("cases/si_coated.toml"), overrides=["coating.thickness=20 nm"])
"""

from seifem.case.parse import (
                               Case,
                               CaseError,
                               Electrochemistry,
                               Geometry,
                               Layer,
                               Output,
                               Particle,
                               Physics,
                               Solver,
                               Step,
                               load_case,
                               load_tree,
                               parse_case,
                               resolved_toml,
                               set_key,
                               split_override,
                               toml_value,
)

__all__ = ["Case", "Particle", "Layer", "Geometry", "Step", "Physics", "Solver", "Output", "Electrochemistry", "CaseError",
           "load_case", "load_tree", "parse_case", "resolved_toml", "set_key", "split_override", "toml_value"]

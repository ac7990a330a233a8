"""The schema is the single source of the case keys: the docs' case-file reference is
generated from it (and up to date), and the resolved case.toml of a run writes every key of
the schema back (checked on the shipped cases plus witness cases that set the keys with no
default)."""

from __future__ import annotations

from pathlib import Path

import pytest

from seifem.case import load_case, resolved_toml
from seifem.case.reference import reference_markdown
from seifem.case.schema import SECTIONS, STEP

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_KEYS = {f"{s}.{k}" if s else k for s, fields in SECTIONS.items() for k in fields} | {
    f"protocol.steps.{k}" for k in STEP}

WITNESSES = [  # (case, overrides) setting the keys that no shipped case gives and that have no default
    ("si_coated.toml", ['coating.strength="1 GPa"', 'coating.fracture_energy="10 J/m^2"', 'coating.yield_stress="2 GPa"',
                        'particle.diffusivity_activation_energy="30 kJ/mol"', "particle.diffusivity_factor=[[0, 1], [1, 2]]",
                        "particle.poisson_ratio_factor=[[0, 1], [1, 1.1]]", 'sei.growth="reaction-limited"',
                        'sei.electrode_potential="0.2 V"', 'protocol.steps.0.until_capacity="100 mAh/g"']),
    ("si_cccv_finite_strain.toml", ["particle.yield_stress_factor=[[0, 1], [1, 0.5]]"]),
    ("si_yolk_shell.toml", ['shell.strength="1 GPa"', 'shell.fracture_energy="10 J/m^2"', 'shell.yield_stress="2 GPa"']),
    ("si_hollow.toml", []),
    ("si_bare.toml", ['protocol.steps=[{mode="equilibrate", soc=0.5}, {mode="equilibrate", swelling=1.0}]']),
    ("si_coated.toml", ['sei.electrolyte="carbonate-FEC"', ('sei.layers=[{name="inner", thickness="5 nm", composition='
                        '{LiF=0.6, Li2O=0.4}}, {name="outer", thickness="15 nm", material="sei-ether"}]')]),
]


def _keys(tree: dict) -> set[str]:
    out = set()
    for section, value in tree.items():
        if section == "protocol":
            out |= {f"protocol.steps.{k}" for step in value["steps"] for k in step}
        elif isinstance(value, dict):
            out |= {f"{section}.{k}" for k in value}
        elif isinstance(value, list):
            out |= {f"{section}.{k}" for layer in value for k in layer}
        else:
            out.add(section)
    return out


def test_reference_in_docs_is_generated_from_the_schema():
    text = (ROOT / "docs" / "case-reference.md").read_text()
    assert text == reference_markdown(), "docs/case-reference.md is stale: python -m seifem.case.reference > it"
    missing = [k for k in SCHEMA_KEYS if f"`{k.replace('protocol.steps.', 'protocol.steps.N.')}`" not in text]
    assert not missing


def test_resolved_case_writes_every_schema_key():
    seen: set[str] = set()
    for path in sorted((ROOT / "cases").glob("*.toml")):
        seen |= _keys(resolved_toml(load_case(path)))
    for name, overrides in WITNESSES:
        seen |= _keys(resolved_toml(load_case(ROOT / "cases" / name, overrides)))
    assert sorted(SCHEMA_KEYS - seen) == []


@pytest.mark.parametrize("path", sorted((ROOT / "cases").glob("*.toml")), ids=lambda p: p.stem)
def test_resolved_case_holds_no_key_outside_the_schema(path):
    """Besides the schema's keys, a resolved case holds only material values, their sources, a
    material's guest ion, a coating's region name and a porous layout summary."""
    from seifem.materials import PROPERTIES

    extra = {f"{s}.{k}" for s in ("particle", "coating", "sei", "shell") for k in (*PROPERTIES, "sources", "ion")}
    extra |= {"coating.name", "geometry.pore_layout", "protocol.cycles", "output.probes"}
    assert _keys(resolved_toml(load_case(path))) - SCHEMA_KEYS - extra == set()

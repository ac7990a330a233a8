"""Every shipped case is a valid case and says what it shows: `seifem check` passes on it, its
header comment has "Shows:" and "Expected:", and every particle design has a case."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CASES = sorted((ROOT / "cases").glob("*.toml"))


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_shipped_case_checks(path, capsys):
    from seifem.cli import main

    assert main(["check", str(path)]) == 0
    assert "[geometry]" in capsys.readouterr().out
    header = "\n".join(line for line in path.read_text().splitlines() if line.startswith("#"))
    assert "Shows:" in header and "Expected" in header, path.name
    assert tomllib.loads(path.read_text()).get("title")


def test_every_design_has_a_case():
    """Solid, hollow, coated, multilayer, ellipsoid, porous, yolk-shell and imported particles."""
    from seifem.case import load_case

    cases = [load_case(p) for p in CASES]
    designs = {c.geometry.shape for c in cases}
    designs |= {"hollow" for c in cases if c.geometry.inner_radius > 0}
    designs |= {"coated" for c in cases if len(c.coatings) == 1} | {"multilayer" for c in cases if len(c.coatings) > 1}
    designs |= {"solid" for c in cases if c.geometry.shape == "sphere" and not c.coatings and not c.geometry.inner_radius}
    assert designs >= {"solid", "hollow", "coated", "multilayer", "ellipsoid", "porous", "yolk-shell", "file"}

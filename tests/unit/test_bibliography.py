"""Every source the material library cites resolves in docs/bibliography.md: each short key
(M1, PMG, Ai2022, VIDRINE, ...), each abbreviation and each first author of a citation
("Pharr, Suo & Vlassak", "Rontu et al.") written in any string of src/seifem/materials/
has a row there, so users never meet a key they cannot look up."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIBLIOGRAPHY = ROOT / "docs" / "bibliography.md"

KEY = re.compile(r"\b(?:[A-Z]{2,}|M\d|[A-Z][A-Za-z]*[a-z]\d{4})(?![A-Za-z0-9])")
"""Short keys and abbreviations: all-capital words (PMG, VIDRINE, CRC), table keys (M1) and
compact author-year keys (Ai2022, GaoHong2016)."""

AUTHOR = re.compile(r"\b([A-Z][a-z]+)(?: et al\b|(?:, [A-Z][a-z]+)*,? & [A-Z][a-z]+| \(?(?:19|20)\d\d\b)")
"""The first author of "Name et al.", "Name, Name & Name", "Name & Name" or "Name 2013"."""

NOT_AUTHORS = {"May", "Matter", "Solids", "Sources", "Nano"}
"""A date ("3 May 2017") and journals ("Matter 2020", "J. Mech. Phys. Solids 2016", "J. Power Sources 2018", "ACS Nano (2013)")."""


def _library_strings() -> list[str]:
    """Every string literal in the material modules that is not an identifier (names in
    __all__ are code, not citations)."""
    out = []
    for path in sorted((ROOT / "src" / "seifem" / "materials").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and not node.value.isidentifier():
                out.append(node.value)
    return out


def _rows() -> set[str]:
    """First column of every table row of the bibliography, split at commas and spaces."""
    words = set()
    for line in BIBLIOGRAPHY.read_text().splitlines():
        if line.startswith("| ") and not line.startswith("|---"):
            words.update(re.split(r"[,\s]+", line.split("|")[1].strip()))
    return words


def _chemical(token: str, text: str) -> bool:
    """A formula such as K3P, KPF6 or a page number (A1703): the capitals run into digits."""
    return bool(re.search(rf"\b{token}\d", text))


def test_every_key_and_abbreviation_has_a_row():
    text = "\n".join(_library_strings())
    rows = _rows()
    keys = {k for k in KEY.findall(text) if not (k[0] != "M" and _chemical(k, text) and k not in text.split())}
    missing = sorted(k for k in keys if k not in rows)
    assert not missing, f"source keys without a row in {BIBLIOGRAPHY.name}: {missing}"
    assert {"PMG", "M1", "VIDRINE", "Ai2022", "GaoHong2016", "Chen2020"} <= keys  # the scan sees the keys it is for


def test_every_first_author_has_a_row():
    text = "\n".join(_library_strings())
    rows = _rows()
    authors = set(AUTHOR.findall(text)) - NOT_AUTHORS
    missing = sorted(a for a in authors if a not in rows)
    assert not missing, f"cited first authors without a row in {BIBLIOGRAPHY.name}: {missing}"
    assert {"Pharr", "Rontu", "Verbrugge", "Lee"} <= authors


def test_the_materials_page_and_the_listing_point_to_it(capsys):
    from seifem.cli.main import main

    assert main(["materials"]) == 0
    assert capsys.readouterr().out.rstrip().endswith("docs/bibliography.md")
    assert "bibliography.md" in (ROOT / "docs" / "materials.md").read_text()
    assert "bibliography.md" in (ROOT / "docs" / "README.md").read_text()

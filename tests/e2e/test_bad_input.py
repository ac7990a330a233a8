"""Each class of bad input is refused before any mesh is built, with one message naming the
key, the value and what is allowed, a non-zero exit and no hang under mpirun -n 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import run_seifem

ROOT = Path(__file__).resolve().parents[2]
CASE = str(ROOT / "cases" / "si_coated.toml")

BAD = [
    # (--set override, words the message must contain)
    ('particle.radius=5', ["particle.radius", "5", "needs a unit"]),
    ('particle.radius="5 GPa"', ["particle.radius", "5 GPa", "[length]"]),
    ('coating.thicknes="20 nm"', ["coating.thicknes", "unknown key", 'did you mean "thickness"']),
    ('particle.poisson_ratio=0.7', ["particle.poisson_ratio", "0.7", "<= 0.499"]),
    ('particle.radius="-2 um"', ["particle.radius", "-2 um", ">= 0.01 um"]),
    ('coating.thickness="3 um"', ["coating.thickness", "3 um", "thinner than the particle radius"]),
    ('sei.thickness="3 um"', ["sei.thickness", "3 um", "thinner than the particle"]),
    ('geometry.mesh_size="1 nm"', ["geometry.mesh_size", "1 nm", "between"]),
    ('particle.material="Sii"', ["particle.material", "Sii", 'did you mean "Si"']),
    ('protocol.steps.0.c_rate="fast"', ["protocol.steps.0.c_rate", "fast", "C-rate"]),
    ('geometry.domian="full"', ["geometry.domian", 'did you mean "domain"']),
    # shapes (cases/si_porous.toml and si_file.toml for the rest of the keys)
    ('geometry.shape="spheroid"', ["geometry.shape", "spheroid", "'ellipsoid'", "'porous'"]),
    (("geometry.porosity=0.45", "--case", "si_porous"), ["geometry.porosity", "0.45", "unreachable", "min_ligament"]),
    (('geometry.min_ligament="40 nm"', "--case", "si_porous"), ["geometry.min_ligament", "cannot be meshed"]),
    (('geometry.file="nothere.stl"', "--case", "si_file"), ["geometry.file", "nothere.stl", "no such file"]),
]


@pytest.mark.parametrize("override,words", BAD, ids=[(b[0] if isinstance(b[0], str) else b[0][0]).split("=")[0]
                                                     for b in BAD])
def test_bad_value_is_refused(override, words, tmp_path):
    out = tmp_path / "run"
    case = CASE
    if not isinstance(override, str):  # (override, "--case", name): another shipped case
        override, case = override[0], str(ROOT / "cases" / f"{override[2]}.toml")
    res = run_seifem(2, "run", case, "--set", override, "--out", str(out), timeout=60)
    assert res.returncode == 2, res.stderr
    assert "Traceback" not in res.stderr
    errors = [ln for ln in res.stderr.splitlines() if ln.startswith("seifem: error:")]
    assert len(errors) == 1, res.stderr  # once, from rank 0
    for w in words:
        assert w in errors[0], (w, errors[0])
    assert "mesh:" not in res.stderr  # refused before any mesh was built
    assert not out.exists()


def test_broken_toml(tmp_path):
    case = tmp_path / "broken.toml"
    case.write_text('[particle]\nradius = "5 um\n')
    res = run_seifem(2, "run", str(case), timeout=60, cwd=tmp_path)
    assert res.returncode == 2 and "not valid TOML" in res.stderr and "Traceback" not in res.stderr


def test_missing_case_file(tmp_path):
    res = run_seifem(2, "check", str(tmp_path / "nope.toml"), timeout=60)
    assert res.returncode == 2 and "no such file" in res.stderr


def test_check_prints_resolved_case_with_units():
    res = run_seifem(1, "check", CASE, "--set", 'coating.thickness="20 nm"', timeout=60)
    assert res.returncode == 0, res.stderr
    assert 'thickness = "20 nm"' in res.stdout
    assert 'youngs_modulus = "80 GPa"' in res.stdout
    assert "[estimate]" in res.stdout  # provenance of each material value is shown


def test_membrane_sei_beyond_its_limit():
    res = run_seifem(1, "check", CASE, "--set", 'sei.model="membrane"', "--set", 'sei.thickness="300 nm"', timeout=60)
    assert res.returncode == 2
    assert "sei.thickness = '300 nm'" in res.stderr and "thin-layer SEI" in res.stderr and "resolved" in res.stderr

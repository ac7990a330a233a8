"""The other commands: mesh, info, materials."""

from __future__ import annotations

from pathlib import Path

from helpers import run_seifem

ROOT = Path(__file__).resolve().parents[2]


def test_mesh_writes_xdmf_with_tags(tmp_path):
    out = tmp_path / "coated.xdmf"
    res = run_seifem(2, "mesh", str(ROOT / "cases" / "si_coated.toml"), "--out", str(out), timeout=120)
    assert res.returncode == 0, res.stderr
    text = out.read_text()
    assert 'Name="regions"' in text and 'Name="surfaces"' in text
    again = run_seifem(2, "mesh", str(ROOT / "cases" / "si_coated.toml"), "--out", str(out), timeout=120)
    assert again.returncode == 2 and "exists already" in again.stderr


def test_info_and_materials():
    info = run_seifem(2, "info", timeout=60)
    assert info.returncode == 0 and "dolfinx" in info.stdout and info.stdout.count("python ") == 1
    mats = run_seifem(1, "materials", timeout=60)
    assert mats.returncode == 0 and "Si (active, Li)" in mats.stdout and "GaoHong2016" in mats.stdout

"""The other commands: mesh, info, materials."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from helpers import run_seifem

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_mesh_writes_xdmf_with_tags_and_is_reused(tmp_path):
    case = str(ROOT / "cases" / "si_coated.toml")
    res = run_seifem(2, "mesh", case, cwd=tmp_path, timeout=120)
    assert res.returncode == 0, res.stderr
    out = tmp_path / "meshes" / "si_coated.xdmf"
    text = out.read_text()
    assert 'Name="regions"' in text and 'Name="surfaces"' in text
    assert out.with_suffix(".msh").is_file() and '"key"' in out.with_suffix(".json").read_text()
    import pyvista as pv  # the VTK copy opens in pyvista (curved cells, region numbers per cell)

    grid = pv.get_reader(str(tmp_path / "meshes" / "si_coated_vtk" / "mesh.pvd")).read()[0]
    assert grid.n_cells > 0 and set(np.unique(grid.cell_data["region"]).astype(int)) == {1, 2}
    again = run_seifem(2, "mesh", case, cwd=tmp_path, timeout=120)
    assert again.returncode == 2 and "exists already" in again.stderr
    # a run with the same geometry (other physics) reuses the mesh; another geometry does not
    same = run_seifem(2, "run", case, "--no-render", "--set", "output.fields=false", "--set", 'physics.mechanics="small-strain"',
                      "--set", "physics.plasticity=false",
                      "--set", 'protocol.steps=[{mode="lithiate", c_rate="2 C", until_soc=0.01}]', cwd=tmp_path, timeout=300)
    assert same.returncode == 0 and "reusing mesh meshes/si_coated.msh" in same.stderr
    other = run_seifem(1, "check", case, "--set", 'coating.thickness="40 nm"', cwd=tmp_path)
    assert other.returncode == 0


@pytest.mark.slow
def test_info_and_materials():
    info = run_seifem(2, "info", timeout=60)
    assert info.returncode == 0 and "dolfinx" in info.stdout and info.stdout.count("python ") == 1
    assert "PETSc " in info.stdout
    version = run_seifem(1, "--version", timeout=60)
    assert version.returncode == 0 and version.stdout.startswith("seifem 0.")
    mats = run_seifem(1, "materials", timeout=60)
    assert mats.returncode == 0 and "Si (active, Li)" in mats.stdout and "GaoHong2016" in mats.stdout

"""`seifem run` of the shipped 2d-plane fracture case (cases/si_crack_2d.toml) under mpirun -n 2,
coarsened (l = 100 nm on a 50 nm surface mesh, 40 s of the 1C delithiation): the plane-strain
cross-section runs through the usual loop, the seeded flaws are cracks from the start, the damage
never decreases, the fracture columns are in the history and the damage map is in
fields_vtk/fields.pvd (read back with pyvista)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from helpers import read_csv, run_seifem

ROOT = Path(__file__).resolve().parents[2]
CASE = ROOT / "cases" / "si_crack_2d.toml"
COARSE = ["--set", 'geometry.surface_mesh_size="50 nm"', "--set", 'fracture.length_scale="100 nm"',
          "--set", 'protocol.steps.0.duration="40 s"', "--set", 'solver.dt="20 s"',
          "--set", 'output.field_times=["40 s"]']


@pytest.mark.slow
def test_plane_fracture_run(tmp_path):
    import pyvista as pv  # a dependency: fail, never skip, without it

    out = tmp_path / "run"
    res = run_seifem(2, "run", str(CASE), "--out", str(out), "--no-render", *COARSE, timeout=600)
    assert res.returncode == 0, res.stderr
    h = read_csv(out / "history.csv")
    for c in ("soc", "core_st_max_MPa", "voltage_V", "damage_max", "crack_area_um2", "surface_cracks", "fragments",
              "fracture_iterations"):
        assert c in h, c
    assert h["damage_max"][0] == 1.0 and h["surface_cracks"][0] == 4  # the four seeded flaws
    assert h["fragments"][0] == 1  # flaws 100 nm deep split nothing off
    assert np.all(np.diff(h["crack_area_um2"]) >= -1e-9)
    assert h["core_st_max_MPa"][-1] > 0  # hoop tension at the surface on delithiation
    assert abs(h["soc"][-1] - (0.8 - 40 / 3600)) < 1e-9
    grid = pv.read(out / "fields_vtk" / "t00000.vtu")
    assert grid.n_cells > 1000 and float(grid.point_data["damage"].max()) == pytest.approx(1.0)
    assert (out / "fields_vtk" / "fields.pvd").is_file()

"""Fields every model writes the same way: the 3D particle (curved second-order cells), the
2D twin (its meridian) and the 1D twin (a line) each write `fields_vtk/fields.pvd`, which
pyvista opens, with the same field names and units; the 3D run on 2 ranks too."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from helpers import run_seifem

ROOT = Path(__file__).resolve().parents[2]
NAMES = {"theta", "displacement_um", "sigma_rr_MPa", "sigma_hoop_MPa", "von_mises_MPa", "hydrostatic_MPa"}
SHORT = ['--set', 'protocol.steps=["Lithiate at 1C for 2 minutes"]', "--set", 'geometry.mesh_size="0.8 um"',
         "--no-render"]


def _open(run: Path):
    import pyvista as pv

    reader = pv.get_reader(str(next(run.glob("fields*_vtk")) / "fields.pvd"))
    reader.set_active_time_value(reader.time_values[-1])
    grid = reader.read()
    return reader.time_values, grid[0] if isinstance(grid, pv.MultiBlock) else grid


@pytest.mark.parametrize("model, ranks", [("1d", 1), ("2d", 1), ("3d", 2)])
def test_pyvista_opens_the_fields_of_every_model(tmp_path, model, ranks):
    out = tmp_path / model
    res = run_seifem(ranks, "run", str(ROOT / "cases" / "si_bare.toml"), "--out", str(out),
                     "--set", f'geometry.model="{model}"', *SHORT, timeout=600)
    assert res.returncode == 0, res.stderr
    times, grid = _open(out)
    assert times[-1] == pytest.approx(120.0) and grid.n_points > 0
    assert NAMES <= set(grid.point_data.keys())
    theta = np.asarray(grid.point_data["theta"])
    assert 0.0 <= theta.min() and theta.max() <= 0.2  # 2 min at 1C from empty: mean soc 1/30
    assert np.nanmax(np.abs(grid.point_data["sigma_hoop_MPa"])) > 1.0  # a real stress field, in MPa

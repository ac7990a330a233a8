"""The electrode-patch runner on the shipped case (shrunk): files written, history linear in
soc, the same history on 1 and 2 MPI ranks, bad input refused before meshing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from helpers import read_csv

ROOT = Path(__file__).resolve().parents[2]
CASE = ROOT / "cases" / "electrode" / "electrode_patch.toml"
SMALL = ["electrode.thickness=\"6 um\"", "electrode.width=\"6 um\"", "electrode.radius=\"1 um\"",
         "electrode.mesh_size=\"1.2 um\"", "electrode.surface_mesh_size=\"0.6 um\"", "electrode.soc_steps=2"]


def _run(ranks: int, out: Path, *overrides: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "seifem.simulation.electrode_patch", str(CASE), str(out)]
    for o in (*SMALL, *overrides):
        cmd += ["--set", o]
    if ranks > 1:
        cmd = [str(Path(sys.executable).parent / "mpirun"), "-n", str(ranks), *cmd]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=600, env=env)


def test_run_serial_and_two_ranks_agree(tmp_path):
    one, two = _run(1, tmp_path / "one"), _run(2, tmp_path / "two")
    assert one.returncode == 0, one.stderr[-2000:]
    assert two.returncode == 0, two.stderr[-2000:]
    for name in ("case.toml", "history.csv", "particles.csv", "summary.json"):
        assert (tmp_path / "one" / name).is_file()
    h1, h2 = read_csv(tmp_path / "one" / "history.csv"), read_csv(tmp_path / "two" / "history.csv")
    s = json.loads((tmp_path / "one" / "summary.json").read_text())
    assert s["particles"] >= 3 and abs(s["active_fraction_achieved"] - 0.2) < 0.05
    soc, dz = h1["soc"], h1["thickness_change"]
    assert soc[-1] == pytest.approx(0.03) and dz[0] == 0.0 and dz[-1] > 0
    assert np.allclose(dz, dz[-1] * soc / soc[-1], rtol=1e-8)  # linear problem, uniform lithiation
    assert np.all(h1["particle_hydrostatic_MPa"][1:] < 0)     # particles held in compression by the binder
    for key in h1:
        assert np.allclose(h1[key], h2[key], rtol=1e-6, atol=1e-9), key  # 1 and 2 ranks: same history


def test_particles_thicker_than_electrode_refused_before_meshing(tmp_path):
    r = _run(1, tmp_path / "bad", "electrode.radius=\"4 um\"")
    assert r.returncode == 2 and r.stderr.startswith("error: electrode.radius"), r.stderr
    assert not (tmp_path / "bad").exists()

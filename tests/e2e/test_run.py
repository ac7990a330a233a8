"""`seifem run` end to end under mpirun -n 2 on a shipped case: every output is produced,
serial and parallel histories agree, the ion inventory matches the applied current."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest

from helpers import read_csv, run_seifem

ROOT = Path(__file__).resolve().parents[2]
CASE = ROOT / "cases" / "si_coated.toml"
# the shipped case made light: small strain, a 50 nm coating, 1C to soc 0.05 and back to 0.01
# (every output of the real case in ~1/10 of its time; test_the_real_case runs it as shipped)
COARSE = ["--set", 'geometry.mesh_size="0.6 um"', "--set", 'physics.mechanics="small-strain"',
          "--set", "physics.plasticity=false", "--set", 'coating.thickness="50 nm"', "--set", 'solver.dt="15 s"',
          "--set", ('protocol.steps=[{mode="lithiate", c_rate="1 C", until_soc=0.05}, '
                    '{mode="delithiate", c_rate="1 C", until_soc=0.01}]')]


@pytest.fixture(scope="module")
def coated_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("e2e") / "run"
    res = run_seifem(2, "run", str(CASE), "--out", str(out), *COARSE)
    assert res.returncode == 0, res.stderr
    return out, res


@pytest.mark.slow
def test_run_writes_every_output(coated_run):
    out, res = coated_run
    for name in ("case.toml", "history.csv", "probes.csv", "summary.json", "run.log"):
        assert (out / name).is_file(), name
    assert (out / "fields.bp").is_dir()
    figs = sorted(p.name for p in (out / "figures").iterdir())
    assert "history.png" in figs
    assert sum(n.startswith("map_t") for n in figs) == 2  # end of each protocol step
    case = tomllib.loads((out / "case.toml").read_text())
    assert case["run"]["ranks"] == 2 and "dolfinx" in case["run"]["versions"]
    assert case["coating"][0]["thickness"] == "50 nm" and case["coating"][0]["name"] == "coating"


@pytest.mark.slow  # its fixture runs the coated case on 2 ranks (~33 s)
def test_history_columns(coated_run):
    out, _ = coated_run
    h = read_csv(out / "history.csv")
    for col in ("time_s", "soc", "ions_mol", "applied_ions_mol", "volume_change", "core_sr_max_MPa",
                "core_st_min_MPa", "core_vm_max_MPa", "core_p1_max_MPa", "coating_st_max_MPa",
                "coating_p1_max_MPa", "sei_strain_max", "sei_stress_max_MPa", "sei_stress_min_MPa"):
        assert col in h, col
    # lithiation to soc 0.05 and back to 0.01: lands exactly on both until_soc targets
    assert h["soc"].max() == pytest.approx(0.05, abs=1e-9)
    assert h["soc"][-1] == pytest.approx(0.01, abs=1e-9)
    # SEI stretch and swelling peak at the end of lithiation and relax with delithiation
    peak = int(np.argmax(h["soc"]))
    assert h["sei_strain_max"].max() > 0.01
    assert int(np.argmax(h["sei_strain_max"])) == peak and int(np.argmax(h["volume_change"])) == peak
    assert 0 < h["volume_change"][-1] < 0.3 * h["volume_change"][peak]


@pytest.mark.slow  # its fixture runs the coated case on 2 ranks (~32 s loaded)
def test_probes_written(coated_run):
    out, _ = coated_run
    p = read_csv(out / "probes.csv")
    assert {"centre_theta", "centre_sigma_rr_MPa", "interface_sigma_hoop_MPa", "centre_u_x"} <= set(p)


@pytest.mark.slow  # its fixture runs the coated case on 2 ranks
def test_ion_inventory_matches_applied_current(coated_run):
    out, _ = coated_run
    h = read_csv(out / "history.csv")
    scale = np.max(h["applied_ions_mol"])
    np.testing.assert_allclose(h["ions_mol"], h["applied_ions_mol"], rtol=0, atol=1e-8 * scale)


@pytest.mark.slow
def test_render_never_overwrites(coated_run):
    out, _ = coated_run
    res = run_seifem(1, "render", str(out))
    assert res.returncode == 0, res.stderr
    assert (out / "figures-2" / "history.png").is_file()


@pytest.mark.slow
def test_serial_and_parallel_histories_agree(coated_run, tmp_path):
    out2, _ = coated_run
    res = run_seifem(1, "run", str(CASE), "--out", str(tmp_path / "serial"), "--no-render",
                     "--set", "output.fields=false", *COARSE)
    assert res.returncode == 0, res.stderr
    h1, h2 = read_csv(tmp_path / "serial" / "history.csv"), read_csv(out2 / "history.csv")
    assert len(h1["time_s"]) == len(h2["time_s"])
    stress_scale = max(np.max(np.abs(v)) for k, v in h1.items() if k.endswith("_MPa"))
    for col, v1 in h1.items():
        v2 = h2[col]
        scale = stress_scale if col.endswith("_MPa") else max(np.max(np.abs(v1)), 1e-30)
        # solver rtol is 1e-10: values agree to 1e-6 of their scale (stresses: the largest stress)
        np.testing.assert_allclose(v1, v2, rtol=0, atol=1e-6 * scale, err_msg=col)


def test_existing_run_dir_is_refused(tmp_path):
    """A directory holding a run's output (here a history.csv, no run needed: any directory that
    is not empty is refused before the case is meshed) is left as it is."""
    out = tmp_path / "run"
    out.mkdir()
    (out / "history.csv").write_text("time_s,soc\n0,0.01\n")
    before = (out / "history.csv").read_bytes()
    res = run_seifem(2, "run", str(CASE), "--out", str(out), timeout=60)
    assert res.returncode == 2
    assert "--out" in res.stderr and "never overwrites" in res.stderr
    assert (out / "history.csv").read_bytes() == before


@pytest.mark.slow
@pytest.mark.parametrize("model", ["1d", "2d"])
def test_reduced_twins_run_end_to_end(tmp_path, model, coated_run):
    """geometry.model switches the same case to a twin: the 3D run's history columns, its
    own pictures, on 2 ranks; the twins agree with each other on the history."""
    out = tmp_path / model
    res = run_seifem(2, "run", str(CASE), "--out", str(out), "--set", f'geometry.model="{model}"', *COARSE)
    assert res.returncode == 0, res.stderr
    h = read_csv(out / "history.csv")
    assert set(h) == set(read_csv(coated_run[0] / "history.csv"))
    assert (out / "figures" / "map_t000180.0s.png").is_file()  # every model draws the same maps
    assert (out / "figures" / "profiles.png").is_file() == (model == "1d")
    np.testing.assert_allclose(h["ions_mol"], h["applied_ions_mol"], rtol=0, atol=1e-8 * h["applied_ions_mol"].max())


@pytest.mark.slow
def test_the_real_case(tmp_path):
    """The README's first command as shipped: a full 3C lithiation to Li3.75Si and delithiation
    to 1.0 V of the coated particle at finite strain with plasticity, on 2 ranks: ~275 %
    swelling at soc 1, plastic flow in the core, the SEI failure indicators set, back near the
    start at the end."""
    out = tmp_path / "real"
    res = run_seifem(2, "run", str(CASE), "--out", str(out), "--no-render", "--set", "output.fields=false",
                     timeout=900)
    assert res.returncode == 0, res.stderr
    h = read_csv(out / "history.csv")
    peak = int(np.argmax(h["soc"]))
    assert h["soc"][peak] == pytest.approx(1.0, abs=1e-9)
    assert 2.4 < h["volume_change"][peak] < 2.81  # measured 2.77; free Li3.75Si: 1 + Omega c_max = 3.81
    assert h["core_plastic_fraction"].max() > 0.1 and h["core_plastic_strain_max"][-1] > 0  # measured 0.53
    assert h["sei_failed_area"].max() == 1.0 and h["sei_strain_util_max"].max() > 1
    assert h["voltage_V"][-1] == pytest.approx(1.0, abs=0.01) and h["soc"][-1] < 0.2  # measured 0.155 at the cut-off

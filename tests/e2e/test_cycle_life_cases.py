"""The shipped cycle-life cases (1D twin, docs/cycle-life.md) run as their headers state and show
what they say: `seifem run` writes cycles.csv and the retention plot; the electrolyte sweeps rank
as stated; the cut-off study trades capacity for stretch and lithium. In-process, one rank."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from helpers import read_csv
from seifem.cli.main import main

ROOT = Path(__file__).resolve().parents[2]


def _sweep(tmp_path, case: str, vary: str, capsys):
    out = tmp_path / "sweep"
    code = main(["--log-level", "WARNING", "sweep", str(ROOT / "cases" / case), "--vary", vary, "--out", str(out),
                 "--no-render"])
    text = capsys.readouterr()
    assert code == 0, text.err
    code = main(["--log-level", "WARNING", "compare", str(out), "--objective", "capacity_retention"])
    text = capsys.readouterr().out
    assert code == 0
    return read_csv(out / "comparison.csv"), text


@pytest.mark.slow
def test_cycle_life_run_writes_cycles_and_the_retention_plot(tmp_path, capsys):
    out = tmp_path / "run"
    code = main(["--log-level", "WARNING", "run", str(ROOT / "cases" / "si_cycle_life_300.toml"), "--out", str(out),
                 "--set", "protocol.cycles=30"])
    assert code == 0, capsys.readouterr().err
    c = read_csv(out / "cycles.csv")
    assert list(c["cycle"]) == list(range(1, 31)) and c["resolved"].sum() < 30
    assert np.all(np.abs(c["conservation_error"]) < 1e-8)
    assert np.all(np.diff(c["capacity_retention"]) < 0) and c["outer_damage"][-1] < 0.05 and c["inner_damage"][-1] > 0.99
    assert list(out.glob("figures*/retention.png"))


@pytest.mark.slow
def test_si_electrolyte_comparison_ranks_as_the_header_says(tmp_path, capsys):
    t, out = _sweep(tmp_path, "si_electrolyte_cycle_life.toml", "sei.electrolyte=carbonate,carbonate-FEC,LHCE", capsys)
    ret = dict(zip(t["sei.electrolyte"], t["capacity_retention"]))
    assert ret["carbonate-FEC"] > ret["carbonate"] > ret["LHCE"]
    assert ret["carbonate-FEC"] == pytest.approx(0.981, abs=2e-3) and ret["LHCE"] == pytest.approx(0.932, abs=2e-3)
    assert "best design: " in out and "carbonate-FEC" in out.split("best design:")[1].split("\n")[0]


@pytest.mark.slow
def test_sb_na_electrolyte_comparison(tmp_path, capsys):
    t, _ = _sweep(tmp_path, "sb_na_electrolyte_cycle_life.toml", "sei.electrolyte=NaPF6-diglyme,NaPF6-carbonate", capsys)
    ret = dict(zip(t["sei.electrolyte"], t["capacity_retention"]))
    assert ret["NaPF6-diglyme"] == pytest.approx(0.931, abs=2e-3) and ret["NaPF6-carbonate"] == pytest.approx(0.820, abs=2e-3)


@pytest.mark.slow
def test_cutoff_voltage_study_trades_capacity_for_stretch(tmp_path, capsys):
    t, _ = _sweep(tmp_path, "si_cutoff_voltage_study.toml", "protocol.steps.0.until_voltage=0.05,0.1,0.15,0.2V", capsys)
    for col in ("delivered_specific_capacity_mAh_g", "volume_change", "sei_exposed_area", "lost_ions_mol"):
        assert np.all(np.diff(t[col]) < 0), col  # higher cut-off: less of each
    assert np.all(np.diff(t["coulombic_efficiency"][1:]) > 0)

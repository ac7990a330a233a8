"""Every shipped case passes `seifem check`; the sweep cases run the sweep their header
states (on the 1D twin: the point here is the case, not the 3D mesh) and show what the header
says a researcher should expect; the SEI growth case runs two cycles on a coarse mesh and
loses lithium to its SEI. In-process, one rank."""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path

import numpy as np
import pytest

from helpers import read_csv
from seifem.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
CASES = sorted((ROOT / "cases").glob("*.toml"))
SWEEPS = [c for c in CASES if "seifem sweep" in c.read_text()]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.stem)
def test_shipped_case_checks_and_says_what_it_shows(case, capsys):
    assert main(["check", str(case)]) == 0, capsys.readouterr().err
    header = case.read_text().split("\ntitle")[0]
    assert header.startswith("# ") and len(header) > 200  # a header saying what the case shows
    assert "Shows:" in header and re.search("expect", header, re.IGNORECASE), case.name
    assert tomllib.loads(case.read_text()).get("title")


def test_every_design_has_a_case():
    """Solid, hollow, coated, multilayer, ellipsoid, porous, yolk-shell and imported particles."""
    from seifem.case import load_case

    cases = [load_case(p) for p in CASES]
    designs = {c.geometry.shape for c in cases}
    designs |= {"hollow" for c in cases if c.geometry.inner_radius > 0}
    designs |= {"coated" for c in cases if len(c.coatings) == 1} | {"multilayer" for c in cases if len(c.coatings) > 1}
    designs |= {"solid" for c in cases if c.geometry.shape == "sphere" and not c.coatings and not c.geometry.inner_radius}
    assert designs >= {"solid", "hollow", "coated", "multilayer", "ellipsoid", "porous", "yolk-shell", "file"}


def intended_sweep(case: Path) -> list[str]:
    """The `--vary ...` arguments of the sweep command in the case's header."""
    m = re.search(r"^#\s+seifem sweep (\S+) (.+)$", case.read_text(), re.MULTILINE)
    assert m and Path(m[1]).name == case.name, "the header states the intended command for this file"
    return shlex.split(m[2])


@pytest.fixture(scope="module")
def swept(tmp_path_factory):
    """comparison.csv and stdout of each shipped sweep, run on the 1D twin."""
    def run(case: Path, capsys):
        out = tmp_path_factory.mktemp(case.stem) / "sweep"
        code = main(["--log-level", "WARNING", "sweep", str(case), *intended_sweep(case), "--out", str(out),
                     "--set", 'geometry.model="1d"', "--no-render"])
        text = capsys.readouterr()
        assert code == 0, text.err
        return read_csv(out / "comparison.csv"), text.out
    return run


@pytest.mark.slow  # ~28 s loaded (five designs)
def test_carbon_thickness_sweep(swept, capsys):
    t, out = swept(ROOT / "cases" / "si_carbon_thickness_sweep.toml", capsys)
    assert t["coating.thickness"] == ["0nm", "5nm", "10nm", "20nm", "40nm"]
    assert np.all(np.diff(t["sei_strain"]) < 0) and np.all(np.diff(t["specific_capacity_mAh_g"]) < 0)
    assert 0.9 < t["sei_strain"][-1] / t["sei_strain"][0] < 1.0  # a few per cent, as the header says
    assert np.all(t["sei_energy_util"] > 1) and np.all(t["sei_failed_area"] == 1)
    assert "best design: none meets every constraint" in out


@pytest.mark.slow  # ~21 s loaded (five designs)
def test_siox_thickness_sweep(swept, capsys):
    t, out = swept(ROOT / "cases" / "si_siox_thickness_sweep.toml", capsys)
    assert np.all(np.diff(t["sei_strain"]) < 0) and np.all(t["sei_failed_area"] == 0)
    assert t["coating_failed_fraction"] == ["0", "", "", "", ""]  # SiOx has no strength: not assessed
    assert "best design: coating.thickness=0nm" in out


def test_sn_na_sei_comparison(swept, capsys):
    t, out = swept(ROOT / "cases" / "sn_na_sei_comparison.toml", capsys)
    assert t["sei.material"] == ["sei-ether", "sei-carbonate"]
    assert t["sei_strain"][1] == pytest.approx(t["sei_strain"][0], rel=1e-3)  # the thin film follows the core
    assert list(t["sei_failed_area"]) == [0, 1]
    assert "best design: sei.material=sei-ether" in out


@pytest.mark.slow
def test_sei_growth_cycles_loses_lithium(tmp_path, capsys):
    out = tmp_path / "growth"
    code = main(["--log-level", "WARNING", "run", str(ROOT / "cases" / "si_sei_growth_cycles.toml"), "--out", str(out),
                 "--no-render", "--set", 'geometry.mesh_size="0.8 um"', "--set", "protocol.cycles=2", "--set", 'solver.dt="60 s"',
                 "--set", "output.fields=false"])
    assert code == 0, capsys.readouterr().err
    c = read_csv(out / "cycles.csv")
    assert list(c["cycle"]) == [1, 2] and np.all(c["coulombic_efficiency"] < 1) and np.all(np.diff(c["lost_ions_mol"]) > 0)
    h = read_csv(out / "history.csv")
    assert h["sei_failed_area"].max() == 1.0
    np.testing.assert_allclose(h["ions_mol"] + h["lost_ions_mol"], h["applied_ions_mol"], rtol=0,
                               atol=1e-9 * h["applied_ions_mol"].max())


def test_coating_debond_sweep(swept, capsys):
    t, _ = swept(ROOT / "cases" / "si_coating_debond.toml", capsys)
    assert list(t["debonded_area_fraction"]) == [1, 0]  # 50 MPa debonds on delithiation, 500 MPa holds
    assert t["crack_sei_lost_mol"][0] > 0 and t["crack_sei_lost_mol"][1] == 0
    assert 40 < t["interface_tension_MPa"][0] <= 50.0 < t["interface_tension_MPa"][1]  # measured 48.9 and 190


@pytest.mark.slow  # ~15 s loaded (two runs)
def test_sliding_sei_case_lets_go_where_the_bonded_film_is_compressed(tmp_path):
    """cases/si_sei_sliding.toml shows what its header says (measured values there): the
    low-adhesion SEI slides on lithiation and debonds on delithiation, keeping its hoop
    stress small; the bonded one is pulled into compression. The interface law itself is
    checked against closed forms in tests/verification/test_cohesive_axisym.py."""
    case = ROOT / "cases" / "si_sei_sliding.toml"
    bonded = ["--set", 'interface.normal_strength="500 MPa"', "--set", 'interface.tangential_strength="500 MPa"',
              "--set", 'interface.normal_energy="5 J/m^2"', "--set", 'interface.tangential_energy="5 J/m^2"']
    rows = {}
    for name, extra in (("sliding", []), ("bonded", bonded)):
        out = tmp_path / name
        assert main(["--log-level", "WARNING", "run", str(case), "--out", str(out), "--no-render", *extra]) == 0
        rows[name] = read_csv(out / "history.csv")
    s, b = rows["sliding"], rows["bonded"]
    top = int(np.argmax(s["soc"]))
    assert s["interface_damage"][top] > 0.9 and b["interface_damage"][top] == 0.0  # measured 0.996, 0
    # sliding does not relieve the hoop tension on lithiation (128.1 vs 127.6 MPa)
    assert s["sei_st_max_MPa"][top] == pytest.approx(b["sei_st_max_MPa"][top], rel=0.02)
    assert s["debonded_area_fraction"][-1] > 0.3 and b["debonded_area_fraction"][-1] == 0.0  # measured 0.481
    assert max(abs(s["sei_st_max_MPa"][-1]), abs(s["sei_st_min_MPa"][-1])) < 10.0  # measured 5.2
    assert b["sei_st_max_MPa"][-1] < -100.0  # measured -106.8


@pytest.mark.slow
def test_critical_size_sweep(tmp_path, capsys):
    """cases/si_critical_size_sweep.toml on its own model (fracture has no 1D twin): the sweep its
    header states, serially: the smallest radius stays intact, the largest cracks, and `compare`
    reports the critical radius between the bracketing designs the header states, which hold
    Zhao et al.'s closed form for the seeded 40 nm flaw (`analytic.fracture.flaw_critical_radius`)
    within the differences `tests/verification/test_fracture_critical_radius.py` measures."""
    from seifem.analytic.fracture import effective_toughness, flaw_critical_radius

    case = ROOT / "cases" / "si_critical_size_sweep.toml"
    header = " ".join(line.lstrip("# ") for line in case.read_text().split("\ntitle")[0].splitlines())
    m = re.search(r"critical radius between ([\d.]+) um \((\S+), intact\) and ([\d.]+) um \((\S+), cracked\)", header)
    assert m, "the header states the bracket"
    out = tmp_path / "sweep"
    code = main(["--log-level", "WARNING", "sweep", str(case), *intended_sweep(case), "--out", str(out), "--no-render"])
    text = capsys.readouterr()
    assert code == 0, text.err
    assert f"critical size: {m[0]}" in text.out
    t = read_csv(out / "comparison.csv")
    radii = [float(r.removesuffix("um")) for r in t["particle.radius"]]
    assert radii == sorted(radii) and t["cracked"][0] == 0 and t["cracked"][-1] == 1
    assert list(t["cracked"]) == [float(r > float(m[1])) for r in radii]  # one transition, at the bracket
    hit = np.asarray(t["cracked"]) == 1
    times = np.array([float(x) for x, h in zip(t["crack_time_s"], hit) if h])  # empty (no crack) elsewhere
    assert np.all(np.diff(times) <= 0)  # larger particles crack no later
    # every design holds its seeded flaw (cracked area > 0, a surface crack); the ones that ran hold more
    assert np.all(t["cracked_volume_fraction"] > 0) and np.all(t["surface_cracks"] >= 1)
    assert t["cracked_volume_fraction"][hit].min() > 2 * t["cracked_volume_fraction"][~hit].max()
    c = read_csv(out / "critical_size.csv")
    assert c["critical_radius_um"][0] == pytest.approx(float(m[1]))
    assert (c["below"][0], c["above"][0]) == (m[2], m[4]) and float(m[1]) < float(m[3])
    # Zhao's R_c (G_eff = G_c (1 + 3 h_f / (8 l)), h_f 2.5 nm, l 5 nm, a 40 nm): 0.870 um; bisected
    # (bench/bench_critical_radius.py) the transition lies in [0.8125, 0.8250] um, -6.7 % ... -5.2 % of
    # it (the O(l / a) and curvature differences, see the verification test): inside the bracket,
    # which lies within 10 % below the closed form
    Rc = 1e6 * flaw_critical_radius(effective_toughness(8.5, 2.5, 5.0), 80e9, 0.22, 9.03e-6 * 310970.0, 1e-15,
                                    1 / 3600, 40e-9)
    assert Rc == pytest.approx(0.8704, abs=1e-4)
    assert 0.90 * Rc < float(m[1]) <= 0.8125 and 0.8250 <= float(m[3]) <= Rc
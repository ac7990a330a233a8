"""`--vary` parsing, the design grid and its validation, MPI group layout, and the ranking
rule (seifem.sweeps.grid, seifem.sweeps.run.group_layout, seifem.sweeps.ranking). Pure Python: no mesh."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from seifem.case import load_tree
from seifem.errors import CaseError
from seifem.sweeps.grid import build_designs, design_name, parse_vary
from seifem.sweeps.ranking import RankingSpec, rank
from seifem.sweeps.run import group_layout

ROOT = Path(__file__).resolve().parents[2]
CASE = ROOT / "cases" / "si_carbon_thickness_sweep.toml"


@pytest.mark.parametrize("spec,values,labels", [
    ("coating.thickness=0,5,10,20,40nm", ("0 nm", "5 nm", "10 nm", "20 nm", "40 nm"), ("0nm", "5nm", "10nm", "20nm", "40nm")),
    ("coating.thickness=500nm, 1 um", ("500 nm", "1 um"), ("500nm", "1um")),
    ("particle.diffusivity=1e-14,1e-15m^2/s", ("1e-14 m^2/s", "1e-15 m^2/s"), ("1e-14m^2/s", "1e-15m^2/s")),
    ("sei.material=sei-carbonate,sei-ether", ("sei-carbonate", "sei-ether"), ("sei-carbonate", "sei-ether")),
    ("particle.initial_soc=0,0.1", (0, 0.1), ("0", "0.1")),
    ('protocol.steps.0.c_rate=C/2,1,2C', ("C/2", "1 C", "2 C"), ("C/2", "1C", "2C")),
    ('sei.model="membrane","resolved"', ("membrane", "resolved"), ("membrane", "resolved")),
    ('output.render=true,false', (True, False), ("true", "false")),
    ('output.field_times=["1 min","2 min"],["3 min"]', (["1 min", "2 min"], ["3 min"]), ('["1min","2min"]', '["3min"]')),
])
def test_vary_values_units_and_toml(spec, values, labels):
    v = parse_vary(spec)
    assert v.key == spec.split("=")[0]
    assert v.values == values and v.labels == labels


@pytest.mark.parametrize("spec,words", [
    ("coating.thickness", ["--vary", "key=value"]),
    ("=0,5nm", ["--vary", "key=value"]),
    ("coating.thickness=", ["needs a list of values"]),
    ("coating.thickness=0,,5nm", ["empty value"]),
    ("coating.thickness=0,5nm,", ["empty value"]),
    ("coating.thickness=5,5nm", ["'5nm' is given twice"]),
])
def test_bad_vary_syntax(spec, words):
    with pytest.raises(CaseError) as err:
        parse_vary(spec)
    text = str(err.value)
    assert "\n" not in text and spec in text
    for w in words:
        assert w in text


def test_grid_of_two_keys_is_validated_and_named():
    tree = load_tree(CASE)
    designs = build_designs(tree, [parse_vary("coating.thickness=0,20nm"), parse_vary("sei.material=sei-carbonate,sei-ether")])
    assert [d.name for d in designs] == [
        "coating.thickness=0nm+sei.material=sei-carbonate", "coating.thickness=0nm+sei.material=sei-ether",
        "coating.thickness=20nm+sei.material=sei-carbonate", "coating.thickness=20nm+sei.material=sei-ether"]
    assert designs[0].case.coatings == () and designs[2].case.coatings[0].thickness == pytest.approx(20e-9)
    assert designs[3].case.sei.material.name == "sei-ether"
    assert "thickness" in tree["coating"] and tree["coating"]["thickness"] == "20 nm"  # the base is not touched
    assert design_name({"protocol.steps.0.c_rate": "C/2"}) == "protocol.steps.0.c_rate=C_2"  # no / in a directory name


@pytest.mark.parametrize("vary,words", [
    (["coating.thicknes=0,5nm"], ["coating.thicknes", "unknown key", 'did you mean "thickness"', "(design coating.thicknes=0nm)"]),
    (["coating.thickness=0,5,10GPa"], ["coating.thickness = '0 GPa'", "[length]", "(design coating.thickness=0GPa)"]),
    (["coating.thickness=0,5,3000nm"], ["'3000 nm'", "thinner than the particle radius", "(design coating.thickness=3000nm)"]),
    (["sei.material=sei-ether,sei-carbonat"], ["sei.material = 'sei-carbonat'", 'did you mean "sei-carbonate"']),
    (["coating.thickness=0,5nm", "coating.thickness=1nm"], ["varied twice"]),
    ([], ["at least one --vary"]),
])
def test_bad_design_named_before_any_mesh(vary, words):
    with pytest.raises(CaseError) as err:
        build_designs(load_tree(CASE), [parse_vary(v) for v in vary])
    text = str(err.value)
    assert "\n" not in text
    for w in words:
        assert w in text, (w, text)


def test_vary_and_set_of_one_key_is_refused():
    with pytest.raises(CaseError, match="which --vary varies"):
        build_designs(load_tree(CASE, ['coating.thickness="1 nm"']), [parse_vary("coating.thickness=0,5nm")],
                      ['coating.thickness="1 nm"'])


@pytest.mark.parametrize("ranks,designs,per,expect", [
    (2, 3, None, (1, 2)), (2, 1, None, (2, 1)), (2, 2, 2, (2, 1)), (5, 2, None, (2, 2)), (4, 3, None, (1, 3)),
    (1, 5, None, (1, 1)), (8, 2, 1, (1, 2)),
])
def test_group_layout(ranks, designs, per, expect):
    assert group_layout(ranks, designs, per) == expect


def test_group_layout_refuses_more_ranks_than_the_job():
    with pytest.raises(CaseError, match="between 1 and the 2 ranks"):
        group_layout(2, 3, 3)


def _row(name, capacity, sei_area, coating=0.0, status="done"):
    return {"design": name, "status": status, "specific_capacity_mAh_g": capacity, "sei_failed_area": sei_area,
            "coating_failed_fraction": coating}


def test_ranking_default_rule_and_order():
    rows = [_row("thin", 3560.0, 1.0), _row("bare", 3579.0, 1.0), _row("thick", 3430.0, 0.0),
            _row("mid", 3500.0, 0.0), _row("unknown", 3540.0, 0.0, math.nan), _row("broken", math.nan, math.nan, status="failed")]
    ranked = rank(rows, RankingSpec.parse())
    assert [r["design"] for r in ranked] == ["mid", "thick", "unknown", "bare", "thin", "broken"]
    assert ranked[0]["verdict"] == "ok" and ranked[2]["verdict"].startswith("not assessed")
    assert ranked[3]["verdict"] == "violates sei_failed_area<=0" and ranked[5]["verdict"] == "run failed"
    low = rank(rows, RankingSpec.parse("min:specific_capacity_mAh_g", []))
    assert [r["design"] for r in low][:2] == ["thick", "mid"]


@pytest.mark.parametrize("objective,constraints,words", [
    ("specific_capacity", None, ["--objective", 'did you mean "specific_capacity_mAh_g"']),
    ("best:sei_strain", None, ["--objective", "max:metric or min:metric"]),
    (None, ["sei_faild_area<=0"], ["--constraint", 'did you mean "sei_failed_area"']),
    (None, ["sei_failed_area=0"], ["--constraint", "metric<=value"]),
    (None, ["sei_failed_area<=none"], ["--constraint", "is not a number"]),
])
def test_bad_ranking_options(objective, constraints, words):
    with pytest.raises(CaseError) as err:
        RankingSpec.parse(objective, constraints)
    for w in words:
        assert w in str(err.value)

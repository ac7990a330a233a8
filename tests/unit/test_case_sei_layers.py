"""[sei] layers / electrolyte in a case: parsed, refused before meshing naming the key, written
back, and carried by the particle (and the 1D twin) through the exact equivalent film."""

from pathlib import Path

import pytest

from seifem.case import load_case, resolved_toml
from seifem.errors import CaseError
from seifem.materials.electrolytes import electrolyte, sei_layers
from seifem.physics.layered_membrane import equivalent_film

CASES = Path(__file__).resolve().parents[2] / "cases"
SI, SN_NA = CASES / "si_coated.toml", CASES / "sn_na_sei_comparison.toml"
LAYERS = 'sei.layers=[{name="inner", thickness="5 nm", composition={LiF=0.6, Li2O=0.4}}, {name="outer", thickness="15 nm", material="sei-ether"}]'

R = 'sei.model="resolved"'
SLS = ('sei.layers=[{name="inner", thickness="20 nm", material="sei-ether", law="sls", relaxed_modulus="0.1 GPa", '
       'relaxation_time="10 s"}]')


def test_resolved_layers_are_meshed_regions_inside_out():
    case = load_case(SI, [LAYERS, R, 'physics.mechanics="small-strain"'])
    coat, inner, outer = case.shells
    assert (coat.name, inner.name, outer.name) == ("coating", "sei_inner", "sei_outer")
    assert (inner.thickness, outer.thickness) == pytest.approx((5e-9, 15e-9), rel=1e-12)
    assert outer.material.si("youngs_modulus") == pytest.approx(0.355e9)  # the layer's own material, not the film's
    assert inner.material.si("youngs_modulus") == case.sei_layers[0].youngs_modulus
    assert case.solid_layers == (coat, inner, outer)  # failure indicators per layer, as for coatings
    assert resolved_toml(case)["sei"]["model"] == "resolved"


def test_auto_meshes_a_thick_layered_sei_and_keeps_a_thin_one_a_membrane():
    thick = 'sei.layers=[{name="a", thickness="60 nm", material="sei-ether"}, {name="b", thickness="60 nm", material="sei-LiF-rich"}]'
    case = load_case(SI, [thick, 'sei.thickness="120 nm"', 'sei.model="auto"', 'physics.mechanics="small-strain"'])  # 4.8 % of 2.51 um
    assert case.sei_model == "resolved" and [L.name for L in case.shells] == ["coating", "sei_a", "sei_b"]
    thin = load_case(SI, [LAYERS, 'sei.model="auto"', 'physics.mechanics="small-strain"'])  # 0.8 %
    assert thin.sei_model == "membrane" and thin.sei_regions == () and [L.name for L in thin.shells] == ["coating"]


def test_electrolyte_preset_gives_the_layered_sei():
    case = load_case(SI, ['sei.electrolyte="carbonate-FEC"', 'sei.thickness="5 nm"'])
    want = sei_layers(electrolyte("carbonate-FEC", "Li"))
    assert case.sei_layers == want and case.sei_electrolyte == "carbonate-FEC"
    h, E, nu = equivalent_film(want)
    assert case.sei.thickness == pytest.approx(h, rel=1e-15)
    assert case.sei.material.si("youngs_modulus") == E and case.sei.material.si("poisson_ratio") == nu
    assert case.sei.material.si("elastic_strain_limit") == 0.02  # failure data of [sei] material kept
    tree = resolved_toml(case)["sei"]
    assert tree["electrolyte"] == "carbonate-FEC" and [L["name"] for L in tree["layers"]] == ["inner", "outer"]
    assert tree["layers"][0]["thickness"] == "2.5 nm"


def test_explicit_layers_and_the_twin():
    from seifem.reduced.design import design_from_case

    case = load_case(SI, [LAYERS])  # thickness 20 nm in the case = the layers' total
    assert [L.name for L in case.sei_layers] == ["inner", "outer"]
    assert case.sei_layers[1].youngs_modulus == pytest.approx(0.355e9)
    d = design_from_case(case)
    h, E, nu = equivalent_film(case.sei_layers)
    assert (d.sei.thickness, d.sei.youngs_modulus, d.sei.poisson_ratio) == pytest.approx((h, E, nu), rel=1e-15)
    assert resolved_toml(case)["sei"]["layers"][1] == {"name": "outer", "material": "sei-ether", "thickness": "15 nm"}


def test_a_plain_case_is_unchanged():
    case = load_case(SI)
    assert case.sei_layers == () and case.sei.thickness == 20e-9
    assert "layers" not in resolved_toml(case)["sei"] and "electrolyte" not in resolved_toml(case)["sei"]


@pytest.mark.parametrize("case, overrides, key", [
    (SN_NA, ['sei.electrolyte="carbonate"'], "sei.electrolyte"),  # a Li electrolyte on a Na cell
    (SI, ['sei.electrolyte="seawater"'], "sei.electrolyte"),
    (SI, ['sei.layers=[{thickness="20 nm", composition={LiF=0.5, Li2O=0.4}}]'], "sei.layers.0.composition"),
    (SN_NA, ['sei.layers=[{thickness="10 nm", composition={LiF=1.0}}]'], "sei.layers.0.composition.LiF"),
    (SI, ['sei.layers=[{thickness="20 nm", composition={LiF=1.0}, material="sei-ether"}]'], "sei.layers.0"),
    (SI, ['sei.layers=[{thickness="2 nm", material="sei-ether"}]'], "sei.thickness"),  # != the layers' total
    (SI, ['sei.layers=[{thickness="2000 nm", material="sei-ether"}, {thickness="2000 nm", material="sei-ether"}]',
          'sei.thickness="4 um"'], "sei.layers.0.thickness"),
    (SI, ['sei.layers=[{thickness="200 nm", material="sei-ether"}, {thickness="200 nm", material="sei-ether"}]',
          'sei.thickness="400 nm"', 'sei.model="membrane"'], "sei.layers"),  # over the membrane limit
    (SI, [LAYERS, R, 'fracture.regions=["core"]', 'fracture.length_scale="0.2 um"'], "fracture"),
    (SI, [LAYERS, R, 'physics.mechanics="small-strain"', 'physics.plasticity=false', 'geometry.model="2d-plane"'],
     "geometry.model"),
    (SI, [SLS, R, 'physics.mechanics="small-strain"'], "sei.layers.0.law"),
    (SI, ['sei.layers=[{name="o", thickness="20 nm", material="sei-ether", law="plastic", yield_stress="30 MPa"}]', R,
          'physics.plasticity=false'], "sei.layers.0.law"),  # a meshed plastic layer needs J2 plasticity
    (SI, ['sei.layers=[{name="o", thickness="20 nm", material="sei-ether", law="plastic", yield_stress="30 MPa"}]', R],
     "sei.layers.0.law"),  # ... and is solved in the 1d / 2d twins only
    (SI, [LAYERS, R, 'physics.mechanics="small-strain"', 'sei.growth="solvent-diffusion"'], "sei.growth"),
    (SI, ['sei.layers=[{name="a b", thickness="20 nm", material="sei-ether"}]', R, 'physics.mechanics="small-strain"'],
     "sei.layers.0.name"),
    (SI, ['sei.layers="thick"'], "sei.layers"),
])
def test_bad_layered_sei_input_is_refused_naming_the_key(case, overrides, key):
    with pytest.raises(CaseError) as err:
        load_case(case, overrides)
    assert err.value.key == key, str(err.value)

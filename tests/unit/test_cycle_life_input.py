"""Bad input of cycle-life runs refused while the case is parsed (before any mesh), one message
naming the key: cut-off voltages the OCP cannot reach or that hold at once, a protocol that is
not one repeated cycle, SEI layer laws with missing or misplaced parameters. (Fractions not
summing to 1, a preset of another ion and the membrane limit: tests/unit/test_case_sei_layers.py.)"""

from pathlib import Path

import pytest

from seifem.case import load_case, resolved_toml
from seifem.errors import CaseError
from seifem.physics.sei_inelastic import StandardLinearSolid

CASE = Path(__file__).resolve().parents[2] / "cases" / "si_cycle_life_300.toml"
SI = Path(__file__).resolve().parents[2] / "cases" / "si_coated.toml"


@pytest.mark.parametrize("overrides, key", [
    (['protocol.steps.0.until_voltage="0.9 V"'], "protocol.steps.0.until_voltage"),   # above the OCP: ends at once
    (['protocol.steps.0.until_voltage="-0.02 V"'], "protocol.steps.0.until_voltage"),  # below 0 V: plating
    (['protocol.steps.1.until_voltage="0.05 V"'], "protocol.steps.1.until_voltage"),   # below the delithiation OCP
    (["protocol.steps.1.mode=\"lithiate\""], "protocol.steps"),                         # not lithiate then delithiate
    (['sei.layers.1.law="viscous"'], "sei.layers.1.law"),
    (['sei.layers.0.yield_stress="10 MPa"'], "sei.layers.0.yield_stress"),             # elastic layer: misplaced
    (['sei.layers.1.law="plastic"'], "sei.layers.1.relaxed_modulus"),                   # an SLS key on a plastic layer
    (['sei.layers.0.law="plastic"'], "sei.layers.0.yield_stress"),                      # plastic needs it
    (['sei.layers.1.relaxed_modulus="5 GPa"'], "sei.layers.1.relaxed_modulus"),         # not below E
    (['geometry.model="2d-plane"'], "sei.model"),                                  # the cross-section resolves its SEI
    (["solver.adaptive=true"], "solver.adaptive"),                                     # cycle life steps itself
])
def test_bad_cycle_life_input_is_refused_naming_the_key(overrides, key):
    with pytest.raises(CaseError) as exc:
        load_case(CASE, ["electrochemistry.kinetics=\"uniform\"", *overrides])
    assert exc.value.key == key


def test_voltage_cutoffs_within_the_ocp_range_are_accepted():
    """Si: a lithiation cut-off below the lowest OCP (0.01 V, reached through the overpotential)
    and a delithiation cut-off above the highest (1 V) are common and accepted."""
    case = load_case(CASE, ["electrochemistry.kinetics=\"uniform\"", 'protocol.steps.0.until_voltage="0.01 V"',
                            'protocol.steps.1.until_voltage="1.0 V"'])
    assert case.protocol[0].until_voltage == pytest.approx(0.01)


def test_layer_laws_are_parsed_and_written_back():
    case = load_case(CASE)
    inner, outer = case.sei_layer_laws
    assert inner is None and isinstance(outer, StandardLinearSolid)
    assert outer.E_inf == pytest.approx(0.02e9) and outer.tau == 30.0
    assert outer.E_inf + outer.E_1 == pytest.approx(case.sei_layers[1].youngs_modulus, rel=1e-15)
    assert case.sei_layers[0].strength == pytest.approx(300e6)
    layers = resolved_toml(case)["sei"]["layers"]
    assert layers[1]["law"] == "sls" and layers[1]["relaxation_time"] == "30 s" and layers[0]["strength"] == "300 MPa"
    assert case.solver.cycle_jump == 10 and case.geometry.model == "1d"


def test_cycle_jumping_without_sei_growth_is_refused():
    """Cycle jumping extrapolates the growing film: without sei.growth it would do nothing."""
    with pytest.raises(CaseError) as exc:
        load_case(SI, ["solver.cycle_jump=2"])
    assert exc.value.key == "solver.cycle_jump"


@pytest.mark.parametrize("overrides", [
    ['geometry.model="3d"', 'sei.growth="none"', "solver.cycle_jump=0", 'physics.mechanics="finite-strain"'],
    ['geometry.model="3d"', 'sei.growth="none"', "solver.cycle_jump=0", "physics.plasticity=true"],
    ['geometry.model="3d"', 'sei.growth="none"', "solver.cycle_jump=0", 'physics.coupling="two-way"'],
])
def test_inelastic_layers_outside_the_3d_scope_are_refused_naming_the_law(overrides):
    """Inelastic layers in 3D are solved with small-strain linear mechanics and one-way coupling
    (problem.sei_layered_3d): the rest is refused at parsing, naming the layer's law."""
    with pytest.raises(CaseError) as exc:
        load_case(CASE, ["electrochemistry.kinetics=\"uniform\"", *overrides])
    assert exc.value.key == "sei.layers.1.law" and "sls" in str(exc.value)


def test_inelastic_layers_in_a_3d_small_strain_run_are_accepted():
    case = load_case(CASE, ["electrochemistry.kinetics=\"uniform\"", 'geometry.model="3d"', 'sei.growth="none"', "solver.cycle_jump=0"])
    assert isinstance(case.sei_layer_laws[1], StandardLinearSolid) and case.sei_layer_laws[0] is None


def test_cracking_layers_with_growth_in_3d_are_refused_naming_the_strength():
    """3D takes SEI growth under inelastic layers, but not with a cracking layer (its crack SEI is
    counted by the twins' cycle-life runs only): refused naming the first layer's strength."""
    with pytest.raises(CaseError) as exc:
        load_case(CASE, ["electrochemistry.kinetics=\"uniform\"", 'geometry.model="3d"'])
    assert exc.value.key == "sei.layers.0.strength" and "sei.growth" in str(exc.value)


def test_inelastic_layers_with_growth_in_3d_are_accepted(tmp_path):
    text = CASE.read_text().replace(', strength = "300 MPa"', "").replace(', strength = "60 MPa"', "")
    path = tmp_path / "grow3d.toml"
    path.write_text(text)
    case = load_case(path, ["electrochemistry.kinetics=\"uniform\"", 'geometry.model="3d"'])
    assert case.sei_growth == "solvent-diffusion" and isinstance(case.sei_layer_laws[1], StandardLinearSolid)

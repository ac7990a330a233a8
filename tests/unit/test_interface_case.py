"""The [interface] section: parsed into `Case.interface` and the 1D twin's design, bad input
refused before any mesh with a one-line `CaseError` naming the key."""

from __future__ import annotations

import pytest

from helpers import make_case
from seifem.case import resolved_toml
from seifem.errors import CaseError
from seifem.reduced.design import design_from_case

ONE_D = {"model": "1d"}
CARBON = {"material": "carbon", "thickness": "50 nm"}
IFACE = {"normal_strength": "50 MPa", "tangential_strength": "20 MPa", "normal_energy": "1 J/m^2",
         "tangential_energy": "2 J/m^2"}
NO_SEI = {**IFACE, "sei_growth": "none"}


def test_interface_section_is_parsed_into_the_twin_design():
    case = make_case(geometry=ONE_D, coating=CARBON, interface=IFACE)
    i = case.interface
    assert (i.normal_strength, i.tangential_strength, i.normal_energy, i.tangential_energy) == (50e6, 20e6, 1.0, 2.0)
    assert (i.normal_stiffness, i.tangential_stiffness, i.mixity_exponent, i.sei_growth) == (
        pytest.approx(1e20), pytest.approx(1e20), 2.0, "solvent-diffusion")
    assert resolved_toml(case)["interface"]["normal_strength"] == "50 MPa"
    law = design_from_case(case).interface
    assert law.failure[0] == pytest.approx(2 * 1.0 / 50e6) and law.onset[1] == pytest.approx(20e6 / 1e20)
    assert make_case(geometry=ONE_D, coating=CARBON).interface is None
    sei = make_case(geometry=ONE_D, sei={"material": "sei-carbonate", "thickness": "100 nm", "model": "resolved"},
                    interface=IFACE)  # the particle/SEI interface of a resolved SEI
    assert design_from_case(sei).interface is not None
    two = make_case(geometry={"model": "2d"}, coating=CARBON, interface=IFACE)
    assert design_from_case(two).interface.tangential_strength == 20e6
    three = make_case(geometry={"model": "3d"}, coating=CARBON, interface=NO_SEI)  # solved by problem.cohesive
    assert three.interface.law().normal_strength == 50e6
    sei3 = make_case(geometry={"model": "3d"}, interface=NO_SEI,  # the particle/SEI interface in 3D
                     sei={"material": "sei-carbonate", "thickness": "100 nm", "model": "resolved"})
    assert [c.name for c in sei3.shells] == ["sei"] and sei3.interface is not None


BAD = [
    ({"interface": {k: v for k, v in IFACE.items() if k != "normal_strength"}}, ["interface.normal_strength", "(missing)"]),
    ({"interface": {k: v for k, v in IFACE.items() if k != "tangential_strength"}},
     ["interface.tangential_strength", "(missing)"]),
    ({"interface": {k: v for k, v in IFACE.items() if k != "normal_energy"}}, ["interface.normal_energy", "(missing)"]),
    ({"geometry": {"model": "2d-plane"}}, ["geometry.model", "solved in 3d and in the 1d and 2d twins"]),
    ({"geometry": {"model": "3d"}}, ["interface.sei_growth", "\"none\""]),  # 3d grows no debond SEI
    ({"geometry": {"model": "3d", "domain": "full"}, "interface": NO_SEI}, ["geometry.domain", "octant"]),
    ({"geometry": {"model": "3d"}, "interface": NO_SEI, "physics": {"mechanics": "finite-strain"}},
     ["physics.mechanics", "small strain"]),
    ({"geometry": {"model": "3d"}, "interface": NO_SEI, "physics": {"plasticity": True}},
     ["physics.plasticity", "elastic"]),
    ({"coating": None}, ["interface", "meshed layer"]),
    ({"interface": {**IFACE, "normal_stiffness": "1e-6 GPa/nm"}}, ["interface.normal_stiffness", "must exceed"]),
    ({"interface": {**IFACE, "normal_strength": "-1 MPa"}}, ["interface.normal_strength"]),
]


@pytest.mark.parametrize("change, words", BAD)
def test_bad_interface_input_is_refused_naming_the_key(change, words):
    sections = {"geometry": ONE_D, "coating": CARBON, "interface": IFACE, **change}
    with pytest.raises(CaseError) as err:
        make_case(**sections)
    assert err.value.key == words[0] or str(err.value).startswith(words[0])
    for w in words[1:]:
        assert w in str(err.value)

"""Electrolyte presets: valid SEI layers for their ion, wrong-ion refusal, growth parameters, listing."""

import pytest

from seifem.errors import CaseError
from seifem.materials.electrolytes import (
    ELECTROLYTES,
    electrolyte,
    electrolyte_names,
    growth_parameters,
    listing,
    sei_layers,
)
from seifem.materials.sei_phases import SEI_PHASES
from seifem.physics.homogenisation import FRACTION_TOL


@pytest.mark.parametrize("name", sorted(ELECTROLYTES))
def test_presets_are_valid_layered_seis(name):
    e = electrolyte(name, ELECTROLYTES[name].ion)
    layers = sei_layers(e)
    assert [L.name for L in layers] == ["inner", "outer"]
    for p in e.layers:
        assert abs(sum(p.composition.values()) - 1) <= FRACTION_TOL
        assert all(SEI_PHASES[ph].ion in (None, e.ion) for ph in p.composition)
        assert p.thickness.source and p.composition_source.startswith("estimate")
    assert layers[0].youngs_modulus > layers[1].youngs_modulus  # inorganic inside is stiffer
    g = growth_parameters(e)
    assert g.initial_thickness == pytest.approx(sum(L.thickness for L in layers), rel=1e-15)


def test_every_ion_has_presets_and_the_issue_names_are_there():
    assert {"carbonate", "carbonate-FEC", "ether", "LHCE"} <= set(electrolyte_names("Li"))
    assert "NaPF6-diglyme" in electrolyte_names("Na") and "KFSI-DME" in electrolyte_names("K")


def test_wrong_ion_and_unknown_presets_are_refused_naming_the_key():
    with pytest.raises(CaseError) as err:
        electrolyte("carbonate-FEC", "Na", key="sei.electrolyte")
    assert err.value.key == "sei.electrolyte" and "Li electrolyte" in str(err.value) and "NaPF6-diglyme" in str(err.value)
    with pytest.raises(CaseError) as err:
        electrolyte("seawater", "Li")
    assert err.value.key == "sei.electrolyte"


def test_listing_names_every_phase_and_preset():
    text = "\n".join(listing())
    assert all(n in text for n in ELECTROLYTES) and all(n in text for n in SEI_PHASES)

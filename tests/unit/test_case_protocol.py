"""Case validation of voltage protocols, kinetics and D(theta): each misuse is refused with one
message naming the key, the value and what is allowed."""

from __future__ import annotations

import pytest

from helpers import make_case
from seifem.errors import CaseError


def _steps(*steps):
    return {"steps": list(steps)}


def test_a_cccv_protocol_is_read_in_si_units():
    case = make_case(electrochemistry={"kinetics": "butler-volmer"},
                     protocol=_steps({"mode": "lithiate", "c_rate": "C/2", "until_voltage": "50 mV"},
                                     {"mode": "hold", "voltage": "0.05 V", "until_current": "C/20", "duration": "1 h"},
                                     {"mode": "delithiate", "c_rate": "1 C", "until_capacity": "1000 mAh/g"}))
    lith, hold, delith = case.protocol
    assert lith.c_rate == 0.5 and lith.until_voltage == pytest.approx(0.05)
    assert hold.voltage == pytest.approx(0.05) and hold.until_current == pytest.approx(0.05) and hold.duration == 3600
    assert delith.until_capacity == pytest.approx(1000.0)
    assert case.electrochemistry.kinetics == "butler-volmer"


BAD = [
    ({"protocol": _steps({"mode": "hold", "voltage": "0.1 V", "duration": "1 h"})},
     ["protocol.steps.0.mode", "butler-volmer"]),
    ({"protocol": _steps({"mode": "hold", "voltage": "0.1 V", "c_rate": "1 C", "duration": "1 h"}),
      "electrochemistry": {"kinetics": "butler-volmer"}}, ["protocol.steps.0.c_rate", "cannot have c_rate"]),
    ({"protocol": _steps({"mode": "hold", "until_current": "C/20"}), "electrochemistry": {"kinetics": "butler-volmer"}},
     ["protocol.steps.0.voltage", "needs a voltage"]),
    ({"protocol": _steps({"mode": "hold", "voltage": "0.1 V"}), "electrochemistry": {"kinetics": "butler-volmer"}},
     ["protocol.steps.0.duration", "until_current"]),
    ({"protocol": _steps({"mode": "lithiate", "c_rate": "1 C", "until_voltage": "0.1 V"}),
      "electrochemistry": {"kinetics": "none"}}, ["protocol.steps.0.until_voltage", "kinetics"]),
    ({"protocol": _steps({"mode": "lithiate", "c_rate": "1 C", "until_current": "C/2"})},
     ["protocol.steps.0.until_current", "lithiate step cannot"]),
    ({"protocol": _steps({"mode": "lithiate", "c_rate": "1 C", "until_voltage": "0.1"})},
     ["protocol.steps.0.until_voltage", "needs a unit"]),
    ({"protocol": _steps({"mode": "rest", "duration": "1 h", "voltage": "0.1 V"})},
     ["protocol.steps.0.voltage", "rest step cannot"]),
    ({"electrochemistry": {"kinetics": "butler-volmer"}, "geometry": {"model": "1d"}},
     ["electrochemistry.kinetics", "3d"]),
    ({"electrochemistry": {"kinetics": "butler-volmer"}, "physics": {"coupling": "two-way"}},
     ["electrochemistry.kinetics", "two-way"]),
    ({"electrochemistry": {"kinetcs": "uniform"}}, ["electrochemistry.kinetcs", 'did you mean "kinetics"']),
    ({"electrochemistry": {"transfer_coefficient": 1.0}}, ["electrochemistry.transfer_coefficient", "< 1"]),
    ({"particle": {"material": "Si", "radius": "1 um", "diffusivity_factor": [[0.0, 1.0]]}},
     ["particle.diffusivity_factor", "at least two"]),
    ({"particle": {"material": "Si", "radius": "1 um", "diffusivity_factor": [[0.5, 1.0], [0.2, 2.0]]}},
     ["particle.diffusivity_factor", "increase strictly"]),
    ({"particle": {"material": "Si", "radius": "1 um", "diffusivity_factor": [[0.0, 1.0], [1.0, -2.0]]}},
     ["particle.diffusivity_factor", "> 0"]),
    ({"particle": {"material": "Si", "radius": "1 um", "diffusivity_factor": [[0.0, 1.0], [1.0, 3.0]]},
      "geometry": {"model": "2d-plane"}}, ["particle.diffusivity_factor", "3d"]),
    ({"sei": {"material": "sei-carbonate", "thickness": "10 nm", "resistivity": "-1 ohm*m"}},
     ["sei.resistivity", ">= 0"]),
]


@pytest.mark.parametrize("sections,words", BAD, ids=[w[0] for _, w in BAD])
def test_bad_protocol_or_kinetics_is_refused(sections, words):
    with pytest.raises(CaseError) as err:
        make_case(**sections)
    message = str(err.value)
    for w in words:
        assert w in message, (w, message)


def test_a_unit_in_the_wrong_letter_case_gets_a_hint():
    """"20 nM" is nanomolar, a concentration: the message says so and suggests "20 nm"."""
    with pytest.raises(CaseError, match=r'coating.thickness = .20 nM.*did you mean "20 nm"\?'):
        make_case(coating={"material": "carbon", "thickness": "20 nM"})

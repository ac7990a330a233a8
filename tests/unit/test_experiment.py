"""Protocol steps as PyBaMM-style sentences resolve to the same steps as their table form,
and a sentence seifem cannot read is refused naming the step and showing examples."""

from __future__ import annotations

import pytest

from helpers import make_case
from seifem.case import CaseError

SENTENCES = ["Lithiate at C/2 until 0.05 V", "Rest for 10 minutes", "Hold at 0.05 V until C/20",
             "Discharge at 2 C for 10 min or until 1.0 V", "Charge at C/10 until soc 0.9",
             "Delithiate at 1C until 500 mAh/g"]
TABLES = [{"mode": "lithiate", "c_rate": "C/2", "until_voltage": "0.05 V"},
          {"mode": "rest", "duration": "10 min"},
          {"mode": "hold", "voltage": "0.05 V", "until_current": "C/20"},
          {"mode": "delithiate", "c_rate": "2 C", "duration": "10 min", "until_voltage": "1.0 V"},
          {"mode": "lithiate", "c_rate": "0.1 C", "until_soc": 0.9},
          {"mode": "delithiate", "c_rate": "1 C", "until_capacity": "500 mAh/g"}]


def _case(steps):
    return make_case(protocol={"steps": steps}, electrochemistry={"kinetics": "butler-volmer"})


def test_sentences_resolve_to_the_table_steps():
    assert _case(SENTENCES).protocol == _case(TABLES).protocol


@pytest.mark.parametrize("sentence, words", [
    ("Jump at 1C for 1 h", "unknown action 'Jump'"),
    ("Lithiate for 1 h", "needs a C-rate"),
    ("Rest", "needs an end"),
    ("Hold at 0.05 V until 0.01 V", "ends at a current"),
    ("Lithiate at 1C until C/20", "only a hold ends at a current"),
    ("Lithiate at 1C until tomorrow", "cannot read the cut-off"),
])
def test_unreadable_sentence_is_refused_naming_the_step(sentence, words):
    with pytest.raises(CaseError) as err:
        _case(["Rest for 1 min", sentence])
    assert str(err.value).startswith("protocol.steps.1 = ") and words in str(err.value)
    assert '"Lithiate at C/2 until 0.05 V"' in str(err.value)

"""Case keys of lithiation fronts and per-phase expansion: what is accepted and what is refused
before any mesh (docs/lithiation-fronts.md)."""

from __future__ import annotations

import pytest

from helpers import make_case
from seifem.errors import CaseError

FRONT = [[0, 1e-4], [0.78, 1e-4], [0.8, 1]]


def test_a_diffusivity_table_runs_in_3d_and_in_the_twins_only():
    for model in ("3d", "2d", "1d"):
        case = make_case(particle={"diffusivity_factor": FRONT}, geometry={"model": model})
        assert case.particle.diffusivity_factor[-1] == (0.8, 1.0)
    with pytest.raises(CaseError, match="particle.diffusivity_factor.*3d and in the 2d and 1d twins"):
        make_case(particle={"diffusivity_factor": FRONT}, geometry={"model": "2d-plane"})


def test_phases_need_a_material_with_a_volume_curve():
    case = make_case(particle={"material": "Sn-Na", "expansion": "phases"})
    assert case.particle.volume_curve[1] == (0.5 / 3.75, 1.6)
    assert make_case(particle={"material": "Sn-Na"}).particle.volume_curve is None
    assert make_case(particle={"expansion": "phases"}).particle.volume_curve[-1] == (1.0, 3.808)  # Si
    with pytest.raises(CaseError, match="particle.expansion.*Ge has no per-phase volume curve.*Sn-Na, Sb-Na, Si"):
        make_case(particle={"material": "Ge", "expansion": "phases"})
    with pytest.raises(CaseError, match="particle.expansion.*small strain"):
        make_case(particle={"material": "Sn-Na", "expansion": "phases"}, physics={"mechanics": "finite-strain"})
    with pytest.raises(CaseError, match="particle.expansion"):
        make_case(particle={"material": "Sn-Na", "expansion": "cubic"})

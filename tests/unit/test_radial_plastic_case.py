"""J2 plasticity and finite strain in the 1D twin from a case: accepted for geometry.model = "1d"
with the 3D keys (per-layer yield stresses, particle.yield_stress_factor, physics.mechanics);
the 2d-plane model and in 1D the cohesive interface with plasticity or finite strain are
refused at parsing, naming the key."""

from __future__ import annotations

import pytest

from helpers import make_case
from seifem.errors import CaseError
from seifem.reduced.design import design_from_case

ONE_D = {"model": "1d"}
IFACE = {"normal_strength": "50 MPa", "tangential_strength": "20 MPa", "normal_energy": "1 J/m^2",
         "tangential_energy": "2 J/m^2"}
COAT = {"material": "carbon", "thickness": "200 nm", "youngs_modulus": "100 GPa", "poisson_ratio": 0.25,
        "yield_stress": "1 GPa"}


def test_plastic_1d_case_gives_the_yield_stresses_of_every_layer():
    case = make_case(geometry=ONE_D, physics={"plasticity": True}, coating=COAT,
                     particle={"yield_stress_factor": [[0, 20], [0.7, 20], [0.78, 1]]})
    d = design_from_case(case)
    assert d.yield_stresses == {"core": case.particle.material.si("yield_stress"), "coating": 1e9}
    assert d.yield_stress_factor == ((0, 20), (0.7, 20), (0.78, 1))
    elastic = design_from_case(make_case(geometry=ONE_D, coating=COAT))
    assert elastic.yield_stresses == {} and elastic.yield_stress_factor is None and not elastic.finite_strain
    finite = {"mechanics": "finite-strain"}
    assert design_from_case(make_case(geometry=ONE_D, coating=COAT, physics=finite)).finite_strain
    assert not design_from_case(make_case(coating=COAT, physics=finite)).finite_strain  # 3d: a small-strain twin
    both = design_from_case(make_case(geometry=ONE_D, coating=COAT, physics={**finite, "plasticity": True}))
    assert both.finite_strain and both.yield_stresses["coating"] == 1e9


@pytest.mark.parametrize("sections, key, words", [
    ({"geometry": {"model": "2d-plane"}, "physics": {"plasticity": True}}, "geometry.model", "\"1d\""),
    ({"geometry": {"model": "2d-plane"}, "physics": {"mechanics": "finite-strain"}}, "geometry.model", "finite strain"),
    ({"geometry": ONE_D, "physics": {"mechanics": "finite-strain"}, "coating": {**COAT, "thickness": "100 nm"},
      "interface": IFACE}, "physics.mechanics", "small strain"),
    ({"geometry": {"model": "2d-plane"}, "particle": {"yield_stress_factor": [[0, 2], [1, 1]]}},
     "particle.yield_stress_factor", "1d twins"),
    ({"geometry": ONE_D, "physics": {"plasticity": True}, "coating": {**COAT, "thickness": "100 nm"},
      "interface": IFACE}, "physics.plasticity", "elastic layers"),
])
def test_out_of_scope_plasticity_is_refused_naming_the_key(sections, key, words):
    with pytest.raises(CaseError) as exc:
        make_case(**sections)
    assert exc.value.key == key and words in str(exc.value)

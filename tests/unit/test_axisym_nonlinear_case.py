"""J2 plasticity and finite strain in the 2D axisymmetric twin from a case: accepted for
geometry.model = "2d" with the 3D keys (per-layer yield stresses, particle.yield_stress_factor,
physics.mechanics), also both together; either or both with phase-field fracture or a cohesive
interface, and plasticity in the 2d-plane model, refused at parsing, naming the key."""

from __future__ import annotations

import pytest

from helpers import make_case
from seifem.errors import CaseError
from seifem.reduced.design import design_from_case

TWO_D = {"model": "2d"}
COAT = {"material": "carbon", "thickness": "200 nm", "youngs_modulus": "100 GPa", "poisson_ratio": 0.25,
        "yield_stress": "1 GPa"}
IFACE = {"normal_strength": "50 MPa", "tangential_strength": "20 MPa", "normal_energy": "1 J/m^2",
         "tangential_energy": "2 J/m^2"}


def test_finite_strain_2d_case_gives_a_finite_strain_design():
    assert design_from_case(make_case(geometry=TWO_D, coating=COAT, physics={"mechanics": "finite-strain"})).finite_strain
    assert not design_from_case(make_case(geometry=TWO_D, coating=COAT)).finite_strain


def test_finite_plastic_2d_case_gives_both():
    """Finite strain and plasticity together in the 2D twin: accepted, the design has both."""
    d = design_from_case(make_case(geometry=TWO_D, coating=COAT, physics={"mechanics": "finite-strain",
                                                                          "plasticity": True}))
    assert d.finite_strain and set(d.yield_stresses) == {"core", "coating"}


def test_plastic_2d_case_gives_the_yield_stresses_of_every_layer():
    case = make_case(geometry=TWO_D, physics={"plasticity": True}, coating=COAT,
                     particle={"yield_stress_factor": [[0, 20], [0.7, 20], [0.78, 1]]})
    d = design_from_case(case)
    assert d.yield_stresses == {"core": case.particle.material.si("yield_stress"), "coating": 1e9}
    assert d.yield_stress_factor == ((0, 20), (0.7, 20), (0.78, 1))
    assert design_from_case(make_case(geometry=TWO_D, coating=COAT)).yield_stresses == {}


@pytest.mark.parametrize("sections, key, words", [
    ({"geometry": TWO_D, "physics": {"plasticity": True}, "coating": {**COAT, "thickness": "100 nm"},
      "interface": IFACE}, "physics.plasticity", "2d cohesive interface"),
    ({"geometry": {"model": "2d-plane"}, "physics": {"plasticity": True}}, "geometry.model", "2d-plane"),
    ({"geometry": TWO_D, "particle": {"yield_stress_factor": [[0, 2], [1, 1]]}}, "particle.yield_stress_factor",
     "needs physics.plasticity"),
    ({"geometry": TWO_D, "physics": {"mechanics": "finite-strain", "plasticity": True},
      "fracture": {"length_scale": "50 nm"}}, "physics.plasticity", "fracture at finite strain is elastic"),
    ({"geometry": TWO_D, "physics": {"mechanics": "finite-strain", "plasticity": True},
      "coating": {**COAT, "thickness": "100 nm"}, "interface": IFACE}, "physics.plasticity", "2d cohesive interface"),
    ({"geometry": TWO_D, "physics": {"mechanics": "finite-strain"}, "coating": {**COAT, "thickness": "100 nm"},
      "interface": IFACE}, "physics.mechanics", "2d cohesive interface is solved at small strain"),
    ({"geometry": TWO_D, "physics": {"mechanics": "finite-strain"}, "fracture": {"length_scale": "50 nm"}},
     "physics.mechanics", "3d"),
])
def test_unsupported_2d_plasticity_is_refused_naming_the_key(sections, key, words):
    with pytest.raises(CaseError) as exc:
        make_case(**sections)
    assert exc.value.key == key and words in str(exc.value), str(exc.value)

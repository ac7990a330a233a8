"""The [fracture] section: parsed into `Case.fracture`, bad input refused before any mesh
with a one-line `CaseError` naming the key (and the other key it is checked against)."""

from __future__ import annotations

import pytest

from helpers import make_case
from seifem.case import resolved_toml
from seifem.errors import CaseError
from seifem.physics import phase_field as pf

FINE = {"domain": "octant", "mesh_size": "0.2 um", "surface_mesh_size": "0.05 um"}
FRACTURE = {"length_scale": "100 nm"}
CARBON = {"material": "carbon", "thickness": "20 nm"}


def test_fracture_section_is_parsed():
    case = make_case(geometry=FINE, fracture=FRACTURE)
    f = case.fracture
    assert (f.model, f.length_scale, f.regions) == ("AT1", pytest.approx(100e-9), ("core",))
    assert (f.residual_stiffness, f.tolerance, f.max_iterations) == (1e-6, 1e-4, 200)
    assert f.balance_tolerance == 0.0  # one solve per step unless asked
    stepped = make_case(geometry=FINE, fracture={**FRACTURE, "balance_tolerance": 0.02})
    assert stepped.fracture.balance_tolerance == 0.02
    assert resolved_toml(stepped)["fracture"]["balance_tolerance"] == 0.02
    assert resolved_toml(case)["fracture"]["length_scale"] == "100 nm"
    assert make_case(geometry=FINE).fracture is None
    coated = make_case(geometry=FINE, coating={**CARBON, "fracture_energy": "5 J/m^2"},
                       fracture={**FRACTURE, "model": "AT2", "regions": ["core", "coating"]})
    assert coated.fracture.regions == ("core", "coating") and coated.fracture.model == "AT2"


@pytest.mark.parametrize("model", ["3d", "2d"])
def test_fracture_with_plasticity_is_parsed(model):
    """Small strain + J2 plasticity + fracture is supported in 3d (`problem.fracture_plastic`)
    and in the 2d twin (`problem.axisym_fracture_plastic`)."""
    case = make_case(geometry={**FINE, "model": model}, fracture=FRACTURE, physics={"plasticity": True})
    assert case.physics.plasticity and case.fracture.regions == ("core",)


def test_fracture_at_finite_strain_is_parsed():
    """3d finite strain (elastic) + fracture is supported (`problem.particle_fracture`)."""
    case = make_case(geometry=FINE, fracture=FRACTURE, physics={"mechanics": "finite-strain"})
    assert case.physics.mechanics == "finite-strain" and case.fracture.regions == ("core",)


BAD = [
    ({"physics": {"mechanics": "finite-strain", "plasticity": True}},
     ["physics.plasticity", "at finite strain is elastic", "physics.mechanics"]),
    ({"geometry": {**FINE, "model": "2d"}, "physics": {"mechanics": "finite-strain"}},
     ["geometry.model", "finite strain"]),
    ({"geometry": {**FINE, "model": "2d-plane"}, "physics": {"plasticity": True}}, ["geometry.model", "plasticity"]),
    ({"physics": {"coupling": "two-way"}}, ["physics.coupling", "one-way"]),
    ({"geometry": {**FINE, "model": "1d"}}, ["geometry.model", "3d"]),
    ({"geometry": {**FINE, "model": "2d"}, "coating": CARBON, "interface": {"normal_strength": "50 MPa"}},
     ["interface", "cohesive interface with phase-field fracture"]),
    ({"geometry": {**FINE, "domain": "full"}}, ["geometry.domain", "octant"]),
    ({"fracture": {**FRACTURE, "regions": ["shell"]}}, ["fracture.regions", "'shell' is not a meshed region"]),
    ({"fracture": {**FRACTURE, "regions": "core"}}, ["fracture.regions", "list of distinct names"]),
    ({"fracture": {**FRACTURE, "regions": ["core", "coating"]}, "coating": CARBON},
     ["coating.fracture_energy", "'carbon' has no fracture energy"]),
    ({"fracture": {**FRACTURE, "model": "AT3"}}, ["fracture.model", "'AT1', 'AT2'"]),
    ({"fracture": {}}, ["fracture.length_scale", "(missing)"]),
    ({"fracture": {"length_scale": "99 nm"}}, ["fracture.length_scale", "geometry.surface_mesh_size = 100 nm"]),
    ({"fracture": {**FRACTURE, "tolerance": 0.5}}, ["fracture.tolerance", "<= 0.1"]),
    ({"fracture": {**FRACTURE, "balance_tolerance": -0.1}}, ["fracture.balance_tolerance", ">= 0"]),
    ({"fracture": {**FRACTURE, "balance_tolerance": 2.0}}, ["fracture.balance_tolerance", "<= 1"]),
    ({"geometry": {**FINE, "model": "2d-plane"}, "fracture": {**FRACTURE, "balance_tolerance": 0.01}},
     ["fracture.balance_tolerance", "2d twin", "geometry.model"]),
]


@pytest.mark.parametrize("sections,words", BAD, ids=[w[0] + "-" + str(i) for i, (_, w) in enumerate(BAD)])
def test_bad_fracture_input_is_refused(sections, words):
    sections = {"geometry": FINE, "fracture": FRACTURE, **sections}
    with pytest.raises(CaseError) as err:
        make_case(**sections)
    message = str(err.value)
    assert "\n" not in message
    for w in words:
        assert w in message, (w, message)


def test_closed_forms():
    """AT1 onset where -g'(0) psi = G_c w'(0) / (c_w l); AT2 peak of (1-d)^2 E eps with the
    homogeneous d = E eps^2 / (E eps^2 + G_c / l), found numerically."""
    import numpy as np

    E, Gc, l = 80.0, 0.0085, 0.1
    psi = pf.damage_threshold(Gc, l, "AT1")
    assert np.sqrt(2 * E * psi) == pytest.approx(pf.critical_stress(E, Gc, l, "AT1"), rel=1e-14)
    eps = np.linspace(0, 1, 200001) * 3 * np.sqrt(Gc / (E * l))
    d = E * eps**2 / (E * eps**2 + Gc / l)
    assert ((1 - d) ** 2 * E * eps).max() == pytest.approx(pf.critical_stress(E, Gc, l, "AT2"), rel=1e-9)


PLANE = {**FINE, "model": "2d-plane"}


def test_plane_fracture_with_flaws_is_parsed():
    case = make_case(geometry=PLANE, fracture={**FRACTURE, "notch_depth": "150 nm", "notches": 3})
    assert case.geometry.model == "2d-plane"
    assert (case.fracture.notch_depth, case.fracture.notches) == (pytest.approx(150e-9), 3)
    assert resolved_toml(case)["fracture"]["notch_depth"] == "150 nm"


def test_refined_flaws_are_parsed():
    """fracture.notch_mesh_size: the length scale is checked against it (the flaws are where
    cracks grow), not against the coarser surface elements."""
    case = make_case(geometry=PLANE, fracture={"length_scale": "5 nm", "notch_depth": "40 nm",
                                               "notch_mesh_size": "2.5 nm"})
    assert case.fracture.notch_mesh_size == pytest.approx(2.5e-9)
    assert resolved_toml(case)["fracture"]["notch_mesh_size"] == "2.5 nm"
    assert make_case(geometry=PLANE, fracture=FRACTURE).fracture.notch_mesh_size is None


def test_axisymmetric_fracture_is_parsed():
    case = make_case(geometry={**FINE, "model": "2d"}, fracture=FRACTURE)
    assert case.geometry.model == "2d" and case.fracture.regions == ("core",)


PLANE_BAD = [
    ({"geometry": {**FINE, "axial": "fixed"}}, ["geometry.axial", "2d-plane"]),
    ({"fracture": {**FRACTURE, "notch_depth": "50 nm"}}, ["fracture.notch_depth", "2d-plane"]),
    ({"geometry": PLANE, "fracture": {**FRACTURE, "notch_depth": "1 um"}}, ["fracture.notch_depth", "below the particle radius"]),
    ({"fracture": {**FRACTURE, "notch_depth": "50 nm", "notch_mesh_size": "10 nm"}},
     ["fracture.notch_depth", "2d-plane"]),
    ({"geometry": PLANE, "fracture": {**FRACTURE, "notch_mesh_size": "10 nm"}}, ["fracture.notch_mesh_size",
                                                                                  "notch_depth > 0"]),
    ({"geometry": PLANE, "fracture": {**FRACTURE, "notch_depth": "50 nm", "notch_mesh_size": "60 nm"}},
     ["fracture.notch_mesh_size", "geometry.surface_mesh_size (50 nm)"]),
    ({"geometry": PLANE, "fracture": {"length_scale": "5 nm", "notch_depth": "40 nm", "notch_mesh_size": "3 nm"}},
     ["fracture.length_scale", "2 x fracture.notch_mesh_size = 6 nm"]),
    ({"geometry": PLANE, "fracture": {"length_scale": "5 nm", "notch_depth": "40 nm"}},
     ["fracture.length_scale", "2 x geometry.surface_mesh_size = 100 nm"]),
    ({"geometry": {**PLANE, "shape": "ellipsoid", "aspect_ratio": 2.0}}, ["geometry.model", "disc"]),
    ({"geometry": {**PLANE, "inner_radius": "0.3 um"}}, ["geometry.inner_radius", "solid core"]),
    ({"geometry": PLANE, "sei": {"material": "sei-LiF-rich", "thickness": "10 nm", "model": "membrane"}},
     ["sei.model", "resolved"]),
]


@pytest.mark.parametrize("sections,words", PLANE_BAD, ids=[w[0] for _, w in PLANE_BAD])
def test_bad_plane_input_is_refused(sections, words):
    sections = {"geometry": FINE, "fracture": FRACTURE, **sections}
    with pytest.raises(CaseError) as err:
        make_case(**sections)
    message = str(err.value)
    assert "\n" not in message
    for w in words:
        assert w in message, (w, message)

"""The material library: completeness, sources, ranges and the computed alloy data (table M1)."""

from __future__ import annotations

import math

import pytest

from seifem import materials
from seifem.materials import PROPERTIES, get, ions_per_host, names, specific_capacity

NEEDED = {
    "active": ("youngs_modulus", "poisson_ratio", "diffusivity", "max_concentration", "partial_molar_volume",
               "density", "molar_mass", "volume_ratio"),
    "coating": ("youngs_modulus", "poisson_ratio", "density"),
    "sei": ("youngs_modulus", "poisson_ratio", "elastic_strain_limit", "fracture_energy"),
    "binder": ("youngs_modulus", "poisson_ratio", "density"),
}

# name: (ion, x in A_x M, theoretical capacity in mAh/g from table M1 / its "other capacities" line)
ACTIVE = {
    "Si": ("Li", 3.75, 3579), "Ge": ("Li", 3.75, 1384), "Sn": ("Li", 4.4, 993), "Sb": ("Li", 3, 660),
    "Bi": ("Li", 3, 385), "P": ("Li", 3, 2596), "Al": ("Li", 1, 993),
    "Sn-Na": ("Na", 3.75, 847), "Sb-Na": ("Na", 3, 660), "P-Na": ("Na", 3, 2596), "Bi-Na": ("Na", 3, 385),
    "Sb-K": ("K", 3, 660), "P-K": ("K", 1, 865), "Bi-K": ("K", 3, 385),
}
COATINGS = {"carbon", "graphene", "SiOx", "TiO2", "Al2O3", "ZrO2", "MgF2", "PPy", "PANI"}
SEIS = {"sei-carbonate", "sei-ether", "sei-LiF-rich", "sei-Na-diglyme"}
BINDERS = {"PVDF", "CMC", "PAA", "alginate", "elastic-binder"}
ESTIMATE_WORDS = ("unverified", "modelling choice", "placeholder", "derived")
ORIGINAL_PROPERTIES = ("youngs_modulus", "poisson_ratio", "diffusivity", "max_concentration",
                       "partial_molar_volume", "density", "elastic_strain_limit")


def all_materials():
    return [get(n) for n in names()]


def test_library_names_and_kinds():
    assert set(names("active")) == set(ACTIVE)
    assert set(names("coating")) == COATINGS
    assert set(names("sei")) == SEIS
    assert set(names("binder")) == BINDERS
    assert len(names()) == len(set(names()))


def test_existing_properties_kept():
    for key in ORIGINAL_PROPERTIES:
        assert key in PROPERTIES


@pytest.mark.parametrize("mat", all_materials(), ids=lambda m: m.name)
def test_complete_sourced_and_in_range(mat):
    assert mat.description.strip()
    for key in NEEDED[mat.kind]:
        assert key in mat.values, f"{mat.name} lacks {key}"
    for key, v in mat.values.items():
        assert key in PROPERTIES, f"{mat.name}.{key} is not a known property"
        assert isinstance(v.source, str) and len(v.source.strip()) >= 10, f"{mat.name}.{key} has no specific source"
        if v.estimate:
            assert any(w in v.source for w in ESTIMATE_WORDS), f"{mat.name}.{key}: estimate without a flag word"
        p = PROPERTIES[key]
        assert math.isfinite(v.si)
        assert v.si > p.lo if p.lo_open else v.si >= p.lo, f"{mat.name}.{key} = {v.si} below {p.lo}"
        assert v.si <= p.hi, f"{mat.name}.{key} = {v.si} above {p.hi}"


@pytest.mark.parametrize("mat", all_materials(), ids=lambda m: m.name)
def test_ion(mat):
    if mat.kind == "active":
        assert mat.ion == ACTIVE[mat.name][0]
        assert mat.ion in mat.description
    else:
        assert mat.ion is None


@pytest.mark.parametrize("name", sorted(ACTIVE))
def test_capacity_matches_m1(name):
    ion, x, q_m1 = ACTIVE[name]
    m = get(name)
    q = specific_capacity(m)
    assert q == pytest.approx(q_m1, rel=5e-3)
    assert f"{q_m1} mAh/g" in m.description  # the description states the capacity
    # the stoichiometry behind c_max: x = c_max M / rho, and Q = x F / (3.6 M)
    assert ions_per_host(m) == pytest.approx(x, rel=1e-3)
    assert q == pytest.approx(x * materials.FARADAY / (3.6 * m.si("molar_mass") * 1e3), rel=1e-3)


def test_specific_capacity_formula():
    si = get("Si")
    # Q = c_max F / (3600 rho) in mAh/g with c_max in mol/m^3 and rho in kg/m^3
    assert specific_capacity(si) == pytest.approx(310970 * 96485.33212 / (3600 * 2329))
    assert specific_capacity(si) == pytest.approx(3578.6, abs=0.1)


@pytest.mark.parametrize("name", sorted(ACTIVE))
def test_partial_molar_volume_matches_volume_ratio(name):
    """Omega = (V/V0 - 1)/c_max: linear Vegard swelling J = 1 + Omega c reaches V/V0 at c_max."""
    m = get(name)
    omega, c_max, ratio = m.si("partial_molar_volume"), m.si("max_concentration"), m.si("volume_ratio")
    assert omega == pytest.approx((ratio - 1.0) / c_max, rel=5e-3)
    assert 1.0 + omega * c_max == pytest.approx(ratio, rel=5e-3)


def test_m1_volume_ratios():
    """V/V0 of table M1 (Si, Sn, Na15Sn4, ...) and the volume per host atom behind them."""
    m1 = {"Si": 3.808, "Ge": 3.456, "Sn": 3.576, "Sb": 2.350, "Bi": 2.140, "P": 2.732, "Al": 1.947,
          "Sn-Na": 5.242, "Sb-Na": 3.930, "P-Na": 4.312, "Bi-Na": 3.497, "Sb-K": 5.073}
    for name, ratio in m1.items():
        assert get(name).si("volume_ratio") == pytest.approx(ratio, rel=1e-3), name
    # recompute one cubic and one hexagonal entry from the lattice constants: Li15Si4 (16 Si per cell)
    na = 6.02214076e23
    si = get("Si")
    v_host = si.si("molar_mass") / si.si("density") / na * 1e30  # A^3 per Si
    assert 10.685 ** 3 / 16 / v_host == pytest.approx(si.si("volume_ratio"), rel=1e-3)
    bik = get("Bi-K")  # hexagonal K3Bi, a = 6.191, c = 10.955 A, Z = 2
    v_bi = bik.si("molar_mass") / bik.si("density") / na * 1e30
    assert math.sqrt(3) / 2 * 6.191 ** 2 * 10.955 / 2 / v_bi == pytest.approx(bik.si("volume_ratio"), rel=1e-3)


def test_silicon_values_unchanged():
    si = get("Si")
    assert si.si("max_concentration") == 310970.0
    assert si.si("partial_molar_volume") == 9.03e-6
    assert si.si("youngs_modulus") == 80e9 and si.si("poisson_ratio") == 0.22
    assert si.si("diffusivity") == 1.67e-14 and si.si("density") == 2329.0


def test_derived_fracture_toughness_consistent():
    """K_Ic = sqrt(E Gamma / (1 - nu^2)) where the library derives it from a measured fracture energy."""
    for name in ("Si", "Ge"):
        m = get(name)
        e, nu, gamma = m.si("youngs_modulus"), m.si("poisson_ratio"), m.si("fracture_energy")
        assert m.si("fracture_toughness") == pytest.approx(math.sqrt(e * gamma / (1 - nu ** 2)), rel=0.02)


def test_graphene_membrane_stiffness():
    g = get("graphene")
    assert g.si("youngs_modulus") * 0.335e-9 == pytest.approx(340.0, rel=0.02)  # E t per layer, N/m
    assert "340 N/m" in g.description


def test_sei_placeholder_fracture_energy_flagged():
    for name in SEIS:
        v = get(name).values["fracture_energy"]
        assert v.estimate and "placeholder" in v.source


def test_property_units_format():
    from seifem.units import format_quantity

    for p in PROPERTIES.values():
        if p.si_unit:
            format_quantity(1.0, p.si_unit, p.display_unit)  # pint knows both units and converts


def test_overrides_keep_other_values():
    m = get("Sn-Na").with_overrides({"youngs_modulus": 20e9})
    assert m.si("youngs_modulus") == 20e9 and m.values["youngs_modulus"].source == "case file"
    assert m.si("volume_ratio") == get("Sn-Na").si("volume_ratio")


@pytest.mark.parametrize("written, name", [("si", "Si"), ("silicon", "Si"), ("Silicon", "Si"), ("tin-Na", "Sn-Na"),
                                           ("tin-sodium", "Sn-Na"), ("antimony-potassium", "Sb-K"),
                                           ("SEI-Carbonate", "sei-carbonate"), ("alumina", "Al2O3")])
def test_names_in_any_case_and_aliases_find_the_library_material(written, name):
    assert get(written).name == name


def test_a_case_with_an_alias_resolves_to_the_library_name():
    from helpers import make_case

    case = make_case(particle={"material": "silicon"}, coating={"material": "Carbon", "thickness": "10 nm"})
    assert case.particle.material.name == "Si" and case.coatings[0].material.name == "carbon"

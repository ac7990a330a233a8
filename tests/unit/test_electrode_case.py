"""Electrode case files: checked before meshing, errors name the key; resolved case round-trips."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import tomli_w

from seifem.case import load_case, resolved_toml
from seifem.case.electrode import ELECTRODE, electrode_toml, load_electrode_case, parse_electrode
from seifem.errors import CaseError

CASE = Path(__file__).parents[2] / "cases" / "electrode" / "electrode_patch.toml"


COHESIVE = {"interface": "cohesive", "interface_normal_strength": "10 MPa", "interface_tangential_strength": "10 MPa",
            "interface_normal_energy": "0.1 J/m^2", "interface_tangential_energy": "0.1 J/m^2"}


def _tree(**electrode):
    electrode = {k: v for k, v in electrode.items() if v is not None}
    base = {"thickness": "12 um", "width": "12 um", "active_fraction": 0.2, "radius": "1.5 um"}
    return {"electrode": {**base, **electrode}, "protocol": {"steps": ["Lithiate at 1C until soc 0.05"]}}


def test_shipped_case_loads_and_round_trips():
    header = CASE.read_text().split("\ntitle")[0]
    assert header.startswith("# ") and "Shows:" in header and "Expected" in header
    case = load_electrode_case(CASE)
    assert case.particle.name == "Si" and case.binder.name == "PVDF"
    assert case.thickness == pytest.approx(12e-6) and case.top == "free"
    assert case.swelling_per_soc == pytest.approx(0.936, rel=1e-2)
    tree = tomllib.loads(tomli_w.dumps(electrode_toml(case)))
    assert set(tree["electrode"]) == {k for k in ELECTRODE if case.values[k] is not None}
    again = parse_electrode({k: v for k, v in tree.items() if k != "materials"})
    assert again.values == case.values and again.protocol == case.protocol and again.output == case.output
    assert load_case(CASE).values == case.values  # `seifem run / check / sweep` read it as an electrode case
    assert resolved_toml(case) == electrode_toml(case)


@pytest.mark.parametrize("electrode, key", [
    ({"radius": "7 um"}, "electrode.radius"),                         # larger than the thickness
    ({"radius": "5 um", "radius_sd": 0.3}, "electrode.radius"),       # the largest drawn would not fit
    ({"binder": "Si"}, "electrode.binder"),                           # not a binder
    ({"binder": "PVFD"}, "electrode.binder"),
    ({"material": "PVDF"}, "electrode.material"),
    ({"active_fraction": 1.2}, "electrode.active_fraction"),
    ({"top": "clamped"}, "electrode.top"),
    ({"top": "pressure"}, "electrode.stack_pressure"),                # pressure top without a pressure
    ({"thickness": "12"}, "electrode.thickness"),                     # no unit
    ({"binder_poisson_ratio": 0.6}, "electrode.binder_poisson_ratio"),
    ({"radiuss": "1 um"}, "electrode.radiuss"),
    ({"porosity": 0.85}, "electrode.porosity"),
    ({"aspect_ratio": 0.5}, "electrode.aspect_ratio"),                 # a sphere has none
    ({"shape": "hollow"}, "electrode.void_fraction"),                  # a hollow particle without its cavity
    ({"void_fraction": 0.3}, "electrode.void_fraction"),               # a cavity in a solid sphere
    ({"shape": "hollow", "void_fraction": 0.95}, "electrode.void_fraction"),
    ({"shape": "ellipsoid", "aspect_ratio": 0.5, "coating_thickness": "20 nm", "coating_material": "carbon"},
     "electrode.coating_thickness"),                                   # coated ellipsoids are not built
    ({"shape": "ellipsoid", "aspect_ratio": 0.2, "radius": "5 um"}, "electrode.radius"),  # the flake does not fit
    ({"coating_material": "carbon"}, "electrode.coating_material"),   # a coating without a thickness
    ({"coating_thickness": "20 nm"}, "electrode.coating_material"),   # a thickness without a material
    ({"coating_thickness": "20 nm", "coating_material": "PVDF"}, "electrode.coating_material"),
    ({"radius": "5 um", "coating_thickness": "600 nm", "coating_material": "carbon"}, "electrode.radius"),                       # no room for the particles
    ({"kinetics": "tafel"}, "electrode.kinetics"),
    ({"material": "Sn", "radial_nodes": 2}, "electrode.radial_nodes"),
    ({"interface": "cohesive"}, "electrode.interface_normal_strength"),  # a cohesive interface without its law
    ({**COHESIVE, "interface_tangential_energy": None}, "electrode.interface_tangential_energy"),
    ({"interface_normal_strength": "10 MPa"}, "electrode.interface_normal_strength"),  # law of a bonded interface
    ({**COHESIVE, "interface_stiffness": "1e-6 GPa/nm"}, "electrode.interface_stiffness"),  # stores > G_c
    ({**COHESIVE, "mechanics": "finite-strain"}, "electrode.interface"),
    ({"contact_threshold": 0.5}, "electrode.contact_threshold"),       # a bonded particle never loses contact
    ({**COHESIVE, "contact_threshold": 1.0}, "electrode.contact_threshold"),  # would isolate every particle at once
    ({**COHESIVE, "contact_threshold": -0.1}, "electrode.contact_threshold"),
    ({"interface": "glued"}, "electrode.interface"),
    ({"shape": "porous"}, "electrode.pore_fraction"),                   # a porous particle without pores
    ({"pore_fraction": 0.2}, "electrode.pore_fraction"),                # pores in a solid sphere
    ({"shape": "porous", "pore_fraction": 0.4, "pore_radius": 0.4}, "electrode.pore_fraction"),  # do not fit
    ({"shape": "porous", "pore_fraction": 0.2, "pore_radius": 0.01}, "electrode.pore_radius"),  # out of range
    ({"binder": "elastic-binder", "binder_law": "visco-elastic"}, "electrode.binder_relaxed_youngs_modulus"),
    ({"binder": "elastic-binder", "binder_law": "visco-elastic", "binder_relaxed_youngs_modulus": "0.01 GPa"},
     "electrode.binder_relaxation_time"),                               # no relaxation time in the library
    ({"binder_law": "visco-elastic", "binder_relaxation_time": "0 s"}, "electrode.binder_relaxation_time"),
    ({"binder_law": "visco-elastic", "binder_relaxation_time": "-5 s"}, "electrode.binder_relaxation_time"),
    ({"binder_law": "visco-elastic", "binder_relaxed_youngs_modulus": "-1 GPa"},
     "electrode.binder_relaxed_youngs_modulus"),
    ({"binder_law": "visco-elastic", "binder_relaxed_youngs_modulus": "2 GPa"},
     "electrode.binder_relaxed_youngs_modulus"),                        # stiffer than PVDF's instantaneous 1 GPa
    ({"binder_relaxation_time": "10 s"}, "electrode.binder_relaxation_time"),  # an elastic binder has none
    ({"binder_law": "visco-elastic", "mechanics": "finite-strain"}, "electrode.binder_law"),
    ({"binder_law": "visco-elastic", **COHESIVE}, "electrode.binder_law"),
    ({"binder_law": "viscous"}, "electrode.binder_law"),
])
def test_bad_input_names_the_key(electrode, key):
    with pytest.raises(CaseError) as err:
        parse_electrode(_tree(**electrode))
    assert str(err.value).startswith(key), str(err.value)


@pytest.mark.parametrize("step, key", [
    ({"mode": "lithiate", "c_rate": "1 C", "until_voltage": "0.05 V"}, "protocol.steps.0.until_voltage"),
    ({"mode": "hold", "voltage": "0.1 V", "duration": "1 h"}, "protocol.steps.0.mode"),  # uniform kinetics
])
def test_unsupported_protocol_refused(step, key):
    tree = _tree(kinetics="uniform")
    tree["protocol"] = {"steps": [step]}
    with pytest.raises(CaseError) as err:
        parse_electrode(tree)
    assert str(err.value).startswith(key), str(err.value)


def test_binder_override_and_missing_section():
    case = parse_electrode(_tree(binder="elastic-binder", binder_youngs_modulus="20 MPa"))
    assert case.binder.si("youngs_modulus") == pytest.approx(20e6)
    with pytest.raises(CaseError, match="electrode"):
        parse_electrode({"title": "x"})
    with pytest.raises(CaseError, match="^protocol"):
        parse_electrode({"electrode": _tree()["electrode"]})


def test_cohesive_interface_resolves_and_round_trips():
    case = parse_electrode(_tree(**COHESIVE))
    law = case.interface.law()
    assert law.normal_strength == pytest.approx(10e6) and law.tangential_energy == pytest.approx(0.1)
    assert law.normal_stiffness == pytest.approx(1e16)  # the default penalty, 0.01 GPa/nm
    tree = tomllib.loads(tomli_w.dumps(electrode_toml(case)))
    assert parse_electrode({k: v for k, v in tree.items() if k != "materials"}).interface == case.interface
    assert parse_electrode(_tree()).interface is None


def test_visco_elastic_binder_resolves_and_round_trips():
    """The library's relaxation (PVDF: flagged estimates) and a case override, written back
    with the resolved case and read again."""
    case = parse_electrode(_tree(binder_law="visco-elastic", binder_relaxation_time="20 s"))
    b = case.binder
    assert case.binder_law == "visco-elastic"
    assert b.si("relaxation_time") == pytest.approx(20.0) and b.values["relaxation_time"].source == "case file"
    assert b.si("relaxed_youngs_modulus") == pytest.approx(0.5e9) and b.values["relaxed_youngs_modulus"].estimate
    tree = tomllib.loads(tomli_w.dumps(electrode_toml(case)))
    assert tree["materials"]["binder"]["sources"]["relaxation_time"] == "case file"
    again = parse_electrode({k: v for k, v in tree.items() if k != "materials"})
    assert again.values == case.values and again.binder.si("relaxation_time") == pytest.approx(20.0)


def test_shipped_visco_case_loads():
    path = CASE.with_name("electrode_patch_visco.toml")
    header = path.read_text().split("\ntitle")[0]
    assert "Shows:" in header and "Expected" in header
    case = load_electrode_case(path)
    assert case.binder_law == "visco-elastic" and case.binder.si("relaxation_time") == pytest.approx(10.0)

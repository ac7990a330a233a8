"""The composite specific capacity of the comparison table (seifem.results.metrics) against the hand
formula: Q = c_max F V_core / 3.6 mAh over the mass of core + coatings, for a solid coated
particle, a hollow one, two coatings and a spheroid; and the x axis of the metric plots."""

from __future__ import annotations

import math

import numpy as np
import pytest

from helpers import make_case
from seifem.case import resolved_toml
from seifem.post.compare_plots import axis_values
from seifem.results.metrics import composite_mass_capacity
from seifem.units import FARADAY

SI_RHO, SI_CMAX, C_RHO, SIOX_RHO = 2329.0, 310970.0, 2000.0, 2200.0  # library: kg/m^3, mol/m^3


def shell(a, b):
    return 4 / 3 * math.pi * (b**3 - a**3)


@pytest.mark.parametrize("coatings,inner,aspect", [
    ([], 0.0, 1.0),
    ([("carbon", 20e-9)], 0.0, 1.0),
    ([("carbon", 40e-9)], 0.5e-6, 1.0),
    ([("SiOx", 10e-9), ("carbon", 20e-9)], 0.0, 1.0),
    ([("carbon", 20e-9)], 0.0, 1.5),
])
def test_composite_specific_capacity(coatings, inner, aspect):
    R = 1e-6
    layers = [{"material": m, "thickness": f"{t * 1e9:g} nm"} for m, t in coatings]
    geometry = {"domain": "octant"}
    if inner:
        geometry["inner_radius"] = f"{inner * 1e6:g} um"
    if aspect != 1.0:
        geometry.update(model="2d", aspect_ratio=aspect)
    case = make_case(coating=layers or None, geometry=geometry)
    out = composite_mass_capacity(resolved_toml(case))
    m_core = shell(inner, R) * SI_RHO * aspect
    m_coat, r = 0.0, R
    for m, t in coatings:
        m_coat += shell(r, r + t) * {"carbon": C_RHO, "SiOx": SIOX_RHO}[m] * aspect
        r += t
    q = SI_CMAX * FARADAY * shell(inner, R) * aspect / 3.6
    np.testing.assert_allclose([out["core_kg"], out["coating_kg"], out["capacity_mAh"]], [m_core, m_coat, q], rtol=1e-5)
    specific = out["capacity_mAh"] / ((out["core_kg"] + out["coating_kg"]) * 1e3)
    if not coatings:  # the library's theoretical Li15Si4 capacity (materials M1)
        assert specific == pytest.approx(3579, abs=1)
    else:
        assert specific == pytest.approx(3578.6 * m_core / (m_core + m_coat), rel=1e-4)


def test_axis_values():
    x, unit = axis_values(["0nm", "5nm", "1um"])
    assert unit == "nm" and x == pytest.approx([0.0, 5.0, 1000.0])
    assert axis_values(["0.1", "0.2"])[1] == ""
    assert axis_values(["sei-ether", "sei-carbonate"])[1] is None  # categories
    assert axis_values(["5nm", "5s"])[1] is None  # mixed dimensions: categories

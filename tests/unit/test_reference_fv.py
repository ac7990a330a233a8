"""The finite-volume reference of the two-way sphere (`seifem.analytic.two_way_fv`) and the nodal
stress measures of the history extremes (`seifem.physics.recovery.stress_measures`)."""

from __future__ import annotations

import numpy as np
import pytest

from seifem import analytic as an
from seifem.analytic.two_way_fv import sphere_two_way_galvanostatic
from seifem.physics.recovery import stress_measures

R, D, E, NU, OMEGA, CMAX = 1e-6, 1e-14, 80e9, 0.22, 9.03e-6, 310970.0


def test_without_drift_it_is_the_one_way_series():
    """At a huge temperature the drift vanishes: the series solution (B1.2) to 5e-6 of the
    stress scale at the default 800 cells (measured 1.8e-6; 2.8e-5 at 200 cells: second order)."""
    J = an.c_rate_flux(2.0, CMAX, R)
    out = sphere_two_way_galvanostatic([10.0, 100.0], R, D, J, E, NU, OMEGA, 1e15)
    for t, o in zip((10.0, 100.0), out):
        sr, st = an.sphere_galvanostatic_stress(np.array([0.0, R]), t, R, D, J, E, NU, OMEGA)
        scale = abs(st[1])
        assert abs(o["sigma_r_centre"] - sr[0]) < 5e-6 * scale
        assert abs(o["sigma_t_surface"] - st[1]) < 5e-6 * scale
        assert o["c_avg"] == pytest.approx(3 * J * t / R, rel=1e-9)  # the inventory is the applied flux


def test_drift_flattens_the_profile_and_converges():
    """Strong coupling (Si, 298 K): the surface concentration and the centre stress are lower
    than one-way, the inventory is the applied flux, and 400 and 800 cells agree to 1e-5."""
    J = an.c_rate_flux(2.0, CMAX, R)
    coarse, fine = (sphere_two_way_galvanostatic([20.0], R, D, J, E, NU, OMEGA, 298.15, cells=n)[0] for n in (400, 800))
    one_way = sphere_two_way_galvanostatic([20.0], R, D, J, E, NU, OMEGA, 1e15, cells=400)[0]
    assert fine["c_surface"] < one_way["c_surface"] and fine["sigma_r_centre"] < one_way["sigma_r_centre"]
    assert fine["c_avg"] == pytest.approx(3 * J * 20.0 / R, rel=1e-9)
    for k in ("c_surface", "sigma_r_centre", "sigma_t_surface", "sigma_h_surface"):
        assert coarse[k] == pytest.approx(fine[k], rel=1e-5), k


def test_stress_measures():
    """A hydrostatic tensor: radial = hoop = p, von Mises 0; uniaxial s along x at (1, 0, 0):
    radial s, hoop 0, von Mises |s|, p1 s; at the origin the radial stress is tr/3."""
    x = np.array([[0.3, 0.4, 0.5], [1.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    sig = np.stack([-2.0 * np.eye(3), np.diag([5.0, 0.0, 0.0]), np.diag([3.0, 0.0, 0.0])])
    m = stress_measures(x, sig)
    assert m["sr"] == pytest.approx([-2.0, 5.0, 1.0])
    assert m["st"] == pytest.approx([-2.0, 0.0, 1.0])
    assert m["vm"] == pytest.approx([0.0, 5.0, 3.0])
    assert m["p1"] == pytest.approx([-2.0, 5.0, 3.0])

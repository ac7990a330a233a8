"""The plane-strain cylinder closed forms (`seifem.analytic.cylinders`) against each other:
the Lame solution of a coated cylinder with the coating of the core's material is the
integral (Timoshenko) solution of a bare cylinder with a step eigenstrain; the galvanostatic
stresses are the integral solution of the parabolic profile; a bare cylinder under uniform
eigenstrain is free in-plane with s_zz = -E e."""

from __future__ import annotations

import numpy as np
import pytest

from seifem.analytic.cylinders import coated_cylinder_eigenstrain, cylinder_eigenstrain_profile, galvanostatic_cylinder

E, NU, A, B, EPS = 80.0, 0.22, 1.0, 1.4, 0.01


def test_coated_equals_step_profile():
    r = np.array([0.0, 0.3, 0.7, 0.99, 1.01, 1.2, 1.4])
    lame = coated_cylinder_eigenstrain(r, A, B, E, NU, E, NU, EPS)
    step = cylinder_eigenstrain_profile(r, B, lambda s: np.where(s <= A, EPS, 0.0), E, NU, n=140001)
    scale = E * EPS
    for k in ("rr", "tt", "zz"):  # trapezoidal rule across the step: ~1e-5 relative
        assert np.max(np.abs(lame[k] - step[k])) < 1e-4 * scale, k
    assert abs(lame["rr"][-1]) < 1e-12 * scale  # free outer surface


def test_bare_uniform_and_galvanostatic():
    r = np.linspace(0, A, 7)
    bare = coated_cylinder_eigenstrain(r, A, A, E, NU, E, NU, EPS)
    assert np.allclose(bare["rr"], 0, atol=1e-12) and np.allclose(bare["tt"], 0, atol=1e-12)
    assert np.allclose(bare["zz"], -E * EPS, rtol=1e-12)
    j, D, beta = -0.05, 1.0, 0.3
    g = galvanostatic_cylinder(r, A, j, D, beta, E, NU)
    prof = cylinder_eigenstrain_profile(r, A, lambda s: beta / 3 * g["k"] * (s**2 - A**2 / 2), E, NU)
    scale = E * beta * abs(g["k"]) * A**2 / 6 / (1 - NU)  # the surface hoop stress
    for k in ("rr", "tt"):  # measured 2e-8 (trapezoidal rule)
        assert np.max(np.abs(g[k] - prof[k])) < 1e-6 * scale, k
    assert g["tt"][-1] > 0 and np.isclose(g["tt"][-1], scale)  # delithiation: tensile hoop at the surface


def test_generalized_plane_strain():
    """A free bare cylinder swells stress-free (eps_zz = e); a coated one carries no axial force;
    its in-plane stresses in the homogeneous case are those of plane strain (the uniform eps_zz
    of a homogeneous cylinder adds only s_zz)."""
    r = np.array([0.0, 0.5, 1.0])
    bare = coated_cylinder_eigenstrain(r, A, A, E, NU, E, NU, EPS, axial="free")
    assert np.allclose([bare["rr"], bare["tt"], bare["zz"]], 0, atol=1e-12 * E * EPS) and bare["ezz"] == pytest.approx(EPS)
    rc = np.linspace(0, B, 2001)
    free = coated_cylinder_eigenstrain(rc, A, B, E, NU, 3 * E, 0.3, EPS, axial="free")
    force = np.sum(np.diff(rc) * 0.5 * (free["zz"][1:] * rc[1:] + free["zz"][:-1] * rc[:-1]))
    assert abs(force) < 1e-3 * E * EPS * B**2  # trapezoid across the jump at r = a: ~1e-4 measured
    fixed = coated_cylinder_eigenstrain(rc, A, B, E, NU, E, NU, EPS)
    same = coated_cylinder_eigenstrain(rc, A, B, E, NU, E, NU, EPS, axial="free")
    assert np.allclose(same["rr"], fixed["rr"], atol=1e-12) and np.allclose(same["tt"], fixed["tt"], atol=1e-12)

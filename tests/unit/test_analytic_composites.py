"""Closed forms for electrode patches: limits and consistency."""

from __future__ import annotations

import pytest

from seifem.analytic.composites import (
    bulk_shear,
    confined_layer_strain,
    hashin_shtrikman_bulk,
    hollow_inclusion_in_shell,
    inclusion_in_shell,
    inclusion_pressure,
    levin_free_strain,
)

K1, _ = bulk_shear(80.0, 0.22)
K2, MU2 = bulk_shear(3.0, 0.35)


def test_shell_brackets_and_tends_to_infinite_matrix():
    ref = inclusion_pressure(K1, MU2, 0.01)
    assert ref < 0
    for b in (4.0, 8.0, 16.0):
        free, _ = inclusion_in_shell(K1, K2, MU2, 0.01, 1.0, b, "free")
        fixed, _ = inclusion_in_shell(K1, K2, MU2, 0.01, 1.0, b, "fixed")
        assert abs(free) < abs(ref) < abs(fixed)
    s, ua = inclusion_in_shell(K1, K2, MU2, 0.01, 1.0, 1e4, "free")
    assert s == pytest.approx(ref, rel=1e-9)
    assert ua == pytest.approx(3 * K1 * 0.01 / (3 * K1 + 4 * MU2), rel=1e-9)


def test_hollow_inclusion_limits():
    """A vanishing cavity gives the solid inclusion; a matrix of no stiffness lets the hollow
    sphere swell free of stress; a cavity lowers the confinement pressure p on the outer
    surface, while the shell's mean stress, -p / (1 - void) by the mean-stress theorem with a
    free cavity, rises in magnitude."""
    _, MU1 = bulk_shear(80.0, 0.22)
    solid, _ = inclusion_in_shell(K1, K2, MU2, 0.01, 1.0, 8.0, "fixed")
    assert hollow_inclusion_in_shell(K1, MU1, K2, MU2, 0.01, 1e-3, 1.0, 8.0, "fixed") == pytest.approx(solid, rel=1e-8)
    assert abs(hollow_inclusion_in_shell(K1, MU1, 1e-12, 1e-12, 0.01, 0.6, 1.0, 8.0)) < 1e-12
    for outer in ("free", "fixed"):
        solid, _ = inclusion_in_shell(K1, K2, MU2, 0.01, 1.0, 8.0, outer)
        hollow = hollow_inclusion_in_shell(K1, MU1, K2, MU2, 0.01, 0.6, 1.0, 8.0, outer)
        assert 0 > hollow * (1 - 0.6**3) > solid > hollow


def test_confined_layer_and_bounds_and_levin_limits():
    assert confined_layer_strain(0.01, 0.25) == pytest.approx(0.01 * 1.25 / 0.75)
    assert confined_layer_strain(0.0, 0.25, 0.1, 2.0) == pytest.approx(-0.1 * 1.25 * 0.5 / (2.0 * 0.75))
    Gp = bulk_shear(80.0, 0.22)[1]
    assert hashin_shtrikman_bulk(0.0, K2, MU2, K1, Gp)[0] == pytest.approx(K2)
    assert hashin_shtrikman_bulk(1.0, K2, MU2, K1, Gp)[1] == pytest.approx(K1)
    lo, hi = hashin_shtrikman_bulk(0.3, K2, MU2, K1, Gp)
    assert K2 < lo < hi < K1
    assert levin_free_strain(K2, K2, 0.0, K1, 0.03) == pytest.approx(0.0)
    assert levin_free_strain(K1, K2, 0.0, K1, 0.03) == pytest.approx(0.03)

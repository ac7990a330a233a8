"""Random sequential addition of spheres in an electrode box: seeded, non-overlapping,
inside the box, near the target fraction; unreachable fractions and oversize particles refused."""

from __future__ import annotations

import math

import numpy as np
import pytest

from seifem.errors import CaseError
from seifem.geometry.packing import pack_spheres


def test_seeded_non_overlapping_inside_and_near_target():
    p = pack_spheres(10.0, 12.0, 0.25, 1.2, 0.2, seed=7)
    q = pack_spheres(10.0, 12.0, 0.25, 1.2, 0.2, seed=7)
    assert np.array_equal(p.centres, q.centres) and np.array_equal(p.radii, q.radii)
    gap = 0.12
    d = np.linalg.norm(p.centres[:, None] - p.centres[None], axis=2) + np.eye(p.count) * 1e9
    assert np.all(d >= p.radii[:, None] + p.radii[None] + gap - 1e-12)
    lo, hi = p.centres - p.radii[:, None], p.centres + p.radii[:, None]
    assert np.all(lo >= gap - 1e-12) and np.all(hi <= np.array([12.0, 12.0, 10.0]) - gap + 1e-12)
    V = 12.0 * 12.0 * 10.0
    assert p.achieved == pytest.approx(np.sum(4 / 3 * math.pi * p.radii**3) / V)
    assert abs(p.achieved - 0.25) <= 0.5 * 4 / 3 * math.pi * p.radii.max() ** 3 / V
    assert not np.array_equal(pack_spheres(10.0, 12.0, 0.2, 1.2, 0.2, seed=8).centres[:1], p.centres[:1])


def test_unreachable_fraction_refused_with_reached_value():
    with pytest.raises(CaseError) as err:
        pack_spheres(6.0, 6.0, 0.6, 1.0, seed=0)
    msg = str(err.value)
    assert "electrode.active_fraction" in msg and "at most 0." in msg
    reached = float(msg.split("at most ")[1].split(":")[0])
    assert 0.1 < reached < 0.6


def test_particles_thicker_than_electrode_refused():
    with pytest.raises(CaseError, match="electrode.radius"):
        pack_spheres(4.0, 20.0, 0.2, 2.0)
    with pytest.raises(CaseError, match="electrode.active_fraction"):
        pack_spheres(10.0, 10.0, 1.2, 1.0)

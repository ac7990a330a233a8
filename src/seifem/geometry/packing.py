"""Seeded random sequential addition (RSA) of non-overlapping spheres in an electrode box.

The box is [0, width] x [0, width] x [0, thickness] (model units, um), z = 0 on the current
collector. Radii are drawn from a log-normal distribution (mean radius, relative standard
deviation; 0: all equal), clipped to [0.5, 1.5] x the mean, and placed largest first at
uniformly random positions; a sphere that overlaps one already placed (or comes closer than
`gap` to it or to a wall) is redrawn up to `attempts` times. Particles are kept `gap` away
from each other and from the walls, so every particle is wholly embedded in the binder and
the mesh needs no slivers between touching spheres.

RSA of equal spheres jams near a volume fraction of 0.38 in an unbounded space
(Torquato, Uche & Stillinger, Phys. Rev. E 74, 061308 (2006)); walls and gaps lower it. A
fraction the packing cannot reach is refused with the fraction it did reach.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from seifem.errors import CaseError

__all__ = ["Packing", "pack_spheres"]

_BATCH = 500


@dataclass(frozen=True)
class Packing:
    """Sphere centres (n, 3) and radii (n,) in um in the box (width, width, thickness);
    `target` and `achieved` active volume fractions (spheres over box)."""

    centres: np.ndarray
    radii: np.ndarray
    width: float
    thickness: float
    target: float
    achieved: float
    seed: int

    @property
    def count(self) -> int:
        return len(self.radii)


def _radii(rng, mean: float, rel_sd: float, n: int) -> np.ndarray:
    if rel_sd <= 0:
        return np.full(n, mean)
    s2 = math.log(1 + rel_sd**2)  # log-normal with the given mean and relative sd
    r = rng.lognormal(math.log(mean) - s2 / 2, math.sqrt(s2), n)
    return np.clip(r, 0.5 * mean, 1.5 * mean)


def pack_spheres(thickness: float, width: float, fraction: float, radius: float, radius_sd: float = 0.0,
                 seed: int = 0, gap: float | None = None, attempts: int = 20000, key: str = "electrode",
                 inflate: float = 1.0) -> Packing:
    """Spheres of mean `radius` (um, relative sd `radius_sd`) filling the box to the
    active volume `fraction` (0 < fraction < 1) by seeded RSA.

    The last sphere is kept if that brings the fraction closer to the target, so
    |achieved - target| is at most half a sphere's volume over the box's. `gap` (um, default
    radius / 10) is the least binder thickness between spheres and from spheres to walls.
    Raises CaseError naming `key`.<entry> if a sphere does not fit in the box or the packing
    jams below the target (with the reached fraction). `inflate` >= 1: particles of the volume
    of the sphere r that fit in the sphere inflate x r (an ellipsoid's largest semi-axis over
    its equal-volume radius), kept apart and off the walls by that bounding sphere."""
    gap = 0.1 * radius if gap is None else gap
    if not 0 < fraction < 1:
        raise CaseError(f"{key}.active_fraction", fraction, "must be a volume fraction between 0 and 1")
    r_max = radius * (1.5 if radius_sd > 0 else 1.0) * inflate
    if 2 * (r_max + gap) > thickness:
        raise CaseError(f"{key}.radius", radius,
                        f"must let the particles (largest diameter {2 * r_max:.4g} um plus a {gap:.3g} um binder gap on "
                        f"each side) fit in the electrode thickness {thickness:.4g} um")
    if 2 * (r_max + gap) > width:
        raise CaseError(f"{key}.width", width, f"must be larger than the largest particle with its gaps ({2 * (r_max + gap):.4g} um)")
    rng = np.random.default_rng(seed)
    V = width * width * thickness
    n_guess = int(2 * fraction * V / (4 / 3 * math.pi * radius**3)) + 8
    pool = np.sort(_radii(rng, radius, radius_sd, n_guess))[::-1]
    centres: list[np.ndarray] = []
    radii: list[float] = []
    vol = 0.0
    for r in pool:
        v = 4 / 3 * math.pi * r**3
        if vol >= fraction * V or (vol + v - fraction * V) > (fraction * V - vol):
            break  # adding it would overshoot more than stopping here
        rb = r * inflate  # the bounding sphere
        lo, hi = np.full(3, rb + gap), np.array([width, width, thickness]) - rb - gap
        C, R = (np.array(centres), inflate * np.array(radii)) if centres else (np.zeros((0, 3)), np.zeros(0))
        for _ in range(0, attempts, _BATCH):  # candidates in batches, the first free one is taken
            cand = lo + rng.random((_BATCH, 3)) * (hi - lo)
            free = np.all(np.linalg.norm(cand[:, None] - C[None], axis=2) >= R + rb + gap, axis=1) \
                if len(R) else np.ones(_BATCH, bool)
            if free.any():
                centres.append(cand[np.argmax(free)])
                radii.append(float(r))
                vol += v
                break
        else:
            raise CaseError(f"{key}.active_fraction", fraction,
                            f"must be at most {vol / V:.4f}: the fraction random sequential addition reached before "
                            f"it jammed (seed {seed}, binder gap {gap:.3g} um; another seed or smaller "
                            f"particles may reach more)")
    if not radii:
        raise CaseError(f"{key}.active_fraction", fraction, "must be at least half a particle's volume over the box's")
    return Packing(np.array(centres), np.array(radii), width, thickness, fraction, vol / V, seed)

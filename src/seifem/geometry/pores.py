"""Random pore layouts of a porous particle: non-overlapping spherical pores placed by
rejection sampling, reproducible from a seed. Pure numpy: every MPI rank computes the same
layout while the case is validated, so an impossible request is refused before any mesh.

    layout = sample_pores(radius=1e-6, porosity=0.2, pore_radius=0.15e-6, spread=0.0,
                          min_ligament=0.05e-6, seed=1, octant=True)

Radii are drawn from a normal distribution (mean `pore_radius`, standard deviation
`spread * pore_radius`, truncated at two deviations), as many pores as give the requested
pore volume on average; all radii are then scaled by one factor (reported, close to 1) so the
pores hold exactly `porosity` of the particle. Pores are placed largest first, each at a
uniformly random centre at least `min_ligament` from every other pore and from the outer
surface (rejection sampling). Random sequential placement jams near a porosity of 0.15-0.2
for pores of a tenth of the radius; when it does, the pores it could not place are dropped in
at random anyway and all pores are pushed apart (each overlapping pair by half its overlap,
then back into the particle, repeated; a collective rearrangement) until no pair overlaps,
which packs to porosities of 0.3-0.4. Only when that fails too is the request refused. In an octant model (symmetry planes) the pores also keep `min_ligament` from the
planes (so 2 x min_ligament from their mirror images): the modelled particle is the mirror-
symmetric one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from seifem.errors import PoreError

__all__ = ["PoreLayout", "PoreError", "sample_pores", "MAX_PORES", "TRIES"]

MAX_PORES = 250
"""More pores than this (in the modelled part) would make the OpenCASCADE cut and the mesh slow."""

TRIES = 20000
"""Random centres tried per pore before the request is declared unreachable."""


@dataclass(frozen=True)
class PoreLayout:
    """Pores (x, y, z, r) in m, in the modelled part (octant or full particle), and what they
    make: porosity (pore volume / particle volume, exact spheres), the common radius factor
    applied to the drawn radii, and the radius range."""

    pores: tuple[tuple[float, float, float, float], ...]
    porosity: float
    radius_factor: float

    @property
    def count(self) -> int:
        return len(self.pores)

    @property
    def radii(self) -> np.ndarray:
        return np.array([p[3] for p in self.pores])


def _draw_radii(rng: np.random.Generator, mean: float, spread: float, n: int) -> np.ndarray:
    z = rng.standard_normal(n)
    while np.any(bad := np.abs(z) > 2.0):  # truncate at two deviations by redrawing
        z[bad] = rng.standard_normal(int(bad.sum()))
    return mean * (1 + spread * z)


def sample_pores(radius: float, porosity: float, pore_radius: float, spread: float, min_ligament: float,
                 seed: int, octant: bool) -> PoreLayout:
    """Place pores of the given mean radius (m) until they hold `porosity` of the sphere of
    `radius` (m). Raises PoreError naming the key to change when it cannot be done."""
    R, lig = radius, min_ligament
    r_top = pore_radius * (1 + 2 * spread)
    reach = R - r_top - lig  # largest centre distance of the largest possible pore
    need = math.sqrt(3) * (r_top + lig) if octant else 0.0
    if reach <= need:
        raise PoreError("geometry.pore_radius", f"a pore of radius up to {r_top * 1e6:.4g} um does not fit in the "
                        f"particle (radius {R * 1e6:g} um) with min_ligament = {lig * 1e9:.4g} nm to the surface"
                        + (" and to the symmetry planes of the octant" if octant else "")
                        + "; use smaller pores or a smaller min_ligament")
    part = 1 / 8 if octant else 1.0
    target = porosity * 4 / 3 * math.pi * R**3 * part
    mean_volume = 4 / 3 * math.pi * pore_radius**3 * (1 + 3 * spread**2)  # E[r^3] of the normal
    n = round(target / mean_volume)
    if n < 1:
        raise PoreError("geometry.porosity", f"porosity = {porosity:g} holds less than one pore of radius "
                        f"{pore_radius * 1e6:g} um in the {'octant' if octant else 'particle'}; use smaller pores "
                        "or a higher porosity")
    if n > MAX_PORES:
        raise PoreError("geometry.pore_radius", f"needs {n} pores in the {'octant' if octant else 'particle'} "
                        f"(at most {MAX_PORES}); use larger pores")
    rng = np.random.default_rng(seed)
    radii = np.sort(_draw_radii(rng, pore_radius, spread, n))[::-1]
    factor = (target / np.sum(4 / 3 * math.pi * radii**3)) ** (1 / 3)
    radii = radii * factor
    centres = np.empty((0, 3))
    for r in radii:
        c = _place(rng, R, r, lig, octant, centres, radii[:len(centres)])
        if c is None:
            break
        centres = np.vstack([centres, c])
    if len(centres) < n:  # jammed: drop the rest in at random and push all apart
        placed = len(centres)
        rest = [_random_centre(rng, R, r, lig, octant) for r in radii[placed:]]
        centres = _relax(np.vstack([centres, *rest]), radii, R, lig, octant)
        if centres is None:
            achieved = np.sum(radii[:placed] ** 3) / (R**3 * part)
            raise PoreError("geometry.porosity", f"porosity = {porosity:g} is unreachable with pore_radius = "
                            f"{pore_radius * 1e6:g} um and min_ligament = {lig * 1e9:.4g} nm: {placed} of {n} pores fit "
                            f"by random placement (porosity {achieved:.3g}) and pushing them apart did not make room "
                            "for the rest; lower the porosity or min_ligament, or use smaller pores")
    pores = tuple((float(x), float(y), float(z), float(r)) for (x, y, z), r in zip(centres, radii))
    return PoreLayout(pores, float(np.sum(radii**3) / (R**3 * part)), float(factor))


def _bounds(R: float, r: np.ndarray | float, lig: float, octant: bool):
    """(lowest coordinate, largest distance from the centre) allowed for pore centres."""
    reach = R - r - lig
    return (r + lig if octant else -reach), reach


def _random_centre(rng: np.random.Generator, R: float, r: float, lig: float, octant: bool) -> np.ndarray:
    low, reach = _bounds(R, r, lig, octant)
    while True:
        c = rng.uniform(low, reach, size=3)
        if np.linalg.norm(c) <= reach:
            return c


def _relax(c: np.ndarray, r: np.ndarray, R: float, lig: float, octant: bool, stages: int = 30,
           sweeps: int = 60, final_sweeps: int = 1500) -> np.ndarray | None:
    """Collective rearrangement: with the radii shrunk to half, push overlapping pores apart
    (each pair by half its overlap along the line of centres) and back into the allowed
    region, then grow the radii in `stages` steps to their size, relaxing after each; None if
    overlaps remain at full size."""
    for k, s in enumerate(np.linspace(0.5, 1.0, stages)):
        rs = s * r
        need = (rs[:, None] + rs[None, :] + lig) * (1 + 1e-9)
        np.fill_diagonal(need, 0.0)
        low, reach = _bounds(R, rs, lig, octant)
        for _ in range(final_sweeps if k == stages - 1 else sweeps):
            d = c[:, None, :] - c[None, :, :]
            dist = np.linalg.norm(d, axis=2)
            np.fill_diagonal(dist, np.inf)
            overlap = np.maximum(need - dist, 0.0)
            if not overlap.any():
                break
            c = c + 0.5 * np.einsum("ij,ijk->ik", overlap, d / dist[:, :, None])
            norm = np.linalg.norm(c, axis=1)
            c = np.where((norm > reach)[:, None], c * (reach / np.maximum(norm, 1e-300))[:, None], c)
            if octant:
                c = np.maximum(c, low[:, None])
    return _final(c, r, R, lig, octant)


def _final(c: np.ndarray, r: np.ndarray, R: float, lig: float, octant: bool) -> np.ndarray | None:
    """c if every constraint holds at full size, else None."""
    low, reach = _bounds(R, r, lig, octant)
    dist = np.linalg.norm(c[:, None, :] - c[None, :, :], axis=2)
    np.fill_diagonal(dist, np.inf)
    ok = np.all(dist >= r[:, None] + r[None, :] + lig) and np.all(np.linalg.norm(c, axis=1) <= reach * (1 + 1e-12))
    if octant:
        ok = ok and np.all(c >= low[:, None] * (1 - 1e-12))
    return c if ok else None


def _place(rng: np.random.Generator, R: float, r: float, lig: float, octant: bool, centres: np.ndarray,
           radii: np.ndarray) -> np.ndarray | None:
    """A random centre for a pore of radius r that keeps `lig` from the surface, the other
    pores (and in an octant from the symmetry planes), or None."""
    low, reach = _bounds(R, r, lig, octant)
    batch = 512
    for _ in range(TRIES // batch):
        c = rng.uniform(low, reach, size=(batch, 3))
        ok = np.linalg.norm(c, axis=1) <= reach
        if centres.size:
            d = np.linalg.norm(c[:, None, :] - centres[None, :, :], axis=2)
            ok &= np.all(d >= radii[None, :] + r + lig, axis=1)
        hit = np.flatnonzero(ok)
        if hit.size:
            return c[hit[0]]
    return None

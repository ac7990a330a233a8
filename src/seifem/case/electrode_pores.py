"""The porous particle template of [electrode] (shape = "porous"): every particle a sphere of
the drawn radius with internal spherical pores, laid out as for one porous particle
(`geometry.pores.sample_pores`), scaled to the particle.

    [electrode]
    shape = "porous"
    pore_fraction = 0.2      # pore volume over the particle's sphere
    pore_radius = 0.25       # mean pore radius over the particle radius

Pores keep a ligament of a quarter of the pore radius from each other and from the particle
surface; particle i's layout comes from the seed 1000 seed + i. An impossible request is
refused before meshing, naming the key (checked on the first particle's layout; the others
are sampled alike).
"""

from __future__ import annotations

import numpy as np

from seifem.case.fields import Field
from seifem.errors import CaseError, PoreError

__all__ = ["PORE_KEYS", "check_pores", "pore_layouts"]

PORE_KEYS: dict[str, Field] = {
    "pore_fraction": Field("number", "porous: pore volume over the particle's sphere volume (the pores are empty, "
                                     "meshed as holes)", 0.0, lo=0.0, hi=0.4),
    "pore_radius": Field("number", "porous: mean pore radius over the particle radius", 0.25, lo=0.05, hi=0.4),
}
"""The porous-template keys (merged into `case.electrode.ELECTRODE`)."""

LIGAMENT = 0.25
"""Least ligament between pores and to the surface, over the pore radius."""


def _unit_layout(fraction: float, pore_radius: float, seed: int) -> np.ndarray:
    from seifem.geometry.pores import sample_pores

    lay = sample_pores(1.0, fraction, pore_radius, 0.0, LIGAMENT * pore_radius, seed, octant=False)
    return np.array(lay.pores).reshape(-1, 4)


def check_pores(v: dict) -> None:
    """Refuse a porous request the layout cannot meet, naming the key."""
    if (v["shape"] == "porous") != (v["pore_fraction"] > 0):
        raise CaseError("electrode.pore_fraction", v["pore_fraction"], 'must be > 0 exactly when electrode.shape = '
                                                                       '"porous" (the pores of a porous particle)')
    if v["shape"] != "porous":
        return
    try:
        _unit_layout(v["pore_fraction"], v["pore_radius"], 1000 * v["seed"])
    except PoreError as exc:
        key = "pore_radius" if exc.key.endswith("pore_radius") else "pore_fraction"
        raise CaseError(f"electrode.{key}", v[key], _why(v["pore_fraction"], v["pore_radius"])) from None


def _why(fraction: float, pore_radius: float) -> str:
    return (f"cannot be met: pores of {pore_radius:g} x the particle radius holding {fraction:g} of it, a quarter "
            "pore radius apart and from the surface, do not fit (random placement, then pushed apart; at most "
            "250 pores); lower electrode.pore_fraction, or change electrode.pore_radius")


def pore_layouts(fraction: float, pore_radius: float, seed: int, radii) -> list[np.ndarray]:
    """Per particle: its pores (k, 4) as (x, y, z, r) relative to its centre, in the units of
    `radii`."""
    out = []
    for i, r in enumerate(radii):
        try:
            out.append(_unit_layout(fraction, pore_radius, 1000 * seed + i) * r)
        except PoreError:
            raise CaseError("electrode.pore_fraction", fraction, f"particle {i}: " + _why(fraction, pore_radius)) from None
    return out

"""Per-phase expansion of multi-plateau alloys: the free volume of the host against theta.

A material that alloys in steps (Sn -> NaSn3 / a-Na~0.5Sn -> ... -> Na15Sn4) swells by a
different amount per step. The curves below give V/V0 (volume per host atom over that of the
host) at the phase compositions, piecewise linear in theta = c/c_max between them; the last
point is the library's `volume_ratio`, so the linear (Vegard) law and the curve agree at both
ends. Used with `particle.expansion = "phases"` (docs/lithiation-fronts.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["VolumeCurve", "VOLUME_CURVES", "volume_curve"]


@dataclass(frozen=True)
class VolumeCurve:
    """(theta, V/V0) points, theta increasing from 0 to 1, with their source."""

    points: tuple[tuple[float, float], ...]
    source: str
    estimate: bool

    def __post_init__(self):
        x = [p[0] for p in self.points]
        if x[0] != 0.0 or x[-1] != 1.0 or sorted(set(x)) != x or self.points[0][1] != 1.0:
            raise ValueError(f"a volume curve runs from (0, 1) to theta = 1 with theta increasing: {self.points}")

    def numpy(self, theta) -> np.ndarray:
        """V/V0 at theta."""
        x, y = np.array(self.points).T
        return np.interp(theta, x, y)


VOLUME_CURVES: dict[str, VolumeCurve] = {
    "Sn-Na": VolumeCurve(
        ((0.0, 1.0), (0.5 / 3.75, 1.60), (1.0, 5.242)),
        "Wang, Liu, Mao & Huang, Nano Lett. 12, 5897 (2012), in situ electron microscopy of Sn nanoparticles: the first "
        "sodiation forms amorphous Na_xSn (x ~ 0.5) by a two-phase front with 'about 60 %' volume expansion, "
        "then Na-rich amorphous phases and crystalline Na15Sn4 (x = 3.75) by a single-phase mechanism, "
        "'420 %' after the second step (the end point here is the library's crystallographic V/V0 = 5.242; "
        "linear in between)", estimate=False),
}
"""Per-phase volume curves of library active materials, by material name."""


def volume_curve(name: str) -> VolumeCurve | None:
    """The per-phase volume curve of a library material (None: only the linear law)."""
    return VOLUME_CURVES.get(name)

"""Per-phase expansion of multi-plateau alloys: the free volume of the host against theta.

A material that alloys in steps (Sn -> NaSn3 / a-Na~0.5Sn -> ... -> Na15Sn4) swells by a
different amount per step. The curves below give V/V0 (volume per host atom over that of the
host) at the phase compositions, piecewise linear in theta = c/c_max between them; the last
point is the library's `volume_ratio`, so the linear (Vegard) law and the curve agree at both
ends. Used with `particle.expansion = "phases"` (docs/lithiation-fronts.md).

Each curve also lists its phases (`Phase`): the name, the filling fraction at which the phase
starts to form and, where the phase forms below a potential rather than at a composition, that
potential [V vs the ion's metal]. A lithiation cut-off above that potential stops before the phase
forms: the particle's surface, where the potential is lowest while it lithiates, never reaches it
(the electrode voltage lies below the surface's open-circuit potential by the overpotential).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Phase", "VolumeCurve", "VOLUME_CURVES", "volume_curve"]


@dataclass(frozen=True)
class Phase:
    """A phase of a multi-plateau alloy: its name, the filling fraction theta [-] at which it
    starts to form and, if it forms below a potential, that potential [V] (else None)."""

    name: str
    theta: float
    forms_below_V: float | None = None


@dataclass(frozen=True)
class VolumeCurve:
    """(theta, V/V0) points, theta increasing from 0 to 1, with their source, and the phases."""

    points: tuple[tuple[float, float], ...]
    source: str
    estimate: bool
    phases: tuple[Phase, ...] = ()

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
        "linear in between)", estimate=False,
        phases=(Phase("a-Na0.5Sn", 0.0), Phase("a-NaxSn to Na15Sn4", 0.5 / 3.75))),
    "Sb-Na": VolumeCurve(
        ((0.0, 1.0), (2.55 / 3.0, 3.4905), (1.0, 3.930)),
        "Sb sodiates to Na3Sb (x = 3) with a 293 % volume expansion (Darwiche, Marino, Sougrati, Fraisse, Stievano & "
        "Monconduit, J. Am. Chem. Soc. 134, 20805 (2012), as cited; its abstract, read: the intermediates are mostly "
        "amorphous and were not identified; the end point is the library's crystallographic V/V0 = 3.930, i.e. "
        "+293 %). The phases of the first sodiation from Allan et al., J. Am. Chem. Soc. 138, 2352 (2016), "
        "doi:10.1021/jacs.5b13273 (abstract read): crystalline Sb breaks down to amorphous a-Na(3-x)Sb (x ~ 0.4-0.5, "
        "locally like c-Na3Sb with Na vacancies; here x = 0.45, theta 0.85), then crystalline Na3Sb; desodiation "
        "goes through a-Na1.7Sb to amorphous Sb, not resolved here. The a-Na(3-x)Sb volume point is an estimate: "
        "Vegard between Sb (30.2 A^3 per Sb) and Na3Sb (118.6 A^3), each Na adding ~29.5 A^3", estimate=True,
        phases=(Phase("a-Na(3-x)Sb", 0.0), Phase("c-Na3Sb", 2.55 / 3.0))),
    "Si": VolumeCurve(
        ((0.0, 1.0), (1.0, 3.808)),
        "Obrovac, Christensen, Le & Dahn, J. Electrochem. Soc. 154, A849 (2007): the volume of Li_xSi is linear in x "
        "up to Li15Si4 (x = 3.75, ~280 %; end point the library's crystallographic V/V0 = 3.808). Crystalline "
        "Li15Si4 forms from a-Li_xSi below ~50 mV (Obrovac & Christensen, Electrochem. Solid-State Lett. 7, A93 "
        "(2004); below 30 mV in films over ~2 um, Hatchard & Dahn, J. Electrochem. Soc. 151, A838 (2004)); a "
        "lithiation cut-off at or above ~70 mV avoids it (Obrovac & Krause, J. Electrochem. Soc. 154, A103 (2007)); "
        "the phase starts where the library's Si lithiation OCP falls below 50 mV (theta 0.982)", estimate=False,
        phases=(Phase("a-LixSi", 0.0), Phase("c-Li15Si4", 0.982, forms_below_V=0.05))),
}
"""Per-phase volume curves of library active materials, by material name."""


def volume_curve(name: str) -> VolumeCurve | None:
    """The per-phase volume curve of a library material (None: only the linear law)."""
    return VOLUME_CURVES.get(name)

"""Open-circuit potential (OCP) curves of the active materials, against the metal of their
guest ion (V vs Li/Li+, Na/Na+ or K/K+), as functions of the filling fraction theta = c/c_max.

Alloy anodes show a large voltage hysteresis, so a curve has a lithiation and a
delithiation branch (the same branch twice where no hysteresis is known). A branch is
either a polynomial in theta (coefficients highest power first, as `numpy.polyval`) or a
table of (theta, U) points, linear in between and constant beyond its ends. Both evaluate
on numpy arrays and as UFL expressions (for the Butler-Volmer residual).

A material that forms a crystalline phase near full lithiation may delithiate that phase on a
flat two-phase plateau (`CrystallinePlateau`; Si: c-Li15Si4 at ~0.44 V). Which branch applies then
depends on the path: `OpenCircuitPotential.crystalline_after` is the history rule (the phase forms
when the surface filling fraction reaches the point where the lithiation branch falls below the
plateau's formation potential; it is gone once delithiation passes the plateau's end, where the
amorphous delithiation branch rises through the plateau), and `numpy(..., crystalline=True)` the
delithiation OCP of a particle that holds it: max(U_plateau, U_delithiation(theta)), flat on the
plateau and continuous at its end (docs/lithiation-fronts.md#crystalline-li15si4-delithiation).

Only the Si curve comes from a public fit (PyBaMM's Chen2020_composite parameter set, after
Verbrugge, Baker & Xiao, J. Electrochem. Soc. 163, A262 (2016)). The others are built from
plateau potentials recalled from the half-cell literature and are estimates: replace them
with measured (GITT) curves before quantitative use.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from seifem.physics.piecewise import piecewise_linear

__all__ = ["Branch", "CrystallinePlateau", "OpenCircuitPotential", "OCP_CURVES", "polynomial", "table"]


@dataclass(frozen=True)
class Branch:
    """One OCP branch: kind "polynomial" (coeffs highest power first) or "table" (points)."""

    kind: str
    data: tuple

    def numpy(self, theta) -> np.ndarray:
        """U (V) at theta (array)."""
        theta = np.asarray(theta, dtype=float)
        if self.kind == "polynomial":
            return np.polyval(self.data, np.clip(theta, 0.0, 1.0))
        x, y = np.array(self.data).T
        return np.interp(theta, x, y)

    def ufl(self, theta):
        """U (V) at theta (UFL expression; theta clipped to [0, 1] for polynomials)."""
        import ufl

        if self.kind == "polynomial":
            t = ufl.min_value(ufl.max_value(theta, 0.0), 1.0)
            out = 0.0
            for c in self.data:  # Horner
                out = out * t + c
            return out
        return piecewise_linear(self.data, theta)


def polynomial(*coefficients: float) -> Branch:
    return Branch("polynomial", tuple(float(c) for c in coefficients))


def table(*points: tuple[float, float]) -> Branch:
    x = [p[0] for p in points]
    if sorted(x) != x or len(set(x)) != len(x):
        raise ValueError("OCP table: theta must increase strictly")
    return Branch("table", tuple((float(a), float(b)) for a, b in points))


@dataclass(frozen=True)
class CrystallinePlateau:
    """A crystalline phase that forms at the end of lithiation and delithiates on a flat
    two-phase plateau: it forms where the lithiation branch falls below `forms_below_V` [V] and
    delithiates at `voltage` [V] (both vs the guest metal)."""

    voltage: float
    forms_below_V: float
    source: str
    estimate: bool


@dataclass(frozen=True)
class OpenCircuitPotential:
    """Lithiation and delithiation branches (V vs the guest metal) with their source, and the
    delithiation plateau of a crystalline phase (None: no path dependence)."""

    lithiation: Branch
    delithiation: Branch
    source: str
    estimate: bool
    crystalline: CrystallinePlateau | None = None

    def branch(self, direction: int) -> Branch:
        """The branch for a current direction: +1 lithiation, -1 delithiation (0: use +1)."""
        return self.delithiation if direction < 0 else self.lithiation

    def numpy(self, theta, direction: int = 1, crystalline: bool = False) -> np.ndarray:
        """U [V] at theta on the branch of `direction`; a delithiating particle that holds the
        crystalline phase sits on its plateau: max(U_plateau, U_delithiation(theta))."""
        if crystalline and direction < 0 and self.crystalline is not None:
            return np.maximum(self.crystalline.voltage, self.delithiation.numpy(theta))
        return self.branch(direction).numpy(theta)

    def _crossing(self, branch: Branch, level: float) -> float:
        """The theta [-] where a (monotonically falling) branch crosses `level` [V] (bisection)."""
        lo, hi = 0.0, 1.0
        for _ in range(60):
            mid = 0.5 * (lo + hi)
            lo, hi = (mid, hi) if float(branch.numpy(mid)) > level else (lo, mid)
        return 0.5 * (lo + hi)

    def crystalline_range(self) -> tuple[float, float] | None:
        """(theta at which the crystalline phase forms, theta at the plateau's end), or None."""
        c = self.crystalline
        if c is None:
            return None
        return self._crossing(self.lithiation, c.forms_below_V), self._crossing(self.delithiation, c.voltage)

    def crystalline_after(self, crystalline: bool, theta_surface: float, direction: int) -> bool:
        """The history rule: whether the particle holds the crystalline phase after a state
        with the mean surface filling fraction `theta_surface` reached while the current had
        `direction` (+1 lithiation, -1 delithiation), given whether it held it before. The phase
        forms on lithiation at or past the formation point and stays (irreversibly) until
        delithiation passes the plateau's end."""
        rng = self.crystalline_range()
        if rng is None:
            return False
        forms, ends = rng
        if direction > 0 and theta_surface >= forms:
            return True
        if theta_surface <= ends:
            return False
        return crystalline

    def ufl(self, theta, direction: int = 1):
        return self.branch(direction).ufl(theta)


# --------------------------------------------------------------------------- data

_SI_FIT = ("Verbrugge, Baker & Xiao, J. Electrochem. Soc. 163, A262 (2016) 7th-order fits as in PyBaMM "
           "(src/pybamm/input/parameters/lithium_ion/Chen2020_composite.py, silicon_ocp_{lithiation,delithiation}"
           "_Mark2016), valid for 0 < sto < 1; applied to theta = c/c_max(Li15Si4) (the fit's c_max is 278000 mol/m^3)")
_LI15SI4 = ("crystalline Li15Si4 forms from a-Li_xSi below ~50 mV and delithiates on a flat two-phase plateau at "
            "~0.43-0.45 V (Obrovac & Christensen, Electrochem. Solid-State Lett. 7, A93 (2004); Obrovac & Krause, "
            "J. Electrochem. Soc. 154, A103 (2007); as cited, the papers were not opened: 0.44 V is the middle of the "
            "cited range); the transformation is set by the Li content alone (a-Li3.75Si -> c-Li15Si4 congruently: "
            "Gu, Wang, Connell, Perea, Lauhon, Gao & Wang, \"Electronic origin for the phase transition from amorphous LixSi to crystalline Li15Si4\", ACS Nano (2013), "
            "abstract read). The plateau's end, where the amorphous delithiation branch rises through 0.44 V (theta 0.47, x ~ 1.8), is this model's construction")
_PLATEAUS = ("estimate: plateau potentials of the alloying steps recalled from half-cell voltage profiles in the "
             "literature ({steps}), unverified; linear between points")


def _recalled(steps: str, lith: list, delith: list) -> OpenCircuitPotential:
    return OpenCircuitPotential(table(*lith), table(*delith), _PLATEAUS.format(steps=steps), estimate=True)


OCP_CURVES: dict[str, OpenCircuitPotential] = {
    "Si": OpenCircuitPotential(
        polynomial(-96.63, 372.6, -587.6, 489.9, -232.8, 62.99, -9.286, 0.8633),
        polynomial(-51.02, 161.3, -205.7, 140.2, -58.76, 16.87, -3.792, 0.9937),
        _SI_FIT, estimate=False, crystalline=CrystallinePlateau(0.44, 0.05, _LI15SI4, estimate=True)),
    "Ge": _recalled("a-Li_xGe: sloping ~0.5-0.2 V on lithiation, ~0.4-0.6 V on delithiation",
                    [(0, 0.8), (0.05, 0.5), (0.3, 0.4), (0.7, 0.3), (0.95, 0.15), (1, 0.05)],
                    [(0, 0.9), (0.05, 0.62), (0.3, 0.52), (0.7, 0.45), (0.95, 0.35), (1, 0.25)]),
    "Sn": _recalled("Li-Sn: ~0.66, 0.55, 0.42, 0.38 V on lithiation to LiSn, Li7Sn3, Li7Sn2, Li22Sn5; "
                    "~0.5-0.8 V on delithiation",
                    [(0, 0.9), (0.02, 0.68), (0.22, 0.64), (0.25, 0.56), (0.52, 0.53), (0.56, 0.44), (0.78, 0.41),
                     (0.82, 0.38), (0.98, 0.35), (1, 0.1)],
                    [(0, 1.0), (0.02, 0.8), (0.22, 0.76), (0.25, 0.7), (0.52, 0.66), (0.56, 0.6), (0.78, 0.56),
                     (0.82, 0.5), (0.98, 0.45), (1, 0.3)]),
    "Sb": _recalled("Li-Sb: ~0.85 V to Li2Sb and ~0.8 V to Li3Sb; ~1.05 V on delithiation",
                    [(0, 1.2), (0.02, 0.9), (0.65, 0.85), (0.7, 0.8), (0.98, 0.77), (1, 0.5)],
                    [(0, 1.3), (0.02, 1.1), (0.5, 1.06), (0.98, 1.0), (1, 0.8)]),
    "Bi": _recalled("Li-Bi: ~0.8 V to LiBi and ~0.7 V to Li3Bi; ~0.8 and 0.9 V on delithiation",
                    [(0, 1.1), (0.02, 0.82), (0.32, 0.79), (0.36, 0.72), (0.98, 0.69), (1, 0.4)],
                    [(0, 1.2), (0.02, 0.95), (0.32, 0.9), (0.36, 0.82), (0.98, 0.78), (1, 0.6)]),
    "P": _recalled("Li-P (red P): sloping ~1.0 to 0.0 V on lithiation, ~0.8-1.2 V on delithiation",
                   [(0, 1.5), (0.03, 1.0), (0.3, 0.75), (0.7, 0.55), (0.95, 0.3), (1, 0.0)],
                   [(0, 1.8), (0.03, 1.25), (0.3, 1.1), (0.7, 0.95), (0.95, 0.8), (1, 0.5)]),
    "Al": _recalled("Li-Al: ~0.3 V plateau to LiAl, ~0.45 V on delithiation",
                    [(0, 0.8), (0.03, 0.35), (0.97, 0.3), (1, 0.1)],
                    [(0, 0.9), (0.03, 0.5), (0.97, 0.43), (1, 0.3)]),
    "Sn-Na": _recalled("Na-Sn: ~0.2, 0.15, 0.05, 0.01 V on sodiation to NaSn3, NaSn, Na9Sn4, Na15Sn4; "
                       "~0.15, 0.3, 0.55, 0.65 V on desodiation (vs Na/Na+)",
                       [(0, 0.6), (0.02, 0.25), (0.25, 0.18), (0.3, 0.12), (0.6, 0.1), (0.65, 0.05), (0.98, 0.02),
                        (1, 0.0)],
                       [(0, 0.8), (0.02, 0.65), (0.25, 0.6), (0.3, 0.55), (0.6, 0.3), (0.65, 0.25), (0.98, 0.15),
                        (1, 0.1)]),
    "Sb-Na": _recalled("Na-Sb: ~0.5 V sodiation plateau, ~0.8 V desodiation (vs Na/Na+)",
                       [(0, 1.0), (0.03, 0.6), (0.5, 0.5), (0.97, 0.4), (1, 0.1)],
                       [(0, 1.2), (0.03, 0.9), (0.5, 0.8), (0.97, 0.72), (1, 0.5)]),
    "P-Na": _recalled("Na-P (red P): sloping ~0.5-0.0 V on sodiation, ~0.4-0.8 V on desodiation (vs Na/Na+)",
                      [(0, 1.2), (0.03, 0.6), (0.3, 0.4), (0.7, 0.25), (0.95, 0.1), (1, 0.0)],
                      [(0, 1.4), (0.03, 0.85), (0.3, 0.7), (0.7, 0.55), (0.95, 0.42), (1, 0.3)]),
    "Bi-Na": _recalled("Na-Bi: ~0.65 V to NaBi and ~0.45 V to Na3Bi; ~0.62 and 0.76 V on desodiation (vs Na/Na+)",
                       [(0, 1.0), (0.02, 0.68), (0.32, 0.64), (0.36, 0.47), (0.98, 0.44), (1, 0.2)],
                       [(0, 1.1), (0.02, 0.8), (0.32, 0.76), (0.36, 0.64), (0.98, 0.6), (1, 0.4)]),
    "Sb-K": _recalled("K-Sb: sloping ~0.5-0.2 V on potassiation, ~0.8-1.0 V on depotassiation (vs K/K+)",
                      [(0, 1.0), (0.03, 0.5), (0.5, 0.35), (0.97, 0.2), (1, 0.05)],
                      [(0, 1.3), (0.03, 1.0), (0.5, 0.9), (0.97, 0.8), (1, 0.6)]),
    "P-K": _recalled("K-P (red P): sloping ~0.5-0.1 V on potassiation, ~0.5-0.9 V on depotassiation (vs K/K+)",
                     [(0, 1.2), (0.03, 0.55), (0.5, 0.3), (0.97, 0.12), (1, 0.0)],
                     [(0, 1.4), (0.03, 0.95), (0.5, 0.7), (0.97, 0.52), (1, 0.4)]),
    "Bi-K": _recalled("K-Bi: ~0.5 V to KBi2/KBi and ~0.3 V to K3Bi; ~0.5 and 0.6 V on depotassiation (vs K/K+)",
                      [(0, 1.0), (0.02, 0.52), (0.32, 0.48), (0.36, 0.32), (0.98, 0.28), (1, 0.1)],
                      [(0, 1.1), (0.02, 0.66), (0.32, 0.6), (0.36, 0.52), (0.98, 0.48), (1, 0.3)]),
}
"""OCP of each active library material, by material name."""

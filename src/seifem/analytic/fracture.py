"""Closed forms of fracture for the phase-field checks (`tests/verification/test_fracture*.py`,
`bench/bench_griffith.py`). Pure numpy.

- Discrete effective fracture energy of a P1 phase-field crack band on elements of size h
  (Bourdin, Francfort & Marigo, J. Elasticity 91, 5 (2008); Tanne, Li, Bourdin, Maurini &
  Marigo, JMPS 110, 80 (2018)): G_eff = G_c (1 + h / (c_w l)), c_w = 8/3 (AT1), 2 (AT2).
"""

from __future__ import annotations

__all__ = ["effective_toughness"]


def effective_toughness(Gc: float, h: float, l: float, model: str = "AT1") -> float:
    """G_c (1 + h / (c_w l)): the fracture energy a P1 crack band of element size h dissipates."""
    return Gc * (1 + h / ((8.0 / 3.0 if model == "AT1" else 2.0) * l))

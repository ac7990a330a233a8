"""Offset layers on a spheroid, in numpy only (the axisymmetric mesh and the stress-map outlines
use it; no dolfinx, so rendering can import it next to VTK)."""

from __future__ import annotations

import numpy as np

__all__ = ["spheroid_map"]


def spheroid_map(x: np.ndarray, R: float, aspect: float) -> np.ndarray:
    """Map meridian points (n, 2) of concentric circles to the spheroid of semi-axes (R, aspect R)
    with layers of uniform thickness: inside radius R, z is scaled by `aspect`; a point at
    distance d = rho - R above the circle, in direction w, goes to the ellipse point
    (R w_r, aspect R w_z) plus d times the ellipse's unit normal there."""
    rho = np.linalg.norm(x, axis=1)
    out = x.copy()
    out[:, 1] *= aspect
    above = rho > R * (1 + 1e-12)
    w = x[above] / rho[above, None]
    n = np.column_stack([aspect * w[:, 0], w[:, 1]])
    n /= np.linalg.norm(n, axis=1)[:, None]
    out[above] = np.column_stack([R * w[:, 0], aspect * R * w[:, 1]]) + (rho[above] - R)[:, None] * n
    return out

"""Piecewise-linear functions of a UFL scalar: a table of (x, y) points, linear in between and
constant beyond its ends (open-circuit potential tables, per-phase volume curves)."""

from __future__ import annotations

import numpy as np
import ufl

__all__ = ["piecewise_linear"]


def piecewise_linear(points, x_ufl):
    """The interpolant of `points` ((x, y) pairs, x strictly increasing) at the UFL scalar
    `x_ufl`, constant beyond the ends (units of y)."""
    x, y = np.array(points, dtype=float).T
    out = float(y[-1])
    for i in range(len(x) - 2, -1, -1):  # nested: first segment whose right end exceeds x
        slope = (y[i + 1] - y[i]) / (x[i + 1] - x[i])
        seg = float(y[i]) + float(slope) * (x_ufl - float(x[i]))
        out = ufl.conditional(ufl.lt(x_ufl, float(x[i + 1])), seg, out)
    return ufl.conditional(ufl.lt(x_ufl, float(x[0])), float(y[0]), out)

"""Landing a time step on a cut-off: regula falsi (Illinois) on the step length.

The cut-offs of a protocol step (`protocol.Event`) that depend on the solution are reached
somewhere inside a time step; the run redoes the step with shorter lengths until one cut-off
is met within its tolerance. `g(dt)` is the nearest cut-off's `remaining` after a step of
length dt, in units of its tolerance: > 1 not reached, within [-1, 1] met, < -1 overshot.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

__all__ = ["regula_falsi", "land_on_cutoff"]

log = logging.getLogger("seifem.simulation.run")

T = TypeVar("T")


def regula_falsi(dt_full: float, g_full: float, result_full: T, evaluate: Callable[[float], tuple[T, float]],
                 max_iterations: int = 60) -> tuple[T | None, float, float, float]:
    """Search (0, dt_full] for a step length whose g is within [-1, 1].

    `g_full`, `result_full`: g and the result of the full step (already taken);
    `evaluate(dt)` redoes the step with length dt and returns (its result, its g).
    Returns (the result where g was met or None, lo, hi, g(hi)): the bracket [lo, hi] the
    search ended with, lo = 0 when the cut-off holds from the step's very start."""
    lo, g_lo, hi, g_hi, found = 0.0, None, dt_full, g_full, result_full
    side = 0
    for _ in range(max_iterations):
        if -1.0 <= g_hi <= 1.0:
            return found, lo, hi, g_hi
        if g_lo is None:
            dt = 0.5 * (lo + hi)
        else:
            dt = hi - g_hi * (hi - lo) / (g_hi - g_lo)
            dt = min(max(dt, lo + 1e-3 * (hi - lo)), hi - 1e-3 * (hi - lo))
        r, g = evaluate(dt)
        if -1.0 <= g <= 1.0:
            return r, lo, hi, g_hi
        if g > 1.0:  # not reached yet
            lo, g_lo = dt, g
            if side == 1 and g_hi is not None:
                g_hi *= 0.5  # Illinois: keep the stale end from stalling the secant
            side = 1
        else:
            hi, g_hi, found = dt, g, r
            if side == -1 and g_lo is not None:
                g_lo *= 0.5
            side = -1
        if hi - lo < 1e-9 * dt_full:
            break
    return None, lo, hi, g_hi


def land_on_cutoff(dt_full: float, row: T, scaled: Callable[[], float], redo: Callable[[float], T],
                   restore: Callable[[], None], what: str) -> T | None:
    """Land on the first cut-off reached in the last time step (length dt_full, its result
    `row`): regula falsi (Illinois) on the step length over the cut-offs' `remaining`, in
    units of their tolerance (`scaled()`, at the last step taken), until one is met within
    its tolerance; `redo(dt)` retakes the step from its start with length dt, `restore()`
    goes back to the step's start; `what` names the step and its cut-offs in warnings.
    Returns the result there, or None (state restored to the step's start) when the cut-off
    holds from the very start of the step, e.g. a voltage limit that the overpotential of the
    new current already crosses."""
    found, lo, hi, g_hi = regula_falsi(dt_full, scaled(), row, lambda dt: (redo(dt), scaled()))
    if found is not None:
        return found
    if lo == 0.0:
        restore()
        log.warning("%s ends at its start: its cut-off holds from the first instant; skipped", what)
        return None
    log.warning("%s: cut-off bracketed within %.3g s but %.3g times its tolerance away", what, hi - lo, abs(g_hi))
    return redo(hi)

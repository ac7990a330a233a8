"""Landing on a cut-off: the Illinois regula falsi finds the step length where the cut-off is
met within its tolerance, in few steps, and says when it holds from the very start."""

from __future__ import annotations

import math

from seifem.simulation.cutoffs import regula_falsi


def _search(g, dt_full: float = 100.0):
    calls = []

    def evaluate(dt):
        calls.append(dt)
        return {"dt": dt}, g(dt)

    return regula_falsi(dt_full, g(dt_full), {"dt": dt_full}, evaluate), calls


def test_lands_within_the_tolerance_of_a_curved_cut_off():
    target, tol = 37.3, 1e-3  # g in units of the tolerance, convex like a voltage near a cut-off
    (found, lo, hi, _), calls = _search(lambda dt: (math.exp(-dt / 30) - math.exp(-target / 30)) / tol)
    assert found is not None and abs(found["dt"] - target) < 30 * tol * math.exp(target / 30)
    assert len(calls) <= 15 and lo <= found["dt"] <= hi


def test_a_cut_off_that_holds_from_the_start_leaves_lo_at_zero():
    (found, lo, hi, g_hi), _ = _search(lambda dt: -5.0 - dt)
    assert found is None and lo == 0.0 and hi < 1e-6 and g_hi < -1.0

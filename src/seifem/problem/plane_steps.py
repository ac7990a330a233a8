"""Step control of the 2D plane-strain cross-section with fracture (`seifem.problem.plane`):
each run step is taken in substeps whose length follows the staggered loop.

When a crack runs (brittle propagation: the crack tip advances at a nearly fixed load, the
energy released by one element's breaking drives the next) the staggered loop of
`seifem.problem.fracture` needs many iterations. The control, stated:

- a substep is cut (state restored, length halved, redone) when its staggered loop has not
  converged in `ITERATIONS_CUT` iterations (None, the default: the case's
  `fracture.max_iterations`), or any solve of it fails (`SolverError`); a substep of
  `MIN_FRACTION` of the run step or shorter gets the full `fracture.max_iterations` and fails
  the step (the run's own step cut) if still not converged;
- after a substep that converged in at most `ITERATIONS_GROW` iterations the next one doubles
  (never beyond what is left of the step); the length carries over to the next run step
  (`time_state`, so a restarted run takes the same substeps).

The damage increment is not a cut criterion: a running crack takes d from 0 to 1 at its tip
in a step of any length (the brittle jump does not shrink with the step). Nor, by default, is
a high iteration count below `max_iterations`: while a crack runs, the staggered iterations
a substep needs hardly fall with its length, so cutting multiplies them (bench_fracture's
first 120 s step, 8 760 dofs: 205 iterations in one step against 422 in 27 substeps with
`ITERATIONS_CUT` = 40). A step is accepted (its damage becomes the irreversibility bound) only
once all its substeps are.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from seifem.errors import SolverError

__all__ = ["ITERATIONS_CUT", "ITERATIONS_GROW", "MIN_FRACTION", "advance_in_substeps"]

log = logging.getLogger(__name__)

ITERATIONS_CUT: int | None = None
"""Staggered iterations after which a substep is cut (unless it is already the shortest);
None: the case's `fracture.max_iterations`."""
ITERATIONS_GROW = 10
"""A substep that converged in at most this many staggered iterations: the next one doubles."""
MIN_FRACTION = 1.0 / 64
"""The shortest substep, as a fraction of the run step (six halvings)."""


def _snapshot(p) -> dict:
    funcs = {n: f.x.array.copy() for n, f in (("theta", p.theta), ("theta_n", p.theta_n),
                                               ("theta_nm1", p.theta_nm1), ("u", p.u), ("d", p.fracture.d))}
    return {"arrays": funcs, "ezz": float(p.ezz.value), "time": p.time_state()}


def _restore(p, snap: dict) -> None:
    for name, f in (("theta", p.theta), ("theta_n", p.theta_n), ("theta_nm1", p.theta_nm1), ("u", p.u),
                    ("d", p.fracture.d)):
        f.x.array[:] = snap["arrays"][name]
    p.set_time_state(snap["time"])
    p.ezz.value = snap["ezz"]


def advance_in_substeps(p, dt: float, substep: Callable[[float, int | None], None], order: int | None) -> None:
    """Advance the problem `p` (a `PlaneProblem` with fracture) by dt (s) in substeps;
    substep(h, order) takes one of length h without accepting its damage."""
    pf = p.fracture
    full, t_end = pf.max_iterations, p.t + dt
    h, left, first = min(p.substep or dt, dt), dt, True
    for key in ("substeps", "step_cuts"):
        pf.stats.setdefault(key, 0)
    while left > 1e-9 * dt:
        h = min(h, left)
        shortest = h <= MIN_FRACTION * dt * (1 + 1e-9)
        snap = _snapshot(p)
        pf.max_iterations = full if shortest or ITERATIONS_CUT is None else min(full, ITERATIONS_CUT)
        try:
            substep(h, order if first else None)
        except SolverError as err:
            if shortest:
                raise
            _restore(p, snap)
            log.info("fracture substep of %.3g s cut (%s)", h, err)
            pf.stats["step_cuts"] += 1
            h /= 2
            continue
        finally:
            pf.max_iterations = full
        p.commit_fracture()
        pf.stats["substeps"] += 1
        first, left = False, left - h
        if pf.last["iterations"] <= ITERATIONS_GROW:
            h *= 2
    p.t = t_end
    p.substep = h

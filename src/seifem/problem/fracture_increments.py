"""Load increments of a fracturing particle's time step (`fracture.balance_tolerance`): a time
step whose energy balance misses is solved in shorter increments of its chemical load, so that
the balance of `problem.fracture_work` holds through fast crack growth (a crack that breaks
through the surface).

Why. The balance elastic + crack energy (+ plastic dissipation) = chemical work is exact for
the states; the work is the trapezoidal rule along the step's concentration path. In a step
in which a crack starts or runs, the work rate falls from the intact to the cracked value
inside the step and the rule misses by a part of the released energy: +5.4 % of the work in
the step in which the 2C crack of `cases/si_fracture_finite.toml` breaks through the surface
(20 s steps).

The control, stated. The mechanics is quasi-static and driven by the concentration theta
alone (one-way coupling), so a step's load path is theta(s) = theta_n + s (theta_n+1 -
theta_n), s in [0, 1], the path the work's trapezoidal rule assumes. An increment [s, s + h]
is solved (the staggered u/d loop) and its balance defect

    delta = (E + C + D)(s + h) - (E + C + D)(s) - dW,     dW: the rule's work over the increment,

(E elastic, C crack energy, D plastic dissipation) is measured; it is accepted when

    |delta| <= tol * max(h S, |dW|),     S = max(E + C + D at s, at s + h),

tol = `fracture.balance_tolerance` (S is the work done so far, to the balance's error), so a
whole step misses by at most tol (S + its |work|). The second term lets the first step from
an unstressed state pass: at finite strain its relative error falls only as h (E ~ s^2, the
rule's error ~ s^3), so h S alone would take it to the shortest increment whatever the step. The criterion is the defect itself, not the crack
energy's growth: the step in which the damage starts has a small dC but a kink in the work
rate (3D small strain, 8 steps: +6.3e-3 of the work from dC = 3 % of it). A rejected increment
is undone exactly (the displacement and the damage of its start; nothing else moved: the
irreversibility bound, the plastic history and the work move only when an increment is
accepted) and retried with h max(0.2, 0.9 r^(-1/2)), r = |delta| / allowed (delta ~ h^3
on a smooth path), never below `MIN_FRACTION` of the step; an increment of that length is kept
even if it misses (a crack that runs at a fixed load releases energy that no increment
recovers: logged once); a negative defect of such an increment is booked as energy released
by unstable crack growth (`IncrementControl.released`, the history column
released_energy_J), so that E + C + D + released = work holds to the tolerance through the jump
(a quasi-static model has no kinetic energy to carry it: the jump dissipates it). A snap-through
is recognised before the shortest increment too: a rejected increment with a release (delta <
0) whose retry, h' < h, still releases more than (h'/h)^2 of it is kept and booked the same
way, and the next increment has its length. A smooth path's defect falls as h^3, faster than
the allowance (~ h); a jump's release does not shrink at all, and a crack that runs in many
small jumps across the load (element by element) releases ~ h, as fast as the allowance, so
that shortening never makes it pass (the 2C break-through of `si_fracture_finite`: -4.49e-5 in
0.200 of the step, -9.87e-6 in 0.0455, 281 staggered iterations for the latter). A staggered
loop that runs out of `fracture.max_iterations` goes on at the same load from its last iterate
(`StaggeredPhaseField.solve(resume=True)`, same convergence test, same first u-residual), up to
RESUMES times: a crack running at a fixed load needs as many iterations in a short increment as
in a long one (the iterations ARE the crack propagating; the Anderson acceleration restarts at
nearly every iteration of it, its residual growing ~5 % an iteration, so the loop is the plain
staggered one), and halving h only repeats them. A solve that still fails (or a failed Newton)
halves h, or fails the step (the run's own time-step cut) at the shortest. Each accepted
increment before the last is committed (its damage becomes the lower bound, its work is added); the last one is the step's
state and the caller commits it as before. The next increment is min(2 h, 0.9 h r^(-1/2));
its length (a fraction of the step) carries over to the next time step and is part of the
time state (a retried or restarted step takes the same increments). Steps that balance
(elastic at small strain: the rule is exact) double the increment each time, back to one
solve per step.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from seifem.errors import SolverError
from seifem.problem.fracture import StaggeredNotConverged

__all__ = ["IncrementControl", "MIN_FRACTION", "solve_in_increments"]

log = logging.getLogger(__name__)

MIN_FRACTION = 1.0 / 128
"""The shortest load increment, as a fraction of the time step (seven halvings)."""
SAFETY, GROW_MAX, SHRINK_MIN = 0.9, 2.0, 0.2
RESUMES = 4
"""A staggered loop out of iterations goes on at the same load this many times (each
`fracture.max_iterations` more) before the increment counts as failed."""


@dataclass
class IncrementControl:
    """tolerance: the largest balance defect of a step over the energy stored and spent so far
    (0: one solve per step); fraction: the next increment's length (fraction of the step,
    carried over); released: the energy released by unstable crack growth so far (model
    units, part of the time state); counts of accepted and rejected increments, of staggered
    loops resumed at a fixed load and of snap-throughs booked as released; warned: an
    increment of the shortest length was kept above the tolerance (said once)."""

    tolerance: float
    fraction: float = 1.0
    released: float = 0.0
    increments: int = 0
    rejected: int = 0
    resumed: int = 0
    snaps: int = 0
    warned: bool = False

    def state(self) -> dict:
        """The part of a run's time state: the next increment and the energy released so far."""
        return {"load_increment": self.fraction, "released_energy": self.released}

    def set_state(self, ts: dict) -> None:
        """Restore `state()` from a time state (absent keys: a run without increments)."""
        self.fraction = ts.get("load_increment", 1.0)
        self.released = ts.get("released_energy", 0.0)

    def counters(self) -> dict[str, int]:
        """The solver statistics of the increments so far (summary.json)."""
        return {"load_increments": self.increments, "rejected_increments": self.rejected,
                "resumed_staggered_loops": self.resumed, "snap_throughs": self.snaps}


def _total(solver) -> float:
    """E + C + D of a `StaggeredPhaseField` (model units). Collective."""
    return solver.elastic_energy() + solver.crack_energy() + solver.plastic_dissipation()


def solve_in_increments(solver, work, commit, ctl: IncrementControl) -> None:
    """Solve the `StaggeredPhaseField` `solver` for the current concentration (work.theta) in
    load increments from the last accepted one (work.theta_accepted; `work`: its
    `ChemicalWork`) as the module docstring states; `commit()` accepts an increment (the
    caller's, which adds its work). The last increment is left uncommitted. Collective."""
    if ctl.tolerance <= 0.0:
        solver.solve()
        return
    theta = work.theta
    end, start = theta.x.array.copy(), work.theta_accepted.x.array.copy()
    s, proposal, missed = 0.0, min(ctl.fraction, 1.0), None
    while True:
        h = min(proposal, 1.0 - s)
        last = s + h >= 1.0 - 1e-12
        shortest = h <= MIN_FRACTION * (1 + 1e-9)
        u0, d0 = solver.u.x.array.copy(), solver.d.x.array.copy()
        theta.x.array[:] = start + s * (end - start)  # the energies of the increment's start
        total0 = _total(solver)
        theta.x.array[:] = end if last else start + (s + h) * (end - start)
        try:
            iterations = _staggered(solver, ctl)
        except SolverError as err:
            if shortest:
                theta.x.array[:] = end
                raise
            log.info("fracture load increment %.3g of the step: %s; halved", h, err)
            _undo(solver, u0, d0)
            ctl.rejected += 1
            proposal, missed = h / 2, None
            continue
        total1 = _total(solver)
        dW = work.increment()
        allowed = ctl.tolerance * max(h * max(total0, total1), abs(dW))
        defect = total1 - total0 - dW
        r = abs(defect) / allowed if allowed > 0 else 0.0
        # a release that shrank with the increment no faster than h^2 (the rule's error on a smooth
        # path falls as h^3, faster than the allowance ~ h): cracks snap at loads inside it
        snap = r > 1.0 and defect < 0.0 and missed is not None and missed[1] < 0.0 \
            and -defect > (h / missed[0]) ** 2 * -missed[1]
        log.info("fracture load increment [%.4f, %.4f] of the step: %d staggered iterations, balance defect "
                 "%.3g (%.3g x the allowance)%s", s, s + h, iterations, defect, r,
                 "" if r <= 1.0 else "; snap-through, released" if snap or (shortest and defect < 0.0)
                 else "; kept" if shortest else "; rejected")
        if r > 1.0 and not shortest and not snap:
            _undo(solver, u0, d0)
            ctl.rejected += 1
            proposal, missed = max(MIN_FRACTION, h * max(SHRINK_MIN, SAFETY / r**0.5)), (h, defect)
            continue
        if r > 1.0 and defect < 0.0:
            ctl.released -= defect  # released by a crack running at a fixed load
            ctl.snaps += 1
        elif r > 1.0 and not ctl.warned:
            ctl.warned = True
            log.warning("fracture: a load increment of %.3g of the time step misses the energy balance by %.3g x "
                        "the tolerance (fracture.balance_tolerance = %g) with a gain of energy; kept (said once)",
                        h, r, ctl.tolerance)
        ctl.increments += 1
        # the next increment: from this one's defect, at most twice the proposal (not the
        # remainder the last one was clipped to); after a snap-through, this one's length
        proposal = h if snap else GROW_MAX * proposal if r <= 0.0 else min(GROW_MAX * proposal, SAFETY * h / r**0.5)
        missed = None
        if last:
            ctl.fraction = min(1.0, max(proposal, MIN_FRACTION))
            return
        commit()
        s += h


def _staggered(solver, ctl: IncrementControl) -> int:
    """The staggered loop at the increment's load; one that runs out of iterations goes on from
    its last iterate (`resume`) up to RESUMES times: a crack running at a fixed load needs as
    many iterations in a short increment as in a long one, so halving would only repeat them.
    The iterations of all parts (also in `solver.last`). Collective."""
    done = 0
    for attempt in range(RESUMES + 1):
        try:
            solver.last["iterations"] = done + solver.solve(resume=attempt > 0)  # all parts (fracture_iterations)
            return solver.last["iterations"]
        except StaggeredNotConverged:
            if attempt == RESUMES:
                raise
            done += solver.last["iterations"]
            ctl.resumed += 1
            solver.stats["staggered_iterations"] += solver.last["iterations"]
            log.info("fracture: staggered loop at max |delta d| %.3g after %d iterations (a crack running at a "
                     "fixed load): continued", solver.last["delta_d"], done)
    raise AssertionError("unreachable")


def _undo(solver, u0, d0) -> None:
    """Back to the increment's start (displacement and damage; nothing else moved)."""
    solver.u.x.array[:] = u0
    solver.d.x.array[:] = d0

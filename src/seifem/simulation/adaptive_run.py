"""The run loop's side of adaptive time steps (`solver.adaptive`): tentative steps from the
controller (`simulation.adaptive.StepController`), each taken, estimated and redone shorter
until accepted. `run` is the run loop's `ParticleRun` (its problem, ledger, model and `advance`)."""

from __future__ import annotations

import logging
from collections.abc import Iterator

from seifem.errors import SolverError
from seifem.simulation.adaptive import stress_extremes
from seifem.simulation.protocol import StepPlan, adaptive_plan

__all__ = ["adaptive_plans", "adaptive_advance"]

log = logging.getLogger("seifem.simulation.run")


def adaptive_plans(run, step) -> Iterator[StepPlan]:
    """Tentative steps from the controller's proposal, until the protocol step ends (its
    end may be inf: an event ends it)."""
    pos, dt_max = run.position, step.dt
    end = pos.step_t0 + pos.duration
    while run.problem.t < end - 1e-9 * max(dt_max, 1.0):
        yield adaptive_plan(run.problem.t, run.controller.proposal(dt_max), end, dt_max, run.case.output.field_times)


def adaptive_advance(run, i: int, step, plan: StepPlan) -> tuple[StepPlan, dict]:
    """Take the step of `plan`, estimate its local error and redo it shorter until the
    controller accepts it (simulation/adaptive.py). A failed solve counts as a rejection
    (the step is cut by 4) until dt_min. Returns the accepted plan and its history row."""
    p, ctl = run.problem, run.controller
    pos, dt_max = run.position, step.dt
    while True:
        snap, ledger, ts = p.snapshot(), run.ledger.copy(), p.time_state()
        mid = None
        try:
            if len(ctl.times) == 1:  # the first step of a protocol step: step doubling
                row, err, mid = _doubled_step(run, i, step, plan.dt, snap, ledger)
                order = 1
            else:
                run.advance(plan.dt, step, retry=False)  # no halving inside: the controller cuts
                row = run.row(i, step.cycle)
                same_flux = ts["prev_dt"] is not None and p.time_state()["prev_flux"] == ts["prev_flux"]
                order = min(ctl.order if same_flux else 1, len(ctl.times) - 1)
                arrays = snap[0]
                theta = (p.state_functions()["theta"].x.array, arrays["theta"], arrays["theta_n"],
                         arrays["theta_nm1"])
                err = ctl.error(order, plan.dt, theta, stress_extremes(row), run.comm)
        except SolverError:
            if plan.dt <= ctl.dt_min * (1 + 1e-6):
                p.restore(snap)
                run.ledger = ledger
                run.advance_or_stop(i, plan.dt, step)  # the last try, with its halvings and its report
                return plan, run.row(i, step.cycle)
            ctl.dt_next, ctl.rejected = max(plan.dt / 4, ctl.dt_min), ctl.rejected + 1
            run.cuts += 1
        else:
            if ctl.judge(plan.dt, err, order, dt_max):
                if err > 1.0 and mid is None and f"dt_min {i}" not in run.warned:  # not the start: it may be singular
                    run.warned.add(f"dt_min {i}")
                    log.warning("t = %.4g s: local error %.3g x time_rtol at dt_min = %.3g s; step kept (said once "
                                "per protocol step)", p.t,
                                err, ctl.dt_min)
                if mid is not None:
                    ctl.accepted(*mid)
                return plan, row
            log.debug("t = %.6g s: dt = %.4g s rejected (error %.3g x time_rtol)", ts["t"], plan.dt, err)
        p.restore(snap)
        run.ledger = ledger
        plan = adaptive_plan(p.t, ctl.proposal(dt_max), pos.step_t0 + pos.duration, dt_max,
                             run.case.output.field_times)


def _doubled_step(run, i: int, step, dt: float, snap, ledger) -> tuple[dict, float, tuple]:
    """One step of dt against two of dt/2 from the same state: the state after the two
    halves, its row, its error estimate (the difference, over rtol) and the midpoint
    (time, stress extremes) for the controller's history."""
    p = run.problem
    run.advance(dt, step, retry=False)
    theta_full, stress_full = p.state_functions()["theta"].x.array.copy(), stress_extremes(run.model.scalars())
    p.restore(snap)
    run.ledger = ledger.copy()
    run.advance(dt / 2, step, retry=False)
    mid = (p.t, stress_extremes(run.model.scalars()))
    run.advance(dt / 2, step, retry=False)
    row = run.row(i, step.cycle)
    err = run.controller.scaled(1.0, p.state_functions()["theta"].x.array, theta_full, stress_extremes(row),
                                 stress_full, run.comm)
    return row, err, mid

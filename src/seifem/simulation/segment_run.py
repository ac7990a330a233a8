"""The run loop's segments: stretches of a protocol step of the 1D twin taken many time steps at
once (`reduced.radial_segment.advance_segment`), with the rows, cut-offs and checkpoints of the
step-by-step loop.

Where: a 1D twin (`geometry.model = "1d"`) that is linear and time-invariant (its numpy stepper
`reduced.radial_lti` applies: constant diffusivity, one-way coupling, elastic swelling without
a phase curve, no cohesive interface, small strain without plasticity; no SEI growth, which
runs as cycle life), in a constant-current protocol step (lithiate, delithiate, rest) with
fixed time steps (`solver.adaptive = false`). Holds, adaptive steps and every other model step
one `advance` at a time as before (`step_taking`).

How: the protocol step's time steps (`protocol.time_steps`) are taken in runs of equal length
that end at an output time, at a checkpoint (every `output.checkpoint_every` steps, counted as
the step-by-step loop counts them) or at the step's end, so fields and checkpoints fall on the
same steps and a continued run starts its segments where the uninterrupted run did. After the
segment's solve the twin's scalars of every step come at once from its states (theta, u from
the mode amplitudes) by the row maps (`reduced.radial_segment_rows.RowMaps`), the probes too;
then step by step the state is set (for fields and checkpoints), the ledger counted as `advance` counts
it, and the history row made by the loop's own `row` (the model's indicator columns, the
electrode's reading), so the rows are those of the step-by-step loop to round-off and the
cut-offs are tested on the same readings. The last step's state is the one the segment left
(checkpoints save it). When a cut-off is reached at
step k of a segment, the run goes back to the segment's start, takes its first k - 1 steps
again as a segment and hands step k and the rest of the protocol step to the step-by-step
loop, which lands on the cut-off by regula falsi as before.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from itertools import chain

from seifem.reduced.radial_segment import advance_segment
from seifem.simulation.protocol import StepPlan, signed_rate
from seifem.simulation.twin_models import Model1D

__all__ = ["MAX_SEGMENT", "segments_apply", "take_segments"]

log = logging.getLogger("seifem.simulation.run")

MAX_SEGMENT = 4096
"""Most time steps in one segment (its states are held as arrays of steps x dofs)."""

SAME_DT = 1e-9
"""Steps whose lengths differ by less than this (relative) share a segment: `time_steps` makes
equal steps between marks, up to the round-off of t_next - t."""


def segments_apply(run, step) -> bool:
    """Whether `run` (a `ParticleRun`) takes protocol `step` in segments (see the module)."""
    return (isinstance(run.model, Model1D) and run.problem.lti is not None and run.controller is None
            and step.mode in ("lithiate", "delithiate", "rest"))


def _runs(run, step, plans: Iterable[StepPlan]) -> Iterator[list[StepPlan]]:
    """The plans not yet taken (a continued run skips those before its checkpoint), in runs of
    one length, each ending at an output time, a checkpoint, the step's end or MAX_SEGMENT
    steps. Lazy: the next run is gathered after the previous one was taken (`run.nsteps`)."""
    every, batch = run.case.output.checkpoint_every, []
    for plan in plans:
        if not batch and plan.t_end <= run.problem.t + 1e-9 * step.dt:
            continue  # done before the restart
        if batch and abs(plan.dt - batch[0].dt) > SAME_DT * batch[0].dt:
            yield batch
            batch = []
        batch.append(plan)
        if (plan.output or plan.ends_step or len(batch) >= MAX_SEGMENT
                or (every and (run.nsteps + len(batch)) % every == 0)):
            yield batch
            batch = []
    if batch:
        yield batch


def take_segments(run, i: int, step, plans: Iterable[StepPlan], events: list) -> None:
    """Take protocol step i (`step`, its time-step `plans` and cut-off `events`) in segments;
    from a cut-off reached inside a segment on, step by step (`run.take`)."""
    runs = _runs(run, step, plans)
    for batch in runs:
        hit = _segment(run, i, step, batch, events)
        if hit is None:
            continue
        for plan in chain(batch[hit:], chain.from_iterable(runs)):  # the cut-off lies in step `hit`
            if plan.t_end <= run.problem.t + 1e-9 * step.dt:
                continue
            if run.take(i, step, plan, events):
                return
        return


def _segment(run, i: int, step, batch: list[StepPlan], events: list) -> int | None:
    """The steps of `batch` as one segment, each step's row made and finished as the
    step-by-step loop does. Returns None, or the index in `batch` of the step in which a
    cut-off was reached: the run is then back at the state after the steps before it."""
    p, rate, n = run.problem, signed_rate(step), len(batch)
    t0 = time.perf_counter()
    dt = (batch[-1].t_end - p.t) / n
    before = (p.snapshot(), run.ledger.copy(), run.reading) if events else None
    seg = advance_segment(p, dt, rate, n)
    theta, u = seg.states()
    end = p.theta.x.array.copy(), p.u.x.array.copy()  # the state the segment left (its BDF history with it)
    theta[-1], u[-1] = end
    scalars = seg.modes.table.rows(theta, u)  # the problem's rows of all steps at once, and the probes
    probes = run.model.probe_rows(seg.modes.table, theta, u)
    finished = before  # (..., ledger, reading) after the last finished step
    for k, plan in enumerate(batch):
        p.theta.x.array[:], p.u.x.array[:] = theta[k], u[k]  # for probes, fields, checkpoints
        p.t = plan.t_end
        run.ledger.count(step.cycle, rate, run.ions_per_s_1C, dt, 0.0)  # as `advance` books a step
        row = run.row(i, step.cycle, run.model.complete(scalars[k]))
        if events and any(ev.reached(run.reading, run.passed()) for ev in events):
            _rewind(run, before, finished, dt, rate, k, batch)
            return k
        wall = time.perf_counter() - t0
        run.t_solve += wall
        run.finish(i, step, plan, row, plan.ends_step, dt, wall, probes[k])
        t0 = time.perf_counter()
        if events:
            finished = (None, run.ledger.copy(), run.reading)
    p.t = batch[-1].t_end
    return None


def _rewind(run, before: tuple, finished: tuple, dt: float, rate: float, k: int, batch: list[StepPlan]) -> None:
    """Back to the state after the first k steps of a segment (its start when k = 0): the
    segment's start restored, its first k steps taken again as a segment (the same amplitudes),
    the ledger and the electrode's reading as they were after step k."""
    p = run.problem
    p.restore(before[0])
    if k:
        advance_segment(p, dt, rate, k)
        p.t = batch[k - 1].t_end
    run.ledger, run.reading = finished[1].copy(), finished[2]
    log.debug("t = %.6g s: a cut-off in the segment's step %d; from there step by step", p.t, k + 1)

"""Modified Newton (`problem.newton.JacobianLag`): the finite-strain J2-plastic particle keeps
its assembled Jacobian across Newton steps and time steps while Newton contracts fast, and
ends every step at the exact Newton's solution within the Newton tolerance (1e-9 on the
residual): every history column within 1e-8 of its scale (a stress: of its region's stress
scale) of the run that assembles the Jacobian at every Newton step; and, started from the
displacement extrapolated in time, of exact Newton started from the last step's solution."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import make_case
from seifem.geometry import build
from seifem.problem.particle import ParticleProblem
from seifem.problem.quantities import Quantities

CASE = {"particle": {"radius": "2.5 um"}, "coating": {"material": "carbon", "thickness": "50 nm"},
        "sei": {"material": "sei-carbonate", "thickness": "20 nm"},
        "physics": {"mechanics": "finite-strain", "plasticity": True},
        "geometry": {"mesh_size": "1.0 um", "surface_mesh_size": "0.8 um"}}


def _run(comm, rate: float | None, steps: int = 5, fresh_at: int | None = None, order: int | None = None):
    """History rows and Newton counters of `steps` 60 s steps at 1C (`rate`: the lag's, None
    the default); `fresh_at`: the step before which the preconditioner and Jacobian are
    dropped, as at a checkpoint; `order`: the predictor's (None the default, 0: from u_n)."""
    case = make_case(**CASE)
    p = ParticleProblem(case, build(case, comm))
    if rate is not None:
        p.nonlinear.lag.rate = rate
    if order is not None:
        p.nonlinear.predictor_order = order
    q = Quantities(p)
    rows = []
    for k in range(steps):
        if k == fresh_at:
            p.fresh_preconditioners()
        p.advance(60.0, 1.0)
        q.update()
        rows.append(q.scalars())
    stats = dict(p.nonlinear.stats, predictor_steps=p.nonlinear.steps_at_current)
    p.destroy()
    return rows, stats


def _worst(rows: list[dict], reference: list[dict]) -> tuple[float, str]:
    """The largest difference of a history column from the reference's, over its scale."""
    errors = {}
    for key in reference[0]:
        a = np.array([r[key] for r in reference])
        b = np.array([r[key] for r in rows])
        errors[key] = float(np.max(np.abs(b - a))) / _scale(reference, key)
    key = max(errors, key=errors.get)
    return errors[key], key


def _scale(rows: list[dict], key: str) -> float:
    """A column's scale over the run: its largest magnitude; for a stress (MPa), the largest
    stress magnitude of its region (a radial stress near zero in a thin coating is measured
    against the coating's hoop stress, as the history's extremes are in test_plasticity)."""
    keys = [key]
    if key.endswith("_MPa"):
        region = key.split("_")[0]
        keys = [k for k in rows[0] if k.startswith(region + "_") and k.endswith("_MPa")]
    return max(max(abs(r[k]) for r in rows for k in keys), 1e-30)


@pytest.mark.slow
def test_kept_jacobian_ends_at_the_exact_newton_solution(comm):
    kept, stats = _run(comm, None, fresh_at=3)
    exact, exact_stats = _run(comm, 0.0)
    errors = {}
    for key in exact[0]:
        a = np.array([r[key] for r in exact])
        b = np.array([r[key] for r in kept])
        errors[key] = float(np.max(np.abs(b - a))) / _scale(exact, key)
    worst = max(errors.values())
    print(f"kept Jacobian: worst history column {worst:.2e} of its scale ({max(errors, key=errors.get)}); "
          f"{sorted(errors.items(), key=lambda kv: -kv[1])[:4]}; {stats}; exact {exact_stats}")
    assert worst < 1e-8, worst  # measured 2.6e-9 (1 rank, LU + Anderson), 3.8e-9 (2 ranks, CG); Newton rtol 1e-9
    # exact Newton: a Jacobian every Newton step
    assert exact_stats["jacobians"] == exact_stats["newton_iterations"] and exact_stats["jacobians_kept"] == 0
    # modified Newton: every Newton step either assembled or kept; assembled at the start of
    # the run, after the fresh start before step 4 and when a step contracted slowly
    assert stats["jacobians"] + stats["jacobians_kept"] == stats["newton_iterations"]
    assert stats["jacobians"] >= 2 + stats["jacobians_slow"]
    # measured 4 of 15 (1 rank, LU, 27 Newton steps against 15), 11 of 18 (2 ranks, CG, 20 against 18)
    assert stats["jacobians"] <= 0.7 * exact_stats["jacobians"]


@pytest.mark.slow
def test_predicted_start_ends_at_exact_newton_from_the_last_solution(comm):
    """The default Newton (started from the displacement extrapolated quadratically in time
    from the 4th step on, on a kept Jacobian) against exact Newton started from u_n at every
    step: the same solution within the Newton tolerance (|F| <= 1e-9 |F(u_n)|)."""
    steps = 7
    predicted, stats = _run(comm, None, steps=steps)
    exact, exact_stats = _run(comm, 0.0, steps=steps, order=0)
    worst, key = _worst(predicted, exact)
    print(f"predicted start: worst history column {worst:.2e} of its scale ({key}); {stats}; exact from u_n {exact_stats}")
    assert stats["predictor_steps"] == steps  # steps 4-7 started from the quadratic extrapolation
    assert worst < 1e-8, worst  # measured 5.7e-10 (1 rank, LU + Anderson), 3.1e-9 (2 ranks, CG); Newton rtol 1e-9

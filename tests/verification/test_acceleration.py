"""Anderson acceleration (`seifem.problem.acceleration`) of a distributed fixed-point iteration,
serial and on 2 ranks: the linear contraction x <- M x + b (M diagonal: fast modes in [0, 0.5]
and three slow ones, 0.9, 0.95 and 0.98, as the creeping crack tip of a staggered phase-field
loop) reaches its fixed point
x* = (I - M)^-1 b, and needs far fewer iterations than the plain iteration."""

from __future__ import annotations

import numpy as np

from seifem.problem.acceleration import Anderson


def _iterate(comm, depth: int | None, tol: float = 1e-10, max_it: int = 2000) -> tuple[int, float]:
    rng = np.random.default_rng(1 + comm.rank)  # each rank owns 200 entries of the vector
    m = rng.uniform(0.0, 0.5, 200)
    if comm.rank == 0:
        m[:3] = 0.9, 0.95, 0.98
    b = rng.uniform(-1.0, 1.0, 200)
    exact = b / (1 - m)
    x = np.zeros(200)
    acc = Anderson(comm, depth) if depth else None
    for it in range(1, max_it + 1):
        g = m * x + b - x
        if comm.allreduce(float(np.max(np.abs(g))), op=max) <= tol:
            break
        x = acc.update(x, g) if acc else x + g
    return it, comm.allreduce(float(np.max(np.abs(x - exact))), op=max)


def test_anderson_linear_contraction(comm):
    plain, err_plain = _iterate(comm, None)
    fast, err_fast = _iterate(comm, 5)
    # the error bound of a residual 1e-10 at the slowest rate 0.98: 1e-10 / (1 - 0.98) = 5e-9
    # measured (serial and 2 ranks): plain 1115 iterations, error 4.9e-9; Anderson(5) 94, 4.7e-9
    assert err_plain < 1.2e-8 and err_fast < 1.2e-8
    assert fast * 5 < plain


def test_anderson_restarts_on_growth(comm):
    acc = Anderson(comm, 3)
    x = np.ones(4)
    acc.update(x, np.full(4, 1e-3))
    acc.update(x + 1e-3, np.full(4, 1e-2))  # the residual grew: the history is dropped, a plain step
    assert acc.restarts == 1
    y = acc.update(x, np.full(4, 0.5))
    assert acc.restarts == 2 and np.allclose(y, x + 0.5)

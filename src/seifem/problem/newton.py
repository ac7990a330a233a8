"""Newton controls for the SNES solvers: the inexact-Newton forcing terms (`ForcingTerms`:
each linear solve only as accurate as its Newton step can use), the Jacobian kept across
Newton steps and time steps while Newton contracts fast (`JacobianLag`: modified Newton), and
the reuse of the preconditioner across Newton steps and time steps (`PreconditionerReuse`:
rebuilt when the linear iterations per decade grow), Anderson acceleration of the Newton
steps on a kept, factorised Jacobian (`KeptJacobianAcceleration`); the weights of the
extrapolated start of Newton (`predict`)."""

from __future__ import annotations

import logging

import numpy as np
from mpi4py import MPI
from petsc4py import PETSc

from seifem.problem.acceleration import Anderson

__all__ = ["ForcingTerms", "JacobianLag", "KeptJacobianAcceleration", "PreconditionerReuse", "predict"]

log = logging.getLogger(__name__)


class ForcingTerms:
    """Inexact Newton: the relative tolerance of each Newton step's linear solve (Eisenstat &
    Walker, SIAM J. Sci. Comput. 17, 16 (1996), choice 2 with gamma = 0.9, alpha = 2, and
    Kelley's safeguards, Iterative Methods for Linear and Nonlinear Equations, SIAM 1995,
    eq. 6.20):

        eta_k = min(eta_max, gamma |F_k|^2 / |F_k-1|^2)
                (not below gamma eta_k-1^2 when that exceeds 0.1),
        eta_k >= 0.5 tol / |F_k|   (no oversolving of the last step: tol is the Newton
                                    tolerance on |F|, max(snes_atol, snes_rtol |F_0|)),

    except while Newton is not (yet) converging fast: any step after one that did not halve
    |F| is solved to `eta_tight` (the exact-Newton tolerance), and so is the first step of each
    solve unless it starts from a prediction (the displacement extrapolated from the last
    steps) that halved |F| against the last step's solution (`start_norm`). The Newton here has
    no line search, and at a large load step (C/2, 600 s, finite strain with plasticity, the
    first step of a run) a loose first solve sent it to a diverging iterate.

    Each linear solve is as accurate as the Newton step can use; Newton's own tolerance is
    unchanged, so the solution moves only within it. The bound is on the true residual
    |F + J s| <= eta |F| (CG with `ksp_norm_type unpreconditioned`, `solvers.NEWTON_ITERATIVE`):
    on CG's default preconditioned residual a loose eta let the Newton steps go wrong with
    Chebyshev/Jacobi smoothing (52 against 32 Newton steps over 8 steps of a C/2 lithiation).
    Call it before each Newton step (`PreconditionerReuse.attach(snes, forcing)`)."""

    def __init__(self, eta_max: float = 1e-2, eta_tight: float = 1e-6, gamma: float = 0.9):
        self.eta_max, self.eta_tight, self.gamma = eta_max, eta_tight, gamma
        self.predicted = False  # this solve started from a prediction that halved |F|
        self.start_norm: float | None = None
        """Set by the solver when its starting point is a prediction from the last steps: |F| at
        the last step's solution. If the prediction at least halved it (a smooth continuation),
        the first linear solve is to `eta_max`, else to `eta_tight`."""
        self._f0 = self._f_prev = self._eta = 0.0

    def __call__(self, snes: PETSc.SNES, it: int) -> None:
        fnorm = snes.getFunctionNorm()
        rtol, atol = snes.getTolerances()[:2]
        if it == 0:
            self._f0 = fnorm
        if it == 0:  # a prediction that halved |F| counts as a Newton step that did
            self.predicted = self.start_norm is not None and fnorm <= 0.5 * self.start_norm
            eta = self.eta_max if self.predicted else self.eta_tight
        elif fnorm > 0.5 * self._f_prev:
            eta = self.eta_tight
        else:
            eta = self.gamma * (fnorm / self._f_prev) ** 2
            if self.gamma * self._eta**2 > 0.1:
                eta = max(eta, self.gamma * self._eta**2)
            eta = min(self.eta_max, eta)
        tol = max(atol, rtol * self._f0)
        if fnorm > 0:
            eta = min(max(self.eta_max, self.eta_tight), max(eta, 0.5 * tol / fnorm))
        self._f_prev, self._eta = fnorm, eta
        snes.getKSP().setTolerances(rtol=eta)


class JacobianLag:
    """Modified Newton: the assembled Jacobian, and the preconditioner or LU factorisation
    built from it, is kept across Newton steps and time steps while Newton contracts fast,
    and reassembled at the current iterate when it does not:

    - the first Newton step of a time step keeps the last one's Jacobian if the solve starts
      from a smooth prediction (`ForcingTerms.predicted`: the displacement extrapolated from
      the last steps halved |F| against the last step's solution); otherwise (the first step
      of a run or of a new current, an `equilibrate` jump, after `invalidate()`) it assembles;
    - a later Newton step k keeps it while |F_k| <= `rate` |F_k-1| and k < `max_steps`,
      else assembles.

    A kept Jacobian changes the path to the solution, not the solution: the Newton test on |F|
    is unchanged. Where it contracts fast, a step costs residual assemblies and linear solves
    only (the consistent tangent of the UFL return map costs ~36 residual assemblies).
    Counters: `assembled` (Jacobians assembled), `kept` (Newton steps on a kept one), `slow`
    (assembled because the last Newton step contracted by less than `rate`, or at `max_steps`)."""

    DIRECT = 0.9
    """`rate` with an LU factorisation (with `DIRECT_STEPS`): a Newton step on a kept one costs a
    residual and two triangular solves (~25 ms at 24k dofs), a new one an assembly and a
    factorisation (~0.9 s, ~36 Newton steps), and with `KeptJacobianAcceleration`, whose
    contraction varies from step to step, a fresh Jacobian gains little beyond its first time
    step (2 Newton steps, then 3-4 again). So a kept one is dropped only when it fails: a Newton
    step that did not reduce |F| by 10 %, or a solve's 6th Newton step. Measured on
    `bench/bench_physics.py`'s coated particle (24 201 dofs, 1 rank, finite + plastic; Jacobians
    / Newton steps a step / mean and median wall time a step): 120 steps of 15 s at 1C: this
    rule 4 / 3.11 / 157 and 134 ms; `rate` alone 0.1: 46 / 2.78 / 463 and 137 ms (from step 30 a
    Jacobian every other step), 0.5: 7 / 3.37 / 182-201 and 135-145 ms, 0.7: 6 / 3.38 / 179 and
    138 ms, 0.8: 5 / 4.52 / 201 and 135 ms (the first steps took 15-16 Newton steps on their
    first Jacobian); 60 steps of 60 s at C/2: this rule 2 / 4.32 / 183 and 164 ms, 0.5: 3 / 4.28
    / 198 and 170 ms. A budget rule (assemble once the Newton steps beyond the fewest on a
    Jacobian summed to 15 or 30) assembled more often (16, 11) for nothing: tried, not kept."""
    DIRECT_STEPS = 6
    """`max_steps` with an LU factorisation (see `DIRECT`)."""
    ITERATIVE = 0.01
    """`rate` with CG + GAMG: every extra Newton step costs a CG solve (~17 iterations), more
    than the Jacobian it saves. The same bench on 2 ranks (load ~7-8): 0 (exact Newton):
    1.71x, 0.01: 1.38x, 0.1: 1.95x (5.2 Newton steps a step against 3.3)."""

    def __init__(self, rate: float, max_steps: int | None = None):
        self.rate = rate
        """Keep the Jacobian while each Newton step reduces |F| at least this much (0: exact
        Newton, a Jacobian every Newton step)."""
        self.max_steps = max_steps
        """Assemble at this Newton step of a solve if it still runs (None: no limit)."""
        self.assembled = self.kept = self.slow = 0
        self.new = True  # the decision for the current Newton step (read by the Jacobian callback)
        self._valid = False
        self._f_prev = 0.0

    def invalidate(self) -> None:
        """Assemble at the next Newton step (a checkpoint or a restart: the run then continues
        bit for bit as a restarted one would; a retried step)."""
        self._valid = False

    def __call__(self, it: int, fnorm: float, predicted: bool) -> bool:
        """Whether Newton step `it` at residual norm `fnorm` assembles the Jacobian."""
        if self.rate <= 0 or not self._valid or (it == 0 and not predicted):
            new = True
        elif it == 0:
            new = False
        else:
            new = fnorm > self.rate * self._f_prev or (self.max_steps is not None and it >= self.max_steps)
            self.slow += new
        self._f_prev = fnorm
        self.new, self._valid = new, True
        if new:
            self.assembled += 1
        else:
            self.kept += 1
        return new


class KeptJacobianAcceleration:
    """Anderson acceleration of modified Newton with an exact (factorised) linear solve.

    On a kept Jacobian J0, Newton is the fixed-point iteration x <- x - J0^-1 F(x), whose
    residual is the Newton step s = -J0^-1 F(x); it converges linearly, at the rate J0 is off
    the current Jacobian. Anderson's update (`acceleration.Anderson`, depth `depth`) replaces
    each step by the one its last differences of iterates and steps extrapolate to. It acts as
    the line search's pre-check (the step handed to the SNES's update is replaced), so the SNES,
    its convergence test on |F| and the `JacobianLag` decisions are unchanged: the solution
    moves only within the Newton tolerance.

    The differences are kept from one time step to the next while the Jacobian is (the map
    changes with theta mostly by a shift, which differences cancel; no difference is taken
    across two time steps), and dropped when the Jacobian is assembled: a new J0 is another
    map. A checkpoint, restart or retried step assembles (`JacobianLag.invalidate`), so a
    continued run takes the steps of the uninterrupted one bit for bit.

    Measured on `bench/bench_physics.py`'s coated particle (24 201 dofs, 1 rank, finite strain
    + J2 plasticity, 1C, 20 steps of 15 s; Newton converged on |F| alone, `snes_stol` 0):
    plain modified Newton 5.05 Newton steps a step; Anderson of depth 2 / 4 / 8 / 16: 4.85 /
    4.45 / 3.65 / 3.65; depth 8 with the differences dropped at each time step: 4.2.

    Exact solves only: with the inexact CG solves of `ForcingTerms` each step carries its own
    linear-solve error, and the differences would extrapolate it."""

    def __init__(self, comm: MPI.Comm, lag: JacobianLag, depth: int = 8):
        self.lag = lag
        self.anderson = Anderson(comm, depth)

    def attach(self, snes: PETSc.SNES) -> None:
        """Replace each Newton step of `snes` (after its `JacobianLag` decision) by Anderson's."""
        snes.setLineSearchPreCheck(self._precheck, args=(snes,))

    def _precheck(self, x: PETSc.Vec, step: PETSc.Vec, snes: PETSc.SNES) -> None:
        if self.lag.new:
            self.anderson.reset()
        elif snes.getIterationNumber() == 0:
            self.anderson.detach()
        xa, sa = x.getArray(readonly=True), step.getArray()
        sa[:] = xa - self.anderson.update(xa, -sa)  # the SNES takes x - step


class PreconditionerReuse:
    """Keep a Newton solver's preconditioner across its iterations and time steps while it
    still works: rebuilt (from the current Jacobian) at the first Newton step, after
    `rebuild()` (a checkpoint or a restart: the run then continues bit for bit as a restarted
    one would), and when the last linear solve needed more than `growth` times the
    iterations per decade of residual reduction of the first solve after the last rebuild
    (plus one).

    The rate is judged by the reduction each solve achieved (its KSP residual history), not
    by the tolerance it was given: with an inexact Newton (`ForcingTerms`) the tolerance
    changes from one Newton step to the next, and the first decades of a solve are cheaper
    than the later ones, so the rate is that of the last decade of each solve.

    Attach with `attach(snes)` (an SNES update hook before each Newton step); `rebuilds`
    counts the setups, `grown` those triggered by the growth of the iterations (each logged
    at debug). An LU (preonly) solver is refactorised whenever its operator changes: with a
    `JacobianLag` attached, only when the Jacobian is reassembled.
    """

    growth: float = 2.0
    """Rebuild when the iterations per decade exceed this multiple of the reference ones (plus
    one). With one preconditioner the last-decade rate varies between solves: 4.8-9.4
    iterations per decade over 12 Newton steps of the finite-strain plastic test particle
    (tests/verification/test_finite_strain.py), and a rebuild within that band gained nothing."""

    def __init__(self, name: str):
        self.name = name
        self.rebuilds = 0
        self.grown = 0
        self.enabled = True
        self._pending = True  # rebuild before the next linear solve
        self._measure_next = False  # the next finished solve sets the reference rate
        self._reference: float | None = None
        self._forcing: ForcingTerms | None = None
        self.lag: JacobianLag | None = None

    def attach(self, snes: PETSc.SNES, forcing: ForcingTerms | None = None, lag: JacobianLag | None = None) -> None:
        """Hook into `snes` before each Newton step; `forcing` (inexact Newton) and `lag`
        (whether this Newton step assembles the Jacobian) are called there too, first."""
        ksp = snes.getKSP()
        self.enabled = ksp.getType() != PETSc.KSP.Type.PREONLY
        self._forcing, self.lag = forcing, lag
        if self.enabled:
            ksp.setConvergenceHistory(reset=True)  # residual norms of each solve (for `_rate`)
        if self.enabled or lag is not None:
            snes.setUpdate(self._before_newton_step)

    def rebuild(self) -> None:
        """Build the preconditioner (and a kept Jacobian) afresh before the next linear solve."""
        self._pending = True
        if self.lag is not None:
            self.lag.invalidate()

    @staticmethod
    def _rate(ksp: PETSc.KSP) -> float:
        """Iterations per decade of residual reduction in the last decade the last solve
        achieved (its asymptotic rate, comparable between solves of different depth); the
        iteration count of a solve that gained less than a decade."""
        its, h = ksp.getIterationNumber(), ksp.getConvergenceHistory()
        if len(h) < 2 or not h[-1] > 0:
            return float(its)
        above = np.flatnonzero(h >= 10.0 * h[-1])
        if not above.size:
            return float(its)
        k = above[-1]
        return (len(h) - 1 - k) / float(np.log10(h[k] / h[-1]))

    def _before_newton_step(self, snes: PETSc.SNES, it: int) -> None:
        if self._forcing is not None:
            self._forcing(snes, it)
        if self.lag is not None:
            predicted = self._forcing is not None and self._forcing.predicted
            self.lag(it, snes.getFunctionNorm(), predicted)
        if not self.enabled:
            return
        ksp = snes.getKSP()
        if self._measure_next and ksp.getIterationNumber() > 0:
            self._reference, self._measure_next = self._rate(ksp), False
        elif self._reference is not None and self._rate(ksp) > self.growth * self._reference + 1.0:
            log.debug("%s: %d linear iterations (%.1f per decade against %.1f after the last setup): "
                      "rebuilding the preconditioner", self.name, ksp.getIterationNumber(), self._rate(ksp),
                      self._reference)
            self._pending = True
            self.grown += 1
        rebuild = self._pending
        if rebuild:  # the SNES never rebuilds it itself (snes_lag_preconditioner -1): reset it
            ksp.getPC().reset()
        if rebuild:
            self.rebuilds += 1
            self._pending, self._measure_next = False, True
            log.debug("%s: preconditioner setup %d", self.name, self.rebuilds)


def predict(dt: float, dt_last: float, dt_before: float | None = None) -> tuple[float, float, float]:
    """Weights (w_n, w_n-1, w_n-2) of the displacement extrapolated to the end of a step of
    length dt (s): u = w_n u_n + w_n-1 u_n-1 + w_n-2 u_n-2, where u_n-1 and u_n-2 are the
    starts of the last step (length dt_last) and of the one before (dt_before). Lagrange
    extrapolation in time: linear without dt_before (w_n-2 = 0), else quadratic (exact for u
    quadratic in t; 3, -3, 1 at equal steps)."""
    if dt_before is None:
        r = dt / dt_last
        return 1.0 + r, -r, 0.0
    t1, t2 = dt + dt_last, dt + dt_last + dt_before  # from t_n-1 and t_n-2 to the end of the step
    return (t1 * t2 / (dt_last * (dt_last + dt_before)), -dt * t2 / (dt_last * dt_before),
            dt * t1 / ((dt_last + dt_before) * dt_before))

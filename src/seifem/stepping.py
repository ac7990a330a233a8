"""What every time-stepped problem shares (the 3D `ParticleProblem` and its 2D and 1D
twins): a state made of functions plus a few numbers, snapshots to go back to after a failed
step, and the voltage hooks that only some of them use.

A problem lists the functions that define its state in `state_functions()` (checkpoints
save them) and its scalar time state (time t in s, the BDF history: previous dt in s and
previous flux) in `time_state()`.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = ["SteppedProblem", "Snapshot"]

Snapshot = tuple[dict[str, Any], dict[str, Any]]
"""(copies of the state functions' arrays by name, the time state)."""


class SteppedProblem:
    """Base of the particle problems. Subclasses set `t`, `_prev_dt`, `_prev_flux` and
    implement `state_functions`; they extend `time_state` / `set_time_state` when they carry
    more (the 3D problem's Butler-Volmer potential)."""

    t: float
    _prev_dt: float | None
    _prev_flux: float

    def state_functions(self) -> dict:
        """The dolfinx Functions that, with `time_state()`, define the state."""
        raise NotImplementedError

    def time_state(self) -> dict:
        """Time (s) and the history the BDF scheme needs."""
        return {"t": self.t, "prev_dt": self._prev_dt, "prev_flux": self._prev_flux}

    def set_time_state(self, ts: dict) -> None:
        self.t, self._prev_dt, self._prev_flux = ts["t"], ts["prev_dt"], ts["prev_flux"]

    def snapshot(self) -> Snapshot:
        """A copy of the full state, to go back to after a failed step."""
        return ({k: f.x.array.copy() for k, f in self.state_functions().items()}, self.time_state())

    def restore(self, snap: Snapshot) -> None:
        arrays, ts = snap
        for k, f in self.state_functions().items():
            f.x.array[:] = arrays[k]
        self.set_time_state(ts)
        self.fresh_preconditioners()

    def fresh_preconditioners(self) -> None:
        """The state was just saved or loaded: rebuild any preconditioner kept from earlier
        steps before the next solve, so a run continued from this checkpoint and the
        uninterrupted run take the same steps bit for bit (nothing to do by default)."""

    equilibrate_increment: float | None = None
    """Largest change of theta per load increment of `equilibrate` (None: one solve)."""

    def pinned_theta_dofs(self) -> np.ndarray:
        """Local concentration dofs held at 0 (those touching only coating cells)."""
        return np.empty(0, dtype=np.int32)

    def solve_mechanics(self) -> None:
        """Mechanics for the current theta."""
        raise NotImplementedError

    def equilibrate(self, theta: float) -> int:
        """Set the filling fraction to `theta` uniformly in the core, its BDF history too (the
        scheme restarts), and solve the mechanics for it: in one solve, or with nonlinear
        mechanics in load increments of at most `equilibrate_increment` in theta along the
        straight path from the current field, each committed (plastic flow follows it).
        Returns the number of mechanics solves."""
        fs = self.state_functions()
        start, pinned = fs["theta"].x.array.copy(), self.pinned_theta_dofs()
        target = np.full_like(start, theta)
        target[pinned] = 0.0
        change = float(np.max(np.abs(target - start))) if start.size else 0.0
        change = self._comm_max(change)
        n = 1 if self.equilibrate_increment is None else max(1, math.ceil(change / self.equilibrate_increment))
        for k in range(1, n + 1):
            fs["theta"].x.array[:] = start + (target - start) * (k / n)
            self.solve_mechanics()
        for name in ("theta_n", "theta_nm1"):
            fs[name].x.array[:] = target
        self._prev_dt, self._prev_flux = None, None
        return n

    def _comm_max(self, value: float) -> float:
        """The largest value over the ranks of the problem's mesh."""
        from mpi4py import MPI

        return self.state_functions()["theta"].function_space.mesh.comm.allreduce(value, op=MPI.MAX)

    def voltage(self) -> float | None:
        """Electrode potential of the last step from the problem's own kinetics (V); None when
        the problem has none (the electrode then computes it from the surface state)."""
        return None

    def set_branch(self, direction: int) -> None:
        """Current direction for the OCP branch (+1 lithiation, -1 delithiation) of the
        problem's own kinetics; nothing to do without them."""

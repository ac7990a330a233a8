"""The errors seifem reports to its users, in one place that imports nothing heavy (so the
CLI can classify an error without loading dolfinx).

Input errors (exit code 2) are raised on every MPI rank alike; run errors (exit code 3)
come from collective operations and so reach every rank too.
"""

from __future__ import annotations

__all__ = ["RunError", "GeometryError", "SolverError", "ProbeError", "RenderError", "RunDirError",
           "CheckpointError"]


class RunError(RuntimeError):
    """A run that cannot continue (exit code 3)."""


class GeometryError(RunError):
    """gmsh could not build the particle."""


class SolverError(RunError):
    """A linear or nonlinear solve failed; `reason` is PETSc's converged reason."""

    def __init__(self, message: str, reason: int | None = None):
        super().__init__(message)
        self.reason = reason


class CheckpointError(RunError):
    """A checkpoint is missing or does not fit the mesh."""


class ProbeError(ValueError):
    """A probe point lies outside the mesh (an input error)."""


class RenderError(RuntimeError):
    """The run directory cannot be rendered (an input error)."""


class RunDirError(RuntimeError):
    """The run directory cannot be created or continued (an input error)."""

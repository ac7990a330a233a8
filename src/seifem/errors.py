"""The errors seifem reports to its users, in one place that imports nothing heavy (so the
CLI can classify an error without loading dolfinx).

Input errors (exit code 2) are raised on every MPI rank alike; run errors (exit code 3)
come from collective operations and so reach every rank too.
"""

from __future__ import annotations

from typing import Any

__all__ = ["CaseError", "REQUIRED", "UnitError", "MaterialError", "PoreError", "RunError", "GeometryError", "SolverError", "ProbeError", "RenderError", "RunDirError",
           "CheckpointError", "OutputError", "short_text"]


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


class OutputError(RunError):
    """A file of the run could not be written (disk full, quota, permissions, I/O error).
    What a restart trusts (the checkpoint and the rows it counts) is never left half-written."""

    def __init__(self, path, exc: OSError | str):
        why = exc if isinstance(exc, str) else (exc.strerror or exc.__class__.__name__)
        super().__init__(f"cannot write {path}: {why}; the run directory holds everything up to its last checkpoint "
                         "(free space, then continue with seifem run --restart)")
        self.path = str(path)


class ProbeError(ValueError):
    """A probe point lies outside the mesh (an input error)."""


class RenderError(RuntimeError):
    """The run directory cannot be rendered (an input error)."""


class RunDirError(RuntimeError):
    """The run directory cannot be created or continued (an input error)."""


REQUIRED = object()
"""The default of a case key that has none: the key must be given."""


class CaseError(ValueError):
    """A case file that cannot be run. The message names the key, the value and what is allowed."""

    def __init__(self, key: str, value: Any, allowed: str):
        self.key, self.value, self.allowed = key, value, allowed
        shown = "(missing)" if value is REQUIRED else short_text(repr(value))
        key_shown = short_text(key) + ('""' if not key or key.endswith(".") else "")  # an empty key stays visible
        message = f"{key_shown} = {shown}: {allowed}"
        super().__init__("".join(c if c.isprintable() else repr(c)[1:-1] for c in message))  # one line


def short_text(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else f"{text[:limit - 20]}...({len(text)} characters)"


class UnitError(ValueError):
    """A value could not be read as a quantity of the wanted dimension."""


class MaterialError(KeyError):
    """An unknown material name."""


class PoreError(ValueError):
    """A pore request that cannot be met; `key` is the case key to change."""

    def __init__(self, key: str, message: str):
        super().__init__(message)
        self.key = key

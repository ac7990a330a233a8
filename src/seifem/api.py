"""seifem from Python (notebooks, scripts), the same runs as the `seifem` command
(`seifem.load` and `seifem.open_run` are this module's `load` and `open_run`):

    study = seifem.load("cases/si_bare.toml", {"geometry.model": "1d", "particle.radius": "1 um"})
    result = study.run("runs/bare-1um")          # collective under mpirun, like `seifem run`
    result.history[["time_s", "core_st_max_MPa"]]  # a pandas DataFrame: columns and units in docs/outputs.md
    result.cycles, result.probes, result.summary, result.case
    result.fields()                               # [(t, pyvista grid)] of the run's field outputs (any model)
    result.render(), result.report()              # figures[-N]/ and report[-N].html
    result = seifem.open_run("runs/bare-1um")     # a run written earlier, by the CLI or the API

Values in the history are in the units its column names carry (MPa, um, V, mAh/g, s); the
`Study.case` holds SI values. A run directory that exists and is not empty is refused, as
the CLI refuses it: nothing written is ever overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seifem.case import Case, resolved_toml
from seifem.results.rundir import RunDir

__all__ = ["Result", "Study", "load", "open_run"]


def load(path: str | Path, overrides: dict[str, Any] | None = None) -> Study:
    """A case file with overrides (dotted keys as in `--set`, values as the case file would hold
    them: {"coating.thickness": "20 nm", "protocol.cycles": 3}). Raises CaseError naming the
    key, as `seifem check` does."""
    import json

    from seifem.case import parse_case
    from seifem.case.tree import load_tree, set_key

    tree = load_tree(path)
    for key, value in (overrides or {}).items():
        set_key(tree, key, value)
    case = parse_case(tree, base_dir=Path(path).parent)
    return Study(Path(path), case, [f"{k}={json.dumps(v)}" for k, v in (overrides or {}).items()])


@dataclass(frozen=True)
class Study:
    """A validated case ready to run: its file, the `Case` (SI values) and the overrides."""

    path: Path
    case: Case
    overrides: list[str] = field(default_factory=list)

    def resolved(self) -> dict:
        """The resolved case as a TOML tree (with units), as `seifem check` prints it."""
        return resolved_toml(self.case)

    def run(self, out: str | Path | None = None, comm=None, render: bool = False) -> Result:
        """Run the case into `out` (default runs/<case name>[-N]) on `comm` (default
        MPI.COMM_WORLD: call it on every rank under mpirun). Pictures and the report only
        if `render`. Returns the `Result` once the run has finished."""
        from mpi4py import MPI

        from seifem.post.report import render_and_report
        from seifem.results.rundir import create_run_dir
        from seifem.simulation.run import run_case

        comm = comm or MPI.COMM_WORLD
        argv = ["python:seifem.load", str(self.path), *(f"--set {o}" for o in self.overrides)]
        run_dir = create_run_dir(self.case, self.path, Path(out) if out is not None else None, comm, argv)
        run_case(self.case, run_dir, comm)
        if render:
            render_and_report(run_dir, comm)
        return open_run(run_dir)


def open_run(path: str | Path) -> Result:
    """The results of a run directory (finished or not)."""
    run = RunDir(Path(path))
    if not run.is_run():
        from seifem.errors import RenderError

        raise RenderError(f"run_dir = {str(path)!r}: not a seifem run (no case.toml and history.csv)")
    return Result(run)


@dataclass(frozen=True)
class Result:
    """What a run wrote, read back: tables as pandas DataFrames (read when asked)."""

    run: RunDir

    @property
    def path(self) -> Path:
        return Path(self.run.path)

    @property
    def finished(self) -> bool:
        return self.run.is_finished()

    @property
    def case(self) -> dict:
        """The resolved case (case.toml) with units."""
        return self.run.case()

    @property
    def summary(self) -> dict:
        """Steps, timing, DOFs and solver statistics ({} while unfinished)."""
        return self.run.summary()

    @property
    def history(self):
        """history.csv: one row per time step."""
        return _frame(self.run.history())

    @property
    def probes(self):
        return _frame(self.run.probes())

    @property
    def cycles(self):
        """cycles.csv: charge in/out, Coulombic efficiency and retention per cycle."""
        return _frame(self.run.cycles())

    def fields(self) -> list:
        """[(t in s, pyvista.UnstructuredGrid)] of every field output (3D, 2D or 1D model), in time
        order: the fields_vtk collections, lengths in um, stresses in MPa."""
        from seifem.post.readers import read_fields

        return read_fields(self.path)

    def render(self, animate: bool = False) -> Path:
        """Figures into a fresh figures[-N]/ (serial: call it on one process); with `animate`
        also stress.gif, the stress map at every field output."""
        from seifem.post.render import render_run

        return render_run(self.path, animate)

    def report(self) -> Path:
        """A self-contained report[-N].html (serial)."""
        from seifem.post.report import write_run_report

        return write_run_report(self.path)


def _frame(columns: dict):
    import pandas as pd

    return pd.DataFrame(columns)

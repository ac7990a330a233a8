"""The run directory: its file names, its creation (fresh on rank 0, never reused, so nothing
a run wrote is lost), and the one reader of what a run wrote.

    run = RunDir(Path("runs/si_coated"))
    run.is_finished(), run.case(), run.history()["core_st_max_MPa"]

Layout (every name is a constant here and nowhere else):
    case.toml     the resolved case with units, sources and versions, plus a [run] table
    input.toml    the case as given (after --set), re-read by --restart
    history.csv   one row per time step (time_s, step, cycle, scalars)
    probes.csv    field values at the case's probe points
    cycles.csv    charge in/out per cycle
    particles.csv an electrode run's particles (state, stresses) at each output time
    summary.json  written last: a run with it is finished
    checkpoint.npz, fields[-N].bp, fields*_vtk/fields.pvd, profiles[-N].csv, meridian[-N]/, figures[-N]/,
    report[-N].html
"""

from __future__ import annotations

import csv
import datetime
import json
import math
import platform
import shlex
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import tomli_w
from mpi4py import MPI

from seifem.case import Case, resolved_toml
from seifem.errors import CaseError, RunDirError

__all__ = ["RunDir", "create_run_dir", "versions", "fresh_path", "read_table", "CASE", "INPUT", "HISTORY", "PROBES",
           "CYCLES", "PARTICLES", "SUMMARY", "CHECKPOINT"]

CASE = "case.toml"
INPUT = "input.toml"
"""The case as given (after --set), kept in the run directory so `--restart` can rebuild it."""
HISTORY = "history.csv"
PROBES = "probes.csv"
CYCLES = "cycles.csv"
PARTICLES = "particles.csv"
"""An electrode run's table of every particle at each output time."""
SUMMARY = "summary.json"
CHECKPOINT = "checkpoint.npz"
PROFILES_STEM = "profiles"
PROFILES = f"{PROFILES_STEM}.csv"
MERIDIAN = "meridian"
FIELDS = "fields"


def read_table(path: Path) -> dict[str, np.ndarray | list[str]]:
    """The one reader of seifem's CSV files: each column as a float array (an empty cell is
    NaN), or as a list of strings when the column holds text. A missing or empty file: {}."""
    path = Path(path)
    if not path.is_file():
        return {}
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    out: dict[str, np.ndarray | list[str]] = {}
    for key in rows[0] if rows else []:
        cells = [r[key] for r in rows]
        try:
            out[key] = np.array([float(c) if c not in ("", None) else math.nan for c in cells])
        except ValueError:
            out[key] = cells
    return out


@dataclass(frozen=True)
class RunDir:
    """A run directory on disk (it need not be finished, or exist)."""

    path: Path

    def file(self, name: str) -> Path:
        return Path(self.path) / name

    def is_run(self) -> bool:
        """A seifem run: it has its resolved case and a history."""
        return self.file(CASE).is_file() and self.file(HISTORY).is_file()

    def is_finished(self) -> bool:
        """The run ended normally (summary.json is written last)."""
        return self.file(SUMMARY).is_file() and self.file(CASE).is_file()

    def case(self) -> dict:
        """The resolved case (case.toml) as a TOML tree (quantities as strings with units)."""
        return tomllib.loads(self.file(CASE).read_text())

    def summary(self) -> dict:
        """summary.json ({} while the run is not finished)."""
        path = self.file(SUMMARY)
        return json.loads(path.read_text()) if path.is_file() else {}

    def write_summary(self, stats: dict) -> None:
        """summary.json, written atomically (a run with it is finished: never half of it)."""
        from seifem.observers.io import write_atomic

        write_atomic(self.file(SUMMARY), json.dumps(stats, indent=2).encode())

    def history(self) -> dict[str, np.ndarray]:
        """history.csv by column ({} if absent)."""
        return read_table(self.file(HISTORY))

    def probes(self) -> dict[str, np.ndarray]:
        return read_table(self.file(PROBES))

    def cycles(self) -> dict[str, np.ndarray]:
        return read_table(self.file(CYCLES))

    def particles(self) -> dict[str, np.ndarray]:
        return read_table(self.file(PARTICLES))


def versions() -> dict[str, str]:
    """Versions of seifem and the numerical stack."""
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for dist in ("seifem", "fenics-dolfinx", "dolfinx-solver-real", "petsc4py", "mpi4py", "gmsh", "pyvista", "numpy"):
        try:
            out[dist] = version(dist)
        except PackageNotFoundError:
            pass
    dolfinx = sys.modules.get("dolfinx")  # importing dolfinx is collective: never do it here
    if dolfinx is not None:
        out["dolfinx"] = dolfinx.__version__
    petsc = sys.modules.get("petsc4py.PETSc")  # likewise PETSc: started collectively, read only if it runs
    if petsc is not None:
        out["PETSc"] = "{}.{}.{}".format(*petsc.Sys.getVersion())
    out["mpi"] = MPI.Get_library_version().splitlines()[0].strip()
    return out


def fresh_path(directory: Path, stem: str, suffix: str = "") -> Path:
    """directory/stem+suffix, or stem-2+suffix, stem-3+suffix, ... : the first name not taken
    (what a run writes next to earlier output never overwrites it)."""
    path, n = Path(directory) / f"{stem}{suffix}", 1
    while path.exists():
        n += 1
        path = Path(directory) / f"{stem}-{n}{suffix}"
    return path


def fresh_path_on(comm, directory: Path, stem: str, suffix: str = "") -> Path:
    """`fresh_path` as rank 0 of the communicator `comm` sees it, on every rank (the ranks
    agree on one name even while rank 0 creates files)."""
    return Path(comm.bcast(str(fresh_path(directory, stem, suffix)) if comm.rank == 0 else None, root=0))


def _choose(out: Path | None, case_path: Path) -> Path:
    if out is not None:
        if out.exists() and (not out.is_dir() or any(out.iterdir())):
            raise CaseError("--out", str(out), "already exists and is not empty; seifem never overwrites a run, "
                                                "choose a new directory")
        return out
    return fresh_path(Path("runs"), case_path.stem)


def create_run_dir(case: Case, case_path: Path, out: Path | None, comm: MPI.Comm, argv: list[str],
                   run_info: dict | None = None) -> Path:
    """Pick and create the run directory on rank 0, write the resolved case, share the path.
    `run_info` joins the [run] table of case.toml (a sweep's design name, for example).

    Raises RunDirError (on every rank) if `out` already holds files."""
    result: tuple[str | None, str | None] = (None, None)
    if comm.rank == 0:
        try:
            path = _choose(out, case_path)
            path.mkdir(parents=True, exist_ok=out is not None)
            tree = resolved_toml(case)
            tree["run"] = {"case_file": str(case_path), "command": shlex.join(argv), "ranks": comm.size,
                           "started": datetime.datetime.now().isoformat(timespec="seconds"), "versions": versions(),
                           **(run_info or {})}
            (path / CASE).write_text(tomli_w.dumps(tree))
            (path / INPUT).write_text(tomli_w.dumps(case.raw))  # re-read by --restart
            result = (str(path), None)
        except CaseError as exc:
            result = (None, str(exc))
        except OSError as exc:
            result = (None, f"--out = {str(out)!r}: cannot create the run directory ({exc.strerror})")
    path_s, error = comm.bcast(result, root=0)
    if error:
        raise RunDirError(error)
    return Path(path_s)

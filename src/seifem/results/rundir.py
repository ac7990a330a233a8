"""Run directories: created fresh on rank 0, never reused, so nothing a run wrote is lost.

The resolved case (with units, material sources and software versions) is written first.
"""

from __future__ import annotations

import datetime
import platform
import sys
from pathlib import Path

import tomli_w
from mpi4py import MPI

from seifem.case import Case, resolved_toml
from seifem.errors import CaseError
from seifem.errors import RunDirError

__all__ = ["create_run_dir", "versions", "fresh_path", "INPUT"]

INPUT = "input.toml"
"""The case as given (after --set), kept in the run directory so `--restart` can rebuild it."""


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

    Raises CaseError (on every rank) if `out` already holds files."""
    result: tuple[str | None, str | None] = (None, None)
    if comm.rank == 0:
        try:
            path = _choose(out, case_path)
            path.mkdir(parents=True, exist_ok=out is not None)
            tree = resolved_toml(case)
            tree["run"] = {"case_file": str(case_path), "command": " ".join(argv), "ranks": comm.size,
                           "started": datetime.datetime.now().isoformat(timespec="seconds"), "versions": versions(),
                           **(run_info or {})}
            (path / "case.toml").write_text(tomli_w.dumps(tree))
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

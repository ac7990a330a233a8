"""Helpers shared by the tests."""

from __future__ import annotations

import copy

BASE_CASE = {
    "particle": {"material": "Si", "radius": "1 um", "diffusivity": "1e-14 m^2/s"},
    "geometry": {"domain": "octant"},
    "protocol": {"steps": [{"mode": "lithiate", "c_rate": "1 C", "duration": "10 s"}]},
    "solver": {"dt": "1 s"},
    "output": {"render": False, "fields": False},
}


def make_case(**sections):
    """A validated Case from BASE_CASE with sections replaced or updated (dicts merge)."""
    from seifem.case import parse_case

    tree = copy.deepcopy(BASE_CASE)
    for name, value in sections.items():
        if value is None:
            tree.pop(name, None)
        elif isinstance(value, dict) and isinstance(tree.get(name), dict):
            tree[name].update(value)
        else:
            tree[name] = value
    return parse_case(tree)


def seifem_cmd(ranks: int, *args: str) -> list[str]:
    """Command line that runs `seifem args...` on `ranks` MPI ranks with this venv's mpirun."""
    import shutil
    import sys
    from pathlib import Path

    bindir = Path(sys.executable).parent
    exe = [sys.executable, "-m", "seifem.cli.main"]
    mpirun = bindir / "mpirun"
    mpirun = str(mpirun) if mpirun.exists() else shutil.which("mpirun")
    return [mpirun, "-n", str(ranks), *exe, *args] if ranks > 1 else [*exe, *args]


def run_seifem(ranks: int, *args: str, cwd=None, timeout: float = 300):
    """Run seifem and return the CompletedProcess (text output). A hang fails the test."""
    import subprocess

    return subprocess.run(seifem_cmd(ranks, *args), cwd=cwd, capture_output=True, text=True, timeout=timeout)


def read_csv(path) -> dict:
    """CSV columns as float arrays (non-numeric columns kept as strings)."""
    import csv

    import numpy as np

    with open(path) as f:
        rows = list(csv.DictReader(f))
    out = {}
    for k in rows[0]:
        try:
            out[k] = np.array([float(r[k]) for r in rows])
        except ValueError:
            out[k] = [r[k] for r in rows]
    return out


def l2_error(error, dx) -> float:
    """The L2 norm sqrt(int error . error dx) of a UFL expression over the whole mesh, the same
    on every rank (collective: every rank must call it)."""
    import numpy as np
    import ufl
    from dolfinx import fem
    from mpi4py import MPI

    form = fem.form(ufl.inner(error, error) * dx)
    return float(np.sqrt(form.mesh.comm.allreduce(fem.assemble_scalar(form), op=MPI.SUM)))


def h1_seminorm_error(error, dx) -> float:
    """The H1 seminorm sqrt(int grad(error) : grad(error) dx), the same on every rank (collective)."""
    import ufl

    return l2_error(ufl.grad(error), dx)

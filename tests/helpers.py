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


COATED_1D = {
    "particle": {"material": "Si", "radius": "1 um", "diffusivity": "1e-14 m^2/s", "initial_soc": 0.02},
    "coating": [{"name": "carbon", "material": "carbon", "thickness": "50 nm"}],
    "sei": {"material": "sei-carbonate", "thickness": "10 nm"},
    "geometry": {"model": "1d"},
    "electrochemistry": {"kinetics": "uniform"},
}
"""A 1 um Si particle with 50 nm of carbon and a 10 nm membrane SEI in the 1D twin, uniform
kinetics (the film's i R drop): the sections of the segment-loop tests, without protocol."""


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


EXTREMES = ("sr_max", "sr_min", "st_max", "st_min", "vm_max", "p1_max")
"""The per-region stress extremes of a history row: `<region>_<key>_MPa`."""


def exact_extremes(stresses, lo: float, hi: float, n: int = 4001) -> tuple[dict, float]:
    """Closed-form extremes over lo <= r <= hi of a spherically symmetric state and its scale
    (the largest |sigma_r|, |sigma_t| there), in MPa. stresses(r, side) -> (sigma_r, sigma_t) in
    Pa; side "right" is asked for at r = lo (the inner end of a layer), "left" elsewhere."""
    import numpy as np

    r = np.linspace(lo, hi, n)
    sr, st = (np.asarray(s, dtype=float) / 1e6 for s in stresses(r, "left"))
    sr0, st0 = (float(np.ravel(s)[0]) / 1e6 for s in stresses(np.array([lo]), "right"))
    sr[0], st[0] = sr0, st0
    out = {"sr_max": sr.max(), "sr_min": sr.min(), "st_max": st.max(), "st_min": st.min(),
           "vm_max": np.abs(st - sr).max(), "p1_max": np.maximum(sr, st).max()}
    return out, float(max(np.abs(sr).max(), np.abs(st).max()))


def extreme_errors(row: dict, region: str, stresses, lo: float, hi: float) -> dict:
    """Errors of a region's history extremes against the closed form, relative to the region's
    stress scale (the extremes that are 0 have no relative error of their own)."""
    exact, scale = exact_extremes(stresses, lo, hi)
    return {k: (row[f"{region}_{k}_MPa"] - v) / scale for k, v in exact.items()}


def axisym_restart_gap(design, comm, path) -> tuple[dict, float]:
    """2D twin of `design`: 5 steps of 4 s lithiating at 1C, a checkpoint at `path` read into
    a fresh twin, then 5 steps delithiating in both. Returns the uninterrupted run's scalars
    and the largest relative difference of the restarted run's from them."""
    from seifem.observers.checkpoint import load_checkpoint, save_checkpoint
    from seifem.reduced.axisym import AxisymProblem

    a, b = (AxisymProblem(design, comm, mesh_size=1 / 3) for _ in range(2))
    for _ in range(5):
        a.advance(4.0, 1.0)
    save_checkpoint(path, comm, a.state_functions(), a.time_state())
    b.set_time_state(load_checkpoint(path, comm, b.state_functions()))
    for _ in range(5):
        a.advance(4.0, -1.0)
        b.advance(4.0, -1.0)
    ra, rb = a.scalars(), b.scalars()
    a.destroy()
    b.destroy()
    return ra, max(abs(rb[k] - v) / max(abs(v), 1e-30) for k, v in ra.items())


def radial_load_path(comm, p, damage, work, amplitudes) -> tuple[float, float]:
    """Load a cracking model `p` (its theta, `solve_mechanics`) through the imposed profiles
    theta = 0.5 - A r^2 (r^2 = x^2 + y^2 of theta's dofs, um^2) for A in `amplitudes`; `damage`
    is its phase-field solver (`d`, `elastic_energy()`), `work` its `ChemicalWork`. Returns the
    largest balance error E / W - 1 before any damage and the largest decrease of a dof's damage."""
    import numpy as np
    from mpi4py import MPI

    r2 = (p.theta.function_space.tabulate_dof_coordinates()[:, :2] ** 2).sum(axis=1)
    sound, drop, d_prev = 0.0, 0.0, damage.d.x.array.copy()
    for A in amplitudes:
        p.theta.x.array[:] = 0.5 - A * r2
        p.solve_mechanics()
        drop = min(drop, comm.allreduce(float(np.min(damage.d.x.array - d_prev, initial=0.0)), op=MPI.MIN))
        d_prev = damage.d.x.array.copy()
        if comm.allreduce(float(damage.d.x.array.max()), op=MPI.MAX) == 0.0:
            sound = max(sound, abs(damage.elastic_energy() / work.work - 1))
    return sound, drop

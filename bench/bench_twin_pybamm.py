"""Benchmark: the 1D twin's full 1C lithiation against PyBaMM's single-particle model on the
same particle. A script, not a test; PyBaMM is not a seifem dependency
(`.venv/bin/pip install pybamm` to run it).

    .venv/bin/python bench/bench_twin_pybamm.py [--repeats 5]

Both lithiate a 1 um Si sphere (seifem's Si: E, nu, Omega, c_max, D = 1e-14 m^2/s) at 1C from a
filling of 0.01 for 3422 s (236 steps of 14.5 s in seifem, BDF2, 64 P2 cells). PyBaMM: SPM with
"particle mechanics": "swelling only" and "stress-induced diffusion": "false" (the Ai2020
parameters with the negative particle replaced by this one; its cell current set so that the
particle's surface flux is seifem's 1C flux; voltage limits opened), solved once to build and
compile, then timed (warm). seifem, after a first (warm-up) lithiation on the same object (state
reset to the initial filling): the 236 steps as one segment in the twin's diffusion modes
(`reduced.radial_segment.advance_segment`, with the surface stresses and displacement of every
step), and as 236 `RadialProblem.advance` calls with the numpy stepper (`reduced.radial_lti`)
and with PETSc solves. Prints the best time of each over the repeats, the ratios to PyBaMM, and
the surface hoop stress and surface displacement of the two models at the end.

Then the same lithiation as a user runs it, through the public API (`seifem.load(case).run(out)`,
serial; the case file written to a temporary directory, no fields, checkpoints every
`--checkpoint-every` steps: the default 10, and 0 for only at the end): the run's wall time
split into setup (`ParticleRun.__init__`: the 1D mesh, forms and maps), the loop
(`ParticleRun.solve`: the segment solves (`advance_segment`), the diffusion modes and the row
maps built once per problem at the first one (`RadialModes`, and its output maps with the
displacement maps at the first solve), the rows (`ParticleRun.row`: the
model's indicators, the electrode, the ledger), their recording (CSV buffer, probes), the
checkpoints (tables synced, state saved: fsync) and the rest) and writing (run directory,
closing the tables, the summary, the PETSc objects released with a garbage collection); each
part's best over the repeats, each a new run (its forms from the JIT cache on disk).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from mpi4py import MPI

import seifem
from helpers import make_case

T_END, STEPS, THETA0 = 3422.0, 236, 0.01


def _case():
    return make_case(geometry={"model": "1d"}, particle={"initial_soc": THETA0}, solver={"dt": f"{T_END / STEPS} s"})


def seifem_twin(repeats: int, path: str = "segment") -> tuple[float, float, float]:
    """(best time of the 236 steps in s, surface hoop stress in Pa, surface displacement in m)
    along `path`: "segment" (`reduced.radial_segment.advance_segment`, all steps at once in the
    diffusion modes, the outputs per step as linear functionals), "lti" (236 calls of
    `RadialProblem.advance` with the numpy stepper) or "petsc" (the same calls, PETSc solves)."""
    from seifem.reduced.radial import RadialProblem, design_from_case
    from seifem.reduced.radial_segment import advance_segment

    case = _case()
    p = RadialProblem(design_from_case(case), MPI.COMM_SELF)
    if path == "petsc":
        p.lti = None
    best = float("inf")
    for _ in range(repeats + 1):  # the first builds the forms (JIT), the step maps, warms the caches
        for f in (p.theta, p.theta_n, p.theta_nm1):  # back to the initial state (warm, as PyBaMM's)
            f.x.array[:] = THETA0
        p.t, p._prev_dt, p._prev_flux = 0.0, None, None
        t0 = time.perf_counter()
        if path == "segment":
            seg = advance_segment(p, T_END / STEPS, 1.0, STEPS)
        else:
            for _ in range(STEPS):
                p.advance(T_END / STEPS, 1.0)
        best = min(best, time.perf_counter() - t0)
    if path == "segment":  # the outputs the segment computed for every step
        p.destroy()
        return best, seg.outputs["core_st_surface_MPa"][-1] * 1e6, seg.outputs["u_surface_m"][-1]
    row = p.scalars()
    u_surface = float(p.u.x.array[p._surf_dofs[0]]) * 1e-6  # um -> m
    p.destroy()
    return best, row["core_st_min_MPa"] * 1e6, u_surface


def pybamm_spm(repeats: int) -> tuple[float, float, float]:
    """(best warm solve time in s, surface tangential stress in Pa, surface displacement in m
    from the mean concentration, PyBaMM's "surface displacement" variable in m)."""
    import pybamm

    from seifem.units import FARADAY as F

    si = _case().particle.material
    E, nu, Om, cmax = (si.si(k) for k in ("youngs_modulus", "poisson_ratio", "partial_molar_volume", "max_concentration"))
    R, D = 1e-6, 1e-14
    model = pybamm.lithium_ion.SPM({"particle mechanics": "swelling only", "stress-induced diffusion": "false"})
    pv = pybamm.ParameterValues("Ai2020")
    pv.update({"Negative particle radius [m]": R, "Negative particle diffusivity [m2.s-1]": D,
               "Maximum concentration in negative electrode [mol.m-3]": cmax,
               "Initial concentration in negative electrode [mol.m-3]": THETA0 * cmax,
               "Negative electrode reference concentration for free of deformation [mol.m-3]": THETA0 * cmax,
               "Negative electrode Young's modulus [Pa]": E, "Negative electrode Poisson's ratio": nu,
               "Negative electrode partial molar volume [m3.mol-1]": Om,
               "Lower voltage cut-off [V]": -100.0, "Upper voltage cut-off [V]": 100.0,
               "Open-circuit voltage at 0% SOC [V]": -100.0, "Open-circuit voltage at 100% SOC [V]": 100.0},
              check_already_exists=False)
    eps, L = pv["Negative electrode active material volume fraction"], pv["Negative electrode thickness [m]"]
    area = pv["Electrode height [m]"] * pv["Electrode width [m]"] * pv["Number of electrodes connected in parallel to make a cell"]
    current = cmax * F * eps * L / 3600.0 * area  # A: the surface flux c_max R / (3 h) of 1C
    pv.update({"Current function [A]": -current,  # negative: charge, the negative particle lithiates
               # a positive electrode that cannot run out (its particle's flux 100x smaller)
               "Positive electrode thickness [m]": 100 * pv["Positive electrode thickness [m]"],
               "Initial concentration in positive electrode [mol.m-3]":
                   0.9 * pv["Maximum concentration in positive electrode [mol.m-3]"]})
    sim = pybamm.Simulation(model, parameter_values=pv)
    t_eval = [0.0, T_END]
    t_out = [T_END * i / STEPS for i in range(STEPS + 1)]  # the history at seifem's step times
    sim.solve(t_eval, t_interp=t_out)  # build, discretise, compile
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        sol = sim.solve(t_eval, t_interp=t_out)
        best = min(best, time.perf_counter() - t0)
    st = float(sol["Negative particle surface tangential stress [Pa]"].entries[..., -1].ravel()[0])
    if abs(sol.t[-1] - T_END) > 1e-6:
        raise RuntimeError(f"PyBaMM stopped at {sol.t[-1]} s ({sol.termination})")
    raw = float(sol["Negative particle surface displacement [m]"].entries[..., -1].ravel()[0])
    c_avg = float(sol["R-averaged negative particle concentration [mol.m-3]"].entries[..., -1].ravel()[0])
    us = Om * R * (c_avg - THETA0 * cmax) / 3  # Ai 2019 eq. 10 (exact for a free elastic sphere)
    return best, st, us, raw


CASE_TOML = f"""title = "bench: 1C lithiation of a 1 um Si sphere (1D twin)"
[particle]
material = "Si"
radius = "1 um"
diffusivity = "1e-14 m^2/s"
initial_soc = {THETA0}
[geometry]
model = "1d"
[[protocol.steps]]
mode = "lithiate"
c_rate = "1 C"
duration = "{T_END} s"
[solver]
dt = "{T_END / STEPS} s"
[output]
fields = false
"""


PARTS: dict[str, float] = {}
"""Seconds spent in the timed parts of the current run (`_instrument`)."""


def _instrument() -> None:
    """Time the run's parts into PARTS (once per process)."""
    import seifem.reduced.radial_segment as rs
    import seifem.simulation.particle_run as pr
    import seifem.simulation.segment_run as sr

    if PARTS.get("instrumented"):
        return
    PARTS["instrumented"] = True

    def timed(owner, name: str, key: str) -> None:
        orig = getattr(owner, name)

        def wrapper(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return orig(*args, **kwargs)
            finally:
                PARTS[key] = PARTS.get(key, 0.0) + time.perf_counter() - t0
        setattr(owner, name, wrapper)

    for owner, name, key in ((pr.ParticleRun, "__init__", "setup"), (pr.ParticleRun, "solve", "loop"),
                             (sr, "advance_segment", "segment solves"), (rs.RadialModes, "__init__", "modes (once)"),
                             (rs.RadialModes, "_output_maps", "modes (once)"),
                             (pr.ParticleRun, "advance", "step solves"),
                             (pr.ParticleRun, "row", "rows"), (pr.ParticleRun, "record", "recording"),
                             (pr.ParticleRun, "checkpoint", "checkpoints")):
        timed(owner, name, key)


def seifem_run(repeats: int, checkpoint_every: int, segments: bool = True) -> tuple[dict[str, float], float, float]:
    """The lithiation through `seifem.load(case).run(out)`: (each part's best time over the runs in s,
    surface hoop stress in Pa, surface displacement in m: 3 u(R)/R is the volume change);
    `segments` False: the loop steps one `advance` at a time, as before segments."""
    import seifem.simulation.particle_run as pr
    import seifem.simulation.segment_run as sr

    _instrument()
    parts = PARTS
    pr.segments_apply = sr.segments_apply if segments else (lambda run, step: False)
    best: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "twin_1C.toml"
        path.write_text(CASE_TOML)
        study = seifem.load(path, {"output.checkpoint_every": checkpoint_every})
        for k in range(repeats + 1):  # the first compiles the forms (cached on disk after it)
            parts.clear()
            parts["instrumented"] = True
            t0 = time.perf_counter()
            result = study.run(Path(tmp) / f"run{k}", comm=MPI.COMM_SELF)
            parts["total"] = time.perf_counter() - t0
            parts["writing"] = parts["total"] - parts["setup"] - parts["loop"]
            # the modes are built inside the first segment solve
            parts["segment solves"] = parts.get("segment solves", 0.0) - parts.get("modes (once)", 0.0)
            parts["other"] = parts["loop"] - sum(parts.get(key, 0.0) for key in (
                "step solves", "segment solves", "modes (once)", "rows", "recording", "checkpoints"))
            if k:  # each part's best over the repeats (a loaded machine slows them at random)
                best = {key: min(v, best.get(key, float("inf"))) for key, v in parts.items() if key != "instrumented"}
        h = json.loads((result.path / "summary.json").read_text())
        steps = h["steps"]
        with open(result.path / "history.csv") as f:
            last = list(csv.DictReader(f))[-1]
    if steps != STEPS:
        raise RuntimeError(f"the run took {steps} steps, not {STEPS}")
    hoop = float(last["core_st_min_MPa"]) * 1e6
    u_surface = float(last["volume_change"]) * 1e-6 / 3  # R = 1 um
    return best, hoop, u_surface


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--checkpoint-every", type=int, nargs="*", default=[10, 0],
                    help="checkpoint spacings of the public-API runs (default: 10, the case default, and 0)")
    args = ap.parse_args()
    # the public-API runs first: PyBaMM's objects would slow the run's closing garbage collection
    runs = {(every, seg): seifem_run(args.repeats, every, seg) for every in args.checkpoint_every for seg in (True, False)}
    t_p, st_p, u_p, u_raw = pybamm_spm(args.repeats)
    print(f"1C lithiation of a 1 um Si sphere, {T_END:.0f} s, theta {THETA0} -> {THETA0 + T_END / 3600:.3f}")
    print(f"PyBaMM SPM warm solve: {t_p * 1e3:.3f} ms")
    for path, what in (("petsc", "236 advance() calls, PETSc solves"), ("lti", "236 advance() calls, numpy stepper"),
                       ("segment", "one segment in the diffusion modes")):
        t_s, st_s, u_s = seifem_twin(args.repeats, path)
        print(f"seifem 1D twin, {what}: {t_s * 1e3:.3f} ms (x{t_s / t_p:.2f} PyBaMM)")
    print(f"surface hoop stress: seifem {st_s / 1e6:.2f} MPa, PyBaMM {st_p / 1e6:.2f} MPa ({st_s / st_p - 1:+.2e})")
    print(f"surface displacement: seifem {u_s * 1e9:.3f} nm, PyBaMM's mean concentration in Omega R (c - c0) / 3 "
          f"{u_p * 1e9:.3f} nm ({u_s / u_p - 1:+.2e}); PyBaMM's own variable {u_raw * 1e9:.3f} nm")
    for (every, seg), (parts, st_r, u_r) in runs.items():
        print(f"seifem.load(case).run(out), checkpoint_every = {every}, {'segments' if seg else 'step by step'}: "
              f"{parts['total'] * 1e3:.1f} ms (x{parts['total'] / t_p:.1f} PyBaMM)")
        for key in ("setup", "loop", "step solves", "segment solves", "modes (once)", "rows", "recording", "checkpoints",
                    "other", "writing"):
            if key not in parts or (parts[key] == 0.0 and key != "loop"):
                continue
            v = parts[key]
            print(f"  {key:16s} {v * 1e3:9.2f} ms (x{v / t_p:.2f} PyBaMM)")
        print(f"  surface hoop stress {st_r / 1e6:.2f} MPa ({st_r / st_p - 1:+.2e} against PyBaMM), "
              f"surface displacement {u_r * 1e9:.3f} nm ({u_r / u_p - 1:+.2e})")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()

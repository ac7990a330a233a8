"""Benchmark: seifem against bare dolfinx on the same linear systems, at several mesh sizes and
on 1 and 2 ranks. A script, not a test.

    .venv/bin/python bench/bench_solvers.py --quick     # small sizes, under 2 minutes
    .venv/bin/python bench/bench_solvers.py             # full: up to ~1M displacement DOFs (~30 min)

For every (design, size, ranks) the script launches itself under `mpirun -n RANKS --worker`.
A worker meshes the case once (the seifem `Geometry`) and on that mesh

1. runs seifem as a user would (`run_case`: problem, quantities, history, probes, fields,
   checkpoints), timing every step and, through thin wrappers installed from here (nothing
   under src/ is touched), where the time goes: right-hand sides, operator (re)assembly,
   preconditioner setup, Krylov solves, observers, checkpoints;
2. replays the same time steps (dt, BDF weights and surface flux, as seifem applied them) with
   bare dolfinx/petsc4py: the same
   function spaces and UFL forms (built here from `seifem.physics`), the same Dirichlet
   conditions, the same PETSc options (`seifem.problem.solvers.elasticity_presets` / `DIFFUSION` + rtol)
   and near-nullspace, the matrices assembled once (the diffusion matrix again only when
   a0/dt changes, as it must), one KSP per problem, and per step only the right-hand side
   (with lifting and BCs) and the solve;
3. checks that both end in the same state (u and theta agree to solver tolerance).

Each worker writes JSON; the parent prints two tables and writes everything to
bench/results/<timestamp>.json.

Table 1, per (design, size, ranks): DOFs (displacement, concentration), time steps, mesh time;
seifem's right-hand-side assembly per step, its preconditioner setups (total s), Krylov time
and iterations per step (el = elasticity, diff = diffusion); seifem and bare wall time per
step (mean over the run, setups included) and their ratio, the ratio of median steps (the
steady state) and of CPU time (rank 0; robust against other processes taking the cores);
peak resident memory of seifem per rank (max over ranks, before the bare replay allocates);
the 2-rank speed-up of seifem (bare in parentheses); cpu/wall, the smallest fraction of the
loop's wall time a rank spent on a CPU (well below 1: the machine was busy, times inflated).
Table 2: where a step goes, seifem and bare side by side (s/step).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "cases"

# design -> case file; sizes: (label, geometry overrides). mesh_size defaults to R/6, the
# surface size to half the mesh size (R = 2.5 um). DOFs are P2 (solver.degree = 2).
DESIGNS = {"bare": CASES / "si_bare.toml", "coated": CASES / "si_coated.toml",
           "multilayer": CASES / "si_multilayer.toml"}


def _h(size_um: float) -> list[str]:
    return [f'geometry.mesh_size="{size_um} um"']


# The replay is linear small strain: the coated case runs as it shipped before it became a
# finite-strain full cycle (50 nm carbon, 1C to soc 0.05 and back to 0.01, dt 15 s)
LINEAR_COATED = ['physics.mechanics="small-strain"', "physics.plasticity=false", 'coating.thickness="50 nm"',
                 'solver.dt="15 s"', 'geometry.mesh_size="0.4167 um"',
                 ('protocol.steps=[{mode="lithiate", c_rate="1 C", until_soc=0.05}, '
                  '{mode="delithiate", c_rate="1 C", until_soc=0.01}]')]
BASE = {"coated": LINEAR_COATED}


# The shipped protocol (1C to soc 0.05, back to 0.01, dt 15 s) is 22 steps; larger meshes
# run a shorter one with the same features (BDF1 start, partial last step, change of current).
SHORT = ["protocol.steps.0.until_soc=0.02", "protocol.steps.1.until_soc=0.01"]    # 8 steps
SHORTER = ["protocol.steps.0.until_soc=0.01", "protocol.steps.1.until_soc=0.005"]  # 5 steps

FULL = [  # (design, size label, overrides, ranks); u dofs (P2) in the comments
    ("bare", "S", [], (1, 2)),                        # 11k
    ("bare", "M", _h(0.25) + SHORT, (1, 2)),          # 38k
    ("bare", "L", _h(0.14) + SHORT, (1, 2)),          # 179k
    ("bare", "XL", _h(0.075) + SHORTER, (1, 2)),      # 1.05M
    ("coated", "S", [], (1, 2)),                      # 18k
    ("coated", "M", _h(0.25) + SHORT, (1, 2)),        # 57k
    ("coated", "L", _h(0.14) + SHORT, (1, 2)),        # 236k
    ("multilayer", "S", [], (1, 2)),                  # 24k
]
QUICK = [
    ("bare", "S", SHORT, (1, 2)),
    ("coated", "S", SHORT, (1, 2)),
]


# =========================================================================== worker

def _rss_now_mb() -> float:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _rss_peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kB


class _Timers:
    """Accumulated wall time and call count per key, filled by `wrap`."""

    def __init__(self):
        self.t: dict[str, list] = {}
        self.suffix = ""  # "@pre" / "@post": calls outside the time loop are kept apart

    def add(self, key: str, dt: float) -> None:
        e = self.t.setdefault(key + self.suffix, [0.0, 0])
        e[0] += dt
        e[1] += 1

    def wrap(self, owner, name: str, key, on_success=None) -> bool:
        """Replace owner.name by a timed version; `key` is a string or a function of the call
        arguments giving one. Returns False (and does nothing) if owner has no such attribute."""
        orig = getattr(owner, name, None)
        if orig is None:
            return False

        def timed(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                result = orig(*args, **kwargs)
            finally:
                self.add(key(*args, **kwargs) if callable(key) else key, time.perf_counter() - t0)
            if on_success is not None:
                on_success(*args, **kwargs)
            return result

        timed.__wrapped__ = orig
        setattr(owner, name, timed)
        return True

    def as_dict(self) -> dict:
        return {k: {"s": v[0], "calls": v[1]} for k, v in sorted(self.t.items())}


def _bs_of(*args, **kwargs) -> int:
    """Block size of the first form or PETSc vector among the arguments (3: elasticity)."""
    from petsc4py import PETSc

    for a in list(args) + list(kwargs.values()):
        if isinstance(a, PETSc.Vec):
            return a.getBlockSize()
        spaces = getattr(a, "function_spaces", None)
        if spaces:
            return spaces[0].dofmap.index_map_bs
    return 0


class _StepClock:
    """The `progress` hook of `run_case`: wall and CPU time of every seifem step (solve,
    observers, checkpoints), and between seifem steps the bare replay of the same step(s), so
    both see the same machine load. Bare time is excluded from seifem's step times."""

    def __init__(self, comm, timers: _Timers, on_step):
        self.comm, self.timers, self.on_step = comm, timers, on_step
        self.t_start = self.t_stop = None
        self.step_s: list[float] = []
        self.step_cpu_s: list[float] = []
        timers.suffix = "@pre"

    def _resume(self) -> None:
        self.comm.barrier()
        self.timers.suffix = ""
        self.t0, self.c0 = time.perf_counter(), time.process_time()

    def start(self) -> None:  # the seifem.log.Progress hooks
        self._resume()
        self.t_start = self.t0

    def start_step(self, index: int, count: int, what: str, t0: float, duration_s: float) -> None:
        pass

    def advance(self, t_s: float, soc: float, voltage_V: float | None) -> None:
        self.comm.barrier()
        self.step_s.append(time.perf_counter() - self.t0)
        self.step_cpu_s.append(time.process_time() - self.c0)
        self.timers.suffix = "@bare"  # nothing of seifem's should run here
        self.on_step()
        self._resume()

    def stop(self) -> None:
        self.t_stop = time.perf_counter()
        self.timers.suffix = "@post"


class _Bare:
    """The same linear systems with plain dolfinx/petsc4py: what a competent user would write.
    Matrices assembled once (the diffusion matrix again when a0/dt changes), one KSP each, per
    step the right-hand sides (with lifting and BCs) and the two solves."""

    def __init__(self, case, geo, comm):
        import numpy as np
        import ufl
        from dolfinx import fem
        from dolfinx.fem import petsc as fpetsc
        from petsc4py import PETSc

        from seifem.physics import mechanics as mech
        from seifem.physics.membrane import membrane_form
        from seifem.physics.transport import diffusion_forms
        from seifem.problem.solvers import DIFFUSION, elasticity_presets, rigid_body_modes
        from seifem.units import SCALES

        self.case, self.geo, self.comm, self.fpetsc, self.PETSc = case, geo, comm, fpetsc, PETSc
        self.T = T = _Timers()
        comm.barrier()
        t_setup, c_setup = time.perf_counter(), time.process_time()
        mesh = geo.mesh
        k, L, S = case.solver.degree, SCALES.length, SCALES.stress
        core = case.particle.material
        c = lambda v: fem.Constant(mesh, PETSc.ScalarType(v))  # noqa: E731
        moduli = {"core": (core.si("youngs_modulus") / S, core.si("poisson_ratio"))}
        for layer in case.shells:
            moduli[layer.name] = (layer.material.si("youngs_modulus") / S, layer.material.si("poisson_ratio"))
        open_cavity = geo.has("inner") and case.geometry.inner_surface == "open"
        flux_surfaces = ["interface" if case.shells else "outer"] + (["inner"] if open_cavity else [])
        sei_surfaces = ["outer"] + (["inner"] if open_cavity else [])
        theta0 = case.particle.initial_soc
        beta = core.si("partial_molar_volume") * core.si("max_concentration")

        self.V = V = fem.functionspace(mesh, ("Lagrange", k))
        self.W = W = fem.functionspace(mesh, ("Lagrange", k, (3,)))
        self.theta, self.theta_n, self.theta_nm1 = fem.Function(V), fem.Function(V), fem.Function(V)
        self.u = fem.Function(W)
        for f in (self.theta, self.theta_n, self.theta_nm1):
            f.x.array[:] = theta0
        self.bcs_c = []
        if case.shells:  # theta is held at 0 on dofs that touch coating cells only
            coat = fem.locate_dofs_topological(V, 3, np.concatenate([geo.cells(s.name) for s in case.shells]))
            only = np.setdiff1d(coat, fem.locate_dofs_topological(V, 3, geo.cells("core"))).astype(np.int32)
            for f in (self.theta, self.theta_n, self.theta_nm1):
                f.x.array[only] = 0.0
            self.bcs_c = [fem.dirichletbc(PETSc.ScalarType(0.0), only, V)]
        self.bcs_u = []
        if geo.octant:
            for i, name in enumerate(("sym_x", "sym_y", "sym_z")):
                dofs = fem.locate_dofs_topological(W.sub(i), 2, geo.facets(name))
                self.bcs_u.append(fem.dirichletbc(PETSc.ScalarType(0.0), dofs, W.sub(i)))

        def on_surfaces(expr, names):
            terms = [expr("+") * geo.dS(n) if n == "interface" else expr * geo.ds(n) for n in names]
            return sum(terms[1:], terms[0])

        dxc = geo.dx("core")

        # diffusion
        self.dt_c, self.j_c = c(1.0), c(0.0)
        self.w_c = fem.Constant(mesh, np.array([1.0, 1.0, 0.0], dtype=PETSc.ScalarType))
        th, q = ufl.TrialFunction(V), ufl.TestFunction(V)
        a, Lf = diffusion_forms(th, q, self.theta_n, self.theta_nm1, self.w_c, self.dt_c,
                                c(core.si("diffusivity") / L**2), dxc, on_surfaces(self.j_c * q, flux_surfaces))
        self.a_d, self.L_d = fem.form(a), fem.form(Lf)
        # elasticity
        uu, v = ufl.TrialFunction(W), ufl.TestFunction(W)
        E_c = {r: (c(E), c(nu)) for r, (E, nu) in moduli.items()}
        a = sum(ufl.inner(mech.stress(mech.eps(uu), *E_c[r]), mech.eps(v)) * geo.dx(r) for r in moduli)
        if case.sei_model == "membrane":
            m, n = case.sei.material, ufl.FacetNormal(mesh)
            for name in sei_surfaces:
                a += membrane_form(mech.eps(uu), mech.eps(v), n, c(case.sei.thickness / L),
                                   c(m.si("youngs_modulus") / S), c(m.si("poisson_ratio")), geo.ds(name))
        eig = beta / 3 * (self.theta - theta0) * ufl.Identity(3)
        self.a_e = fem.form(a)
        self.L_e = fem.form(ufl.inner(mech.stress(eig, *E_c["core"]), mech.eps(v)) * dxc)
        T.add("forms", time.perf_counter() - t_setup)

        t0 = time.perf_counter()
        self.A_e = fpetsc.assemble_matrix(self.a_e, bcs=self.bcs_u)
        self.A_e.assemble()
        T.add("matrix_el", time.perf_counter() - t0)
        t0 = time.perf_counter()
        self.ns, self._keep = rigid_body_modes(W)  # seifem's: the same near-nullspace
        self.A_e.setNearNullSpace(self.ns)
        if not geo.octant:
            self.A_e.setNullSpace(self.ns)
        T.add("nullspace", time.perf_counter() - t0)
        self.A_d = fpetsc.create_matrix(self.a_d)
        self.b_e, self.b_d = fpetsc.create_vector(W), fpetsc.create_vector(V)
        self.opts = PETSc.Options()

        def ksp_for(A, prefix, presets):
            for key, val in {**presets, "ksp_rtol": case.solver.rtol, "ksp_atol": 1e-50}.items():
                self.opts.setValue(prefix + key, val)
            ksp = PETSc.KSP().create(comm)
            ksp.setOptionsPrefix(prefix)
            ksp.setOperators(A)
            ksp.setFromOptions()
            ksp.setInitialGuessNonzero(True)
            return ksp

        self.ksp_e, self.ksp_d = ksp_for(self.A_e, "bare_el_", elasticity_presets(W)), ksp_for(self.A_d, "bare_diff_", DIFFUSION)
        comm.barrier()
        self.setup_s, self.setup_cpu_s = time.perf_counter() - t_setup, time.process_time() - c_setup
        self.step_s, self.step_cpu_s, self.its = [], [], {"el": [], "diff": []}
        self.key_d, self.el_ready = None, False

    def _rhs(self, b, L_form, a_form, bcs) -> None:
        fpetsc, PETSc = self.fpetsc, self.PETSc
        with b.localForm() as loc:
            loc.set(0.0)
        fpetsc.assemble_vector(b, L_form)  # homogeneous Dirichlet conditions: no lifting, as seifem
        b.ghostUpdate(addv=PETSc.InsertMode.ADD, mode=PETSc.ScatterMode.REVERSE)
        fpetsc.set_bc(b, bcs)

    def step(self, dt: float, w: tuple, flux: float) -> None:
        """One step: dt (s), BDF weights (a0, a1, a2) and the inward flux (theta units, um/s)
        exactly as seifem used them (`ParticleProblem.advance` works them out from the C-rate,
        the step history and any SEI sink)."""
        T = self.T
        self.comm.barrier()
        ts, cs = time.perf_counter(), time.process_time()
        self.dt_c.value, self.w_c.value[:], self.j_c.value = dt, w, flux
        self.theta_nm1.x.array[:] = self.theta_n.x.array
        self.theta_n.x.array[:] = self.theta.x.array
        if w[0] / dt != self.key_d:  # the diffusion operator changes with a0/dt only
            t0 = time.perf_counter()
            self.A_d.zeroEntries()
            self.fpetsc.assemble_matrix(self.A_d, self.a_d, bcs=self.bcs_c)
            self.A_d.assemble()
            T.add("matrix_diff", time.perf_counter() - t0)
            t0 = time.perf_counter()
            self.ksp_d.setOperators(self.A_d)
            self.ksp_d.setUp()
            T.add("setup_diff", time.perf_counter() - t0)
            self.key_d = w[0] / dt
        t0 = time.perf_counter()
        self._rhs(self.b_d, self.L_d, self.a_d, self.bcs_c)
        T.add("rhs_diff", time.perf_counter() - t0)
        t0 = time.perf_counter()
        self.ksp_d.solve(self.b_d, self.theta.x.petsc_vec)
        self.theta.x.scatter_forward()
        T.add("solve_diff", time.perf_counter() - t0)
        self.its["diff"].append(self.ksp_d.getIterationNumber())
        if self.ksp_d.getConvergedReason() <= 0:
            raise RuntimeError(f"bare diffusion solve failed: {self.ksp_d.getConvergedReason()}")

        t0 = time.perf_counter()
        self._rhs(self.b_e, self.L_e, self.a_e, self.bcs_u)
        if not self.geo.octant:
            self.ns.remove(self.b_e)
        T.add("rhs_el", time.perf_counter() - t0)
        if not self.el_ready:  # the preconditioner once, before the first solve
            t0 = time.perf_counter()
            self.ksp_e.setUp()
            T.add("setup_el", time.perf_counter() - t0)
            self.el_ready = True
        t0 = time.perf_counter()
        self.ksp_e.solve(self.b_e, self.u.x.petsc_vec)
        self.u.x.scatter_forward()
        T.add("solve_el", time.perf_counter() - t0)
        self.its["el"].append(self.ksp_e.getIterationNumber())
        if self.ksp_e.getConvergedReason() <= 0:
            raise RuntimeError(f"bare elasticity solve failed: {self.ksp_e.getConvergedReason()}")
        self.comm.barrier()
        self.step_s.append(time.perf_counter() - ts)
        self.step_cpu_s.append(time.process_time() - cs)

    def result(self) -> dict:
        return {"setup_s": self.setup_s, "setup_cpu_s": self.setup_cpu_s, "loop_s": sum(self.step_s),
                "step_s": self.step_s, "step_cpu_s": self.step_cpu_s, "its": self.its,
                "timers": self.T.as_dict(),
                "dofs": {"u": self.W.dofmap.index_map.size_global * 3, "c": self.V.dofmap.index_map.size_global}}

    def destroy(self) -> None:
        for obj in (self.ksp_e, self.ksp_d, self.A_e, self.A_d, self.b_e, self.b_d):
            obj.destroy()
        for key in list(self.opts.getAll()):
            if key.startswith(("bare_el_", "bare_diff_")):
                self.opts.delValue(key)


def _run(case, geo, comm, mem: dict) -> tuple[dict, dict, dict]:
    """A full seifem run on the prebuilt geometry, instrumented, with the bare replay of each
    step right after it. Returns (seifem result, bare result, agreement of the final states)."""
    import shutil

    import seifem.geometry
    import seifem.problem.particle
    import seifem.simulation.models
    import seifem.simulation.particle_run
    from seifem.observers import history
    from seifem.problem import quantities
    from seifem.problem.particle import ParticleProblem

    T = _Timers()
    schedule: list = []  # (dt, BDF weights, flux) of every successful seifem step
    final: dict = {}
    built = {"calls": 0}
    bare: dict = {}

    def build(case_, comm_, *a, **k):  # the geometry is built once, outside (timed there)
        built["calls"] += 1
        return geo

    seifem.geometry.build = build

    # right-hand sides and operator assembly inside the problem, by block size
    T.wrap(seifem.problem.particle, "assemble_rhs", lambda *a, **k: "rhs_el" if _bs_of(*a) == 3 else "rhs_diff")

    class _Fpetsc:  # the problem's view of dolfinx.fem.petsc, with a timed assemble_matrix
        def __init__(self, mod):
            self._mod = mod

        def __getattr__(self, name):
            return getattr(self._mod, name)

    if hasattr(seifem.problem.particle, "fpetsc"):
        proxy = _Fpetsc(seifem.problem.particle.fpetsc)
        proxy.assemble_matrix = seifem.problem.particle.fpetsc.assemble_matrix
        T.wrap(proxy, "assemble_matrix", lambda *a, **k: "matrix_el" if _bs_of(*a, **k) == 3 else "matrix_diff")
        seifem.problem.particle.fpetsc = proxy

    def record_step(self, *args, **kwargs):  # what the step used, whatever advance's signature
        schedule.append((float(self.dt_c.value), tuple(float(x) for x in self.w_c.value), float(self.j_c.value)))

    T.wrap(ParticleProblem, "advance", "advance", on_success=record_step)
    T.wrap(ParticleProblem, "__init__", "setup_problem")
    T.wrap(ParticleProblem, "snapshot", "snapshot")
    orig_destroy = ParticleProblem.destroy

    def destroy(self):
        final["u"] = self.u.x.array.copy()
        final["theta"] = self.theta.x.array.copy()
        final["n_owned"] = (self.W.dofmap.index_map.size_local * 3, self.V.dofmap.index_map.size_local)
        orig_destroy(self)

    ParticleProblem.destroy = destroy
    T.wrap(quantities.Quantities, "__init__", "setup_quantities")
    T.wrap(quantities.Quantities, "update", "obs_quantities_update")
    T.wrap(quantities.Quantities, "scalars", "obs_quantities_scalars")
    T.wrap(seifem.simulation.models.Model3D, "__init__", "setup_model")
    T.wrap(seifem.simulation.models.Model3D, "probe_values", "obs_probes")
    T.wrap(seifem.simulation.models.Model3D, "write_fields", "obs_fields")
    T.wrap(history.CsvWriter, "write", "obs_csv")
    T.wrap(seifem.simulation.particle_run.ParticleRun, "record", "record")
    T.wrap(seifem.simulation.particle_run.ParticleRun, "checkpoint", "checkpoint")

    def bare_steps():
        if "b" not in bare:  # after seifem's first step: its operators and preconditioners exist
            mem["seifem_first_step"] = (_rss_now_mb(), _rss_peak_mb())
            bare["b"] = _Bare(case, geo, comm)
            bare["done"] = 0
        b = bare["b"]
        while bare["done"] < len(schedule):
            b.step(*schedule[bare["done"]])
            bare["done"] += 1
        if len(b.step_s) == 1:
            mem["bare_first_step"] = (_rss_now_mb(), _rss_peak_mb())

    out = comm.bcast(tempfile.mkdtemp(prefix="bench_seifem_") if comm.rank == 0 else None, root=0)
    clock = _StepClock(comm, T, bare_steps)
    comm.barrier()
    t0 = time.perf_counter()
    result = seifem.simulation.run.run_case(case, Path(out), comm, progress=clock)  # on failure: out/ is left
    wall = time.perf_counter() - t0
    comm.barrier()
    if comm.rank == 0:
        shutil.rmtree(out, ignore_errors=True)
    b = bare["b"]
    agree = {"u": _rel_diff(final["u"], b.u.x.array, final["n_owned"][0], comm),
             "theta": _rel_diff(final["theta"], b.theta.x.array, final["n_owned"][1], comm)}
    b.destroy()
    n_bare_steps = len(b.step_s)
    s = {
        "wall_s": wall, "setup_s": clock.t_start - t0, "loop_s": sum(clock.step_s), "step_s": clock.step_s,
        "step_cpu_s": clock.step_cpu_s, "stats": result.stats, "timers": T.as_dict(),
        "geometry_build_calls": built["calls"], "schedule": schedule,
        "bare_time_inside_run_s": (clock.t_stop - clock.t_start) - sum(clock.step_s),
    }
    assert n_bare_steps == len(schedule), (n_bare_steps, len(schedule))
    return s, b.result(), agree


def _rel_diff(a, b, n_owned, comm) -> float:
    import numpy as np
    from mpi4py import MPI

    d = comm.allreduce(float(np.sum((a[:n_owned] - b[:n_owned]) ** 2)), op=MPI.SUM)
    r = comm.allreduce(float(np.sum(b[:n_owned] ** 2)), op=MPI.SUM)
    return (d / r) ** 0.5 if r > 0 else d**0.5


def worker(args) -> None:
    import statistics

    import seifem  # noqa: F401  (loads the solver wheel's MPI/PETSc before dolfinx)

    import dolfinx
    from mpi4py import MPI
    from petsc4py import PETSc
    from seifem import geometry
    from seifem.case import load_case

    comm = MPI.COMM_WORLD
    case = load_case(args.case, overrides=args.set)
    mem = {"start": (_rss_now_mb(), _rss_peak_mb())}
    comm.barrier()
    t0 = time.perf_counter()
    geo = geometry.build(case, comm)
    comm.barrier()
    t_mesh = time.perf_counter() - t0
    ncells = comm.allreduce(geo.mesh.topology.index_map(3).size_local, op=MPI.SUM)
    mem["mesh"] = (_rss_now_mb(), _rss_peak_mb())
    s, b, agree = _run(case, geo, comm, mem)
    mem["end"] = (_rss_now_mb(), _rss_peak_mb())
    mems = comm.gather(mem, root=0)
    # CPU seconds of each rank in the time loops: well below the wall time means the rank
    # waited for a core (other processes on the machine)
    cpus = comm.gather((sum(s["step_cpu_s"]), sum(b["step_cpu_s"])), root=0)
    if comm.rank != 0:
        return
    stats = s["stats"]
    n = len(s["step_s"]) or 1
    med = lambda x: statistics.median(x) if x else 0.0  # noqa: E731
    out = {
        "design": args.design, "size": args.label, "case": str(args.case), "overrides": args.set,
        "ranks": comm.size, "cells": ncells, "dofs": b["dofs"], "steps": len(s["step_s"]),
        "step_cuts": stats.get("step_cuts"), "mesh_s": t_mesh, "agreement_rel_l2": agree,
        "seifem": {**s, "elasticity": stats.get("elasticity", {}), "diffusion": stats.get("diffusion", {}),
                   "step_mean_s": s["loop_s"] / n, "step_median_s": med(s["step_s"]),
                   "step_cpu_mean_s": sum(s["step_cpu_s"]) / n},
        "bare": {**b, "step_mean_s": b["loop_s"] / n, "step_median_s": med(b["step_s"]),
                 "step_cpu_mean_s": sum(b["step_cpu_s"]) / n},
        "cpu_s_per_rank": {"seifem": [c[0] for c in cpus], "bare": [c[1] for c in cpus]},
        "memory_mb_per_rank": [{k: {"rss": v[0], "peak": v[1]} for k, v in m.items()} for m in mems],
        "versions": {"dolfinx": dolfinx.__version__, "petsc": ".".join(map(str, PETSc.Sys.getVersion()))},
    }
    Path(args.json).write_text(json.dumps(out, indent=1))


# =========================================================================== parent

def _loadavg() -> list[float]:
    try:
        return list(os.getloadavg())
    except OSError:
        return []


def _git() -> dict:
    def run(*cmd):
        try:
            return subprocess.run(["git", *cmd], cwd=ROOT, capture_output=True, text=True, timeout=20).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""
    return {"commit": run("rev-parse", "HEAD"), "dirty": bool(run("status", "--porcelain", "--", "src"))}


def launch(design: str, label: str, overrides: list[str], ranks: int, timeout: float) -> dict:
    mpirun = Path(sys.executable).parent / "mpirun"
    with tempfile.TemporaryDirectory(prefix="bench_solvers_") as tmp:
        out = Path(tmp) / "result.json"
        cmd = [str(mpirun), "-n", str(ranks), sys.executable, str(Path(__file__).resolve()), "--worker",
               "--design", design, "--label", label, "--case", str(DESIGNS[design]), "--json", str(out)]
        for o in BASE.get(design, []) + overrides:
            cmd += ["--set", o]
        env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
        t0 = time.perf_counter()
        load0 = _loadavg()
        # cwd: a fresh directory, so no cached mesh in ./meshes is picked up
        proc = subprocess.run(cmd, cwd=tmp, env=env, capture_output=True, text=True, timeout=timeout)
        res = {"design": design, "size": label, "ranks": ranks, "overrides": overrides}
        if proc.returncode != 0 or not out.is_file():
            res["error"] = f"exit {proc.returncode}: " + (proc.stderr or proc.stdout)[-3000:]
            return res
        res = json.loads(out.read_text())
        res["process_wall_s"] = time.perf_counter() - t0
        res["loadavg_before"], res["loadavg_after"] = load0, _loadavg()
        return res


def _per_step(r: dict, side: str, key: str) -> float:
    e = r[side]["timers"].get(key)
    return e["s"] / max(r["steps"], 1) if e else 0.0


def _peak(r: dict, when: str) -> float:
    return max(m.get(when, {}).get("peak", float("nan")) for m in r["memory_mb_per_rank"])


def _busy(r: dict) -> float:
    """Smallest fraction of the wall time a rank was on a CPU during the seifem time loop."""
    return min(r["cpu_s_per_rank"]["seifem"]) / max(r["seifem"]["loop_s"], 1e-12)


def table(results: list[dict]) -> str:
    one = {(r["design"], r["size"]): r for r in results if "error" not in r and r["ranks"] == 1}
    lines = []
    h = (f"{'design':10s} {'size':4s} {'np':>2s} {'u dofs':>8s} {'c dofs':>7s} {'steps':>5s} {'mesh s':>6s} "
         f"{'asm/step el|diff':>16s} {'setup s el|diff':>15s} {'solve/step el|diff':>18s} {'its el|diff':>11s} "
         f"{'seifem s/st':>11s} {'bare s/st':>9s} {'ratio':>5s} {'med':>4s} {'cpu':>4s} {'peak MB':>7s} "
         f"{'speed-up':>13s} {'cpu/wall':>8s}")
    lines += [h, "-" * len(h)]
    for r in results:
        if "error" in r:
            lines.append(f"{r['design']:10s} {r['size']:4s} {r['ranks']:2d}  FAILED: {r['error'].splitlines()[-1][:100]}")
            continue
        s, b, n = r["seifem"], r["bare"], max(r["steps"], 1)
        el, di = s["elasticity"], s["diffusion"]
        asm = f"{_per_step(r, 'seifem', 'rhs_el'):.3f}|{_per_step(r, 'seifem', 'rhs_diff'):.3f}"
        setup = f"{el.get('setup_time', 0):.2f}|{di.get('setup_time', 0):.2f}"
        solve = f"{el.get('solve_time', 0) / n:.3f}|{di.get('solve_time', 0) / n:.3f}"
        its = (f"{el.get('iterations', 0) / max(el.get('solves', 1), 1):.1f}|"
               f"{di.get('iterations', 0) / max(di.get('solves', 1), 1):.1f}")
        ratio = s["step_mean_s"] / b["step_mean_s"]
        ratio_med = s["step_median_s"] / b["step_median_s"]
        ratio_cpu = s["step_cpu_mean_s"] / b["step_cpu_mean_s"]
        sp = ""
        if r["ranks"] > 1 and (r["design"], r["size"]) in one:
            r1 = one[(r["design"], r["size"])]
            sp = (f"x{r1['seifem']['step_mean_s'] / s['step_mean_s']:.2f} "
                  f"(x{r1['bare']['step_mean_s'] / b['step_mean_s']:.2f})")
        lines.append(f"{r['design']:10s} {r['size']:4s} {r['ranks']:2d} {r['dofs']['u']:8d} {r['dofs']['c']:7d} "
                     f"{r['steps']:5d} {r['mesh_s']:6.1f} {asm:>16s} {setup:>15s} {solve:>18s} {its:>11s} "
                     f"{s['step_mean_s']:11.3f} {b['step_mean_s']:9.3f} {ratio:5.2f} {ratio_med:4.2f} "
                     f"{ratio_cpu:4.2f} {_peak(r, 'seifem_first_step'):7.0f} {sp:>13s} {_busy(r):8.2f}")
    return "\n".join(lines)


def breakdown(results: list[dict]) -> str:
    """Where a step's time goes (s per step, mean over the run; setups in the loop included)."""
    h = (f"{'design':10s} {'size':4s} {'np':>2s} | {'seifem':>6s} = {'advance':>7s} [{'rhs':>5s} {'A_d':>5s} "
         f"{'setup':>5s} {'solve':>6s} {'rest':>5s}] + {'record':>6s} [{'q.upd':>5s} {'q.scal':>6s} {'probe':>5s} "
         f"{'field':>5s} {'csv':>5s}] + {'chkpt':>5s} + {'other':>5s} | {'bare':>6s} = [{'rhs':>5s} {'A_d':>5s} "
         f"{'setup':>5s} {'solve':>6s} {'rest':>5s}] | {'adv/bare':>8s} | {'before loop s':>13s} | {'bare MB':>7s} | "
         f"{'diff(u, theta)':>15s}")
    lines = [h, "-" * len(h)]
    for r in results:
        if "error" in r:
            continue
        s, b, n = r["seifem"], r["bare"], max(r["steps"], 1)
        ps = lambda k: _per_step(r, "seifem", k)  # noqa: E731
        pb = lambda k: _per_step(r, "bare", k)  # noqa: E731
        el, di = s["elasticity"], s["diffusion"]
        # a step's history row: the derived fields and scalars (computed before `record`), then
        # `record` itself (probes, fields, CSV)
        rec = ps("obs_quantities_update") + ps("obs_quantities_scalars") + ps("record")
        adv, chk = ps("advance") + ps("snapshot"), ps("checkpoint")
        s_rhs, s_ad = ps("rhs_el") + ps("rhs_diff"), ps("matrix_diff")
        s_set = (el.get("setup_time", 0) + di.get("setup_time", 0)) / n
        s_sol = (el.get("solve_time", 0) + di.get("solve_time", 0)) / n
        other = s["step_mean_s"] - adv - rec - chk
        b_rhs, b_ad = pb("rhs_el") + pb("rhs_diff"), pb("matrix_diff")
        b_set, b_sol = pb("setup_diff") + pb("setup_el"), pb("solve_el") + pb("solve_diff")
        ag = r["agreement_rel_l2"]
        bare_mb = max(m["bare_first_step"]["rss"] - m["seifem_first_step"]["rss"] for m in r["memory_mb_per_rank"])
        lines.append(
            f"{r['design']:10s} {r['size']:4s} {r['ranks']:2d} | {s['step_mean_s']:6.3f} = {adv:7.3f} [{s_rhs:5.3f} "
            f"{s_ad:5.3f} {s_set:5.3f} {s_sol:6.3f} {adv - s_rhs - s_ad - s_set - s_sol:5.3f}] + {rec:6.3f} "
            f"[{ps('obs_quantities_update'):5.3f} {ps('obs_quantities_scalars'):6.3f} {ps('obs_probes'):5.3f} "
            f"{ps('obs_fields'):5.3f} {ps('obs_csv'):5.3f}] + {chk:5.3f} + {other:5.3f} | {b['step_mean_s']:6.3f} = "
            f"[{b_rhs:5.3f} {b_ad:5.3f} {b_set:5.3f} {b_sol:6.3f} {b['step_mean_s'] - b_rhs - b_ad - b_set - b_sol:5.3f}]"
            f" | {adv / b['step_mean_s']:8.2f} | {s['setup_s']:6.1f} {b['setup_s']:6.1f} | {bare_mb:7.0f} | "
            f"{ag['u']:.0e}, {ag['theta']:.0e}")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small sizes only (< 2 min)")
    ap.add_argument("--designs", default=None, help="comma-separated subset of " + ",".join(DESIGNS))
    ap.add_argument("--sizes", default=None, help="comma-separated subset of size labels (S,M,L,XL)")
    ap.add_argument("--ranks", default=None, help="comma-separated rank counts (default 1,2)")
    ap.add_argument("--out", default=None, help="JSON file (default bench/results/<timestamp>.json)")
    ap.add_argument("--timeout", type=float, default=3600.0, help="seconds per worker")
    # internal: one measurement under mpirun
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--design", help=argparse.SUPPRESS)
    ap.add_argument("--label", help=argparse.SUPPRESS)
    ap.add_argument("--case", help=argparse.SUPPRESS)
    ap.add_argument("--json", help=argparse.SUPPRESS)
    ap.add_argument("--set", action="append", default=[], help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(args)
        return

    plan = QUICK if args.quick else FULL
    if args.designs:
        keep = set(args.designs.split(","))
        plan = [p for p in plan if p[0] in keep]
    if args.sizes:
        keep = set(args.sizes.split(","))
        plan = [p for p in plan if p[1] in keep]
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out = Path(args.out) if args.out else ROOT / "bench" / "results" / f"{stamp}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    meta = {"started": stamp, "mode": "quick" if args.quick else "full", "host": platform.node(),
            "cpus": os.cpu_count(), "python": sys.version.split()[0], "git": _git(), "loadavg_before": _loadavg()}
    print(f"load average before: {meta['loadavg_before']}  ({os.cpu_count()} cpus)", flush=True)
    results: list[dict] = []
    t0 = time.perf_counter()
    for design, label, overrides, rank_list in plan:
        for ranks in ([int(x) for x in args.ranks.split(",")] if args.ranks else rank_list):
            r = launch(design, label, overrides, ranks, args.timeout)
            results.append(r)
            if "error" in r:
                print(f"  {design} {label} np={ranks}: FAILED\n{r['error']}", flush=True)
            else:
                print(f"  {design:10s} {label:3s} np={ranks}: {r['dofs']['u']:8d} u dofs, {r['steps']} steps, "
                      f"seifem {r['seifem']['step_mean_s']:.3f} s/step, bare {r['bare']['step_mean_s']:.3f} s/step, "
                      f"{r['process_wall_s']:.0f} s", flush=True)
            meta["loadavg_after"], meta["wall_s"] = _loadavg(), time.perf_counter() - t0
            out.write_text(json.dumps({"meta": meta, "runs": results}, indent=1))
    print()
    print(table(results))
    print()
    print("where a step goes (s/step):")
    print(breakdown(results))
    print(f"\nload average before {meta['loadavg_before']}, after {meta['loadavg_after']}; "
          f"{meta['wall_s']:.0f} s; results: {out}")


if __name__ == "__main__":
    main()

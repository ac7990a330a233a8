"""The three discretisations a case can run on (`geometry.model`), behind one typed
interface for the run loop (`Model`): the 3D finite-element particle, its 2D axisymmetric
twin and its 1D spherically symmetric twin (and the 2D plane-strain cross-section,
`simulation.plane_model`).

A model owns its problem (a `SteppedProblem`: state, `advance`, snapshots) and its
observers: `scalars()` (a history row without time), `probe_values()`, `write_fields(t)`
and `close()`; and the growing SEI film where the model has one.
"""

from __future__ import annotations

import csv
import time
from pathlib import Path
from typing import Protocol

import numpy as np
from mpi4py import MPI

from seifem.observers.io import output_errors
from seifem.observers.vtu import VTK_LINE, VTK_TRIANGLE, VtuSeries
from seifem.results.rundir import FIELDS, MERIDIAN, PROFILES_STEM, fresh_path
from seifem.stepping import SteppedProblem
from seifem.units import SCALES

__all__ = ["build_model", "Model", "Model3D", "Model2D", "Model1D"]


class Model(Protocol):
    """What the run loop uses of a model.

    problem: its time-stepped problem; core_ions_full: mol of ions in the full core (whole
    particle); dofs: global dof counts by field; t_mesh: time to build the mesh (s); design:
    volumes and areas of the meshed particle ({} for the twins)."""

    problem: SteppedProblem
    core_ions_full: float
    dofs: dict[str, int]
    t_mesh: float
    design: dict

    def soc(self) -> float: ...
    def scalars(self) -> dict[str, float]: ...
    def probe_values(self) -> dict[str, float]: ...
    def write_fields(self, t: float) -> None: ...
    def solver_stats(self) -> dict: ...
    def grow_film(self, dt: float, electrode_potential: float | None) -> float: ...
    def film_thickness_nm(self) -> tuple[float, float] | None: ...
    def close(self) -> None: ...
    def destroy(self) -> None: ...


def build_model(case, comm: MPI.Comm, out_dir: Path) -> Model:
    """The model the case asks for (`geometry.model`)."""
    if case.geometry.model == "2d-plane":
        from seifem.simulation.plane_model import ModelPlane

        return ModelPlane(case, comm, out_dir)
    return {"1d": Model1D, "2d": Model2D, "3d": Model3D}[case.geometry.model](case, comm, out_dir)


class Model3D:
    """gmsh geometry, `ParticleProblem`, `Quantities`, probes and VTX fields."""

    def __init__(self, case, comm: MPI.Comm, out_dir: Path):
        from seifem import geometry
        from seifem.observers import FieldWriter, Probes
        from seifem.problem.particle import ParticleProblem
        from seifem.problem.quantities import Quantities

        t0 = time.perf_counter()
        self.geo = geometry.build(case, comm)
        self.t_mesh = time.perf_counter() - t0
        self.problem = p = ParticleProblem(case, self.geo)
        self.q = q = Quantities(p)
        L = SCALES.length
        self.core_ions_full = p.c_max * p.core_volume * L**3 * self.geo.symmetry_factor  # mol at theta = 1
        points = {n: tuple(x / L for x in pt) for n, pt in case.output.probes.items()}
        self.probes = Probes(self.geo.mesh, points, {
            "theta": p.theta, "u": p.u, "sigma_rr_MPa": q.fields["sigma_rr"],
            "sigma_hoop_MPa": q.fields["sigma_tt"], "von_mises_MPa": q.fields["von_mises"],
        }, self.geo.octant)
        self.fields = None
        if case.output.fields:
            f = q.fields
            fns = [f[k] for k in ("theta", "displacement", "sigma_rr", "sigma_tt", "von_mises", "hydrostatic", "region",
                                  "failure_index")]
            if p.fracture is not None:  # the damage, in the stress fields' space
                fns.append(p.fracture.output_field(f["failure_index"].function_space))
            self.fields = FieldWriter(comm, _fresh(out_dir, FIELDS, ".bp", comm), fns + [q.sigma])
        self.dofs = {"displacement": p.W.dofmap.index_map.size_global * 3,
                     "concentration": p.V.dofmap.index_map.size_global}
        self.film = None
        if case.sei_growth != "none":
            from seifem.problem.sei_film import SEIFilm

            self.film = SEIFilm(p, q, case.sei_growth)
        self.design = self.geo.report  # volumes, areas and (porous) porosity, whole particle

    def soc(self) -> float:
        p = self.problem
        return p.integrate(p.theta * self.geo.dx("core")) / p.core_volume

    def grow_film(self, dt: float, electrode_potential: float | None) -> float:
        """Grow the SEI over dt (s) at the electrode potential of the last step (V; None: the
        case's); the transport sees the new thickness; and the SEI on open crack faces
        (`problem.particle_fracture`, `fracture.sei_growth`). Returns the ions they took (mol)."""
        crack = 0.0
        if self.problem.fracture is not None:
            potential = self.case.sei_potential if electrode_potential is None else electrode_potential
            crack = self.problem.fracture.grow(dt, potential)
        if self.film is None:
            return crack
        if electrode_potential is not None:
            self.film.electrode_potential = electrode_potential  # the SEI reaction sees the electrode (one step behind)
        lost = self.film.grow(dt)
        if self.problem.transport is not None:
            self.problem.transport.set_film_thickness(self.film.thickness_nm()[0] * 1e-9)
        return lost + crack

    def film_thickness_nm(self) -> tuple[float, float] | None:
        """Mean and largest thickness of the growing SEI (nm), None without growth."""
        return self.film.thickness_nm() if self.film is not None else None

    def scalars(self) -> dict:
        self.q.update()
        row = self.q.scalars()
        if self.problem.fracture is not None:  # appended columns (seifem.problem.particle_fracture)
            row.update(self.problem.fracture.scalars())
        if self.problem.cohesive is not None:  # appended columns (seifem.problem.cohesive)
            row.update(self.problem.cohesive.scalars())
        if self.problem.layered is not None:  # each inelastic SEI layer's stresses (seifem.problem.sei_layered_3d)
            row.update(self.problem.layered.layer_scalars())
        return row

    def probe_values(self) -> dict:
        return self.probes.values()

    def write_fields(self, t: float) -> None:
        if self.fields is not None:
            self.fields.write(t)

    def solver_stats(self) -> dict:
        p = self.problem
        out = {"elasticity": p.el_solver.stats, "diffusion": p.diff_solver.stats}
        for name, model in (("mechanics", p.nonlinear), ("coupled", p.coupled), ("transport", p.transport),
                            ("fracture", p.fracture), ("cohesive", p.cohesive)):
            if model is not None:  # Newton: finite strain, plasticity, contact; two-way; Butler-Volmer, D(theta)
                out[name] = model.stats
        return out

    def close(self) -> None:
        if self.fields is not None:
            self.fields.close()

    def destroy(self) -> None:
        """Free the PETSc objects of the quantities and the problem (collective)."""
        self.q.destroy()
        self.problem.destroy()


class _Twin:
    """What the 2D and 1D twins share: a problem with `scalars()` and `profiles()`, probes
    at |x| along the radius (the equator), SEI growth only on a debonded cohesive interface,
    and the SEI columns of a resolved film from its outer surface."""

    problem: SteppedProblem

    def __init__(self, case, comm: MPI.Comm):
        self.case, self.comm, self.resolved_sei = case, comm, case.sei_model == "resolved"
        self.design: dict = {}
        self.probe_radii = {n: float(np.linalg.norm(pt)) for n, pt in case.output.probes.items()}

    def soc(self) -> float:
        return self.problem.scalars()["soc"]

    def scalars(self) -> dict:
        from seifem.problem.indicators import indicators_from_row

        row = self.problem.scalars()
        if self.resolved_sei:  # the film is the outermost layer: its outer-surface strain and hoop stress
            prof = self.problem.profiles()
            e = float(prof["u"][-1] / prof["r"][-1])
            s = float(prof["sigma_t"][-1]) / 1e6
            row.update(sei_strain_max=e, sei_strain_min=e, sei_stress_max_MPa=s, sei_stress_min_MPa=s)
        return {**row, **indicators_from_row(row, self.case)}

    def probe_values(self) -> dict:
        prof = self.problem.profiles()
        out = {}
        for name, r in self.probe_radii.items():
            for key, col, scale in (("theta", "theta", 1.0), ("u_r_um", "u", 1e6),
                                    ("sigma_rr_MPa", "sigma_r", 1e-6), ("sigma_hoop_MPa", "sigma_t", 1e-6)):
                out[f"{name}_{key}"] = float(np.interp(r, prof["r"], prof[col])) * scale
        return out if self.comm.rank == 0 else {}

    def grow_film(self, dt: float, electrode_potential: float | None) -> float:
        """SEI on the debonded, open part of a cohesive interface (`reduced.radial_interface`,
        `reduced.axisym_interface`) or on the open faces of phase-field cracks
        (`problem.axisym_fracture`): the ions it took over dt (mol); 0 without either (the
        twins' own SEI does not grow). Collective."""
        itf, potential = self.problem.interface, self.case.sei_potential if electrode_potential is None else electrode_potential
        fracture = getattr(self.problem, "fracture", None)
        if fracture is not None:  # SEI on the open faces of phase-field cracks (2d twin)
            return fracture.grow(dt, potential)
        if itf is None:
            return 0.0
        return itf.grow(dt, potential)

    def film_thickness_nm(self) -> tuple[float, float] | None:
        return None

    def solver_stats(self) -> dict:
        fracture = getattr(self.problem, "fracture", None)
        return {"fracture": fracture.stats} if fracture is not None else {}

    def close(self) -> None:
        pass

    def destroy(self) -> None:
        self.problem.destroy()


class Model1D(_Twin):
    """The radial twin (`reduced.radial`): same history columns; probes at |x|; fields as
    radial profiles in `profiles.csv` (time_s, r_um, theta, sigma_r_MPa, sigma_hoop_MPa, u_um)."""

    def __init__(self, case, comm: MPI.Comm, out_dir: Path):
        from seifem.reduced.radial import RadialProblem, design_from_case

        t0 = time.perf_counter()
        self.problem = p = RadialProblem(design_from_case(case), comm)
        self.t_mesh = time.perf_counter() - t0
        super().__init__(case, comm)
        self.core_ions_full = p.c_max * p.core_volume * SCALES.length**3 * 4 * np.pi
        self.profile_path = _fresh(out_dir, PROFILES_STEM, ".csv", comm) if case.output.fields else None
        self.vtk = VtuSeries(_fresh(out_dir, FIELDS + "_vtk", "", comm)) if case.output.fields else None
        self.dofs = {"displacement": p.V.dofmap.index_map.size_global, "concentration": p.V.dofmap.index_map.size_global}

    def write_fields(self, t: float) -> None:
        if self.profile_path is None:
            return
        prof = self.problem.profiles()
        if self.comm.rank != 0:
            return
        new = not self.profile_path.exists()
        with output_errors(self.profile_path), open(self.profile_path, "a", newline="") as f:
            w = csv.writer(f)
            if new:
                w.writerow(["time_s", "r_um", "theta", "sigma_r_MPa", "sigma_hoop_MPa", "u_um"])
            for row in zip(prof["r"] * 1e6, prof["theta"], prof["sigma_r"] / 1e6, prof["sigma_t"] / 1e6, prof["u"] * 1e6):
                w.writerow([f"{t:.10g}", *(f"{v:.10g}" for v in row)])
        with output_errors(self.vtk.directory):  # the same fields as the 3D model's, on a line along x
            r, n = prof["r"] * 1e6, len(prof["r"])
            sr, st = prof["sigma_r"] / 1e6, prof["sigma_t"] / 1e6
            zeros = np.zeros(n)
            self.vtk.write(t, np.column_stack([r, zeros, zeros]), np.column_stack([np.arange(n - 1), np.arange(1, n)]),
                           VTK_LINE, {"theta": prof["theta"], "displacement_um": np.column_stack([prof["u"] * 1e6, zeros, zeros]),
                                      "sigma_rr_MPa": sr, "sigma_hoop_MPa": st, "von_mises_MPa": np.abs(st - sr),
                                      "hydrostatic_MPa": (sr + 2 * st) / 3})


class Model2D(_Twin):
    """The axisymmetric twin (`reduced.axisym`) on the meridian quarter: same history
    columns; probes at |x| along the equator; fields as meridian snapshots
    `meridian/t<time>s.npz` (r, z, triangles, region, theta, u_r, u_z and stresses in Pa)."""

    def __init__(self, case, comm: MPI.Comm, out_dir: Path):
        from seifem.reduced.axisym import AxisymProblem
        from seifem.reduced.design import design_from_case

        L, g = SCALES.length, case.geometry
        fracture = None
        if case.fracture is not None:  # phase-field fracture (circumferential cracks) replaces the linear mechanics
            from seifem.problem.axisym_fracture import AxisymFracture

            mats = {"core": case.particle.material, **{c.name: c.material for c in case.shells}}
            energies = {n: mats[n].si("fracture_energy") for n in case.fracture.regions}

            def fracture(problem):
                return AxisymFracture(problem, case.fracture, energies)
        t0 = time.perf_counter()
        self.problem = p = AxisymProblem(design_from_case(case), comm, aspect_ratio=g.aspect_ratio,
                                         mesh_size=g.mesh_size / L, surface_mesh_size=g.surface_mesh_size / L,
                                         order=g.order, fracture=fracture)
        self.t_mesh = time.perf_counter() - t0
        super().__init__(case, comm)
        self.core_ions_full = p.c_max * p.core_volume * L**3
        self.field_dir = _fresh(out_dir, MERIDIAN, "", comm) if case.output.fields else None
        self.vtk = VtuSeries(_fresh(out_dir, FIELDS + "_vtk", "", comm)) if case.output.fields else None
        self.dofs = p.dofs

    def write_fields(self, t: float) -> None:
        if self.field_dir is None:
            return
        data = self.problem.fields()  # collective
        if self.comm.rank == 0:
            with output_errors(self.field_dir):
                self.field_dir.mkdir(exist_ok=True)
                np.savez(self.field_dir / f"t{t:010.2f}s.npz", time_s=t, regions=np.array(self.problem.regions), **data)
            with output_errors(self.vtk.directory):  # the same fields as the 3D model's, on the meridian
                zeros = np.zeros(len(data["r"]))
                self.vtk.write(t, np.column_stack([data["r"] * 1e6, data["z"] * 1e6, zeros]), data["triangles"],
                               VTK_TRIANGLE, {"theta": data["theta"],
                                              "displacement_um": np.column_stack([data["u_r"] * 1e6, data["u_z"] * 1e6, zeros]),
                                              **{f"{k}_MPa": data[k] / 1e6 for k in ("sigma_rr", "sigma_hoop", "von_mises",
                                                                                    "hydrostatic")},
                                              "region": data["region"],
                                              **({"damage": data["damage"]} if "damage" in data else {})})


def _fresh(out_dir: Path, stem: str, suffix: str, comm: MPI.Comm) -> Path:
    """`rundir.fresh_path` as rank 0 sees it (a continued run never overwrites)."""
    return Path(comm.bcast(str(fresh_path(out_dir, stem, suffix)) if comm.rank == 0 else None, root=0))

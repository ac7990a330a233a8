"""The 1D spherically symmetric and 2D axisymmetric twins as run-loop models
(`simulation.models.Model`): their problems from `reduced/`, history scalars, probes, the
growing SEI film and the field output (radial profiles CSV, meridian VTU series).
"""

from __future__ import annotations

import csv
import time
from pathlib import Path

import numpy as np
from mpi4py import MPI

from seifem.observers.io import output_errors
from seifem.observers.vtu import VTK_LINE, VTK_TRIANGLE, VtuSeries
from seifem.results.rundir import FIELDS, MERIDIAN, PROFILES_STEM, fresh_path_on
from seifem.stepping import SteppedProblem
from seifem.units import SCALES

__all__ = ["Model1D", "Model2D"]


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
        return self.complete(self.problem.scalars())

    def complete(self, row: dict) -> dict:
        """The model's scalars from its problem's history row of the current state (`row`, the
        keys of `scalars()` of `reduced/`): the resolved film's columns, the failure indicators."""
        from seifem.problem.indicators import indicators_from_row

        if self.resolved_sei:  # the film is the outermost layer: its outer-surface strain and hoop stress
            prof = self.problem.profiles()
            e = float(prof["u"][-1] / prof["r"][-1])
            s = float(prof["sigma_t"][-1]) / 1e6
            row.update(sei_strain_max=e, sei_strain_min=e, sei_stress_max_MPa=s, sei_stress_min_MPa=s)
        return {**row, **indicators_from_row(row, self.case)}

    def probe_values(self) -> dict:
        if not self.probe_radii:  # no probes: the profiles are not needed
            return {}
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
        self.profile_path = fresh_path_on(comm, out_dir, PROFILES_STEM, ".csv") if case.output.fields else None
        self.vtk = VtuSeries(fresh_path_on(comm, out_dir, FIELDS + "_vtk", "")) if case.output.fields else None
        self.dofs = {"displacement": p.V.dofmap.index_map.size_global, "concentration": p.V.dofmap.index_map.size_global}

    def probe_rows(self, maps, theta: np.ndarray, u: np.ndarray) -> list[dict]:
        """`probe_values()` of N states (theta, u: arrays N x dofs) at once, from the twin's row
        maps (`reduced.radial_segment_rows.RowMaps`)."""
        if not self.probe_radii or self.comm.rank != 0:
            return [{} for _ in range(len(theta))]
        names = list(self.probe_radii)
        values = maps.probe_rows([self.probe_radii[n] for n in names], theta, u) * np.array([1.0, 1e6, 1e-6, 1e-6])
        keys = ("theta", "u_r_um", "sigma_rr_MPa", "sigma_hoop_MPa")
        return [{f"{n}_{k}": x for n, at in zip(names, state) for k, x in zip(keys, at)} for state in values.tolist()]

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
        self.field_dir = fresh_path_on(comm, out_dir, MERIDIAN, "") if case.output.fields else None
        self.vtk = VtuSeries(fresh_path_on(comm, out_dir, FIELDS + "_vtk", "")) if case.output.fields else None
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

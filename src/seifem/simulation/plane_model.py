"""The run loop's model of the 2D plane-strain cross-section (`geometry.model = "2d-plane"`,
`seifem.problem.plane`): history columns as the twins' (extensive ones per um of cylinder
length), the fracture columns with `[fracture]` (`problem.plane_output`), probes at the DG node
nearest (x, y), and fields as `fields_vtk/fields.pvd` (triangles, per-cell nodes, so jumps at
interfaces and across cracks stay): theta, displacement_um, sigma_rr/hoop/zz_MPa, von_mises_MPa,
hydrostatic_MPa, region, damage.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
from mpi4py import MPI

from seifem.observers.io import output_errors
from seifem.observers.vtu import VTK_TRIANGLE, VtuSeries
from seifem.problem.plane_output import KEYS
from seifem.results.rundir import FIELDS, fresh_path_on
from seifem.units import SCALES

__all__ = ["ModelPlane"]

_K = {k: i for i, k in enumerate(KEYS)}


class ModelPlane:
    """`simulation.models.Model` of the cross-section."""

    def __init__(self, case, comm: MPI.Comm, out_dir: Path):
        from seifem.problem.plane import PlaneProblem
        from seifem.reduced.design import design_from_case

        L, g = SCALES.length, case.geometry
        self.case, self.comm = case, comm
        energies = {}
        if case.fracture is not None:
            mats = {"core": case.particle.material, **{c.name: c.material for c in case.shells}}
            energies = {n: mats[n].si("fracture_energy") for n in case.fracture.regions}
        t0 = time.perf_counter()
        self.problem = p = PlaneProblem(design_from_case(case), comm, mesh_size=g.mesh_size / L,
                                        surface_mesh_size=g.surface_mesh_size / L,
                                        refine_depth=g.refine_depth / L if g.refine_depth else None, order=g.order,
                                        fracture=case.fracture, fracture_energy=energies, axial=g.axial)
        self.t_mesh = p.t_mesh
        self.setup_time = time.perf_counter() - t0
        self.core_ions_full = p.c_max * p.core_volume * L**3  # per um of length
        self.dofs = p.dofs
        self.design = {"core_area_um2": p.core_volume, "total_area_um2": p.total_volume, "per_length_um": 1.0}
        self.points = {n: (pt[0] / L, pt[1] / L) for n, pt in case.output.probes.items()}
        self.vtk = None
        if case.output.fields:
            path = fresh_path_on(comm, out_dir, FIELDS + "_vtk")
            self.vtk = VtuSeries(Path(path))

    def soc(self) -> float:
        return self.problem.out.scalars()["soc"]

    def scalars(self) -> dict:
        from seifem.problem.indicators import indicators_from_row

        row = self.problem.scalars()
        return {**row, **indicators_from_row(row, self.case)}

    def probe_values(self) -> dict:
        vals = self.problem.out.probe(self.points)
        out = {}
        for name, v in vals.items():
            for key, col, scale in (("theta", "theta", 1.0), ("sigma_rr_MPa", "sigma_rr", 1.0),
                                    ("sigma_hoop_MPa", "sigma_hoop", 1.0), ("damage", "damage", 1.0)):
                out[f"{name}_{key}"] = float(v[_K[col]]) * scale
        return out if self.comm.rank == 0 else {}

    def write_fields(self, t: float) -> None:
        if self.vtk is None:
            return
        x, reg, v = self.problem.out.nodes()  # collective
        if self.comm.rank != 0:
            return
        n = len(x)
        zeros = np.zeros(n)
        data = {"theta": v[:, _K["theta"]], "displacement_um": np.column_stack([v[:, _K["u_x"]], v[:, _K["u_y"]], zeros]),
                **{f"{k}_MPa": v[:, _K[k]] for k in ("sigma_rr", "sigma_hoop", "sigma_zz", "von_mises", "hydrostatic")},
                "region": reg.astype(float)}
        if self.problem.fracture is not None:
            data["damage"] = v[:, _K["damage"]]
        with output_errors(self.vtk.directory):
            self.vtk.write(t, np.column_stack([x, zeros]), np.arange(n).reshape(-1, 3), VTK_TRIANGLE, data)

    def solver_stats(self) -> dict:
        p = self.problem
        out = {"timers_s": dict(p.timers)}
        if p.fracture is not None:
            out["fracture"] = p.fracture.stats
        return out

    def grow_film(self, dt: float, electrode_potential: float | None) -> float:
        return 0.0

    def film_thickness_nm(self) -> tuple[float, float] | None:
        return None

    def close(self) -> None:
        pass

    def destroy(self) -> None:
        self.problem.destroy()

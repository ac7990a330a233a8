"""The three discretisations a case can run on (`geometry.model`), behind one typed
interface for the run loop (`Model`): the 3D finite-element particle, its 2D axisymmetric
twin and its 1D spherically symmetric twin (`simulation.twin_models`), and the 2D plane-strain
cross-section (`simulation.plane_model`).

A model owns its problem (a `SteppedProblem`: state, `advance`, snapshots) and its
observers: `scalars()` (a history row without time), `probe_values()`, `write_fields(t)`
and `close()`; and the growing SEI film where the model has one.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Protocol

from mpi4py import MPI

from seifem.results.rundir import FIELDS, fresh_path_on
from seifem.stepping import SteppedProblem
from seifem.units import SCALES

__all__ = ["build_model", "Model", "Model3D"]


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
    if case.geometry.model in ("1d", "2d"):
        from seifem.simulation.twin_models import Model1D, Model2D

        return {"1d": Model1D, "2d": Model2D}[case.geometry.model](case, comm, out_dir)
    return Model3D(case, comm, out_dir)


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
            self.fields = FieldWriter(comm, fresh_path_on(comm, out_dir, FIELDS, ".bp"), fns + [q.sigma])
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

"""Phase-field fracture of a particle ([fracture]): `StaggeredPhaseField` on the regions of a
`ParticleProblem`, driven by its diffusion-induced stresses.

The particle's mechanics is replaced by the staggered u/d solve: the elastic strain is
eps(u) - (beta/3)(theta - theta0) I in the core and eps(u) in the layers; at finite strain
(physics.mechanics = "finite-strain", elastic) the elastic stretch F_e = F F_ch^-1, F_ch =
J_ch^(1/3) I in the core (F in the layers) with the split neo-Hookean energy J_ch psi(F_e) per
reference volume (`Region.density`). The moduli are the problem's (concentration-dependent
where the case says so), a membrane SEI adds its film stiffness to the u-problem (St
Venant-Kirchhoff on the Green-Lagrange strain at finite strain), the octant's symmetry planes
are the Dirichlet conditions.
The damage d (P1) lives on the whole mesh and is held at 0 away from the cracking regions.

History columns (appended; whole particle, model units converted to SI where named):
damage_max, cracked_volume_fraction (volume with d > 0.95 over the volume of the cracking
regions), crack_area_um2 (crack energy / G_c per region: the area of the fully developed
cracks it equals), crack_energy_J, elastic_energy_J and chemical_work_J (the energy balance,
`problem.fracture_work`), fracture_iterations (staggered iterations of the last step),
open_crack_area_um2 (crack faces open to the electrolyte, `problem.crack_faces`); with
`fracture.sei_growth` crack_sei_thickness_nm and crack_sei_lost_mol (SEI on those faces; the run
loop takes its lithium from the particle through its surface); with physics.plasticity
plastic_strain_max and plastic_dissipation_J (the plastic regions return inside the staggered
solve, `problem.fracture_plastic`).
"""

from __future__ import annotations

import numpy as np
import ufl
from dolfinx import fem
from mpi4py import MPI

from seifem.physics import finite_strain as fs
from seifem.physics import mechanics as mech
from seifem.physics import phase_field as pf
from seifem.physics.membrane import membrane_form
from seifem.physics.sei_cracks import CrackFaceSEI
from seifem.physics.sei_growth import SEIGrowthParameters
from seifem.problem.crack_faces import OpenCrackFaces
from seifem.problem.fracture import Region, StaggeredPhaseField
from seifem.problem.fracture_increments import IncrementControl, solve_in_increments
from seifem.problem.fracture_work import ChemicalWork
from seifem.units import SCALES

__all__ = ["ParticleFracture", "CRACKED"]

CRACKED = 0.95
"""Damage above which a point counts as cracked (cracked_volume_fraction)."""


class ParticleFracture:
    """The fracture model of one `ParticleProblem` `p` (attached as `p.fracture`)."""

    def __init__(self, p, yield_stress: dict | None = None):
        self.p = p
        yield_stress = yield_stress or {}  # region -> yield stress (GPa): J2 plasticity (`fracture_plastic`)
        f = p.case.fracture
        geo, mesh = p.geo, p.geo.mesh
        L, S = SCALES.length, SCALES.stress
        self.Gc = {}  # model units: GPa um
        layers = {"core": p.case.particle.material, **{c.name: c.material for c in p.case.shells}}
        regions = {}
        for name in p.moduli:
            Gc = None
            if name in f.regions:
                Gc = self.Gc[name] = layers[name].si("fracture_energy") / (S * L)
            strain, density = self._strain(name)
            regions[name] = Region(geo.dx(name), p.E_c[name], p.nu_c[name], strain, Gc, geo.cells(name),
                                   yield_stress=yield_stress.get(name), finite=p.finite, density=density)
        extra = None
        if p.sei is not None and p.finite:  # St Venant-Kirchhoff film on the Green-Lagrange strain
            extra = p.membrane_residual
        elif p.sei is not None:
            _, E, nu = p.sei
            n = ufl.FacetNormal(mesh)
            Es, nus = fem.Constant(mesh, E), fem.Constant(mesh, nu)

            def extra(v):
                terms = [membrane_form(mech.eps(p.u) - p.sei_ref, mech.eps(v), n, p.sei_h, Es, nus, geo.ds(s))
                         for s in p.sei_surfaces]
                return sum(terms[1:], terms[0])
        self.solver = StaggeredPhaseField(p.u, regions, p.bcs_u, f.length_scale / L, f.model, f.residual_stiffness,
                                          extra_residual=extra, tol_d=f.tolerance, rtol_u=f.tolerance,
                                          max_iterations=f.max_iterations)
        self.d = self.solver.d
        self.work = ChemicalWork(self.solver, p.theta)  # the chemical load's work (`problem.fracture_work`)
        self.increments = IncrementControl(f.balance_tolerance)  # `problem.fracture_increments`
        self.state = self.solver.state
        self.stats = self.solver.stats
        d = self.d
        cracking = [geo.dx(r) for r in self.Gc]
        one = fem.Constant(mesh, 1.0)
        self._volume = p.integrate(sum((one * m for m in cracking[1:]), one * cracking[0]))
        self._cracked = fem.form(sum((ufl.conditional(ufl.gt(d, CRACKED), 1.0, 0.0) * m for m in cracking[1:]),
                                     ufl.conditional(ufl.gt(d, CRACKED), 1.0, 0.0) * cracking[0]))
        self._area = {r: fem.form(pf.crack_energy_density(d, Gc, f.length_scale / L, f.model) / Gc * geo.dx(r))
                      for r, Gc in self.Gc.items()}
        self._energy = {r: fem.form(pf.crack_energy_density(d, Gc, f.length_scale / L, f.model) * geo.dx(r))
                        for r, Gc in self.Gc.items()}
        self.output = None  # the damage in the field files' space, made by `output_field`
        outer = np.concatenate([geo.facets(s) for s in p.sei_surfaces])
        self.open_faces = OpenCrackFaces(d, np.concatenate([geo.cells(r) for r in self.Gc]), cracking, outer,
                                         f.length_scale / L, f.model)
        law = {"solvent-diffusion": "solvent-diffusion", "reaction-limited": "reaction"}.get(f.sei_growth)
        self.sei = CrackFaceSEI(SEIGrowthParameters(), law) if law is not None else None

    def _strain(self, name: str):
        """(strain(u), energy density factor) of a region: small strain eps(u) minus the chemical
        eigenstrain (core); at finite strain the elastic deformation gradient F_e = F F_ch^-1,
        F_ch = J_ch^(1/3) I (core; F elsewhere), with psi(F_e) per swollen volume, J_ch per
        reference volume (`physics.finite_strain`)."""
        p = self.p
        if not p.finite:
            return ((lambda u: mech.eps(u) - p.eigenstrain()) if name == "core" else mech.eps), 1.0
        if name != "core":
            return fs.deformation_gradient, 1.0
        J_ch = fs.chemical_jacobian(p.beta, p.theta, p.theta0)
        return (lambda u: fs.deformation_gradient(u) / J_ch ** (1.0 / 3.0)), J_ch

    def open_face_area(self) -> float:
        """Crack faces open to the electrolyte (um^2, whole particle; `problem.crack_faces`). Collective."""
        return self.p.geo.symmetry_factor * self.open_faces()

    def grow(self, dt: float, electrode_potential: float) -> float:
        """Grow the SEI on the open crack faces of the last accepted state over dt (s) at the
        electrode potential (V); the lithium it took (mol, whole particle; 0 without
        `sei_growth`). Collective."""
        if self.sei is None:
            return 0.0
        return self.sei.grow_at_potential(dt, self.open_face_area() * SCALES.length**2, electrode_potential)

    def solve(self) -> None:
        """The staggered solve for the current theta, in load increments from the last accepted
        state when a step's energy balance misses (`problem.fracture_increments`); the last
        increment is committed by the caller."""
        solve_in_increments(self.solver, self.work, self.commit, self.increments)
        self.stats.update(self.increments.counters())

    def commit(self) -> None:
        self.work.add()  # before the plastic strain moves on (`fracture_work`)
        self.solver.commit(self.work.previous)  # the plastic dissipation by the trapezoidal rule
        self.work.rebase()

    def stress(self, region: str):
        """Cauchy stress of a region (GPa, UFL), degraded where it cracks."""
        return self.solver.stress(region)

    def output_field(self, space) -> fem.Function:
        """The damage interpolated into `space` (the field files' DG space), named "damage";
        refreshed by `scalars()`."""
        self.output = fem.Function(space, name="damage")
        self.output.interpolate(self.d)
        return self.output

    def scalars(self) -> dict:
        """The fracture history columns (whole particle)."""
        p, comm, sym = self.p, self.p.comm, self.p.geo.symmetry_factor
        if self.output is not None:
            self.output.interpolate(self.d)
        L = SCALES.length
        area = sum(p.comm.allreduce(fem.assemble_scalar(a), op=MPI.SUM) for a in self._area.values())
        energy = sum(p.comm.allreduce(fem.assemble_scalar(e), op=MPI.SUM) for e in self._energy.values())
        return {
            "damage_max": comm.allreduce(float(self.d.x.array.max(initial=0.0)), op=MPI.MAX),
            "cracked_volume_fraction": comm.allreduce(fem.assemble_scalar(self._cracked), op=MPI.SUM) / self._volume,
            "crack_area_um2": area * sym,
            "crack_energy_J": energy * sym * SCALES.stress * L**3,
            "fracture_iterations": self.solver.last["iterations"],
            "open_crack_area_um2": self.open_face_area(),
            **({"crack_sei_thickness_nm": self.sei.L * 1e9, "crack_sei_lost_mol": self.sei.lost_mol}
               if self.sei is not None else {}),
            **self._plastic_scalars(),
            **self._energy_scalars(),
        }

    def _energy_scalars(self) -> dict:
        """elastic_energy_J (int W dV now) and chemical_work_J (the chemical load's work since the
        start, `problem.fracture_work`), whole particle; elastic + crack energy (+ plastic
        dissipation) = chemical work to the step error (a membrane SEI's film energy is in neither);
        with `fracture.balance_tolerance` also released_energy_J (unstable crack growth), in the sum."""
        to_J = self.p.geo.symmetry_factor * SCALES.stress * SCALES.length**3
        out = {"elastic_energy_J": self.solver.elastic_energy() * to_J, "chemical_work_J": self.work.work * to_J}
        if self.increments.tolerance > 0:  # energy released by unstable crack growth (`fracture_increments`)
            out["released_energy_J"] = self.increments.released * to_J
        return out

    def time_state(self) -> dict:
        """The scalars of the fracture state: the chemical work and the plastic dissipation so far,
        the next load increment (fraction of a step), the crack faces' SEI."""
        out = {"chemical_work": self.work.work, "plastic_dissipation": self.solver.plastic.dissipation,
               **self.increments.state()}
        if self.sei is not None:
            out["crack_face_sei"] = self.sei.state()
        return out

    def set_time_state(self, ts: dict) -> None:
        """Restore `time_state()` after the state functions (the work's last accepted state is
        the loaded one)."""
        self.work.work = ts.get("chemical_work", 0.0)
        self.solver.plastic.dissipation = ts.get("plastic_dissipation", 0.0)
        self.increments.set_state(ts)
        self.work.rebase()
        if "crack_face_sei" in ts:
            self.sei.set_state(ts["crack_face_sei"])

    def _plastic_scalars(self) -> dict:
        """plastic_strain_max (largest equivalent plastic strain) and plastic_dissipation_J (int
        sigma : d eps_p dx summed over the accepted steps, whole particle) with plastic regions."""
        plastic = self.solver.plastic
        if not plastic.names:
            return {}
        return {"plastic_strain_max": plastic.max_plastic_strain(),
                "plastic_dissipation_J": plastic.dissipation * self.p.geo.symmetry_factor * SCALES.stress
                * SCALES.length**3}

    def destroy(self) -> None:
        self.solver.destroy()

"""Phase-field fracture in the 2D axisymmetric twin ([fracture] with geometry.model = "2d").

`seifem.problem.fracture.StaggeredPhaseField` on the meridian quarter of an `AxisymProblem`:
the same AT1/AT2 energy and volumetric-deviatoric split (`seifem.physics.phase_field`) as in
3D, with the 3 x 3 small strain of the body of revolution (`axisym_forms.strain`, hoop
strain u_r / r) and every integral weighted by 2 pi r, on the twin's rule of degree 4k. The
damage d(r, z) is a field of revolution, so a damaged band is a circumferential crack (a ring
or a spherical shell of cracked material); radial cracks, which break the symmetry, need the
3D or the 2d-plane model.
Regions with a yield stress flow by small-strain J2 plasticity inside the staggered solve, the
3D model's (`problem.axisym_fracture_plastic`: the return on the effective stress, B-bar).

Elastic strain eps(u) - (beta/3)(theta - theta0) I in the core, eps(u) in the coatings; the
twin's symmetry conditions (u_r = 0 on the axis, u_z = 0 on z = 0) are the Dirichlet
conditions; a membrane SEI adds its film stiffness to the u-problem. Model units: GPa, um,
G_c in GPa um (= kN/m).

History columns (full particle, as `problem.particle_fracture`): damage_max,
cracked_volume_fraction (volume with d > 0.95 over the cracking regions' volume),
crack_area_um2 (crack energy / G_c), crack_energy_J, fracture_iterations; elastic_energy_J
and chemical_work_J (their balance with crack_energy_J, `problem.fracture_work`); and
open_crack_area_um2 (crack faces open to the electrolyte, `problem.crack_faces`), with
`sei_growth` crack_sei_thickness_nm and crack_sei_lost_mol (the SEI on those faces,
`physics.sei_cracks.CrackFaceSEI`: its lithium leaves the particle through its surface, so
ions_mol + crack_sei_lost_mol = applied_ions_mol); with plastic regions plastic_dissipation_J
and the twin's `<region>_plastic_fraction`, `<region>_plastic_strain_max`.
"""

from __future__ import annotations

import numpy as np
import ufl
from dolfinx import fem
from mpi4py import MPI

from seifem.physics import phase_field as pf
from seifem.physics.sei_cracks import CrackFaceSEI
from seifem.physics.sei_growth import SEIGrowthParameters
from seifem.problem.axisym_fracture_plastic import FracturePlasticRegions
from seifem.problem.crack_faces import OpenCrackFaces
from seifem.problem.fracture import Region, StaggeredPhaseField
from seifem.problem.fracture_increments import IncrementControl, solve_in_increments
from seifem.problem.fracture_work import ChemicalWork
from seifem.problem.particle_fracture import CRACKED
from seifem.reduced import axisym_forms as af
from seifem.units import SCALES

__all__ = ["AxisymFracture"]


class AxisymFracture:
    """The staggered phase-field solver of an `AxisymProblem` `p` (attached as `p.fracture`).

    fracture: a `case.fracture.Fracture` (model, length scale in m, cracking regions, loop
    control); energies: region -> G_c (J/m^2) of every cracking region."""

    def __init__(self, p, fracture, energies: dict[str, float]):
        self.p, L, S = p, SCALES.length, SCALES.stress
        missing = [n for n in fracture.regions if n not in p.regions or n not in energies]
        if missing:
            raise ValueError(f"fracture regions {missing} are not meshed regions with a fracture energy")
        self.Gc = {n: energies[n] / (S * L) for n in fracture.regions}  # GPa um
        l = fracture.length_scale / L
        eye = ufl.Identity(3)
        yields = p.design.yield_stresses
        self.plastic = FracturePlasticRegions(p, yields) if yields else None
        regions = {}
        for i, name in enumerate(p.regions):
            E, nu = p._moduli(name)
            if name == "core":
                def strain(u):
                    return af.strain(u, p.r) - p.eigenstrain() * eye
            else:
                def strain(u):
                    return af.strain(u, p.r)
            plastic = ({"quadrature_degree": p.quadrature_degree} if name not in yields else  # the twin's rules
                       {"yield_stress": self.plastic.yield_stress(name), **self.plastic.degrees()})
            regions[name] = Region(p.dx(i + 1), E, nu, strain, self.Gc.get(name), p.cells[name], weight=p.w, **plastic)
        extra = None
        if p.design.sei is not None:
            s, T = p.design.sei, af.CURVE_TAGS
            n = ufl.FacetNormal(p.mesh)
            h, Es, nus = p._const(s.thickness / L), p._const(s.youngs_modulus / S), p._const(s.poisson_ratio)

            def extra(v):
                terms = [af.membrane_form(p.u, v, p.r, n, h, Es, nus, p.ds(T[c])) for c in p.sei_surfaces]
                return sum(terms[1:], terms[0])
        self.solver = StaggeredPhaseField(p.u, regions, p.bcs_u, l, fracture.model, fracture.residual_stiffness,
                                          extra_residual=extra, tol_d=fracture.tolerance, rtol_u=fracture.tolerance,
                                          max_iterations=fracture.max_iterations, prefix="seifem_axisym_fracture_")
        self.d, self.state, self.stats = self.solver.d, self.solver.state, self.solver.stats
        self.work = ChemicalWork(self.solver, p.theta)  # the chemical load's work (`problem.fracture_work`)
        self.increments = IncrementControl(fracture.balance_tolerance)  # `problem.fracture_increments`
        if self.plastic is not None:
            self.plastic.attach(self.solver)
            self.plastic.factorise(self.solver.u_problem.solver.getKSP())
        d, w = self.d, p.w
        cracking = [p.dx(p.regions.index(n) + 1) for n in self.Gc]
        cracked = ufl.conditional(ufl.gt(d, CRACKED), 1.0, 0.0) * w
        self._volume = p._MIRROR * p.integrate(sum((w * m for m in cracking[1:]), w * cracking[0]))
        self._cracked = fem.form(sum((cracked * m for m in cracking[1:]), cracked * cracking[0]))
        self._energy = {n: fem.form(pf.crack_energy_density(d, Gc, l, fracture.model) * w
                                    * p.dx(p.regions.index(n) + 1)) for n, Gc in self.Gc.items()}
        outer = np.concatenate([p.facet_tags.find(af.CURVE_TAGS[c]) for c in p.sei_surfaces])
        self.open_faces = OpenCrackFaces(d, np.concatenate([p.cells[n] for n in self.Gc]), cracking, outer, l,
                                         fracture.model, weight=w)
        law = {"solvent-diffusion": "solvent-diffusion", "reaction-limited": "reaction"}.get(fracture.sei_growth)
        self.sei = CrackFaceSEI(SEIGrowthParameters(), law) if law is not None else None

    def open_face_area(self) -> float:
        """Crack faces open to the electrolyte (um^2, full particle; `problem.crack_faces`). Collective."""
        return self.p._MIRROR * self.open_faces()

    def grow(self, dt: float, electrode_potential: float) -> float:
        """Grow the SEI on the open crack faces of the last accepted state over dt (s) at the
        electrode potential (V); return the lithium it took (mol, full particle; 0 without
        `sei_growth`). Collective."""
        if self.sei is None:
            return 0.0
        return self.sei.grow_at_potential(dt, self.open_face_area() * SCALES.length**2, electrode_potential)

    def solve(self) -> None:
        """The staggered u/d solve for the current theta (in load increments when a step's
        energy balance misses, `problem.fracture_increments`), then accept it (new lower bound;
        the plastic history moves on)."""
        solve_in_increments(self.solver, self.work, self._accept, self.increments)
        self.stats.update(self.increments.counters())
        self._accept()

    def _accept(self) -> None:
        """Accept the solved state: its work, its damage as the lower bound, its plastic strain."""
        if self.plastic is not None:
            self.plastic.solved()
        self.work.add()  # before the plastic strain moves on (`fracture_work`)
        # the plastic dissipation by backward Euler (sigma_n+1 : d eps_p >= 0, never decreasing; the
        # 3D particle's trapezoidal rule is second order through damage but not monotone in the
        # twin's crack breakthrough)
        self.solver.commit()
        self.work.rebase()

    def stress(self, region: str, tiny: float | None = None):
        """Cauchy stress (GPa, 3 x 3 in the order (r, z, theta), UFL), degraded where the region
        cracks; `tiny` as `axisym_forms.hoop_strain` (output at nodes on the axis)."""
        p = self.p
        if self.plastic is not None and region in self.plastic.regions:  # at its quadrature points only
            return self.plastic.stress(region)
        E, nu = p._moduli(region)
        e_ch = p.eigenstrain() if region == "core" else 0.0
        eps_e = af.strain(p.u, p.r, tiny) - e_ch * ufl.Identity(3)
        if region not in self.Gc:
            return af.mech.stress(eps_e, E, nu)
        return pf.stress_split(eps_e, self.d, E, nu, self.solver.k)

    def scalars(self) -> dict[str, float]:
        """The fracture history columns (full particle). Collective."""
        p, sf = self.p, self.p._MIRROR
        energy = {n: sf * p.integrate(f) for n, f in self._energy.items()}  # GPa um^3
        return {
            "damage_max": p.comm.allreduce(float(self.d.x.array.max(initial=0.0)), op=MPI.MAX),
            "cracked_volume_fraction": sf * p.integrate(self._cracked) / self._volume,
            "crack_area_um2": sum(e / self.Gc[n] for n, e in energy.items()),
            "crack_energy_J": sum(energy.values()) * SCALES.stress * SCALES.length**3,
            "fracture_iterations": self.solver.last["iterations"],
            "open_crack_area_um2": self.open_face_area(),
            **({"plastic_dissipation_J": sf * self.plastic.dissipation() * SCALES.stress * SCALES.length**3}
               if self.plastic is not None else {}),
            **({"crack_sei_thickness_nm": self.sei.L * 1e9, "crack_sei_lost_mol": self.sei.lost_mol}
               if self.sei is not None else {}),
            "elastic_energy_J": sf * self.solver.elastic_energy() * SCALES.stress * SCALES.length**3,
            "chemical_work_J": sf * self.work.work * SCALES.stress * SCALES.length**3,
            **({"released_energy_J": sf * self.increments.released * SCALES.stress * SCALES.length**3}
               if self.increments.tolerance > 0 else {}),
        }

    def time_state(self) -> dict:
        """The scalars of the fracture state: the chemical work so far, the next load increment
        (fraction of a step), the crack faces' SEI
        (with `sei_growth`), the plastic dissipation so far (with plastic regions)."""
        out = {"chemical_work": self.work.work, **self.increments.state()}
        if self.sei is not None:
            out["crack_face_sei"] = self.sei.state()
        if self.plastic is not None:
            out["plastic_dissipation"] = self.solver.plastic.dissipation
        return out

    def set_time_state(self, ts: dict) -> None:
        """Restore `time_state()` after the state functions (the work's last accepted state is the loaded one)."""
        self.work.work = ts.get("chemical_work", 0.0)
        self.increments.set_state(ts)
        self.work.rebase()
        if "crack_face_sei" in ts:
            self.sei.set_state(ts["crack_face_sei"])
        if "plastic_dissipation" in ts:
            self.solver.plastic.dissipation = float(ts["plastic_dissipation"])

    def destroy(self) -> None:
        self.solver.destroy()

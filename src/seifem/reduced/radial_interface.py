"""A cohesive core/first-layer interface in the 1D spherical twin, and the SEI that grows on it
once it has debonded.

The displacement is discontinuous at the interface r = R: the core and the layers outside it
carry separate fields, u_core (pinned to 0 outside the core) and u_shell (pinned to 0 inside
it), on the twin's mesh. Each is linear in the interface traction t = t_n (the radial stress
at R; spherical symmetry leaves no shear), which acts on the core as + t R^2 v(R) and on the
shell as - t R^2 v(R) per steradian, so

    u_core = u_core0 + t w_core,   u_shell = - t w_shell,   opening delta = u_shell(R) - u_core(R) = delta0 - C t,

with u_core0 the free core's response to its eigenstrain (delta0 = -u_core0(R)), w the responses
to a unit pair of tractions (factorised once) and C = w_core(R) + w_shell(R). The cohesive law
closes it: `physics.cohesive.equilibrium_opening` solves delta = delta0 - C t_n(delta) exactly
(static condensation of the interface, no Newton loop), and damage is updated irreversibly.
A debonded coating (D = 1) carries no tension: the core shrinks freely while the gap opens,
and it presses on the coating again (contact penalty) when it swells back.

Fresh surface: while the interface is debonded and open (D = 1, delta > 0) the electrolyte
reaches the core's outer surface through the (ion-conducting, permeable) layer and SEI grows
there by the chosen law of `physics.sei_growth`, from its fresh-film thickness; the lithium
it takes leaves the core through its surface like the membrane SEI's in 3D.
"""

from __future__ import annotations

import numpy as np
import ufl
from dolfinx import fem
from dolfinx.fem import petsc as fpetsc
from mpi4py import MPI
from petsc4py import PETSc

from seifem.physics.cohesive import CohesiveLaw, dissipated_energy, equilibrium_opening, stored_energy, traction
from seifem.physics.sei_growth import SEIGrowth, SEIGrowthParameters, sei_overpotential
from seifem.reduced import radial_forms as rf
from seifem.units import SCALES

__all__ = ["RadialInterface"]

_L, _S = SCALES.length, SCALES.stress
_LAWS = {"solvent-diffusion": "solvent-diffusion", "reaction-limited": "reaction"}


class RadialInterface:
    """Separate core and shell displacements of a `RadialProblem` joined by a cohesive law;
    state: damage D, opening delta (m), traction t_n (Pa), and the debond SEI."""

    def __init__(self, problem, law: CohesiveLaw, sei_growth: str = "none",
                 sei_params: SEIGrowthParameters | None = None):
        p = self.p = problem
        self.law, self.R = law, p.breaks[1]
        self.damage, self.opening, self.tn = 0.0, 0.0, 0.0
        self.u_core, self.u_shell = fem.Function(p.V, name="u_core"), fem.Function(p.V, name="u_shell")
        self._w_core, self._w_shell = fem.Function(p.V), fem.Function(p.V)
        dm, n = p.V.dofmap.list, p.V.dofmap.index_map.size_local
        core = np.unique(dm[p.cell_tags.find(1)])
        nreg = len(p.regions)
        self.j = int(np.argmin(np.abs(p.V.tabulate_dof_coordinates()[:, 0] - self.R)))  # the interface dof (shared node of the mesh)
        u, v = ufl.TrialFunction(p.V), ufl.TestFunction(p.V)
        zero = p._const(0.0)
        a_core = rf.elasticity_form(u, v, p.r, *p._moduli("core"), p.dx(1))
        a_core += sum(zero * u * v * p.dx(i + 1) for i in range(1, nreg))  # diagonal pattern for the pinned dofs
        a_shell = sum(rf.elasticity_form(u, v, p.r, *p._moduli(nm), p.dx(i + 1)) for i, nm in enumerate(p.regions) if i)
        a_shell += zero * u * v * p.dx(1)
        if p.design.sei is not None:
            s = p.design.sei
            h, Es, nus = s.thickness / _L, s.youngs_modulus / _S, s.poisson_ratio
            a_shell += rf.membrane_form(u, v, p.r, h, Es, nus, p.ds(nreg + 1))
        pin_core = np.setdiff1d(np.arange(n), core).astype(np.int32)
        pin_shell = np.setdiff1d(core, [self.j]).astype(np.int32)
        self.bcs_core = [fem.dirichletbc(PETSc.ScalarType(0.0), pin_core, p.V)] + p.bcs_u
        self.bcs_shell = [fem.dirichletbc(PETSc.ScalarType(0.0), pin_shell, p.V)]
        self.L_core = fem.form(rf.eigenstrain_form(p.eigenstrain(), v, p.r, *p._moduli("core"), p.dx(1)))
        self.b = fpetsc.create_vector(p.V)
        self.ksp = {}
        for name, a, bcs, w in (("core", a_core, self.bcs_core, self._w_core),
                                ("shell", a_shell, self.bcs_shell, self._w_shell)):
            A = fpetsc.assemble_matrix(fem.form(a), bcs=bcs)
            A.assemble()
            self.ksp[name] = (A, _lu(A, f"seifem_radial_{name}_"))
            self._unit(name, w)
        self.compliance = (self._w_core.x.array[self.j] + self._w_shell.x.array[self.j]) * _L / _S  # m/Pa
        self.sei_law = _LAWS.get(sei_growth)
        self.sei_params = sei_params or SEIGrowthParameters()
        self.film: SEIGrowth | None = None  # created when the interface first opens

    def _unit(self, name: str, w) -> None:
        """Response to the unit interface load R^2 (GPa um^2 per steradian) at the interface dof."""
        with self.b.localForm() as loc:
            loc.set(0.0)
        self.b.array[self.j] = self.R**2
        self.ksp[name][1].solve(self.b, w.x.petsc_vec)
        w.x.scatter_forward()

    def solve(self) -> None:
        """Both fields for the current theta, and the interface state (damage irreversible)."""
        p = self.p
        with self.b.localForm() as loc:
            loc.set(0.0)
        fpetsc.assemble_vector(self.b, self.L_core)
        fpetsc.set_bc(self.b, self.bcs_core)
        self.ksp["core"][1].solve(self.b, self.u_core.x.petsc_vec)
        delta0 = -self.u_core.x.petsc_vec.array[self.j] * _L
        self.opening = equilibrium_opening(self.law, delta0, self.compliance, self.damage)
        tn, _, D = traction(self.law, self.opening, 0.0, self.damage)
        self.tn, self.damage = float(tn), float(D)
        t = self.tn / _S
        self.u_core.x.array[:] += t * self._w_core.x.array
        self.u_shell.x.array[:] = -t * self._w_shell.x.array
        for f in (self.u_core, self.u_shell):
            f.x.scatter_forward()
        p.u.x.array[:] = self.u_core.x.array + self.u_shell.x.array  # the core's value at R (the shell's is u + delta)
        p.u.x.array[self.j] = self.u_core.x.array[self.j]

    def field(self, region: str):
        return self.u_core if region == "core" else self.u_shell

    @property
    def debonded(self) -> bool:
        return self.damage >= 1.0

    def grow(self, dt: float, electrode_potential: float) -> float:
        """Grow SEI on the open debonded core surface over dt (s); return the lithium it took
        (mol, whole particle)."""
        if self.sei_law is None or not (self.debonded and self.opening > 0):
            return 0.0
        if self.film is None:
            area = 4 * np.pi * (self.R * _L) ** 2
            self.film = SEIGrowth([area], self.sei_params, self.sei_law, thickness=self.sei_params.fresh_thickness)
        eta = float(sei_overpotential(electrode_potential, self.sei_params))
        return float(self.film.step(dt, eta=eta).sum())

    def scalars(self) -> dict[str, float]:
        """Interface history columns (the crack-SEI ones are zero until it opens)."""
        film = self.film
        return {"interface_tn_max_MPa": self.tn / 1e6, "interface_tn_min_MPa": self.tn / 1e6,
                "interface_ts_max_MPa": 0.0, "interface_damage": self.damage,
                "debonded_area_fraction": 1.0 if self.debonded else 0.0, "interface_opening_nm": self.opening * 1e9,
                "crack_sei_thickness_nm": float(film.L[0]) * 1e9 if film else 0.0,
                "crack_sei_lost_mol": film.lost_mol if film else 0.0}

    def energies(self) -> dict[str, float]:
        """Whole-particle interface energies (J): recoverable (springs) and dissipated."""
        area = 4 * np.pi * (self.R * _L) ** 2
        return {"stored": float(stored_energy(self.law, self.opening, 0.0, self.damage)) * area,
                "dissipated": float(dissipated_energy(self.law, self.damage)) * area}

    def time_state(self) -> dict:
        film = self.film
        return {"damage": self.damage, "opening": self.opening, "tn": self.tn,
                "film": None if film is None else [float(film.L[0]), float(film.area[0]), film.lost_mol]}

    def set_time_state(self, ts: dict) -> None:
        self.damage, self.opening, self.tn = ts["damage"], ts["opening"], ts["tn"]
        self.film = None
        if ts["film"] is not None:
            self.film = SEIGrowth([4 * np.pi * (self.R * _L) ** 2], self.sei_params, self.sei_law)
            self.film.L[0], self.film.area[0], self.film.lost_mol = ts["film"]

    def destroy(self) -> None:
        for A, ksp in self.ksp.values():
            ksp.destroy()
            A.destroy()
        self.b.destroy()


def _lu(A: PETSc.Mat, prefix: str) -> PETSc.KSP:
    ksp = PETSc.KSP().create(MPI.COMM_SELF)
    ksp.setOperators(A)
    ksp.setType("preonly")
    ksp.getPC().setType("lu")
    ksp.setOptionsPrefix(prefix)
    ksp.setFromOptions()
    return ksp

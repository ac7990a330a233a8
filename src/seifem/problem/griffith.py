"""The Griffith check of the phase-field solver (`problem.fracture`): a pre-cracked disc
loaded on its boundary by the mode-I K-field.

Unit disc (E = 1, G_c = 1, plane strain, P1 displacement and damage), straight crack along
y = 0 from x = -1 to the centre: d = 1 on the mesh edges of the pre-crack, relaxed to the
optimal crack profile by a first solve at lambda = 1 (below G_eff, no growth; the pre-crack
is then the same phase-field band a grown crack is, with its process zone). The boundary displacement is lambda times the K-field
with G = G_c (`physics.crack_tip`), held at the origin: an advancing
tip is unloaded by it, so the crack grows stably as lambda increases (the "surfing" boundary
condition of Hossain, Hsueh, Bourdin & Bhattacharya, JMPS 71, 15 (2014), not translated).

The energy release rate of the tip is measured by the domain J-integral
(`physics.crack_tip`) on the annulus 0.3 <= r <= 0.6 around the origin, outside the process
zone (l <= 0.05, tip within 0.2 of the origin); that is the G of the phase-field crack as
it stands, wherever its effective tip is (lambda^2 G_c would be G only for a sharp tip at
the origin). Griffith: the tip advances while J = G_eff, the fracture energy of the discrete
band (`analytic.fracture.effective_toughness`). Element size h in the band |y| <= 3 l
along the whole pre-crack and the path up to x = `path`, 0.05 elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import ufl
from dolfinx import fem
from dolfinx.mesh import exterior_facet_indices
from mpi4py import MPI
from petsc4py import PETSc

from seifem.geometry.specimens import cracked_disc
from seifem.physics import mechanics as mech
from seifem.physics import phase_field as pf
from seifem.physics.crack_tip import annulus_weight, j_integral, kfield_displacement, toughness_for_G
from seifem.problem.fracture import Region, StaggeredPhaseField

__all__ = ["GriffithLoad", "KFieldDisc"]

NU = 0.3
J_ANNULUS = (0.3, 0.6)


@dataclass(frozen=True)
class GriffithLoad:
    """One load step: lambda, the nominal lambda^2 G_c, the J-integral (G of the tip), the
    crack tip (largest x on the crack line with d > 0.95), the crack energy and the staggered
    iterations (energies per unit thickness, E = G_c = 1)."""

    lam: float
    nominal_G: float
    J: float
    tip: float
    crack_energy: float
    iterations: int


class KFieldDisc:
    """The K-field-loaded pre-cracked disc; `load(lam)` solves and commits one load step."""

    def __init__(self, comm: MPI.Comm, l: float, h: float, model: str = "AT1", path: float = 0.3,
                 tol: float = 1e-3, prefix: str = "griffith_"):
        mesh = cracked_disc(comm, h, 3 * l, (-1.0, path), coarse=0.05)
        self.comm, self.mesh, self.l, self.h, self.model = comm, mesh, l, h, model
        W = fem.functionspace(mesh, ("Lagrange", 1, (2,)))
        self.u, self._ub = fem.Function(W, name="u"), fem.Function(W)
        K = toughness_for_G(1.0, 1.0, NU)
        self._ub.interpolate(lambda x: kfield_displacement(x[0], x[1], K, 1.0, NU))
        self._ub0 = self._ub.x.array.copy()
        mesh.topology.create_connectivity(1, 2)
        bc = fem.dirichletbc(self._ub, fem.locate_dofs_topological(W, 1, exterior_facet_indices(mesh.topology)))
        region = Region(ufl.dx, fem.Constant(mesh, PETSc.ScalarType(1.0)), NU, mech.eps, 1.0)
        self.pf = StaggeredPhaseField(self.u, {"disc": region}, [bc], l, model, tol_d=tol, rtol_u=tol, atol_u=1e-10,
                                      max_iterations=1000, prefix=prefix)
        xd = self.pf.d.function_space.tabulate_dof_coordinates()[:, :2]
        self._line = np.abs(xd[:, 1]) < 1e-9 * h
        self._x = xd[:, 0]
        for f in (self.pf.d, self.pf.d_n):  # the pre-crack: d = 1 on its edges
            f.x.array[self._line & (self._x <= 0)] = 1.0
            f.x.scatter_forward()
        self.pf.solve()  # at lambda = 1 (G below G_eff): the damage relaxes to the crack profile, no growth
        self.pf.commit()
        eps = mech.eps(self.u)
        q = annulus_weight(ufl.SpatialCoordinate(mesh), (0.0, 0.0), *J_ANNULUS)
        self._J = fem.form(j_integral(pf.stress_split(eps, self.pf.d, 1.0, NU, self.pf.k), self.u,
                                      pf.energy_density(eps, self.pf.d, 1.0, NU, self.pf.k), q) * ufl.dx)

    def tip(self) -> float:
        """Largest x on the crack line with d > 0.95 (allreduced)."""
        cracked = self._line & (self.pf.d.x.array > 0.95)
        return self.comm.allreduce(float(self._x[cracked].max(initial=-1.0)), op=MPI.MAX)

    def J(self) -> float:
        """The domain J-integral on the annulus (allreduced), energy per area."""
        return self.comm.allreduce(fem.assemble_scalar(self._J), op=MPI.SUM)

    def load(self, lam: float) -> GriffithLoad:
        """Boundary displacement lam x the K-field of G = G_c; solve, commit, measure."""
        self._ub.x.array[:] = lam * self._ub0
        its = self.pf.solve()
        self.pf.commit()
        return GriffithLoad(lam, lam * lam, self.J(), self.tip(), self.pf.crack_energy(), its)

    def destroy(self) -> None:
        self.pf.destroy()

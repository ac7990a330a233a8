"""The 2D axisymmetric twin with a settable SEI membrane resultant, for cycle life
(`simulation.cycle_cell.Cell`): the interface the cell steps, as `reduced.radial.RadialProblem`.

The membrane's in-plane resultants are N_s = S/(1 + nu) (e_s + nu e_h) - T and
N_h = S/(1 + nu) (e_h + nu e_s) - T, so that under an equibiaxial stretch e (the sphere) they
reduce to the 1D twin's N = S e - T: S [N/m] the layers' summed biaxial tangent stiffness, T
[N/m] their prestress (`physics.sei_layer_state`), nu the film's Poisson ratio (that of the
case's SEI). The layered state is one per particle, driven by the area-mean equibiaxial strain
(e_s + e_h)/2 of the SEI surface(s) (Green-Lagrange at finite strain, `axisym_finite`): exact on the sphere, where the strain is uniform; on a
spheroid it is the surface mean (stated, not checked).

    p = AxisymMembraneProblem(design_from_case(case, time_scheme="euler"), comm, mesh_size=0.25)
    p.set_membrane(S, T); p.advance(dt, c_rate, order=1, sink=lost / dt)
    p.surface_strain(), p.soc(), p.surface_soc()
"""

from __future__ import annotations

import ufl
from dolfinx import fem
from dolfinx.fem import petsc as fpetsc

from seifem.reduced import axisym_forms as af
from seifem.reduced.axisym import AxisymProblem
from seifem.reduced.axisym_finite import membrane_green_strains
from seifem.units import SCALES

__all__ = ["AxisymMembraneProblem"]


class AxisymMembraneProblem(AxisymProblem):
    """`AxisymProblem` (with a membrane SEI) whose membrane resultant is set per step."""

    def __init__(self, design, comm, **kw):
        if design.sei is None:
            raise ValueError("AxisymMembraneProblem needs a design with a membrane SEI")
        super().__init__(design, comm, **kw)
        self._nu = design.sei.poisson_ratio
        self.membrane_h.value = 1.0  # the stiffness is carried by membrane_E (GPa um)
        n = ufl.FacetNormal(self.mesh)
        T = af.CURVE_TAGS
        ds = sum((self.ds(T[s]) for s in self.sei_surfaces[1:]), self.ds(T[self.sei_surfaces[0]]))
        strains = membrane_green_strains if design.finite_strain else af.membrane_strains
        es, eh = strains(self.u, self.r, n)
        self._strain = fem.form(0.5 * (es + eh) * self.w * ds)
        self.sei_area = self._MIRROR * self.integrate(self._const(1.0) * self.w * ds)  # um^2
        self._S = None

    def set_membrane(self, stiffness: float, prestress: float) -> None:
        """N = S e - T for the next mechanics solve (S, T in N/m, see module); the matrix is
        reassembled and refactorised only when S changes."""
        scale = SCALES.stress * SCALES.length
        self.membrane_T.value = prestress / scale
        if stiffness != self._S:
            self._S = stiffness
            self.membrane_E.value = stiffness / scale * (1 - self._nu)  # h E/(1 - nu^2) = S/(1 + nu)
            self.A_el.zeroEntries()
            fpetsc.assemble_matrix(self.A_el, self.a_el, bcs=self.bcs_u)
            self.A_el.assemble()
            self.ksp_el.setOperators(self.A_el)

    def surface_strain(self) -> float:
        """Area-mean equibiaxial strain (e_s + e_h)/2 [-] of the SEI surface(s) (Green-Lagrange
        at finite strain). Collective."""
        return self._MIRROR * self.integrate(self._strain) / self.sei_area

    def soc(self) -> float:
        """Mean filling fraction of the core [-]. Collective."""
        return self._MIRROR * self.integrate(self._inv) / self.core_volume

    def surface_soc(self) -> float:
        """Area-mean filling fraction of the flux surface(s) [-]. Collective."""
        return self._MIRROR * self.integrate(self._theta_s) / self.flux_area

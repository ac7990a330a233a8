"""J2 plasticity inside the 2D twin's phase-field fracture solve (`problem.axisym_fracture`).

The model is the 3D one (`problem.fracture_plastic`): small strain, perfect plasticity, the
radial return (`physics.plasticity.radial_return`) on the effective stress of the plastic
strain's history, then the volumetric-deviatoric split degraded by g(d) (`physics.phase_field`);
the damage is driven by the elastic tensile energy alone; the plastic dissipation
int sigma : d eps_p 2 pi r dx is summed over the accepted steps. The staggered solver
(`problem.fracture.StaggeredPhaseField`) carries the return; this module gives it the 2D
twin's discretisation of a plastic region and gives the twin's output what it reads:

- the history on the rule of degree 2k (as `reduced.axisym_plastic`: the hoop term u_r / r and
  the weight r need it), and B-bar: the work of the mean stress (g(d) K <tr eps_e>+ +
  K <tr eps_e>-, no plastic strain in it) on the rule of degree 2 (`axisym_plastic.VOL_DEG`),
  the deviatoric work on the full rule; so with d = 0 the residual is the plasticity-only
  twin's, times 1 + k on the tensile part (k the residual stiffness);
- the output stress dev(sigma) at the quadrature points plus the mean stress's P1 polynomial
  per cell (refreshed after each solve), the per-region columns `<region>_plastic_fraction`
  and `<region>_plastic_strain_max` (`axisym_plastic.PlasticRegions.scalars`), both over the
  points outside the broken band (d <= 0.95, `particle_fracture.CRACKED`): inside it the
  effective strain keeps flowing and its plastic strain (9 in the coated particle of the
  tests) is the crack's opening over the band's width, not a material's flow.

The u-problem's Newton steps are factorised (MUMPS) with the secant line search
(`fracture_plastic`): once a crack runs through a flowed region, nothing else converged.
"""

from __future__ import annotations

import ufl

from seifem.problem.particle_fracture import CRACKED
from seifem.reduced.axisym_plastic import VOL_DEG, PlasticRegions

__all__ = ["FracturePlasticRegions"]


class FracturePlasticRegions(PlasticRegions):
    """The plastic regions of a 2D twin `p` whose mechanics is the fracture solve (`yields`:
    region -> yield stress in Pa). Built before the solver (`yield_stress`, `degrees` for its
    `Region`s), then `attach`ed to it."""

    def __init__(self, p, yields: dict[str, float]):
        self._init_regions(p, yields)
        self._yields = yields

    def yield_stress(self, name: str):
        """sigma_Y of a region (GPa, UFL; the core's times the design's yield_stress_factor(theta))."""
        return self._yield_stress(name, self._yields)

    def degrees(self) -> dict:
        """The `Region` keywords of a plastic region: history rule 2k, B-bar rule VOL_DEG."""
        return {"quadrature_degree": self.qdeg, "volumetric_degree": VOL_DEG}

    def attach(self, solver) -> None:
        """Read the stresses and the plastic strains of the staggered `solver`."""
        p, self.solver = self.p, solver
        for name in self.regions:
            i = p.regions.index(name)
            pbar = self._mean(name, solver.plastic.mean_stress(name, solver.stress))
            sigma = ufl.dev(solver.stress(name)) + pbar * ufl.Identity(3)
            ep = solver.plastic.plastic_strain(name)
            self.history[ep.name] = ep
            dxq = p.dx(i + 1)(metadata={"quadrature_degree": self.qdeg})
            eq = ufl.sqrt(2.0 / 3.0 * ufl.inner(ep, ep))  # outside the broken band, whose flow is the crack's opening
            self._add_region(name, sigma, ufl.conditional(ufl.gt(solver.d, CRACKED), 0.0, eq), dxq)

    @staticmethod
    def factorise(ksp) -> None:
        """Solve the u-problem's Newton steps by MUMPS LU: once a crack runs through a region
        that has flowed, the tangent (a broken band of perfectly plastic material: nearly a
        mechanism) defeated CG + GAMG (10,000 iterations) and PETSc's own LU (zero pivot);
        MUMPS pivots, and was 4x faster than CG + GAMG per step after the crack."""
        ksp.setType("preonly")
        pc = ksp.getPC()
        pc.setType("lu")
        pc.setFactorSolverType("mumps")

    def solved(self) -> None:
        """After a staggered solve: refresh the output's mean stresses."""
        self._update_pressures()

    def dissipation(self) -> float:
        """Plastic dissipation of the accepted steps (GPa um^3, the meridian quarter's weighted integral)."""
        return self.solver.plastic.dissipation

    def solve(self) -> None:
        raise RuntimeError("the fracture solve carries the plastic return (`AxisymFracture.solve`)")

    def commit(self) -> None:
        """Nothing: the staggered solver moves the history on."""

    def destroy(self) -> None:
        """Nothing: the staggered solver owns the solvers."""

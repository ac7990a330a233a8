"""J2 perfect plasticity (small strain) in the 2D axisymmetric twin, solved by Newton.

A region with a yield stress sigma_Y carries the plastic strain at the quadrature points of
its cells, the four components an axisymmetric, torsion-free state has, (rr, zz, tt, rz) in
the twin's (r, z, theta) order, embedded in the 3 x 3 tensor

    eps_p_n = [[eps_p_rr, eps_p_rz, 0], [eps_p_rz, eps_p_zz, 0], [0, 0, eps_p_tt]],

and the return mapping is the 3D model's and the 1D twin's (`physics.plasticity.radial_return`)
applied to eps(u) - e_ch I (`axisym_forms.strain`): one kernel for the three models. The
plastic regions are integrated with the rule of degree 2k (6 points for P2, as the 1D twin):
with the rule the patch recovery samples (degree 2, 3 points) the twin's elastic limit was
5x less accurate (the weight r and the hoop term u_r/r are under-integrated). Output reads the
polynomial of degree k through a cell's quadrature values (`nodal_matrix`: as many points as
the polynomial has coefficients), at the recovery's points or at the nodes.

B-bar (`PlasticRegions._volumetric`): the volumetric part of a plastic region's work (the mean
stress K (tr eps - 3 e_ch), or P_vol at finite strain) is integrated on the 3-point rule of
degree 2, the deviatoric part (the return map) on the rule of degree 2k. On the full rule a
layer flowing through its thickness locked: its mean stress oscillated at the quadrature points
(-0.32 of the coating's stress scale at R/6); on one point (P0) it was a mechanism. The output
stress is the deviatoric stress at the quadrature points plus the mean stress of the P1
polynomial per cell through the 3 points (a DG1 function refreshed after each solve).

The residual sum_regions int sigma : eps(v) 2 pi r dx (elastic regions with the twin's own
rule) plus the SEI membrane is solved by Newton with its UFL derivative (the consistent
tangent, `twin_newton`), from u of the last solve; the history moves on once a solve has
converged (`commit`), as in 3D and the 1D twin. A core yield stress may vary with the filling
fraction (`RadialDesign.yield_stress_factor`).
"""

from __future__ import annotations

import basix
import basix.ufl
import numpy as np
import ufl
from dolfinx import fem
from mpi4py import MPI

from seifem.physics.piecewise import piecewise_linear
from seifem.physics.plasticity import radial_return
from seifem.reduced import axisym_forms as af
from seifem.reduced.axisym_output import lu_solver, reduce_extreme
from seifem.reduced.twin_newton import TwinNewton
from seifem.units import SCALES

VOL_DEG = 2  # the quadrature degree of the plastic regions' volumetric work (B-bar)

__all__ = ["AxisymPlasticity", "PlasticRegions", "nodal_matrix", "plastic_tensor"]


def nodal_matrix(points: np.ndarray, nodes: np.ndarray, degree: int) -> np.ndarray:
    """M (nodes x points): values at the reference `nodes` of the polynomial of `degree`
    (triangle) through values at the reference `points` (as many as the polynomials)."""
    el = basix.create_element(basix.ElementFamily.P, basix.CellType.triangle, degree,
                              basix.LagrangeVariant.equispaced, discontinuous=True)
    at_points = el.tabulate(0, points)[0, :, :, 0]  # (points, basis)
    at_nodes = el.tabulate(0, nodes)[0, :, :, 0]
    return at_nodes @ np.linalg.inv(at_points)


def plastic_tensor(ep):
    """3 x 3 symmetric tensor of the quadrature vector (rr, zz, tt, rz): the plastic strain,
    or b_e_bar at finite strain."""
    return ufl.as_matrix([[ep[0], ep[3], 0], [ep[3], ep[1], 0], [0, 0, ep[2]]])


class PlasticRegions:
    """The plastic regions of a 2D twin's Newton mechanics (small strain: `AxisymPlasticity`;
    finite strain: `axisym_finite.AxisymFiniteStrain`): their stresses at the quadrature
    `points`, the history functions (`history`: name -> function, saved by checkpoints) and
    their updates (`_updates`: function -> expression of the converged state), and the
    equivalent plastic strain of each region (`_eq`)."""

    def _init_regions(self, p, yields: dict[str, float]) -> None:
        self.p, self.regions = p, [n for n in p.regions if n in yields]
        self.qdeg = 2 * p.design.degree
        cell = p.mesh.basix_cell()
        self.Q = fem.functionspace(p.mesh, basix.ufl.quadrature_element(cell, value_shape=(4,), degree=self.qdeg))
        self.Q1 = fem.functionspace(p.mesh, basix.ufl.quadrature_element(cell, value_shape=(), degree=self.qdeg))
        self.points = self.Q.element.interpolation_points
        self.history, self._updates, self._stress, self._eq = {}, {}, {}, {}
        # B-bar: the mean stress on the rule of degree 2 (3 points), fitted by a P1 polynomial per cell
        self.P1 = fem.functionspace(p.mesh, ("DG", 1))
        self._vol_points = basix.make_quadrature(basix.CellType.triangle, VOL_DEG)[0]
        self._to_p1 = nodal_matrix(self._vol_points, self.P1.element.interpolation_points, 1)
        self._pressures = {}  # DG1 function -> expression of the mean stress at the volumetric points

    def _volumetric(self, i: int, name: str, vol_work, mean):
        """B-bar (selective reduced integration) of a plastic region: the volumetric part of its
        virtual work `vol_work` (UFL, per unit volume; the weight w applied here) on the rule of
        degree 2 (3 points: the dilatation projected onto P1 per cell, the P2/P1-discontinuous
        pair), the deviatoric part on the full rule (`qdeg`) by the caller. The region's mean
        stress `mean` (GPa, UFL) at those points, fitted by its P1 polynomial per cell, is kept
        in a DG1 function for the output stress (refreshed after each solve). Returns the
        residual term and that function."""
        return vol_work * self.p.w * self.p.dx(i + 1)(metadata={"quadrature_degree": VOL_DEG}), self._mean(name, mean)

    def _mean(self, name: str, mean) -> fem.Function:
        """The DG1 function of a region's mean stress `mean` (GPa, UFL), fitted per cell through
        its values at the B-bar's points (refreshed by `_update_pressures`)."""
        pbar = fem.Function(self.P1, name=f"mean_stress_{name}")
        self._pressures[pbar] = fem.Expression(mean, self._vol_points)
        return pbar

    def _update_pressures(self) -> None:
        """The DG1 mean stresses of the current u: each cell's P1 polynomial through the values
        at the volumetric rule's points (every cell, ghosts included: no communication)."""
        mesh = self.p.mesh
        imap = mesh.topology.index_map(mesh.topology.dim)
        cells = np.arange(imap.size_local + imap.num_ghosts, dtype=np.int32)
        for f, expr in self._pressures.items():
            vals = expr.eval(mesh, cells).reshape(len(cells), -1)
            f.x.array[self.P1.dofmap.list[cells].ravel()] = (vals @ self._to_p1.T).ravel()

    def _yield_stress(self, name: str, yields: dict[str, float]):
        """sigma_Y of a region (model units), the core's scaled by the design's
        yield_stress_factor table of theta."""
        p = self.p
        sy = p._const(yields[name] / SCALES.stress)
        if name == "core" and p.design.yield_stress_factor is not None:
            sy = sy * piecewise_linear(p.design.yield_stress_factor, p.theta)
        return sy

    def _add_region(self, name: str, sigma, eq, dxq) -> None:
        """Record a plastic region's Cauchy stress and equivalent plastic strain `eq` (UFL,
        at the quadrature points of the measure dxq)."""
        w = self.p.w
        self._stress[name] = sigma
        self._eq[name] = (fem.Expression(eq, self.points),
                          fem.form(ufl.conditional(ufl.gt(eq, 1e-9), 1.0, 0.0) * w * dxq),
                          fem.form(self.p._const(1.0) * w * dxq))

    def _finish(self, F, prefix: str, what: str) -> None:
        """The Newton on the residual F and the scratch space of the history updates."""
        p = self.p
        self.newton = TwinNewton(F, p.u, p.bcs_u, lambda A: lu_solver(A, prefix), what)
        self._scratch = {f: fem.Function(f.function_space) for f in self._updates}

    def stress(self, region: str, tiny: float | None = None):
        """Cauchy stress (GPa, 3 x 3, UFL) of a plastic region after the return: defined at
        the quadrature points `points` only."""
        return self._stress[region]

    def solve(self) -> None:
        """Newton to equilibrium with the current theta, history fixed. Collective."""
        self.newton.solve()
        self._update_pressures()

    def commit(self) -> None:
        """Accept the converged solve: the history takes its updated values at every
        quadrature point."""
        for f, expr in self._updates.items():
            self._scratch[f].interpolate(expr)
        for f, g in self._scratch.items():
            f.x.array[:] = g.x.array

    def scalars(self) -> dict[str, float]:
        """`<region>_plastic_fraction` (volume fraction whose equivalent plastic strain exceeds
        1e-9) and `<region>_plastic_strain_max` (its largest value), as in 3D and the 1D twin.
        Collective."""
        p, out = self.p, {}
        nloc = p.mesh.topology.index_map(2).size_local
        for n in self.regions:
            expr, yielded, volume = self._eq[n]
            cells = p.cells[n][p.cells[n] < nloc]
            eq = expr.eval(p.mesh, cells) if cells.size else np.empty(0)
            out[f"{n}_plastic_fraction"] = p.integrate(yielded) / p.integrate(volume)
            out[f"{n}_plastic_strain_max"] = max(0.0, reduce_extreme(p.comm, np.ravel(eq), MPI.MAX))
        return out

    def destroy(self) -> None:
        self.newton.destroy()


class AxisymPlasticity(PlasticRegions):
    """The small-strain mechanics of an `AxisymProblem` with plastic regions (`yields`: region
    -> yield stress in Pa; the core's scaled by the design's yield_stress_factor table of theta)."""

    def __init__(self, p, yields: dict[str, float]):
        self._init_regions(p, yields)
        r, u, w = p.r, p.u, p.w
        v = ufl.TestFunction(p.W)
        F = 0
        for i, name in enumerate(p.regions):
            E, nu = p._moduli(name)
            e_ch = p.eigenstrain() if name == "core" else 0.0
            if name not in yields:
                F += ufl.inner(af.stress(u, r, E, nu, e_ch), af.strain(v, r)) * w * p.dx(i + 1)
                continue
            ep = fem.Function(self.Q, name=f"plastic_strain_{name}")
            sigma, deps, _ = radial_return(af.strain(u, r) - e_ch * ufl.Identity(3), plastic_tensor(ep), E, nu,
                                           self._yield_stress(name, yields))
            dxq = p.dx(i + 1)(metadata={"quadrature_degree": self.qdeg})
            # B-bar: the deviatoric stress on the full rule, the mean stress K (tr eps - 3 e_ch) (the
            # plastic strain is traceless) on the centroid's
            mean = E / (3 * (1 - 2 * nu)) * (ufl.tr(af.strain(u, r)) - 3 * e_ch)
            vol, pbar = self._volumetric(i, name, mean * ufl.tr(af.strain(v, r)), mean)
            F += ufl.inner(ufl.dev(sigma), af.strain(v, r)) * w * dxq + vol
            sigma = ufl.dev(sigma) + pbar * ufl.Identity(3)
            self.history[ep.name] = ep
            self._updates[ep] = fem.Expression(ufl.as_vector([ep[0] + deps[0, 0], ep[1] + deps[1, 1],
                                                              ep[2] + deps[2, 2], ep[3] + deps[0, 1]]), self.points)
            self._add_region(name, sigma, ufl.sqrt(2.0 / 3.0 * ufl.inner(plastic_tensor(ep), plastic_tensor(ep))), dxq)
        F += membrane_residual(p, u, v)
        self._finish(F, "seifem_axisym_plastic_", "2D twin plasticity")


def membrane_residual(p, u, v):
    """The small-strain SEI film's residual: its stiffness and settable resultant
    (`axisym_mechanics`); 0 without an SEI."""
    if p.design.sei is None:
        return 0
    n, T = ufl.FacetNormal(p.mesh), af.CURVE_TAGS
    nus = p._const(p.design.sei.poisson_ratio)
    F = 0
    for s in p.sei_surfaces:
        F += af.membrane_form(u, v, p.r, n, p.membrane_h, p.membrane_E, nus, p.ds(T[s]))
        F -= p.membrane_T * sum(af.membrane_strains(v, p.r, n)) * p.w * p.ds(T[s])
    return F

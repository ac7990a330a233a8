"""Nonlinear mechanics of the 1D radial twin, solved by Newton: J2 perfect plasticity (small
strain), or finite strain (elastic, neo-Hookean with the chemical stretch: `radial_finite`).

In spherical symmetry the strain, the plastic strain and the stress are diagonal,
diag(radial, hoop, hoop). A region with a yield stress sigma_Y carries the plastic strain
(eps_p_r, eps_p_t) at the quadrature points of its cells; the return mapping is the 3D one
(`physics.plasticity.radial_return`) applied to the 3 x 3 tensors

    eps = diag(u', u/r, u/r) - e_ch I,   eps_p_n = diag(eps_p_r, eps_p_t, eps_p_t),

so the two models share one kernel (plastic incompressibility gives eps_p_r = -2 eps_p_t).
The residual int (sigma_r v' r^2 + 2 sigma_t v r) dr of the plastic regions (quadrature of
degree 2k: the elastic limit is integrated exactly, as the twin's elastic forms) plus the
twin's elastic forms in the other regions and its SEI membrane is solved by the twins' Newton
(`twin_newton`) with its UFL derivative (the consistent tangent) and a dense LU, from u of the
last solve. The history
is moved forward once a solve has converged (`commit`), as in 3D.

B-bar: the volumetric part of a plastic region's work (K tr(eps - e_ch I), or P_vol = J_ch kappa
ln(J_e) F^-T at finite strain: no plastic history, the flow being isochoric) is integrated on 2
Gauss points a cell, the rest on the full rule; on the full rule a region flowing through its
thickness locked (its mean stress oscillated at the quadrature points: a coating's surface
sigma_r -30.4 against -40.75 MPa at 8 cells). Output takes the mean stress of the P1 polynomial
per cell through those 2 points (`_update_means`, after each solve).

A core yield stress may vary with the filling fraction (`RadialDesign.yield_stress_factor`,
as `particle.yield_stress_factor` in 3D): e.g. a crystalline core that does not flow ahead of
a lithiation front and a lithiated shell that does.
"""

from __future__ import annotations

import basix
import basix.ufl
import numpy as np
import ufl
from dolfinx import fem

from seifem.physics.finite_plasticity import simo_return
from seifem.physics.finite_strain import chemical_jacobian
from seifem.physics.piecewise import piecewise_linear
from seifem.physics.plasticity import radial_return
from seifem.reduced import radial_finite as rfin
from seifem.reduced import radial_forms as rf
from seifem.reduced.radial_mechanics import direct_solver
from seifem.reduced.twin_newton import TwinNewton
from seifem.units import SCALES

__all__ = ["RadialNonlinearMechanics"]

VOL_DEG = 2  # the quadrature degree of the plastic regions' volumetric work (B-bar): 2 Gauss points


def _lagrange_matrix(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """M (len(dst) x len(src)): values at the reference points `dst` of the polynomial through
    values at the reference points `src` (1D)."""
    M = np.ones((dst.size, src.size))
    for j, xj in enumerate(src):
        for m, xm in enumerate(src):
            if m != j:
                M[:, j] *= (dst - xm) / (xj - xm)
    return M


class RadialNonlinearMechanics:
    """The mechanics of a `RadialProblem` with plastic regions (`yields`: region -> yield
    stress in Pa, the core's scaled by the design's yield_stress_factor table of theta)."""

    def __init__(self, p, yields: dict[str, float], finite: bool = False):
        self.p, self.regions, self.finite = p, [n for n in p.regions if n in yields], finite
        mesh, r, u = p.mesh, p.r, p.u
        self.qdeg = 2 * p.design.degree
        cell = mesh.basix_cell()
        self.Q = fem.functionspace(mesh, basix.ufl.quadrature_element(cell, value_shape=(2,), degree=self.qdeg))
        self.Q1 = fem.functionspace(mesh, basix.ufl.quadrature_element(cell, value_shape=(), degree=self.qdeg))
        self.points = self.Q.element.interpolation_points
        v = ufl.TestFunction(p.V)
        self.history, self._updates, self._stress, self._equivalent = {}, {}, {}, {}
        self.P1 = fem.functionspace(mesh, ("DG", 1))  # B-bar: each plastic region's mean stress, P1 per cell
        vol_points = basix.make_quadrature(basix.CellType.interval, VOL_DEG)[0]
        self._to_p1 = _lagrange_matrix(vol_points[:, 0], self.P1.element.interpolation_points[:, 0])
        self._vol_points, self._mean, self._mean_expr = vol_points, {}, {}
        if finite and yields:  # the displacement of the last committed step (F_n of the return map)
            self.u_n = fem.Function(p.V, name="u_n")
            self.history["u_n"] = self.u_n
        F = 0
        for i, name in enumerate(p.regions):
            E, nu = p._moduli(name)
            if name in yields:
                sy = p._const(yields[name] / SCALES.stress)
                if name == "core" and p.design.yield_stress_factor is not None:
                    sy = sy * piecewise_linear(p.design.yield_stress_factor, p.theta)
                sigma = (self._finite_plastic if finite else self._small_plastic)(name, E, nu, sy)
                stress = sigma[0] if finite else sigma  # (P, Cauchy) at finite strain
                vol, mean = self._volumetric(name, E, nu)  # B-bar: the volumetric part on 2 points
                dxq = p.dx(i + 1)(metadata={"quadrature_degree": self.qdeg})
                dxv = p.dx(i + 1)(metadata={"quadrature_degree": VOL_DEG})
                stress = stress - vol
                F += (stress[0, 0] * v.dx(0) * r**2 + 2 * stress[1, 1] * v * r) * dxq
                F += (vol[0, 0] * v.dx(0) * r**2 + 2 * vol[1, 1] * v * r) * dxv
                s = sigma[1] if finite else sigma
                m = ufl.tr(s) / 3
                self._stress[name] = (s[0, 0] - m + self._mean[name], s[1, 1] - m + self._mean[name])
                continue
            if finite:  # neo-Hookean with the chemical stretch (`radial_finite`): logs, so a fixed degree
                P = rfin.first_piola(rfin.deformation_gradient(u, r), E, nu, self.chemical_jacobian(name))
                dxf = p.dx(i + 1)(metadata={"quadrature_degree": self.qdeg + 2})
                F += (P[0, 0] * v.dx(0) * r**2 + 2 * P[1, 1] * v * r) * dxf
                continue
            F += rf.elasticity_form(u, v, r, E, nu, p.dx(i + 1))
            if name == "core":
                F -= rf.eigenstrain_form(p.eigenstrain(), v, r, E, nu, p.dx(1))
        if p.design.sei is not None and finite:  # St Venant-Kirchhoff film on the Green-Lagrange hoop strain
            F += sum(rfin.membrane_residual(u, v, r, p.membrane_S, p.membrane_T, p.ds(t)) for t in p.sei_tags)
        elif p.design.sei is not None:
            F += sum(rf.membrane_form(u, v, r, p.membrane_S, 1.0, 0.0, p.ds(t)) for t in p.sei_tags)
            F -= sum(2 * p.membrane_T * v * r * p.ds(t) for t in p.sei_tags)
        self.newton = TwinNewton(F, u, p.bcs_u, lambda A: direct_solver(A, "seifem_radial_nonlinear_", dense=True),
                                 "1D twin nonlinear mechanics", dense=True)
        self.cells = {n: p.cell_tags.find(p.regions.index(n) + 1) for n in self.regions}
        self._scratch = {f: fem.Function(f.function_space) for f in self._updates}
        self._qp = {n: [fem.Expression(s * SCALES.stress / 1e6, self.points) for s in self._stress[n]]
                    for n in self.regions}

    def _volumetric(self, name: str, E, nu):
        """B-bar of a plastic region: (its volumetric stress, a DG1 function of its mean stress).
        The volumetric stress (GPa, UFL; the part of sigma, or of P at finite strain, that
        plastic flow leaves alone: K tr(eps - e_ch I) I, or J_ch kappa ln(J_e) F^-T) is integrated
        on the 2-point rule (the dilatation projected onto P1 per cell, the P2/P1-discontinuous
        pair), the rest on the full rule; the mean stress at those 2 points, fitted by a P1
        polynomial per cell, replaces the quadrature points' in the output (refreshed after each
        solve)."""
        p, u, r = self.p, self.p.u, self.p.r
        K = E / (3 * (1 - 2 * nu))
        if self.finite:
            J_ch = self.chemical_jacobian(name)
            J_ch = 1.0 if J_ch is None else J_ch
            Fu = rfin.deformation_gradient(u, r)
            J_e = ufl.det(Fu) / J_ch
            vol, mean = J_ch * K * ufl.ln(J_e) * ufl.inv(Fu).T, K * ufl.ln(J_e) / J_e
        else:
            e_ch = p.eigenstrain() if name == "core" else 0.0
            mean = K * (u.dx(0) + 2 * u / r - 3 * e_ch)
            vol = mean * ufl.Identity(3)
        self._mean[name] = fem.Function(self.P1, name=f"mean_stress_{name}")
        self._mean_expr[name] = fem.Expression(mean, self._vol_points)
        return vol, self._mean[name]

    def _update_means(self) -> None:
        """The DG1 mean stresses of the current u (every cell of the replicated 1D mesh)."""
        mesh = self.p.mesh
        cells = np.arange(mesh.topology.index_map(1).size_local + mesh.topology.index_map(1).num_ghosts, dtype=np.int32)
        for name, f in self._mean.items():
            vals = self._mean_expr[name].eval(mesh, cells).reshape(len(cells), -1)
            f.x.array[self.P1.dofmap.list[cells].ravel()] = (vals @ self._to_p1.T).ravel()

    def _small_plastic(self, name: str, E, nu, sy):
        """Cauchy stress of a plastic region at small strain: the 3D radial return on
        diag(u', u/r, u/r) - e_ch I with the history eps_p = (eps_p_r, eps_p_t)."""
        p, u, r = self.p, self.p.u, self.p.r
        ep = fem.Function(self.Q, name=f"plastic_strain_{name}")
        e_ch = p.eigenstrain() if name == "core" else 0.0
        strain = ufl.diag(ufl.as_vector([u.dx(0), u / r, u / r])) - e_ch * ufl.Identity(3)
        sigma, deps, _ = radial_return(strain, ufl.diag(ufl.as_vector([ep[0], ep[1], ep[1]])), E, nu, sy)
        self.history[ep.name] = ep
        self._updates[ep] = fem.Expression(ufl.as_vector([ep[0] + deps[0, 0], ep[1] + deps[1, 1]]), self.points)
        self._equivalent[name] = fem.Expression(ufl.sqrt(2.0 / 3.0 * (ep[0] ** 2 + 2 * ep[1] ** 2)), self.points)
        return sigma

    def _finite_plastic(self, name: str, E, nu, sy):
        """(P, sigma) of a plastic region at finite strain: the 3D model's return map
        (`physics.finite_plasticity.simo_return`, F = F_e F_p F_ch) on the diagonal
        F = diag(1 + u', 1 + u/r, 1 + u/r) from F_n (of u_n), with the history b_e_bar =
        diag(b_r, b_t, b_t) (initially I) and the accumulated multiplier alpha (the equivalent
        plastic strain, as in 3D)."""
        p, r = self.p, self.p.r
        be = fem.Function(self.Q, name=f"elastic_strain_{name}")
        be.x.array[:] = 1.0  # b_e_bar = I: the stress-free state
        alpha = fem.Function(self.Q1, name=f"plastic_multiplier_{name}")
        J_ch = self.chemical_jacobian(name)
        P, sigma, be_new, dgamma = simo_return(rfin.deformation_gradient(p.u, r), rfin.deformation_gradient(self.u_n, r),
                                               ufl.diag(ufl.as_vector([be[0], be[1], be[1]])),
                                               1.0 if J_ch is None else J_ch, E, nu, sy)
        self.history[be.name], self.history[alpha.name] = be, alpha
        self._updates[be] = fem.Expression(ufl.as_vector([be_new[0, 0], be_new[1, 1]]), self.points)
        self._updates[alpha] = fem.Expression(alpha + (2.0 / 3.0) ** 0.5 * dgamma, self.points)
        self._equivalent[name] = fem.Expression(alpha, self.points)
        return P, sigma

    def chemical_jacobian(self, region: str):
        """J_ch = 1 + beta (theta - theta0) in the core, None elsewhere (finite strain)."""
        p = self.p
        return chemical_jacobian(p.beta, p.theta, p.theta0) if region == "core" else None

    def stresses(self, region: str):
        """(sigma_r, sigma_t) in GPa (UFL): of a plastic region after the return (quadrature
        points only); at finite strain the Cauchy stresses (anywhere)."""
        if self.finite and region not in self.regions:
            return rfin.cauchy(self.p.u, self.p.r, *self.p._moduli(region), self.chemical_jacobian(region))
        return self._stress[region]

    def solve(self) -> None:
        """Newton from the current u to equilibrium with the current theta, history fixed."""
        self.newton.solve()
        self._update_means()

    def commit(self) -> None:
        """Accept the converged solve: eps_p <- eps_p + d eps_p at every quadrature point."""
        for f, expr in self._updates.items():
            self._scratch[f].interpolate(expr)
        for f, g in self._scratch.items():
            f.x.array[:] = g.x.array
        if "u_n" in self.history:
            self.u_n.x.array[:] = self.p.u.x.array

    # ------------------------------------------------------------------ output
    def quadrature_stresses(self, region: str) -> tuple[np.ndarray, np.ndarray]:
        """(sigma_r, sigma_t) in MPa at the quadrature points, shape (cells, points)."""
        c = self.cells[region]
        return tuple(e.eval(self.p.mesh, c) for e in self._qp[region])

    def nodal_stresses(self, region: str, S: fem.FunctionSpace) -> tuple[np.ndarray, np.ndarray]:
        """(sigma_r, sigma_t) in MPa at the nodes of the DG space S in the region's cells, shape
        (cells, nodes) in S's cell-dof order: per cell the polynomial through the quadrature
        values (degree points - 1 = the displacement's degree), extrapolated to the nodes."""
        M = _lagrange_matrix(self.points[:, 0], S.element.interpolation_points[:, 0])
        return tuple(q @ M.T for q in self.quadrature_stresses(region))

    def scalars(self) -> dict[str, float]:
        """`<region>_plastic_fraction` (volume fraction whose equivalent plastic strain exceeds
        1e-9) and `<region>_plastic_strain_max` (largest sqrt(2/3 eps_p : eps_p)), as in 3D."""
        out = {}
        p = self.p
        _, w = basix.make_quadrature(basix.CellType.interval, self.qdeg)
        for n in self.regions:
            c = self.cells[n]
            eq = self._equivalent[n].eval(p.mesh, c)
            rq = fem.Expression(p.r, self.points).eval(p.mesh, c)
            h = np.abs(np.diff(_cell_ends(p, c), axis=1))[:, 0]
            vol = (rq**2 * w[None, :]) * h[:, None]
            out[f"{n}_plastic_fraction"] = float(vol[eq > 1e-9].sum() / vol.sum())
            out[f"{n}_plastic_strain_max"] = float(eq.max())
        return out

    def destroy(self) -> None:
        self.newton.destroy()


def _cell_ends(p, cells: np.ndarray) -> np.ndarray:
    """(cells, 2) radii (um) of the cells' two vertices."""
    from dolfinx.mesh import entities_to_geometry

    return p.mesh.geometry.x[entities_to_geometry(p.mesh, 1, cells), 0]

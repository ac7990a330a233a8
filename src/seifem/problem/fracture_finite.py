"""The u-solve of finite-strain phase-field fracture (`problem.fracture` with `Region.finite`):
Newton on the full tangent, factorised (MUMPS) below 100k dofs, else GMRES preconditioned by
a positive-definite part of it.

Why not CG: the tangent of the degraded split neo-Hookean energy g(d) psi+(F_e) + psi-(F_e)
is not positive definite. psi_vol = K/2 (ln J)^2 has the Hessian f''(J) cof F (x) cof F +
f'(J) d^2 J / dF^2, whose second term (f' = K ln J / J, times the indefinite second derivative
of det) is indefinite; in sound material the shear stiffness mu outweighs it, but where the
damage degrades the deviatoric energy of a stretched cell (J_e up to 1.3 on the 2C
delithiation of `cases/si_fracture_finite.toml`) it does not. Measured there (serial, the
first Newton matrix of the step at t = 80 s, after the surface shell cracked through,
d > 0.9 in 64 cells, all with J_e in 1.03-1.32, none in compression): 3 negative eigenvalues
(-1.5e-3, -1.3e-3, -1.2e-3 against a largest 165, dense eigvalsh), and CG stops at its third
iteration with DIVERGED_INDEFINITE_MAT. So it is not the switch of the volumetric split.

The method: GMRES (right preconditioned, so its tolerance is on the true residual) on the
exact tangent A, preconditioned by GAMG on the positive-definite matrix

    P = int [ g(d) 2 mu dev(dE(du)) : dev(dE(v)) + K_eff tr dE(du) tr dE(v) ] w dx,
    dE(v) = sym(F_e^T dF_e[v]),     K_eff = g(d) K (J_e >= 1), K (J_e < 1),

the split's moduli on the variation of the elastic Green-Lagrange strain (w the region's
volume weight J_ch); positive semidefinite at every point, definite with the Dirichlet
conditions and k > 0. Newton keeps the exact tangent (quadratic convergence where it is
definite), with a backtracking line search on ||F|| (a Newton direction solved to the
tolerance is a descent direction of ||F||^2 whether or not A is definite).
Below `DIRECT_BELOW` displacement dofs the tangent is factorised instead (MUMPS LU): on the
2C case the GMRES above needed 120-280 iterations a Newton step (4,974 dofs) and failed on
the third step after the crack ran through, where LU takes the indefinite tangent as it is.
Should GMRES fail on a large mesh, the solve is repeated with MUMPS (logged, counted in
`stats["direct_fallbacks"]`) and the problem stays on it.
"""

from __future__ import annotations

import ufl
from dolfinx.fem import petsc as fpetsc

from seifem.physics import phase_field as pf
from seifem.problem.fracture_region import Region

__all__ = ["DIRECT_BELOW", "direct", "is_direct", "positive_tangent", "u_options"]

DIRECT_BELOW = 100_000
"""Displacement dofs below which the finite-strain u-problem is factorised (MUMPS LU on the
exact tangent, indefinite or not) instead of GMRES + GAMG on P, as the 2d-plane model does."""

DIRECT = {"ksp_type": "preonly", "pc_type": "lu", "pc_factor_mat_solver_type": "mumps"}


def u_options(n_dofs: int) -> dict:
    """The u-problem's options at finite strain: MUMPS LU below `DIRECT_BELOW` dofs, else
    GMRES (right preconditioned) with the GAMG of the preset on P; a backtracking line search."""
    iterative = {"ksp_type": "gmres", "ksp_pc_side": "right", "ksp_gmres_restart": 200}
    return {**(DIRECT if is_direct(n_dofs) else iterative), "snes_linesearch_type": "bt"}


def direct(problem, bcs) -> None:
    """Switch a u-problem (`dolfinx.fem.petsc.NonlinearProblem`) to MUMPS LU on its exact
    tangent (no P): the fallback when GMRES fails."""
    snes = problem.solver
    snes.setJacobian(fpetsc.assemble_jacobian, problem.A, problem.A,
                     kargs={"u": problem.u, "jacobian": problem.J, "preconditioner": None, "bcs": bcs})
    ksp = snes.getKSP()
    ksp.setType("preonly")
    pc = ksp.getPC()
    pc.setType("lu")
    pc.setFactorSolverType("mumps")


def is_direct(n_dofs: int) -> bool:
    return n_dofs < DIRECT_BELOW


def _moduli(E, nu):
    return E / (3 * (1 - 2 * nu)), E / (2 * (1 + nu))


def positive_tangent(regions: dict[str, Region], u, d, k: float, v, du, metadata: dict):
    """The positive-definite matrix P above (UFL bilinear form in du, v) of the regions;
    small-strain regions contribute their exact (positive-definite) tangent."""
    P = 0
    for r in regions.values():
        dxr, w = r.dx(metadata=metadata), r.weight * r.density
        K, mu = _moduli(r.E, r.nu)
        g = pf.degradation(d, k) if r.Gc is not None else 1.0
        if r.finite:
            F = r.strain(u)
            J = ufl.det(F)

            def dE(t, F=F, r=r):
                dF = ufl.derivative(r.strain(u), u, t)
                return ufl.sym(F.T * dF)

            Keff = ufl.conditional(ufl.ge(J, 1.0), g * K, K) if r.Gc is not None else K
        else:  # small strain: the split energy is convex in eps, its tangent already definite
            def dE(t, r=r):
                return ufl.derivative(r.strain(u), u, t)

            Keff = ufl.conditional(ufl.ge(ufl.tr(r.strain(u)), 0.0), g * K, K) if r.Gc is not None else K
        a, b = dE(du), dE(v)
        dev = lambda e: e - ufl.tr(e) / 3 * ufl.Identity(e.ufl_shape[0])
        P = P + (g * 2 * mu * ufl.inner(dev(a), dev(b)) + Keff * ufl.tr(a) * ufl.tr(b)) * w * dxr
    return P

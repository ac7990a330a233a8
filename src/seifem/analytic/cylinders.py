"""Plane-strain closed forms of long cylinders (eps_zz = 0), the references of the 2D
cross-section model (`geometry.model = "2d-plane"`).

Derivation (small strain, isotropic, eigenstrain e(r) I in the core; Lame lambda, mu):
the radial displacement u(r) of an axisymmetric plane-strain state satisfies
(1/r (r u)')' = (1 + nu)/(1 - nu) e'(r) in a layer with eigenstrain e, so

- uniform e in a solid core 0 <= r <= a: u = A r; in a coating a <= r <= b (e = 0):
  u = B r + C / r. Stresses (plane strain, eps_zz = 0; generalized plane strain adds
  lambda_i eps_zz to s_rr, s_tt and (lambda_i + 2 mu_i) eps_zz to s_zz, with the uniform eps_zz
  that makes the axial force vanish: a free, long cylinder):
      core:    s_rr = s_tt = 2 (lambda1 + mu1) A - (3 lambda1 + 2 mu1) e,
               s_zz = 2 lambda1 A - (3 lambda1 + 2 mu1) e
      coating: s_rr = 2 (lambda2 + mu2) B - 2 mu2 C / r^2,  s_tt = 2 (lambda2 + mu2) B + 2 mu2 C / r^2,
               s_zz = 2 lambda2 B
  with u and s_rr continuous at r = a and s_rr(b) = 0 (three linear equations for A, B, C).
  A bare cylinder (b = a) has s_rr = s_tt = 0 and s_zz = -E e (plane strain), no stress at
  all with eps_zz = e (generalized).
- any profile e(r) in a bare solid cylinder of radius b (Timoshenko & Goodier, Theory of
  Elasticity, 3rd ed., sec. 150, with the plane-strain substitution E -> E/(1 - nu^2),
  alpha -> (1 + nu) alpha, so E alpha -> E alpha / (1 - nu)):
      s_rr = E/(1 - nu) ( 1/b^2 int_0^b e r dr - 1/r^2 int_0^r e r dr )
      s_tt = E/(1 - nu) ( 1/b^2 int_0^b e r dr + 1/r^2 int_0^r e r dr - e(r) )
      s_zz = nu (s_rr + s_tt) - E e(r)
- galvanostatic cylinder (flux j inward at r = b, D constant) after the transient (t >> b^2 / D):
  theta = theta0 + 2 j t / b + k (r^2 - b^2 / 2), k = j / (2 D b); with e = (beta / 3)(theta - theta0)
  the time-growing uniform part is stress-free and
      s_rr = E beta k (b^2 - r^2) / (12 (1 - nu)),   s_tt = E beta k (b^2 - 3 r^2) / (12 (1 - nu));
  on delithiation (j < 0) the surface hoop stress s_tt(b) = E beta |k| b^2 / (6 (1 - nu)) is tensile.

Units: any consistent set (stress in the units of E).
"""

from __future__ import annotations

import numpy as np

__all__ = ["coated_cylinder_eigenstrain", "cylinder_eigenstrain_profile", "galvanostatic_cylinder", "lame"]


def lame(E: float, nu: float) -> tuple[float, float]:
    """(lambda, mu) of E, nu."""
    return E * nu / ((1 + nu) * (1 - 2 * nu)), E / (2 * (1 + nu))


def coated_cylinder_eigenstrain(r, a: float, b: float, E1: float, nu1: float, E2: float, nu2: float,
                                e: float, axial: str = "fixed") -> dict[str, np.ndarray]:
    """Stresses (units of E) and radial displacement at radii r of a solid core (radius a,
    eigenstrain e I) bonded to a coating (outer radius b >= a): keys "rr", "tt", "zz", "u",
    "ezz". axial "fixed": plane strain (eps_zz = 0); "free": generalized plane strain (a
    uniform eps_zz with no axial force, int s_zz dA = 0: one more unknown and equation)."""
    r = np.asarray(r, dtype=float)
    l1, m1 = lame(E1, nu1)
    l2, m2 = lame(E2, nu2)
    k1 = 3 * l1 + 2 * m1
    b = max(b, a)
    # unknowns (A, B, C, ezz): u continuous at a; s_rr continuous at a; s_rr(b) = 0; axial force
    # pi a^2 s_zz(core) + pi (b^2 - a^2) s_zz(coating) = 0 (or ezz = 0)
    M = np.array([[a, -a, -1 / a, 0.0],
                  [2 * (l1 + m1), -2 * (l2 + m2), 2 * m2 / a**2, l1 - l2],
                  [0.0, 2 * (l2 + m2), -2 * m2 / b**2, l2],
                  [2 * l1 * a**2, 2 * l2 * (b**2 - a**2), 0.0, (l1 + 2 * m1) * a**2 + (l2 + 2 * m2) * (b**2 - a**2)]])
    rhs = np.array([0.0, k1 * e, 0.0, k1 * e * a**2])
    if axial == "fixed":
        M[3], rhs[3] = [0.0, 0.0, 0.0, 1.0], 0.0
    if b == a:  # bare: B = C = 0
        M[0], M[2], rhs[0], rhs[2] = [0, 1.0, 0, 0], [0, 0, 1.0, 0], 0.0, 0.0
        M[1] = [2 * (l1 + m1), 0, 0, l1]
    A, B, C, ezz = np.linalg.solve(M, rhs)
    core = r <= a
    s_core = 2 * (l1 + m1) * A + l1 * ezz - k1 * e
    rs = np.where(core, 1.0, r)
    return {
        "rr": np.where(core, s_core, 2 * (l2 + m2) * B + l2 * ezz - 2 * m2 * C / rs**2),
        "tt": np.where(core, s_core, 2 * (l2 + m2) * B + l2 * ezz + 2 * m2 * C / rs**2),
        "zz": np.where(core, 2 * l1 * A + (l1 + 2 * m1) * ezz - k1 * e, 2 * l2 * B + (l2 + 2 * m2) * ezz),
        "u": np.where(core, A * r, B * r + C / rs),
        "ezz": ezz,
    }


def cylinder_eigenstrain_profile(r, b: float, e, E: float, nu: float, n: int = 4001) -> dict[str, np.ndarray]:
    """Plane-strain stresses at radii r of a bare solid cylinder (radius b) with the radial
    eigenstrain profile e(r) (a vectorised callable): keys "rr", "tt", "zz". The integrals
    by the trapezoidal rule on n points."""
    r = np.asarray(r, dtype=float)
    s = np.linspace(0.0, b, n)
    f = e(s) * s
    cum = np.concatenate([[0.0], np.cumsum((f[1:] + f[:-1]) / 2 * np.diff(s))])
    inner = np.interp(r, s, cum)
    mean = cum[-1] / b**2
    rs = np.where(r > 0, r, 1.0)
    inner_r2 = np.where(r > 0, inner / rs**2, e(np.zeros(1))[0] / 2)
    c = E / (1 - nu)
    rr = c * (mean - inner_r2)
    tt = c * (mean + inner_r2 - e(r))
    return {"rr": rr, "tt": tt, "zz": nu * (rr + tt) - E * e(r)}


def galvanostatic_cylinder(r, b: float, j: float, D: float, beta: float, E: float, nu: float) -> dict[str, np.ndarray]:
    """Quasi-steady plane-strain stresses of a solid cylinder (radius b) under the inward
    flux j (theta units x length / time) with diffusivity D and volumetric expansion beta =
    Omega c_max: keys "rr", "tt" and "k" (the profile's curvature j / (2 D b))."""
    r = np.asarray(r, dtype=float)
    k = j / (2 * D * b)
    c = E * beta * k / (12 * (1 - nu))
    return {"rr": c * (b**2 - r**2), "tt": c * (b**2 - 3 * r**2), "k": k}

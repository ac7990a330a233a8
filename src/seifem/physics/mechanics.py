"""Small-strain linear elasticity with an isotropic chemical eigenstrain.

    eps = sym grad u,  eps_ch = (beta / 3) (theta - theta_0) I,  beta = Omega c_max,
    sigma = lambda tr(eps - eps_ch) I + 2 mu (eps - eps_ch),  div sigma = 0.

Stresses in GPa when E is in GPa. Radial and hoop components are taken about the particle
centre (the origin of the model).
"""

from __future__ import annotations

import ufl

__all__ = ["eps", "lame", "stress", "radial_unit", "radial_hoop", "von_mises", "hydrostatic", "free_swelling"]


def free_swelling(theta, theta0, beta, curve=None):
    """Free volumetric swelling of the host from theta0 to theta (UFL, dimensionless): the
    linear (Vegard) law beta (theta - theta0), or with `curve` ((theta, V/V0) points of a
    multi-plateau alloy, `materials.phases`) V(theta) - V(theta0), piecewise linear. The
    small-strain eigenstrain is a third of it."""
    if curve is None:
        return beta * (theta - theta0)
    import numpy as np

    from seifem.physics.piecewise import piecewise_linear

    x, y = np.array(curve, dtype=float).T
    return piecewise_linear(curve, theta) - float(np.interp(theta0, x, y))


def eps(u):
    """Small strain tensor sym(grad u)."""
    return ufl.sym(ufl.grad(u))


def lame(E, nu):
    """Lame constants (lambda, mu) from Young's modulus and Poisson's ratio."""
    return E * nu / ((1 + nu) * (1 - 2 * nu)), E / (2 * (1 + nu))


def stress(strain, E, nu):
    """Isotropic Hooke's law sigma = lambda tr(strain) I + 2 mu strain (strain: elastic strain)."""
    lmbda, mu = lame(E, nu)
    return lmbda * ufl.tr(strain) * ufl.Identity(strain.ufl_shape[0]) + 2 * mu * strain


def radial_unit(x, tiny=1e-12):
    """Unit radial vector x/|x| about the origin (zero at the origin itself)."""
    r = ufl.sqrt(ufl.dot(x, x))
    return x / ufl.max_value(r, tiny)


def radial_hoop(sigma, x, tiny=1e-9):
    """(sigma_rr, sigma_hoop) about the origin; sigma_hoop is the mean of the two tangential
    normal stresses, (tr sigma - sigma_rr) / 2. At the origin both equal tr(sigma)/3."""
    n = radial_unit(x)
    r = ufl.sqrt(ufl.dot(x, x))
    srr = ufl.dot(n, ufl.dot(sigma, n))
    mean = ufl.tr(sigma) / 3
    srr = ufl.conditional(ufl.gt(r, tiny), srr, mean)
    return srr, (ufl.tr(sigma) - srr) / 2


def von_mises(sigma):
    """sqrt(3/2 s:s) with s the deviatoric stress."""
    s = ufl.dev(sigma)
    return ufl.sqrt(1.5 * ufl.inner(s, s))


def hydrostatic(sigma):
    """Mean normal stress tr(sigma)/3 (tension positive)."""
    return ufl.tr(sigma) / 3

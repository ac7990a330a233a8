"""Rate-independent J2 (von Mises) plasticity with perfect plasticity, small strain, by the
closed-form radial return (Simo & Hughes, Computational Inelasticity, 1998, box 3.1):

    eps_e_trial = eps(u) - eps_ch - eps_p_n,   sigma_trial = C : eps_e_trial,
    q_trial = sqrt(3/2 s:s),   f = q_trial - sigma_Y,
    dgamma = <f> / (3 mu),     sigma = sigma_trial - 2 mu dgamma (3/2) s / q_trial,
    eps_p = eps_p_n + dgamma (3/2) s / q_trial.

Written in UFL, so the UFL derivative of the residual is the consistent tangent. The
history (eps_p_n) lives at quadrature points and is updated once a step has converged.
"""

from __future__ import annotations

import ufl

from seifem.physics.mechanics import lame

__all__ = ["radial_return"]


def radial_return(strain, eps_p_n, E, nu, sigma_y, tiny=1e-14):
    """(sigma, d_eps_p, dgamma): stress, plastic strain increment and plastic multiplier
    for the total strain `strain` (eigenstrain already removed) and history eps_p_n."""
    lmbda, mu = lame(E, nu)
    ee = strain - eps_p_n
    trial = lmbda * ufl.tr(ee) * ufl.Identity(3) + 2 * mu * ee
    s = ufl.dev(trial)
    q = ufl.sqrt(1.5 * ufl.inner(s, s) + tiny)
    f = q - sigma_y
    dgamma = ufl.conditional(ufl.gt(f, 0), f / (3 * mu), 0)
    flow = 1.5 * s / q
    return trial - 2 * mu * dgamma * flow, dgamma * flow, dgamma

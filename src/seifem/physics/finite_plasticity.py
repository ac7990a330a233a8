"""Finite-strain J2 perfect plasticity with a chemical stretch: the multiplicative
F = F_e F_p F_ch model and return map of Simo (Comput. Methods Appl. Mech. Eng. 66, 199
(1988); Simo & Hughes, Computational Inelasticity, 1998, box 9.1), with the swelling of the
host isotropic, F_ch = J_ch^(1/3) I.

Free energy per intermediate volume: U(J_e) + mu/2 (tr b_e_bar - 3), U = kappa/2 (ln J_e)^2,
b_e_bar the isochoric elastic left Cauchy-Green tensor, J_e = det F / J_ch (plastic flow is
isochoric). The chemical stretch is purely volumetric, so it leaves b_e_bar alone. One step
from the converged state (F_n, b_e_bar_n) to F:

    f = F F_n^-1,  f_bar = det(f)^(-1/3) f,  b_trial = f_bar b_e_bar_n f_bar^T,
    s_trial = mu dev b_trial,  mu_bar = mu tr(b_trial) / 3,
    g = |s_trial| - sqrt(2/3) sigma_Y,   dgamma = <g> / (2 mu_bar),
    s = s_trial - 2 mu_bar dgamma s_trial / |s_trial|,   b_e_bar = s / mu + tr(b_trial)/3 I,
    tau = kappa ln(J_e) I + s (Kirchhoff stress of the elastic part),
    sigma = tau / J_e (Cauchy),  P = J_ch tau F^-T (first Piola-Kirchhoff).

No eigen-decomposition is needed, so states with equal principal stretches (the sphere)
are handled exactly. Written in UFL: the derivative of the residual is the consistent
tangent. Below yield the law is the decoupled neo-Hookean model; at small strain it is
linear elasticity with the eigenstrain (beta/3) theta I and J2 perfect plasticity.
"""

from __future__ import annotations

import ufl

__all__ = ["simo_return"]


def simo_return(F, F_n, be_bar_n, J_ch, E, nu, sigma_y, tiny: float = 1e-14):
    """(P, sigma, be_bar, dgamma): first Piola and Cauchy stress, the updated isochoric
    elastic left Cauchy-Green tensor and the plastic multiplier, for the deformation gradient
    F from the converged F_n and be_bar_n (J_ch: chemical volume ratio, 1 for a passive layer;
    E, sigma_y in one stress unit)."""
    mu, kappa = E / (2 * (1 + nu)), E / (3 * (1 - 2 * nu))
    I = ufl.Identity(3)
    f = F * ufl.inv(F_n)
    f_bar = ufl.det(f) ** (-1.0 / 3.0) * f
    b_trial = f_bar * be_bar_n * f_bar.T
    i_bar = ufl.tr(b_trial) / 3
    s_trial = mu * (b_trial - i_bar * I)
    norm = ufl.sqrt(ufl.inner(s_trial, s_trial) + tiny)
    g = norm - (2.0 / 3.0) ** 0.5 * sigma_y
    mu_bar = mu * i_bar
    dgamma = ufl.conditional(ufl.gt(g, 0), g / (2 * mu_bar), 0)
    s = s_trial - 2 * mu_bar * dgamma * s_trial / norm
    J_e = ufl.det(F) / J_ch
    tau = kappa * ufl.ln(J_e) * I + s
    P = J_ch * tau * ufl.inv(F).T
    return P, tau / J_e, s / mu + i_bar * I, dgamma

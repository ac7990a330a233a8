"""Variational phase-field fracture (Bourdin, Francfort & Marigo, JMPS 48, 797 (2000)): pure
UFL forms and the closed forms the verification checks use.

Energy of a body with damage d in [0, 1] (d = 1: broken):

    Pi(u, d) = int g(d) psi+(eps_e) + psi-(eps_e) dx + G_c / c_w int ( w(d) / l + l |grad d|^2 ) dx

    g(d) = (1 - d)^2 + k                   degradation, k a small residual stiffness
    AT1:  w(d) = d,    c_w = 8/3           (Pham, Amor, Marigo & Maurini, IJDM 20, 618 (2011))
    AT2:  w(d) = d^2,  c_w = 2             (Ambrosio & Tortorelli; Bourdin et al. 2000)

The default is AT1, for three reasons that matter in a particle: it has a purely elastic phase
(no damage until the tensile energy reaches the threshold 3 G_c / (8 l)), so a particle below
its strength keeps d = 0 exactly instead of the diffuse damage AT2 spreads under any load; its
onset stress sqrt(3 E G_c / (8 l)) is a material strength one can compare with measured
strengths when choosing l; and its damage band has a finite width (2 l), so the cracked
volume is well defined. AT1 needs the bound d >= 0 anyway, which a variational-inequality
solver enforces together with irreversibility (d >= d_previous). AT2 is offered with the same
solver for comparison.

Tension-compression split: volumetric-deviatoric (Amor, Marigo & Maurini, JMPS 57, 1209
(2009)), with K the bulk and mu the shear modulus and eps_e the elastic strain,

    psi+ = K/2 <tr eps_e>+^2 + mu dev(eps_e) : dev(eps_e),    psi- = K/2 <tr eps_e>-^2,

so a uniform compression (or the stress-free state of free swelling) drives no damage, while
uniaxial tension degrades the whole energy (psi- = 0 there, the 1D closed forms hold).
At finite strain (elastic, `psi_split_finite`) the same split of a decoupled neo-Hookean
energy, with J = det F and C_bar = J^(-2/3) F^T F (e.g. Hesch & Weinberg, IJNME 99, 906 (2014)),

    psi_vol = K/2 (ln J)^2,   psi_dev = mu/2 (tr C_bar - 3),
    psi+ = psi_dev + psi_vol [J >= 1],   psi- = psi_vol [J < 1],

which reduces to the small-strain split above for small Grad u.
Units: any consistent set; seifem passes E in GPa, lengths in um, G_c in GPa um = kN/m.
"""

from __future__ import annotations

import math

import ufl

__all__ = ["MODELS", "degradation", "crack_density", "c_w", "psi_split", "stress_split", "energy_density",
           "psi_split_finite", "cauchy_split_finite",
           "crack_energy_density", "critical_stress", "damage_threshold"]

MODELS = ("AT1", "AT2")


def c_w(model: str) -> float:
    """Normalisation 4 int_0^1 sqrt(w(s)) ds of the crack density: 8/3 (AT1), 2 (AT2)."""
    return {"AT1": 8.0 / 3.0, "AT2": 2.0}[model]


def degradation(d, k: float = 1e-6):
    """g(d) = (1 - d)^2 + k (k: residual stiffness that keeps the broken phase solvable)."""
    return (1 - d) ** 2 + k


def crack_density(d, model: str):
    """w(d): d (AT1) or d^2 (AT2)."""
    return d if model == "AT1" else d**2


def _split_parts(strain, E, nu):
    dim = strain.ufl_shape[0]
    K = E / (3 * (1 - 2 * nu))  # 3D bulk modulus; a 2x2 strain is plane strain (eps_zz = 0)
    mu = E / (2 * (1 + nu))
    tr = ufl.tr(strain)
    dev = strain - tr / 3 * ufl.Identity(dim)  # in-plane part of the 3D deviator in 2D
    tp, tm = (tr + abs(tr)) / 2, (tr - abs(tr)) / 2
    return K, mu, tp, tm, dev


def psi_split(strain, E, nu):
    """(psi+, psi-) of the volumetric-deviatoric split, energy per volume (units of E)."""
    K, mu, tp, tm, dev = _split_parts(strain, E, nu)
    dev2 = ufl.inner(dev, dev) + (ufl.tr(strain) / 3) ** 2 * (3 - strain.ufl_shape[0])  # + zz part (2D)
    return K / 2 * tp**2 + mu * dev2, K / 2 * tm**2


def stress_split(strain, d, E, nu, k: float = 1e-6):
    """Cauchy stress g(d) d psi+/d eps + d psi-/d eps of the split energy (units of E)."""
    K, mu, tp, tm, dev = _split_parts(strain, E, nu)
    I = ufl.Identity(strain.ufl_shape[0])
    return degradation(d, k) * (K * tp * I + 2 * mu * dev) + K * tm * I


def psi_split_finite(F, E, nu):
    """(psi+, psi-) of the decoupled neo-Hookean energy split at finite strain, energy per
    reference volume (units of E); F the (elastic) deformation gradient, 3 x 3."""
    K = E / (3 * (1 - 2 * nu))
    mu = E / (2 * (1 + nu))
    J = ufl.det(F)
    vol = K / 2 * ufl.ln(J) ** 2
    dev = mu / 2 * (J ** (-2.0 / 3.0) * ufl.tr(F.T * F) - 3)
    tension = ufl.conditional(ufl.ge(J, 1.0), 1.0, 0.0)
    return dev + tension * vol, (1 - tension) * vol


def cauchy_split_finite(F, d, E, nu, k: float = 1e-6):
    """Cauchy stress (1/J) dW/dF F^T of W = g(d) psi+ + psi- at finite strain (units of E)."""
    F = ufl.variable(F)
    plus, minus = psi_split_finite(F, E, nu)
    P = ufl.diff(degradation(d, k) * plus + minus, F)
    return P * F.T / ufl.det(F)


def energy_density(strain, d, E, nu, k: float = 1e-6):
    """Elastic energy per volume g(d) psi+ + psi-."""
    plus, minus = psi_split(strain, E, nu)
    return degradation(d, k) * plus + minus


def crack_energy_density(d, Gc, l, model: str):
    """Surface energy per volume G_c / c_w (w(d)/l + l |grad d|^2); its integral over a fully
    developed crack band is G_c times the crack area (G_c in energy/area, l a length)."""
    return Gc / c_w(model) * (crack_density(d, model) / l + l * ufl.inner(ufl.grad(d), ufl.grad(d)))


def critical_stress(E: float, Gc: float, l: float, model: str) -> float:
    """Peak stress of a homogeneous bar in uniaxial tension (Tanne, Li, Bourdin, Maurini &
    Marigo, JMPS 110, 80 (2018)): AT1 sqrt(3 E G_c / (8 l)) (= the onset of damage), AT2
    (3/16) sqrt(3 E G_c / l) (AT2 damages from the first load). Re-derived for this g and w:
    AT1 minimises (1-d)^2 psi + 3 G_c d / (8 l): d > 0 once psi = E eps^2 / 2 > 3 G_c / (16 l);
    AT2 gives d = E eps^2 / (E eps^2 + G_c / l), whose stress (1-d)^2 E eps peaks at
    eps^2 = G_c / (3 E l)."""
    if model == "AT1":
        return math.sqrt(3 * E * Gc / (8 * l))
    return 3.0 / 16.0 * math.sqrt(3 * E * Gc / l)


def damage_threshold(Gc: float, l: float, model: str) -> float:
    """Tensile energy psi+ (energy per volume) at which AT1 starts to damage: 3 G_c / (16 l)
    (-g'(0) psi+ = G_c w'(0) / (c_w l)); 0 for AT2."""
    return 3 * Gc / (16 * l) if model == "AT1" else 0.0

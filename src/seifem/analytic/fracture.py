"""Closed forms of fracture for the phase-field checks (`tests/verification/test_fracture*.py`,
`bench/bench_griffith.py`). Pure numpy.

- Discrete effective fracture energy of a P1 phase-field crack band on elements of size h
  (Bourdin, Francfort & Marigo, J. Elasticity 91, 5 (2008); Tanne, Li, Bourdin, Maurini &
  Marigo, JMPS 110, 80 (2018)): G_eff = G_c (1 + h / (c_w l)), c_w = 8/3 (AT1), 2 (AT2).
- Shallow surface flaw (edge crack of depth a) in the surface hoop stress of a long cylinder
  of radius b on galvanostatic delithiation, in the quasi-steady regime (t >> b^2 / D): the
  stress along the crack line at depth x is s_tt(b - x) = s_s (1 - 3 x / b + 1.5 x^2 / b^2),
  s_s = E beta |k| b^2 / (6 (1 - nu)) (`cylinders.galvanostatic_cylinder`). The edge crack
  in a half-plane with crack-face load s_s [1 + c1 x/a + c2 (x/a)^2] has
      K = s_s sqrt(pi a) (F0 + F1 c1 + F2 c2),  Fk = (2/pi) int_0^1 s^k G(s) / sqrt(1 - s^2) ds
  with the half-plane edge-crack Green's function G(s) = 1 + (1 - s^2)(0.2945 - 0.3912 s^2 +
  0.7685 s^4 - 0.9942 s^6 + 0.5094 s^8) of Hartranft & Sih (1973), as given in Tada, Paris &
  Irwin, The Stress Analysis of Cracks Handbook, 3rd ed. (2000), p. 8.2: F0 = 1.1215 (the
  handbook's uniform-load factor), F1 = 0.6830 (1.1215 - 0.6830 = 0.4385 for the load
  s_s (1 - x/a), the handbook's 0.439), F2 = 0.5256. Here c1 = -3 a/b, c2 = 1.5 (a/b)^2, and the plane-strain
      G = K^2 (1 - nu^2) / E = Z s_s^2 a / E,   Z = pi (1 - nu^2) F^2,
  the form of Zhao, Pharr, Vlassak & Suo (J. Appl. Phys. 108, 073517 (2010)) for a
  pre-existing flaw in the diffusion-induced stress. The half-plane omits the curvature of
  the cylinder's surface: an O(a/b) error.
- Critical size (Zhao et al.'s scaling): with s_s = E Omega c_max rho / (12 (1 - nu)), rho =
  j b / D the dimensionless rate (j the inward flux in units of theta x length / time), a flaw
  a = alpha b grows once G >= G_c, i.e. for
      b >= b_c = 144 (1 - nu)^2 G_c / (Z alpha E (Omega c_max)^2 rho^2)
                = (144 (1 - nu)^2 (1 - nu^2) / (Z alpha rho^2)) (K_Ic / (E Omega c_max))^2,
  so at a given dimensionless rate the critical size scales as (K_Ic / (E Omega Delta c))^2.
- Critical size for a flaw of fixed depth a (a material or processing property, the same in
  every particle; `flaw_critical_radius`): at a C-rate C (1/s) the flux of a cylinder filled
  in 1/C is j = b C / 2, so s_s = E Omega c_max b^2 C / (24 D (1 - nu)), and G = Z s_s^2 a / E
  reaches G_c at
      b_c^2 = 24 D (1 - nu) / (E Omega c_max C) x sqrt(E G_c / (Z a)),
  i.e. b_c ~ C^(-1/2) (Z depends on a / b_c: solved by fixed point). Equivalently the
  critical flaw at a concentration difference Delta c ~ rho c_max is
  a_c = 144 (1 - nu)^2 (1 - nu^2) / (Z (rho)^2) (K_Ic / (E Omega c_max))^2: Zhao et al.'s
  (K_Ic / (E Omega Delta c))^2, with the flaw depth in the place of the particle size.
- AT1 onset of a homogeneous bar at finite strain (`phase_field.psi_split_finite`): uniaxial
  stretch lambda, lateral stretch t from zero lateral stress, and damage once
  psi+ = psi_dev + psi_vol = 3 G_c / (16 l) (-g'(0) psi+ = G_c / (c_w l)); found by bisection.
- AT1 onset of a chemically strained region under hydrostatic stretch at finite strain
  (`particle_fracture`: F = F_e F_ch, F_ch = J_ch^(1/3) I, W = J_ch psi(F_e) per reference volume,
  the crack energy per reference volume): F_e = J_e^(1/3) I has psi_dev = 0 and, for J_e >= 1,
  psi+ = K/2 (ln J_e)^2; the homogeneous AT1 damage starts where -g'(0) J_ch psi+ = G_c / (c_w l),
      ln J_e,c = sqrt(3 G_c / (8 l K J_ch)),
  e.g. the core of a coated particle that shrinks (J_ch < 1) inside a stiff coating.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["critical_radius", "effective_toughness", "flaw_critical_radius", "galvanostatic_surface_stress", "finite_bar_onset", "finite_hydrostatic_onset", "surface_flaw_G",
           "surface_flaw_factor"]


def effective_toughness(Gc: float, h: float, l: float, model: str = "AT1") -> float:
    """G_c (1 + h / (c_w l)): the fracture energy a P1 crack band of element size h dissipates."""
    return Gc * (1 + h / ((8.0 / 3.0 if model == "AT1" else 2.0) * l))


def _edge_crack_moments() -> tuple[float, float, float]:
    """F0, F1, F2 = (2/pi) int_0^1 s^k G(s) / sqrt(1 - s^2) ds, k = 0, 1, 2, for the half-plane
    edge crack's Green's function G (Hartranft & Sih; see above): with s = sin t the integrand
    is smooth, and 48-point Gauss-Legendre on [0, pi/2] is exact to rounding."""
    x, w = np.polynomial.legendre.leggauss(48)
    t = 0.25 * np.pi * (x + 1)
    s = np.sin(t)
    G = 1 + (1 - s * s) * (0.2945 - 0.3912 * s**2 + 0.7685 * s**4 - 0.9942 * s**6 + 0.5094 * s**8)
    return tuple(float(0.5 * np.sum(w * G * s**k)) for k in range(3))  # (2/pi) (pi/4) sum


EDGE_CRACK_F0, EDGE_CRACK_F1, EDGE_CRACK_F2 = _edge_crack_moments()


def surface_flaw_factor(a_over_b: float) -> float:
    """F = K / (s_s sqrt(pi a)) of a surface flaw of depth a in the quasi-steady galvanostatic
    hoop stress of a cylinder of radius b (half-plane edge crack, see above)."""
    return EDGE_CRACK_F0 + EDGE_CRACK_F1 * (-3 * a_over_b) + EDGE_CRACK_F2 * 1.5 * a_over_b**2


def surface_flaw_G(sigma_s: float, a: float, b: float, E: float, nu: float) -> float:
    """Plane-strain G = Z s_s^2 a / E of that flaw (energy / area, in the units of s_s a)."""
    return math.pi * (1 - nu * nu) * surface_flaw_factor(a / b) ** 2 * sigma_s**2 * a / E


def critical_radius(Gc: float, E: float, nu: float, omega_cmax: float, rate: float, alpha: float) -> float:
    """b_c = 144 (1 - nu)^2 G_c / (Z alpha E (Omega c_max)^2 rate^2) (rate = j b / D, flaw
    depth alpha b, Z at a/b = alpha), length in the units of G_c / E."""
    Z = math.pi * (1 - nu * nu) * surface_flaw_factor(alpha) ** 2
    return 144 * (1 - nu) ** 2 * Gc / (Z * alpha * E * omega_cmax**2 * rate**2)


def galvanostatic_surface_stress(E: float, nu: float, omega_cmax: float, diffusivity: float, c_rate: float,
                                 b: float) -> float:
    """Quasi-steady surface hoop stress E Omega c_max b^2 C / (24 D (1 - nu)) of a long cylinder
    of radius b (m) on galvanostatic delithiation at C (1/s) (flux j = b C / 2; in the units of E)."""
    return E * omega_cmax * b * b * c_rate / (24 * diffusivity * (1 - nu))


def flaw_critical_radius(Gc: float, E: float, nu: float, omega_cmax: float, diffusivity: float, c_rate: float,
                         a: float) -> float:
    """Radius b_c (m) of a long cylinder delithiated at C (1/s) whose surface flaw of depth a (m)
    reaches G = Z s_s^2 a / E = G_c (J/m^2, E in Pa) in the quasi-steady state (see above)."""
    b = a
    for _ in range(100):  # Z(a / b) varies slowly: a contraction (converged to round-off in ~10)
        Z = math.pi * (1 - nu * nu) * surface_flaw_factor(a / b) ** 2
        b = math.sqrt(24 * diffusivity * (1 - nu) / (E * omega_cmax * c_rate) * math.sqrt(E * Gc / (Z * a)))
    return b


def _bisect(f, a: float, b: float, n: int = 200) -> float:
    fa = f(a)
    for _ in range(n):
        m = 0.5 * (a + b)
        if (f(m) > 0) == (fa > 0):
            a, fa = m, f(m)
        else:
            b = m
    return 0.5 * (a + b)


def finite_bar(stretch: float, E: float, nu: float) -> tuple[float, float, float]:
    """Homogeneous neo-Hookean bar (decoupled energy K/2 (ln J)^2 + mu/2 (J^-2/3 tr C - 3))
    stretched by `stretch` with free lateral faces: (lateral stretch, nominal axial stress
    P_11, energy per reference volume), undamaged."""
    K, mu = E / (3 * (1 - 2 * nu)), E / (2 * (1 + nu))

    def stresses(t):
        J = stretch * t * t
        I1 = stretch**2 + 2 * t * t
        # Kirchhoff tau = mu J^-2/3 dev(b) + K ln J I
        tau11 = mu * J ** (-2 / 3) * (stretch**2 - I1 / 3) + K * math.log(J)
        tau22 = mu * J ** (-2 / 3) * (t * t - I1 / 3) + K * math.log(J)
        return tau11, tau22, J, I1

    t = _bisect(lambda t: stresses(t)[1], 0.2, 1.0 + 1e-12)
    tau11, _, J, I1 = stresses(t)
    psi = mu / 2 * (J ** (-2 / 3) * I1 - 3) + K / 2 * math.log(J) ** 2
    return t, tau11 / stretch, psi


def finite_bar_onset(E: float, nu: float, Gc: float, l: float) -> tuple[float, float]:
    """(stretch, nominal stress P_11) of the AT1 damage onset of the bar in uniaxial tension at
    finite strain: psi+ (= psi, J > 1 in tension) = 3 G_c / (16 l)."""
    target = 3 * Gc / (16 * l)
    lam = _bisect(lambda s: finite_bar(s, E, nu)[2] - target, 1.0, 10.0)
    return lam, finite_bar(lam, E, nu)[1]


def finite_hydrostatic_onset(K: float, Gc: float, l: float, J_ch: float) -> float:
    """Elastic volume ratio J_e at which AT1 damage starts under a homogeneous hydrostatic stretch
    at finite strain: exp(sqrt(3 G_c / (8 l K J_ch))) (K the bulk modulus, J_ch the chemical
    volume ratio; consistent units)."""
    return math.exp(math.sqrt(3 * Gc / (8 * l * K * J_ch)))

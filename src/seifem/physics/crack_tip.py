"""Linear-elastic crack-tip mechanics: the mode-I K-field, Irwin's G and the J-integral.
Plane strain, isotropic, any consistent units. The K-field is numpy (a boundary
displacement), the J-integral pure UFL.

- Mode-I K-field (Williams; e.g. Anderson, Fracture Mechanics, 3rd ed., table 2.2), crack on
  the negative x axis, tip at the origin, kappa = 3 - 4 nu (plane strain):
      u_x = K / (2 mu) sqrt(r / (2 pi)) cos(theta/2) (kappa - cos theta)
      u_y = K / (2 mu) sqrt(r / (2 pi)) sin(theta/2) (kappa - cos theta)
  energy release rate (Irwin): G = K^2 (1 - nu^2) / E.
- J-integral (Rice, J. Appl. Mech. 35, 379 (1968)) in its domain form (Li, Shih & Needleman,
  Eng. Fract. Mech. 21, 405 (1985)), crack along x:
      J = int_A ( sigma_ij du_i/dx_1 - W delta_1j ) dq/dx_j dA
  q = 1 inside an inner contour around the tip, 0 outside an outer one, W the strain-energy
  density. Path independent, hence the G of the tip inside, where the material in A is
  homogeneous in x, in equilibrium and unloaded by body forces; in a phase-field solution that
  holds on an annulus outside the process zone (the crack band behind the tip is uniform in x).
  W in energy / volume, J in energy / area (per unit thickness). With an eigenstrain eps*(x)
  (W the energy of eps - eps*) the divergence of the integrand no longer vanishes and the
  domain form gains + int_A sigma_ij d eps*_ij / dx_1 q dA (the thermal-stress J-integral;
  for eps* = e I in plane strain, sigma_ij eps*_ij,1 = (s_xx + s_yy + s_zz) de/dx).
"""

from __future__ import annotations

import math

import numpy as np
import ufl

__all__ = ["annulus_weight", "energy_release_rate", "j_integral", "kfield_displacement", "toughness_for_G"]


def kfield_displacement(x: np.ndarray, y: np.ndarray, K: float, E: float, nu: float) -> np.ndarray:
    """Mode-I plane-strain displacement (2, n) of the K-field at points (x, y), tip at the
    origin, crack faces on theta = +-pi (units of K / E sqrt(length))."""
    mu, kappa = E / (2 * (1 + nu)), 3 - 4 * nu
    r, th = np.hypot(x, y), np.arctan2(y, x)
    a = K / (2 * mu) * np.sqrt(r / (2 * np.pi)) * (kappa - np.cos(th))
    return np.vstack([a * np.cos(th / 2), a * np.sin(th / 2)])


def energy_release_rate(K: float, E: float, nu: float) -> float:
    """Plane-strain G = K^2 (1 - nu^2) / E (energy per area)."""
    return K * K * (1 - nu * nu) / E


def toughness_for_G(G: float, E: float, nu: float) -> float:
    """The K whose plane-strain energy release rate is G: sqrt(E G / (1 - nu^2))."""
    return math.sqrt(E * G / (1 - nu * nu))


def annulus_weight(x, centre: tuple[float, float], r1: float, r2: float):
    """q = 1 for r <= r1, linear to 0 at r = r2, 0 beyond (UFL, r about `centre`)."""
    r = ufl.sqrt((x[0] - centre[0]) ** 2 + (x[1] - centre[1]) ** 2)
    return ufl.max_value(0.0, ufl.min_value(1.0, (r2 - r) / (r2 - r1)))


def j_integral(sigma, u, W, q, eigen_source=None):
    """Integrand of the domain J-integral for a crack along x (integrate with dx): 2D,
    sigma the 2x2 in-plane stress, W the energy density, q the weight; eigen_source: sigma_ij
    d eps*_ij / dx of an eigenstrain (None: none)."""
    grad_u = ufl.grad(u)
    J = ufl.dot(ufl.dot(sigma, grad_u[:, 0]), ufl.grad(q)) - W * ufl.grad(q)[0]
    return J if eigen_source is None else J + eigen_source * q

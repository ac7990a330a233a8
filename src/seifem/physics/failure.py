"""Failure indicators of the SEI membrane, the coating and their interfaces (docs/physics.md "SEI
and coating"; docs/verification.md B5.3, B5.4).

Every indicator is a utilisation: a dimensionless ratio that reaches 1 at failure. The numpy
functions take arrays (broadcast elementwise; tensors as (..., 3, 3), normals as (..., 3)) in any
consistent unit system, SI unless a unit is named; the ``*_ufl`` functions build the same
expressions from UFL strain/stress tensors and the facet normal (model units: GPa, um, so a
toughness in GPa um = kJ m^-2), for evaluation on facets like ``Quantities._sei_expression``.

Choices (tension positive):
* strain utilisation uses the largest in-plane principal strain, so compression gives <= 0;
  the energy utilisation (sign-blind) covers compressive overload.
* channel cracking: steady-state G = Z sigma^2 h / E_bar with the plane-strain modulus
  E_bar = E/(1 - nu^2) (Beuth 1992, Int. J. Solids Struct. 29:1657; Hutchinson & Suo 1992,
  Adv. Appl. Mech. 29:63), as in B5.3 and ``analytic.channel_crack_G``. The factor belongs
  there: the channel's cross-section is a plane-strain crack, and G_ss is the average of the
  edge-crack tip G = K^2/E_bar over the depth, K = 1.1215 sigma sqrt(pi a), giving
  Z = pi 1.1215^2 / 2 = 1.976 without elastic mismatch. docs/physics.md's "Z sigma^2 h / E" drops
  (1 - nu^2), which is 16 % for nu = 0.4. A film more compliant than its substrate (Dundurs
  alpha < 0, the SEI on Si) has a smaller Z (Beuth 1992 [R: recalled, not re-checked]), so
  1.976 errs on the safe side there; Z is an argument. sigma is the in-plane stress normal
  to the crack (largest principal); a compressive film has no channel driving force (G = 0).
* interface: traction t = sigma n of the substrate at the interface (n outward from it);
  normal part opening-positive, shear part its tangential magnitude.
"""

from __future__ import annotations

import numpy as np
import ufl
from numpy.typing import ArrayLike

from seifem.physics.membrane import membrane_strain, projector

__all__ = [
    "Z_CHANNEL", "membrane_principal_strains", "membrane_principal_stresses",
    "membrane_energy_density", "max_elastic_energy", "strain_utilisation", "energy_utilisation",
    "max_principal_stress", "stress_utilisation", "channel_crack_G", "channel_crack_ratio",
    "interface_tractions", "delamination_ratios", "membrane_interface_traction",
    "failed_mask", "failed_area_fraction",
    "membrane_principal_stresses_ufl", "membrane_energy_density_ufl", "strain_utilisation_ufl",
    "energy_utilisation_ufl", "in_plane_max_stress_ufl", "stress_utilisation_ufl",
    "channel_crack_ratio_ufl", "traction_ratios_ufl",
]

Z_CHANNEL = 1.976  # channel crack, no elastic mismatch (Hutchinson & Suo 1992; = pi 1.1215^2/2)


# ----------------------------------------------------------------------------- numpy
def _in_plane(t: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(larger, smaller) in-plane principal values of P t P, P = I - n n (n unit):
    tr/2 +- |dev|/sqrt(2) with dev = P t P - (tr/2) P, exact to round-off also for e1 = e2."""
    t, n = np.asarray(t, dtype=float), np.asarray(n, dtype=float)
    P = np.eye(3) - n[..., :, None] * n[..., None, :]
    ts = P @ t @ P
    tr = np.trace(ts, axis1=-2, axis2=-1)
    dev = ts - 0.5 * tr[..., None, None] * P  # in-plane deviator: no cancellation at e1 = e2
    disc = np.sqrt(0.5 * np.einsum("...ij,...ij->...", dev, dev))
    return tr / 2 + disc, tr / 2 - disc


def membrane_principal_strains(strain: ArrayLike, n: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """In-plane principal strains (e1 >= e2) of the membrane strain P strain P [-]."""
    return _in_plane(strain, n)


def membrane_principal_stresses(e1: ArrayLike, e2: ArrayLike, E: ArrayLike,
                                nu: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Plane-stress principal stresses E/(1-nu^2) (e1 + nu e2), E/(1-nu^2) (e2 + nu e1) [units of E]."""
    e1, e2 = np.asarray(e1, dtype=float), np.asarray(e2, dtype=float)
    c = np.asarray(E) / (1 - np.asarray(nu) ** 2)
    return c * (e1 + nu * e2), c * (e2 + nu * e1)


def membrane_energy_density(e1: ArrayLike, e2: ArrayLike, E: ArrayLike, nu: ArrayLike) -> np.ndarray:
    """Plane-stress strain-energy density w = E/(2(1-nu^2)) (e1^2 + e2^2 + 2 nu e1 e2)
    [J m^-3 for E in Pa] (= sigma_s : eps_s / 2; equibiaxial e gives E e^2/(1 - nu))."""
    e1, e2 = np.asarray(e1, dtype=float), np.asarray(e2, dtype=float)
    return np.asarray(E) / (2 * (1 - np.asarray(nu) ** 2)) * (e1**2 + e2**2 + 2 * nu * e1 * e2)


def max_elastic_energy(E: ArrayLike, eps_y: ArrayLike) -> np.ndarray:
    """"Maximum elastic deformation energy" w_max = E eps_y^2 / 2 [J m^-3 for E in Pa]
    (Gao et al., Joule 5:1860 (2021), read as the uniaxial energy density at the elastic limit; B5.4)."""
    return 0.5 * np.asarray(E, dtype=float) * np.asarray(eps_y, dtype=float) ** 2


def strain_utilisation(e1: ArrayLike, e2: ArrayLike, eps_y: ArrayLike) -> np.ndarray:
    """SEI strain utilisation max(e1, e2) / eps_y [-] (eps_y: elastic strain limit)."""
    return np.maximum(e1, e2) / np.asarray(eps_y, dtype=float)


def energy_utilisation(e1: ArrayLike, e2: ArrayLike, E: ArrayLike, nu: ArrayLike,
                       eps_y: ArrayLike) -> np.ndarray:
    """SEI energy utilisation w / w_max = membrane energy density / (E eps_y^2 / 2) [-]."""
    return membrane_energy_density(e1, e2, E, nu) / max_elastic_energy(E, eps_y)


def max_principal_stress(sigma: ArrayLike) -> np.ndarray:
    """Largest principal value of symmetric (..., 3, 3) stress tensors [units of sigma]."""
    return np.linalg.eigvalsh(np.asarray(sigma, dtype=float))[..., -1]


def stress_utilisation(stress: ArrayLike, strength: ArrayLike) -> np.ndarray:
    """Coating stress utilisation sigma / sigma_f [-]: sigma the largest principal (or hoop)
    stress, sigma_f the tensile strength (same units)."""
    return np.asarray(stress, dtype=float) / np.asarray(strength, dtype=float)


def channel_crack_G(sigma: ArrayLike, h: ArrayLike, E: ArrayLike, nu: ArrayLike,
                    Z: float = Z_CHANNEL) -> np.ndarray:
    """Steady-state channel-crack energy release rate G = Z max(sigma, 0)^2 h (1 - nu^2)/E
    [J m^-2 for Pa and m] of a film of thickness h under in-plane tension sigma (B5.3)."""
    s = np.maximum(np.asarray(sigma, dtype=float), 0.0)
    return Z * s**2 * np.asarray(h) * (1 - np.asarray(nu) ** 2) / np.asarray(E)


def channel_crack_ratio(sigma: ArrayLike, h: ArrayLike, E: ArrayLike, nu: ArrayLike,
                        toughness: ArrayLike, Z: float = Z_CHANNEL) -> np.ndarray:
    """G / Gamma [-], Gamma the film's fracture toughness (energy) [J m^-2]."""
    return channel_crack_G(sigma, h, E, nu, Z) / np.asarray(toughness, dtype=float)


def interface_tractions(sigma: ArrayLike, n: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """(t_n, t_s): normal traction n.sigma.n (opening positive) and shear magnitude
    |t - t_n n| of t = sigma n [units of sigma]; n unit normal of the interface."""
    n = np.asarray(n, dtype=float)
    t = np.einsum("...ij,...j->...i", np.asarray(sigma, dtype=float), n)
    tn = np.einsum("...i,...i->...", t, n)
    return tn, np.linalg.norm(t - tn[..., None] * n, axis=-1)


def delamination_ratios(sigma: ArrayLike, n: ArrayLike, normal_strength: ArrayLike,
                        shear_strength: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """(t_n / S_n, t_s / S_s) [-]: interface tractions over the interface normal and shear
    strengths (same units as sigma). Compressive t_n gives a negative (safe) ratio."""
    tn, ts = interface_tractions(sigma, n)
    return tn / np.asarray(normal_strength, dtype=float), ts / np.asarray(shear_strength, dtype=float)


def membrane_interface_traction(s1: ArrayLike, s2: ArrayLike, h: ArrayLike,
                                radius: ArrayLike) -> np.ndarray:
    """Normal traction (opening positive) that a membrane of thickness h and principal stresses
    s1, s2 exerts on a spherical substrate of the given radius: -h (s1 + s2)/radius (Laplace;
    a compressed SEI pulls away from the particle) [units of s1]."""
    return -np.asarray(h) * (np.asarray(s1) + np.asarray(s2)) / np.asarray(radius)


def failed_mask(*indicators: ArrayLike) -> np.ndarray:
    """True where any indicator is >= 1 (NaN counts as not failed)."""
    if not indicators:
        raise ValueError("failed_mask needs at least one indicator")
    return np.logical_or.reduce([np.asarray(i) >= 1.0 for i in indicators])


def failed_area_fraction(area: ArrayLike, *indicators: ArrayLike, comm=None) -> float:
    """Area-weighted fraction of surface points with any indicator >= 1 [-].

    ``area`` [m^2 or any unit] weights the points; with an MPI ``comm`` both sums are reduced
    over ranks. An empty surface gives 0.
    """
    area = np.asarray(area, dtype=float)
    mask = np.broadcast_to(failed_mask(*indicators), area.shape)
    sums = [float(area[mask].sum()), float(area.sum())]
    if comm is not None:
        sums = [comm.allreduce(s) for s in sums]
    return sums[0] / sums[1] if sums[1] > 0 else 0.0


# ----------------------------------------------------------------------------- UFL
def _principal_ufl(ts, n):
    """(larger, smaller) in-plane principal values of ts = P t P, as ``membrane.principal_in_plane``
    but via the in-plane deviator, so equal values (equibiaxial) carry no sqrt(round-off) error."""
    tr = ufl.tr(ts)
    dev = ts - tr / 2 * projector(n)
    disc = ufl.sqrt(ufl.inner(dev, dev) / 2)
    return tr / 2 + disc, tr / 2 - disc


def membrane_principal_stresses_ufl(strain, n, E, nu):
    """(s1, s2) plane-stress principal stresses of the membrane strain P strain P [units of E]."""
    e1, e2 = _principal_ufl(membrane_strain(strain, n), n)
    c = E / (1 - nu**2)
    return c * (e1 + nu * e2), c * (e2 + nu * e1)


def membrane_energy_density_ufl(strain, n, E, nu):
    """w = E/(2(1-nu^2)) [(1-nu) eps_s:eps_s + nu tr(eps_s)^2], eps_s = P strain P
    (= the principal form; no eigenvalues needed) [units of E]."""
    es = membrane_strain(strain, n)
    tr = ufl.tr(es)
    return E / (2 * (1 - nu**2)) * ((1 - nu) * ufl.inner(es, es) + nu * tr * tr)


def strain_utilisation_ufl(strain, n, eps_y):
    """Largest in-plane principal strain of P strain P over eps_y [-]."""
    return _principal_ufl(membrane_strain(strain, n), n)[0] / eps_y


def energy_utilisation_ufl(strain, n, E, nu, eps_y):
    """membrane_energy_density_ufl / (E eps_y^2 / 2) [-]."""
    return membrane_energy_density_ufl(strain, n, E, nu) / (0.5 * E * eps_y**2)


def in_plane_max_stress_ufl(sigma, n):
    """Largest in-plane principal value of P sigma P. At a traction-free surface (sigma n = 0)
    it is the largest principal stress whenever that is >= 0 (coating surface)."""
    P = projector(n)
    return _principal_ufl(ufl.dot(P, ufl.dot(sigma, P)), n)[0]


def stress_utilisation_ufl(sigma, n, strength):
    """in_plane_max_stress_ufl / strength [-]."""
    return in_plane_max_stress_ufl(sigma, n) / strength


def channel_crack_ratio_ufl(stress, h, E, nu, toughness, Z=Z_CHANNEL):
    """G/Gamma with G = Z max(stress, 0)^2 h (1 - nu^2)/E; stress the film's largest in-plane
    stress (membrane_principal_stresses_ufl(...)[0] or in_plane_max_stress_ufl); toughness in
    units of stress x length (GPa um = kJ m^-2 in model units)."""
    s = ufl.max_value(stress, 0.0)
    return Z * s * s * h * (1 - nu**2) / (E * toughness)


def traction_ratios_ufl(sigma, n, normal_strength, shear_strength):
    """(t_n / S_n, |t_s| / S_s) of t = sigma n at an interface with unit normal n."""
    t = ufl.dot(sigma, n)
    tn = ufl.dot(t, n)
    ts = ufl.sqrt(ufl.max_value(ufl.dot(t, t) - tn * tn, 0.0))
    return tn / normal_strength, ts / shear_strength

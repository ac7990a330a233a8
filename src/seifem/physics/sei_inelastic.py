"""Inelastic SEI layers on an equibiaxially stretched surface (the spherical particle's membrane):
a standard linear solid (visco-elastic, one Maxwell branch) and an elastic-perfectly-plastic law.

Both are scalar laws for the equibiaxial membrane stress sigma [Pa] of one layer against its
equibiaxial in-plane strain e [-] (sigma_1 = sigma_2 = sigma, sigma_n = 0), written with a modulus
that is the biaxial modulus M = E/(1 - nu) of the layer (`biaxial`); with uniaxial E the same
functions are the 1D laws.

Standard linear solid (Zener, Maxwell form): a spring M_inf in parallel with a Maxwell branch
(spring M_1, dashpot eta = M_1 tau):

    sigma = M_inf e + q,    dq/dt = M_1 de/dt - q / tau.

Both branches share nu (the layer relaxes in the ratio of its elastic moduli), an assumption.
Time integration (stated): the exponential integrator, explicit and exact for a strain that is
linear in time over each step,

    q_{n+1} = exp(-dt/tau) q_n + M_1 tau/dt (1 - exp(-dt/tau)) (e_{n+1} - e_n)

(dt = 0: a jump, q += M_1 delta e). So the step size only enters through how well the strain
history is resolved as piecewise linear.

Elastic-perfectly-plastic: von Mises in equibiaxial plane stress is |sigma|, so the layer yields
at |sigma| = sigma_y. Return mapping per step (exact for this one-dimensional yield surface):
trial sigma* = M (e - e_p); if |sigma*| > sigma_y: e_p += (|sigma*| - sigma_y)/M sign(sigma*), sigma = sigma_y sign(sigma*).

Tensile failure of a layer: its largest stress over the history reaching its strength
(`peak_tension`); compression is not counted (buckling/delamination are other checks).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "ElasticPlastic",
    "StandardLinearSolid",
    "biaxial",
    "elastic_stress_history",
    "epp_stress_history",
    "layer_stress_histories",
    "peak_tension",
    "sls_stress_history",
    "survives",
]


def biaxial(E: float, nu: float) -> float:
    """Biaxial modulus M = E/(1 - nu) [Pa]."""
    return E / (1 - nu)


@dataclass(frozen=True)
class StandardLinearSolid:
    """Relaxed modulus E_inf [Pa], Maxwell-branch modulus E_1 [Pa], relaxation time tau [s];
    instantaneous modulus E_inf + E_1. nu [-] shared by both branches."""

    E_inf: float
    E_1: float
    tau: float
    nu: float = 0.35

    def __post_init__(self):
        if not (self.E_inf >= 0 and self.E_1 >= 0 and self.E_inf + self.E_1 > 0 and self.tau > 0):
            raise ValueError(f"invalid standard linear solid {self}")

    @property
    def instantaneous(self) -> float:
        return self.E_inf + self.E_1


@dataclass(frozen=True)
class ElasticPlastic:
    """Young's modulus E [Pa], yield stress sigma_y [Pa] (equibiaxial = von Mises), nu [-]."""

    E: float
    yield_stress: float
    nu: float = 0.35


def sls_stress_history(t: ArrayLike, e: ArrayLike, M_inf: float, M_1: float, tau: float,
                       q0: float = 0.0) -> np.ndarray:
    """Stress [Pa] of the standard linear solid at the times t [s] (non-decreasing) for the strain
    e(t) [-], piecewise linear between the given points (exponential integrator, see module)."""
    t, e = np.asarray(t, dtype=float), np.asarray(e, dtype=float)
    dt, de = np.diff(t), np.diff(e)
    if np.any(dt < 0):
        raise ValueError("times must not decrease")
    x = dt / tau
    decay = np.exp(-x)
    gain = np.where(x > 1e-12, -np.expm1(-x) / np.where(x > 1e-12, x, 1.0), 1.0 - x / 2)  # (1 - e^-x)/x
    q = np.empty_like(e)
    q[0] = q0
    for n in range(dt.size):
        q[n + 1] = decay[n] * q[n] + M_1 * gain[n] * de[n]
    return M_inf * e + q


def epp_stress_history(e: ArrayLike, M: float, sigma_y: float, e_p0: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """(stress [Pa], plastic strain [-]) of the elastic-perfectly-plastic layer along the strain
    path e [-] (return mapping per point, see module)."""
    e = np.asarray(e, dtype=float)
    sig, ep = np.empty_like(e), np.empty_like(e)
    p = e_p0
    for n, en in enumerate(e):
        trial = M * (en - p)
        over = abs(trial) - sigma_y
        if over > 0:
            p += over / M * np.sign(trial)
        sig[n], ep[n] = M * (en - p), p
    return sig, ep


def elastic_stress_history(e: ArrayLike, M: float) -> np.ndarray:
    """Stress [Pa] of an elastic layer of modulus M [Pa]."""
    return M * np.asarray(e, dtype=float)


def peak_tension(stress: ArrayLike) -> float:
    """Largest tensile stress [Pa] of a history (0 if never in tension)."""
    return float(max(0.0, np.max(stress)))


def survives(stress: ArrayLike, strength: float) -> bool:
    """True if the largest tensile stress stays below the strength [Pa]."""
    return peak_tension(stress) < strength


def layer_stress_histories(t: ArrayLike, e: ArrayLike, layers, laws) -> tuple[np.ndarray, np.ndarray]:
    """(stress [Pa] per layer and time, shape (n_layers, n_t); resultant N [N/m] per time) of a
    layered SEI (physics.layered_membrane.SEILayer, inside out) along the equibiaxial surface strain
    history e(t) (measured from each layer's reference strain). `laws[i]` is None (elastic with the
    layer's E, nu), a StandardLinearSolid or an ElasticPlastic (their moduli replace the layer's E;
    the layer's nu makes them biaxial). Elastic layers reproduce layered_membrane.layer_stresses."""
    t, e = np.asarray(t, dtype=float), np.asarray(e, dtype=float)
    out = np.empty((len(layers), e.size))
    for i, (L, law) in enumerate(zip(layers, laws)):
        ei = e - L.reference_strain
        if law is None:
            out[i] = elastic_stress_history(ei, biaxial(L.youngs_modulus, L.poisson_ratio))
        elif isinstance(law, StandardLinearSolid):
            out[i] = sls_stress_history(t, ei, biaxial(law.E_inf, L.poisson_ratio), biaxial(law.E_1, L.poisson_ratio),
                                        law.tau)
        elif isinstance(law, ElasticPlastic):
            out[i] = epp_stress_history(ei, biaxial(law.E, L.poisson_ratio), law.yield_stress)[0]
        else:
            raise TypeError(f"unknown SEI law {law!r}")
    h = np.array([L.thickness for L in layers])
    return out, h @ out

"""A layered SEI membrane: layers inside out (e.g. inner inorganic, outer organic), each a
plane-stress membrane of its own thickness and material, all bonded to the surface they sit on.

Every layer follows the surface strain eps_s = P eps P (P = I - n n), measured from the state in
which that layer formed (`reference_strain`, 0 = formed on the pristine particle), so

    sigma_i = E_i / (1 - nu_i^2) [(1 - nu_i) e_i + nu_i tr(e_i) P],   e_i = eps_s - e_ref,i P  [Pa]
    N = sum_i h_i sigma_i                                            [N/m, force per length]

and on an equibiaxial stretch e: sigma_i = M_i (e - e_ref,i), M_i = E_i/(1 - nu_i) the biaxial
modulus, N = sum_i h_i M_i (e - e_ref,i). Layers share the surface strain but not the stress:
these are the bilayer membrane resultants, not one averaged film. With all e_ref = 0 the layers
act on the particle exactly as one film of thickness h = sum h_i with (`equivalent_film`)

    A = sum h_i E_i/(1 - nu_i^2),  B = sum h_i E_i nu_i/(1 - nu_i^2),  nu = B/A,  E = A (1 - nu^2)/h,

so the existing single-membrane weak form (physics.membrane) carries a layered SEI unchanged
and the per-layer stresses are post-processed from the same strain. A one-layer SEI is the
single membrane of physics.membrane exactly. The membrane model holds while the SEI is thin:
`check_membrane_limit` refuses a total thickness above a fraction of the radius it sits on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from seifem.errors import CaseError
from seifem.physics.membrane import membrane_form, membrane_strain, membrane_stress, projector

__all__ = [
    "MEMBRANE_LIMIT",
    "SEILayer",
    "biaxial_modulus",
    "check_membrane_limit",
    "equivalent_film",
    "layer_stress_ufl",
    "layer_stresses",
    "layer_utilisation",
    "layered_membrane_form",
    "resultant",
]

MEMBRANE_LIMIT = 0.1
"""Largest total SEI thickness over the radius it sits on for the membrane model (h/R; the
through-thickness stress gradient is O(h/R): 0.5 % error at h/R ~ 0.01, see tests)."""


@dataclass(frozen=True)
class SEILayer:
    """One SEI layer: thickness [m], Young's modulus [Pa], Poisson's ratio [-], name, optional
    tensile strength [Pa] (failure per layer) and the in-plane strain at which it formed [-]."""

    thickness: float
    youngs_modulus: float
    poisson_ratio: float
    name: str = ""
    strength: float | None = None
    reference_strain: float = 0.0

    def __post_init__(self):
        if not (self.thickness > 0 and self.youngs_modulus > 0 and -1 < self.poisson_ratio < 0.5):
            raise ValueError(f"invalid SEI layer {self}")


def biaxial_modulus(E: ArrayLike, nu: ArrayLike) -> np.ndarray:
    """M = E/(1 - nu) [Pa]: equibiaxial membrane stress per unit equibiaxial strain."""
    return np.asarray(E) / (1 - np.asarray(nu))


def layer_stresses(e: ArrayLike, layers: Sequence[SEILayer]) -> np.ndarray:
    """Equibiaxial stress [Pa] of each layer under the surface strain e: shape (n_layers, *e.shape)."""
    e = np.asarray(e, dtype=float)
    return np.stack([biaxial_modulus(L.youngs_modulus, L.poisson_ratio) * (e - L.reference_strain) for L in layers])


def resultant(e: ArrayLike, layers: Sequence[SEILayer]) -> np.ndarray:
    """In-plane force per length N = sum h_i sigma_i [N/m] under the equibiaxial surface strain e."""
    h = np.array([L.thickness for L in layers]).reshape((-1,) + (1,) * np.ndim(e))
    return (h * layer_stresses(e, layers)).sum(axis=0)


def equivalent_film(layers: Sequence[SEILayer]) -> tuple[float, float, float]:
    """(h [m], E [Pa], nu) of the single film with the same plane-stress stiffness sum h_i C_i
    (exact for any in-plane strain; the layers' reference strains are not part of it)."""
    h = sum(L.thickness for L in layers)
    A = sum(L.thickness * L.youngs_modulus / (1 - L.poisson_ratio**2) for L in layers)
    B = sum(L.thickness * L.youngs_modulus * L.poisson_ratio / (1 - L.poisson_ratio**2) for L in layers)
    nu = B / A
    return h, A * (1 - nu**2) / h, nu


def layer_utilisation(e: ArrayLike, layers: Sequence[SEILayer]) -> np.ndarray:
    """sigma_i / strength_i per layer (>= 1: that layer fails in tension); nan without a strength."""
    s = layer_stresses(e, layers)
    return np.stack([s[i] / L.strength if L.strength else np.full_like(s[i], np.nan) for i, L in enumerate(layers)])


def check_membrane_limit(layers: Sequence[SEILayer], radius: float, key: str = "sei.layers",
                         limit: float = MEMBRANE_LIMIT) -> None:
    """CaseError(key, ...) if the total thickness exceeds limit x radius [m]."""
    h = sum(L.thickness for L in layers)
    if not h <= limit * radius:
        raise CaseError(key, [L.thickness for L in layers],
                        f"total SEI thickness {h:.3g} m exceeds the membrane limit {limit:g} x radius "
                        f"= {limit * radius:.3g} m; use thinner layers or a resolved SEI")


def layered_membrane_form(strain_u, strain_v, n, layers: Sequence[SEILayer], ds, E_scale: float = 1.0,
                          h_scale: float = 1.0):
    """Stiffness of the layered film: sum_i h_i sigma_i(P eps(u) P) : P eps(v) P ds (UFL), with
    thickness in units of h_scale [m] and moduli in units of E_scale [Pa]. One layer: exactly
    physics.membrane.membrane_form."""
    return sum(membrane_form(strain_u, strain_v, n, L.thickness / h_scale, L.youngs_modulus / E_scale,
                             L.poisson_ratio, ds) for L in layers)


def layer_stress_ufl(strain, n, layer: SEILayer, E_scale: float = 1.0):
    """In-plane stress tensor of one layer (units of E_scale), from its own reference strain."""
    es = membrane_strain(strain, n) - layer.reference_strain * projector(n)
    return membrane_stress(es, n, layer.youngs_modulus / E_scale, layer.poisson_ratio)



"""Thin-layer (membrane) SEI on a surface with unit normal n.

The film of thickness h follows the surface it sits on: its strain is the in-plane part of
the substrate strain, eps_s = P eps P with P = I - n n, measured from the state in which the
film formed (the pristine particle). Plane stress gives

    sigma_s = E / (1 - nu^2) [(1 - nu) eps_s + nu tr(eps_s) P],

so equibiaxial strain e gives sigma_s = E e / (1 - nu). Its stiffness enters the weak form
as the surface integral  h * sigma_s(P eps(u) P) : P eps(v) P ds  (no volume mesh of the
film). See docs/physics.md "SEI and coating" and docs/verification.md B3.1 (membrane limit).
"""

from __future__ import annotations

import ufl

__all__ = ["projector", "membrane_strain", "membrane_stress", "membrane_form", "principal_in_plane"]


def projector(n):
    """Tangential projector P = I - n (x) n."""
    return ufl.Identity(len(n)) - ufl.outer(n, n)


def membrane_strain(strain, n):
    """In-plane strain P strain P."""
    P = projector(n)
    return ufl.dot(P, ufl.dot(strain, P))


def membrane_stress(eps_s, n, E, nu):
    """Plane-stress membrane stress of an isotropic film (same units as E)."""
    return E / (1 - nu**2) * ((1 - nu) * eps_s + nu * ufl.tr(eps_s) * projector(n))


def membrane_form(strain_u, strain_v, n, h, E, nu, ds):
    """Stiffness of a film of thickness h: h * sigma_s(P eps(u) P) : P eps(v) P ds."""
    es_u = membrane_strain(strain_u, n)
    return h * ufl.inner(membrane_stress(es_u, n, E, nu), membrane_strain(strain_v, n)) * ds


def principal_in_plane(t, n):
    """The two in-plane principal values (larger, smaller) of a tensor t already projected
    onto the surface (t = P t P has eigenvalues 0 along n and t1, t2 in the plane)."""
    tr = ufl.tr(t)
    det2 = 0.5 * (tr * tr - ufl.inner(t, t))
    disc = ufl.sqrt(ufl.max_value(tr * tr / 4 - det2, 0.0))
    return tr / 2 + disc, tr / 2 - disc

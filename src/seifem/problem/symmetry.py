"""The symmetry conditions of an octant model (every mechanics field of the particle)."""

from __future__ import annotations

from dolfinx import fem
from petsc4py import PETSc

__all__ = ["symmetry_bcs"]


def symmetry_bcs(W, geo) -> list:
    """u . e_i = 0 on the symmetry plane x_i = 0 of an octant (no other supports); [] for a
    full particle."""
    if not geo.octant:
        return []
    bcs = []
    for i, name in enumerate(("sym_x", "sym_y", "sym_z")):
        Wi = W.sub(i)
        dofs = fem.locate_dofs_topological(Wi, 2, geo.facets(name))
        bcs.append(fem.dirichletbc(PETSc.ScalarType(0.0), dofs, Wi))
    return bcs

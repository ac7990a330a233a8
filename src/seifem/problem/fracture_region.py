"""The pieces of the staggered phase-field solver (`problem.fracture`) that are not its loop:
a material `Region` (measure, moduli, strain, G_c, finite strain), the 2D rigid-body modes of
GAMG's near-nullspace, a float scale of a modulus, the name of a SNES reason."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import ufl
from dolfinx import fem, la
from petsc4py import PETSc

__all__ = ["Region", "modulus_value", "reason_name", "rigid_body_modes_2d"]


@dataclass
class Region:
    """One material region: its measure (one subdomain), moduli (E in stress units, UFL or
    float), the elastic strain as a function of u, G_c (energy / area in the model's units;
    None: the region does not crack), its local cells (None: the whole mesh) and the volume
    weight of its integrals (1; 2 pi r in the axisymmetric twin, where the strain is the 3 x 3
    tensor of the body of revolution); `quadrature_degree` sets the rule of its elastic and damage
forms, or of a plastic region's (`yield_stress`) history points, and, with `volumetric_degree`, integrates the work of its mean
stress on that lower rule (B-bar, `fracture_plastic`); at finite strain (`finite`) `strain(u)` is the elastic
    deformation gradient and `density` the ratio of the volume psi is counted in to the volume
    of `dx` (J_ch for a chemically swollen region: W = J_ch psi(F_e) per reference volume; it
    scales the elastic energy, not the crack energy, which is per reference volume)."""

    dx: ufl.Measure
    E: object
    nu: object
    strain: Callable
    Gc: float | None = None
    cells: np.ndarray | None = None  # local cells of the region (None: all)
    weight: object = 1.0  # integrand weight (UFL scalar), e.g. 2 pi r
    yield_stress: object = None  # J2 perfect plasticity (stress units, `physics.plasticity`); None: elastic
    finite: bool = False  # finite strain: `strain(u)` is the deformation gradient F, split neo-Hookean energy
    density: object = 1.0  # elastic energy per volume of `dx` over psi (UFL scalar): J_ch where psi is per swollen volume
    quadrature_degree: int | None = None  # degree of the elastic forms, or of a plastic region's history points (None: the solver's)
    volumetric_degree: int | None = None  # plastic region: B-bar, its mean stress's work on this degree (None: no B-bar)


def reason_name(reason: int) -> str:
    names = {v: k for k, v in PETSc.SNES.ConvergedReason.__dict__.items() if isinstance(v, int)}
    return names.get(reason, str(reason))


def rigid_body_modes_2d(V):
    """Orthonormal rigid-body modes (2 translations, 1 rotation) of a 2D vector space, for
    GAMG's near-nullspace; returns the nullspace and the arrays backing it."""
    imap, bs = V.dofmap.index_map, V.dofmap.index_map_bs
    basis = [la.vector(imap, bs=bs, dtype=PETSc.ScalarType) for _ in range(3)]
    b = [v.array for v in basis]
    x = V.tabulate_dof_coordinates()
    n = len(x)
    b[0][0:2 * n:2], b[1][1:2 * n:2] = 1.0, 1.0
    b[2][0:2 * n:2], b[2][1:2 * n:2] = -x[:, 1], x[:, 0]
    la.orthonormalize(basis)
    m = bs * imap.size_local
    vecs = [PETSc.Vec().createWithArray(v[:m], bsize=bs, comm=V.mesh.comm) for v in b]
    return PETSc.NullSpace().create(vectors=vecs, comm=V.mesh.comm), [basis, vecs]


def modulus_value(E) -> float:
    """A float for E (a number, a Constant, or an expression of them: its largest Constant)."""
    if isinstance(E, (int, float)):
        return float(E)
    if isinstance(E, fem.Constant):
        return float(np.max(E.value))
    from ufl.algorithms import extract_type

    consts = extract_type(E, ufl.Constant)
    vals = [float(np.max(c.value)) for c in consts if hasattr(c, "value")]
    return max(vals) if vals else 1.0

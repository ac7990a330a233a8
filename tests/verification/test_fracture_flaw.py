"""Diffusion-induced fracture: the energy release rate of a surface flaw in the stress of a
delithiating cylinder, against the fracture-mechanics analysis of intercalation particles
(Zhao, Pharr, Vlassak & Suo, J. Appl. Phys. 108, 073517 (2010): G = Z sigma^2 a / E for a
pre-existing flaw in the diffusion-induced stress; `analytic.fracture`).

A long cylinder (radius b = 1, E = 1, nu = 0.3, plane strain) in the quasi-steady galvanostatic
state of delithiation carries the eigenstrain e(r) = (beta / 3) k r^2 (k < 0; the uniform part
of the profile is stress-free), whose surface hoop stress s_s = E beta |k| b^2 / (6 (1 - nu))
(`analytic.cylinders.galvanostatic_cylinder`) is tensile. A sharp radial edge crack of depth a
(the mode-I symmetric upper half, `geometry.specimens.edge_cracked_half_disc`, P2, element
size a / 40 at the tip) is loaded by it; its G is the domain J-integral with the eigenstrain
term (`physics.crack_tip`), twice the half's, on two annuli around the tip.
"""

from __future__ import annotations

import numpy as np
import pytest
import ufl
from dolfinx import fem
from dolfinx import mesh as dmesh
from dolfinx.fem.petsc import LinearProblem
from mpi4py import MPI

from seifem.analytic.cylinders import galvanostatic_cylinder
from seifem.analytic.fracture import surface_flaw_G
from seifem.geometry.specimens import edge_cracked_half_disc
from seifem.physics import mechanics as mech
from seifem.physics.crack_tip import annulus_weight, j_integral

E, NU, BETA, K_CURV = 1.0, 0.3, 3.0, -0.01


def _plane(t):
    """The in-plane 2x2 block of a 3x3 UFL tensor."""
    return ufl.as_matrix([[t[0, 0], t[0, 1]], [t[1, 0], t[1, 1]]])


def flaw_G(comm, a: float) -> tuple[float, float]:
    """G of the edge crack of depth a (two annuli: a/4-a/2 and a/8-3a/4 around the tip)."""
    mesh = edge_cracked_half_disc(comm, a, a / 40)
    V = fem.functionspace(mesh, ("Lagrange", 2, (2,)))
    x = ufl.SpatialCoordinate(mesh)
    e = BETA / 3 * K_CURV * (x[0] ** 2 + x[1] ** 2)

    def strain3(u):  # plane strain: the elastic strain with eps_zz = 0
        g = mech.eps(u)
        return ufl.as_matrix([[g[0, 0] - e, g[0, 1], 0], [g[1, 0], g[1, 1] - e, 0], [0, 0, -e]])

    w, v = ufl.TrialFunction(V), ufl.TestFunction(V)
    a_form = ufl.inner(mech.stress(mech.eps(w), E, NU), mech.eps(v)) * ufl.dx  # 2x2: plane strain Hooke
    eigen = mech.stress(e * ufl.Identity(3), E, NU)
    L_form = ufl.inner(_plane(eigen), mech.eps(v)) * ufl.dx
    tip = a - 1.0
    lig = dmesh.locate_entities_boundary(mesh, 1, lambda X: np.isclose(X[1], 0.0) & (X[0] > tip - 1e-12))
    V0, _ = V.sub(0).collapse()
    pin = fem.locate_dofs_geometrical((V.sub(0), V0), lambda X: np.isclose(X[0], 1.0) & np.isclose(X[1], 0.0))
    bcs = [fem.dirichletbc(np.float64(0.0), fem.locate_dofs_topological(V.sub(1), 1, lig), V.sub(1)),
           fem.dirichletbc(fem.Function(V0), pin, V.sub(0))]  # symmetry; u_x = 0 at (1, 0)
    problem = LinearProblem(a_form, L_form, bcs=bcs, petsc_options_prefix="flaw_",
                            petsc_options={"ksp_type": "preonly", "pc_type": "lu"})
    u = problem.solve()
    eps3 = strain3(u)
    sigma = mech.stress(eps3, E, NU)
    W = 0.5 * ufl.inner(sigma, eps3)
    source = ufl.tr(sigma) * ufl.grad(e)[0]  # sigma_ij d(e delta_ij)/dx
    Js = []
    for r1, r2 in ((a / 4, a / 2), (a / 8, 3 * a / 4)):
        q = annulus_weight(x, (tip, 0.0), r1, r2)
        form = fem.form(j_integral(_plane(sigma), u, W, q, source) * ufl.dx)
        Js.append(2 * comm.allreduce(fem.assemble_scalar(form), op=MPI.SUM))  # both halves
    return Js[0], Js[1]


@pytest.mark.slow
def test_surface_flaw_energy_release_rate(comm):
    """G of surface flaws a / b = 0.01 and 0.02 vs Z s_s^2 a / E (half-plane edge crack in the
    graded hoop stress). Measured: +0.86 % and +2.55 % (the half-plane omits the surface's
    curvature: an O(a / b) difference, +5.9 % at 0.04, +13 % at 0.08); the two annuli agree to
    0.16 % (path independence); serial and 2 ranks. Tolerances 2.5 % and 5 %, and the
    difference must shrink with a / b."""
    s_s = float(galvanostatic_cylinder(1.0, 1.0, 2 * K_CURV, 1.0, BETA, E, NU)["tt"])
    assert s_s > 0  # delithiation: tensile surface hoop stress
    errors = []
    for a, tol in ((0.01, 0.025), (0.02, 0.05)):
        J1, J2 = flaw_G(comm, a)
        assert J2 == pytest.approx(J1, rel=5e-3)
        ref = surface_flaw_G(s_s, a, 1.0, E, NU)
        errors.append(J1 / ref - 1)
        assert J1 == pytest.approx(ref, rel=tol)
    assert abs(errors[0]) < 0.6 * abs(errors[1])

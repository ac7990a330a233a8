"""Griffith check of the phase-field fracture solver (`seifem.problem.griffith`): a pre-cracked
unit disc (E = 1, nu = 0.3, G_c = 1, plane strain, AT1, P1) under the mode-I K-field held at the
origin; the energy release rate of the tip is the domain J-integral on the annulus
0.3 <= r <= 0.6 (`physics.crack_tip`).

- the J-integral itself: of the interpolated K-field, on the upper half of the cracked-disc
  mesh (the crack line is a mesh edge, so no cell straddles the crack), equals G / 2;
- Griffith: the crack tip does not move while J < 0.95 G_eff, and advances at loads where
  J = G_eff = G_c (1 + 3 h / (8 l)) within 5 % (the discrete fracture energy of the band).
"""

from __future__ import annotations

import numpy as np
import pytest
import ufl
from dolfinx import fem
from mpi4py import MPI

from seifem.analytic.fracture import effective_toughness
from seifem.geometry.specimens import cracked_disc
from seifem.physics import mechanics as mech
from seifem.physics import phase_field as pf
from seifem.physics.crack_tip import annulus_weight, energy_release_rate, j_integral, kfield_displacement

NU = 0.3


def test_j_integral_of_the_k_field(comm):
    """K-field with K = 2 (G = 4 (1 - nu^2) = 3.64) interpolated (P1) on the cracked disc
    (h = 0.0125 near the crack line, 0.05 elsewhere), J over the upper half of the annulus
    0.3 <= r <= 0.6 vs G / 2. Measured +1.15e-3 relative, serial and 2 ranks (P1 interpolation on the 0.05 cells)."""
    mesh = cracked_disc(comm, 0.0125, 0.15, (-1.0, 0.3), coarse=0.05)
    u = fem.Function(fem.functionspace(mesh, ("Lagrange", 1, (2,))))
    K = 2.0
    # the crack line's nodes take the upper face's values (y = +0: theta = pi)
    u.interpolate(lambda x: kfield_displacement(x[0], np.where(np.abs(x[1]) < 1e-12, 0.0, x[1]), K, 1.0, NU))
    x = ufl.SpatialCoordinate(mesh)
    eps, d = mech.eps(u), fem.Constant(mesh, 0.0)
    upper = ufl.conditional(ufl.gt(x[1], 0.0), 1.0, 0.0)  # cells lie on one side of the crack line
    form = j_integral(pf.stress_split(eps, d, 1.0, NU, 0.0), u, pf.energy_density(eps, d, 1.0, NU, 0.0),
                      annulus_weight(x, (0.0, 0.0), 0.3, 0.6)) * upper * ufl.dx
    J = comm.allreduce(fem.assemble_scalar(fem.form(form)), op=MPI.SUM)
    assert J == pytest.approx(energy_release_rate(K, 1.0, NU) / 2, rel=2.5e-3)


@pytest.mark.slow
def test_griffith_propagation(comm):
    """AT1, l = 0.05, h = l / 4 (G_eff = 1.094 G_c), staggered tolerance 1e-3; after the
    relaxing solve at lambda = 1, loads lambda = 1.06, 1.10, 1.14 (nominal G = lambda^2 G_c =
    1.124, 1.210, 1.300: the J-integral, not lambda^2, is the tip's G). Measured, serial and
    2 ranks alike: 1.06: J = 1.030 G_c, no growth; 1.10: J = 1.080 (J / G_eff - 1 = -1.3 %),
    the process zone grows, the tip (d > 0.95) not yet; 1.14: the tip advances 3 elements at
    J = 1.085 G_c, J / G_eff - 1 = -0.8 %. Tolerance 5 % (the issue's; the J-integral alone
    is exact to 1.2e-3). 16 + 40 + 75 staggered iterations: ~12 s of CPU."""
    from seifem.problem.griffith import KFieldDisc

    l = 0.05
    h = l / 4
    disc = KFieldDisc(comm, l, h)
    g_eff = effective_toughness(1.0, h, l, "AT1")
    try:
        tip0 = disc.tip()
        steps = [disc.load(lam) for lam in (1.06, 1.10, 1.14)]
    finally:
        disc.destroy()
    grown = 0
    for before, s in zip([tip0] + [s.tip for s in steps], steps):
        if s.J < 0.95 * g_eff:
            assert s.tip == before, f"the tip moved at J = {s.J:.4f} < 0.95 G_eff"
        if s.tip > before + 0.5 * h:
            grown += 1
            assert s.J == pytest.approx(g_eff, rel=0.05)
    assert grown >= 1
    assert steps[-1].tip > tip0 + 2 * h

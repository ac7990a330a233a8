"""The per-region patch recovery (`physics.recovery.PatchRecovery`) reproduces a quadratic
field exactly at every vertex, inside a region, on its boundary (extrapolated from the
interior patches) and on symmetry planes (with the parity of each component), and keeps a
jump between two regions. Serial and on 2 ranks."""

from __future__ import annotations

import numpy as np
import ufl
from dolfinx import fem, mesh

from seifem.physics.recovery import PatchRecovery


def _field(x, region):
    """Two components per point: one even in x, y and z, one odd in x (and y); different
    quadratics in the two regions (a jump at x = 0.5)."""
    x0, x1, x2 = x[..., 0], x[..., 1], x[..., 2]
    s = 1.0 if region == "left" else -2.0
    return np.stack([s * (1 + x0**2 + 2 * x1**2 - x2**2) + 3 * (region == "right"),
                     s * x0 * x1], axis=-1)


def test_patch_recovery_is_exact_for_quadratics(comm):
    msh = mesh.create_box(comm, [[0, 0, 0], [1, 1, 1]], [6, 5, 4], mesh.CellType.tetrahedron,
                          ghost_mode=mesh.GhostMode.shared_facet)
    tdim = msh.topology.dim
    ncell = msh.topology.index_map(tdim).size_local + msh.topology.index_map(tdim).num_ghosts
    mid = mesh.compute_midpoints(msh, tdim, np.arange(ncell, dtype=np.int32))
    cells = {"left": np.flatnonzero(mid[:, 0] < 0.5).astype(np.int32),
             "right": np.flatnonzero(mid[:, 0] >= 0.5).astype(np.int32)}
    rec = PatchRecovery(msh, cells, 2, planes=(0, 1, 2))
    xq = fem.Expression(ufl.SpatialCoordinate(msh), rec.points)
    odd = np.array([[False, False, False], [True, True, False]])
    worst = 0.0
    for region in cells:
        c = rec.cells[region]
        values = _field(xq.eval(msh, c).reshape(len(c), len(rec.points), 3), region)
        x, v = rec(region, values, odd)
        exact = _field(x, region)
        on_plane = np.any(np.abs(x) < 1e-12, axis=1)
        # the odd component is zero on the symmetry planes x = 0 and y = 0 (its mirror image)
        exact[:, 1] = np.where((np.abs(x[:, 0]) < 1e-12) | (np.abs(x[:, 1]) < 1e-12), 0.0, exact[:, 1])
        # exact except where two boundaries that are not symmetry planes meet (edges of the box
        # at x = 1, y = 1, z = 1 and the interface: a particle has none), which fall back to the
        # linear fit
        lim = np.array([0.5 if region == "left" else 1.0, 1.0, 1.0])
        walls = (np.abs(x - lim) < 1e-12).sum(axis=1) + (np.abs(x[:, 0] - 0.5) < 1e-12) * (region == "right")
        inside = walls < 2
        worst = max(worst, float(np.abs(v - exact)[inside].max()) if inside.any() else 0.0)
        # the interface x = 0.5 has vertices in both regions, each with its own side's value
        assert comm.allreduce(int(np.sum(np.abs(x[:, 0] - 0.5) < 1e-12)), op=__import__("mpi4py").MPI.SUM) > 0
        assert comm.allreduce(int(on_plane.sum()), op=__import__("mpi4py").MPI.SUM) > 0
    worst = comm.allreduce(worst, op=__import__("mpi4py").MPI.MAX)
    if comm.rank == 0:
        print(f"\n[patch recovery] largest error on quadratics {worst:.1e}")
    assert worst < 1e-9, worst  # measured 3e-14 (round-off)

"""The plastic history of a region lives on that region's cells only: a coated Si particle with
a plastic core (small and finite strain) reports as `core_plastic_strain_max` the largest
plastic measure over the core's quadrature points, evaluated here independently of the
history's storage (a UFL expression of the measure at the core's points), and zero while no
core point has yielded. Before the fix the core's return map was also run on the coating's
cells, so a coating strained past the core's yield strain showed up as core plastic strain
(0.0027 after 3 steps of this lithiation, with a plastic fraction of 0)."""

from __future__ import annotations

import basix
import numpy as np
import pytest
from dolfinx import fem
from mpi4py import MPI

from helpers import make_case
from seifem.geometry import build
from seifem.problem.particle import ParticleProblem


@pytest.mark.parametrize("mechanics", ["small-strain", "finite-strain"])
def test_core_plastic_columns_read_the_core_only(comm, mechanics):
    case = make_case(particle={"material": "Si", "radius": "2.5 um"},
                     coating={"material": "carbon", "thickness": "50 nm"},
                     sei={"material": "sei-carbonate", "thickness": "20 nm"},
                     geometry={"mesh_size": "0.6 um"}, physics={"mechanics": mechanics, "plasticity": True})
    p = ParticleProblem(case, build(case, comm))
    nl, mesh = p.nonlinear, p.geo.mesh
    points, _ = basix.make_quadrature(mesh.basix_cell(), nl.qdeg)
    measure = fem.Expression(nl.plastic_measure["core"], points)
    core = p.geo.cells("core")
    core = core[core < mesh.topology.index_map(3).size_local]
    fractions = []
    for _ in range(3):
        p.advance(15.0, 1.0)
        row = nl.scalars()
        local = float(measure.eval(mesh, core).max()) if core.size else 0.0
        expected = comm.allreduce(local, op=MPI.MAX)
        assert row["core_plastic_strain_max"] == pytest.approx(expected, rel=1e-12, abs=1e-15)
        if row["core_plastic_fraction"] == 0.0:
            assert row["core_plastic_strain_max"] == 0.0
        fractions.append(row["core_plastic_fraction"])
    assert np.all(np.diff(fractions) >= 0.0)

"""gmsh runs on rank 0 only; a failure there must reach every rank as the same GeometryError
(never a hang), and a good model must come back distributed with its physical groups."""

import pytest
from mpi4py import MPI

from seifem.errors import GeometryError
from seifem.geometry.gmsh_rank0 import mesh_on_rank0


def test_a_gmsh_failure_on_rank_0_is_the_same_error_on_every_rank():
    def bad() -> None:
        import gmsh

        gmsh.model.occ.addSphere(0, 0, 0, -1.0)  # gmsh raises a plain Exception

    with pytest.raises(GeometryError) as exc:
        mesh_on_rank0(MPI.COMM_WORLD, "the test object", bad, gdim=3)
    assert str(exc.value).startswith("gmsh failed to mesh the test object: ")
    assert MPI.COMM_WORLD.allgather(str(exc.value)) == [str(exc.value)] * MPI.COMM_WORLD.size


def test_a_built_model_is_distributed_with_its_groups():
    def disc() -> None:
        import gmsh

        gmsh.model.add("disc")
        d = gmsh.model.occ.addDisk(0, 0, 0, 1.0, 1.0)
        gmsh.model.occ.synchronize()
        gmsh.model.addPhysicalGroup(2, [d], 1, name="core")
        gmsh.option.setNumber("Mesh.MeshSizeMax", 0.2)
        gmsh.model.mesh.generate(2)

    data = mesh_on_rank0(MPI.COMM_WORLD, "the disc", disc, gdim=2)
    cells = MPI.COMM_WORLD.allreduce(data.mesh.topology.index_map(2).size_local)
    assert cells > 50 and "core" in data.physical_groups

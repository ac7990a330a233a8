"""Particle shapes beyond the sphere (`geometry.shape`): ellipsoids against their 2D
axisymmetric twin and exact volumes, coatings grown as offset layers of uniform thickness,
porous particles (achieved porosity), imported STEP / STL solids, and free swelling of every
shape (a uniform eigenstrain in a body with free surfaces is stress-free: exact in P2)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from dolfinx import fem
from mpi4py import MPI

from helpers import make_case
from seifem.geometry import build
from seifem.problem.particle import ParticleProblem
from seifem.problem.quantities import Quantities

MESHES = Path(__file__).resolve().parents[2] / "meshes"


def _total(geo, expr) -> float:
    return geo.mesh.comm.allreduce(fem.assemble_scalar(fem.form(expr)), op=MPI.SUM)


def _axis_profile(q, axis: int) -> np.ndarray:
    """(distance, region, sigma_rr, sigma_hoop) at the 3D DG nodes on a coordinate axis,
    averaged per (distance, region) like the 2D twin's `profiles`; the same on every rank."""
    x = q.S.tabulate_dof_coordinates()
    rows = []
    for i, region in enumerate(q.regions):
        d = q.owned_dofs(q.S, q.cells[region])
        on = np.all(np.abs(x[d][:, [k for k in range(3) if k != axis]]) < 1e-9, axis=1)
        rows.append(np.column_stack([np.abs(x[d][on, axis]), np.full(on.sum(), i),
                                     q.fields["sigma_rr"].x.array[d][on], q.fields["sigma_tt"].x.array[d][on]]))
    a = np.vstack(q.p.comm.allgather(np.vstack(rows)))
    _, inv = np.unique(np.column_stack([np.round(a[:, 0] * 1e8), a[:, 1]]), axis=0, return_inverse=True)
    inv = np.ravel(inv)
    return np.column_stack([np.bincount(inv, weights=a[:, j]) / np.bincount(inv) for j in range(4)])


FREE = 1e-6
"""Free swelling: stresses below this fraction of the constrained stress scale E beta theta / 3
(the linear solver's tolerance is 1e-10)."""


def _scale_MPa(p, theta=0.01) -> float:
    return p.moduli["core"][0] * 1e3 * p.beta * theta / 3


def _swell(case, comm, theta=0.01):
    """Uniform theta in the core, mechanics solved: (problem, quantities, history row)."""
    p = ParticleProblem(case, build(case, comm))
    p.theta.x.array[fem.locate_dofs_topological(p.V, 3, p.geo.cells("core"))] = theta
    p.solve_mechanics()
    q = Quantities(p)
    q.update()
    return p, q, q.scalars()


def _offset_layer_ok(geo, name: str, inner: str, t: float) -> None:
    """A layer of uniform thickness t on a smooth surface holds t (A_in + A_out) / 2 to O(t^3)
    (Steiner: V = A t + M t^2, A_out = A + 2 M t); a layer scaled with the core would not."""
    one = fem.Constant(geo.mesh, 1.0)
    vol = _total(geo, one * geo.dx(name))
    a_in = _total(geo, one("+") * geo.dS(inner))
    a_out = _total(geo, one * geo.ds("outer"))
    assert vol == pytest.approx(t * (a_in + a_out) / 2, rel=2e-3)


# ----------------------------------------------------------------------------- ellipsoid
@pytest.mark.slow
def test_spheroid_matches_axisymmetric_twin(comm):
    """Prolate Si spheroid (aspect 1.5) with a 100 nm carbon coating and a 10 nm membrane SEI,
    5 s at 1C: the 3D octant and the 2D axisymmetric twin of the same design give the centre
    stress, the core's surface hoop stress at the equator and the pole, the coating's largest
    hoop stress and the SEI stress within 1.5 %. The difference is the 3D discretisation
    (the 2D mesh is twice as fine): measured on the bare spheroid it falls from 1.0 % to 0.6 %
    at the pole and 0.25 % to 0.09 % at the centre when h goes from R/6 to R/8.5; with the
    coating, at h = R/6, 0.1-0.5 %."""
    from seifem.reduced.axisym import AxisymProblem
    from seifem.reduced.design import design_from_case

    case = make_case(geometry={"aspect_ratio": 1.5, "mesh_size": "0.1667 um", "surface_mesh_size": "0.0833 um"},
                     coating={"material": "carbon", "thickness": "100 nm"},
                     sei={"material": "sei-carbonate", "thickness": "10 nm"})
    assert case.geometry.shape == "ellipsoid"
    p3 = ParticleProblem(case, build(case, comm))
    q3 = Quantities(p3)
    p2 = AxisymProblem(design_from_case(case), comm, aspect_ratio=1.5, mesh_size=0.0833, surface_mesh_size=0.0417)
    for _ in range(5):
        p3.advance(1.0, 1.0)
        p2.advance(1.0, 1.0)
    q3.update()
    r3, r2 = q3.scalars(), p2.scalars()
    for key in ("core_st_min_MPa", "core_sr_max_MPa", "coating_st_max_MPa", "sei_stress_max_MPa"):
        assert r3[key] == pytest.approx(r2[key], rel=0.015), key
    for name, axis in (("equator", 0), ("axis", 2)):
        a3, a2 = _axis_profile(q3, axis), p2.profiles(name)
        s3, s2 = np.flatnonzero(a3[:, 1] == 0)[-1], np.flatnonzero(a2["region"] == 0)[-1]
        assert a3[s3, 0] == pytest.approx(a2["r"][s2] * 1e6, rel=1e-9)  # the same surface point
        assert a3[s3, 3] == pytest.approx(a2["sigma_t"][s2] / 1e6, rel=0.015), name
        assert a3[0, 2] == pytest.approx(a2["sigma_r"][0] / 1e6, rel=0.015)  # centre
    p3.destroy()
    p2.destroy()


def test_triaxial_ellipsoid_with_offset_coating(comm):
    """Tri-axial ellipsoid (semi-axes R, 0.8 R, 1.3 R) with a 50 nm coating: the core volume
    is 4 pi abc / 3 (octant: / 8) to 1e-5 (curved P2 geometry), the coating has a uniform
    thickness (offset layer), and free swelling of the bare ellipsoid is stress-free."""
    case = make_case(geometry={"aspect_ratio": 1.3, "aspect_ratio_y": 0.8, "mesh_size": "0.25 um"},
                     coating={"material": "carbon", "thickness": "50 nm"})
    geo = build(case, comm)
    one = fem.Constant(geo.mesh, 1.0)
    assert _total(geo, one * geo.dx("core")) == pytest.approx(4 * np.pi * 0.8 * 1.3 / 3 / 8, rel=1e-5)
    _offset_layer_ok(geo, "coating", "interface", 0.05)
    p, _, row = _swell(make_case(geometry={"aspect_ratio": 1.3, "aspect_ratio_y": 0.8, "mesh_size": "0.25 um"}), comm)
    assert row["core_vm_max_MPa"] < FREE * _scale_MPa(p)


# ----------------------------------------------------------------------------- porous
@pytest.mark.slow
def test_porous_particle(comm):
    """1 um Si particle (octant: mirror-symmetric pores, 40 in all), porosity 0.15 of 0.16 um
    pores (seed 1, 70 nm ligaments and surface elements), closed: the meshed porosity is the
    request within 0.2 % (relative; measured 0.076 %: the sampled pores hold exactly 0.15, the
    mesh's curved P2 pore spheres fall short by O(h^4)), free swelling is stress-free, and with the pores open the flux enters through the
    pore surfaces too (ion inventory = applied current)."""
    geo_keys = {"shape": "porous", "porosity": 0.15, "pore_radius": "0.16 um", "min_ligament": "70 nm", "seed": 1,
                "mesh_size": "0.25 um", "surface_mesh_size": "70 nm"}
    p, _, row = _swell(make_case(geometry=geo_keys), comm)
    rep, geo = p.geo.report, p.geo
    assert rep["porosity"] == pytest.approx(0.15, rel=2e-3)  # measured 7.6e-4
    assert rep["pore_count"] == 8 * len(p.case.geometry.pore_layout) == 40 and rep["area_um2"]["pores"] > 0
    assert row["core_vm_max_MPa"] < FREE * _scale_MPa(p)
    p.destroy()
    p = ParticleProblem(make_case(geometry={**geo_keys, "pores": "open"}), geo)  # the same mesh
    assert p.flux_surfaces == ["outer", "pores"] and p.sei_surfaces == ["outer", "pores"]
    assert 8 * p.flux_area == pytest.approx(rep["area_um2"]["outer"] + rep["area_um2"]["pores"], rel=1e-9)
    for _ in range(2):
        p.advance(1.0, 1.0)
    inventory = p.integrate(p.theta * p.geo.dx("core")) / p.core_volume
    assert inventory == pytest.approx(2.0 / 3600, rel=1e-8)
    p.destroy()


# ----------------------------------------------------------------------------- imported files
def _file_keys(name: str) -> dict:
    return {"shape": "file", "file": str(MESHES / name), "domain": "full", "mesh_size": "0.4 um",
            "surface_mesh_size": "0.2 um"}


@pytest.mark.slow
@pytest.mark.parametrize("name", ["particle.step", "particle.stl"])
def test_imported_shape(comm, name):
    """The shipped STEP and STL particles mesh, swell freely without stress, take galvanostatic
    steps (inventory exact) and carry a 20 nm offset coating of uniform thickness."""
    p, _, row = _swell(make_case(geometry=_file_keys(name)), comm)
    assert row["core_vm_max_MPa"] < FREE * _scale_MPa(p) and p.geo.report["volume_um3"]["core"] > 4.0
    p.theta.x.array[:] = 0.0
    for _ in range(2):
        p.advance(1.0, 1.0)
    assert p.integrate(p.theta * p.geo.dx("core")) / p.core_volume == pytest.approx(2.0 / 3600, rel=1e-8)
    p.destroy()
    case = make_case(geometry=_file_keys(name), coating={"material": "carbon", "thickness": "20 nm"})
    _offset_layer_ok(build(case, comm), "coating", "interface", 0.02)


@pytest.mark.slow
def test_imported_run(comm, shared_tmp):
    """A run of the coated STEP particle writes its history, with the coating in tension."""
    from helpers import read_csv
    from seifem.simulation.run import run_case

    case = make_case(geometry=_file_keys("particle.step"), coating={"material": "carbon", "thickness": "20 nm"},
                     protocol={"steps": [{"mode": "lithiate", "c_rate": "1 C", "duration": "3 s"}]})
    run_case(case, shared_tmp, comm)
    h = read_csv(shared_tmp / "history.csv")
    assert len(h["time_s"]) == 4 and h["coating_st_max_MPa"][-1] > 0
    assert h["ions_mol"][-1] == pytest.approx(h["applied_ions_mol"][-1], rel=1e-8)

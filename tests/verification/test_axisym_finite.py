"""Finite strain in the 2D axisymmetric twin (`reduced.axisym_finite`: the 3D neo-Hookean law
with the chemical stretch, a St Venant-Kirchhoff SEI film): free swelling by 300 % against its
closed form, a coated sphere with an SEI against the 1D twin's finite strain, and a few
cycle-life cycles at finite strain that keep their lithium balance. The meridian mesh is
distributed over the ranks; every rank asserts the same reduced numbers."""

from __future__ import annotations

import pytest
from mpi4py import MPI

from helpers import EXTREMES
from seifem.reduced.axisym import AxisymProblem
from seifem.reduced.radial import RadialDesign, RadialLayer, RadialProblem

SI = {"radius": 1e-6, "youngs_modulus": 80e9, "poisson_ratio": 0.22, "diffusivity": 1e-14,
      "max_concentration": 310970.0, "partial_molar_volume": 9.03e-6}


def test_free_swelling_by_300_percent(comm):
    """A bare sphere swollen uniformly to V/V0 = 4 (beta = 30, theta 0 -> 0.1, two load
    increments): u = (J^(1/3) - 1) x at every node, no stress, volume change J - 1 (P2 on the
    curved mesh holds the linear field exactly: round-off)."""
    d = RadialDesign(**{**SI, "partial_molar_volume": 30 / SI["max_concentration"]}, initial_soc=0.0,
                     finite_strain=True)
    p = AxisymProblem(d, comm, mesh_size=1 / 3)
    p.equilibrate(0.1)
    row = p.scalars()
    k = 4.0 ** (1 / 3) - 1
    x = p.W.tabulate_dof_coordinates()[:, :2]
    err = abs(p.u.x.array.reshape(-1, 2) - k * x).max() / k
    err = comm.allreduce(err, op=MPI.MAX)
    stress = max(abs(v) for key, v in row.items() if key.endswith("_MPa"))
    p.destroy()
    if comm.rank == 0:
        print(f"\n[2D finite free swelling] u {err:.1e}, stress {stress:.1e} MPa, volume {row['volume_change'] - 3:+.1e}")
    assert err < 1e-12  # measured 2.5e-13
    assert stress < 1e-6  # MPa, measured 1.3e-8 (against ~1e5 MPa of the neo-Hookean at this stretch if F_e = F)
    assert row["volume_change"] == pytest.approx(3.0, rel=1e-12)  # measured 3.7e-13


@pytest.mark.slow
def test_coated_sphere_matches_the_1d_twin(comm):
    """1 um Si + 200 nm coating (100 GPa, 0.25) + 20 nm SEI film (50 GPa, 0.3) at finite strain,
    swollen uniformly to theta = 0.3 (47 % volume, SEI Green-Lagrange strain 0.15), then 1C for
    60 s: every history extreme of both regions (fraction of the region's stress scale), the
    SEI strain and stress and the volume change, 2D vs 1D twin (64 + 8 cells), at h = R/6 and
    R/12: the difference is the 2D mesh error and falls with h."""
    d = RadialDesign(**SI, coatings=(RadialLayer(200e-9, 100e9, 0.25),), sei=RadialLayer(20e-9, 50e9, 0.3),
                     finite_strain=True)

    def run(p):
        p.equilibrate(0.3)
        for _ in range(6):
            p.advance(10.0, 1.0)
        row = p.scalars()
        p.destroy()
        return row

    r1 = run(RadialProblem(d, MPI.COMM_SELF))
    worst = {}
    for h in (1 / 6, 1 / 12):
        r2 = run(AxisymProblem(d, comm, mesh_size=h, surface_mesh_size=h / 2))
        e = {}
        for region in ("core", "coating"):
            scale = max(abs(r1[f"{region}_{k}_MPa"]) for k in EXTREMES)
            e.update({f"{region}_{k}": (r2[f"{region}_{k}_MPa"] - r1[f"{region}_{k}_MPa"]) / scale for k in EXTREMES})
        for k in ("sei_strain_max", "sei_stress_max_MPa", "volume_change"):
            e[k] = r2[k] / r1[k] - 1
        worst[h] = max(abs(v) for v in e.values())
        if comm.rank == 0:
            print(f"\n[2D vs 1D finite, h = R/{round(1 / h)}] " + ", ".join(f"{k} {v:+.2e}" for k, v in e.items()))
    assert r1["volume_change"] > 0.45 and r1["sei_strain_max"] > 0.14  # measured 0.473, 0.147
    # measured worst (1 and 2 ranks): R/6 2.47e-3 (coating st_min), R/12 5.7e-4 (core vm_max, of 5.9 GPa)
    assert worst[1 / 12] < 1.5e-3
    assert worst[1 / 12] < 0.5 * worst[1 / 6]


@pytest.mark.slow
def test_finite_strain_cycle_life_keeps_its_lithium_balance(comm):
    """Three 2C cycles of the cut-off-voltage study's Si sphere (1.5 um, layered growing and
    cracking SEI on the Green-Lagrange strain, Butler-Volmer) at finite strain, 2D twin (mesh
    0.5 um) against the 1D twin: lithium is conserved and the retention, the SEI and the
    layers' peak stress agree."""
    from dataclasses import replace
    from pathlib import Path

    from seifem.case import load_case
    from seifem.simulation.cycle_life import CycleLife, run_cycle_life

    def study(model: str, **geometry):
        case = load_case(Path(__file__).parents[2] / "cases" / "si_cutoff_voltage_study.toml",
                         ['protocol.steps.0.c_rate="2C"', 'protocol.steps.1.c_rate="2C"', 'solver.dt="30 s"',
                          'particle.expansion="linear"', 'physics.mechanics="finite-strain"'])
        return replace(case, geometry=replace(case.geometry, model=model, **geometry))

    spec = replace(CycleLife.of(study("1d")), cycles=3, jump=0)
    one = run_cycle_life(study("1d"), spec).rows
    two = run_cycle_life(study("2d", mesh_size=0.5e-6, surface_mesh_size=0.25e-6), replace(spec, model="2d"),
                         comm=comm).rows
    worst = max(abs(r["conservation_error"]) for r in two)
    diff = {k: abs(two[-1][k] / one[-1][k] - 1) for k in ("capacity_retention", "sei_thickness_nm",
                                                           "outer_peak_stress_MPa", "inner_peak_stress_MPa")}
    if comm.rank == 0:
        print(f"\n[2D finite cycle life] conservation {worst:.1e}; " + ", ".join(f"{k} {v:.1e}" for k, v in diff.items()))
    assert worst < 1e-10  # measured 5.0e-14 (the issue asks 1e-8)
    # measured (mesh 0.5 um): retention 1.1e-16, SEI thickness 0, layer peak stresses 7.5e-9
    tol = {"capacity_retention": 1e-9, "sei_thickness_nm": 1e-9, "outer_peak_stress_MPa": 3e-8,
           "inner_peak_stress_MPa": 3e-8}
    for k, v in diff.items():
        assert v < tol[k], (k, v)

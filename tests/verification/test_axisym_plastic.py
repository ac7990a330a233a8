"""J2 perfect plasticity in the 2D axisymmetric twin (`reduced.axisym_plastic`) against the
closed forms the 1D twin and the 3D model are checked with: B3.2, an elastic core with a
misfit inside an elastic-perfectly-plastic shell (Hill's expanding shell), and its yield
plateau p = 2 sigma_Y ln(b/a); then the 2D twin against the 1D twin on the same plastic coated
sphere under lithiation, and a few plastic cycle-life cycles that keep their lithium balance.
The meridian mesh is distributed over the ranks; every rank asserts the same reduced numbers."""

from __future__ import annotations

import pytest
from mpi4py import MPI

from helpers import EXTREMES, axisym_restart_gap, extreme_errors
from seifem import analytic as an
from seifem.reduced.axisym import AxisymProblem
from seifem.reduced.radial import RadialDesign, RadialLayer, RadialProblem

A, B = 1e-6, 1.2e-6
CORE = {"radius": A, "youngs_modulus": 80e9, "poisson_ratio": 0.22, "diffusivity": 1e-14, "max_concentration": 1e5,
            "partial_molar_volume": 1e-6}
H = 1 / 6  # um: the twin's default mesh, R/6 and R/12 at the surfaces; 6 elements through the shell that yields


def _shell(comm, shell_yield: float | None = 1e9, h: float = H, **kw) -> AxisymProblem:
    """The B3.2 particle of the 1D and 3D tests: a = 1 um core (80 GPa, 0.22), shell to
    b = 1.2 um (100 GPa, 0.25, sigma_Y = 1 GPa), P2."""
    d = RadialDesign(**{**CORE, **kw}, coatings=(RadialLayer(B - A, 100e9, 0.25, yield_stress=shell_yield),))
    return AxisymProblem(d, comm, mesh_size=h, surface_mesh_size=h / 2)


def _misfit(p, e_star: float, steps: int = 2) -> None:
    """Raise the core's misfit eigenstrain to e_star in `steps` committed increments."""
    for k in range(1, steps + 1):
        p.equilibrate(3 * e_star / p.beta * k / steps)


def test_plastic_shell_on_misfitting_core(comm):
    """e* = 0.010 (the shell yields to c/a = 1.0757): core pressure, yielded volume and every
    history extreme against B3.2."""
    e_star = 0.010
    p = _shell(comm)
    _misfit(p, e_star)
    row = p.scalars()
    p.destroy()
    exact = an.epp_shell_on_core(A, B, 80e9, 0.22, 100e9, 0.25, 1e9, e_star)
    frac_exact = (exact.c**3 - A**3) / (B**3 - A**3)
    pressure = -row["core_sr_min_MPa"] * 1e6
    errs = {region: extreme_errors(row, region, lambda r, side: exact.stresses(r), lo, hi)
            for region, lo, hi in (("core", 0.0, A * (1 - 1e-12)), ("coating", A, B))}
    if comm.rank == 0:
        print(f"\n[2D plastic shell] pressure {pressure / exact.p - 1:+.2e}, yielded fraction "
              f"{row['coating_plastic_fraction']:.4f} vs {frac_exact:.4f}; "
              + ", ".join(f"{r} {k} {e[k]:+.2e}" for r, e in errs.items() for k in EXTREMES))
    # measured (h = R/6, 1 and 2 ranks): pressure 2.45e-4 (R/24: 4.1e-4; the elastic twin 1.7e-4 at
    # R/12); yielded fraction 0.3342 vs 0.3361
    assert pressure == pytest.approx(exact.p, rel=6e-4)
    assert row["coating_plastic_fraction"] == pytest.approx(frac_exact, abs=5e-3)
    # measured (fraction of the region's stress scale): core <= 1.8e-3 (vm_max), shell <= 9.9e-4 (R/24:
    # 7.2e-4, 1.6e-3); extremes over the recovered vertex values and, in the plastic shell, the
    # quadrature-point values (as 3D); the 3D model at its default mesh: 1.24e-3 and 6.3e-3
    for k in EXTREMES:
        assert abs(errs["core"][k]) < 4e-3, ("core", k, errs["core"][k])
        assert abs(errs["coating"][k]) < 2.5e-3, ("coating", k, errs["coating"][k])


def test_yield_plateau_of_a_fully_plastic_shell(comm):
    """Past full plasticity (e* = 0.03 > e*_full = 0.0226) the core pressure stays on the
    plateau p_lim = 2 sigma_Y ln(b/a) however far the misfit grows, and the whole shell flows;
    below first yield the shell is Lame-elastic (no plastic strain at all). A partial molar
    volume 10x the other tests' makes equilibrate's increments of 0.05 in theta misfit steps of
    0.017 (few solves)."""
    e_y, e_full, p_lim = an.epp_shell_yield_limits(A, B, 80e9, 0.22, 100e9, 0.25, 1e9)
    p = _shell(comm, partial_molar_volume=1e-5)
    _misfit(p, 0.9 * e_y, steps=1)
    elastic = p.scalars()
    pressures = []
    for e_star in (1.3 * e_full, 2 * e_full):
        _misfit(p, e_star, steps=4)
        row = p.scalars()
        pressures.append(-row["core_sr_min_MPa"] * 1e6)
    p.destroy()
    # the flowing shell is statically determined: sr from 0 at b to -p_lim at a, st = sr + sigma_Y
    sy = 1e3  # MPa
    shell = {"sr_max": 0.0, "sr_min": -p_lim / 1e6, "st_max": sy, "st_min": sy - p_lim / 1e6}
    shell_err = {k: (row[f"coating_{k}_MPa"] - v) / sy for k, v in shell.items()}
    if comm.rank == 0:
        print(f"\n[2D plateau] {[pr / p_lim - 1 for pr in pressures]}; shell " +
              ", ".join(f"{k} {v:+.2e}" for k, v in shell_err.items()))
    assert elastic["coating_plastic_strain_max"] == 0.0
    # measured: 5.0e-4 and 8.0e-4 of p_lim (h = R/6: the mesh's geometry, as the partly plastic shell
    # above; the 1D twin 1e-7)
    for pr in pressures:
        assert pr == pytest.approx(p_lim, rel=1.5e-3)
    # measured (fraction of sigma_Y): worst 5.9e-3 (st_min, sr_min; the extremes over the recovered
    # vertex values and the quadrature points); without B-bar (the volumetric work on the full rule) 1.16e-2
    assert max(abs(v) for v in shell_err.values()) < 9e-3
    assert row["coating_plastic_fraction"] == 1.0


def test_elastic_limit_is_the_elastic_twin(comm):
    """A core yield stress no stress reaches (elastic shell, SEI membrane): the plastic Newton
    solve gives the linear twin's displacement (the plastic regions' rule of degree 2k
    integrates the elastic forms nearly as exactly as the twin's own, the volumetric part on the
    B-bar's rule of degree 2) and its history row up to the quadrature-point values the plastic
    core's extremes also take."""
    rows, us = [], []
    for ys in (None, 1e12):
        p = _shell(comm, shell_yield=None, h=1 / 6, sei=RadialLayer(20e-9, 50e9, 0.3), yield_stress=ys)
        _misfit(p, 0.01, steps=1)
        rows.append(p.scalars())
        us.append(p.u.x.petsc_vec.copy())
        p.destroy()
    du = (us[1] - us[0]).norm(3) / us[0].norm(3)
    scale = max(abs(v) for k, v in rows[0].items() if k.endswith("_MPa"))
    worst = max(abs(rows[1][k] - v) for k, v in rows[0].items() if k.endswith("_MPa"))
    if comm.rank == 0:
        print(f"\n[2D elastic limit] u {du:.2e}, history {worst / scale:.2e}")
    # measured (h = R/6, 1 and 2 ranks): u 1.02e-5 (the B-bar's discretisation of the plastic core, its
    # volumetric work on 3 points; 2.5e-8 before B-bar, from the hoop term's rules of degree 4 and 8);
    # history 6.1e-4 of the largest stress (the core's extremes at its quadrature points against the
    # recovered vertex values alone)
    assert du < 2.5e-5
    assert worst / scale < 1e-3



@pytest.mark.slow
def test_plastic_history_survives_a_checkpoint(comm, shared_tmp):
    """The plastic strains are part of the twin's state: a checkpoint written mid-run (a core
    flowing at 50 MPa, a coating at 100 MPa) and read into a fresh twin continues, through a
    change of current, to the uninterrupted run's history row."""
    d = RadialDesign(**{**CORE, "max_concentration": 310970.0, "partial_molar_volume": 9.03e-6}, yield_stress=50e6,
                     coatings=(RadialLayer(100e-9, 100e9, 0.25, yield_stress=100e6),))
    ra, worst = axisym_restart_gap(d, comm, shared_tmp / "checkpoint.npz")
    if comm.rank == 0:
        print(f"\n[2D plastic checkpoint] yielded core {ra['core_plastic_fraction']:.3f}, coating "
              f"{ra['coating_plastic_fraction']:.3f}; restarted vs uninterrupted {worst:.1e}")
    assert ra["core_plastic_fraction"] > 0.5 and ra["coating_plastic_fraction"] == 1.0  # measured 0.860, 1
    assert worst < 1e-12  # measured 0 (1 and 2 ranks: the same partition)

def _lithiated_rows(design, comm, h: float) -> tuple[dict, dict]:
    """History rows of the 1D twin (its default grid: 64 core, 8 layer cells) and of the 2D twin
    (mesh size h, h/2 at the surfaces) after 1C for 12 s at dt 1 s."""
    rows = []
    for p in (RadialProblem(design, MPI.COMM_SELF), AxisymProblem(design, comm, mesh_size=h, surface_mesh_size=h / 2)):
        while p.t < 12.0 - 1e-9:
            p.advance(1.0, 1.0)
        rows.append(p.scalars())
        p.destroy()
    return rows[0], rows[1]


@pytest.mark.slow
def test_matches_the_1d_twin_on_a_plastic_coated_sphere(comm):
    """The coated sphere of test_radial_plastic.py::test_matches_3d_plastic_particle (1 um Si
    yielding at 1 GPa, 200 nm carbon yielding at 300 MPa, 20 nm SEI membrane), 1C for 12 s (the
    plastic front inside the coating): every history extreme of both regions relative to the
    region's stress scale, the SEI strain and the coating's yielded volume fraction, 2D twin vs
    1D twin, at h = R/6 and R/24 (6 and 8 elements through the coating; the 1D twin has 8):
    the difference is the 2D mesh error and falls with h."""
    from helpers import make_case
    from seifem.reduced.radial import design_from_case

    coat = {"material": "carbon", "thickness": "200 nm", "yield_stress": "300 MPa"}
    case = make_case(coating=coat, sei={"material": "sei-carbonate", "thickness": "20 nm"},
                     physics={"plasticity": True})
    design = design_from_case(case)
    assert set(design.yield_stresses) == {"core", "coating"}
    worst = {}
    for h in (1 / 6, 1 / 24):
        r1, r2 = _lithiated_rows(design, comm, h)
        e = {}
        for region in ("core", "coating"):
            scale = max(abs(r1[f"{region}_{k}_MPa"]) for k in EXTREMES)
            e.update({f"{region}_{k}": (r2[f"{region}_{k}_MPa"] - r1[f"{region}_{k}_MPa"]) / scale for k in EXTREMES})
        e["sei_strain_max"] = r2["sei_strain_max"] / r1["sei_strain_max"] - 1
        frac = r2["coating_plastic_fraction"] - r1["coating_plastic_fraction"]
        worst[h] = max(abs(v) for v in e.values())
        if comm.rank == 0:
            print(f"\n[2D vs 1D plastic, h = R/{round(1 / h)}] yielded fraction {r2['coating_plastic_fraction']:.4f} "
                  f"vs {r1['coating_plastic_fraction']:.4f}; " + ", ".join(f"{k} {v:+.2e}" for k, v in e.items()))
    # measured worst (1 and 2 ranks, B-bar in both twins): R/6 4.15e-3 (coating p1_max: the plastic front
    # between quadrature points), R/24 2.95e-3 (without B-bar 4.14e-3, 2.91e-3); the yielded fraction of the coating 0.4061 (R/6), 0.4202 (R/24) vs 0.4202 (1D)
    assert worst[1 / 6] < 1e-2
    assert worst[1 / 24] < 0.85 * worst[1 / 6]
    assert abs(frac) < 5e-3  # the last, R/24
    assert r2["core_plastic_fraction"] == r1["core_plastic_fraction"] == 0.0  # the core stays elastic so far


@pytest.mark.slow
def test_plastic_cycle_life_keeps_its_lithium_balance(comm):
    """Three 2C cycles of the cut-off-voltage study's Si sphere (1.5 um, layered growing and
    cracking SEI, Butler-Volmer kinetics) with a core that flows at 300 MPa, in the 2D twin
    (mesh 0.5 um) against the 1D twin: lithium is conserved (particle + SEI + crack SEI =
    applied), half the core flows in both, and the retention, the yielded volume and the
    history extremes of the core agree within the 2D twin's mesh error."""
    from dataclasses import replace
    from pathlib import Path

    from seifem.case import load_case
    from seifem.simulation.cycle_life import CycleLife, run_cycle_life

    def study(model: str, **geometry):
        case = load_case(Path(__file__).parents[2] / "cases" / "si_cutoff_voltage_study.toml",
                         ['protocol.steps.0.c_rate="2C"', 'protocol.steps.1.c_rate="2C"', 'solver.dt="30 s"',
                          'particle.expansion="linear"', "physics.plasticity=true", 'particle.yield_stress="300 MPa"'])
        return replace(case, geometry=replace(case.geometry, model=model, **geometry))

    spec = replace(CycleLife.of(study("1d")), cycles=3, jump=0)
    one = run_cycle_life(study("1d"), spec)
    two = run_cycle_life(study("2d", mesh_size=0.5e-6, surface_mesh_size=0.25e-6), replace(spec, model="2d"), comm=comm)
    worst = max(abs(r["conservation_error"]) for r in two.rows)
    h1, h2 = one.history[-1], two.history[-1]
    scale = max(abs(h1[f"core_{k}_MPa"]) for k in EXTREMES)
    stress = max(abs(h2[f"core_{k}_MPa"] - h1[f"core_{k}_MPa"]) / scale for k in EXTREMES if k != "vm_max")
    if comm.rank == 0:
        print(f"\n[2D plastic cycle life] conservation {worst:.1e}; yielded core {h2['core_plastic_fraction']:.4f} "
              f"vs {h1['core_plastic_fraction']:.4f}; retention {two.rows[-1]['capacity_retention']:.8f} vs "
              f"{one.rows[-1]['capacity_retention']:.8f}; core extremes {stress:.2e} of {scale:.0f} MPa")
    assert worst < 1e-10  # measured 4.9e-14 (1 rank; the issue asks 1e-8)
    assert h1["core_plastic_fraction"] > 0.4  # measured 0.502 (1D), 0.506 (2D)
    assert h2["core_plastic_fraction"] == pytest.approx(h1["core_plastic_fraction"], abs=1e-2)
    # measured 3.4e-7: the retention follows the SEI, which sees the surface strain
    assert two.rows[-1]["capacity_retention"] == pytest.approx(one.rows[-1]["capacity_retention"], rel=1e-6)
    # measured 3.4e-2 of 440 MPa (the surface hoop stress -sigma_Y in 1D, -315 MPa recovered from the
    # quadrature points of a mesh of R/3 in 2D)
    assert stress < 6e-2


@pytest.mark.slow
def test_fully_yielded_coating_under_the_sei_is_statically_determined(comm):
    """B-bar (`axisym_plastic`): the 1D twin's test of the same name on the 2D twin at h = R/12
    and R/24 (R/24 and R/48 at the surfaces): a coating flowing through its thickness under the
    SEI film has its statically determined stresses; with the volumetric work on the full rule
    its stresses carried a hydrostatic offset at the quadrature points."""
    from test_radial_plastic import flowing_coating_case, flowing_coating_errors

    from seifem.reduced.radial import design_from_case

    design = design_from_case(flowing_coating_case())
    worst = {}
    for h in (1 / 12, 1 / 24):
        p = AxisymProblem(design, comm, mesh_size=h, surface_mesh_size=h / 2)
        p.equilibrate(0.3)
        row = p.scalars()
        p.destroy()
        errs = flowing_coating_errors(row, A, B, 300.0, 20e-9)
        worst[h] = max(abs(v) for v in errs.values())
        assert row["coating_plastic_fraction"] == 1.0
        if comm.rank == 0:
            print(f"\n[2D flowing coating, R/{round(1 / h)}] " + ", ".join(f"{k} {v:+.2e}" for k, v in errs.items()))
    # measured (fraction of sigma_Y, 1 and 2 ranks): R/12 1.12e-3, R/24 1.48e-3 (not falling: the surface
    # and interface values read through the P1 fit of the mean stress per cell); with the volumetric
    # work on the full rule 4.70e-2, 6.98e-3
    assert max(worst.values()) < 3e-3

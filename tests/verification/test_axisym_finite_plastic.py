"""J2 plasticity at finite strain in the 2D axisymmetric twin (`reduced.axisym_finite`: the 3D
model's and the 1D twin's return map `physics.finite_plasticity.simo_return` on the meridian's
full F, history b_e_bar and the plastic multiplier at the quadrature points): free swelling by
300 % with a yield stress (no stress, no flow), the fully yielded shell on a misfitting core
against its finite-strain closed form (test_radial_finite_plastic.py's module docstring), the
1D twin on the same coated sphere, a checkpoint restart, and plastic cycle-life cycles at
finite strain that keep their lithium balance. The meridian mesh is distributed over the ranks;
every rank asserts the same reduced numbers."""

from __future__ import annotations

import numpy as np
import pytest
from mpi4py import MPI
from scipy.integrate import solve_ivp

from helpers import EXTREMES, axisym_restart_gap
from seifem import analytic as an
from seifem.reduced.axisym import AxisymProblem
from seifem.reduced.radial import RadialDesign, RadialLayer, RadialProblem

SI = {"radius": 1e-6, "youngs_modulus": 80e9, "poisson_ratio": 0.22, "diffusivity": 1e-14,
      "max_concentration": 310970.0, "partial_molar_volume": 9.03e-6}
A, B, SY = 1e-6, 1.2e-6, 1e9
E_S, NU_S = 100e9, 0.25
KAPPA = E_S / (3 * (1 - 2 * NU_S))


def test_free_swelling_by_300_percent_with_plasticity(comm):
    """A bare sphere yielding at 1 GPa swollen uniformly to V/V0 = 4 (beta = 30, theta 0 -> 0.1,
    two committed increments): u = (J^(1/3) - 1) x at every node, no stress, no plastic flow
    (the chemical stretch is isotropic, so b_e_bar stays I), volume change J - 1."""
    d = RadialDesign(**{**SI, "partial_molar_volume": 30 / SI["max_concentration"]}, initial_soc=0.0,
                     finite_strain=True, yield_stress=1e9)
    p = AxisymProblem(d, comm, mesh_size=1 / 3)
    p.equilibrate(0.1)
    row = p.scalars()
    k = 4.0 ** (1 / 3) - 1
    x = p.W.tabulate_dof_coordinates()[:, :2]
    err = comm.allreduce(abs(p.u.x.array.reshape(-1, 2) - k * x).max() / k, op=MPI.MAX)
    stress = max(abs(v) for key, v in row.items() if key.endswith("_MPa"))
    p.destroy()
    if comm.rank == 0:
        print(f"\n[2D finite plastic free swelling] u {err:.1e}, stress {stress:.1e} MPa, plastic strain "
              f"{row['core_plastic_strain_max']:.1e}, volume {row['volume_change'] - 3:+.1e}")
    # measured (1 and 2 ranks): u 2.3e-11, stresses 1.2e-6 MPa, volume 3.3e-11 (the Newton tolerance 1e-10 of
    # the first residual, ~1e5 MPa at this stretch if F_e = F; the elastic twin lands at 2.5e-13 by its
    # last quadratic step)
    assert err < 6e-11
    assert stress < 3e-6  # MPa
    assert row["core_plastic_strain_max"] == 0.0 and row["core_plastic_fraction"] == 0.0
    assert row["volume_change"] == pytest.approx(3.0, rel=1e-10)


def _plastic_shell_pressure(a: float, b: float) -> float:
    """p [Pa] of the fully plastic shell between the current radii a < b (Simo's model: the
    Kirchhoff deviator bounded, tau_t - tau_r = sigma_Y; sigma = tau / J_e; current equilibrium
    d sigma_r / dr = 2 sigma_Y / (J_e r) from sigma_r(b) = 0)."""
    def J_e(s):  # J = exp((3 J sigma_r + 2 sigma_Y) / (3 kappa)), by fixed point
        J = 1.0
        for _ in range(50):
            J = np.exp((3 * J * s + 2 * SY) / (3 * KAPPA))
        return J

    sol = solve_ivp(lambda r, s: 2 * SY / (J_e(s[0]) * r), (b, a), [0.0], rtol=1e-12, atol=1e-3)
    return -float(sol.y[0, -1])


@pytest.mark.slow
def test_fully_plastic_shell_at_finite_strain(comm):
    """The B3.2 particle (a = 1 um core, 80 GPa, 0.22; shell to 1.2 um, 100 GPa, 0.25, sigma_Y =
    1 GPa) at finite strain, misfits just past full plasticity (1.3 e*_full) and a swelling of
    the core by J_ch = 1.5: the core pressure against the closed form at the twin's current
    radii (equator), the surface hoop stress against sigma_Y exp(-2 sigma_Y / (3 kappa)) =
    990.05 MPa, the whole shell flowing; the 1D twin's test, mesh R/6 with R/24 at the surfaces
    (12 elements through the shell)."""
    _, e_full, _ = an.epp_shell_yield_limits(A, B, 80e9, 0.22, E_S, NU_S, SY)
    hoop = SY * np.exp(-2 * SY / (3 * KAPPA))
    d = RadialDesign(radius=A, youngs_modulus=80e9, poisson_ratio=0.22, diffusivity=1e-14, max_concentration=1e5,
                     partial_molar_volume=3e-6, finite_strain=True,
                     coatings=(RadialLayer(B - A, E_S, NU_S, yield_stress=SY),))
    p = AxisymProblem(d, comm, mesh_size=1 / 6, surface_mesh_size=1 / 24)
    errs = []
    for e_star in (1.3 * e_full, 1.5 ** (1 / 3) - 1):
        p.equilibrate(((1 + e_star) ** 3 - 1) / p.beta)
        prof, row = p.profiles("equator"), p.scalars()
        ia = np.flatnonzero(np.abs(prof["r"] - A) < 1e-15).max()
        a, b = A + prof["u"][ia], B + prof["u"][-1]
        pr = -row["core_sr_min_MPa"] * 1e6
        errs.append((pr / _plastic_shell_pressure(a, b) - 1, row["coating_st_max_MPa"] * 1e6 / hoop - 1,
                     row["coating_plastic_fraction"]))
    p.destroy()
    if comm.rank == 0:
        for e_star, (ep, et, frac) in zip((1.3 * e_full, 1.5 ** (1 / 3) - 1), errs):
            print(f"\n[2D finite plastic shell] e* {e_star:.4f}: pressure {ep:+.2e}, hoop(b) {et:+.2e}, "
                  f"yielded {frac:.4f}")
    for ep, et, frac in errs:
        assert frac == 1.0
        # measured (B-bar): pressure 2.7e-4, 7.9e-4; hoop 9.6e-4, 8.8e-4: the 2D mesh error, the hoop at b
        # read through the P1 fit of the mean stress per cell (with the volumetric work on the full rule:
        # 3.0e-4, 7.6e-4; 7.9e-5, 3.4e-4)
        assert abs(ep) < 2e-3
        assert abs(et) < 1e-3


def _lithiated_rows(design, comm, h: float) -> tuple[dict, dict]:
    """History rows of the 1D twin (64 core, 8 layer cells) and of the 2D twin (mesh h, h/2 at
    the surfaces) swollen uniformly to theta = 0.3 (6 committed increments), then 1C for 60 s."""
    rows = []
    for p in (RadialProblem(design, MPI.COMM_SELF), AxisymProblem(design, comm, mesh_size=h, surface_mesh_size=h / 2)):
        p.equilibrate(0.3)
        for _ in range(6):
            p.advance(10.0, 1.0)
        rows.append(p.scalars())
        p.destroy()
    return rows[0], rows[1]


@pytest.mark.slow
def test_matches_the_1d_twin_on_a_finite_plastic_coated_sphere(comm):
    """1 um Si (yield 1 GPa) in 200 nm carbon yielding at 300 MPa with a 20 nm SEI membrane, at
    finite strain with plasticity, swollen to 47 % volume then lithiated at 1C: every history
    extreme of both regions (fraction of the region's stress scale; the surface hoop and radial
    stresses among them), the SEI strain, the volume change and the coating's yielded fraction,
    2D vs 1D twin at h = R/12 and R/24: the difference is the 2D mesh error. The coating flows
    through its thickness, and there the 2D twin's stresses carry a hydrostatic oscillation at
    the quadrature points (sr and st shifted alike, von Mises exact: P2 displacements under
    isochoric plastic flow, the near-incompressible limit; the small-strain twin and the 1D twin
    alike), which the coating's extremes picked up (-0.32 of the scale at R/6, 5.9e-2 at R/12,
    1.7e-2 at R/24) until both twins integrated their plastic regions' volumetric work on a
    reduced rule (B-bar)."""
    from helpers import make_case
    from seifem.reduced.radial import design_from_case

    coat = {"material": "carbon", "thickness": "200 nm", "youngs_modulus": "100 GPa", "poisson_ratio": 0.25,
            "yield_stress": "300 MPa"}
    case = make_case(coating=coat, sei={"material": "sei-carbonate", "thickness": "20 nm"}, geometry={"model": "2d"},
                     physics={"plasticity": True, "mechanics": "finite-strain"})
    design = design_from_case(case)
    assert design.finite_strain and set(design.yield_stresses) == {"core", "coating"}
    worst, rows = {}, {}
    for h in (1 / 12, 1 / 24):
        r1, r2 = _lithiated_rows(design, comm, h)
        e = {}
        for region in ("core", "coating"):
            scale = max(abs(r1[f"{region}_{k}_MPa"]) for k in EXTREMES)
            e.update({f"{region}_{k}": (r2[f"{region}_{k}_MPa"] - r1[f"{region}_{k}_MPa"]) / scale for k in EXTREMES})
        for k in ("sei_strain_max", "volume_change"):
            e[k] = r2[k] / r1[k] - 1
        e["coating_plastic_fraction"] = r2["coating_plastic_fraction"] - r1["coating_plastic_fraction"]
        worst[h], rows[h] = max(abs(v) for v in e.values()), (r1, r2, e)
        if comm.rank == 0:
            print(f"\n[2D vs 1D finite plastic, h = R/{round(1 / h)}] yielded coating "
                  f"{r2['coating_plastic_fraction']:.4f} vs {r1['coating_plastic_fraction']:.4f}, core "
                  f"{r2['core_plastic_fraction']:.4f} vs {r1['core_plastic_fraction']:.4f}; "
                  + ", ".join(f"{k} {v:+.2e}" for k, v in e.items()))
    r1 = rows[1 / 24][0]
    assert r1["volume_change"] > 0.45 and r1["coating_plastic_fraction"] == 1.0  # measured 0.47, 1
    # measured worst (B-bar in both twins): R/12 1.82e-3 (core st_min), R/24 1.42e-3 (core sr_min); the
    # coating's 1.37e-3, 6.0e-4; SEI strain 2.3e-4; volume 3.8e-10 (without B-bar: R/12 5.89e-2, R/24
    # 1.66e-2, coating sr_min / st_min, the oscillation above)
    coating = {h: max(abs(v) for k, v in rows[h][2].items() if k.startswith("coating_")) for h in rows}
    assert max(worst.values()) < 4e-3
    assert coating[1 / 24] < 0.6 * coating[1 / 12]


@pytest.mark.slow
def test_finite_plastic_history_survives_a_checkpoint(comm, shared_tmp):
    """b_e_bar, the multiplier and F_n are part of the twin's state: a checkpoint written
    mid-run (a core flowing at 50 MPa, a coating at 100 MPa, finite strain) and read into a
    fresh twin continues, through a change of current, to the uninterrupted run's history."""
    d = RadialDesign(**SI, yield_stress=50e6, finite_strain=True,
                     coatings=(RadialLayer(100e-9, 100e9, 0.25, yield_stress=100e6),))
    ra, worst = axisym_restart_gap(d, comm, shared_tmp / "checkpoint.npz")
    if comm.rank == 0:
        print(f"\n[2D finite plastic checkpoint] yielded core {ra['core_plastic_fraction']:.3f}, coating "
              f"{ra['coating_plastic_fraction']:.3f}; restarted vs uninterrupted {worst:.1e}")
    assert ra["core_plastic_fraction"] > 0.5 and ra["coating_plastic_fraction"] == 1.0  # measured 0.858, 1
    assert worst < 1e-12  # measured 0 (1 and 2 ranks: the same partition)


@pytest.mark.slow
def test_finite_plastic_cycle_life_keeps_its_lithium_balance(comm):
    """Three 2C cycles of the cut-off-voltage study's Si sphere (1.5 um, layered growing and
    cracking SEI on the Green-Lagrange strain, Butler-Volmer) with a core that flows at 300 MPa,
    at finite strain, 2D twin (mesh 0.5 um) against the 1D twin: lithium is conserved
    (particle + SEI + crack SEI = applied) and the yielded core and the retention agree."""
    from dataclasses import replace
    from pathlib import Path

    from seifem.case import load_case
    from seifem.simulation.cycle_life import CycleLife, run_cycle_life

    def study(model: str, **geometry):
        case = load_case(Path(__file__).parents[2] / "cases" / "si_cutoff_voltage_study.toml",
                         ['protocol.steps.0.c_rate="2C"', 'protocol.steps.1.c_rate="2C"', 'solver.dt="30 s"',
                          'particle.expansion="linear"', 'physics.mechanics="finite-strain"',
                          "physics.plasticity=true", 'particle.yield_stress="300 MPa"'])
        return replace(case, geometry=replace(case.geometry, model=model, **geometry))

    spec = replace(CycleLife.of(study("1d")), cycles=3, jump=0)
    one = run_cycle_life(study("1d"), spec)
    two = run_cycle_life(study("2d", mesh_size=0.5e-6, surface_mesh_size=0.25e-6), replace(spec, model="2d"), comm=comm)
    worst = max(abs(r["conservation_error"]) for r in two.rows)
    h1, h2 = one.history[-1], two.history[-1]
    if comm.rank == 0:
        print(f"\n[2D finite plastic cycle life] conservation {worst:.1e}; yielded core "
              f"{h2['core_plastic_fraction']:.4f} vs {h1['core_plastic_fraction']:.4f}; retention "
              f"{two.rows[-1]['capacity_retention'] / one.rows[-1]['capacity_retention'] - 1:.1e}")
    assert worst < 1e-10  # measured 4.9e-14 (the issue asks 1e-8)
    assert h1["core_plastic_fraction"] > 0.4  # measured 0.5022 (1D), 0.5060 (2D)
    assert h2["core_plastic_fraction"] == pytest.approx(h1["core_plastic_fraction"], abs=1e-2)
    # measured 1.1e-16 (as the elastic finite-strain twins: the layers' damage is alike in both)
    assert two.rows[-1]["capacity_retention"] == pytest.approx(one.rows[-1]["capacity_retention"], rel=1e-9)


@pytest.mark.slow
def test_resolved_plastic_sei_layer_at_finite_strain_matches_the_1d_twin(comm):
    """A resolved bilayer SEI (30 nm LiF/Li2O elastic, 50 nm carbonate yielding at 30 MPa) on
    1 um Si swollen uniformly to theta = 0.3 (free volume change 0.67) at finite strain with
    plasticity: the outer layer flows through its thickness in both twins, and each layer's
    hoop extremes of the 2D twin (mesh 0.2 um, 0.02 um at the surfaces) match the 1D twin's
    (16 cells a layer)."""
    from helpers import make_case
    from seifem.reduced.radial import design_from_case

    layers = [{"name": "inner", "thickness": "30 nm", "composition": {"LiF": 0.7, "Li2O": 0.3}},
              {"name": "outer", "thickness": "50 nm", "material": "sei-carbonate", "law": "plastic",
               "yield_stress": "30 MPa"}]
    rows = []
    for model, geo in (("1d", {"layer_cells": 16}), ("2d", {"mesh_size": "0.2 um", "surface_mesh_size": "0.02 um"})):
        case = make_case(sei={"material": "sei-carbonate", "model": "resolved", "layers": layers},
                         geometry={"model": model, **geo}, physics={"mechanics": "finite-strain", "plasticity": True})
        d = design_from_case(case)
        p = (RadialProblem(d, MPI.COMM_SELF) if model == "1d" else
             AxisymProblem(d, comm, mesh_size=0.2, surface_mesh_size=0.02))
        p.equilibrate(0.3)
        rows.append(p.scalars())
        p.destroy()
    r1, r2 = rows
    keys = [f"sei_{n}_st_{m}_MPa" for n in ("inner", "outer") for m in ("max", "min")]
    errors = {k: r2[k] / r1[k] - 1 for k in keys}
    if comm.rank == 0:
        print("\n[2D vs 1D finite plastic SEI layer] " + ", ".join(f"{k} {r1[k]:.1f} {v:+.2e}" for k, v in errors.items()))
    assert r1["sei_outer_plastic_fraction"] == r2["sei_outer_plastic_fraction"] == 1.0
    assert r1["sei_inner_st_max_MPa"] > 1e4  # the elastic inner layer far beyond small strain
    # measured (1 and 2 ranks, B-bar in both twins): inner <= 4.9e-5; outer st_max 3.1e-4, st_min -1.13e-3
    # (before B-bar 7.8e-4, -1.03e-2: the fully yielded layer's quadrature-point oscillation, test above)
    assert max(abs(v) for v in errors.values()) < 3e-3

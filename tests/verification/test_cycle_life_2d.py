"""Cycle life on the 2D axisymmetric twin (simulation.cycle_life with model = "2d") against the
1D twin on the same sphere: the settable membrane resultant of `reduced.axisym_membrane`, and a
few cycles with SEI growth, a layered (elastic inner, standard-linear-solid outer) cracking SEI
and Butler-Volmer kinetics with a voltage cut-off. Collective: same numbers on every rank."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from seifem.case import load_case
from seifem.simulation.cycle_life import CycleLife, run_cycle_life

CASES = Path(__file__).parents[2] / "cases"


def _study(model: str, **geometry):
    """The cut-off-voltage study's Si sphere (1.5 um, layered carbonate-FEC SEI, uniform
    Butler-Volmer kinetics, lithiation to 0.1 V) at 2C: steep enough for radial gradients. Linear
    (Vegard) swelling, which the closed forms below assume (the case itself swells by Si's phase
    curve, whose end point differs from the partial molar volume's by 2e-5)."""
    case = load_case(CASES / "si_cutoff_voltage_study.toml", ['protocol.steps.0.c_rate="2C"',
                                                               'protocol.steps.1.c_rate="2C"', 'solver.dt="30 s"',
                                                               'particle.expansion="linear"'])
    return replace(case, geometry=replace(case.geometry, model=model, **geometry))


def test_membrane_resultant_matches_the_1d_twin(comm):
    """A uniformly lithiated sphere held by a stiff, prestressed membrane (N = S e - T): the 2D
    twin's surface strain equals the 1D twin's (both P2, both exact for a uniform state up to
    the 2D twin's polygonal geometry)."""
    from mpi4py import MPI

    from seifem.reduced.axisym_membrane import AxisymMembraneProblem
    from seifem.reduced.radial import RadialProblem, design_from_case

    case = _study("2d", mesh_size=0.4e-6, surface_mesh_size=0.2e-6)
    design = design_from_case(case, time_scheme="euler")
    strains = {}
    for name, p in (("1d", RadialProblem(design, MPI.COMM_SELF)), ("2d", AxisymMembraneProblem(design, comm))):
        p.set_membrane(5e4, 200.0)  # N/m: S ~ E_core R / 2, so the film holds back about a third of the swelling
        p.equilibrate(0.3)
        free = p.beta / 3 * (0.3 - p.theta0)
        strains[name] = p.surface_strain()
        p.set_membrane(0.0, 0.0)
        p.solve_mechanics()
        assert p.surface_strain() == pytest.approx(free, rel=1e-9)  # no film: free swelling (measured 2e-15)
        p.destroy()
    held = 1 - strains["1d"] / free
    err = abs(strains["2d"] - strains["1d"]) / strains["1d"]
    print(f"film holds back {held:.3f} of the swelling; 2D vs 1D surface strain {err:.2e}")
    assert 0.2 < held < 0.6
    assert err < 5e-8  # measured 1.5e-8 (mesh 0.4 um)


def test_cycle_life_2d_matches_the_1d_twin(comm):
    """Three 2C cycles of the layered, growing, cracking SEI: retention, Coulombic efficiency,
    SEI and crack-SEI thickness, the layers' peak stress and damage of the 2D twin agree with the
    1D twin's, and the 2D run conserves lithium (particle + SEI + crack SEI = applied)."""
    spec = replace(CycleLife.of(_study("1d")), cycles=3, jump=0)
    one = run_cycle_life(_study("1d"), spec).rows
    two = run_cycle_life(_study("2d", mesh_size=0.5e-6, surface_mesh_size=0.25e-6), replace(spec, model="2d"),
                         comm=comm).rows
    assert len(two) == 3 and two[0]["lost_crack_sei_mol"] > 0 and two[-1]["outer_damage"] > 0
    # measured relative differences at the 3rd cycle, mesh 0.5 um (1 and 2 ranks)
    tol = {"capacity_retention": 1e-6,  # 3.4e-7
           "coulombic_efficiency": 1e-9,  # 1.6e-11
           "sei_thickness_nm": 1e-8,  # 4.0e-10
           "crack_sei_thickness_nm": 5e-6,  # 1.8e-6
           "cracked_fraction": 1e-8,  # 1.1e-9
           "lost_crack_sei_mol": 3e-6,  # 1.2e-6
           "outer_peak_stress_MPa": 1e-6,  # 3.4e-7
           "inner_peak_stress_MPa": 1e-6}  # 3.4e-7
    for key, t in tol.items():
        a, b = one[-1][key], two[-1][key]
        assert abs(b - a) <= t * abs(a), (key, a, b)
    assert max(abs(r["conservation_error"]) for r in two) < 1e-10  # measured 4.8e-14 (issue: 1e-8)


def test_seifem_run_of_a_2d_cycle_life_case(comm, shared_tmp):
    """geometry.model = "2d" with sei.growth is a cycle-life run: cycles.csv (one row per cycle)
    and summary.json naming the twin, written once whatever the number of ranks."""
    from seifem.results.rundir import CYCLES, RunDir, read_table
    from seifem.simulation.run import run_case

    case = load_case(CASES / "si_cycle_life_300.toml", ['geometry.model="2d"', 'geometry.mesh_size="0.35 um"',
                                                        'geometry.surface_mesh_size="0.2 um"', "protocol.cycles=2",
                                                        "solver.cycle_jump=0"])
    out = shared_tmp / "run2d"
    if comm.rank == 0:
        out.mkdir()
    comm.barrier()
    run_case(case, out, comm)
    t = read_table(out / CYCLES)
    assert list(t["cycle"]) == [1, 2] and 0.99 < t["capacity_retention"][-1] <= 1.0
    s = RunDir(out).summary()
    assert s["model"] == "2d" and s["cycles"] == 2 and s["resolved_cycles"] == 2


@pytest.mark.parametrize("law", ["sls", "plastic"])
def test_inelastic_layer_in_the_2d_solve_matches_the_1d_twin(law, comm):
    """One 2C cycle with an organic layer that relaxes (standard linear solid, tau = 30 s) or
    yields (elastic-perfectly-plastic, sigma_y = 20 MPa; an active set in the solve): its peak
    stress and the particle's capacity in the 2D twin as in the 1D twin."""
    from seifem.physics.layered_membrane import SEILayer
    from seifem.physics.sei_inelastic import ElasticPlastic, StandardLinearSolid

    layers = [SEILayer(5e-9, 1e9, 0.35, "organic", strength=50e6)]
    laws = [StandardLinearSolid(0.01e9, 0.99e9, 30.0, 0.35) if law == "sls" else ElasticPlastic(1e9, 20e6, 0.35)]
    spec = replace(CycleLife.of(_study("1d")), cycles=1, jump=0, damaging=False)
    one = run_cycle_life(_study("1d"), spec, laws=laws, layers=layers).rows[-1]
    two = run_cycle_life(_study("2d", mesh_size=0.5e-6, surface_mesh_size=0.25e-6), replace(spec, model="2d"),
                         laws=laws, layers=layers, comm=comm).rows[-1]
    peak1, peak2 = one["organic_peak_stress_MPa"], two["organic_peak_stress_MPa"]
    cap = abs(two["capacity_mAh_g"] - one["capacity_mAh_g"]) / one["capacity_mAh_g"]
    print(f"{law}: peak {peak1:.6g} MPa (1D) {peak2:.6g} MPa (2D), relative {abs(peak2 - peak1) / peak1:.2e}; "
          f"capacity {cap:.2e}")
    if law == "plastic":
        assert peak1 == pytest.approx(20.0, rel=1e-12) and peak2 == pytest.approx(20.0, rel=1e-12)
    assert abs(peak2 - peak1) <= 1e-10 * peak1  # measured sls 2.3e-11, plastic 0
    assert cap < 1e-13  # measured 4.8e-16 (the soc cut-off ends both half cycles: round-off)


@pytest.mark.parametrize("model", ["1d", "2d"])
def test_grown_sei_stiffens_the_membrane_as_the_thin_shell_closed_form(model, comm):
    """The SEI grown after the layers formed adds M_g (h_g e - I) to the membrane, each
    increment stress-free at the strain it grew in: a sphere equilibrated at theta = 0.2, 60 nm
    grown, at 0.5, 40 nm more grown, then at 0.35: the surface strain and the grown SEI's mean
    stress as the closed form of bonded thin shells on a swelling core (`analytic.bilayer`) with
    the two layers and one sublayer per increment, each with its reference strain."""
    from mpi4py import MPI

    from seifem.analytic.bilayer import shells_on_swelling_core
    from seifem.physics.sei_inelastic import biaxial
    from seifem.physics.sei_layer_state import LayeredMembraneState
    from seifem.reduced.axisym_membrane import AxisymMembraneProblem
    from seifem.reduced.radial import RadialProblem, design_from_case
    from seifem.simulation.cycle_cell import sei_layers_of

    case = _study(model, mesh_size=0.4e-6, surface_mesh_size=0.2e-6)
    d = design_from_case(case, time_scheme="euler")
    p = RadialProblem(d, MPI.COMM_SELF) if model == "1d" else AxisymMembraneProblem(d, comm)
    layers = sei_layers_of(case)
    Eg, nug = 20e9, 0.3  # a stiff grown film, so that its stiffness shows (S_g / (3 K_c a / 2) ~ 0.02)
    m = LayeredMembraneState.of(layers, damaging=False, grown_modulus=biaxial(Eg, nug))
    h, E, nu, ref = ([x.thickness for x in layers], [x.youngs_modulus for x in layers],
                     [x.poisson_ratio for x in layers], [x.reference_strain for x in layers])
    errs = []
    for theta, grown in ((0.2, 60e-9), (0.5, 40e-9), (0.35, 0.0)):
        p.set_membrane(*m.resultant(1.0))
        p.equilibrate(theta)
        e = p.surface_strain()
        exact = shells_on_swelling_core(d.radius, d.youngs_modulus, d.poisson_ratio, p.beta / 3 * (theta - p.theta0),
                                        h, E, nu, ref)
        errs.append(abs(e - exact.strain) / exact.strain)
        if grown:
            m.grow(grown, e)
            h, E, nu, ref = h + [grown], E + [Eg], nu + [nug], ref + [exact.strain]
    exact_grown = float(exact.stresses[2:] @ np.array(h[2:])) / sum(h[2:])
    err_stress = abs(m.grown_stress(e) - exact_grown) / abs(exact_grown)
    bare = shells_on_swelling_core(d.radius, d.youngs_modulus, d.poisson_ratio, p.beta / 3 * (0.35 - p.theta0),
                                   h[:2], E[:2], nu[:2], ref[:2]).strain
    print(f"{model}: strain errors {[f'{x:.1e}' for x in errs]}, grown stress {m.grown_stress(e) / 1e6:.4g} MPa "
          f"error {err_stress:.1e}; the grown film holds back {1 - exact.strain / bare:.2e} of the strain")
    assert 1 - exact.strain / bare > 2e-3  # the grown film holds back 2.75e-3: 1e10 x the errors below
    # measured strain / grown stress: 1d 3.2e-13 / 5.0e-13, 2d 6.6e-10 / 1.4e-9 (mesh 0.4 um)
    tol = {"1d": (1e-12, 1.5e-12), "2d": (2e-9, 4e-9)}[model]
    assert max(errs) < tol[0] and err_stress < tol[1]
    p.destroy()


@pytest.mark.slow
def test_cycle_jumping_on_the_2d_twin_as_on_the_1d_twin(comm):
    """Eight 2C cycles with jumps of up to 2 cycles: the 2D twin resolves the same cycles and
    ends at the 1D twin's retention and SEI thickness (the jump is the same cell logic)."""
    spec = replace(CycleLife.of(_study("1d")), cycles=8, jump=2)
    one = run_cycle_life(_study("1d"), spec)
    two = run_cycle_life(_study("2d", mesh_size=0.5e-6, surface_mesh_size=0.25e-6), replace(spec, model="2d"),
                         comm=comm)
    assert [r["resolved"] for r in two.rows] == [r["resolved"] for r in one.rows] and two.resolved < 8
    for key in ("capacity_retention", "sei_thickness_nm"):
        a, b = one.rows[-1][key], two.rows[-1][key]
        print(f"jumped, 2D vs 1D {key}: {abs(b - a) / a:.2e}")
        tol = {"capacity_retention": 1e-14, "sei_thickness_nm": 3e-9}[key]  # measured 1.1e-16, 1.2e-9
        assert abs(b - a) <= tol * a

"""A uniform-state step (`mode = "equilibrate"`): the stresses of a uniformly lithiated
particle in one solve, through the whole run, in every model. A coated sphere against the
two-layer Lame solution (docs/verification.md B3.1); a free bare sphere has no stress, at
small and (3D) finite strain."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import make_case, read_csv
from seifem import analytic as an
from seifem.errors import CaseError

SOC = 0.3


def _run(case, tmp, name, comm) -> dict:
    from seifem.simulation.run import run_case

    out = tmp / name
    if comm.rank == 0:
        out.mkdir()
    comm.barrier()
    run_case(case, out, comm)
    return read_csv(out / "history.csv")


def _case(model: str, **sections):
    mesh = {"1d": {}, "2d": {"mesh_size": "0.2 um", "surface_mesh_size": "0.07 um"},
            "3d": {"mesh_size": "0.25 um", "surface_mesh_size": "0.1 um"}}[model]
    return make_case(geometry={"model": model, **mesh},
                     protocol={"steps": [{"mode": "equilibrate", "soc": SOC}]}, **sections)


# measured relative errors (1 rank) of the core pressure (its nodal extremes) / coating hoop
# stress at a+ (its largest): 1d 3.0e-8 / 2.8e-4, 2d 1.1e-3 / 1.2e-3, 3d 4.9e-3 / 3.8e-3
TOL = {"1d": (1e-6, 1e-3), "2d": (3e-3, 3e-3), "3d": (0.012, 0.01)}


@pytest.mark.parametrize("model", ["1d", "2d", pytest.param("3d", marks=pytest.mark.slow)])
def test_coated_sphere_at_uniform_soc_matches_lame(model, comm, shared_tmp):
    case = _case(model, coating={"material": "carbon", "thickness": "200 nm"})
    h = _run(case, shared_tmp, f"coated{model}", comm)
    assert h["time_s"][-1] == 0.0 and h["soc"][-1] == pytest.approx(SOC, rel=1e-9)
    np.testing.assert_allclose(h["ions_mol"][-1], h["applied_ions_mol"][-1], rtol=1e-9)
    core, coat = case.particle.material, case.coatings[0].material
    a, b = case.particle.radius, case.outer_radius
    beta = core.si("partial_molar_volume") * core.si("max_concentration")
    exact = an.layered_sphere([a, b], [core.si("youngs_modulus"), coat.si("youngs_modulus")],
                              [core.si("poisson_ratio"), coat.si("poisson_ratio")], [beta * SOC / 3, 0.0])
    p = -exact.sigma_r(np.array([a]), side="left")[0] / 1e6  # MPa
    hoop = exact.sigma_t(np.array([a]), side="right")[0] / 1e6
    err_p = max(abs(-h["core_sr_min_MPa"][-1] - p), abs(-h["core_sr_max_MPa"][-1] - p)) / p
    err_t = abs(h["coating_st_max_MPa"][-1] - hoop) / hoop
    print(f"{model}: pressure {p:.4g} MPa, error {err_p:.2e}; hoop {hoop:.4g} MPa, error {err_t:.2e}")
    assert err_p < TOL[model][0] and err_t < TOL[model][1]


@pytest.mark.parametrize("model, mechanics, bound", [
    ("1d", "small-strain", 1e-12), ("2d", "small-strain", 1e-12),
    pytest.param("3d", "small-strain", 1e-8, marks=pytest.mark.slow),
    pytest.param("3d", "finite-strain", 1e-10, marks=pytest.mark.slow)])
def test_free_bare_sphere_has_no_stress(model, mechanics, bound, comm, shared_tmp):
    """Uniform swelling of a free sphere is stress-free: every stress extreme of the core
    below `bound` x the constrained swelling stress E beta soc / (3 (1 - 2 nu)) (measured,
    1 rank: 1d 2.5e-13, 2d 7e-14, 3d 1.2e-9 (CG to rtol 1e-10), 3d finite strain in 6 load
    increments 1.1e-12)."""
    case = _case(model, physics={"mechanics": mechanics})
    h = _run(case, shared_tmp, f"bare{model}{mechanics}", comm)
    mat = case.particle.material
    scale = mat.si("youngs_modulus") * mat.si("partial_molar_volume") * mat.si("max_concentration") * SOC / (
        3 * (1 - 2 * mat.si("poisson_ratio"))) / 1e6
    worst = max(float(np.max(np.abs(h[c][-1]))) for c in h if c.endswith("_MPa") and c.startswith("core_"))
    print(f"{model} {mechanics}: largest stress {worst:.3g} MPa of {scale:.4g} MPa")
    assert worst < bound * scale
    assert h["volume_change"][-1] > 0


def test_equilibrate_needs_its_soc_and_nothing_else():
    with pytest.raises(CaseError, match=r"protocol.steps.0.soc.*needs the filling fraction"):
        make_case(protocol={"steps": [{"mode": "equilibrate"}]})
    with pytest.raises(CaseError, match=r"protocol.steps.0.c_rate.*equilibrate step cannot have c_rate"):
        make_case(protocol={"steps": [{"mode": "equilibrate", "soc": 0.5, "c_rate": "1 C"}]})
    with pytest.raises(CaseError, match=r"protocol.steps.0.soc = 1.5"):
        make_case(protocol={"steps": [{"mode": "equilibrate", "soc": 1.5}]})


def test_a_prescribed_swelling_is_the_soc_of_that_free_volume_change(comm, shared_tmp):
    """swelling = beta x soc: the same row as soc (1D twin, coated), and a swelling beyond the
    full core refused naming the key."""
    coat = {"coating": {"material": "carbon", "thickness": "200 nm"}}
    by_soc = _case("1d", **coat)
    mat = by_soc.particle.material
    beta = mat.si("partial_molar_volume") * mat.si("max_concentration")
    by_swelling = make_case(geometry={"model": "1d"}, protocol={"steps": [{"mode": "equilibrate",
                                                                           "swelling": beta * SOC}]}, **coat)
    a, b = _run(by_soc, shared_tmp, "by_soc", comm), _run(by_swelling, shared_tmp, "by_swelling", comm)
    for col in ("soc", "core_sr_min_MPa", "coating_st_max_MPa", "volume_change"):
        assert a[col][-1] == pytest.approx(b[col][-1], rel=1e-12)
    with pytest.raises(CaseError, match=r"protocol.steps.0.swelling = 5.*gives soc = 1.7"):
        make_case(protocol={"steps": [{"mode": "equilibrate", "swelling": 5.0}]})
    with pytest.raises(CaseError, match=r"protocol.steps.0.swelling.*not both"):
        make_case(protocol={"steps": [{"mode": "equilibrate", "swelling": 1.0, "soc": 0.3}]})


@pytest.mark.slow
def test_equilibrate_with_plasticity_matches_the_plastic_shell(comm, shared_tmp):
    """`mode = "equilibrate"` with J2 plasticity through the run: an elastic core (a = 1 um, the
    misfit e* = swelling/3 = 0.010) in an elastic-perfectly-plastic shell to b = 1.2 um (100 GPa,
    0.25, sigma_Y = 1 GPa) that yields over part of its thickness: the core pressure (history
    extremes) and the plastic front c (from the coating's plastic fraction) against Hill's
    expanding shell (`analytic.epp_shell_on_core`, B3.2); 8 element layers through the shell."""
    e_star = 0.010
    case = make_case(particle={"yield_stress": "100 GPa"},  # the hydrostatic core never yields
                     coating={"material": "carbon", "thickness": "200 nm", "youngs_modulus": "100 GPa",
                              "poisson_ratio": 0.25, "yield_stress": "1 GPa"},
                     physics={"plasticity": True},
                     geometry={"mesh_size": "0.4 um", "surface_mesh_size": "0.1 um", "layer_cells": 8},
                     protocol={"steps": [{"mode": "equilibrate", "swelling": 3 * e_star}]})
    core = case.particle.material
    assert case.particle.initial_soc == 0.0
    h = _run(case, shared_tmp, "plastic_shell", comm)
    a, b = 1e-6, 1.2e-6
    exact = an.epp_shell_on_core(a, b, core.si("youngs_modulus"), core.si("poisson_ratio"), 100e9, 0.25, 1e9, e_star)
    assert a * 1.05 < exact.c < b * 0.95  # partly plastic
    p = exact.p / 1e6
    err_p = max(abs(-h["core_sr_min_MPa"][-1] - p), abs(-h["core_sr_max_MPa"][-1] - p)) / p
    frac = h["coating_plastic_fraction"][-1]
    c = (a**3 + frac * (b**3 - a**3)) ** (1 / 3)
    print(f"equilibrate + plasticity: pressure {p:.4g} MPa error {err_p:.2e}; plastic front c/a {c / a:.4f} "
          f"vs {exact.c / a:.4f}")
    # measured 4.8e-4 (1 and 2 ranks): the core has a yield stress, so its extremes include the
    # quadrature-point values (`physics.recovery`), which scatter more than the recovered ones (1.0e-4)
    assert err_p < 1e-3
    assert c / a == pytest.approx(exact.c / a, abs=2e-3)  # measured 7e-4 (1.0750 vs 1.0757)

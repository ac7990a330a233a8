"""Butler-Volmer kinetics and voltage protocols on a 1 um Si sphere (docs/physics.md
"Electrochemistry"; issue acceptance: equilibrium potential, small-current OCP, charge
conservation, CC-CV-rest-CC cut-offs).

Runs go through `run_case` (the path users take) and are read back from history.csv.
"""

from __future__ import annotations

import numpy as np
import pytest

from helpers import make_case, read_csv
from seifem.materials import get, specific_capacity
from seifem.physics.electrochemistry import exchange_current, overpotential
from seifem.simulation.protocol import EVENT_TOLERANCE

SI = get("Si")
I0 = SI.si("exchange_current_density")
T = 298.15
GEOMETRY = {"mesh_size": "0.5 um"}
FILM = {"material": "sei-carbonate", "thickness": "10 nm"}


def _run(comm, tmp, name: str, steps: list[dict], kinetics: str = "butler-volmer", dt: str = "60 s",
         **sections) -> dict:
    from seifem.simulation.run import run_case

    case = make_case(electrochemistry={"kinetics": kinetics}, protocol={"steps": steps}, solver={"dt": dt},
                     geometry=GEOMETRY, **sections)
    out = tmp / name
    if comm.rank == 0:
        out.mkdir()
    comm.barrier()
    run_case(case, out, comm)
    comm.barrier()
    return read_csv(out / "history.csv")


def _current_density(c_rate: float, radius: float = 1e-6) -> float:
    """A/m^2 of a C-rate on a sphere: c_max F R / (3 x 3600 s) per 1/h."""
    return c_rate * SI.si("max_concentration") * 96485.33212 * radius / (3 * 3600.0)


@pytest.mark.slow
def test_rest_relaxes_to_the_open_circuit_potential(comm, shared_tmp):
    """After a lithiation the particle rests for 10 diffusion times: the current is zero and the
    potential is U(theta) of the (now uniform) filling fraction, to 1e-6 V."""
    h = _run(comm, shared_tmp, "rest", [{"mode": "lithiate", "c_rate": "1 C", "until_soc": 0.1},
                                        {"mode": "rest", "duration": "1000 s"}], dt="100 s")
    soc = h["soc"][-1]
    assert soc == pytest.approx(0.1, abs=1e-12)
    assert h["voltage_V"][-1] == pytest.approx(float(SI.ocp.numpy(soc, 1)), abs=1e-6)


@pytest.mark.slow
def test_small_current_follows_the_open_circuit_curve(comm, shared_tmp):
    """At C/20 (1/C = 20 h >> R^2/D = 100 s) the particle is nearly uniform, so the voltage is
    the OCP of the mean filling fraction plus the Butler-Volmer overpotential and the film drop
    of the uniform current. What remains is the steady surface excess theta_s - theta_mean =
    J R / (5 D c_max) (benchmark B1.2: 9.3e-5 here) times the OCP slope: the tolerance, with
    20 % for the discrete transient."""
    h = _run(comm, shared_tmp, "slow", [{"mode": "lithiate", "c_rate": "C/20", "until_soc": 0.15}], dt="600 s",
             sei=FILM)
    i = _current_density(1 / 20)
    rows = slice(2, None)  # after the start-up transient (2 steps = 12 diffusion times)
    soc = h["soc"][rows]
    eta = overpotential(i, exchange_current(I0, soc), T)
    film = i * 2e5 * 10e-9
    expected = SI.ocp.numpy(soc, 1) + eta - film
    excess = i / 96485.33212 * 1e-6 / (5 * 1e-14 * SI.si("max_concentration"))
    slope = np.abs(SI.ocp.numpy(soc + 1e-6, 1) - SI.ocp.numpy(soc - 1e-6, 1)) / 2e-6
    assert np.all(np.abs(h["voltage_V"][rows] - expected) <= 1.2 * slope * excess + 1e-6)
    assert np.all(np.diff(h["voltage_V"][rows]) < 0)  # lithiation: the voltage falls


@pytest.mark.slow
@pytest.mark.parametrize("coating", [None, {"material": "carbon", "thickness": "50 nm"}], ids=["bare", "coated"])
def test_local_kinetics_on_a_sphere_equal_the_uniform_model(comm, shared_tmp, coating):
    """On a sphere every surface point is alike, so local Butler-Volmer kinetics with the
    potential as an unknown give the uniform-current voltage of the single-particle model
    (to 1e-5 V, the discrete sphere's small non-uniformity) and the same inventory; with a
    coating the reaction sits on the core/coating interface (an interior surface)."""
    steps = [{"mode": "lithiate", "c_rate": "1 C", "duration": "600 s"}]
    extra = {"sei": FILM, **({"coating": coating} if coating else {})}
    name = "coated" if coating else "bare"
    bv = _run(comm, shared_tmp, f"bv-{name}", steps, **extra)
    uni = _run(comm, shared_tmp, f"uniform-{name}", steps, kinetics="uniform", **extra)
    np.testing.assert_allclose(bv["voltage_V"], uni["voltage_V"], rtol=0, atol=1e-5)
    np.testing.assert_allclose(bv["ions_mol"], uni["ions_mol"], rtol=1e-9)


@pytest.mark.slow
def test_cc_cv_rest_cc_hits_every_cut_off_and_conserves_charge(comm, shared_tmp):
    """Lithiate at 1C to 0.15 V, hold 0.15 V until C/2, rest, delithiate at 1C to 0.7 V: each
    cut-off is met within its tolerance; the capacity from the current integral equals the
    ion inventory change throughout (to 1e-9 of the inventory)."""
    v_lith, i_cut, v_delith = 0.15, 0.5, 0.7
    h = _run(comm, shared_tmp, "cccv", [
        {"mode": "lithiate", "c_rate": "1 C", "until_voltage": f"{v_lith} V"},
        {"mode": "hold", "voltage": f"{v_lith} V", "until_current": "C/2"},
        {"mode": "rest", "duration": "2 min"},
        {"mode": "delithiate", "c_rate": "1 C", "until_voltage": f"{v_delith} V"}], dt="60 s", sei=FILM)
    step = h["step"]
    end = {k: int(np.flatnonzero(step == k)[-1]) for k in (1, 2, 3, 4)}
    assert h["voltage_V"][end[1]] == pytest.approx(v_lith, abs=EVENT_TOLERANCE["voltage"])
    assert np.all(h["voltage_V"][step == 1][:-1] > v_lith)  # it did not stop early
    hold = step == 2
    np.testing.assert_allclose(h["voltage_V"][hold], v_lith, rtol=0, atol=1e-9)
    assert h["c_rate"][end[2]] == pytest.approx(i_cut, rel=EVENT_TOLERANCE["current"])
    assert np.all(np.diff(h["c_rate"][hold]) < 0) and np.all(h["c_rate"][hold][:-1] > i_cut)
    assert h["time_s"][end[3]] - h["time_s"][end[2]] == pytest.approx(120.0, abs=1e-9)
    assert h["voltage_V"][end[4]] == pytest.approx(v_delith, abs=EVENT_TOLERANCE["voltage"])
    scale = h["ions_mol"].max()
    np.testing.assert_allclose(h["ions_mol"], h["applied_ions_mol"], rtol=0, atol=1e-9 * scale)
    # the capacity column is the inventory: mAh/g from the ions in the particle
    q = h["capacity_mAh_g"]
    np.testing.assert_allclose(q, h["soc"] * specific_capacity(SI), rtol=1e-9, atol=1e-9)


def test_hold_takes_the_branch_of_the_current_it_drives(comm, shared_tmp):
    """A hold below the open-circuit potential right after a delithiation lithiates the
    particle, and its OCP is read on the lithiation branch (U_lith(theta_s), not the
    delithiation branch of the step before)."""
    h = _run(comm, shared_tmp, "hold-branch", [
        {"mode": "delithiate", "c_rate": "1 C", "duration": "60 s"},
        {"mode": "hold", "voltage": "0.1 V", "duration": "3 min"}], dt="30 s", particle={"initial_soc": 0.5})
    hold = h["step"] == 2
    assert np.all(h["c_rate"][hold] > 0)  # lithiating
    np.testing.assert_allclose(h["ocp_V"][hold], SI.ocp.numpy(h["surface_soc_mean"][hold], 1), rtol=0, atol=1e-9)
    assert np.all(h["ocp_V"][h["step"] == 1] > SI.ocp.numpy(h["surface_soc_mean"][h["step"] == 1], 1) + 0.05)

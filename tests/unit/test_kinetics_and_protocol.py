"""Butler-Volmer kinetics, open-circuit potentials and protocol cut-offs (no finite elements)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from seifem.case import Step
from seifem.materials import get, names
from seifem.materials.ocp import table
from seifem.physics import electrochemistry as ec
from seifem.simulation.protocol import Event, growing_steps, step_duration, step_events
from seifem.simulation.state import ElectrodeState

T = 298.15


def test_butler_volmer_signs_and_symmetric_inverse():
    """Zero current at zero overpotential, lithiation (inward current) below it, and the
    closed-form inverse -2 RT/F asinh(i / 2 i0) for alpha = 1/2."""
    assert ec.butler_volmer(1.0, 0.0, T) == 0.0
    assert ec.butler_volmer(1.0, -0.05, T) > 0 > ec.butler_volmer(1.0, 0.05, T)
    i = np.array([-30.0, -1.0, 0.1, 5.0])
    eta = ec.overpotential(i, 0.5, T)
    np.testing.assert_allclose(ec.butler_volmer(0.5, eta, T), i, rtol=1e-12)
    np.testing.assert_allclose(eta, -2 * ec.thermal_voltage(T) * np.arcsinh(i / 1.0), rtol=1e-14)


@pytest.mark.parametrize("alpha", [0.3, 0.7])
def test_overpotential_inverts_asymmetric_kinetics(alpha):
    i = np.linspace(-20, 20, 9)
    eta = ec.overpotential(i, 0.8, T, alpha)
    np.testing.assert_allclose(ec.butler_volmer(0.8, eta, T, alpha), i, rtol=1e-10, atol=1e-12)


def test_exchange_current_and_arrhenius():
    assert ec.exchange_current(2.0, 0.5) == pytest.approx(2.0)
    assert ec.exchange_current(2.0, 0.0) == pytest.approx(ec.exchange_current(2.0, ec.THETA_FLOOR))
    assert ec.arrhenius(35e3, T) == 1.0
    assert ec.arrhenius(35e3, 318.15) == pytest.approx(math.exp(35e3 / 8.314462618 * (1 / T - 1 / 318.15)))


ACTIVE = names("active")


@pytest.mark.parametrize("name", ACTIVE)
def test_every_active_material_has_a_sourced_ocp_with_hysteresis(name):
    """Both branches in a sane range (V vs the guest metal), the delithiation branch above the
    lithiation one (alloy anodes show hysteresis), lithiation falling with theta."""
    ocp = get(name).ocp
    assert ocp is not None and len(ocp.source) > 20
    theta = np.linspace(0.02, 0.98, 49)
    lith, delith = ocp.numpy(theta, 1), ocp.numpy(theta, -1)
    assert np.all((-0.1 < lith) & (lith < 2.0)) and np.all((-0.1 < delith) & (delith < 2.0))
    assert np.all(delith >= lith - 1e-12)
    assert np.all(np.diff(lith) <= 1e-9)


def test_si_ocp_is_the_published_fit():
    """Verbrugge et al. 2016 fit as in PyBaMM: the constant terms are U(0), the coefficient sums U(1)."""
    ocp = get("Si").ocp
    assert ocp.numpy(0.0, 1) == pytest.approx(0.8633) and ocp.numpy(0.0, -1) == pytest.approx(0.9937)
    assert ocp.numpy(1.0, 1) == pytest.approx(sum((-96.63, 372.6, -587.6, 489.9, -232.8, 62.99, -9.286, 0.8633)))


@pytest.mark.parametrize("name", ["Si", "Sn-Na"])
def test_ufl_and_numpy_ocp_agree(name):
    """The UFL form (used in the Butler-Volmer residual) is the numpy curve, at mesh nodes."""
    from dolfinx import fem, mesh
    from mpi4py import MPI

    import seifem  # noqa: F401

    m = mesh.create_unit_interval(MPI.COMM_SELF, 200)
    V = fem.functionspace(m, ("Lagrange", 1))
    theta = fem.Function(V)
    theta.interpolate(lambda x: x[0])
    u = fem.Function(V)
    ocp = get(name).ocp
    for direction in (1, -1):
        u.interpolate(fem.Expression(ocp.ufl(theta, direction), V.element.interpolation_points))
        x = V.tabulate_dof_coordinates()[:, 0]
        np.testing.assert_allclose(u.x.array, ocp.numpy(x, direction), rtol=0, atol=1e-12)


def test_table_refuses_unsorted_points():
    with pytest.raises(ValueError):
        table((0.0, 1.0), (0.0, 2.0))


def _step(**kw) -> Step:
    base = dict(mode="lithiate", c_rate=1.0, duration=None, until_soc=None, dt=10.0)
    return Step(**{**base, **kw})


def test_step_duration_from_soc_capacity_and_fullness():
    """1C changes the mean filling fraction by 1/3600 per s: until_soc and until_capacity give
    exact end times, and a lithiation never runs past a full particle."""
    assert step_duration(_step(until_soc=0.5), 0.2, 3579.0) == pytest.approx(0.3 * 3600)
    assert step_duration(_step(until_capacity=3579.0 / 10), 0.0, 3579.0) == pytest.approx(360.0)
    assert step_duration(_step(until_voltage=0.05), 0.25, 3579.0) == pytest.approx(0.75 * 3600)
    assert step_duration(_step(mode="delithiate", c_rate=2.0, until_voltage=1.0), 0.25, 3579.0) == pytest.approx(450)
    assert step_duration(_step(until_soc=0.1), 0.2, 3579.0) == 0.0
    assert step_duration(_step(mode="hold", c_rate=0.0, voltage=0.1, until_current=0.05), 0.5, 3579.0) == math.inf


def test_events_say_when_a_cut_off_is_reached():
    lith, delith = step_events(_step(until_voltage=0.1))[0], step_events(_step(mode="delithiate", until_voltage=1.0))[0]
    assert lith.remaining(ElectrodeState(0.0, 0.3), 0) > 0 and lith.reached(ElectrodeState(0.0, 0.1 + 5e-5), 0)
    assert delith.remaining(ElectrodeState(0.0, 0.3), 0) > 0 and delith.reached(ElectrodeState(0.0, 1.2), 0)
    hold = step_events(_step(mode="hold", c_rate=0.0, voltage=0.1, until_current=0.05, until_capacity=100.0))
    assert [e.kind for e in hold] == ["current", "capacity"]
    assert hold[0].reached(ElectrodeState(-0.04999), 0) and not hold[0].reached(ElectrodeState(0.06), 0)
    assert Event("capacity", 100.0).reached(ElectrodeState(0.0), 100.0) and not Event("capacity", 100.0).reached(ElectrodeState(0.0), 90.0)


def test_growing_steps_land_on_marks_and_ends():
    plans = list(growing_steps(0.0, 100.0, 1.0, 20.0, (30.0,)))
    t = [p.t_end for p in plans]
    assert t[0] == 1.0 and t[1] == 2.5 and 30.0 in t and t[-1] == 100.0
    assert max(p.dt for p in plans) <= 20.0 + 1e-12 and plans[-1].ends_step
    assert [p.output for p in plans if p.t_end == 30.0] == [True]
    endless = growing_steps(0.0, math.inf, 1.0, 5.0, ())
    assert [next(endless).dt for _ in range(6)] == [1.0, 1.5, 2.25, 3.375, 5.0, 5.0]

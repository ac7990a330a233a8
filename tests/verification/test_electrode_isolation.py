"""Debonding = lost contact (collective: serial and `mpirun -n 2`): a particle whose
particle-binder interface has debonded (contact fraction at or below
`electrode.contact_threshold`) is cut from the carbon-binder network. It stops exchanging
lithium (its ions stay to round-off) while the particles still in contact carry the whole
applied current (the lithium balance of the patch holds to the root's round-off)."""

from __future__ import annotations

import numpy as np
import pytest

from seifem.case.electrode import parse_electrode
from seifem.errors import SolverError
from seifem.simulation.electrode_patch import ElectrodeModel

WEAK = {"interface": "cohesive", "interface_normal_strength": "1 MPa", "interface_tangential_strength": "1 MPa",
        "interface_normal_energy": "0.01 J/m^2", "interface_tangential_energy": "0.01 J/m^2"}


def _case(**extra):
    electrode = {"thickness": "6 um", "width": "6 um", "active_fraction": 0.2, "radius": "1 um", "radius_sd": 0.2,
                 "seed": 1, "binder": "PVDF", "initial_soc": 0.05, "mesh_size": "1.2 um",
                 "surface_mesh_size": "0.6 um", **WEAK, **extra}
    return parse_electrode({"electrode": electrode, "protocol": {"steps": ["Delithiate at 1C until soc 0.01"]}})


@pytest.mark.slow
def test_isolated_particle_keeps_its_lithium_and_the_current_is_conserved(comm):
    """Delithiate at 1 C until the first particle has debonded and is isolated (the shrinking
    particles pull on the binder), then lithiate at 1 C: the isolated particle keeps its ions
    and takes no current, the connected ones carry the applied current."""
    model = ElectrodeModel(_case(), comm)
    try:
        bank = model.bank
        current, dt = bank.capacity_C / 3600.0, 9.0  # 1 C of the whole patch
        n0 = bank.soc_total()
        charge = 0.0
        for _ in range(30):  # delithiation: 6 of 7 particles are isolated at 81 s (debonded at once: increments)
            model.advance(dt, -current, None, -1)
            charge -= current * dt
            if not bank.connected.all():
                break
        cut = ~bank.connected
        s = model.scalars()
        print(f"isolated after {charge / -current:.0f} s: particles {np.flatnonzero(cut)} of {cut.size}, debonded "
              f"area {s['debonded_area_fraction']:.3f}, contact fractions {model.last['interface']['contact_fraction']}")
        assert 0 < cut.sum() < cut.size
        assert s["isolated_particles"] == cut.sum()
        trapped, worst, balance = bank.soc()[cut], 0.0, 0.0
        for _ in range(3):  # lithiation of the particles still in contact
            model.advance(dt, current, None, 1)
            charge += current * dt
            worst = max(worst, float(np.max(np.abs(bank.soc()[cut] - trapped))))
            assert np.all(bank.currents()[cut] == 0.0)
            assert bank.currents().sum() == pytest.approx(current, rel=1e-13)
            balance = max(balance, abs(bank.soc_total() - n0 - charge / bank.capacity_C))
        assert np.all(~bank.connected[cut])  # isolation is for good
        s = model.scalars()
        frac = bank.volumes[cut].sum() / bank.volumes.sum()
        assert s["isolated_capacity_fraction"] == pytest.approx(frac, rel=1e-14)
        assert s["trapped_charge_mAh"] == pytest.approx(bank.capacity_C * frac * trapped.mean() / 3.6, rel=1e-2)
        rows = model.particle_rows(0.0)
        assert [r["isolated"] for r in rows] == cut.astype(int).tolist()
        assert all(r["contact_fraction"] <= 0.0 for r, c in zip(rows, cut) if c)
        q = model.last["interface"]  # the interface of each particle is bonded (D < 1) or debonded (D = 1)
        assert np.allclose(q["contact_fraction"] + q["debonded_fraction"], 1.0, rtol=0, atol=1e-14)
        # the threshold: at 0.5 the particle still in contact (contact fraction ~0.18) is cut too,
        # and a current with no particle in contact stops the run
        assert np.all((q["contact_fraction"][~cut] > 0) & (q["contact_fraction"][~cut] < 0.5))
        model.case.values["contact_threshold"] = 0.5
        model._isolate()
        assert not bank.connected.any()
        with pytest.raises(SolverError, match="every particle"):
            model.advance(dt, current, None, 1)
        print(f"trapped ions drift {worst:.1e} (filling fraction), lithium balance {balance:.1e}")
        assert worst < 1e-15  # measured 3.1e-16 (10 tridiagonal solves of a filling fraction ~0.03)
        assert balance < 1e-15  # measured 2.6e-16 (the root on V to 4 eps of the current)
    finally:
        model.destroy()

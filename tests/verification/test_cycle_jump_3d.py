"""Cycle jumping on the 3D model (`simulation.cycle_jump`, solver.cycle_jump on a 3D run with
sei.growth): six cycles of a coarse carbon-coated Si octant whose brittle film cracks and
re-forms every lithiation, with jumps of up to 2 cycles against every cycle resolved: the
retention, Coulombic efficiency, lithium lost and film thickness after the last cycle, and
lithium conservation across the jumps. Collective (same numbers on every rank)."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import make_case, read_csv

CYCLES = 6


def _case(jump: int):
    step = {"c_rate": "1 C", "dt": "40 s"}
    return make_case(
        particle={"material": "Si", "radius": "1 um", "initial_soc": 0.01},
        coating={"material": "carbon", "thickness": "20 nm"},
        sei={"material": "sei-LiF-rich", "thickness": "10 nm", "growth": "solvent-diffusion"},
        geometry={"domain": "octant", "mesh_size": "0.5 um"},
        protocol={"cycles": CYCLES, "steps": [{"mode": "lithiate", "until_soc": 0.05, **step},
                                              {"mode": "delithiate", "until_soc": 0.01, **step}]},
        solver={"dt": "40 s", "cycle_jump": jump})


def _run(jump: int, tmp, comm) -> tuple[dict, dict]:
    from seifem.simulation.run import run_case

    out = tmp / f"jump{jump}"
    if comm.rank == 0:
        out.mkdir()
    comm.barrier()
    run_case(_case(jump), out, comm)
    return read_csv(out / "cycles.csv"), read_csv(out / "history.csv")


@pytest.mark.slow
def test_cycle_jumping_in_3d_against_every_cycle(comm, shared_tmp):
    every, h_every = _run(0, shared_tmp, comm)
    fast, h_fast = _run(2, shared_tmp, comm)
    assert list(fast["cycle"]) == list(range(1, CYCLES + 1)) == list(every["cycle"])
    assert list(fast["resolved"]) == [1, 1, 1, 0, 0, 1] and set(every["resolved"]) == {1}
    assert h_fast["sei_failed_area"].max() == 1.0  # the film cracks and re-forms every cycle
    err = {k: abs(fast[k][-1] - every[k][-1]) / abs(every[k][-1])
           for k in ("capacity_retention", "coulombic_efficiency", "lost_ions_mol")}
    err["sei_thickness"] = abs(h_fast["sei_thickness_mean_nm"][-1] - h_every["sei_thickness_mean_nm"][-1]) / \
        h_every["sei_thickness_mean_nm"][-1]
    print("jumped vs every cycle, relative:", {k: f"{v:.2e}" for k, v in err.items()})
    # measured (1 rank): retention 1.3e-6, CE 1.3e-6, lithium lost 2.1e-4, mean SEI thickness 6.5e-7
    for k, tol in {"capacity_retention": 3e-6, "coulombic_efficiency": 3e-6, "lost_ions_mol": 5e-4,
                   "sei_thickness": 2e-6}.items():
        assert err[k] < tol, (k, err[k])
    # the skipped cycles' rows (4, 5), from the extrapolated film: retention and CE against every cycle
    # (measured 0: from cycle 3 on the film fails and re-forms alike every cycle, so the every-cycle
    # run is periodic and the extrapolation exact; the resolved cycle 6 above measures the jump)
    skipped = {k: max(abs(fast[k][i] - every[k][i]) / every[k][i] for i in (3, 4))
               for k in ("capacity_retention", "coulombic_efficiency", "lost_ions_mol")}
    print("skipped rows vs every cycle, relative:", {k: f"{v:.2e}" for k, v in skipped.items()})
    for k, tol in {"capacity_retention": 1e-9, "coulombic_efficiency": 1e-9, "lost_ions_mol": 1e-9}.items():
        assert skipped[k] < tol, (k, skipped[k])
    # particle + SEI = applied, through the jumps (history rows of the resolved steps)
    full = h_fast["applied_ions_mol"].max()
    cons = np.abs(h_fast["ions_mol"] + h_fast["lost_ions_mol"] - h_fast["applied_ions_mol"]) / full
    assert cons.max() < 1e-8  # measured 1.3e-10 (issue: 1e-8)
    print(f"conservation error max {cons.max():.2e}")

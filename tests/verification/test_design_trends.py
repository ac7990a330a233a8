"""What a materials scientist expects of a coated Si sphere, checked through design sweeps
(`seifem.sweeps.run.run_sweep` on COMM_WORLD: under mpirun -n 2 the designs run two at a
time on groups of one rank) of the 1D spherically symmetric twin, read back from
comparison.csv:

- a thicker stiff (carbon, 100 GPa > Si 80 GPa) coating lowers the SEI strain;
- a stiffer SEI stores more elastic energy at (nearly) equal strain: the film is too thin to
  change the particle's swelling, by at most the ratio of its membrane stiffness to the
  core's, 2 h E_s / ((1 - nu_s) R E_core);
- faster charging to the same state of charge raises the peak core stresses (steeper
  concentration gradient).
Strict inequalities: each trend is a physical consequence, not a tolerance.
"""

from __future__ import annotations

import numpy as np

from seifem.results.sweepdir import read_comparison
from seifem.sweeps.run import run_sweep

BASE = """
[particle]
material = "Si"
radius = "1 um"
initial_soc = 0.01
[coating]
material = "carbon"
thickness = "20 nm"
[sei]
material = "sei-carbonate"
thickness = "10 nm"
[geometry]
model = "1d"
[[protocol.steps]]
mode = "lithiate"
c_rate = "1 C"
until_soc = 0.03
[solver]
dt = "10 s"
[output]
render = false
fields = false
"""


def sweep(shared_tmp, comm, *vary: str) -> dict[str, np.ndarray]:
    """comparison.csv columns of a sweep of BASE, in the order of the values given."""
    case = shared_tmp / "base.toml"
    if comm.rank == 0:
        case.write_text(BASE)
    comm.barrier()
    result = run_sweep(case, list(vary), shared_tmp / "sweep", comm, render=False)
    assert not result["failed"]
    rows = read_comparison(shared_tmp / "sweep" / "comparison.csv")
    assert [r["status"] for r in rows] == ["done"] * len(rows)
    return {k: np.array([r[k] for r in rows]) for k in rows[0]}


def test_thicker_stiff_coating_lowers_sei_strain(shared_tmp, comm):
    t = sweep(shared_tmp, comm, "coating.thickness=10,40,160nm")
    assert np.all(np.diff(t["sei_strain"]) < 0), t["sei_strain"]
    assert np.all(np.diff(t["sei_energy_util"]) < 0)
    assert np.all(np.diff(t["specific_capacity_mAh_g"]) < 0)  # the price: inactive carbon mass


def test_stiffer_sei_stores_more_energy_at_equal_strain(shared_tmp, comm):
    moduli = np.array([0.5e9, 5e9, 50e9])
    t = sweep(shared_tmp, comm, "sei.youngs_modulus=0.5,5,50GPa")
    h, R, E_core, nu_s = 10e-9, 1e-6, 80e9, 0.3
    bound = 2 * h * moduli.max() / ((1 - nu_s) * R * E_core)  # 1.8 %: the film's share of the stiffness
    e = t["sei_strain"]
    assert np.all(np.abs(e / e[0] - 1) <= bound), e
    assert np.all(np.diff(e) <= 0)  # a stiffer film resists the swelling a little more
    assert np.all(np.diff(t["sei_energy_density_kJ_m3"]) > 0), t["sei_energy_density_kJ_m3"]


def test_faster_charging_raises_peak_stress(shared_tmp, comm):
    t = sweep(shared_tmp, comm, "protocol.steps.0.c_rate=0.5,1,2C")
    assert np.all(np.diff(t["core_tension_MPa"]) > 0), t["core_tension_MPa"]
    assert np.all(np.diff(t["core_von_mises_MPa"]) > 0), t["core_von_mises_MPa"]

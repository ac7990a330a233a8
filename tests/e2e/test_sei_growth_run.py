"""SEI growth in a 3D run: during a rest the film grows by the solvent-diffusion law,
L^2 = L0^2 + 2 V D c t / z, or the reaction-limited law, L = L0 + k t (docs/verification.md
B6), the lithium it takes is z (L - L0) A / V,
and ions in the particle + ions in the SEI = ions applied, step by step."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import read_csv, run_seifem
from seifem import analytic as an
from seifem.physics.sei_growth import SEIGrowthParameters

REST_CASE = """
[particle]
material = "Si"
radius = "1 um"
initial_soc = 0.2
[sei]
material = "sei-carbonate"
thickness = "5 nm"
growth = "{growth}"
[geometry]
mesh_size = "0.5 um"
[[protocol.steps]]
mode = "rest"
duration = "10 h"
dt = "{dt}"
[output]
fields = false
render = false
"""


def _rest_run(tmp_path, growth: str, dt: str = "1 h", *extra: str) -> dict:
    """History of a 10 h rest of a 1 um Si particle with a growing 5 nm SEI, on 2 ranks."""
    case_file = tmp_path / "rest.toml"
    case_file.write_text(REST_CASE.format(growth=growth, dt=dt))
    res = run_seifem(2, "run", str(case_file), "--out", str(tmp_path / "rest"), *extra)
    assert res.returncode == 0, res.stderr
    return read_csv(tmp_path / "rest" / "history.csv")


def _check_lithium(h: dict, L: np.ndarray, p: SEIGrowthParameters, rtol: float = 1e-4) -> None:
    """Lost ions = z x SEI moles formed, (L - L0) A / V; particle + SEI = applied."""
    area = 4 * np.pi * (1e-6) ** 2  # the discrete sphere's area is within 1e-5 of it
    lost = p.z * (L - 5e-9) * area / p.molar_volume
    np.testing.assert_allclose(h["lost_ions_mol"], lost, rtol=rtol, atol=1e-30)
    scale = h["applied_ions_mol"].max()
    # to the 10 significant digits the CSV keeps
    np.testing.assert_allclose(h["ions_mol"] + h["lost_ions_mol"], h["applied_ions_mol"], rtol=0, atol=1e-9 * scale)


@pytest.mark.slow  # ~10 s loaded: a 3D run on 2 ranks (the growth laws: unit/test_sei_growth.py)
def test_growth_at_rest_follows_sqrt_t_and_conserves_lithium(tmp_path):
    h = _rest_run(tmp_path, "solvent-diffusion")
    p = SEIGrowthParameters()
    L = an.sei_thickness_solvent_diffusion(h["time_s"], 5e-9, p.molar_volume, p.solvent_diffusivity,
                                           p.solvent_concentration, p.z)
    # the particle gives up the lithium and shrinks (area -8.5e-6 per hour here), which thickens
    # the film at constant volume: 1e-4 bounds that effect over 10 h
    np.testing.assert_allclose(h["sei_thickness_mean_nm"], L * 1e9, rtol=1e-4)
    _check_lithium(h, L, p)


@pytest.mark.slow  # ~13 s loaded: a 3D run on 2 ranks
def test_reaction_limited_growth_at_rest_is_linear_in_t(tmp_path):
    """Reaction-limited law at the constant overpotential eta = 0.1 V - U_sei = -0.3 V (no
    voltage model: the case's sei.electrode_potential drives the reaction):
    L = L0 + V j0 exp(-alpha F eta / R T) t / (F z) (B6), whatever the time steps (uneven here:
    the update is exact); 1.8 nm in 10 h."""
    h = _rest_run(tmp_path, "reaction-limited", "47 min", "--set", 'sei.electrode_potential="0.1 V"',
                  "--set", 'electrochemistry.kinetics="none"')
    p = SEIGrowthParameters()
    L = an.sei_thickness_reaction_limited(h["time_s"], 5e-9, p.molar_volume, p.j0, p.alpha, 0.1 - p.ocp,
                                          p.reference_temperature, p.z)
    # the particle gives its lithium to the film and shrinks; the intact film keeps its volume,
    # so it thickens by at most the relative area loss, 2/3 |dV/V| (3.5e-4 here), and its
    # volume (the lithium) is short of the closed form by at most as much
    shrink = 2 / 3 * np.max(np.abs(h["volume_change"])) + 1e-5
    assert L[-1] - L[0] > 1.5e-9 and shrink < 1e-3  # growth of 36 %, bound of 0.04 %
    np.testing.assert_allclose(h["sei_thickness_mean_nm"], L * 1e9, rtol=shrink)
    _check_lithium(h, L, p, rtol=shrink)


@pytest.mark.slow
def test_cycling_with_a_failing_film_loses_capacity(tmp_path):
    """A brittle LiF-rich SEI on a carbon-coated Si particle cracks on every lithiation,
    re-forms and takes lithium: Coulombic efficiency below 1 from the second cycle on."""
    out = tmp_path / "cycles"
    res = run_seifem(2, "run", str(make_case_file(tmp_path)), "--out", str(out))
    assert res.returncode == 0, res.stderr
    c = read_csv(out / "cycles.csv")
    assert list(c["cycle"]) == [1, 2, 3]
    assert np.all(c["coulombic_efficiency"][1:] < 1.0) and np.all(c["coulombic_efficiency"][1:] > 0.99)
    assert np.all(np.diff(c["lost_ions_mol"]) > 0)
    h = read_csv(out / "history.csv")
    assert h["sei_failed_area"].max() == 1.0


def make_case_file(tmp_path):
    path = tmp_path / "cycling.toml"
    path.write_text("""
[particle]
material = "Si"
radius = "1 um"
[coating]
material = "carbon"
thickness = "20 nm"
[sei]
material = "sei-LiF-rich"
thickness = "10 nm"
growth = "solvent-diffusion"
[geometry]
mesh_size = "0.5 um"
[protocol]
cycles = 3
[[protocol.steps]]
mode = "lithiate"
c_rate = "1 C"
until_soc = 0.05
[[protocol.steps]]
mode = "delithiate"
c_rate = "1 C"
until_soc = 0.0
[solver]
dt = "30 s"
[output]
fields = false
render = false
""")
    return path


def test_film_takes_the_case_resistivity():
    """The growth law's film drop i L R_sei uses the case's SEI resistivity (library value or
    override), the same one the voltage model uses."""
    from mpi4py import MPI

    from helpers import make_case
    from seifem.geometry import build
    from seifem.problem.particle import ParticleProblem
    from seifem.problem.quantities import Quantities
    from seifem.problem.sei_film import SEIFilm

    for override, expected in ((None, 2e5), ("1e6 ohm*m", 1e6)):
        sei = {"material": "sei-carbonate", "thickness": "5 nm", "growth": "reaction-limited"}
        case = make_case(sei={**sei, **({"resistivity": override} if override else {})},
                         geometry={"domain": "octant", "mesh_size": "0.5 um"})
        p = ParticleProblem(case, build(case, MPI.COMM_SELF))
        film = SEIFilm(p, Quantities(p), case.sei_growth)
        assert film.params.resistivity == expected == case.sei.material.si("resistivity")
        p.destroy()


LAYERED_CASE = """
[particle]
material = "Si"
radius = "1 um"
initial_soc = 0.01
[coating]
material = "carbon"
thickness = "20 nm"
[sei]
material = "sei-carbonate"
growth = "solvent-diffusion"
layers = [
  {name = "inner", thickness = "2.5 nm", composition = {LiF = 0.6, Li2O = 0.2, Li2CO3 = 0.2}},
  {name = "outer", thickness = "2.5 nm", composition = {polymer = 0.5, Li-alkyl-carbonate = 0.5}, law = "sls", relaxed_modulus = "0.02 GPa", relaxation_time = "30 s"},
]
[geometry]
domain = "octant"
mesh_size = "0.5 um"
[protocol]
cycles = 5
[[protocol.steps]]
mode = "lithiate"
c_rate = "2 C"
until_soc = 0.2
[[protocol.steps]]
mode = "delithiate"
c_rate = "2 C"
until_soc = 0.01
[solver]
dt = "60 s"
cycle_jump = 1
[output]
fields = false
render = false
"""


@pytest.mark.slow
def test_3d_run_with_inelastic_layers_and_growth_conserves_lithium_across_a_jump(tmp_path):
    """`seifem run` of a 3D coated particle whose layered SEI (an SLS outer layer) grows, with a
    cycle jump (cycle 4): the layers' and the grown SEI's stresses are in the history, the film
    thickens and takes lithium every cycle, and particle + SEI = applied holds over every row, the
    jump included, to the CSV's 10 digits (measured 3.8e-10 of the applied ions)."""
    case_file = tmp_path / "layered.toml"
    case_file.write_text(LAYERED_CASE)
    res = run_seifem(2, "run", str(case_file), "--out", str(tmp_path / "run"))
    assert res.returncode == 0, res.stderr
    h, c = read_csv(tmp_path / "run" / "history.csv"), read_csv(tmp_path / "run" / "cycles.csv")
    assert list(c["resolved"]) == [1, 1, 1, 0, 1]
    assert {"outer_stress_max_MPa", "grown_stress_max_MPa", "inner_peak_stress_MPa"} <= set(h)
    assert np.all(np.diff(h["sei_thickness_mean_nm"]) > 0) and np.all(np.diff(c["lost_ions_mol"]) > 0)
    scale = h["applied_ions_mol"].max()
    np.testing.assert_allclose(h["ions_mol"] + h["lost_ions_mol"], h["applied_ions_mol"], rtol=0, atol=1e-9 * scale)

"""Inelastic SEI layers in the 3D membrane solve (`problem.sei_layered_3d`) against the 1D twin
stepping the same `LayeredMembraneState` (`reduced.radial.RadialProblem.set_membrane`, the
pattern of `simulation.cycle_cell.Cell.step`): a carbon-coated Si sphere (octant, coarse mesh)
lithiated at C/2, then held, under three SEI layers inside out: an elastic inorganic layer, an
elastic-perfectly-plastic layer (sigma_y = 20 MPa) and a standard-linear-solid organic layer
(tau = 30 s) that relaxes during the hold. Collective (allreduced, same numbers on 2 ranks)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from helpers import make_case

LITHIATE, HOLD, DT, RATE = 6, 4, 30.0, 0.5
TOL = 3e-3  # measured 1.15e-3 (1 and 2 ranks): the cell-mean strain of the coarse faceted surface
CRACK_TOL = 3e-3  # measured (1 and 2 ranks): stresses 1.10e-3, damage of the cracking layer 1.36e-3
GROWTH_D = 5e-18  # solvent diffusivity [m^2/s] raised from PyBaMM's 2.5e-22: the film grows 12 -> 30 nm in 5 min
RELAX_TOL = 1.5e-3  # measured 5.2e-4: the strain drifts a little during the hold


def _layers(strength: float | None = None):
    from seifem.physics.layered_membrane import SEILayer
    from seifem.physics.sei_inelastic import ElasticPlastic, StandardLinearSolid

    layers = (SEILayer(3e-9, 60e9, 0.3, "inorganic", strength=strength), SEILayer(4e-9, 1e9, 0.35, "plastic"),
              SEILayer(5e-9, 1e9, 0.35, "organic"))
    laws = (None, ElasticPlastic(1e9, 20e6, 0.35), StandardLinearSolid(0.01e9, 0.99e9, 30.0, 0.35))
    return layers, laws


def _case(strength: float | None = None, growth: str = "none"):
    layers, laws = _layers(strength)
    case = make_case(particle={"material": "Si", "radius": "1 um", "initial_soc": 0.01},
                     coating={"material": "carbon", "thickness": "20 nm"},
                     sei={"material": "sei-LiF-rich", "thickness": "12 nm", "growth": growth},
                     geometry={"domain": "octant", "mesh_size": "0.5 um"},
                     protocol={"steps": [{"mode": "lithiate", "c_rate": "0.5 C", "until_soc": 0.5}]},
                     solver={"dt": "30 s"})
    return replace(case, sei_layers=layers, sei_layer_laws=laws)


def _one_d(case, strength: float | None = None, damage: list | None = None, film=None,
           grown: list | None = None) -> list[np.ndarray]:
    """The 1D twin's layer stresses [Pa] after every step (as `Cell.step`; `film` a
    `physics.sei_cracks.CrackedFilm` grows the SEI, the grown part's stress appended to `grown`)."""
    from mpi4py import MPI

    from seifem.physics.sei_inelastic import biaxial
    from seifem.physics.sei_layer_state import LayeredMembraneState
    from seifem.reduced.radial import RadialProblem, design_from_case

    layers, laws = _layers(strength)
    p = RadialProblem(design_from_case(case, time_scheme="euler"), MPI.COMM_SELF)
    mat = case.sei.material
    m = LayeredMembraneState.of(layers, laws, damaging=strength is not None,
                                grown_modulus=biaxial(mat.si("youngs_modulus"), mat.si("poisson_ratio")))
    out, strain = [], 0.0
    for k in range(LITHIATE + HOLD):
        lost = 0.0
        if film is not None:
            lost = sum(film.grow(DT, 0.0, 0.0, case.physics.temperature, strain))
            m.grow(film.L - film.params.initial_thickness - m.grown_thickness, strain)
        p.set_membrane(*m.resultant(DT))
        p.advance(DT, RATE if k < LITHIATE else 0.0, order=1, sink=lost / DT)
        for _ in range(6):
            if not m.statuses(p.surface_strain()):
                break
            p.set_membrane(*m.resultant(DT))
            p.solve_mechanics()
        strain = p.surface_strain()
        out.append(np.array(m.commit(strain, DT)))
        if grown is not None:
            grown.append(m.grown_stress(strain))
        if damage is not None:
            damage.append(m.layers[0].damage)
    return out


@pytest.mark.slow
def test_inelastic_layers_in_the_3d_membrane_match_the_1d_twin(comm):
    from seifem import geometry
    from seifem.problem.particle import ParticleProblem

    case = _case()
    ref = _one_d(case)
    p = ParticleProblem(case, geometry.build(case, comm))
    assert p.layered is not None
    err, rows = 0.0, []
    for k in range(LITHIATE + HOLD):
        p.advance(DT, RATE if k < LITHIATE else 0.0, order=1)
        s = p.layered.layer_scalars()
        rows.append(s)
        for i, name in enumerate(p.layered.names):
            for col in ("max", "min"):
                err = max(err, abs(s[f"{name}_stress_{col}_MPa"] * 1e6 - ref[k][i]) / abs(ref[k][i]))
    print("3D vs 1D layer stresses, largest relative difference over cells, layers and steps:", f"{err:.2e}")
    plastic = [r["plastic_stress_max_MPa"] for r in rows]
    organic = [r["organic_stress_max_MPa"] for r in rows]
    print("plastic layer [MPa]:", np.round(plastic, 4), "organic layer [MPa]:", np.round(organic, 4))
    # the plastic layer is elastic for three steps, then on its yield plateau while lithiating (1D
    # and every 3D cell); in the hold some 3D cells unload elastically by a little (the surface
    # strain evens out; measured 19.996 MPa at the least), within the stress tolerance below
    assert ref[2][1] < 19e6 and plastic[2] < 19.0
    for k in range(3, LITHIATE + HOLD):
        assert ref[k][1] == pytest.approx(20e6, rel=1e-12)
        assert rows[k]["plastic_stress_max_MPa"] == pytest.approx(20.0, rel=1e-12)
        low = 1e-12 if k < LITHIATE else TOL
        assert rows[k]["plastic_stress_min_MPa"] == pytest.approx(20.0, rel=low)
    # the SLS layer relaxes during the hold as the closed form under held strain e (read from the
    # elastic inorganic layer, sigma = M e): sigma = M_inf e + (sigma_0 - M_inf e) exp(-t_hold/tau)
    layers, laws = _layers()
    sls = laws[2]
    e = rows[-1]["inorganic_stress_max_MPa"] * 1e6 / (layers[0].youngs_modulus / (1 - layers[0].poisson_ratio))
    relaxed = sls.E_inf / (1 - sls.nu) * e
    closed = relaxed + (organic[LITHIATE - 1] * 1e6 - relaxed) * np.exp(-HOLD * DT / sls.tau)
    relax_err = abs(organic[-1] * 1e6 - closed) / closed
    print(f"SLS after the hold: {organic[-1]:.6g} MPa, closed form {closed / 1e6:.6g} MPa, relative {relax_err:.2e}")
    assert relax_err < RELAX_TOL
    assert err < TOL


@pytest.mark.slow
@pytest.mark.parametrize("growth", ["none", "solvent-diffusion"])
def test_inelastic_layer_state_survives_a_restart(comm, growth):
    """The layers' internal variables (and the grown SEI's) are in the problem's state (what
    checkpoints write): a second problem given the first's state after lithiating into the yield
    plateau and the SLS's loading continues the hold with the same layer stresses (bit for bit)."""
    from dataclasses import replace as dc_replace

    from seifem import geometry
    from seifem.physics.sei_growth import SEIGrowthParameters
    from seifem.problem.particle import ParticleProblem
    from seifem.problem.quantities import Quantities
    from seifem.problem.sei_film import SEIFilm

    case = _case(growth=growth)
    params = dc_replace(SEIGrowthParameters(initial_thickness=12e-9), solvent_diffusivity=GROWTH_D)
    a, b = (ParticleProblem(case, geometry.build(case, comm)) for _ in range(2))
    films = [SEIFilm(p, Quantities(p), growth, params) if growth != "none" else None for p in (a, b)]

    def step(p, film, rate):
        lost = film.grow(DT) if film is not None else 0.0
        p.advance(DT, rate, order=1, sink=lost / DT)

    for _ in range(4):
        step(a, films[0], RATE)
    for name, f in a.state_functions().items():
        b.state_functions()[name].x.array[:] = f.x.array
    b.set_time_state(a.time_state())
    for p, film in zip((a, b), films):
        step(p, film, 0.0)
    sa, sb = a.layered.layer_scalars(), b.layered.layer_scalars()
    print({k: (sa[k], sb[k]) for k in sa})
    if growth == "none":  # with growth the stiffening film unloads the plastic layer in the hold (19.76 MPa)
        assert sa["plastic_stress_max_MPa"] == pytest.approx(20.0, rel=1e-12)
    assert ("grown_stress_max_MPa" in sa) == (growth != "none")
    assert all(sb[k] == pytest.approx(sa[k], rel=1e-12) for k in sa)  # measured: equal


@pytest.mark.slow
def test_cracking_layer_in_3d_matches_the_1d_twin(comm):
    """The inner layer given a strength of 2.2 GPa (its intact peak is 1.86 GPa) cracks by the
    Weibull law (m = 6) in every SEI cell as in the 1D twin; the cracked area softens the film,
    which the other layers' stresses feel."""
    from seifem import geometry
    from seifem.problem.particle import ParticleProblem

    case, damage_1d = _case(2.2e9), []
    ref = _one_d(case, 2.2e9, damage_1d)
    p = ParticleProblem(case, geometry.build(case, comm))
    err = dmg = 0.0
    for k in range(LITHIATE + HOLD):
        p.advance(DT, RATE if k < LITHIATE else 0.0, order=1)
        s = p.layered.layer_scalars()
        for i, name in enumerate(p.layered.names):
            err = max(err, abs(s[f"{name}_stress_max_MPa"] * 1e6 - ref[k][i]) / abs(ref[k][i]))
        dmg = max(dmg, abs(s["inorganic_damage_max"] - damage_1d[k]) / max(damage_1d[k], 1e-3))
    print(f"cracking inner layer: damage {damage_1d[-1]:.4f} (1D), stresses {err:.2e}, damage {dmg:.2e}")
    assert 0.1 < damage_1d[-1] < 0.9
    assert err < CRACK_TOL and dmg < CRACK_TOL


GROWTH_TOL = 3e-3  # layer / grown-SEI stresses, measured 1.32e-3 / 9.0e-4: the coarse surface's cell-mean strain
AREA_TOL = 1e-4  # lithium lost, measured 2.9e-5: the meshed SEI area against 4 pi (R + 20 nm)^2


@pytest.mark.slow
def test_inelastic_layers_with_sei_growth_in_3d_match_the_1d_twin(comm):
    """SEI growth under the inelastic layers: the film thickens by the solvent-diffusion law (its
    rate raised so that the 12 nm film grows to ~30 nm within the 5 min run), the grown SEI is an
    elastic outer part stress-free at the strain it formed in (`LayeredMembraneState.grow`), and it
    takes its lithium from the particle. Against the 1D twin stepped as `Cell.step`: the thickness
    (the same exact law in every cell), the lithium lost (z A delta L / V: the meshed area against
    4 pi R^2), each layer's stress and the grown SEI's stress, after every step."""
    from dataclasses import replace as dc_replace

    from seifem import geometry
    from seifem.physics.sei_cracks import CrackedFilm
    from seifem.physics.sei_growth import SEIGrowthParameters
    from seifem.problem.particle import ParticleProblem
    from seifem.problem.quantities import Quantities
    from seifem.problem.sei_film import SEIFilm

    case = _case(growth="solvent-diffusion")
    params = dc_replace(SEIGrowthParameters(initial_thickness=12e-9), solvent_diffusivity=GROWTH_D)
    area = 4 * np.pi * 1.02e-6**2  # the SEI on the coating: 4 pi (R + 20 nm)^2
    film_1d, grown_1d, growth_off = CrackedFilm(area, params), [], _one_d(_case())
    ref = _one_d(case, film=film_1d, grown=grown_1d)
    p = ParticleProblem(case, geometry.build(case, comm))
    film = SEIFilm(p, Quantities(p), "solvent-diffusion", params)
    assert p.layered is not None and p.layered.growing
    err = lost_err = h_err = g_err = effect = 0.0
    lost = 0.0
    film_ref = CrackedFilm(area, params)
    for k in range(LITHIATE + HOLD):
        taken = film.grow(DT)
        lost += taken
        film_ref.grow(DT, 0.0, 0.0, case.physics.temperature)
        p.advance(DT, RATE if k < LITHIATE else 0.0, order=1, sink=taken / DT)
        s = p.layered.layer_scalars()
        for i, name in enumerate(p.layered.names):
            effect = max(effect, abs(ref[k][i] - growth_off[k][i]) / abs(ref[k][i]))
            for col in ("max", "min"):
                err = max(err, abs(s[f"{name}_stress_{col}_MPa"] * 1e6 - ref[k][i]) / abs(ref[k][i]))
        for col in ("max", "min"):
            g_err = max(g_err, abs(s[f"grown_stress_{col}_MPa"] * 1e6 - grown_1d[k]) / abs(grown_1d[k]))
        h_mean, h_max = film.thickness_nm()
        h_err = max(h_err, abs(h_mean - film_ref.L * 1e9) / (film_ref.L * 1e9), abs(h_max - h_mean) / h_mean)
        lost_err = max(lost_err, abs(lost - film_ref.lost_mol) / film_ref.lost_mol)
    print(f"growth: thickness {film_ref.L * 1e9:.3f} nm (rel {h_err:.1e}); lithium lost {lost:.4e} mol "
          f"(1D {film_ref.lost_mol:.4e}, rel {lost_err:.2e}); layer stresses {err:.2e}, grown SEI stress "
          f"{g_err:.2e} (grown stress at the end {grown_1d[-1] / 1e6:.4g} MPa); growth changes the 1D layer "
          f"stresses by up to {effect:.2e}")
    assert film_ref.L > 2.4 * 12e-9  # the film more than doubled
    assert h_err < 1e-12  # the same exact law in every cell
    assert lost_err < AREA_TOL
    assert effect > 10 * GROWTH_TOL  # the grown SEI's stiffness matters at this tolerance
    assert err < GROWTH_TOL and g_err < GROWTH_TOL

"""SEI composition -> film moduli (Voigt-Reuss-Hill) and the SEI phase data."""

import numpy as np
import pytest

from seifem.errors import CaseError
from seifem.materials.sei_phases import SEI_PHASES, phase_names, sei_film
from seifem.physics.homogenisation import bulk_shear, cubic_hill, voigt_reuss_hill, young_poisson


def test_phases_have_sources_and_physical_values():
    for name, m in SEI_PHASES.items():
        assert m.kind == "sei-phase"
        for key in ("youngs_modulus", "poisson_ratio", "density"):
            v = m.values[key]
            assert v.source and np.isfinite(v.si), (name, key)
        assert 0 < m.si("poisson_ratio") < 0.5 and m.si("youngs_modulus") > 0


@pytest.mark.parametrize("name", sorted(SEI_PHASES))
def test_one_phase_composition_is_that_phase_exactly(name):
    film = sei_film({name: 1.0})
    p = SEI_PHASES[name]
    # K, G -> E, nu round trip only: measured relative error ~1e-16, held to 1e-13
    assert film.si("youngs_modulus") == pytest.approx(p.si("youngs_modulus"), rel=1e-13)
    assert film.si("poisson_ratio") == pytest.approx(p.si("poisson_ratio"), rel=1e-13)
    assert film.si("density") == p.si("density")


def test_hill_moduli_lie_between_the_bounds():
    rng = np.random.default_rng(14)
    names = phase_names("Li")
    for _ in range(200):
        f = rng.dirichlet(np.ones(len(names)) * 0.5)
        film = sei_film(dict(zip(names, f / f.sum())))
        KG = np.array([bulk_shear(SEI_PHASES[n].si("youngs_modulus"), SEI_PHASES[n].si("poisson_ratio")) for n in names])
        m = voigt_reuss_hill(f / f.sum(), KG[:, 0], KG[:, 1])
        assert m.K_reuss <= m.K <= m.K_voigt and m.G_reuss <= m.G <= m.G_voigt
        lo, hi = m.E_bounds
        assert lo <= film.si("youngs_modulus") <= hi
        assert min(KG[:, 0]) <= m.K_reuss and m.K_voigt <= max(KG[:, 0])


def test_two_phase_voigt_reuss_by_hand():
    m = voigt_reuss_hill([0.25, 0.75], [100.0, 10.0], [40.0, 4.0])
    assert m.K_voigt == pytest.approx(0.25 * 100 + 0.75 * 10, rel=1e-15)
    assert m.K_reuss == pytest.approx(1 / (0.25 / 100 + 0.75 / 10), rel=1e-15)
    assert m.G == pytest.approx(0.5 * (0.25 * 40 + 0.75 * 4 + 1 / (0.25 / 40 + 0.75 / 4)), rel=1e-15)


def test_cubic_hill_of_an_isotropic_crystal_is_exact():
    E, nu = 100e9, 0.3
    lam, mu = E * nu / ((1 + nu) * (1 - 2 * nu)), E / (2 * (1 + nu))
    K, G = cubic_hill(lam + 2 * mu, lam, mu)
    assert young_poisson(K, G) == pytest.approx((E, nu), rel=1e-14)


def test_fractions_not_summing_to_one_are_refused_naming_the_key():
    with pytest.raises(CaseError) as err:
        sei_film({"LiF": 0.5, "Li2CO3": 0.4}, key="sei.layers[0].composition")
    assert err.value.key == "sei.layers[0].composition" and "sum to 1" in str(err.value)


def test_bad_phases_are_refused():
    with pytest.raises(CaseError) as err:
        sei_film({"LiF": 0.5, "unobtainium": 0.5}, key="k")
    assert err.value.key == "k.unobtainium"
    with pytest.raises(CaseError) as err:
        sei_film({"LiF": 1.5, "Li2O": -0.5}, key="k")
    assert err.value.key == "k.LiF"
    with pytest.raises(CaseError) as err:  # a Li salt in a Na cell
        sei_film({"LiF": 0.5, "NaF": 0.5}, key="k", ion="Na")
    assert err.value.key == "k.LiF"
    assert sei_film({"NaF": 0.5, "polymer": 0.5}, ion="Na").si("youngs_modulus") > 0


def test_hashin_shtrikman_bounds_within_voigt_reuss_and_exact_cases():
    from seifem.physics.homogenisation import hashin_shtrikman

    rng = np.random.default_rng(3)
    names = phase_names("Li")
    KG = np.array([bulk_shear(SEI_PHASES[n].si("youngs_modulus"), SEI_PHASES[n].si("poisson_ratio")) for n in names])
    for _ in range(200):
        f = rng.dirichlet(np.ones(len(names)) * 0.5)
        m = voigt_reuss_hill(f, KG[:, 0], KG[:, 1])
        kl, ku, gl, gu = hashin_shtrikman(f, KG[:, 0], KG[:, 1])
        tol = 1e-12 * m.K_voigt
        assert m.K_reuss - tol <= kl <= ku <= m.K_voigt + tol and m.G_reuss - tol <= gl <= gu <= m.G_voigt + tol
    kl, ku, gl, gu = hashin_shtrikman([1.0], [70e9], [50e9])  # one phase: exact
    assert (kl, ku, gl, gu) == pytest.approx((70e9, 70e9, 50e9, 50e9), rel=1e-15)
    # equal shear moduli: K is exact, K* = [sum f_i/(K_i + 4G/3)]^-1 - 4G/3 (Hill 1963)
    kl, ku, _, _ = hashin_shtrikman([0.3, 0.7], [100e9, 10e9], [20e9, 20e9])
    exact = 1 / (0.3 / (100e9 + 80e9 / 3) + 0.7 / (10e9 + 80e9 / 3)) - 80e9 / 3
    assert kl == pytest.approx(exact, rel=1e-14) and ku == pytest.approx(exact, rel=1e-14)

"""`physics.sei_cracks.CrackFaceSEI`: the SEI on open crack faces (pure bookkeeping)."""

from __future__ import annotations

import pytest

from seifem.physics.sei_cracks import CrackFaceSEI
from seifem.physics.sei_growth import SEIGrowthParameters, advance_thickness

P = SEIGrowthParameters()


@pytest.mark.parametrize("law", ["solvent-diffusion", "reaction"])
def test_constant_area_grows_by_the_law_and_counts_its_lithium(law):
    film, A = CrackFaceSEI(P, law), 2e-12
    total = sum(film.grow(10.0, A, eta=-0.3) for _ in range(5))
    L = P.fresh_thickness
    for _ in range(4):  # covered at the fresh thickness in the first step, then grown
        L = float(advance_thickness(L, 10.0, law, P, -0.3))
    assert film.L == pytest.approx(L, rel=1e-14) and film.area == A
    assert total == pytest.approx(P.z / P.molar_volume * A * L, rel=1e-12) == film.lost_mol


def test_new_faces_join_fresh_and_closing_keeps_the_film():
    film = CrackFaceSEI(P)
    film.grow(100.0, 1e-12)
    film.grow(100.0, 1e-12)
    L1 = film.L
    L_grown = float(advance_thickness(L1, 100.0, "solvent-diffusion", P))
    taken = film.grow(100.0, 3e-12)  # the crack grows: 2e-12 m^2 of new faces at the fresh thickness
    assert film.L == pytest.approx((L_grown * 1e-12 + P.fresh_thickness * 2e-12) / 3e-12, rel=1e-14)
    assert taken == pytest.approx(P.z / P.molar_volume * (3e-12 * film.L - 1e-12 * L1), rel=1e-12)
    film.grow(100.0, 0.0)  # the crack closes: the covered area and its film stay
    assert film.area == 3e-12 and film.lost_mol > 0
    state = film.state()
    other = CrackFaceSEI(P)
    other.set_state(state)
    assert other.state() == state

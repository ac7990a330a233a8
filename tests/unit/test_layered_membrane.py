"""Layered SEI membrane: closed form of bonded thin shells on a swelling core, the exact (Lame)
thick-layer solution, the 1D twin and the one-layer reduction to physics.membrane."""

import numpy as np
import pytest

from seifem.analytic import layered_sphere
from seifem.analytic.bilayer import shells_on_swelling_core
from seifem.errors import CaseError
from seifem.physics.layered_membrane import (
    SEILayer,
    check_membrane_limit,
    equivalent_film,
    layer_stresses,
    layer_utilisation,
    resultant,
)

A, E_CORE, NU_CORE, E_STAR = 5e-6, 80e9, 0.22, 0.01  # Si-like core of a microparticle, 1 % linear swelling
BILAYER = (SEILayer(5e-9, 118e9, 0.20, "inorganic", strength=300e6), SEILayer(5e-9, 2e9, 0.35, "organic", strength=50e6))


def _closed():
    return shells_on_swelling_core(A, E_CORE, NU_CORE, E_STAR, [L.thickness for L in BILAYER],
                                   [L.youngs_modulus for L in BILAYER], [L.poisson_ratio for L in BILAYER])


def test_bilayer_membrane_matches_thick_shells_within_half_a_percent():
    """Each layer's stress and the resultant of the membrane closed form against the exact
    Lame solution of the core + two shells (mid-thickness hoop stress; N = int sigma_t dr)."""
    cf = _closed()
    h = np.array([L.thickness for L in BILAYER])
    radii = A + np.concatenate([[0.0], np.cumsum(h)])
    ls = layered_sphere(radii, [E_CORE] + [L.youngs_modulus for L in BILAYER],
                        [NU_CORE] + [L.poisson_ratio for L in BILAYER], [E_STAR, 0.0, 0.0])
    mid = 0.5 * (radii[:-1] + radii[1:])
    err = np.abs(cf.stresses / ls.sigma_t(mid) - 1)
    assert err.max() < 5e-3  # measured 0.101 % (inner), 0.308 % (outer): the O(h/a) membrane error
    x, w = np.polynomial.legendre.leggauss(8)
    N = sum((hi / 2 * w * ls.sigma_t(m + hi / 2 * x)).sum() for m, hi in zip(mid, h))
    assert cf.resultant == pytest.approx(N, rel=3e-3)  # measured 0.105 %
    assert cf.pressure == pytest.approx(-float(ls.sigma_r(np.array(A))), rel=1.5e-3)  # measured 0.053 %


def test_layer_functions_give_the_closed_form():
    cf = _closed()
    np.testing.assert_allclose(layer_stresses(cf.strain, BILAYER), cf.stresses, rtol=1e-14)
    assert resultant(cf.strain, BILAYER) == pytest.approx(cf.resultant, rel=1e-14)
    u = layer_utilisation(cf.strain, BILAYER)
    assert u[0] > 1 > u[1]  # 1 % strain cracks the stiff inorganic layer, not the organic one


def test_one_layer_is_the_single_membrane_and_the_equivalent_film_is_exact():
    one = (SEILayer(10e-9, 5e9, 0.3),)
    assert equivalent_film(one) == pytest.approx((10e-9, 5e9, 0.3), rel=1e-15)
    single = shells_on_swelling_core(A, E_CORE, NU_CORE, E_STAR, [10e-9], [5e9], [0.3])
    assert single.stresses[0] == pytest.approx(5e9 / 0.7 * single.strain, rel=1e-15)
    h, E, nu = equivalent_film(BILAYER)  # same biaxial stiffness: S = h E/(1 - nu) = sum h_i M_i
    eq = shells_on_swelling_core(A, E_CORE, NU_CORE, E_STAR, [h], [E], [nu])
    assert eq.strain == pytest.approx(_closed().strain, rel=1e-14) and eq.resultant == pytest.approx(_closed().resultant, rel=1e-13)


def test_reference_strain_of_a_later_layer():
    """An outer layer formed at the surface strain e0 carries M (e - e0), in the functions and the closed form."""
    layers = (SEILayer(5e-9, 118e9, 0.2), SEILayer(10e-9, 2e9, 0.35, reference_strain=0.004))
    cf = shells_on_swelling_core(A, E_CORE, NU_CORE, E_STAR, [5e-9, 10e-9], [118e9, 2e9], [0.2, 0.35], [0.0, 0.004])
    np.testing.assert_allclose(layer_stresses(cf.strain, layers), cf.stresses, rtol=1e-14)
    assert cf.stresses[1] == pytest.approx(2e9 / 0.65 * (cf.strain - 0.004), rel=1e-14)


def test_membrane_limit_refused_naming_the_key():
    check_membrane_limit(BILAYER, A)
    with pytest.raises(CaseError) as err:
        check_membrane_limit((SEILayer(0.4e-6, 1e9, 0.3), SEILayer(0.2e-6, 1e9, 0.3)), 5e-6, key="sei.layers")
    assert err.value.key == "sei.layers" and "membrane limit" in str(err.value)


def test_radial_twin_with_the_layered_membrane():
    """The 1D twin (P2, exact for the linear core displacement) with the equivalent film of the
    bilayer under uniform swelling gives the closed-form surface strain; the per-layer stresses follow."""
    from mpi4py import MPI

    from seifem.reduced.radial import RadialDesign, RadialLayer, RadialProblem

    h, E, nu = equivalent_film(BILAYER)
    omega, cmax, theta = 3.5e-6, 3.0e5, 0.5
    d = RadialDesign(radius=A, youngs_modulus=E_CORE, poisson_ratio=NU_CORE, diffusivity=1e-15,
                     max_concentration=cmax, partial_molar_volume=omega, core_cells=8,
                     sei=RadialLayer(h, E, nu))
    p = RadialProblem(d, MPI.COMM_SELF)
    p.theta.x.array[:] = theta
    p.solve_mechanics()
    e_star = omega * cmax * theta / 3
    cf = shells_on_swelling_core(A, E_CORE, NU_CORE, e_star, [L.thickness for L in BILAYER],
                                 [L.youngs_modulus for L in BILAYER], [L.poisson_ratio for L in BILAYER])
    e = p.scalars()["sei_strain_max"]
    assert e == pytest.approx(cf.strain, rel=1e-12)  # measured 9e-16 (linear u is in the P2 space)
    np.testing.assert_allclose(layer_stresses(e, BILAYER), cf.stresses, rtol=1e-9)
    p.destroy()


def test_ufl_forms_reduce_to_the_single_membrane():
    """UFL on a one-cell mesh: one layer is physics.membrane.membrane_form exactly; the bilayer's
    stiffness is that of its equivalent film; per-layer stresses integrate to h_i M_i e."""
    import ufl
    from dolfinx import fem, mesh
    from mpi4py import MPI

    from seifem.physics.layered_membrane import layer_stress_ufl, layered_membrane_form
    from seifem.physics.membrane import membrane_form

    m = mesh.create_unit_cube(MPI.COMM_SELF, 1, 1, 1, cell_type=mesh.CellType.hexahedron)
    V = fem.functionspace(m, ("Lagrange", 1, (3,)))
    u, v = fem.Function(V), fem.Function(V)
    u.interpolate(lambda x: np.vstack([0.3 * x[0] + 0.1 * x[1], -0.2 * x[1] + 0.05 * x[2], 0.4 * x[2] + 0.1 * x[0]]))
    v.interpolate(lambda x: np.vstack([0.1 * x[1], 0.2 * x[0] - 0.3 * x[2], 0.25 * x[2]]))
    n, ds, eps = ufl.FacetNormal(m), ufl.ds(domain=m), ufl.sym(ufl.grad(u))
    epv = ufl.sym(ufl.grad(v))
    val = lambda form: fem.assemble_scalar(fem.form(form))
    one = SEILayer(10e-9, 5e9, 0.3)
    ref = val(membrane_form(eps, epv, n, 10.0, 5.0, 0.3, ds))  # nm, GPa
    assert abs(ref) > 1.0
    assert val(layered_membrane_form(eps, epv, n, [one], ds, E_scale=1e9, h_scale=1e-9)) == pytest.approx(ref, rel=1e-14)
    h, E, nu = equivalent_film(BILAYER)
    eq = val(membrane_form(eps, epv, n, h / 1e-9, E / 1e9, nu, ds))
    assert val(layered_membrane_form(eps, epv, n, BILAYER, ds, 1e9, 1e-9)) == pytest.approx(eq, rel=1e-13)
    tot = sum(L.thickness / 1e-9 * ufl.inner(layer_stress_ufl(eps, n, L, 1e9), epv) for L in BILAYER)
    assert val(tot * ds) == pytest.approx(eq, rel=1e-13)

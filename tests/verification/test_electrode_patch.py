"""Electrode patch mechanics against closed forms (collective: serial and `mpirun -n 2`).

- confined swelling: a laterally confined homogeneous layer swells through its thickness by
  the uniaxial-strain amount e (1 + nu) / (1 - nu), less P (1 + nu)(1 - 2 nu) / (E (1 - nu))
  under a stack pressure P (exact for linear elements; measured ~1e-10);
- a swelling sphere in a binder box of side 16 radii against the uniform stress of the
  swelling inclusion in an infinite matrix, -12 K1 mu2 e / (3 K1 + 4 mu2); measured +0.59 %
  (the box's finite size accounts for -0.27 % .. +0.62 %: Lame shell of radius 8 a with a free
  or a fixed outer surface), tolerance 1 %;
- trend: a softer binder gives a larger thickness change and lower particle stresses.
"""

from __future__ import annotations

import numpy as np
import pytest

from seifem.analytic.composites import (
    bulk_shear,
    confined_layer_strain,
    hollow_inclusion_in_shell,
    inclusion_in_shell,
    inclusion_pressure,
)
from seifem.geometry.electrode import build_electrode
from seifem.geometry.packing import Packing, pack_spheres
from seifem.problem.electrode_patch import ElectrodePatch

E_SI, NU_SI = 80.0, 0.22  # GPa (host Si; any stiff particle)


def _solve(geo, particle, binder, e_particle, e_binder=0.0, **kw):
    pr = ElectrodePatch(geo, particle, binder, **kw)
    try:
        pr.set_eigenstrain(e_particle, e_binder)
        pr.solve()
        return pr.outputs()
    finally:
        pr.destroy()


@pytest.mark.parametrize("top, pressure", [("free", 0.0), ("pressure", 0.002)])
def test_confined_layer_swells_by_uniaxial_strain(comm, top, pressure):
    layer = Packing(np.zeros((0, 3)), np.zeros(0), width=4.0, thickness=3.0, target=0.0, achieved=0.0, seed=0)
    geo = build_electrode(layer, comm, mesh_size=1.0)
    E, nu, e = 2.0, 0.3, 0.01
    out = _solve(geo, (E_SI, NU_SI), (E, nu), [], e, top=top, stack_pressure=pressure)
    ref = confined_layer_strain(e, nu, pressure, E)
    err = abs(out["thickness_change"] / ref - 1)
    print(f"confined layer ({top}): eps_z {out['thickness_change']:.8g} vs {ref:.8g}, error {err:.2e} (tol 1e-9)")
    assert err < 1e-9  # the issue asks 0.1 %; linear elements reproduce the linear field exactly


@pytest.mark.parametrize("top, pressure", [("gap", 0.0), ("pressure", 0.002)])
def test_stack_pressure_and_pores_of_a_confined_layer(comm, top, pressure):
    """The stack pressure output, -int sigma_zz dV / (T A): a layer held in every direction
    carries E e / (1 - 2 nu); under a stack pressure P it is P. The binder domain's volume
    change is the patch's (Delta V = A Delta T, rollers)."""
    layer = Packing(np.zeros((0, 3)), np.zeros(0), width=4.0, thickness=3.0, target=0.0, achieved=0.0, seed=0)
    geo = build_electrode(layer, comm, mesh_size=1.0)
    E, nu, e = 2.0, 0.3, 0.01
    out = _solve(geo, (E_SI, NU_SI), (E, nu), [], e, top=top, stack_pressure=pressure)
    ref = E * e / (1 - 2 * nu) if top == "gap" else pressure
    err = abs(-out["mean_sigma_zz_GPa"] / ref - 1)
    dv = out["binder_volume_change_um3"] / (16.0 * 3.0 * out["thickness_change"]) - 1 if top != "gap" else \
        out["binder_volume_change_um3"]
    print(f"stack pressure ({top}): {-out['mean_sigma_zz_GPa']:.8g} vs {ref:.8g} GPa, error {err:.1e} (tol 1e-9); "
          f"binder volume change vs A dT: {dv:.1e} (tol 1e-9)")
    # measured 1.1e-16 / 1.6e-15 and 5e-33 / 4.4e-16: linear elements reproduce the uniform field, so
    # only the CG tolerance (rtol 1e-10) bounds the error, on any number of ranks
    assert err < 1e-9
    assert abs(dv) < 1e-9


@pytest.mark.slow
def test_swelling_sphere_in_binder_box(comm):
    a, b = 1.0, 8.0
    sphere = Packing(np.array([[b, b, b]]), np.array([a]), 2 * b, 2 * b, 0.0, 0.0, 0)
    geo = build_electrode(sphere, comm, mesh_size=2.0, surface_mesh_size=0.2, refine_depth=5.0, order=2)
    E2, nu2, e = 3.0, 0.35, 0.01
    out = _solve(geo, (E_SI, NU_SI), (E2, nu2), e, top="gap", order=2)
    K1, _ = bulk_shear(E_SI, NU_SI)
    K2, mu2 = bulk_shear(E2, nu2)
    ref = inclusion_pressure(K1, mu2, e)
    lo, hi = (inclusion_in_shell(K1, K2, mu2, e, a, b, o)[0] / ref - 1 for o in ("free", "fixed"))
    s = out["particles"][0]["mean_hydrostatic_GPa"]
    err = s / ref - 1
    print(f"inclusion: mean stress {s:.6g} GPa vs {ref:.6g} GPa, error {err:+.2e} (tol 1e-2; finite box "
          f"{lo:+.2e} .. {hi:+.2e})")
    assert abs(err) < 1e-2


@pytest.mark.slow
def test_swelling_hollow_sphere_in_binder_box(comm):
    """The hollow template: a shell 0.6 a < r < a swelling in a large binder box against the
    Lame solution with a free cavity in an infinite matrix (the shell's mean stress is uniform);
    the cavity is its own facet group."""
    a, b, void = 1.0, 8.0, 0.6**3
    sphere = Packing(np.array([[b, b, b]]), np.array([a]), 2 * b, 2 * b, 0.0, 0.0, 0)
    geo = build_electrode(sphere, comm, mesh_size=2.0, surface_mesh_size=0.2, refine_depth=5.0, order=2, void=void)
    assert "cavities" in geo.tags
    E2, nu2, e = 3.0, 0.35, 0.01
    out = _solve(geo, (E_SI, NU_SI), (E2, nu2), e, top="gap", order=2)
    K1, mu1 = bulk_shear(E_SI, NU_SI)
    K2, mu2 = bulk_shear(E2, nu2)
    ref = hollow_inclusion_in_shell(K1, mu1, K2, mu2, e, 0.6 * a, a, 1e4)
    lo, hi = (hollow_inclusion_in_shell(K1, mu1, K2, mu2, e, 0.6 * a, a, b, o) / ref - 1 for o in ("free", "fixed"))
    s = out["particles"][0]["mean_hydrostatic_GPa"]
    vol = out["particles"][0]["volume_um3"] / (4 / 3 * np.pi * a**3 * (1 - void)) - 1
    err = s / ref - 1
    print(f"hollow inclusion: mean stress {s:.6g} GPa vs {ref:.6g} GPa, error {err:+.2e} (tol 1e-2; finite box "
          f"{lo:+.2e} .. {hi:+.2e}); shell volume {vol:+.1e} (tol 3e-4)")
    assert abs(err) < 1e-2
    assert abs(vol) < 3e-4  # measured 9.0e-5 (P2 geometry); the mean stress 5.7e-3, inside the finite-box bracket


def test_softer_binder_swells_more_and_stresses_less(comm):
    packing = pack_spheres(8.0, 10.0, 0.2, 1.2, 0.2, seed=0)
    geo = build_electrode(packing, comm, mesh_size=1.5, surface_mesh_size=0.6)
    stiff = _solve(geo, (E_SI, NU_SI), (3.0, 0.35), 0.01)
    soft = _solve(geo, (E_SI, NU_SI), (0.3, 0.35), 0.01)
    print(f"trend ({packing.count} particles, fraction {packing.achieved:.4f}): thickness change "
          f"{stiff['thickness_change']:.5g} (E_b 3 GPa) -> {soft['thickness_change']:.5g} (E_b 0.3 GPa); mean particle "
          f"pressure {-np.mean([p['mean_hydrostatic_GPa'] for p in stiff['particles']]) * 1e3:.4g} -> "
          f"{-np.mean([p['mean_hydrostatic_GPa'] for p in soft['particles']]) * 1e3:.4g} MPa")
    assert soft["thickness_change"] > stiff["thickness_change"] > 0
    for ps, pf in zip(stiff["particles"], soft["particles"]):
        assert abs(pf["mean_hydrostatic_GPa"]) < abs(ps["mean_hydrostatic_GPa"])
        assert pf["max_von_mises_GPa"] < ps["max_von_mises_GPa"]
    assert soft["binder_max_von_mises_GPa"] < stiff["binder_max_von_mises_GPa"]


@pytest.mark.slow
def test_coated_particles_have_their_own_regions(comm):
    """Coated spheres: a coating_<i> region per particle with the shell's volume (to the mesh's
    polygonal error), in tension around a swelling particle."""
    from dolfinx import fem
    from mpi4py import MPI

    two = Packing(np.array([[2.5, 2.5, 2.5], [6.5, 6.5, 3.0]]), np.array([1.2, 1.0]), 9.0, 6.0, 0.0, 0.0, 0)
    geo = build_electrode(two, comm, mesh_size=1.0, surface_mesh_size=0.25, coating=0.3)
    assert geo.coatings == ["coating_0", "coating_1"]
    for i, r in enumerate(two.radii):
        vol = comm.allreduce(fem.assemble_scalar(fem.form(1.0 * geo.dx(f"coating_{i}"))), op=MPI.SUM)
        ref = 4 / 3 * np.pi * ((r + 0.3) ** 3 - r**3)
        print(f"coating_{i}: volume {vol:.5f} vs {ref:.5f} um^3, error {vol / ref - 1:+.2e} (tol 2e-2)")
        assert abs(vol / ref - 1) < 2e-2  # measured -5.7e-3, -7.8e-3: flat facets of the curved shell
    out = _solve(geo, (E_SI, NU_SI), (1.0, 0.3), 0.01, coating=(50.0, 0.25))
    assert out["coating_max_principal_GPa"] > 0 > out["particles"][0]["mean_hydrostatic_GPa"]


@pytest.mark.slow
def test_ellipsoids_keep_the_volume_of_their_sphere(comm):
    """Oblate spheroids (aspect 0.5, axis along z): each region has the volume of its sphere
    and the semi-axes ar^(-1/3) r, ar^(2/3) r (to the mesh's polygonal error)."""
    from dolfinx import fem
    from mpi4py import MPI

    two = Packing(np.array([[2.5, 2.5, 2.5], [6.5, 6.5, 3.0]]), np.array([1.2, 1.0]), 9.0, 6.0, 0.0, 0.0, 0)
    a, c = 0.5 ** (-1 / 3), 0.5 ** (2 / 3)
    geo = build_electrode(two, comm, mesh_size=1.0, surface_mesh_size=0.25, axes=(a, c))
    x = geo.mesh.geometry.x
    for i, r in enumerate(two.radii):
        vol = comm.allreduce(fem.assemble_scalar(fem.form(1.0 * geo.dx(f"particle_{i}"))), op=MPI.SUM)
        err = vol / (4 / 3 * np.pi * r**3) - 1
        cells = geo.cells(f"particle_{i}")
        nodes = np.unique(geo.mesh.geometry.dofmaps[0][cells])
        d = np.abs(x[nodes] - two.centres[i])
        zmax = comm.allreduce(float(d[:, 2].max(initial=0.0)), op=MPI.MAX)
        print(f"ellipsoid {i}: volume error {err:+.2e} (tol 6e-2), polar semi-axis {zmax:.4f} vs {c * r:.4f} um")
        assert -6e-2 < err < 0  # measured -2.0e-2, -2.8e-2: flat facets inside the rim (curvature radius 0.38 um, facets 0.25 um)
        assert zmax == pytest.approx(c * r, rel=1e-12)  # the poles are mesh nodes (measured to round-off)

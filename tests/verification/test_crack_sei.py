"""SEI on the open faces of phase-field cracks in the 3D particle (`problem.crack_faces`,
`problem.particle_fracture`; the 2D twin's checks are in test_fracture_axisym.py).

On the octant, a crack on the mirror plane z = 0 is the equatorial crack through the whole
sphere (its faces 2 pi R^2, open along the equator); a spherical shell of radius R/2 is
buried (closed). Collective: serial and on 2 ranks.
"""

from __future__ import annotations

import numpy as np
import pytest

from helpers import make_case

L_UM = 0.25  # phase-field length (um)


def _particle(comm, sei: str = "none"):
    from seifem.geometry import build
    from seifem.problem.particle import ParticleProblem

    case = make_case(particle={"material": "Si", "radius": "1 um", "initial_soc": 0.8, "diffusivity": "1e-15 m^2/s"},
                     geometry={"domain": "octant", "mesh_size": "0.125 um", "surface_mesh_size": "0.125 um"},
                     fracture={"length_scale": f"{L_UM} um", "sei_growth": sei})
    return ParticleProblem(case, build(case, comm))


def _set_damage(p, where: str) -> None:
    """The optimal AT1 profile (1 - |s| / (2 l))^2 about the crack s = 0 (d and its lower bound)."""
    fr = p.fracture.solver
    x = fr.d.function_space.tabulate_dof_coordinates()
    s = x[:, 2] if where == "equator" else np.linalg.norm(x, axis=1) - 0.5
    val = np.where(np.abs(s) < 2 * L_UM, (1 - np.abs(s) / (2 * L_UM)) ** 2, 0.0) * fr._ub.x.array
    for f in (fr.d, fr.d_n):
        f.x.array[:] = val
        f.x.scatter_forward()


@pytest.mark.slow
@pytest.mark.parametrize("where", ["equator", "shell"])
def test_open_crack_faces_3d(comm, where):
    """Equatorial crack: open faces twice its crack area, 2 pi R^2 (measured -1.6e-2 at h = l/2,
    the interpolated profile on the octant's tetrahedra); buried shell: open faces 0 exactly."""
    p = _particle(comm)
    _set_damage(p, where)
    row = p.fracture.scalars()
    p.destroy()
    if where == "equator":
        assert row["open_crack_area_um2"] == pytest.approx(2 * row["crack_area_um2"], rel=1e-9)  # the whole band
        assert row["open_crack_area_um2"] == pytest.approx(2 * np.pi, rel=3e-2)
    else:
        assert row["crack_area_um2"] > 1.0 and row["open_crack_area_um2"] == 0.0


@pytest.mark.slow
def test_lithium_lost_to_crack_sei_is_conserved_3d(comm):
    """The pre-cracked octant delithiated at 0.1C for 2 steps of 20 s with solvent-diffusion SEI on
    the open faces, in the run loop's order (grow on the last state, then the step with the
    SEI's lithium as a sink): particle + crack SEI = initial + applied to 1e-8 of the
    particle's lithium (measured 1.3e-12); the crack SEI's lithium is z/V x area x thickness."""
    from seifem.physics.sei_growth import SEIGrowthParameters

    p = _particle(comm, "solvent-diffusion")
    _set_damage(p, "equator")
    sym = p.geo.symmetry_factor
    ions = lambda: sym * p.integrate(p.theta * p.geo.dx("core")) * p.c_max * 1e-18
    ions0, dt, n, rate = ions(), 20.0, 2, -0.1
    per_s = sym * p.c_max * p.core_volume * 1e-18 / 3600.0  # mol/s at 1C
    for _ in range(n):
        lost = p.fracture.grow(dt, 0.1)
        p.advance(dt, rate, sink=lost / dt)
    row = p.fracture.scalars()
    err = (ions() + row["crack_sei_lost_mol"] - ions0 - rate * per_s * n * dt) / ions0
    area, L = p.fracture.sei.area, p.fracture.sei.L
    p.destroy()
    assert abs(err) < 1e-8
    prm = SEIGrowthParameters()
    assert row["crack_sei_lost_mol"] == pytest.approx(prm.z / prm.molar_volume * area * L, rel=1e-12)
    assert row["crack_sei_thickness_nm"] > 0

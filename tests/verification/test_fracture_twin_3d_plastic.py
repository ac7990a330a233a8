"""Phase-field fracture with J2 plasticity: the 2D axisymmetric twin (`problem.axisym_fracture`
+ `axisym_fracture_plastic`) against the 3D octant (`problem.particle_fracture` +
`fracture_plastic`) on the same spherically symmetric load path, row by row.

The bare 1 um Si sphere of test_fracture_plastic_energy.py (E = 80 GPa, nu = 0.22, theta0 =
0.5, AT1, l = 0.5 um, G_c = 8.5 J/m^2, yield stress 1 GPa, staggered tolerance 1e-6) under
the fast-delithiation profile theta = 0.5 - A r^2 / R^2, A from 0 to 0.03 in 15 equal steps
(the rows), in both models from the same case (`reduced.design.design_from_case`): the
surface shell damages from A ~ 0.017, flows from A ~ 0.026 where the damage has lowered the
flow stress g(d) sigma_Y, and ends at d_max 0.33, eps_p 4.4e-3, crack energy 36 % and
plastic dissipation 9 % of the work (cracked volume, d > 0.95: none, in both).

Compared at every row, the columns users read: damage_max, crack energy, elastic energy and
chemical work (over the work), the largest hoop stress (the surface's until the damage
unloads it; over sigma_Y), the largest plastic strain (over its final value), the yielded
volume fraction of the core (the twin's column; in 3D the same measure, computed here at
the octant's history points) and the plastic dissipation. The models share the steps and
the staggered algorithm, so the time discretisation is the same in both except for the
dissipation's sum: the octant's is the trapezoidal rule, the twin's backward Euler (first
order: its gap to the octant halves from 15 to 30 steps, 1.09e-2 -> 5.5e-3 of the work), so
the twin's is extrapolated from 15 and 30 steps (2 D_30 - D_15).

Measured, 3D (P2, curved cells; 1 077 / 4 143 / 21 441 displacement dofs) vs twin (P2; 104 /
292 / 960) at mesh 0.5 / 0.25 um (interior / surface), 0.25 / 0.125 um (the test's two) and, once
(3D: 85 s CPU), 0.125 / 0.0625 um; largest over the rows (serial; 2 ranks the same to the digits
shown):

| quantity | 0.5 / 0.25 | 0.25 / 0.125 | 0.125 / 0.0625 | orders |
|---|---|---|---|---|
| damage_max | 1.14e-2 | 7.0e-3 | 2.5e-3 | 0.7, 1.5 |
| crack energy / W | 1.26e-2 | 5.2e-3 | 6.9e-4 | 1.3, 2.9 |
| elastic energy / W | 1.20e-2 | 5.3e-3 | 5.8e-4 | 1.2, 3.2 |
| chemical work, relative | 6.3e-3 | 7.9e-4 | 1.4e-4 | 3.0, 2.4 |
| largest hoop stress / sigma_Y | 6.0e-2 | 1.05e-2 | 1.2e-2 (one row) | 2.5, - |
| plastic strain max / final | 3.7e-2 | 1.8e-2 | 1.7e-2 (the onset row) | 1.1, - |
| yielded fraction (absolute) | 6.4e-2 | 5.0e-2 | 9.8e-3 | 0.4, 2.4 |
| dissipation / W (twin extrapolated) | 4.9e-3 | 2.5e-3 | 2.7e-3 | 1.0, - |

The three that stop shrinking at the finest mesh are each model's own slow convergence, not a
disagreement: the hoop stress in the row where the damaged surface flows (A = 0.028; every other
row <= 2.5e-3 there) is the octant's, 658 -> 627 -> 606 MPa against the twin's 625 -> 616 -> 594
(598 at 0.0625 / 0.031 um); the plastic strain's largest gap is in the row where the flow
starts (A = 0.026), where the twin's own value moves 2.3e-4 -> 3.6e-4 -> 5.1e-4 with h; and
the dissipation's is the octant's 15-step time error (its trapezoidal sum is 0.0949 of the work
at 15 steps, 0.0936 at 30: extrapolated 0.0932, against the twin's 0.0924, converged in h to
3e-4).

The yielded fraction counts history points, which sit differently in the two models (the
twin's rule of degree 4 in (r, z), the octant's of degree 2 on tetrahedra): it differs most in
the row where the flow starts (0.059 against 0.009), 2e-2 after it. The same comparison
without plasticity (both models elastic): damage 6.8e-3, crack energy 4.9e-3, elastic energy
5.8e-3, work 9.7e-4, hoop 9.1e-3 of 1 GPa at the fine mesh. The plastic and the elastic runs differ
by much more than the tolerances (damage_max 0.33 against 0.52 at the end), so a twin that lost
its plasticity would fail. No disagreement beyond the meshes' was found.
Collective: serial and on 2 ranks, every number allreduced.
"""

from __future__ import annotations

import numpy as np
import pytest
import ufl
from dolfinx import fem
from mpi4py import MPI

from helpers import make_case

A_END, STEPS = 0.03, 15
SIGMA_Y = 1e3  # MPa, the stress scale of the hoop-stress gap
MESHES = {"coarse": (0.5, 0.25), "fine": (0.25, 0.125)}  # um: interior, surface
COLUMNS = ("damage_max", "cracked_volume_fraction", "crack_energy_J", "elastic_energy_J", "chemical_work_J",
           "plastic_dissipation_J", "core_st_max_MPa", "plastic_strain_max", "plastic_fraction")

# tolerances at the fine mesh: 2-3x the measured gap written beside each
TOL = {"damage": 2e-2,  # measured 7.0e-3 (elastic 6.8e-3)
       "crack_energy": 1.5e-2,  # 5.2e-3 (elastic 4.9e-3)
       "elastic_energy": 1.5e-2,  # 5.3e-3 (elastic 5.8e-3)
       "work": 2e-3,  # 7.9e-4 (elastic 9.7e-4)
       "hoop": 3e-2,  # 1.05e-2 of sigma_Y (elastic 9.1e-3)
       "plastic_strain": 5e-2,  # 1.8e-2 of the final eps_p
       "plastic_fraction": 0.12,  # 5.0e-2 (the onset row)
       "dissipation": 7e-3}  # 2.5e-3 of the work


def _case(h: tuple[float, float], plastic: bool):
    particle = {"initial_soc": 0.5, "fracture_energy": "8.5 J/m^2"} | ({"yield_stress": "1 GPa"} if plastic else {})
    return make_case(particle=particle, geometry={"mesh_size": f"{h[0]} um", "surface_mesh_size": f"{h[1]} um"},
                     physics={"plasticity": plastic}, fracture={"length_scale": "0.5 um", "tolerance": 1e-6})


def _octant(comm, h, plastic: bool, steps: int = STEPS) -> list[dict]:
    """The 3D octant's rows: its history columns (`Quantities`, `ParticleFracture.scalars`)
    and the yielded fraction of the core (equivalent plastic strain > 1e-9 at the history
    points outside the broken band, the twin's `core_plastic_fraction`)."""
    from seifem.geometry import build
    from seifem.problem.particle import ParticleProblem
    from seifem.problem.particle_fracture import CRACKED
    from seifem.problem.quantities import Quantities

    p = ParticleProblem(_case(h, plastic), build(_case(h, plastic), comm))
    q, S = Quantities(p), p.fracture.solver
    yielded = None
    if plastic:
        dxq = S.plastic.regions["core"].dx(metadata=S.plastic.metadata("core"))
        ep = S.plastic.plastic_strain("core")
        flowed = ufl.conditional(ufl.gt(2.0 / 3.0 * ufl.inner(ep, ep), 1e-18), 1.0, 0.0)
        yielded = (fem.form(ufl.conditional(ufl.gt(S.d, CRACKED), 0.0, flowed) * dxq),
                   fem.form(fem.Constant(p.geo.mesh, 1.0) * dxq))
    rows = []
    try:
        r2 = (p.V.tabulate_dof_coordinates() ** 2).sum(axis=1)
        for A in np.linspace(0.0, A_END, steps + 1)[1:]:
            p.theta.x.array[:] = 0.5 - A * r2
            p.solve_mechanics()
            q.update()
            row = {**q.scalars(), **p.fracture.scalars()}
            row["plastic_fraction"] = 0.0 if yielded is None else (
                comm.allreduce(fem.assemble_scalar(yielded[0]), op=MPI.SUM)
                / comm.allreduce(fem.assemble_scalar(yielded[1]), op=MPI.SUM))
            rows.append({k: row.get(k, 0.0) for k in COLUMNS})
    finally:
        p.destroy()
    return rows


def _twin(comm, h, plastic: bool, steps: int = STEPS) -> list[dict]:
    """The 2D twin's rows on the mesh h (interior, surface element size, um)."""
    from seifem.problem.axisym_fracture import AxisymFracture
    from seifem.reduced.axisym import AxisymProblem
    from seifem.reduced.design import design_from_case

    case = _case(h, plastic)
    Gc = case.particle.material.si("fracture_energy")
    p = AxisymProblem(design_from_case(case), comm, mesh_size=h[0], surface_mesh_size=h[1],
                      fracture=lambda q: AxisymFracture(q, case.fracture, {"core": Gc}))
    rows = []
    try:
        r2 = (p.theta.function_space.tabulate_dof_coordinates()[:, :2] ** 2).sum(axis=1)
        for A in np.linspace(0.0, A_END, steps + 1)[1:]:
            p.theta.x.array[:] = 0.5 - A * r2
            p.solve_mechanics()
            row = p.scalars()
            row["plastic_fraction"] = row.get("core_plastic_fraction", 0.0)
            row["plastic_strain_max"] = row.get("core_plastic_strain_max", 0.0)
            rows.append({k: row.get(k, 0.0) for k in COLUMNS})
    finally:
        p.destroy()
    return rows


def _gaps(a: list[dict], b: list[dict], b_double: list[dict] | None = None) -> dict[str, float]:
    """The largest difference over the rows of a (3D) and b (twin), each in its scale: damage
    and yielded fraction absolute, energies over the row's work, the hoop stress over
    sigma_Y, the plastic strain over the larger final value. With b_double (b's path in twice the
    steps) the dissipation against b's extrapolated 2 D_2N - D_N."""
    eps_end = max(a[-1]["plastic_strain_max"], b[-1]["plastic_strain_max"], 1e-30)
    g = {k: 0.0 for k in TOL} | {"cracked_volume": 0.0}
    for i, (x, y) in enumerate(zip(a, b)):
        W = y["chemical_work_J"]
        pairs = {"damage": (x["damage_max"], y["damage_max"], 1.0),
                 "cracked_volume": (x["cracked_volume_fraction"], y["cracked_volume_fraction"], 1.0),
                 "crack_energy": (x["crack_energy_J"], y["crack_energy_J"], W),
                 "elastic_energy": (x["elastic_energy_J"], y["elastic_energy_J"], W),
                 "work": (x["chemical_work_J"], W, W),
                 "hoop": (x["core_st_max_MPa"], y["core_st_max_MPa"], SIGMA_Y),
                 "plastic_strain": (x["plastic_strain_max"], y["plastic_strain_max"], eps_end),
                 "plastic_fraction": (x["plastic_fraction"], y["plastic_fraction"], 1.0)}
        if b_double is not None:
            pairs["dissipation"] = (x["plastic_dissipation_J"],
                                    2 * b_double[2 * i + 1]["plastic_dissipation_J"] - y["plastic_dissipation_J"], W)
        for k, (u, v, scale) in pairs.items():
            g[k] = max(g[k], abs(u - v) / scale)
    return g


def _show(comm, title: str, gaps: dict) -> None:
    if comm.rank == 0:
        print(f"\n[{title}] " + ", ".join(f"{k} {v:.2e}" for k, v in gaps.items()))


@pytest.fixture(scope="module")
def plastic(comm) -> dict:
    """The plastic rows: 3D and twin on both meshes, the twin also in 30 steps."""
    return {m: {"3d": _octant(comm, h, True), "2d": _twin(comm, h, True), "2d_double": _twin(comm, h, True, 2 * STEPS)}
            for m, h in MESHES.items()}


@pytest.mark.slow  # 29 s serial at load ~5 (the fixture: 3D, 15 steps on each mesh)
def test_twin_and_octant_crack_and_flow_alike(comm, plastic):
    """Every compared quantity within its tolerance (TOL, 2-3x the gap measured at the fine
    mesh) at every row; the gap shrinks from the coarse to the fine mesh (measured orders
    0.4 ... 3 in the module's table); both models crack, flow and leave nothing broken."""
    gaps = {m: _gaps(r["3d"], r["2d"], r["2d_double"]) for m, r in plastic.items()}
    for m, g in gaps.items():
        _show(comm, f"twin vs 3D, plastic, {m}", g)
    fine, coarse = gaps["fine"], gaps["coarse"]
    for k, tol in TOL.items():
        assert fine[k] < tol, (k, fine[k], tol)
    for k in ("damage", "crack_energy", "elastic_energy", "work", "hoop", "plastic_strain", "dissipation"):
        assert fine[k] < 0.85 * coarse[k], (k, fine[k], coarse[k])  # measured ratios 0.13 ... 0.62
    for r in (plastic["fine"]["3d"][-1], plastic["fine"]["2d"][-1]):
        assert r["damage_max"] > 0.3 and r["plastic_strain_max"] > 3e-3  # measured 0.33, 4.4e-3
        assert r["plastic_dissipation_J"] > 0.05 * r["chemical_work_J"]  # measured 0.084 ... 0.095
    assert fine["cracked_volume"] == 0.0


@pytest.mark.slow  # 23 s serial at load ~5 (3D: 15 elastic steps)
def test_the_comparison_tells_plastic_from_elastic(comm, plastic):
    """Without plasticity the twin and the octant agree as closely (the same tolerances); the
    octant's plastic run against the elastic twin misses by far more than them: damage 0.185
    (9x its tolerance), crack energy 0.25 of the work (17x), elastic energy 0.19 (12x), hoop
    stress 0.16 sigma_Y (5x), plastic strain 1 (20x), measured at the fine mesh."""
    h = MESHES["fine"]
    octant, twin = _octant(comm, h, False), _twin(comm, h, False)
    elastic = _gaps(octant, twin)
    mixed = _gaps(plastic["fine"]["3d"], twin)
    _show(comm, "twin vs 3D, elastic", elastic)
    _show(comm, "3D plastic vs elastic twin", mixed)
    for k in ("damage", "crack_energy", "elastic_energy", "work", "hoop"):
        assert elastic[k] < TOL[k], (k, elastic[k], TOL[k])
    for k in ("damage", "crack_energy", "elastic_energy", "hoop", "plastic_strain"):
        assert mixed[k] > 4 * TOL[k], (k, mixed[k], TOL[k])

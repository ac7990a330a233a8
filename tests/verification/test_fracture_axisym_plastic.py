"""Phase-field fracture with J2 plasticity in the 2D axisymmetric twin
(`problem.axisym_fracture_plastic`): the 3D model's return on the effective stress inside the
staggered solve, with the twin's B-bar.

- Closed form: an elastic core shrinking inside an elastic-perfectly-plastic coating (B3.2,
  Hill's shell, mirrored: `analytic.epp_shell_on_core` with e* < 0) is in uniform hydrostatic
  tension s(e*) = p(|e*|), so AT1 damages the core everywhere at once where s reaches
  sqrt(3 K G_c / (8 l)): the onset misfit solves p(e_c) = s_c, with the coating partly yielded.
- No damage, no difference: with a G_c no stress reaches, the twin with fracture is the
  plasticity-only twin (`reduced.axisym_plastic`, checked against the 1D twin there) to the
  solvers' tolerance, through a delithiation in which the core's surface flows.
- A coated Si particle whose surface yields and then cracks on delithiation: the damage never
  decreases at any dof, starts after the surface has flowed, and until then the run is the
  plasticity-only twin's.
Collective: serial and on 2 ranks, every check on allreduced numbers.
"""

from __future__ import annotations

import numpy as np
import pytest
from mpi4py import MPI
from scipy.optimize import brentq

from seifem import analytic as an
from seifem.case.fracture import Fracture
from seifem.problem.axisym_fracture import AxisymFracture
from seifem.reduced.axisym import AxisymProblem
from seifem.reduced.design import RadialDesign, RadialLayer

A, B = 1e-6, 1.2e-6  # m
E, NU, EC, NUC, SY = 80e9, 0.22, 100e9, 0.25, 1e9
ELL = 100e-9
K = E / (3 * (1 - 2 * NU))


def _shell_problem(comm, Gc: float) -> AxisymProblem:
    d = RadialDesign(radius=A, youngs_modulus=E, poisson_ratio=NU, diffusivity=1e-14, max_concentration=1e5,
                     partial_molar_volume=1e-6, initial_soc=0.5,
                     coatings=(RadialLayer(B - A, EC, NUC, yield_stress=SY),))
    f = Fracture("AT1", ELL, ("core",))
    return AxisymProblem(d, comm, mesh_size=0.25, surface_mesh_size=0.05,
                         fracture=lambda p: AxisymFracture(p, f, {"core": Gc}))


@pytest.mark.slow
def test_shrinking_core_in_a_yielding_coating_cracks_at_the_closed_form_misfit(comm):
    """s_c = 0.9 p_lim (p_lim = 2 sigma_Y ln(b/a), G_c = 0.60 J/m^2 from s_c): e_c = 1.214 e_y,
    29 % of the coating yielded. Measured (h = 0.25 um, 50 nm at the surfaces, equilibrate's
    increments): undamaged up to 0.999 e_c, d = 3e-5 at 1.000 e_c, 0.94 at 1.001 e_c; the core
    stress +2.3e-4 above B3.2 at 0.998 e_c (tolerance 6e-4), the yielded fraction 0.2924 vs
    0.2956 (tolerance 8e-3 absolute: the fraction moves by cells). Asserted: intact at
    0.998 e_c, cracked (d > 0.9) at 1.002 e_c; the cracked core unloads the coating, which
    unloads elastically: the plastic dissipation and yielded fraction stay (measured: equal)."""
    e_y, e_full, p_lim = an.epp_shell_yield_limits(A, B, E, NU, EC, NUC, SY)
    s_c = 0.9 * p_lim
    Gc = s_c**2 * 8 * ELL / (3 * K)
    e_c = brentq(lambda e: an.epp_shell_on_core(A, B, E, NU, EC, NUC, SY, e).p - s_c, e_y, e_full)
    p = _shell_problem(comm, Gc)
    p.equilibrate(p.theta0 - 3 * 0.998 * e_c / p.beta)
    below = p.scalars()
    p.equilibrate(p.theta0 - 3 * 1.002 * e_c / p.beta)
    above = p.scalars()
    p.destroy()
    exact = an.epp_shell_on_core(A, B, E, NU, EC, NUC, SY, -0.998 * e_c)
    frac = (exact.c**3 - A**3) / (B**3 - A**3)
    if comm.rank == 0:
        print(f"\n[2D plastic shell onset] e_c/e_y {e_c / e_y:.4f}, core stress "
              f"{below['core_sr_max_MPa'] * 1e6 / -exact.p - 1:+.2e}, yielded {below['coating_plastic_fraction']:.4f} "
              f"vs {frac:.4f}, d above {above['damage_max']:.3f}")
    assert below["damage_max"] == 0.0 and below["crack_area_um2"] == 0.0
    assert below["core_sr_max_MPa"] * 1e6 == pytest.approx(-exact.p, rel=6e-4)
    assert below["coating_plastic_fraction"] == pytest.approx(frac, abs=8e-3)
    assert below["plastic_dissipation_J"] > 0
    assert above["damage_max"] > 0.9
    assert above["core_sr_max_MPa"] < 0.03 * s_c / 1e6  # unloaded: measured 4.9 MPa of 328
    assert above["plastic_dissipation_J"] == pytest.approx(below["plastic_dissipation_J"], rel=1e-6)
    assert above["coating_plastic_fraction"] == below["coating_plastic_fraction"]


R, C_MAX, OMEGA = 1e-6, 310970.0, 9.03e-6
SY_CORE = 0.85e9  # the surface yields (at ~15 s) before it reaches the AT1 equibiaxial strength (1.28 GPa)


def _coated_si(comm, Gc: float | None, k: float = 1e-6) -> AxisymProblem:
    """A 1 um Si core (sigma_Y = 0.85 GPa) with a stiff elastic 100 nm coating, from theta = 0.8;
    `Gc` None: the plasticity-only twin."""
    d = RadialDesign(radius=R, youngs_modulus=E, poisson_ratio=NU, diffusivity=1e-15, max_concentration=C_MAX,
                     partial_molar_volume=OMEGA, initial_soc=0.8, yield_stress=SY_CORE,
                     coatings=(RadialLayer(100e-9, EC, NUC),))
    f = Fracture("AT1", ELL, ("core",), residual_stiffness=k)
    frac = None if Gc is None else (lambda p: AxisymFracture(p, f, {"core": Gc}))
    return AxisymProblem(d, comm, mesh_size=0.2, surface_mesh_size=0.05, fracture=frac)


def _run(p: AxisymProblem, steps: int, dt: float = 10.0):
    """Delithiate at 1C: the rows, and with fracture the smallest change of d at any dof in any step."""
    rows, drop = [], 0.0
    for _ in range(steps):
        prev = p.fracture.d.x.array.copy() if p.fracture is not None else None
        p.advance(dt, -1.0)
        rows.append(p.scalars())
        if prev is not None:
            drop = min(drop, float(np.min(p.fracture.d.x.array - prev, initial=0.0)))
    return rows, p.comm.allreduce(drop, op=MPI.MIN)


def _gap(a: dict, b: dict) -> float:
    """Largest difference of the shared stress columns over the largest stress."""
    keys = [k for k in a if k.endswith("_MPa") and k in b]
    return max(abs(a[k] - b[k]) for k in keys) / max(abs(a[k]) for k in keys)


@pytest.mark.slow
def test_without_damage_the_twin_is_the_plasticity_only_twin(comm):
    """G_c = 1e6 J/m^2 (no stress reaches its strength) and k = 1e-12: 8 steps of 10 s at 1C, in
    which the core's surface flows (plastic strain 1e-2): d = 0 exactly and every shared history
    column (stresses, plastic fraction and strain, soc, volume change) of every step equals the
    plasticity-only twin's. Measured: stresses 2e-9 of the largest, the rest 1e-9 (the staggered
    u-solve's CG tolerance against the plastic Newton's LU); tolerance 1e-7."""
    p = _coated_si(comm, 1e6, k=1e-12)
    rows_f, _ = _run(p, 8)
    u_f = p.u.x.petsc_vec.copy()
    p.destroy()
    q = _coated_si(comm, None)
    rows_p, _ = _run(q, 8)
    du = (u_f - q.u.x.petsc_vec).norm() / q.u.x.petsc_vec.norm()
    q.destroy()
    worst = max(_gap(a, b) for a, b in zip(rows_f, rows_p))
    other = max(abs(a[k] - b[k]) / max(abs(b[k]), 1e-30) for a, b in zip(rows_f, rows_p) for k in b
                if not k.endswith("_MPa") and k in a and b[k] != 0)
    if comm.rank == 0:
        print(f"\n[2D fracture+plastic vs plastic] stresses {worst:.2e}, other columns {other:.2e}, u {du:.2e}, "
              f"eps_p {rows_p[-1]['core_plastic_strain_max']:.3e}")
    assert rows_p[-1]["core_plastic_strain_max"] > 5e-3
    assert all(r["damage_max"] == 0.0 for r in rows_f)
    assert worst < 1e-7 and other < 1e-7 and du < 1e-7

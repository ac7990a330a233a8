"""The 1D twin's fast paths against its dolfinx/PETSc path: the numpy stepper
(`seifem.reduced.radial_lti`) and whole segments in the diffusion modes
(`seifem.reduced.radial_segment`). The same discretisation, so every history column agrees to
round-off, and the ion inventory equals the integrated flux to round-off through changes of
current, step and membrane; a segment's per-step outputs equal the states' own values."""

from __future__ import annotations

import numpy as np
import pytest
from mpi4py import MPI

from seifem.reduced.radial import RadialDesign, RadialLayer, RadialProblem
from seifem.reduced.radial_segment import RadialModes, advance_segment

R = 1e-6  # m
SI = {"youngs_modulus": 80e9, "poisson_ratio": 0.22, "diffusivity": 1e-14, "max_concentration": 310970.0,
          "partial_molar_volume": 9.03e-6}
# (dt s, C-rate, steps): BDF1 and BDF2, a change of step, a rest, a delithiation
PROTOCOL = ((20.0, 1.0, 30), (10.0, 1.0, 10), (20.0, 0.0, 3), (15.0, -2.0, 20))


def _design(**kw) -> RadialDesign:
    return RadialDesign(**{"radius": R, **SI, "core_cells": 24, "layer_cells": 4, **kw})


def _run(design: RadialDesign, fast: bool, membrane: bool = False) -> tuple[list[dict], list[float]]:
    """History rows and the applied inventory (mol) after every step."""
    p = RadialProblem(design, MPI.COMM_SELF)
    assert p.lti is not None
    if not fast:
        p.lti = None
    ion_1C = design.max_concentration * 4 * np.pi * R**3 / 3 / 3600  # mol/s at 1C
    applied, rows, ions = p.scalars()["ions_mol"], [], []
    for k, (dt, rate, n) in enumerate(PROTOCOL):
        if membrane:  # an inelastic film's stiffness and prestress change (reassembly, new map)
            p.set_membrane(0.5 * (k + 1), 0.02 * k)
        for _ in range(n):
            p.advance(dt, rate)
            applied += rate * ion_1C * dt
            rows.append(p.scalars())
            ions.append(applied)
    p.destroy()
    return rows, ions


@pytest.mark.parametrize("membrane", [False, True])
def test_lti_stepper_matches_the_dolfinx_path(membrane):
    """A coated core with an SEI: every history column of the numpy stepper equals the PETSc
    path's to round-off (relative to the largest value of its kind: stresses, strains, fillings),
    and its inventory equals the integrated flux to 1e-15 of the full core (the PETSc path
    drifts by ~1.3e-12 in these 63 steps, which is most of the difference)."""
    d = _design(initial_soc=0.05, coatings=[RadialLayer(50e-9, 100e9, 0.25)], sei=RadialLayer(10e-9, 5e9, 0.3))
    fast, ions = _run(d, True, membrane)
    slow, _ = _run(d, False, membrane)
    a, b = ({k: np.array([r[k] for r in rows]) for k in rows[0]} for rows in (fast, slow))
    kind = {k: k.split("_")[-1] if k.endswith("MPa") else k.split("_")[0] for k in a}
    scale = {c: max(np.abs(b[k]).max() for k in b if kind[k] == c) for c in set(kind.values())}
    worst = max(np.abs(a[k] - b[k]).max() / scale[kind[k]] for k in a)
    assert worst < 5e-12  # measured 1.7e-12 (both with and without the membrane)
    full = d.max_concentration * 4 * np.pi * R**3 / 3
    drift = max(abs(r["ions_mol"] - i) for r, i in zip(fast, ions)) / full
    assert drift < 1e-15  # measured 3.1e-16


def test_lti_stepper_only_when_linear():
    """A concentration-dependent diffusivity or a phase swelling curve keeps the PETSc path."""
    for kw in ({"diffusivity_factor": ((0.0, 1.0), (1.0, 5.0))},
               {"volume_curve": ((0.0, 0.0), (0.5, 0.4), (1.0, 2.8))}):
        p = RadialProblem(_design(**kw), MPI.COMM_SELF)
        assert p.lti is None
        p.destroy()
    p = RadialProblem(_design(), MPI.COMM_SELF)
    assert p.lti is not None
    p.destroy()


def _protocol(design) -> tuple:
    """The stepper test's protocol, then a segment whose step puts one mode at z = dt mu = 1/2,
    where BDF2's two roots coincide (marched step by step)."""
    p = RadialProblem(design, MPI.COMM_SELF)
    mu = RadialModes(p.lti).mu
    p.destroy()
    return (*PROTOCOL, (0.5 / mu[3], 1.0, 12))


def _history(design, protocol, segments: bool, membrane: bool):
    """History rows, the applied inventory (mol) after every step, and the largest mismatch of
    the segments' linear outputs against the state at each segment's end."""
    p = RadialProblem(design, MPI.COMM_SELF)
    if not segments:
        p.lti = None
    ion_1C = design.max_concentration * 4 * np.pi * R**3 / 3 / 3600  # mol/s at 1C
    applied, rows, ions, outputs = p.scalars()["ions_mol"], [], [], 0.0
    for k, (dt, rate, n) in enumerate(protocol):
        if membrane:  # an inelastic film's stiffness and prestress change (new maps)
            p.set_membrane(0.5 * (k + 1), 0.02 * k)
        if segments:
            seg = advance_segment(p, dt, rate, n)
            rows += seg.rows()
            end = p.scalars()
            dofs = p.dofs["core"]
            i = dofs[np.argmin(np.abs(p._sx[dofs] - p.breaks[1]))]
            u = p.u.x.array[np.argmin(np.abs(p._r_dofs - p.breaks[1]))] * 1e-6
            mine = {"soc": end["soc"], "surface_soc": end["surface_soc_max"], "u_surface_m": u,
                    "core_sr_surface_MPa": p.fields["sigma_r"].x.array[i],
                    "core_st_surface_MPa": p.fields["sigma_t"].x.array[i]}
            outputs = max(outputs, *(abs(seg.outputs[key][-1] - v) / np.abs(seg.outputs[key]).max()
                                     for key, v in mine.items()))
        else:
            for _ in range(n):
                p.advance(dt, rate)
                rows.append(p.scalars())
        for _ in range(n):
            applied += rate * ion_1C * dt
            ions.append(applied)
    p.destroy()
    return rows, ions, outputs


@pytest.mark.parametrize("membrane", [False, True])
def test_segments_match_the_petsc_path(membrane):
    """A coated core with an SEI through BDF1 starts, a change of step, a rest, a delithiation
    and a double-root segment: every history column of the segment path equals the PETSc
    path's to round-off (relative to the largest value of its kind), the inventory equals the
    integrated flux to round-off of the full core, and the segment's per-step outputs (filling,
    surface filling, surface displacement and stresses) equal the end state's own values."""
    d = _design(initial_soc=0.05, coatings=[RadialLayer(50e-9, 100e9, 0.25)], sei=RadialLayer(10e-9, 5e9, 0.3))
    protocol = _protocol(d)
    fast, ions, outputs = _history(d, protocol, True, membrane)
    slow, _, _ = _history(d, protocol, False, membrane)
    a, b = ({k: np.array([r[k] for r in rows]) for k in rows[0]} for rows in (fast, slow))
    kind = {k: k.split("_")[-1] if k.endswith("MPa") else k.split("_")[0] for k in a}
    scale = {c: max(np.abs(b[k]).max() for k in b if kind[k] == c) for c in set(kind.values())}
    worst = max(np.abs(a[k] - b[k]).max() / scale[kind[k]] for k in a)
    assert worst < 5e-12  # measured 1.6e-12 (with and without the membrane)
    full = d.max_concentration * 4 * np.pi * R**3 / 3
    drift = max(abs(r["ions_mol"] - i) for r, i in zip(fast, ions)) / full
    assert drift < 1e-15  # measured 2.7e-16
    assert outputs < 1e-12  # measured 4.0e-13 (relative to each output's largest value in the segment)


def test_segment_of_one_step_and_refusals():
    """One step at a time (BDF1 start, BDF2, a change of current) equals `advance` with the
    numpy stepper to round-off in every state field; a twin that is not linear is refused."""
    d = _design(initial_soc=0.1)
    p, q = RadialProblem(d, MPI.COMM_SELF), RadialProblem(d, MPI.COMM_SELF)
    for dt, rate in ((10.0, 1.0), (10.0, 1.0), (5.0, -1.0)):
        advance_segment(p, dt, rate, 1)
        q.advance(dt, rate)
    for f, g in zip(p.state_functions().values(), q.state_functions().values()):
        # measured 2.8e-13 (theta, theta_n, theta_nm1), 6.9e-13 (u)
        assert np.abs(f.x.array - g.x.array).max() <= 2e-12 * np.abs(g.x.array).max()
    with pytest.raises(ValueError, match="steps = 0"):
        advance_segment(p, 1.0, 1.0, 0)
    q.lti = None
    with pytest.raises(ValueError, match="not linear"):
        advance_segment(q, 1.0, 1.0, 3)
    p.destroy()
    q.destroy()


@pytest.mark.parametrize("kw", [{"coatings": [RadialLayer(50e-9, 100e9, 0.25)], "sei": RadialLayer(10e-9, 5e9, 0.3)},
                                {"r_inner": 0.3e-6, "inner_surface": "open", "sei": RadialLayer(10e-9, 5e9, 0.3)}])
def test_segment_rows_at_once_equal_the_rows_one_state_at_a_time(kw):
    """`Segment.scalars()` (the row maps: every step's history row in a few array operations)
    gives the rows of `RadialProblem.scalars()` for each state (`Segment.rows()`), in the same
    keys and order, every column to round-off of its kind's scale: a coated core with an SEI,
    and a hollow core open inside (two flux surfaces, two SEI surfaces)."""
    p = RadialProblem(_design(initial_soc=0.05, **kw), MPI.COMM_SELF)
    advance_segment(p, 20.0, 1.0, 5)
    seg = advance_segment(p, 20.0, -0.5, 30)
    fast, slow = seg.scalars(), seg.rows()
    p.destroy()
    assert [list(r) for r in fast] == [list(r) for r in slow]
    a, b = ({k: np.array([r[k] for r in rows]) for k in rows[0]} for rows in (fast, slow))
    kind = {k: k.split("_")[-1] if k.endswith("MPa") else k.split("_")[0] for k in a}
    scale = {c: max(np.abs(b[k]).max() for k in b if kind[k] == c) for c in set(kind.values())}
    worst = max(np.abs(a[k] - b[k]).max() / max(scale[kind[k]], 1e-300) for k in a)
    assert worst < 1e-12  # measured 8.2e-14 (coated), 3.8e-13 (hollow, open inside)


def test_probes_at_once_equal_the_profiles_interpolated():
    """`RowMaps.probe_rows` (the profiles of many states at points, as linear maps) gives what
    np.interp gives on `RadialProblem.profiles()` of each state: at the centre, inside the
    core, at the core/coating interface (where the profiles hold both sides) and in the
    coating; each quantity to round-off of its largest value."""
    p = RadialProblem(_design(initial_soc=0.05, coatings=[RadialLayer(50e-9, 100e9, 0.25)]), MPI.COMM_SELF)
    seg = advance_segment(p, 20.0, 1.0, 12)
    theta, u = seg.states()
    radii = [0.0, 0.5e-6, R, R + 25e-9]
    fast = seg.modes.table.probe_rows(radii, theta, u)
    slow = np.zeros_like(fast)
    for k in range(len(theta)):
        p.theta.x.array[:], p.u.x.array[:] = theta[k], u[k]
        prof = p.profiles()
        slow[k] = [[np.interp(r, prof["r"], prof[c]) for c in ("theta", "u", "sigma_r", "sigma_t")] for r in radii]
    p.destroy()
    worst = (np.abs(fast - slow).max(axis=(0, 1)) / np.abs(slow).max(axis=(0, 1))).max()
    assert worst < 1.5e-12  # measured 6.2e-13

"""The 1D twin's numpy stepper (`seifem.reduced.radial_lti`) against its dolfinx/PETSc path:
the same discretisation, so every history column agrees to round-off, and the ion inventory
equals the integrated flux to round-off through changes of current, step and membrane."""

from __future__ import annotations

import numpy as np
import pytest
from mpi4py import MPI

from seifem.reduced.radial import RadialDesign, RadialLayer, RadialProblem

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

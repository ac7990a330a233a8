"""The PETSc options database between solvers: what each options prefix's solver put there.

dolfinx's NonlinearProblem sets its options under a pushed prefix and cannot delete them again
(the deletion ignores the pushed prefix), and GAMG reads its level options only at its lazy
setup, so options stay in the database after a solver is built. A later solver with the same
prefix in the same process (a test session, the Python API, a restart) would inherit keys its
own options do not set (an LU Newton after a GAMG one: snes_lag_preconditioner; a CG after a
finite-strain GMRES: ksp_pc_side right). Every solver therefore sets its options through this
module, which removes what the prefix's previous solver set first.
"""

from __future__ import annotations

from dolfinx.fem import petsc as fpetsc
from petsc4py import PETSc

__all__ = ["forget_options", "set_options", "set_defaults", "nonlinear_problem"]

_PRESET_NAMES: dict[str, list[str]] = {}
"""Per options prefix, the option names the last solver with that prefix put in the database
(they stay: GAMG reads some only at its lazy setup)."""


def forget_options(prefix: str, options: dict | None = None) -> None:
    """Remove from the PETSc options database the keys of `options` under `prefix`, or,
    without `options`, every option a solver of this process set under `prefix`
    (`set_options`, `set_defaults`, `nonlinear_problem`)."""
    if options is None:
        names = _PRESET_NAMES.pop(prefix, [])
    else:
        names = [prefix + key for key in options]
        _PRESET_NAMES[prefix] = [n for n in _PRESET_NAMES.get(prefix, []) if n not in names]
    opts = PETSc.Options()
    for name in names:
        if opts.hasName(name):
            opts.delValue(name)


def set_options(prefix: str, options: dict) -> None:
    """Put `options` under `prefix` in the database (a solver reads them at setFromOptions or
    at a lazy setup), remembered so the next solver of this prefix removes them first."""
    opts = PETSc.Options()
    for key, value in options.items():
        opts[prefix + key] = value
    _PRESET_NAMES.setdefault(prefix, []).extend(prefix + key for key in options)


def nonlinear_problem(F, u, *, prefix: str, options: dict, **kwargs) -> fpetsc.NonlinearProblem:
    """dolfinx's NonlinearProblem under `prefix` with the SNES/KSP `options` (kwargs: bcs, J,
    P, kind). dolfinx leaves its options in the database (its deletion ignores the pushed
    prefix; GAMG even reads its level options there at its lazy setup), so the options an
    earlier solver of this process set under the prefix are removed first: a problem never
    inherits another's (a finite-strain GMRES's right preconditioning reaching a CG). Options
    the user set under the prefix (command line, PETSC_OPTIONS) win over `options`, as with
    `set_defaults`."""
    forget_options(prefix)
    opts = PETSc.Options()
    options = {key: value for key, value in options.items() if not opts.hasName(prefix + key)}
    problem = fpetsc.NonlinearProblem(F, u, petsc_options_prefix=prefix, petsc_options=options, **kwargs)
    _PRESET_NAMES[prefix] = [prefix + key for key in options]
    return problem


def set_defaults(prefix: str, options: dict) -> list[str]:
    """Put presets in the PETSc options database unless the user already set them; returns
    the names added. The presets an earlier solver of the same prefix added are removed
    first, so a solver never inherits another's (a CG after an LU: pc_type lu)."""
    forget_options(prefix)
    opts = PETSc.Options()
    added = []
    for key, value in options.items():
        if not opts.hasName(prefix + key):
            opts.setValue(prefix + key, value)
            added.append(prefix + key)
    _PRESET_NAMES[prefix] = added
    return added

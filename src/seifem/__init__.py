"""seifem: finite-element electro-chemo-mechanics of alloy-anode microparticles, their
coatings and SEI."""

import os

# One BLAS thread a process unless the environment says otherwise, set before numpy loads (the
# CLI; scripts that import seifem first): MPI ranks already fill the cores, and OpenBLAS's own
# spinning threads on top made the 1D twin's dense solves slow: cases/si_electrolyte_cycle_life.toml
# on 2 ranks on 2 cores took 17.0 s with OpenBLAS's default threads, 8.9 s with one (the same history).
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

try:  # the PyPI wheel of dolfinx must load MPI before its bindings; absent on other installs
    import dolfinx_solver  # noqa: F401
except ImportError:
    pass

__version__ = "0.1.0"


def __getattr__(name: str):
    """`seifem.load`, `seifem.open_run`: the Python API (`seifem.api`), imported when first used."""
    if name in ("load", "open_run", "Study", "Result"):
        from seifem import api

        return getattr(api, name)
    raise AttributeError(f"module 'seifem' has no attribute {name!r}")

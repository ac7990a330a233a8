"""seifem: finite-element electro-chemo-mechanics of alloy-anode microparticles, their
coatings and SEI."""

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

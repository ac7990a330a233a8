"""seifem: finite-element electro-chemo-mechanics of alloy-anode microparticles, their
coatings and SEI."""

try:  # the PyPI wheel of dolfinx must load MPI before its bindings; absent on other installs
    import dolfinx_solver  # noqa: F401
except ImportError:
    pass

__version__ = "0.1.0"

"""seifem: finite-element electro-chemo-mechanics of alloy-anode microparticles, their
coatings and SEI. Importing the package does not import dolfinx; the solver modules do."""

__version__ = "0.1.0"

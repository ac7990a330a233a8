"""Reduced-dimension twins of the 3D particle problem (same physics, units and history names).

`radial`: the 1D spherically symmetric twin (solid or hollow core, concentric coatings, SEI
membrane), for fast sweeps and as a reference for the 3D solver. `axisym`: the 2D
axisymmetric twin on the meridian of a sphere or spheroid.
"""

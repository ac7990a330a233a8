"""Pure UFL forms: transport, small-strain mechanics, the thin-layer SEI membrane.

Functions here take UFL objects and return UFL expressions or forms; they hold no state and
can be tested on a one-cell mesh. Units are the model units of `seifem.units.SCALES`:
lengths in um, time in s, stresses in GPa, concentration as theta = c / c_max.
"""

"""The 3D finite-element particle problem: transport, kinetics, mechanics (linear, finite
strain, plastic, contact), two-way coupling, the SEI film, derived quantities and failure
indicators, and the linear solvers they share."""

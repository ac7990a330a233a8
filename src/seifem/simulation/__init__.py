"""The time loop: a case's model (3D, 2D or 1D), its protocol of steps and cut-offs, the
electrode's voltage and capacity, and the run that writes it all into a run directory."""

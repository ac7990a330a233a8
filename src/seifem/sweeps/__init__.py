"""Design sweeps: the grid of designs, running them, comparing and ranking them."""

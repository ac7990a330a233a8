"""Pictures and reports made from written results (they work after the run, on any machine)."""

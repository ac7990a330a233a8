"""What a run writes: the history CSV, probe values, VTX fields. Rank 0 writes text files;
field files are written collectively. All writers are context managers."""

from seifem.observers.fields import FieldWriter
from seifem.observers.history import CsvWriter
from seifem.observers.probes import Probes

__all__ = ["CsvWriter", "FieldWriter", "Probes"]

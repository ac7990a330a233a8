"""What a run writes: the history CSV, probe values, VTX fields. Rank 0 writes text files;
field files are written collectively. All writers are context managers."""

from .fields import FieldWriter
from .history import CsvWriter
from .probes import Probes

__all__ = ["CsvWriter", "FieldWriter", "Probes"]

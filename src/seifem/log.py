"""Logging from rank 0 only (all ranks with --log-all-ranks), and a progress display.

Inside `group_logging(comm, prefix)` (a sweep's design run by a group of ranks) "rank 0"
means rank 0 of that group, and its messages carry the prefix: each group's leader logs,
the other ranks stay quiet.
"""

from __future__ import annotations

import logging
import sys
from contextlib import contextmanager
from pathlib import Path

from mpi4py import MPI

__all__ = ["setup_logging", "group_logging", "Progress"]

_GROUP: dict = {"comm": None, "prefix": ""}
"""The communicator whose rank 0 logs (None: COMM_WORLD) and the prefix of its messages."""


class _RankFilter(logging.Filter):
    def __init__(self, all_ranks: bool):
        super().__init__()
        self.all_ranks = all_ranks

    def filter(self, record: logging.LogRecord) -> bool:
        record.rank = MPI.COMM_WORLD.rank
        record.prefix = _GROUP["prefix"]
        return self.all_ranks or (_GROUP["comm"] or MPI.COMM_WORLD).rank == 0


def setup_logging(level: str = "INFO", all_ranks: bool = False, logfile=None) -> None:
    """Configure the `seifem` logger: stderr, and a file on rank 0 if given."""
    logger = logging.getLogger("seifem")
    logger.handlers.clear()
    logger.setLevel(level)
    logger.propagate = False
    fmt = "[%(rank)d] %(levelname)s %(prefix)s%(message)s" if all_ranks else "%(levelname)s %(prefix)s%(message)s"
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(fmt))
    handler.addFilter(_RankFilter(all_ranks))
    logger.addHandler(handler)
    if logfile is not None and MPI.COMM_WORLD.rank == 0:
        logger.addHandler(_file_handler(logfile))


class _FileHandler(logging.FileHandler):
    """run.log: a line that cannot be written (disk full) is dropped without a traceback; stderr
    still has it, and the run's own writes report the full disk."""

    def handleError(self, record: logging.LogRecord) -> None:
        pass


def _file_handler(logfile) -> logging.FileHandler:
    fh = _FileHandler(logfile)
    fh.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    fh.addFilter(_RankFilter(False))
    return fh


@contextmanager
def group_logging(comm: MPI.Comm, prefix: str, logfile: Path | None = None):
    """Within the block, rank 0 of `comm` logs with `[prefix] ` in front, and into `logfile`
    (a run's run.log) if given."""
    logger = logging.getLogger("seifem")
    saved = dict(_GROUP)
    _GROUP.update(comm=comm, prefix=f"[{prefix}] ")
    fh = _file_handler(logfile) if logfile is not None and comm.rank == 0 else None
    if fh is not None:
        logger.addHandler(fh)
    try:
        yield
    finally:
        if fh is not None:
            logger.removeHandler(fh)
            fh.close()
        _GROUP.update(saved)


class Progress:
    """A rich progress bar over simulated time, drawn by rank 0 on a terminal only."""

    def __init__(self, comm: MPI.Comm, enabled: bool = True):
        self.enabled = enabled and comm.rank == 0 and sys.stderr.isatty()
        self._bar = None

    def start(self, total_s: float) -> None:
        if not self.enabled:
            return
        from rich.progress import BarColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as RichProgress

        self._bar = RichProgress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[info]}"),
                                 TimeElapsedColumn(), transient=True)
        self._bar.start()
        self._task = self._bar.add_task("solving", total=total_s or None, info="")

    def advance(self, dt: float, row: dict) -> None:
        if self._bar is not None:
            self._bar.update(self._task, advance=dt, info=f"t = {row['time_s']:.0f} s  soc = {row['soc']:.3f}")

    def stop(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

"""Logging from rank 0 only (all ranks with --log-all-ranks), and a progress display.

Inside `group_logging(comm, prefix)` (a sweep's design run by a group of ranks) "rank 0"
means rank 0 of that group, and its messages carry the prefix: each group's leader logs,
the other ranks stay quiet.
"""

from __future__ import annotations

import logging
import sys
import time
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
    """What rank 0 shows while a run solves. On a terminal: a live bar over the simulated time
    of the current protocol step, with the log lines printed above it (one rich console for
    both). Otherwise (under mpirun, or stderr to a file): a progress line every `every_s`
    seconds of wall time with the step, time, state of charge, voltage, wall time per step
    and the wall time left in the protocol step at the current pace.

        progress.start_step(2, 4, "delithiate at -1 C", t0=3600.0, duration_s=3600.0)
        progress.advance(t_s, soc, voltage_V)     # after every time step
    """

    def __init__(self, comm: MPI.Comm, enabled: bool = True, every_s: float = 5.0):
        self.enabled = enabled and comm.rank == 0
        self.live = self.enabled and sys.stderr.isatty()
        self.every_s = every_s
        self._bar = self._handlers = None
        self._step = ("", 0.0, 0.0)  # label, start time (s), longest duration (s, inf: until a cut-off)
        self._clock = self._last = 0.0
        self._steps = 0

    def start(self) -> None:
        if not self.live:
            return
        from rich.console import Console
        from rich.logging import RichHandler
        from rich.progress import BarColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as RichProgress

        console = Console(stderr=True)
        self._bar = RichProgress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[info]}"),
                                 TimeElapsedColumn(), console=console, transient=True)
        logger = logging.getLogger("seifem")  # log lines go above the bar, through the same console
        self._handlers = [h for h in logger.handlers if type(h) is logging.StreamHandler]
        for h in self._handlers:
            logger.removeHandler(h)
        rich_handler = RichHandler(console=console, show_time=False, show_path=False)
        rich_handler.addFilter(_RankFilter(False))
        logger.addHandler(rich_handler)
        self._rich_handler = rich_handler
        self._bar.start()
        self._task = self._bar.add_task("solving", total=None, info="")

    def start_step(self, index: int, count: int, what: str, t0: float, duration_s: float) -> None:
        """Protocol step `index` of `count` starts at t0 (s) and lasts at most duration_s (s)."""
        if not self.enabled:
            return
        self._step = (f"step {index}/{count} ({what})", t0, duration_s)
        self._clock = self._last = time.monotonic()
        self._steps = 0
        if self._bar is not None:
            total = duration_s if duration_s != float("inf") else None
            self._bar.reset(self._task, total=total, description=self._step[0], info="")

    def advance(self, t_s: float, soc: float, voltage_V: float | None) -> None:
        if not self.enabled:
            return
        self._steps += 1
        label, t0, duration = self._step
        now = time.monotonic()
        state = f"t = {t_s:.0f} s  soc = {soc:.3f}" + (f"  V = {voltage_V:.3f}" if voltage_V is not None else "")
        if self._bar is not None:
            self._bar.update(self._task, completed=t_s - t0, info=state)
            return
        if now - self._last < self.every_s:
            return
        self._last = now
        wall = now - self._clock
        pace = (t_s - t0) / wall if wall > 0 else 0.0  # simulated s per wall s
        if duration == float("inf") or pace <= 0:
            left = "until its cut-off"
        else:
            left = f"<= {_duration(max(t0 + duration - t_s, 0.0) / pace)} left"
        logging.getLogger("seifem.progress").info("%s  %s  %.2f s/step  %s", label, state, wall / self._steps, left)

    def stop(self) -> None:
        if self._bar is None:
            return
        self._bar.stop()
        logger = logging.getLogger("seifem")
        logger.removeHandler(self._rich_handler)
        for h in self._handlers:
            logger.addHandler(h)
        self._bar = None


def _duration(seconds: float) -> str:
    """"42 s", "3.5 min", "2.1 h"."""
    if seconds < 90:
        return f"{seconds:.0f} s"
    return f"{seconds / 60:.1f} min" if seconds < 5400 else f"{seconds / 3600:.1f} h"

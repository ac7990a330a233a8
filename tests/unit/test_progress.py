"""Progress without a terminal (under mpirun, stderr to a file): a line every few seconds of
wall time with the protocol step, time, soc, voltage, s/step and the time left in the step."""

from __future__ import annotations

import logging

from mpi4py import MPI

from seifem.log import Progress


class _Lines(logging.Handler):
    """The messages the `seifem` logger emits inside the block."""

    def __enter__(self) -> list[str]:
        self.lines: list[str] = []
        self.logger = logging.getLogger("seifem")
        self.level = self.logger.level
        self.logger.setLevel(logging.INFO)
        self.logger.addHandler(self)
        return self.lines

    def __exit__(self, *exc) -> None:
        self.logger.removeHandler(self)
        self.logger.setLevel(self.level)

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def test_progress_lines_say_where_the_run_is_and_how_long_the_step_has_left():
    progress = Progress(MPI.COMM_SELF, every_s=0.0)
    assert not progress.live  # pytest captures stderr: no terminal
    progress.start()
    progress.start_step(2, 4, "delithiate at -1 C", t0=100.0, duration_s=1000.0)
    with _Lines() as lines:
        progress.advance(200.0, 0.5, 0.41)
        progress.start_step(3, 4, "hold at 0.05 V", t0=300.0, duration_s=float("inf"))
        progress.advance(310.0, 0.6, None)
    progress.stop()
    first, second = lines
    assert first.startswith("step 2/4 (delithiate at -1 C)") and "t = 200 s" in first and "soc = 0.500" in first
    assert "V = 0.410" in first and "s/step" in first and "left" in first
    assert second.startswith("step 3/4 (hold at 0.05 V)") and "until its cut-off" in second and "V =" not in second


def test_quiet_between_lines():
    progress = Progress(MPI.COMM_SELF, every_s=3600.0)
    progress.start_step(1, 1, "rest", 0.0, 10.0)
    with _Lines() as lines:
        for k in range(100):
            progress.advance(float(k), 0.0, None)
    assert lines == []

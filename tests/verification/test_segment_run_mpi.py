"""The run loop's segments on any number of ranks (the 1D twin is replicated on each; rank 0
writes): the history of a segment-stepped run equals the step-by-step loop's, and a run killed
inside a segment continues to the same history byte for byte. Serial details (every column to
1e-12 in memory): tests/unit/test_segment_run.py."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import COATED_1D, make_case, read_csv

SECTIONS = {
    **COATED_1D,
    "protocol": {"steps": [{"mode": "lithiate", "c_rate": "1 C", "until_voltage": "0.1 V"},
                           {"mode": "delithiate", "c_rate": "2 C", "until_soc": 0.2}]},
    "solver": {"dt": "60 s"},
    "output": {"fields": False, "checkpoint_every": 5, "probes": {"surface": ["0 um", "0 um", "1 um"]}},
}


class Killed(BaseException):
    """A kill on every rank after a recorded step (not an Exception: nothing is closed)."""


def _run(monkeypatch, comm, out, segments: bool = True, kill_at: int | None = None, restart: bool = False) -> None:
    import seifem.simulation.particle_run as pr
    from seifem.simulation.run import run_case

    if comm.rank == 0:
        out.mkdir(exist_ok=True)
    comm.barrier()
    record = pr.ParticleRun.record

    def recording(self, *args, **kwargs):
        row = record(self, *args, **kwargs)
        if self.nsteps == kill_at:
            raise Killed
        return row

    with monkeypatch.context() as m:
        m.setattr(pr.ParticleRun, "record", recording)
        if not segments:
            m.setattr(pr, "segments_apply", lambda run, step: False)
        try:
            run_case(make_case(**SECTIONS), out, comm, restart=restart)
        except Killed:
            assert kill_at is not None
    comm.barrier()


@pytest.mark.slow  # 6.8 s serial, 11 s on 2 ranks (load ~9, niced)
def test_segments_on_every_rank(monkeypatch, comm, shared_tmp):
    """Segments and the step-by-step loop write the same history (10 digits) and probes; killed
    after step 7 (checkpoint at 5) and continued, the segment run's files are byte for byte
    those of the uninterrupted run."""
    full, steps, killed = shared_tmp / "full", shared_tmp / "steps", shared_tmp / "killed"
    _run(monkeypatch, comm, full)
    _run(monkeypatch, comm, steps, segments=False)
    _run(monkeypatch, comm, killed, kill_at=7)
    _run(monkeypatch, comm, killed, restart=True)
    for name in ("history.csv", "probes.csv"):
        a, b = read_csv(full / name), read_csv(steps / name)
        assert list(a) == list(b) and len(a["time_s"]) == len(b["time_s"]) > 20
        for k in a:  # written with 10 digits
            np.testing.assert_allclose(a[k], b[k], rtol=0, atol=1e-9 * max(np.abs(b[k]).max(), 1e-30), err_msg=k)
        assert (killed / name).read_bytes() == (full / name).read_bytes()

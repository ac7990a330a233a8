"""The run loop's segments (`seifem.simulation.segment_run`): a 1D twin run through `run_case`
with whole stretches of its protocol taken as segments writes the rows of the step-by-step loop
(every history column to round-off of its scale), lands its voltage cut-off on the same step,
writes probes and fields at the same times, and continues a run killed in the middle of a segment to the
same history, byte for byte."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from mpi4py import MPI

from helpers import COATED_1D, make_case, read_csv

# a coated Si particle with a membrane SEI (uniform kinetics, the film's i R drop): 1C lithiation
# to soc 0.2, on at the same current with shorter steps (variable-step BDF2 at the change) to
# 0.1 V, a rest, a 1C delithiation; fields at two times inside the steps, checkpoints every 7
SECTIONS = {
    **COATED_1D,
    "protocol": {"steps": [{"mode": "lithiate", "c_rate": "1 C", "until_soc": 0.2},
                           {"mode": "lithiate", "c_rate": "1 C", "until_voltage": "0.1 V", "until_soc": 0.95, "dt": "20 s"},
                           {"mode": "rest", "duration": "5 min"},
                           {"mode": "delithiate", "c_rate": "1 C", "until_soc": 0.2}]},
    "solver": {"dt": "30 s"},
    "output": {"fields": True, "field_times": ["10 min", "70 min"], "checkpoint_every": 7,
               "probes": {"centre": ["0 um", "0 um", "0 um"], "surface": ["0 um", "0 um", "1 um"]}},
}


class Killed(BaseException):
    """A kill: not an Exception, so the run loop's error handling does not see it (nothing is
    closed or written after it, as after SIGKILL)."""


def _run(monkeypatch, out, segments: bool = True, kill_at: int | None = None, restart: bool = False):
    """Run the case into `out` (serial); returns the rows the loop recorded and the lengths of
    the segments it solved. `segments` False: the step-by-step loop; `kill_at`: fail after
    recording that step (the run is left with its last checkpoint, as after a kill)."""
    import seifem.simulation.particle_run as pr
    import seifem.simulation.segment_run as sr
    from seifem.simulation.run import run_case

    out.mkdir(exist_ok=True)
    rows, lengths = [], []
    record, solve = pr.ParticleRun.record, sr.advance_segment

    def recording(self, row, write_fields, probes=None):
        rows.append(dict(row))
        out_row = record(self, row, write_fields, probes)
        if self.nsteps == kill_at:
            raise Killed(f"after step {kill_at}")
        return out_row

    def counting(p, dt, c_rate, steps, **kw):
        lengths.append(steps)
        return solve(p, dt, c_rate, steps, **kw)

    with monkeypatch.context() as m:
        m.setattr(pr.ParticleRun, "record", recording)
        m.setattr(sr, "advance_segment", counting)
        if not segments:
            m.setattr(pr, "segments_apply", lambda run, step: False)
        if kill_at is not None:
            with pytest.raises(Killed):
                run_case(make_case(**copy.deepcopy(SECTIONS)), out, MPI.COMM_SELF)
        else:
            run_case(make_case(**copy.deepcopy(SECTIONS)), out, MPI.COMM_SELF, restart=restart)
    return rows, lengths


def _columns(rows: list[dict]) -> dict[str, np.ndarray]:
    return {k: np.array([r[k] for r in rows], dtype=float) for k in rows[0]}


def test_segments_write_the_rows_of_the_step_by_step_loop(monkeypatch, tmp_path):
    """Every history column of the segment loop equals the step-by-step loop's to round-off
    (relative to the largest value of its kind: stresses, strains, fillings, times, ...); the
    voltage cut-off is located in the same step, to its tolerance in both; the probes are the
    same and the fields are written at the same times."""
    from seifem.simulation.protocol import EVENT_TOLERANCE

    fast, lengths = _run(monkeypatch, tmp_path / "segments")
    slow, none = _run(monkeypatch, tmp_path / "steps", segments=False)
    assert not none and max(lengths) == 7 and sum(lengths) > 0.8 * len(fast)  # mostly in segments
    a, b = _columns(fast), _columns(slow)
    assert list(a) == list(b) and len(fast) == len(slow)
    np.testing.assert_array_equal(a["step"], b["step"])  # the same steps, the cut-off in the same one
    kind = {k: k.split("_")[-1] if k.endswith("MPa") else k.split("_")[0] for k in a}
    scale = {c: max(np.abs(b[k]).max() for k in b if kind[k] == c) for c in set(kind.values())}
    worst = {k: np.abs(a[k] - b[k]).max() / max(scale[kind[k]], 1e-300) for k in a}
    assert max(worst.values()) < 1e-12, max(worst.items(), key=lambda kv: kv[1])  # measured 5.8e-13 (carbon_sr_min)
    end = int(np.flatnonzero(a["step"] == 2)[-1])
    for h in (a, b):
        assert h["voltage_V"][end] == pytest.approx(0.1, abs=EVENT_TOLERANCE["voltage"])
        assert np.all(h["voltage_V"][1:end] > 0.1 + EVENT_TOLERANCE["voltage"])  # not reached before
    assert a["soc"][end] < 0.9  # the voltage, not the filling, ended the lithiation
    fields = [np.loadtxt(d / "profiles.csv", delimiter=",", skiprows=1) for d in (tmp_path / "segments", tmp_path / "steps")]
    np.testing.assert_allclose(np.unique(fields[0][:, 0]), np.unique(fields[1][:, 0]), rtol=1e-9)  # the same output times
    assert fields[0].shape == fields[1].shape
    probes = [read_csv(d / "probes.csv") for d in (tmp_path / "segments", tmp_path / "steps")]
    for k, v in probes[1].items():  # written with 10 digits
        np.testing.assert_allclose(probes[0][k], v, rtol=0, atol=1e-9 * np.abs(v).max(), err_msg=k)
    for f in ("history.csv", "probes.csv", "cycles.csv", "profiles.csv"):  # the same files, the same columns
        heads = [(d / f).read_text().splitlines()[0] for d in (tmp_path / "segments", tmp_path / "steps")]
        assert heads[0] == heads[1]


def test_a_run_killed_inside_a_segment_continues_to_the_same_history(monkeypatch, tmp_path):
    """Killed after step 10 (segments of 7 steps between checkpoints: inside the second), the
    continued run takes its segments from the checkpoint at step 7 and writes the uninterrupted
    run's history and probes byte for byte."""
    full, killed = tmp_path / "full", tmp_path / "killed"
    _run(monkeypatch, full)
    _run(monkeypatch, killed, kill_at=10)
    rows, lengths = _run(monkeypatch, killed, restart=True)
    times = read_csv(full / "history.csv")["time_s"]
    assert rows[0]["time_s"] == pytest.approx(times[8]) and lengths[0] == 7  # from the checkpoint at step 7
    for f in ("history.csv", "probes.csv", "cycles.csv"):
        assert (killed / f).read_bytes() == (full / f).read_bytes(), f

"""Continuing a run from its checkpoint without losing, doubling or changing a row.

Every checkpoint stores, for each CSV table of the run, the rows and bytes it held once they
were synced (`CsvWriter.mark`), and a hash of the resolved case. A restart
- refuses when the case is not the one that wrote the checkpoint (`case_hash`),
- cuts each table back to its stored byte count after checking that exactly the stored
  number of rows lies before it: the rows up to the checkpoint stay byte for byte, the rows
  after it (which the restart computes again) go. No float time is compared.
- does nothing to a finished run (`finished_time`).

Checkpoints of older versions carry no marks: their tables are cut after the last row whose
time is within 1e-9 (relative) of the checkpoint's time.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
from pathlib import Path

import numpy as np

from seifem.errors import CheckpointError, RunDirError
from seifem.observers.io import output_errors
from seifem.results.rundir import CHECKPOINT, CYCLES, HISTORY, PARTICLES, PROBES, SUMMARY, RunDir

__all__ = ["TABLES", "case_hash", "read_meta", "finished_time", "prepare_restart", "refuse_used_dir", "cut_table"]

log = logging.getLogger(__name__)

TABLES = (HISTORY, PROBES, CYCLES, PARTICLES)
"""The CSV tables a checkpoint counts rows of."""


def case_hash(case) -> str:
    """SHA-256 of the resolved case (SI values, materials, protocol, output): equal hashes,
    the same run."""
    from seifem.case import resolved_toml

    return hashlib.sha256(json.dumps(resolved_toml(case), sort_keys=True, default=str).encode()).hexdigest()


def read_meta(path: Path) -> dict:
    """The meta dict of a checkpoint file, without its field values."""
    try:
        with np.load(path) as z:
            return json.loads(str(z["__meta__"]))
    except (OSError, ValueError, KeyError) as exc:
        raise CheckpointError(f"cannot read checkpoint {path}: {exc}") from None


def finished_time(run_dir: Path, comm=None) -> float | None:
    """The last time (s) of a finished run's history, or None if the run is not finished (as
    rank 0 of `comm` sees it, on every rank)."""
    t_end = None
    if comm is None or comm.rank == 0:
        run = RunDir(Path(run_dir))
        if run.is_finished():
            t = run.history().get("time_s")
            t_end = float(t[-1]) if t is not None and len(t) else 0.0
    return comm.bcast(t_end, root=0) if comm is not None and comm.size > 1 else t_end


def refuse_used_dir(out_dir: Path, comm, what: str = "out_dir") -> None:
    """Raise RunDirError (every rank) if a run already wrote into `out_dir`: a fresh run never
    appends to, or overwrites, another run's files (continue one with restart=True)."""
    used = None
    if comm.rank == 0:
        used = [n for n in (*TABLES, CHECKPOINT, SUMMARY) if (Path(out_dir) / n).exists()]
    used = comm.bcast(used, root=0) if comm.size > 1 else used
    if used:
        raise RunDirError(f"{what} = {str(out_dir)!r}: already exists and is not empty ({used[0]}); seifem never "
                          "overwrites a run, choose a new directory (or continue this one with --restart)")


def prepare_restart(out_dir: Path, case, comm) -> dict:
    """Check the checkpoint against `case` and cut the tables back to it (rank 0 works, every
    rank gets the checkpoint's meta or the same error). Collective."""
    result: tuple[dict | None, str | None, bool] = (None, None, False)
    if comm.rank == 0:
        try:
            meta = read_meta(Path(out_dir) / CHECKPOINT)
            _check_case(meta, case, out_dir)
            for name in TABLES:
                with output_errors(Path(out_dir) / name):
                    cut_table(Path(out_dir) / name, (meta.get("csv") or {}).get(name), meta["t"])
            for stale in Path(out_dir).glob("*.tmp"):  # left by a kill during a write: never trusted
                with contextlib.suppress(OSError):
                    stale.unlink()
            result = (meta, None, False)
        except RunDirError as exc:
            result = (None, str(exc), True)
        except (CheckpointError, RuntimeError) as exc:
            result = (None, str(exc), False)
    meta, error, input_error = comm.bcast(result, root=0) if comm.size > 1 else result
    if error is not None:
        raise (RunDirError if input_error else CheckpointError)(error)
    return meta


def _check_case(meta: dict, case, out_dir: Path) -> None:
    stored = meta.get("case_sha256")
    if stored is None:
        log.warning("the checkpoint in %s has no case hash (an older seifem): the case is not checked", out_dir)
    elif stored != case_hash(case):
        raise RunDirError(f"--restart = {str(out_dir)!r}: the case (input.toml with the --set overrides given now) "
                          f"is not the one that wrote {CHECKPOINT}; a run continues only with its own case (start a "
                          "new run to change it)")


def cut_table(path: Path, mark, t: float) -> None:
    """Cut `path` back to `mark` = [rows, bytes] (checked: exactly `rows` data rows lie before
    that byte), or with no mark to the rows with time <= t (within 1e-9 relative)."""
    path = Path(path)
    data = path.read_bytes() if path.is_file() else b""
    if mark is None:
        size = _legacy_size(data, t)
    else:
        rows, size = int(mark[0]), int(mark[1])
        found = data[:size].count(b"\n") - 1 if size else 0
        if len(data) < size or found != rows or (size and data[size - 1:size] != b"\n"):
            raise RunDirError(f"{path.name} in {path.parent} holds {max(data.count(b'\n') - 1, 0)} rows, not the "
                              f"{rows} that the checkpoint counts: it was changed after the checkpoint, cannot continue")
    if len(data) > size:
        os.truncate(path, size)
        with open(path, "rb+") as fh:
            os.fsync(fh.fileno())


def _legacy_size(data: bytes, t: float) -> int:
    """Bytes of the header and the rows with time_s <= t (1e-9 relative), for marks-less
    checkpoints."""
    lines = data.splitlines(keepends=True)
    if not lines:
        return 0
    size = len(lines[0])
    for line in lines[1:]:
        try:
            ok = line.endswith(b"\n") and float(line.split(b",", 1)[0]) <= t + 1e-9 * max(abs(t), 1.0)
        except ValueError:
            ok = False
        if not ok:
            break
        size += len(line)
    return size


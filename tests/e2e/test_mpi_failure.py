"""A failure on one MPI rank only ends every rank within seconds, with the message and the
rank on stderr: never a hang.

Faults are injected by a driver script written by the test (it wraps one function on one
rank, then calls `seifem.cli.main.main`), so production code carries no test hooks. A hang is
caught by a timeout that kills the whole process group (mpirun and its ranks).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import seifem_cmd

ROOT = Path(__file__).resolve().parents[2]
CASE = str(ROOT / "cases" / "si_bare.toml")
SMALL = ["--set", 'geometry.mesh_size="0.8 um"', "--no-render"]
TIMEOUT = 60.0

DRIVER = '''
"""seifem with one fault injected on one rank: <where> <rank> <nth call> <seifem args...>."""
import errno
import sys
import time

import seifem  # noqa: F401  (MPI before dolfinx)
from mpi4py import MPI

import seifem.case
import seifem.problem.particle
from seifem.cli.main import main
from seifem.observers import history

where, rank, nth = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
argv = sys.argv[4:]
calls = 0


def fault():
    print(f"INJECTED {time.time():.6f}", file=sys.stderr, flush=True)
    if where == "advance":
        raise RuntimeError(f"injected fault on rank {rank}")
    if where == "history":
        raise OSError(errno.ENOSPC, "No space left on device (injected)")
    raise seifem.case.CaseError("case file", argv[1], "no such file (injected: not visible from this node)")


def wrap(owner, name):
    original = getattr(owner, name)

    def wrapper(*args, **kwargs):
        global calls
        if MPI.COMM_WORLD.rank == rank:
            calls += 1
            if calls == nth:
                fault()
        return original(*args, **kwargs)

    setattr(owner, name, wrapper)


wrap(*{"advance": (seifem.problem.particle.ParticleProblem, "advance"), "history": (history.CsvWriter, "write"),
       "load_case": (seifem.case, "load_case")}[where])
sys.exit(main(argv))
'''


def _run(cmd: list[str], cwd: Path, timeout: float = TIMEOUT):
    """Run `cmd` in its own process group; on timeout kill the group (no orphaned ranks) and fail."""
    start = time.time()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.terminate()  # mpirun passes SIGTERM on and cleans up its ranks
        try:
            out, err = proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, err = proc.communicate()
        pytest.fail(f"hang: no exit within {timeout} s\n{err[-3000:]}")
    return proc.returncode, out, err, start, time.time()


def _inject(tmp_path: Path, where: str, rank: int, nth: int, *args: str):
    return _inject_with_timeout(tmp_path, TIMEOUT, where, rank, nth, *args)


def _inject_with_timeout(tmp_path: Path, timeout: float, where: str, rank: int, nth: int, *args: str):
    """Run the driver under mpirun -n 2; return exit code, stderr and seconds from the fault to the end."""
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER)
    mpirun = seifem_cmd(2)[:3]  # this venv's mpirun -n 2
    rc, out, err, start, end = _run([*mpirun, sys.executable, str(driver), where, str(rank), str(nth), *args],
                                    tmp_path, timeout)
    injected = [float(ln.split()[1]) for ln in err.splitlines() if ln.startswith("INJECTED ")]
    assert len(injected) == 1, err  # the fault fired once, on one rank
    return rc, err, end - injected[0]


@pytest.mark.parametrize("rank", [1, 0])
def test_exception_on_one_rank_while_stepping(tmp_path, rank):
    """A RuntimeError in the 3rd time step on one rank only: the job ends at once (exit 1) with
    the traceback and the rank, instead of the other rank waiting in its next collective."""
    out = tmp_path / "run"
    rc, err, after = _inject(tmp_path, "advance", rank, 3, "run", CASE, *SMALL, "--set", "output.fields=false",
                             "--out", str(out))
    assert rc != 0, err
    assert f"seifem: unexpected error on rank {rank}:" in err, err
    assert f"RuntimeError: injected fault on rank {rank}" in err, err
    assert after < 10.0, f"the job took {after:.1f} s to end after the fault"
    assert (out / "history.csv").is_file()  # the rows synced before the fault (here the initial one) are kept


def test_exception_on_one_rank_while_writing_fields(tmp_path):
    """As above, with field files open: the failing rank must not enter a collective on its way out."""
    rc, err, after = _inject_with_timeout(tmp_path, 15.0, "advance", 1, 3, "run", CASE, *SMALL,
                                          "--out", str(tmp_path / "run"))
    assert rc != 0 and "injected fault on rank 1" in err, err
    assert after < 10.0


def test_io_error_on_rank0_writing_history(tmp_path):
    """Disk full on rank 0 (the only writer of history.csv) while rank 1 computes on."""
    rc, err, after = _inject(tmp_path, "history", 0, 3, "run", CASE, *SMALL, "--set", "output.fields=false",
                             "--out", str(tmp_path / "run"))
    assert rc != 0, err
    assert "seifem: unexpected error on rank 0:" in err and "No space left on device" in err, err
    assert after < 10.0, f"the job took {after:.1f} s to end after the fault"


@pytest.mark.slow
@pytest.mark.parametrize("rank", [1, 0])
def test_input_error_on_one_rank_only(tmp_path, rank):
    """A known (input) error that only one rank sees, e.g. a case file on a disk the other
    node cannot read: the other rank runs on into its collectives. The rank with the error
    gives up waiting for the others, says why (naming itself) and aborts the job with code 2.
    mpirun usually passes 2 on, but when the abort reaches the other rank inside a collective
    MPICH may report that rank's fatal MPI error code instead: any non-zero exit counts."""
    from seifem.cli.main import REPORT_WAIT_S

    out = tmp_path / "run"
    rc, err, after = _inject(tmp_path, "load_case", rank, 1, "run", CASE, *SMALL, "--set", "output.fields=false",
                             "--out", str(out))
    assert rc != 0, err
    assert "Traceback" not in err
    errors = [ln for ln in err.splitlines() if ln.startswith("seifem: error:")]
    assert len(errors) == 1 and "no such file (injected" in errors[0], err
    if rank != 0:
        assert errors[0].endswith(f"(rank {rank})"), errors[0]
    assert after < REPORT_WAIT_S + 10.0, f"the job took {after:.1f} s to end after the fault"


def test_render_error_on_rank0_only(tmp_path):
    """`seifem render` draws on rank 0 only; its error (here a history without rows) reaches
    every rank, so rank 1 does not wait in a barrier for ever."""
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    (run_dir / "case.toml").write_text('title = "x"\n')
    (run_dir / "history.csv").write_text("")
    rc, out, err, start, end = _run(seifem_cmd(2, "render", str(run_dir)), tmp_path)
    assert rc == 2, err
    errors = [ln for ln in err.splitlines() if ln.startswith("seifem: error:")]
    assert len(errors) == 1 and "has no rows" in errors[0], err
    assert "Traceback" not in err
    assert end - start < 30.0

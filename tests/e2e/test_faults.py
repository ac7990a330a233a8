"""Never lose a row: kill -9 anywhere, then --restart, gives the uninterrupted history bit for
bit; a finished run is left byte for byte as it is; a full disk ends with exit code 3 and one
message and leaves nothing a restart would trust half-written."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

from faults import TWO_STEPS, Fault, compare, kill_and_restart, killed_run, run_reference
from helpers import run_seifem, seifem_cmd


@pytest.fixture(scope="module")
def references(tmp_path_factory):
    """The uninterrupted two-step run on 1 and 2 ranks (made when first asked for)."""
    tmp, made = tmp_path_factory.mktemp("faults"), {}

    def get(ranks: int) -> tuple[Path, Path]:
        if ranks not in made:
            made[ranks] = run_reference(tmp, TWO_STEPS, ranks)
        return made[ranks], tmp / "case.toml"

    return get


def _check(outcome) -> None:
    assert outcome.hangs == 0 and outcome.tracebacks == 0, outcome
    assert outcome.restart_rc == 0, outcome
    assert (outcome.rows_lost, outcome.rows_extra) == (0, 0), outcome
    assert outcome.max_rel_diff <= 1e-9, outcome
    assert not outcome.notes or outcome.notes == ["finished before the kill"], outcome


@pytest.mark.slow  # ~31 s loaded (its reference run included)
def test_kill_in_the_second_protocol_step_then_restart(tmp_path, references):
    """Killed 4 steps after the first cut-off (time accumulated after a located cut-off): the
    row of the checkpoint and every row before it are kept, the history is the same."""
    ref, case = references(1)
    _check(kill_and_restart(tmp_path, case, 1, Fault("step", 36), ref))


@pytest.mark.slow
@pytest.mark.parametrize("ranks,fault", [
    (1, Fault("checkpoint", 3)), (2, Fault("checkpoint", 9)),  # half a checkpoint.npz.tmp written
    (1, Fault("sync", 6)), (2, Fault("sync", 10, 1)),  # tables synced, state not yet saved
    (2, Fault("step", 34, 1)),  # rank 1 dies in the second protocol step
    (1, Fault("time", 0.3)), (2, Fault("time", 0.8)),  # the whole job, from outside
], ids=str)
def test_kill_anywhere_then_restart(tmp_path, references, ranks, fault):
    ref, case = references(ranks)
    _check(kill_and_restart(tmp_path, case, ranks, fault, ref))


def _snapshot(directory: Path) -> dict[str, str]:
    return {str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
            for p in sorted(directory.rglob("*"))}


@pytest.mark.slow  # ~7 s loaded, needs the reference run
def test_restart_of_a_finished_run_changes_nothing(tmp_path, references):
    ref, _ = references(1)
    run = tmp_path / "done"
    shutil.copytree(ref, run)
    before = _snapshot(run)
    res = run_seifem(1, "run", "--restart", str(run))  # rendering not switched off: still nothing
    assert res.returncode == 0, res.stderr
    assert "run already finished at t = 334.75 s" in res.stderr
    assert _snapshot(run) == before


@pytest.mark.slow  # ~12 s loaded, needs the reference run
def test_restart_refuses_a_different_case(tmp_path, references):
    """The checkpoint's case hash: a restart with another dt is refused, nothing is cut or
    written (run.log records the refusal)."""
    ref, case = references(1)
    killed = tmp_path / "run"
    assert killed_run(tmp_path, case, 1, Fault("step", 10), killed)
    before = _snapshot(killed)
    res = run_seifem(1, "run", "--restart", str(killed), "--set", 'solver.dt="4 s"')
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert "is not the one that wrote checkpoint.npz" in res.stderr
    after = _snapshot(killed)
    assert {k: v for k, v in after.items() if k != "run.log"} == {k: v for k, v in before.items() if k != "run.log"}


# ----------------------------------------------------------------------------- full disk
WRITE_FAILS = r'''
import errno, os, sys
import seifem
from mpi4py import MPI
target, after = sys.argv.pop(1), int(sys.argv.pop(1))
if MPI.COMM_WORLD.rank == 0:
    real, count = os.write, [0]
    def write(fd, data):
        if os.readlink(f"/proc/self/fd/{fd}").endswith(target):
            count[0] += 1
            if count[0] > after:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(fd, data)
    os.write = write
from seifem.cli.main import main
sys.exit(main(sys.argv[1:]))
'''


def _one_error(stderr: str, name: str) -> None:
    assert "Traceback" not in stderr, stderr
    errors = [ln for ln in stderr.splitlines() if ln.startswith("seifem: error:")]
    assert len(errors) == 1 and name in errors[0] and "No space left on device" in errors[0], stderr


@pytest.mark.slow  # 1 rank: ~22 s loaded, its reference run included; 2 ranks: ~10 s
@pytest.mark.parametrize("ranks", [1, 2])
def test_a_write_that_fails_ends_with_code_3_and_one_message(tmp_path, references, ranks):
    """history.csv cannot be written from its third sync on (ENOSPC from the OS write): exit
    code 3, one line naming the file, no .tmp left; the checkpoint and the rows it counts stay
    valid, and the run continues to the uninterrupted history once the disk has room."""
    ref, case = references(ranks)
    driver = tmp_path / "write_fails.py"
    driver.write_text(WRITE_FAILS)
    out = tmp_path / "run"
    cmd = seifem_cmd(ranks, "run", str(case), "--out", str(out), "--no-render")
    i = cmd.index("-m")
    res = subprocess.run([*cmd[:i], str(driver), "history.csv", "2", *cmd[i + 2:]], capture_output=True, text=True,
                         timeout=120)
    assert res.returncode == 3
    _one_error(res.stderr, "history.csv")
    assert not list(out.glob("*.tmp"))
    res = run_seifem(ranks, "run", "--restart", str(out), "--no-render")
    assert res.returncode == 0, res.stderr
    assert compare(ref, out) == (0, 0, 0.0)


@pytest.fixture
def small_disk(tmp_path):
    """A 100 kB tmpfs (room for one checkpoint of the two-step case, not two) (root only; skipped where it cannot be mounted)."""
    mnt = tmp_path / "disk"
    mnt.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=100k", "tmpfs", str(mnt)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here (the patched-writer test covers the full disk)")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


@pytest.mark.slow  # 1 rank: ~24 s loaded, its reference run included; 2 ranks: ~8 s
@pytest.mark.parametrize("ranks", [1, 2])
def test_a_full_disk_ends_with_code_3_and_the_run_continues_later(small_disk, references, ranks):
    ref, case = references(ranks)
    out = small_disk / "run"
    res = run_seifem(ranks, "run", str(case), "--out", str(out), "--no-render")
    assert res.returncode == 3
    _one_error(res.stderr, str(out))
    assert not list(out.glob("*.tmp"))
    res = run_seifem(ranks, "run", "--restart", str(out), "--no-render")  # the disk is still full
    assert res.returncode == 3
    _one_error(res.stderr, str(out))
    assert not list(out.glob("*.tmp"))
    subprocess.run(["mount", "-o", "remount,size=4m", str(small_disk)], check=True)
    res = run_seifem(ranks, "run", "--restart", str(out), "--no-render")
    assert res.returncode == 0, res.stderr
    assert compare(ref, out) == (0, 0, 0.0)


def test_field_files_are_refused_on_a_nearly_full_disk(small_disk):
    """ADIOS2 aborts the process on a full disk: a field write is refused beforehand (exit 3,
    one message naming the field file)."""
    case = small_disk.parent / "fields.toml"
    case.write_text(TWO_STEPS.replace("fields = false", "fields = true"))
    res = run_seifem(2, "run", str(case), "--out", str(small_disk / "run"), "--no-render")
    assert res.returncode == 3
    assert "Traceback" not in res.stderr
    errors = [ln for ln in res.stderr.splitlines() if ln.startswith("seifem: error:")]
    assert len(errors) == 1 and "fields.bp" in errors[0] and "MiB free" in errors[0], res.stderr

"""Hostile input is refused at once, before any mesh, with one line naming the key or argument:
FIFOs and devices, runs without end, mesh bombs, --set injection, --out with control
characters, options out of place; a run that takes no step fails; the Python API refuses a
used run directory; the CLI starts without dolfinx_solver."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import run_seifem

ROOT = Path(__file__).resolve().parents[2]
CASE = str(ROOT / "cases" / "si_bare.toml")
SMALL = ["--set", 'geometry.mesh_size="0.8 um"', "--no-render"]


def _refused(res, *words: str, code: int = 2) -> None:
    assert res.returncode == code, res.stderr
    assert "Traceback" not in res.stderr, res.stderr
    errors = [ln for ln in res.stderr.splitlines() if "error:" in ln]
    assert len(errors) == 1, res.stderr
    for word in words:
        assert word in errors[0], errors[0]


@pytest.fixture
def devices(tmp_path):
    """A FIFO case file, and geometry files that are a FIFO and (through a link) /dev/zero."""
    fifo = tmp_path / "case.toml"
    os.mkfifo(fifo)
    os.mkfifo(tmp_path / "shape.step")
    (tmp_path / "zero.stl").symlink_to("/dev/zero")
    return tmp_path


# "run": ~24 s loaded (five CLI processes); "check" refuses the same files in the same parser
@pytest.mark.parametrize("command", ["check", pytest.param("run", marks=pytest.mark.slow)])
def test_fifos_and_devices_are_refused_unread(tmp_path, devices, command):
    out = ["--out", str(tmp_path / "out")] if command == "run" else []
    for path, word in ((devices / "case.toml", "FIFO"), (Path("/dev/urandom"), "device"), (Path("/dev/zero"), "device")):
        t0 = time.monotonic()
        _refused(run_seifem(1, command, str(path), *out, timeout=60), "case file", word)
        assert time.monotonic() - t0 < 30
    for name, word in (("shape.step", "FIFO"), ("zero.stl", "device")):
        res = run_seifem(1, command, CASE, *out, "--set", 'geometry.shape="file"', "--set",
                         f'geometry.file="{devices / name}"', "--set", 'geometry.domain="full"', timeout=60)
        _refused(res, "geometry.file", word)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("sets,words", [
    (['protocol.steps.0.c_rate="C/1e300"'], ("protocol.steps.0.c_rate", "solver.max_steps")),
    (['solver.dt="1e-6 s"'], ("solver.dt", "solver.max_steps", "protocol step 1")),
    (['particle.radius="5 um"', 'geometry.mesh_size="25 nm"', 'geometry.surface_mesh_size="25 nm"'],
     ("geometry.mesh_size", "solver.max_cells")),
], ids=["C/1e300", "dt=1us", "mesh-bomb"])
def test_unbounded_runs_and_mesh_bombs_are_refused_before_meshing(tmp_path, sets, words):
    args = [a for s in sets for a in ("--set", s)]
    for command in ("check", "run"):
        t0 = time.monotonic()
        out = ["--out", str(tmp_path / "out")] if command == "run" else []
        _refused(run_seifem(2, command, CASE, *out, *args, timeout=60), *words)
        assert time.monotonic() - t0 < 30
    assert not (tmp_path / "out").exists()


def test_the_limits_are_keys(tmp_path):
    res = run_seifem(1, "check", CASE, "--set", 'solver.dt="0.01 s"', "--set", "solver.max_steps=100000")
    assert res.returncode == 0, res.stderr
    _refused(run_seifem(1, "check", CASE, "--set", "solver.max_cells=100"), "solver.max_cells")


def test_a_run_in_which_no_step_advances_fails(tmp_path):
    res = run_seifem(1, "run", CASE, "--out", str(tmp_path / "r"), *SMALL, "--set", "protocol.steps.0.until_soc=0.0",
                     "--set", "protocol.steps.1.until_soc=0.0")
    _refused(res, "no time step was taken", code=3)


@pytest.mark.parametrize("args,words", [
    (["--set", 'particle.radius="3 um"\n[solver]\ndt="1 s"'], ("--set", "one line")),
    (["--set", 'particle.radius="3 um" x = 1'], ("--set",)),
    (["--out", "runs/a\nb"], ("--out", "printable")),
    (["-ksp_monitor"], ("unrecognized arguments", "--petsc")),
    (["--frobnicate"], ("unrecognized arguments",)),
    (["--petsc", "1"], ("--petsc",)),
], ids=["set-newline", "set-extra", "out-newline", "petsc-before", "unknown", "petsc-value"])
def test_arguments_out_of_place_are_refused(tmp_path, args, words):
    res = run_seifem(1, "run", CASE, *args)
    _refused(res, *words)
    assert not Path("runs/a\nb").exists()


@pytest.mark.slow  # ~16 s loaded (three CLI processes, one a run)
def test_options_after_the_command_and_negative_petsc_values(tmp_path):
    assert run_seifem(1, "check", CASE, "--log-level", "DEBUG").returncode == 0
    _refused(run_seifem(1, "check", CASE, "--log-level", "LOUD"), "--log-level")
    res = run_seifem(1, "run", CASE, "--out", str(tmp_path / "r"), *SMALL, "--log-level", "WARNING", "--petsc",
                     "-seifem_diffusion_pc_gamg_threshold", "-1", "-options_left", "1")
    assert res.returncode == 0, res.stderr
    assert "INFO" not in res.stderr  # the level after the command counts
    assert "There are no unused options" in res.stdout  # -1 was the threshold's value, not an option


API = """
import sys
import seifem
from pathlib import Path
from mpi4py import MPI
from seifem.case import load_case
from seifem.errors import RunDirError
from seifem.simulation.run import run_case
case = load_case(sys.argv[1], ['geometry.model="1d"', 'output.render=false'])
out = Path(sys.argv[2])
out.mkdir()
run_case(case, out, MPI.COMM_WORLD)
before = (out / "history.csv").read_bytes()
try:
    run_case(case, out, MPI.COMM_WORLD)
except RunDirError as exc:
    print("refused:", exc)
assert (out / "history.csv").read_bytes() == before
"""


def test_the_python_api_refuses_a_used_run_directory(tmp_path):
    res = subprocess.run([sys.executable, "-c", API, CASE, str(tmp_path / "r")], capture_output=True, text=True,
                         timeout=120)
    assert res.returncode == 0, res.stderr
    assert "refused: out_dir" in res.stdout and "never overwrites a run" in res.stdout


def test_the_cli_starts_without_dolfinx_solver():
    """The Docker image has dolfinx but not the PyPI wheel's dolfinx_solver."""
    code = ("import sys; sys.modules['dolfinx_solver'] = None\n"
            "from seifem.cli.main import main\nsys.exit(main(['info']))")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert "seifem" in res.stdout and "dolfinx" in res.stdout and "form cache" in res.stdout

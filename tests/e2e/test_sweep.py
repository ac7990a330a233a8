"""`seifem sweep`, `compare` and `report` end to end under mpirun -n 2.

A 3-design 3D sweep of the shipped carbon-thickness case (coarse mesh) runs the designs two
at a time on groups of one rank and writes the comparison table, ranking, plots, gallery and
reports; a re-run reuses the finished designs (same files, same modification times), leaves
an incomplete directory alone and runs the new design on a 2-rank group. Bad --vary input is
refused before any mesh, with one line and exit code 2. A design that fails is recorded and
the others go on; a rank failing alone inside a group ends the job instead of hanging it.
"""

from __future__ import annotations

import csv
import sys
import tomllib
from pathlib import Path

import pytest

from helpers import read_csv, run_seifem, seifem_cmd

ROOT = Path(__file__).resolve().parents[2]
CASE = str(ROOT / "cases" / "si_carbon_thickness_sweep.toml")
COARSE = ["--set", 'geometry.mesh_size="0.8 um"', "--set", 'solver.dt="60 s"']
NAMES = ["coating.thickness=0nm", "coating.thickness=10nm", "coating.thickness=40nm"]


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    out = tmp_path_factory.mktemp("sweep") / "carbon"
    res = run_seifem(2, "sweep", CASE, "--vary", "coating.thickness=0,10,40nm", "--out", str(out), *COARSE, timeout=400)
    assert res.returncode == 0, res.stderr
    return out, res


def _files(directory: Path) -> dict[Path, tuple[int, bytes]]:
    return {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in directory.rglob("*") if p.is_file()}


@pytest.mark.slow
def test_sweep_writes_table_plots_ranking_and_reports(sweep):
    out, res = sweep
    t = read_csv(out / "comparison.csv")
    assert t["design"] == NAMES and t["coating.thickness"] == ["0nm", "10nm", "40nm"]
    assert t["status"] == ["done"] * 3
    assert (t["sei_strain"][1:] < t["sei_strain"][:-1]).all()  # thicker stiff shell, less SEI strain
    assert (t["specific_capacity_mAh_g"][1:] < t["specific_capacity_mAh_g"][:-1]).all()
    assert t["specific_capacity_mAh_g"][0] == pytest.approx(3579, abs=1)
    ranked = read_csv(out / "ranking.csv")
    assert list(ranked["rank"]) == [1, 2, 3] and sorted(ranked["design"]) == sorted(NAMES)
    assert "ranking: maximise specific_capacity_mAh_g subject to sei_failed_area<=0" in res.stdout
    assert "best design:" in res.stdout
    for name in ("metrics.png", "gallery.png"):
        assert (out / "figures" / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    html = (out / "report.html").read_text()
    assert html.count("data:image/png;base64,") >= 2 and "<script" not in html and "http" not in html
    assert "Ranking" in html and "coating.thickness=40nm" in html
    for name in NAMES:
        design = out / name
        assert (design / "summary.json").is_file() and (design / "figures" / "history.png").is_file()
        run = tomllib.loads((design / "case.toml").read_text())["run"]
        assert run["design"] == name and run["ranks"] == 1
        report = (design / "report.html").read_text()
        assert "data:image/png;base64," in report and "[estimate]" in report and "Cycles" in report
    # both group leaders log, each message once, with its design's name in front
    for name in NAMES:
        assert res.stderr.count(f"INFO [{name}] run directory:") == 1, res.stderr


@pytest.mark.slow
def test_rerun_reuses_finished_designs_and_never_overwrites(sweep):
    out, _ = sweep
    before = _files(out)
    incomplete = out / "coating.thickness=20nm"
    incomplete.mkdir()
    (incomplete / "history.csv").write_text("time_s\n")  # a run killed before its summary
    res = run_seifem(2, "sweep", CASE, "--vary", "coating.thickness=0,10,20,40nm", "--out", str(out), *COARSE,
                     "--ranks-per-design", "2", "--no-render", timeout=300)
    assert res.returncode == 0, res.stderr
    for name in NAMES:
        assert f"design {name}: reusing the finished run" in res.stderr
    assert "coating.thickness=20nm is incomplete: no summary.json; left as it is" in res.stderr
    kept = {p: v for p, v in _files(out).items() if p in before}
    changed = [p for p in before if p.name not in ("sweep.json", "comparison.csv", "ranking.csv") and kept.get(p) != before[p]]
    assert not changed, changed  # every run file and picture is untouched
    assert (incomplete / "history.csv").read_text() == "time_s\n" and len(list(incomplete.iterdir())) == 1
    new = out / "coating.thickness=20nm-2"
    assert tomllib.loads((new / "case.toml").read_text())["run"]["ranks"] == 2 and (new / "summary.json").is_file()
    t = read_csv(out / "comparison.csv")
    assert t["run_dir"][2] == "coating.thickness=20nm-2" and t["status"] == ["done"] * 4
    assert (out / "report-2.html").is_file() and (out / "report.html").read_bytes() == before[out / "report.html"][1]


@pytest.mark.slow
def test_compare_and_report_after_the_fact(sweep, tmp_path):
    out, _ = sweep
    res = run_seifem(1, "compare", str(out), "--objective", "min:sei_strain", "--constraint", "sei_failed_area<=1",
                     "--no-render", timeout=120)
    assert res.returncode == 0, res.stderr
    assert "best design: coating.thickness=40nm" in res.stdout
    with open(out / "ranking.csv") as f:
        assert next(csv.DictReader(f))["design"] == "coating.thickness=40nm"
    rep = run_seifem(1, "report", str(out / NAMES[0]), timeout=120)
    assert rep.returncode == 0 and rep.stdout.strip().endswith("report-2.html"), rep.stderr
    bad = run_seifem(1, "compare", str(tmp_path), timeout=60)
    assert bad.returncode == 2 and "not a seifem sweep directory" in bad.stderr


BAD_VARY = [
    (["--vary", "coating.thicknes=0,5nm"], ["coating.thicknes", 'did you mean "thickness"']),
    (["--vary", "coating.thickness=0,5,10GPa"], ["coating.thickness = '0 GPa'", "[length]"]),
    (["--vary", "coating.thickness=0,5,10nmm"], ["coating.thickness = '0 nmm'", "cannot read"]),
    (["--vary", "coating.thickness="], ["--vary", "needs a list of values"]),
    (["--vary", "coating.thickness=0,5,4000nm"], ["'4000 nm'", "thinner than the particle", "(design coating.thickness=4000nm)"]),
    (["--vary", "coating.thickness=0,5nm", "--constraint", "sei_faild_area<=0"], ['did you mean "sei_failed_area"']),
    (["--vary", "coating.thickness=0,5nm", "--ranks-per-design", "3"], ["--ranks-per-design", "between 1 and the 1 ranks"]),
]


@pytest.mark.parametrize("args,words", BAD_VARY, ids=[a[1] for a, _ in BAD_VARY])
def test_bad_vary_refused_in_one_line_before_any_mesh(args, words, tmp_path, capsys):
    from seifem.cli.main import main

    out = tmp_path / "sweep"
    assert main(["sweep", CASE, *args, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    lines = [ln for ln in err.splitlines() if ln.startswith("seifem: error:")]
    assert len(lines) == 1 and "Traceback" not in err and "mesh:" not in err, err
    for w in words:
        assert w in lines[0], (w, lines[0])
    assert not out.exists()


def test_bad_vary_under_mpirun(tmp_path):
    out = tmp_path / "sweep"
    res = run_seifem(2, "sweep", CASE, "--vary", "coating.thickness=0,5,10nm", "--vary", "sei.thickness=5nm,3um",
                     "--out", str(out), timeout=60)
    assert res.returncode == 2
    lines = [ln for ln in res.stderr.splitlines() if ln.startswith("seifem: error:")]
    assert len(lines) == 1 and "sei.thickness = '3 um'" in lines[0], res.stderr
    assert "(design coating.thickness=0nm+sei.thickness=3um)" in lines[0]
    assert "mesh:" not in res.stderr and not out.exists()


DRIVER = '''
"""seifem sweep with run_case failing for one design: <mode> <design> <seifem args...>.
mode "all": every rank running that design raises; "one": world rank 1 alone raises."""
import sys

import seifem  # noqa: F401  (MPI before dolfinx)
from mpi4py import MPI

import seifem.simulation.run
from seifem.cli.main import main

mode, target, argv = sys.argv[1], sys.argv[2], sys.argv[3:]
original = seifem.simulation.run.run_case


def run_case(case, out_dir, comm, *args, **kwargs):
    if out_dir.name == target and (mode == "all" or MPI.COMM_WORLD.rank == 1):
        raise RuntimeError(f"injected on rank {MPI.COMM_WORLD.rank}")
    return original(case, out_dir, comm, *args, **kwargs)


seifem.simulation.run.run_case = run_case
sys.exit(main(argv))
'''

ONE_D = ["--set", 'geometry.model="1d"', "--no-render"]


def _driver(tmp_path: Path, mode: str, target: str, *args: str, timeout: float = 120):
    import subprocess

    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER)
    cmd = [*seifem_cmd(2)[:3], sys.executable, str(driver), mode, target, *args]
    return subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=timeout)


def test_failed_design_is_recorded_and_the_others_go_on(tmp_path):
    out = tmp_path / "sweep"
    res = _driver(tmp_path, "all", "coating.thickness=10nm", "sweep", CASE, "--vary", "coating.thickness=0,10,40nm",
                  "--out", str(out), *ONE_D)
    assert res.returncode == 3, res.stderr
    assert "1 of 3 designs failed (coating.thickness=10nm)" in res.stderr
    t = read_csv(out / "comparison.csv")
    assert t["status"] == ["done", "failed", "done"]
    assert "unexpected RuntimeError: injected on rank" in t["error"][1]
    assert "run failed" in read_csv(out / "ranking.csv")["verdict"][-1]


@pytest.mark.slow
def test_one_rank_failing_inside_a_group_ends_the_job(tmp_path):
    res = _driver(tmp_path, "one", "coating.thickness=10nm", "sweep", CASE, "--vary", "coating.thickness=0,10nm",
                  "--out", str(tmp_path / "sweep"), "--ranks-per-design", "2", *ONE_D, timeout=90)
    assert res.returncode != 0
    assert "the other ranks of its group do not answer" in res.stderr and "injected on rank 1" in res.stderr

"""Run a sweep's designs into one sweep directory, concurrently on groups of MPI ranks.

    result = run_sweep(Path("cases/si_carbon_thickness_sweep.toml"), ["coating.thickness=0,5,10nm"],
                       Path("sweeps/si_carbon_thickness_sweep"), MPI.COMM_WORLD)

* Every design is built and validated (`sweep.build_designs`) on every rank before any mesh.
* Rank 0 plans: a design whose directory `DIR/<name>` (or `<name>-2`, ...) holds a finished
  run (`summary.json`) of the same resolved case is reused; otherwise it runs into the first
  name not taken, so an incomplete or different run is left as it is, never overwritten.
* COMM_WORLD is split into groups of K ranks (`--ranks-per-design`, default
  max(1, N // M) for N ranks and M designs to run; left-over ranks join the last group);
  group g runs designs g, g + G, g + 2G, ... one after the other. Each group's rank 0 logs,
  with the design's name in front of every message.
* A design that fails is recorded (status, message) and the group goes on. Should one rank
  of a group fail while the others are inside a collective operation (they would wait
  forever), that rank aborts the whole job after REPORT_WAIT_S instead.
* At the end rank 0 writes `sweep.json`, the comparison table and ranking, the plots and
  gallery (unless render is off) and the sweep report (`compare.compare_sweep`,
  `report.write_sweep_report`).
"""

from __future__ import annotations

import datetime
import logging
import sys
import time
import tomllib
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

from mpi4py import MPI

from seifem.case import load_tree, resolved_toml
from seifem.errors import CaseError, ProbeError, RenderError, RunDirError, RunError
from seifem.log import Progress, group_logging
from seifem.parallel import REPORT_WAIT_S, abort, all_ranks_arrive, on_rank0
from seifem.results.rundir import SUMMARY, RunDir
from seifem.results.sweepdir import SWEEP_FILE, write_sweep
from seifem.sweeps.compare import compare_sweep
from seifem.sweeps.grid import Design, build_designs, parse_vary

if TYPE_CHECKING:
    from seifem.sweeps.ranking import RankingSpec

__all__ = ["run_sweep", "group_layout", "default_sweep_dir"]

log = logging.getLogger(__name__)

KNOWN = (CaseError, RunError, RunDirError, ProbeError, RenderError)
"""Errors with a message for the user (no traceback in the table)."""


def default_sweep_dir(case_path: Path) -> Path:
    """sweeps/<case name>: the same for every run of a sweep, so a re-run finds its designs."""
    return Path("sweeps") / Path(case_path).stem


def group_layout(nranks: int, ndesigns: int, per_design: int | None = None) -> tuple[int, int]:
    """(ranks per design K, number of groups G) for N ranks and M designs to run."""
    if per_design is not None and not 1 <= per_design <= nranks:
        raise CaseError("--ranks-per-design", per_design, f"must be between 1 and the {nranks} ranks of this job")
    k = per_design or max(1, nranks // max(ndesigns, 1))
    return k, max(1, min(nranks // k, ndesigns))


def _finished(run_dir: Path, resolved: dict) -> bool:
    """A finished run (summary.json) of this very case (case.toml without its [run] table)."""
    if not RunDir(run_dir).is_finished():
        return False
    try:
        tree = RunDir(run_dir).case()
    except (OSError, tomllib.TOMLDecodeError):
        return False
    tree.pop("run", None)
    return tree == resolved


def _plan(designs: list[Design], sweep_dir: Path) -> list[dict]:
    """For each design its directory name and whether a finished run there is reused."""
    plan = []
    for d in designs:
        resolved, n = resolved_toml(d.case), 1
        while True:
            name = d.name if n == 1 else f"{d.name}-{n}"
            path = sweep_dir / name
            if not path.exists():
                plan.append({"name": d.name, "labels": d.labels, "dir": name, "status": "pending"})
                break
            if _finished(path, resolved):
                log.info("design %s: reusing the finished run in %s", d.name, path)
                plan.append({"name": d.name, "labels": d.labels, "dir": name, "status": "reused"})
                break
            why = "another case" if RunDir(path).is_finished() else f"incomplete: no {SUMMARY}"
            log.info("design %s: %s is %s; left as it is", d.name, path, why)
            n += 1
    return plan


def _prepare(designs: list[Design], sweep_dir: Path, record: dict) -> tuple[list[dict] | None, str | None]:
    """Rank 0: check and create the sweep directory, plan, write sweep.json."""
    try:
        if sweep_dir.exists() and any(sweep_dir.iterdir()) and not (sweep_dir / SWEEP_FILE).is_file():
            return None, (f"--out = {str(sweep_dir)!r}: exists and is not a seifem sweep directory (no {SWEEP_FILE}); "
                          "choose a new directory")
        sweep_dir.mkdir(parents=True, exist_ok=True)
        plan = _plan(designs, sweep_dir)
        write_sweep(sweep_dir, {**record, "designs": plan})
        return plan, None
    except OSError as exc:
        return None, f"--out = {str(sweep_dir)!r}: cannot create the sweep directory ({exc.strerror})"


def _settle(exc: Exception, design: Design, sub: MPI.Comm, check: MPI.Comm) -> str:
    """The message of a failed design, once every rank of its group has failed too; if they
    do not all arrive (one is stuck in a collective), abort the whole job: never hang."""
    if sub.size > 1 and not all_ranks_arrive(check, REPORT_WAIT_S):
        print(f"seifem: error: design {design.name}, rank {MPI.COMM_WORLD.rank}: the other ranks of its group do "
              f"not answer; aborting the sweep:\n{traceback.format_exc()}", file=sys.stderr, flush=True)
        abort(MPI.COMM_WORLD, 1)
    if isinstance(exc, KNOWN):
        return str(exc)
    log.error("unexpected error", exc_info=exc)
    return f"unexpected {type(exc).__name__}: {exc}"


def _run_design(design: Design, run_dir: Path, case_path: Path, sub: MPI.Comm, check: MPI.Comm, argv: list[str],
                render: bool, progress: bool) -> dict:
    """Run one design on the group `sub`; the outcome for the sweep record."""
    from seifem.post.report import render_and_report
    from seifem.results.rundir import create_run_dir
    from seifem.simulation.run import run_case

    t0 = time.perf_counter()
    with group_logging(sub, design.name):
        try:
            out = create_run_dir(design.case, case_path, run_dir, sub, argv,
                                 {"sweep_dir": str(run_dir.parent), "design": design.name})
            with group_logging(sub, design.name, out / "run.log"):
                log.info("run directory: %s (%d ranks)", out, sub.size)
                result = run_case(design.case, out, sub, Progress(sub, enabled=progress))
                log.info("%d steps in %.1f s", result.steps, result.stats["wall_time_s"])
                if render and design.case.output.render:
                    render_and_report(out, sub)
            return {"status": "done", "wall_time_s": time.perf_counter() - t0, "ranks": sub.size}
        except Exception as exc:  # noqa: BLE001 - record the failure, go on with the next design
            message = _settle(exc, design, sub, check)
            log.error("design failed: %s", message)
            return {"status": "failed", "error": message, "wall_time_s": time.perf_counter() - t0, "ranks": sub.size}


def _wait_quietly(comm: MPI.Comm) -> None:
    """A barrier that sleeps instead of spinning (ranks done early leave the cores to the others)."""
    request = comm.Ibarrier()
    while not request.Test():
        time.sleep(0.05)


def run_sweep(case_path: Path, vary: list[str], sweep_dir: Path | None, comm: MPI.Comm, overrides: list[str] = (),
              ranks_per_design: int | None = None, render: bool = True, ranking: RankingSpec | None = None,
              argv: list[str] | None = None) -> dict:
    """Run (or reuse) every design of the sweep, then compare them (see the module docstring).

    ranking: a `ranking.RankingSpec` (default: the documented default rule). Returns, on every
    rank, {"dir", "designs" (the sweep record's), "failed" (names)}, with "compare" (what
    `compare_sweep` returned) on rank 0."""
    from seifem.sweeps.ranking import RankingSpec

    case_path = Path(case_path)
    sweep_dir = Path(sweep_dir) if sweep_dir is not None else default_sweep_dir(case_path)
    ranking = ranking or RankingSpec.parse()
    varies = [parse_vary(spec) for spec in vary]
    designs = build_designs(load_tree(case_path, list(overrides)), varies, list(overrides))
    group_layout(comm.size, len(designs), ranks_per_design)  # refuse a bad --ranks-per-design before any file
    record = {"case_file": str(case_path), "vary": [{"key": v.key, "spec": s} for v, s in zip(varies, vary)],
              "set": list(overrides), "ranks": comm.size,
              "started": datetime.datetime.now().isoformat(timespec="seconds"),
              "ranking": {**ranking.to_json(), "describe": ranking.describe()}}
    plan, error = _prepare(designs, sweep_dir, record) if comm.rank == 0 else (None, None)
    plan, error = comm.bcast((plan, error), root=0)
    if error:
        raise RunDirError(error)
    todo = [i for i, entry in enumerate(plan) if entry["status"] == "pending"]
    k, groups = group_layout(comm.size, len(todo), ranks_per_design)
    record["ranks_per_design"] = k
    color = min(comm.rank // k, groups - 1)
    log.info("sweep of %d designs into %s: %d to run, %d reused; %d group(s) of ranks, %d rank(s) per design",
             len(designs), sweep_dir, len(todo), len(designs) - len(todo), groups, k)
    outcomes = {}
    if todo:
        sub = comm.Split(color, comm.rank)
        check = sub.Dup()  # its barrier never meets a collective left pending on `sub`
        try:
            for i in todo[color::groups]:
                outcomes[i] = _run_design(designs[i], sweep_dir / plan[i]["dir"], case_path, sub, check,
                                          argv or sys.argv, render, groups == 1)
        finally:
            leader = sub.rank == 0
            check.Free()
            sub.Free()
        outcomes = outcomes if leader else {}
    _wait_quietly(comm)
    gathered = comm.gather(outcomes, root=0)
    if comm.rank == 0:
        for part in gathered:
            for i, outcome in part.items():
                plan[i].update(outcome)
        write_sweep(sweep_dir, {**record, "designs": plan})
    plan = comm.bcast(plan, root=0)
    result = {"dir": sweep_dir, "designs": plan, "failed": [e["name"] for e in plan if e["status"] == "failed"]}
    result["compare"] = on_rank0(comm, _compare_and_report, sweep_dir, ranking, render)
    return result


def _compare_and_report(sweep_dir: Path, ranking: RankingSpec, render: bool) -> dict:
    from seifem.post.report import write_sweep_report

    out = compare_sweep(sweep_dir, ranking, pictures=render)
    out["report"] = write_sweep_report(sweep_dir)
    log.info("sweep report: %s", out["report"])
    return out

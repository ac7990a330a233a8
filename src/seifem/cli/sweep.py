"""The design commands of the CLI: seifem sweep | compare | report (see `cli.py` for the
error handling they share). Printing here is the commands' output, on rank 0."""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["cmd_sweep", "cmd_compare", "cmd_report"]


def _ranking(args):
    from seifem.sweeps.ranking import RankingSpec

    return RankingSpec.parse(args.objective, [] if args.no_constraints else args.constraints)


def _print_ranking(out: dict, sweep_dir: Path) -> None:
    """Command output of compare and sweep (rank 0): the ranked designs and the best one."""
    spec, ranked = out["spec"], out["ranked"]
    width = max(len(r["design"]) for r in ranked)
    print(f"ranking: {spec.describe()}")
    for r in ranked:
        value = r["value"] if isinstance(r["value"], float) else float("nan")
        print(f"{r['rank']:3d}  {r['design']:{width}s}  {spec.metric} = {value:<10.5g}  {r['verdict']}")
    best, top = out["best"], ranked[0]
    if best:
        print(f"best design: {best['design']}")
    elif top["verdict"].startswith("not assessed"):
        print(f"best design: none meets every constraint; {top['design']} meets those it can be judged on "
              f"({top['verdict']})")
    else:
        print("best design: none meets every constraint")
    if out.get("critical"):
        from seifem.sweeps.critical import describe

        for row in out["critical"]:
            print(f"critical size: {describe(row)}")
    print(f"tables: {sweep_dir / 'comparison.csv'}, {sweep_dir / 'ranking.csv'}"
          + (f"; plots: {out['figures']}" if out["figures"] else "") + (f"; report: {out['report']}" if out.get("report") else ""))


def cmd_sweep(args, comm) -> int:
    from seifem.errors import RunError
    from seifem.sweeps.run import run_sweep

    spec = _ranking(args)  # a bad metric name is an input error: before any mesh
    result = run_sweep(args.case, args.vary, args.out, comm, args.overrides, args.ranks_per_design,
                       render=not args.no_render, ranking=spec, argv=sys.argv)
    if comm.rank == 0:
        _print_ranking(result["compare"], result["dir"])
    if result["failed"]:
        raise RunError(f"{len(result['failed'])} of {len(result['designs'])} designs failed ({', '.join(result['failed'])}); "
                       f"their messages are in {result['dir'] / 'comparison.csv'}")
    return 0


def cmd_compare(args, comm) -> int:
    from seifem.parallel import on_rank0
    from seifem.results.sweepdir import read_sweep
    from seifem.sweeps.compare import compare_sweep

    spec = _ranking(args) if args.objective or args.constraints or args.no_constraints else None
    read_sweep(args.sweep_dir)  # every rank: a RenderError for a directory that is no sweep
    out = on_rank0(comm, compare_sweep, args.sweep_dir, spec, not args.no_render)
    if comm.rank == 0:
        _print_ranking(out, args.sweep_dir)
    return 0


def cmd_report(args, comm) -> int:
    from seifem.parallel import on_rank0
    from seifem.post.report import write_run_report, write_sweep_report
    from seifem.results.sweepdir import SWEEP_FILE

    is_sweep = (args.directory / SWEEP_FILE).is_file()
    path = on_rank0(comm, write_sweep_report if is_sweep else write_run_report, args.directory)
    if comm.rank == 0:
        print(path)
    return 0

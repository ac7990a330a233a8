"""Command line: seifem run | check | mesh | render | sweep | compare | report | materials | info.

Every command works under `mpirun -n N`. Errors in the input are found by every rank alike
and reported once by rank 0 with exit code 2 (should one rank alone meet such an error, it
says so itself and aborts the job after REPORT_WAIT_S); an unexpected error on any one rank
aborts the whole MPI job (exit code 1) rather than leaving the others waiting. PETSc
options go after `--petsc` (e.g. `--petsc -seifem_elasticity_ksp_monitor`, see `cli.args`);
an argument seifem does not know is an error.
"""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path

from seifem.cli.args import check_out, petsc_pairs, split_petsc
from seifem.cli.parser import setup_parser
from seifem.cli.sweep import (  # light: they import inside
    cmd_compare,
    cmd_report,
    cmd_sweep,
)
from seifem.parallel import REPORT_WAIT_S  # light: imports nothing heavy

__all__ = ["main"]

log = logging.getLogger("seifem")

EXIT_INPUT, EXIT_SOLVER, EXIT_CRASH = 2, 3, 1

def _petsc_options(pairs: list[tuple[str, str]]) -> None:
    """Pass (name, value) pairs to the PETSc options database."""
    from petsc4py import PETSc

    opts = PETSc.Options()
    for name, value in pairs:
        opts.setValue(name, value)


def cmd_check(args, comm) -> int:
    import tomli_w

    from seifem.case import load_case, resolved_toml

    case = load_case(args.case, args.overrides)
    if comm.rank == 0:
        print(tomli_w.dumps(resolved_toml(case)), end="")
    return 0


def cmd_run(args, comm) -> int:
    from seifem.case import load_case
    from seifem.errors import CaseError
    from seifem.log import Progress, setup_logging
    from seifem.results.restart import finished_time
    from seifem.results.rundir import CHECKPOINT, INPUT, RunDirError, create_run_dir
    from seifem.simulation.run import run_case

    if args.restart is not None:
        out = args.restart
        if not (out / CHECKPOINT).is_file() or not (out / INPUT).is_file():
            raise RunDirError(f"--restart = {str(out)!r}: no {CHECKPOINT} and {INPUT} there (not a seifem run "
                              "directory, or the run was stopped before its first checkpoint)")
        t_end = finished_time(out, comm)
        if t_end is not None:  # nothing is written: not even run.log
            log.info("run already finished at t = %g s: nothing to do (%s is unchanged)", t_end, out)
            return 0
        case = load_case(out / INPUT, args.overrides)
    else:
        if args.case is None:
            raise CaseError("case", None, "give a case file, or --restart RUN_DIR to continue a run")
        case = load_case(args.case, args.overrides)
        out = create_run_dir(case, args.case, args.out, comm, sys.argv)
    setup_logging(args.log_level, args.log_all_ranks, logfile=out / "run.log")
    log.info("run directory: %s (%d ranks)", out, comm.size)
    result = run_case(case, out, comm, Progress(comm), restart=args.restart is not None)
    s = result.stats
    log.info("%d steps in %.1f s (%.3f s per step, mesh %.1f s)", s["steps"], s["wall_time_s"],
             s["time_per_step_s"], s["mesh_time_s"])
    if case.output.render and not args.no_render:
        from seifem.post.report import render_and_report

        render_and_report(out, comm)
    log.info("done: %s", out)
    return 0


def _render(run_dir: Path, comm, animate: bool = False) -> None:
    """Render on rank 0; a RenderError there is raised on every rank (the others would wait)."""
    from seifem.parallel import on_rank0
    from seifem.post.render import render_run

    log.info("figures: %s", on_rank0(comm, render_run, run_dir, animate))


def cmd_render(args, comm) -> int:
    from seifem.errors import RenderError
    from seifem.results.rundir import CASE, HISTORY, RunDir

    if not RunDir(args.run_dir).is_run():
        raise RenderError(f"run_dir = {str(args.run_dir)!r}: not a seifem run (no {CASE} and {HISTORY} there)")
    _render(args.run_dir, comm, args.animate)
    return 0


def cmd_mesh(args, comm) -> int:
    from seifem.case import load_case
    from seifem.case.electrode import ElectrodeCase
    from seifem.errors import CaseError
    from seifem.geometry import MESH_DIR
    from seifem.geometry.io import mesh_case

    case = load_case(args.case, args.overrides)
    if isinstance(case, ElectrodeCase):  # packed and meshed by its run
        raise CaseError("electrode", str(args.case), "is an electrode case; seifem mesh meshes particle cases (seifem run "
                                                     "packs and meshes an electrode, and writes fields_vtk/ to inspect)")
    out = args.out or MESH_DIR / f"{args.case.stem}.xdmf"
    mesh_case(case, out, comm)
    log.info("mesh written: %s (.xdmf for ParaView, .msh reused by runs with the same geometry)", out)
    return 0


def cmd_materials(args, comm) -> int:
    import seifem.materials as materials
    from seifem.materials.phases import volume_curve
    from seifem.units import format_quantity

    if comm.rank == 0:
        for name in materials.names():
            m = materials.get(name)
            print(f"{m.name} ({m.kind}{', ' + m.ion if m.ion else ''}): {m.description}")
            for key, v in m.values.items():
                p = materials.PROPERTIES[key]
                flag = "  [estimate]" if v.estimate else ""
                print(f"    {key:22s} {format_quantity(v.si, p.si_unit, p.display_unit):>18s}  {v.source}{flag}")
            if m.ocp is not None:
                u = m.ocp.numpy([0.1, 0.5, 0.9], 1)
                print(f"    {'open_circuit_potential':22s} {'%.2f/%.2f/%.2f V' % tuple(u):>18s}  (theta 0.1/0.5/0.9, "
                      f"lithiation) {m.ocp.source}{'  [estimate]' if m.ocp.estimate else ''}")
            curve = volume_curve(m.name)
            if curve is not None:
                pts = " ".join(f"{t:.3g}:{v:.3g}" for t, v in curve.points)
                print(f"    {'volume_curve':22s} {pts:>18s}  (theta:V/V0 per phase, particle.expansion = \"phases\") "
                      f"{curve.source}{'  [estimate]' if curve.estimate else ''}")
                phases = ", ".join(f"{p.name} from theta {p.theta:.3g}" + (f" below {p.forms_below_V:g} V" if p.forms_below_V
                                                                          else "") for p in curve.phases)
                if phases:
                    print(f"    {'phases':22s} {phases}")
        from seifem.materials.electrolytes import listing
        print("\n".join(listing()))
        print("\nSource keys (M1, PMG, Ai2022, VIDRINE, ...) and cited papers: docs/bibliography.md")
    return 0


def cmd_info(args, comm) -> int:
    try:  # on every rank: PETSc starts collectively; versions() then reads its version
        from petsc4py import PETSc  # noqa: F401
    except Exception:  # an install without PETSc still says what it has
        pass

    from seifem.results.rundir import versions

    if comm.rank == 0:
        for k, v in versions().items():
            print(f"{k:22s} {v}")
        print(f"{'MPI ranks':22s} {comm.size}")
        print(f"{'form cache':22s} {_form_cache()}")
    return 0


def _form_cache() -> str:
    """Where FFCx keeps compiled forms for every run and sweep ($XDG_CACHE_HOME/fenics, default
    ~/.cache/fenics), and how many it holds."""
    from dolfinx.jit import get_options

    path = Path(get_options()["cache_dir"])
    count = len(list(path.glob("*.so"))) if path.is_dir() else 0
    return f"{path} ({count} compiled forms; set XDG_CACHE_HOME to move it)"


COMMANDS = {"run": cmd_run, "check": cmd_check, "mesh": cmd_mesh, "render": cmd_render, "sweep": cmd_sweep,
            "compare": cmd_compare, "report": cmd_report, "materials": cmd_materials, "info": cmd_info}


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `seifem` command. Returns the exit code."""
    parser = setup_parser()
    own, petsc = split_petsc(sys.argv[1:] if argv is None else list(argv))
    args = parser.parse_args(own)  # an unknown option: usage, exit code 2

    try:  # the PyPI wheel of dolfinx must load MPI before its bindings; absent where dolfinx is the system's
        import dolfinx_solver  # noqa: F401
    except ImportError:
        pass
    from mpi4py import MPI

    from seifem.log import setup_logging

    comm = MPI.COMM_WORLD
    if args.command in ("run", "mesh", "info", "sweep"):
        import dolfinx  # noqa: F401  (collective: every rank imports it, never one alone)
    setup_logging(args.log_level, args.log_all_ranks)
    report_comm = comm.Dup() if comm.size > 1 else comm  # its barrier never meets the command's collectives
    try:
        check_out(getattr(args, "out", None))
        if petsc:
            _petsc_options(petsc_pairs(petsc))
        return COMMANDS[args.command](args, comm)
    except Exception as exc:  # noqa: BLE001 - classify, report once, never hang
        return _report(exc, comm, report_comm)
    finally:
        if report_comm is not comm:
            report_comm.Free()


def _report(exc: Exception, comm, report_comm=None) -> int:
    """Known errors are raised on every rank alike: rank 0 reports, all return (if the other
    ranks do not arrive within REPORT_WAIT_S, this one reports and aborts the job). Anything
    else may be on this rank only: print it and abort the MPI job so no rank waits forever."""
    from seifem.errors import CaseError, ProbeError, RenderError, RunDirError, RunError
    from seifem.parallel import abort, all_ranks_arrive

    known = {EXIT_INPUT: (CaseError, RunDirError, ProbeError, RenderError), EXIT_SOLVER: (RunError,)}
    for code, kinds in known.items():
        if isinstance(exc, kinds):
            if comm.rank == 0:
                print(f"seifem: error: {exc}", file=sys.stderr, flush=True)
            if comm.size > 1 and not all_ranks_arrive(report_comm or comm, REPORT_WAIT_S):
                if comm.rank != 0:  # raised on this rank only: rank 0 will not say it
                    print(f"seifem: error: {exc} (rank {comm.rank})", file=sys.stderr, flush=True)
                abort(comm, code)
            return code
    print(f"seifem: unexpected error on rank {comm.rank}:\n{traceback.format_exc()}", file=sys.stderr, flush=True)
    if comm.size > 1:
        abort(comm, EXIT_CRASH)
    return EXIT_CRASH


if __name__ == "__main__":
    sys.exit(main())

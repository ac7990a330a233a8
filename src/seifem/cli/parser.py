"""The command line's grammar: the commands, their arguments and the examples `seifem --help`
prints (`cli.args` holds the rules argparse does not know; `cli.main` runs the commands)."""

from __future__ import annotations

import argparse
from pathlib import Path

from seifem.cli.args import Parser

__all__ = ["setup_parser", "EXAMPLES"]

DESCRIPTION = "Command line: seifem run | check | mesh | render | sweep | compare | report | materials | info."

EXAMPLES = """examples:
  seifem check cases/si_coated.toml                      validate, print the resolved case with units
  mpirun -n 2 seifem run cases/si_coated.toml --set coating.thickness="20 nm" --out runs/c20
  seifem run --restart runs/c20                          continue a killed run from its checkpoint
  seifem render runs/c20 ; seifem report runs/c20        pictures, one HTML report
  seifem render --animate runs/c20                       ... and figures/stress.gif over the run
  mpirun -n 2 seifem sweep cases/si_carbon_thickness_sweep.toml --vary coating.thickness=0,10,20nm
  seifem compare sweeps/si_carbon_thickness_sweep --constraint "sei_failed_area<=0"
  seifem materials ; seifem info                         the material library, versions
  seifem run case.toml --petsc -seifem_elasticity_ksp_monitor   PETSc options go last, after --petsc
docs: docs/running.md (commands), docs/case-reference.md (every case key)"""


def setup_parser() -> argparse.ArgumentParser:
    from seifem import __version__

    parser = Parser(prog="seifem", description=DESCRIPTION, epilog=EXAMPLES,
                    formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"seifem {__version__}")
    parser.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    parser.add_argument("--log-all-ranks", action="store_true", help="log from every MPI rank")
    common = Parser(add_help=False)  # the same options after the command (their defaults: the ones above)
    common.add_argument("--log-level", default=argparse.SUPPRESS, choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    common.add_argument("--log-all-ranks", action="store_true", default=argparse.SUPPRESS, help="log from every MPI rank")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    _add = sub.add_parser
    sub.add_parser = lambda *a, **k: _add(*a, parents=[common], **k)  # every command takes them

    def with_case(p, optional: bool = False):
        p.add_argument("case", type=Path, nargs="?" if optional else None, help="case file (TOML)")
        p.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                       help='override a case key, e.g. --set coating.thickness="20 nm" (repeatable)')
        return p

    run = with_case(sub.add_parser("run", help="solve a case and write a run directory"), optional=True)
    run.add_argument("--out", type=Path, help="run directory to create (default runs/<case name>[-N])")
    run.add_argument("--restart", type=Path, metavar="RUN_DIR",
                     help="continue a killed or failed run from its last checkpoint (CASE is then ignored)")
    run.add_argument("--no-render", action="store_true", help="skip the pictures at the end")
    with_case(sub.add_parser("check", help="validate a case and print it resolved, with units"))
    mesh = with_case(sub.add_parser("mesh", help="mesh a case's particle: XDMF to inspect, .msh reused by runs"))
    mesh.add_argument("--out", type=Path, help="mesh file to write (default meshes/<case name>.xdmf)")
    render = sub.add_parser("render", help="stress maps and history plots from a finished run")
    render.add_argument("run_dir", type=Path)
    render.add_argument("--animate", action="store_true",
                        help="also figures/stress.gif: the stress map at every field output (set output.field_times "
                             "for more frames)")

    def with_ranking(p):
        p.add_argument("--objective", metavar="METRIC", help="metric to maximise, or max:METRIC / min:METRIC "
                       "(default max:specific_capacity_mAh_g)")
        p.add_argument("--constraint", dest="constraints", action="append", metavar="METRIC<=VALUE",
                       help='a design must meet it, e.g. "sei_failed_area<=0" (repeatable; default: '
                            'sei_failed_area<=0 and coating_failed_fraction<=0)')
        p.add_argument("--no-constraints", action="store_true", help="rank by the objective alone")
        return p

    sweep = with_ranking(with_case(sub.add_parser("sweep", help="run a design sweep (a grid over case keys) and "
                                                                "compare the designs")))
    sweep.add_argument("--vary", action="append", default=[], metavar="KEY=A,B,...", required=True,
                       help="a case key and its values, e.g. coating.thickness=0,5,10,20,40nm (repeatable: a grid)")
    sweep.add_argument("--out", type=Path, help="sweep directory (default sweeps/<case name>; a re-run reuses "
                                                "finished designs)")
    sweep.add_argument("--ranks-per-design", type=int, metavar="K",
                       help="MPI ranks per design (default: the ranks spread evenly over the designs)")
    sweep.add_argument("--no-render", action="store_true", help="no pictures (fields are still written)")
    compare = with_ranking(sub.add_parser("compare", help="comparison table, ranking, plots and gallery of a sweep"))
    compare.add_argument("sweep_dir", type=Path)
    compare.add_argument("--no-render", action="store_true", help="tables only, no plots")
    report = sub.add_parser("report", help="one self-contained HTML report of a run or a sweep")
    report.add_argument("directory", type=Path, help="a run directory or a sweep directory")
    sub.add_parser("materials", help="list the material library with sources")
    sub.add_parser("info", help="versions of seifem and its numerical stack")
    return parser

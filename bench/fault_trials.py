"""Kill-and-restart trials (issue "Never lose a row", acceptance): the two-step case (a
lithiation ended by a voltage cut-off, then a delithiation ended by another), killed with
SIGKILL at random places on 1 and 2 ranks, then continued with `seifem run --restart`; each
history (and probes, cycles) compared with the uninterrupted run of the same rank count.

    python bench/fault_trials.py [--trials 30] [--seed 11] [--keep DIR]

Kills: at a random time after the first checkpoint (the whole MPI job, from outside), after
a random time step (either protocol step, any rank), half-way through writing a random
checkpoint, and between syncing the tables and writing the checkpoint. Prints one line per
trial and the totals: rows lost, largest relative difference, tracebacks, hangs.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from faults import TWO_STEPS, kill_and_restart, random_fault, run_reference, run_span  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--trials", type=int, default=30)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--keep", type=Path, help="keep the run directories here")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    tmp = args.keep or Path(tempfile.mkdtemp(prefix="seifem-faults-"))
    refs = {n: run_reference(tmp, TWO_STEPS, n) for n in (1, 2)}
    case = tmp / "case.toml"
    spans = {n: 0.7 * run_span(ref) for n, ref in refs.items()}  # time kills land before the end
    totals = {"rows lost": 0, "rows extra": 0, "max rel diff": 0.0, "tracebacks": 0, "hangs": 0, "failed": 0}
    t_start = time.perf_counter()
    print(f"{'#':>3} {'ranks':>5} {'kill':<22} {'rc':>4} {'restart':>7} {'lost':>4} {'max rel diff':>12} {'tb':>3} "
          f"{'hang':>4}  notes", flush=True)
    for i in range(args.trials):
        ranks = 1 + i % 2
        fault = random_fault(rng, ranks, span=spans[ranks])
        o = kill_and_restart(tmp / f"trial-{i:02d}", case, ranks, fault, refs[ranks])
        totals["rows lost"] += o.rows_lost
        totals["rows extra"] += o.rows_extra
        totals["max rel diff"] = max(totals["max rel diff"], o.max_rel_diff)
        totals["tracebacks"] += o.tracebacks
        totals["hangs"] += o.hangs
        totals["failed"] += not o.ok
        print(f"{i + 1:>3} {ranks:>5} {str(fault):<22} {o.killed_rc!s:>4} {o.restart_rc!s:>7} {o.rows_lost:>4} "
              f"{o.max_rel_diff:>12.3g} {o.tracebacks:>3} {o.hangs:>4}  {'; '.join(o.notes)}", flush=True)
        if args.keep is None and o.ok:
            shutil.rmtree(tmp / f"trial-{i:02d}", ignore_errors=True)
    print(f"\n{args.trials} trials in {time.perf_counter() - t_start:.0f} s: rows lost {totals['rows lost']}, rows "
          f"extra {totals['rows extra']}, max relative difference {totals['max rel diff']:.3g}, tracebacks "
          f"{totals['tracebacks']}, hangs {totals['hangs']}, failed trials {totals['failed']}")
    if args.keep is None:
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if totals["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())

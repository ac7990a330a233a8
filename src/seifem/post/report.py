"""One self-contained HTML report per run or per sweep (images embedded as base64, plain
HTML + CSS, no scripts, no external files), made from the files only.

    write_run_report(run_dir)      # results summary, figures, how it was run, cycles, the case
    write_sweep_report(sweep_dir)  # ranking, comparison table and plots, gallery, base case

Reports never overwrite: report.html, then report-2.html, ...
"""

from __future__ import annotations

import base64
import datetime
import html
import json
import logging
import math
from pathlib import Path

from seifem.errors import RenderError
from seifem.parallel import on_rank0
from seifem.results.metrics import METRICS
from seifem.results.rundir import CASE, HISTORY, RunDir, fresh_path
from seifem.results.sweepdir import COMPARISON, RANKING, read_comparison, read_sweep

__all__ = ["case_rows", "latest", "new_report_path", "render_and_report", "write_run_report", "write_sweep_report"]

log = logging.getLogger(__name__)

CSS = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1500px; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; border-bottom: 1px solid #ccc; margin-top: 1.8em; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.5em 0; }
th, td { border: 1px solid #ddd; padding: 2px 6px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; } .num { text-align: right; font-variant-numeric: tabular-nums; }
.est { color: #a33; font-weight: 600; } .ok { background: #e8f6e8; } .bad { background: #fbeaea; }
.scroll { overflow-x: auto; } img { max-width: 100%; border: 1px solid #eee; margin: 0.3em 0; }
.note { color: #555; font-size: 0.9em; }
table.summary { font-size: 0.95em; } table.summary th { text-align: left; font-weight: 600; background: none; }
table.summary .val { font-weight: 600; white-space: nowrap; } tr.fails td, tr.fails th { background: #fbeaea; }
tr.ok td, tr.ok th { background: #e8f6e8; }
"""


def new_report_path(directory: Path) -> Path:
    """report.html, or report-2.html, ... if taken (never overwrite)."""

    return fresh_path(directory, "report", ".html")


def _img(data: bytes, alt: str, mime: str = "image/png") -> str:
    return f'<img alt="{html.escape(alt)}" src="data:{mime};base64,{base64.b64encode(data).decode()}">'


def _fmt(v) -> str:
    if isinstance(v, float):
        return "" if math.isnan(v) else f"{v:.4g}"
    return html.escape(str(v))


def _table(header: list[str], rows: list[list], classes: list[str] | None = None) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = []
    for i, row in enumerate(rows):
        cls = f' class="{classes[i]}"' if classes and classes[i] else ""
        cells = "".join(f'<td class="num">{_fmt(c)}</td>' if isinstance(c, (int, float)) else f"<td>{c}</td>"
                        for c in row)
        body.append(f"<tr{cls}>{cells}</tr>")
    return f'<div class="scroll"><table><tr>{head}</tr>{"".join(body)}</table></div>'


def _page(title: str, body: list[str]) -> str:
    stamp = datetime.datetime.now().isoformat(timespec="seconds")
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{CSS}</style></head><body><h1>{html.escape(title)}</h1>"
            f'<p class="note">seifem report, {stamp}</p>{"".join(body)}</body></html>\n')


def _write(directory: Path, text: str) -> Path:
    path = new_report_path(directory)
    path.write_text(text, encoding="utf-8")
    return path


def latest(directory: Path, stem: str, suffix: str = "") -> Path | None:
    """The newest of stem, stem-2, stem-3, ... (+ suffix) in `directory` (seifem numbers what
    it must not overwrite that way), or None."""
    found, n = None, 1
    while (path := directory / (f"{stem}{suffix}" if n == 1 else f"{stem}-{n}{suffix}")).exists():
        found, n = path, n + 1
    return found


# ----------------------------------------------------------------------------- case summary
def case_rows(case: dict, varied: tuple[str, ...] = ()) -> list[list[str]]:
    """Rows key | value | source of a resolved case (case.toml): every key with its unit,
    material values with their sources, [estimate] values flagged, varied keys marked."""
    rows: list[list[str]] = []

    def add(prefix: str, table: dict) -> None:
        sources = table.get("sources", {})
        for k, v in table.items():
            if k == "sources" or isinstance(v, dict):
                continue
            key = f"{prefix}{k}"
            src = sources.get(k, "")
            flag = ' <span class="est">[estimate]</span>' if src.endswith("[estimate]") else ""
            value = html.escape(json.dumps(v) if isinstance(v, list) else str(v))
            mark = " <b>(varied)</b>" if key in varied or key.replace(".0.", ".", 1) in varied else ""
            rows.append([html.escape(key) + mark, value + flag, html.escape(src.removesuffix(" [estimate]"))])

    for name in ("title", "description"):
        if case.get(name):
            rows.append([name, html.escape(case[name]), ""])
    for section in ("particle", "sei", "geometry", "physics", "solver", "output"):
        if section in case:
            add(f"{section}.", case[section])
    for i, layer in enumerate(case.get("coating", [])):
        add(f"coating.{i}.", layer)
    proto = case.get("protocol", {})
    rows.append(["protocol.cycles", str(proto.get("cycles", 1)), ""])
    for i, step in enumerate(proto.get("steps", [])):
        add(f"protocol.steps.{i}.", step)
    return rows


# ----------------------------------------------------------------------------- run report
def _figures(run_dir: Path, case: dict) -> Path:
    """The newest figures directory, or (nothing rendered) history and voltage plots drawn
    now into a figures directory of their own."""
    from seifem.post.plots import plot_history
    from seifem.post.readers import new_figure_dir, read_history

    figs = latest(run_dir, "figures")
    if figs is None or not (figs / "history.png").is_file():
        figs = new_figure_dir(run_dir)
        plot_history(read_history(run_dir), case, figs)
    return figs


def _summary(run_dir: Path, hist: dict, case: dict, cycles: dict) -> str:
    from seifem.post.readers import read_fields
    from seifem.post.section import section_of
    from seifem.post.summary import findings

    try:  # the field outputs place the core's peaks; a run without them is summed up all the same
        sections = [(t, section_of(grid, case)) for t, grid in read_fields(run_dir) if t > 0]
    except Exception as exc:  # noqa: BLE001 - a report must not fail on a picture's input
        log.warning("no field outputs for the summary: %s", exc)
        sections = []
    rows = findings(hist, case, cycles, sections)
    body = "".join(f'<tr class="{f.verdict}"><th>{html.escape(f.quantity)}</th><td class="val">{html.escape(f.value)}'
                   f"</td><td>{html.escape(f.detail)}</td></tr>" for f in rows)
    return f'<section id="results"><h2>Results</h2><table class="summary">{body}</table></section>'


def _run_sections(run_dir: Path, level: str = "h2") -> list[str]:
    """Results first, then the figures (voltage against capacity, histories, maps, failure
    maps, the animation), then how the run was made, the cycles and the case."""
    from seifem.post.readers import read_history
    from seifem.post.summary import exact_command

    rundir = RunDir(run_dir)
    case = rundir.case()
    hist = read_history(run_dir)
    cycles = rundir.cycles()
    out = [_summary(run_dir, hist, case, cycles)]
    figs = _figures(run_dir, case)
    pictures = sorted(figs.glob("*.png"))
    named = [("voltage.png", "Voltage against capacity and time"), ("history.png", "Histories")]
    for name, heading in named:
        if (figs / name).is_file():
            out.append(f"<{level}>{heading}</{level}>" + _img((figs / name).read_bytes(), heading))
    maps = [p for p in pictures if p.name.startswith(("map_", "profiles"))]
    fails = [p for p in pictures if p.name.startswith("failure_")]
    out.append(f"<{level}>Stress maps</{level}>" + ("".join(_img(p.read_bytes(), p.name) for p in maps) or
                                                    '<p class="note">none rendered (seifem render RUN_DIR)</p>'))
    if fails:
        out.append(f"<{level}>Failure maps on the particle surface</{level}>"
                   + "".join(_img(p.read_bytes(), p.name) for p in fails))
    if (figs / "stress.gif").is_file():
        out.append(f"<{level}>Stress map over the run</{level}>"
                   + _img((figs / "stress.gif").read_bytes(), "stress map animation", "image/gif"))
    run = case.get("run", {})
    summary = rundir.summary()
    facts = [["command", f"<code>{html.escape(exact_command(run))}</code>"],
             ["run directory", html.escape(str(run_dir))], ["ranks", str(run.get("ranks", ""))]]
    if summary:
        facts += [["model", summary.get("model", "")], ["time steps", str(summary["steps"])],
                  ["wall time", f"{summary['wall_time_s']:.1f} s"], ["step cuts", str(summary.get("step_cuts", 0))],
                  ["DOFs", ", ".join(f"{k} {v}" for k, v in summary.get("dofs", {}).items())]]
    else:
        facts.append(["status", '<span class="est">incomplete: no summary.json</span>'])
    out.append(f"<{level}>Run</{level}>" + _table(["", ""], facts))
    if cycles:
        out.append(f"<{level}>Cycles</{level}>" + _table(list(cycles), [list(r) for r in zip(*cycles.values())]))
    out.append(f"<{level}>Case</{level}>" + _table(["key", "value", "source"], case_rows(case)))
    return out


def write_run_report(run_dir: Path) -> Path:
    """report[-N].html in the run directory."""
    run_dir = Path(run_dir)
    run = RunDir(run_dir)
    if not run.is_run():
        raise RenderError(f"run_dir = {str(run_dir)!r}: not a seifem run (no {CASE} and {HISTORY})")
    title = run.case().get("title") or run_dir.name
    return _write(run_dir, _page(title, _run_sections(run_dir)))


def render_and_report(run_dir: Path, comm) -> None:
    """The end of a run with render on: pictures and the run report, on rank 0 of `comm`."""
    def both() -> None:
        from seifem.post.render import render_run

        log.info("figures: %s", render_run(run_dir))
        log.info("report: %s", write_run_report(run_dir))

    on_rank0(comm, both)


# ----------------------------------------------------------------------------- sweep report
def write_sweep_report(sweep_dir: Path) -> Path:
    """report[-N].html in the sweep directory, from sweep.json, comparison.csv, ranking.csv
    and the newest figures directory (run `seifem compare` first if they are missing)."""

    sweep_dir = Path(sweep_dir)
    record = read_sweep(sweep_dir)
    rows, ranked = read_comparison(sweep_dir / COMPARISON), read_comparison(sweep_dir / RANKING)
    if not rows:
        raise RenderError(f"sweep_dir = {str(sweep_dir)!r}: no comparison.csv; run seifem compare first")
    keys = [v["key"] for v in record["vary"]]
    body = [f'<p>Case <code>{html.escape(record["case_file"])}</code>, varied: '
            + ", ".join(f"<code>{html.escape(v['spec'])}</code>" for v in record["vary"])
            + (", set: " + ", ".join(f"<code>{html.escape(s)}</code>" for s in record["set"]) if record["set"] else "")
            + f'; {len(rows)} designs on {record["ranks"]} ranks.</p>']
    rule = record.get("ranking", {})
    best = next((r for r in ranked if r["verdict"] == "ok"), None)
    body.append("<h2>Ranking</h2><p>Rule: " + html.escape(rule.get("describe", "")) + "</p><p><b>"
                + (f"Best design: {html.escape(best['design'])} ({html.escape(best['objective'])} = {_fmt(float(best['value']))})"
                   if best else "No design meets every constraint.") + "</b></p>")
    if ranked:
        body.append(_table(["rank", "design", "verdict", "objective value"],
                           [[int(r["rank"]), html.escape(r["design"]), html.escape(r["verdict"]),
                             float(r["value"]) if r["value"] != "" else math.nan] for r in ranked],
                           ["ok" if r["verdict"] == "ok" else "bad" if r["verdict"].startswith(("violates", "run")) else ""
                            for r in ranked]))
    metrics = [m for m in METRICS if any(m in r and not math.isnan(r[m]) for r in rows)]
    body.append("<h2>Comparison</h2>" + _table(
        ["design", *keys, "status", *(f"{m} [{METRICS[m].unit}]" for m in metrics)],
        [[html.escape(r["design"]), *(html.escape(r[k]) for k in keys), html.escape(r["status"]),
          *(r[m] for m in metrics)] for r in rows]))
    failed = [r for r in rows if r.get("error")]
    if failed:
        body.append("<p><b>Failed designs</b></p><ul>" + "".join(
            f"<li>{html.escape(r['design'])}: {html.escape(r['error'])}</li>" for r in failed) + "</ul>")
    figs = latest(sweep_dir, "figures")
    for name, heading in (("metrics.png", "Metrics against the varied key"),
                          ("gallery.png", "Stress maps at one colour scale")):
        if figs and (figs / name).is_file():
            body.append(f"<h2>{heading}</h2>" + _img((figs / name).read_bytes(), name))
    links = []
    for r in rows:
        report = latest(sweep_dir / r["run_dir"], "report", ".html")
        if report is not None:
            links.append(f'<li><a href="{html.escape(str(report.relative_to(sweep_dir)))}">{html.escape(r["design"])}</a></li>')
    if links:
        body.append("<h2>Design reports</h2><ul>" + "".join(links) + "</ul>")
    done = next((r for r in rows if r["status"] == "done"), None)
    if done:
        case = RunDir(sweep_dir / done["run_dir"]).case()
        body.append(f"<h2>Case of design {html.escape(done['design'])} (the others differ in the varied keys)</h2>"
                    + _table(["key", "value", "source"], case_rows(case, tuple(keys))))
    return _write(sweep_dir, _page(f"Sweep of {Path(record['case_file']).name}", body))

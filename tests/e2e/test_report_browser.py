"""The run report in a real browser (headless Chromium driven by playwright): at 1400 x 900
the first screen shows the results summary, every image loads (the voltage-capacity figure
among them) and the page logs no console error. Chromium is Debian's /usr/bin/chromium
(`apt-get install -y chromium`), or the browser named by $SEIFEM_CHROMIUM (e.g. a CI image's
/usr/bin/google-chrome); without one the test fails and says so."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from helpers import run_seifem

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _browser(p):
    found = Path(os.environ.get("SEIFEM_CHROMIUM") or (CHROMIUM if CHROMIUM.is_file() else
                                                       shutil.which("chromium") or "/nonexistent"))
    assert found.is_file(), (f"the report browser test needs Chromium ({found} not found): install it with "
                             "`apt-get install -y chromium` (Debian's package, /usr/bin/chromium) or set "
                             "SEIFEM_CHROMIUM to a Chromium or Chrome executable")
    return p.chromium.launch(executable_path=str(found), args=ARGS, headless=True)


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "run"
    res = run_seifem(1, "run", str(ROOT / "cases" / "si_coated.toml"), "--out", str(out),
                     "--set", 'geometry.model="1d"', "--set", 'physics.mechanics="small-strain"',
                     "--set", "physics.plasticity=false", timeout=300)
    assert res.returncode == 0, res.stderr
    return out / "report.html"


@pytest.mark.slow
def test_report_first_screen_shows_the_results(report, tmp_path):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # a CI without the test extra must not pass silently
        raise AssertionError("the report browser test needs playwright: pip install -e '.[test]'") from exc
    errors: list[str] = []
    with sync_playwright() as p:
        browser = _browser(p)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(report.as_uri(), wait_until="load")
        box = page.locator("#results").bounding_box()
        rows = page.locator("#results tr").all_inner_texts()
        last_row = page.locator("#results tr").last.bounding_box()
        images = page.evaluate("Array.from(document.images).map(i => [i.alt, i.complete, i.naturalWidth])")
        first_heading = page.locator("h2").first.inner_text()
        page.screenshot(path=str(tmp_path / "first_screen.png"))
        browser.close()
    assert not errors, errors
    assert first_heading == "Results"
    assert box is not None and box["y"] < 200, box  # the summary starts near the top: measured y = 127 px
    assert last_row["y"] + last_row["height"] <= 900, last_row  # ... and ends on the first screen (measured 479)
    assert any(r.startswith("peak von Mises stress") for r in rows) and any("SEI" in r for r in rows), rows
    assert any(r.startswith("peak swelling") for r in rows) and any(r.startswith("Coulombic efficiency") for r in rows)
    assert images and all(done and width > 0 for _, done, width in images), images
    assert "Voltage against capacity and time" in [alt for alt, *_ in images]

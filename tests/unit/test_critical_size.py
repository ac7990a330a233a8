"""The critical size of a radius sweep (`sweeps.critical`) and the fracture metrics of a history
(`results.metrics.fracture_metrics`)."""

from __future__ import annotations

import math

import numpy as np

from seifem.results.metrics import fracture_metrics
from seifem.sweeps.critical import critical_sizes


def _row(name, radius, rate, cracked, status="done"):
    return {"design": name, "particle.radius": radius, "protocol.steps.0.c_rate": rate, "status": status,
            "cracked": float(cracked)}


def test_critical_radius_per_c_rate_with_brackets():
    keys = ["particle.radius", "protocol.steps.0.c_rate"]
    rows = [_row("a", "0.25 um", "1 C", 0), _row("b", "0.5 um", "1 C", 0), _row("c", "1 um", "1 C", 1),
            _row("d", "2 um", "1 C", 1), _row("e", "0.25 um", "2 C", 0), _row("f", "0.5 um", "2 C", 1),
            _row("g", "1 um", "2 C", 1), _row("h", "2 um", "2 C", 0, status="failed"),
            _row("i", "0.25 um", "4 C", 1), _row("j", "0.5 um", "4 C", 1)]
    out = {r["protocol.steps.0.c_rate"]: r for r in critical_sizes(keys, rows)}
    assert out["1 C"]["critical_radius_um"] == 0.5 and (out["1 C"]["below"], out["1 C"]["above"]) == ("b", "c")
    assert out["2 C"]["critical_radius_um"] == 0.25 and out["2 C"]["above"] == "f"
    assert math.isnan(out["4 C"]["critical_radius_um"]) and "every radius cracked" in out["4 C"]["verdict"]
    assert "between 0.5 um (b, intact) and 1 um (c, cracked)" in out["1 C"]["verdict"]
    assert critical_sizes(["protocol.steps.0.c_rate"], rows) == []


def test_fracture_metrics_count_new_cracks_only():
    h = {"time_s": np.array([0.0, 10, 20, 30]), "cracked_volume_fraction": np.array([0.01, 0.01, 0.012, 0.02]),
         "crack_area_um2": np.array([0.4, 0.4, 0.5, 0.9]), "fragments": np.array([1, 1, 1, 2]),
         "surface_cracks": np.array([4, 4, 4, 4])}
    m = fracture_metrics(h)  # the seeded flaws at t = 0 do not count; the growth at 20 s does
    assert m["cracked"] == 1.0 and m["crack_time_s"] == 20.0 and m["fragments"] == 2.0
    h["cracked_volume_fraction"] = np.full(4, 0.01)
    m = fracture_metrics(h)
    assert m["cracked"] == 0.0 and math.isnan(m["crack_time_s"])
    assert fracture_metrics({"time_s": np.zeros(2)}) == {}


def test_seeded_flaws_count_when_they_run():
    """2d-plane with seeded flaws (`crack_depth_um` > 0 at the start): a flaw whose tip only
    sharpens (the cracked area rises, measured +60 % below the critical size, the depth stays)
    is intact; one that runs deeper than 1.5 times its start cracked."""
    h = {"time_s": np.array([0.0, 60, 120, 180]), "cracked_volume_fraction": np.array([2e-5, 3e-5, 4e-5, 4e-5]),
         "crack_depth_um": np.array([0.0406, 0.0406, 0.0406, 0.0406])}
    assert fracture_metrics(h)["cracked"] == 0.0
    h["crack_depth_um"] = np.array([0.0406, 0.0406, 0.06, 0.147])  # 0.06 < 1.5 x 0.0406: not yet
    m = fracture_metrics(h)
    assert m["cracked"] == 1.0 and m["crack_time_s"] == 180.0
    h["crack_depth_um"] = np.zeros(4)  # no seeded flaws: the cracked area decides
    assert fracture_metrics(h)["crack_time_s"] == 60.0


def test_edge_crack_factors_match_the_handbook():
    """The half-plane edge-crack factors integrated from Hartranft & Sih's Green's function
    reproduce Tada, Paris & Irwin's tabulated values: 1.1215 under a uniform crack-face load
    (measured 1.12147, |error| 3e-5 < 1e-4) and 0.439 under the load (1 - x/a) (measured
    0.43846, within the table's rounding 5e-4 plus the fit's 0.1 %)."""
    from seifem.analytic import fracture as fr

    assert abs(fr.EDGE_CRACK_F0 - 1.1215) < 1e-4
    assert abs((fr.EDGE_CRACK_F0 - fr.EDGE_CRACK_F1) - 0.439) < 1e-3
    assert fr.surface_flaw_factor(0.0) == fr.EDGE_CRACK_F0

"""The pieces of seifem's pictures that need no run: the layout checker finds overlapping,
cut-off and panel-crossing text (and passes a clean figure), coinciding history curves are
merged, a change of current is drawn as a vertical jump, steps are named by what they do, the
report's command carries mpirun -n N, sweep plots leave out constants and wall time, and the
1D twin's revolved section has the area of its (current) disc."""

from __future__ import annotations

import numpy as np
import pytest

from seifem.post.layout import layout_problems
from seifem.post.maps import new_figure


def test_layout_checker_finds_overlaps_cut_offs_and_text_over_a_panel():
    fig, ax = new_figure(1, 2, figsize=(6, 3))
    ax[0].plot([0, 1], [0, 1])
    ax[0].set_xlabel("time [min]")
    assert layout_problems(fig) == []
    fig.text(0.3, 0.5, "a colour-bar title")  # over the left panel, figure-level
    ax[1].text(0.5, 0.5, "note one", transform=ax[1].transAxes)
    ax[1].text(0.52, 0.5, "note two", transform=ax[1].transAxes)
    fig.text(0.97, 0.5, "cut off at the edge")
    found = layout_problems(fig)
    assert any("'a colour-bar title' runs over" in f for f in found), found
    assert any("'note one' overlaps 'note two'" in f for f in found), found
    assert any("cut off" in f for f in found), found


def test_crowded_tick_labels_are_found():
    fig, ax = new_figure(figsize=(2, 2))
    ax.set_xticks(np.arange(10), [f"label {i}" for i in range(10)])
    assert any("overlaps" in f for f in layout_problems(fig))


def test_coinciding_curves_are_drawn_once():
    from seifem.post.plots import distinct_curves

    a = np.linspace(0, 100, 11)
    out = distinct_curves([("hoop max", a), ("radial max", a + 0.1), ("von Mises max", 2 * a)])
    assert [label for label, _ in out] == ["hoop max ≈ radial max", "von Mises max"]  # 0.1 < 2e-3 x 200
    assert len(distinct_curves([("a", a), ("b", a + 1.0)])) == 2  # 1.0 > 2e-3 x 101: two curves


def test_a_change_of_current_is_a_vertical_jump():
    from seifem.post.plots import with_jumps

    hist = {"step": np.array([0, 1, 1, 1]), "time_s": np.array([0.0, 10.0, 20.0, 30.0])}
    v = np.array([0.9, 0.50, 0.45, 0.40])
    [(k, t, y)] = with_jumps(hist, hist["time_s"], v)
    assert k == 1 and t[0] == t[1] == 0.0  # vertical at the start of the step
    assert y[0] == 0.9 and y[1] == pytest.approx(0.55)  # extrapolated back from the first two rows
    assert list(y[2:]) == list(v[1:])


def test_steps_are_named_by_what_they_do():
    from seifem.post.plots import step_label

    assert step_label({"mode": "lithiate", "c_rate": "0.5 C"}) == "lithiation at 0.5 C"
    assert step_label({"mode": "delithiate", "c_rate": "1 C"}) == "delithiation at 1 C"
    assert step_label({"mode": "hold", "voltage": "0.05 V"}) == "CV hold at 0.05 V"
    assert step_label({"mode": "rest", "duration": "10 min"}) == "rest"


def test_the_command_is_the_one_a_user_types():
    from seifem.post.summary import exact_command

    run = {"command": "/x/src/seifem/cli/main.py run cases/a.toml --set 'geometry.mesh_size=\"0.6 um\"'", "ranks": 2}
    assert exact_command(run) == "mpirun -n 2 seifem run cases/a.toml --set 'geometry.mesh_size=\"0.6 um\"'"
    assert exact_command({"command": "seifem run a.toml", "ranks": 1}) == "seifem run a.toml"


def test_sweep_plots_leave_out_constants_and_wall_time(tmp_path):
    from seifem.post.compare_plots import PLOTTED, plot_metrics, varies

    assert "wall_time_s" not in PLOTTED and "steps" not in PLOTTED
    assert not varies([0.1, 0.1 + 1e-15, 0.1 - 2e-15]) and varies([0.1, 0.12]) and not varies([0.0, 0.0])
    assert not varies([658.54, 658.61], "MPa")  # 1e-4 relative: below the discretisation error
    assert not varies([6e-13, 2.3e-12, 9.6e-12], "-") and varies([6e-3, 9e-3], "-")  # round-off about 0
    rows = [{"design": f"d{i}", "coating.thickness": f"{h}nm", "status": "done", "volume_change": 0.13 + 1e-16 * i, "volume_change_final": 1e-12 * i,
             "core_von_mises_MPa": 600.0 + 50 * i, "wall_time_s": 10.0 + i} for i, h in enumerate((0, 10, 20))]
    drawn, fig = plot_metrics(rows, ["coating.thickness"], tmp_path / "metrics.png")
    assert drawn == ["core_von_mises_MPa"]
    assert layout_problems(fig) == []


def test_revolved_1d_section_has_the_area_of_its_disc():
    """A line 0..1 um with u_r = 0.1 r revolved on 180 angles: reference area pi (1 - 2.0e-4,
    the chords), drawn area pi 1.1^2 (same chords) when deformed; regions split at 0.8 um."""
    import pyvista as pv

    from seifem.post.section import section_1d

    r = np.linspace(0.0, 1.0, 41)
    pts = np.column_stack([r, 0 * r, 0 * r])
    grid = pv.UnstructuredGrid({pv.CellType.LINE: np.column_stack([np.arange(40), np.arange(1, 41)])}, pts)
    grid.point_data["displacement_um"] = np.column_stack([0.1 * r, 0 * r, 0 * r])
    for name in ("von_mises_MPa", "sigma_hoop_MPa", "theta"):
        grid.point_data[name] = r
    sec = section_1d(grid, [0.8, 1.0], deformed=True)
    tri = sec.triangles

    def area(p):
        d1, d2 = p[:, 1] - p[:, 0], p[:, 2] - p[:, 0]
        return 0.5 * np.abs(d1[:, 0] * d2[:, 1] - d1[:, 1] * d2[:, 0]).sum()

    chord = np.sin(2 * np.pi / 180) / (2 * np.pi / 180)  # polygon / circle area
    assert area(sec.ref[tri]) == pytest.approx(np.pi * chord, rel=1e-12)
    assert area(sec.xy[tri]) == pytest.approx(np.pi * 1.21 * chord, rel=1e-12)
    assert area(sec.ref[tri[sec.region == 1]]) == pytest.approx(np.pi * 0.64 * chord, rel=1e-12)
    assert np.linalg.norm(sec.outlines(reference=True), axis=2).max() == pytest.approx(1.0)


def test_peaks_are_placed_in_the_core():
    """On a revolved line with von Mises = r and hoop = r - 0.5 (um, MPa), the core (r < 0.8)
    peaks at its surface, the most compressive hoop stress at the centre."""
    import pyvista as pv

    from seifem.post.section import section_1d
    from seifem.post.summary import locate

    r = np.linspace(0.0, 1.0, 41)
    grid = pv.UnstructuredGrid({pv.CellType.LINE: np.column_stack([np.arange(40), np.arange(1, 41)])},
                               np.column_stack([r, 0 * r, 0 * r]))
    grid.point_data["displacement_um"] = np.zeros((41, 3))
    grid.point_data["von_mises_MPa"], grid.point_data["sigma_hoop_MPa"], grid.point_data["theta"] = r, r - 0.5, r
    sec = section_1d(grid, [0.8, 1.0], deformed=False)
    assert locate([(60.0, sec)], 50.0, "von_mises_MPa") == "at the core surface (r = 0.80 µm at the field output t = 1.0 min)"
    assert locate([(60.0, sec)], 50.0, "sigma_hoop_MPa", sign=-1.0).startswith("at the centre (r = 0.00 µm")
    assert locate([], 50.0, "von_mises_MPa") == ""

"""Pictures of real runs: every model's maps drawn from its ParaView fields cover the particle
(section area against pi R^2: curved P2 cells kept, no holes, no doubled ghost cells of other
ranks), a finite-strain particle is drawn at its swollen size, `seifem render --animate`
writes one GIF frame per field output, and no figure has overlapping or cut-off text."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from helpers import run_seifem

ROOT = Path(__file__).resolve().parents[2]
CASE = ROOT / "cases" / "si_coated.toml"
OLD_CASE = ["--set", "physics.plasticity=false", "--set", 'coating.thickness="50 nm"', "--set",
            ('protocol.steps=[{mode="lithiate", c_rate="1 C", until_soc=0.05}, '
             '{mode="delithiate", c_rate="1 C", until_soc=0.01}]')]
"""The shipped case as it was before it became a full cycle with plasticity: elastic, 50 nm
carbon, 1C to soc 0.05 and back to 0.01 (small strain unless FINITE says otherwise)."""
SMALL = ["--set", 'physics.mechanics="small-strain"', *OLD_CASE]
FINITE = [*OLD_CASE, "--set", 'geometry.mesh_size="1.0 um"',
          "--set", "protocol.steps.0.until_soc=0.3", "--set", 'protocol.steps.0.dt="3 min"',
          "--set", 'protocol.steps.1.dt="3 min"', "--set", 'output.field_times=["6 min", "12 min", "24 min"]']
"""A coarse finite-strain run of the coated particle to 30 % filling: ~25 s on 2 ranks."""
FULL = [*SMALL, "--set", 'geometry.domain="full"', "--set", 'geometry.mesh_size="1.2 um"', "--set", 'solver.dt="90 s"']
"""The whole particle (its section is a slice through the cells, not a symmetry face): ~20 s on 2 ranks."""


def _area(tri_xy: np.ndarray) -> float:
    d1, d2 = tri_xy[:, 1] - tri_xy[:, 0], tri_xy[:, 2] - tri_xy[:, 0]
    return 0.5 * float(np.abs(d1[:, 0] * d2[:, 1] - d1[:, 1] * d2[:, 0]).sum())


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("render")
    out = {"3d": base / "finite3d", "full": base / "full3d", "2d": base / "twin2d", "1d": base / "twin1d"}
    res = run_seifem(2, "run", str(CASE), "--out", str(out["3d"]), "--no-render", *FINITE, timeout=600)
    assert res.returncode == 0, res.stderr
    res = run_seifem(2, "run", str(CASE), "--out", str(out["full"]), "--no-render", *FULL, timeout=600)
    assert res.returncode == 0, res.stderr
    for model in ("2d", "1d"):
        res = run_seifem(1, "run", str(CASE), "--out", str(out[model]), "--no-render",
                         "--set", f'geometry.model="{model}"', *SMALL, timeout=600)
        assert res.returncode == 0, res.stderr
    return out


@pytest.mark.slow
@pytest.mark.parametrize("model, tol", [("3d", 1e-3), ("full", 1.2e-3), ("2d", 2e-3), ("1d", 6e-4)])
def test_sections_cover_the_particle(runs, model, tol):
    """The reference section's area is pi R^2 of the coated particle (R = 2.55 um) up to the
    chords of its curved outline: measured -4.0e-4 (3D on this 1 um mesh, P2 cells
    tessellated; chords between the cells' vertices alone would miss ~(h/R)^2/6 ~ 3e-2),
    -4.3e-4 (the whole particle on a 1.2 um mesh, sliced; regions per cell, not per merged point),
    -1.03e-3 (2D twin, P1 meridian at its default surface mesh, two cells through each layer), -2.0e-4 (1D twin revolved on 180 angles: exactly
    (2 pi/180)^2/6). Doubled ghost cells of the other rank or holes would be off by per cents."""
    from seifem.post.readers import read_fields
    from seifem.post.section import layer_radii_um, section_of
    from seifem.results.rundir import RunDir

    case = RunDir(runs[model]).case()
    radii = layer_radii_um(case)
    snaps = [(t, g) for t, g in read_fields(runs[model]) if t > 0]
    assert snaps
    for t, grid in snaps:
        sec = section_of(grid, case)
        assert _area(sec.ref[sec.triangles]) / (np.pi * radii[-1] ** 2) - 1 == pytest.approx(0, abs=tol)
        core = sec.ref[sec.triangles[sec.region == 1]]
        assert _area(core) / (np.pi * radii[0] ** 2) - 1 == pytest.approx(0, abs=tol)


@pytest.mark.slow
def test_finite_strain_maps_show_the_swollen_particle(runs):
    """The drawn (current) section of the finite-strain run grows with the history's volume
    change, area ratio (1 + dV/V0)^(2/3) (dV/V0 = 0.26 and 0.52 here): measured within
    3.7e-6 (the swelling is near uniform on this coarse section), tolerance 1e-5 relative.
    Drawn at the reference size it would be off by 24 % and 32 %."""
    from seifem.post.readers import read_fields, read_history
    from seifem.post.section import section_of
    from seifem.results.rundir import RunDir

    case = RunDir(runs["3d"]).case()
    hist = read_history(runs["3d"])
    for t, grid in read_fields(runs["3d"]):
        if t <= 0:
            continue
        sec = section_of(grid, case)
        assert sec.deformed
        i = int(np.argmin(np.abs(hist["time_s"] - t)))
        ratio = _area(sec.xy[sec.triangles]) / _area(sec.ref[sec.triangles])
        assert ratio == pytest.approx((1 + hist["volume_change"][i]) ** (2 / 3), rel=1e-5)


@pytest.mark.slow
def test_render_animate_and_clean_layouts(runs):
    from PIL import Image

    from seifem.post.layout import layout_problems
    from seifem.post.maps import stress_map
    from seifem.post.plots import plot_history, plot_profiles
    from seifem.post.readers import read_fields, read_history
    from seifem.post.section import section_of
    from seifem.results.rundir import RunDir

    res = run_seifem(1, "render", "--animate", str(runs["3d"]), timeout=600)
    assert res.returncode == 0, res.stderr
    figs = runs["3d"] / "figures"
    outputs = [t for t, _ in read_fields(runs["3d"]) if t > 0]
    assert len(outputs) == 3
    assert sorted(p.name for p in figs.glob("map_t*.png")) == [f"map_t{t:08.1f}s.png" for t in outputs]
    assert len(list(figs.glob("failure_t*.png"))) == 3  # the SEI fails: one failure map per output
    with Image.open(figs / "stress.gif") as gif:
        assert gif.n_frames == len(outputs) and gif.is_animated
    for model, run in runs.items():
        if model == "full":  # drawn like "3d"
            continue
        case, hist = RunDir(run).case(), read_history(run)
        drawn = plot_history(hist, case, run)
        t, grid = read_fields(run)[-1]
        drawn.append(stress_map(section_of(grid, case), t, case, hist, run / "map.png"))
        if model == "1d":
            drawn.append(plot_profiles(run / "profiles.csv", case, run / "profiles.png"))
        for fig in drawn:
            assert layout_problems(fig) == [], (model, fig.texts[0].get_text() if fig.texts else "")

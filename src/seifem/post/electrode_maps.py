"""Pictures of an electrode run, from its files: the history (thickness and porosity change,
voltage, stack pressure, stresses against time) and maps of a cut through the electrode (the
plane y = W / 2) of the filling fraction and the hydrostatic and von Mises stress at each
written time. Off-screen, serial.

    figures = render_electrode(Path("runs/electrode_patch"), figs)
"""

from __future__ import annotations

from pathlib import Path

from seifem.results.rundir import FIELDS, RunDir

__all__ = ["plot_electrode_history", "render_electrode", "slice_map"]

MAP_FIELDS = (("theta", "filling fraction [-]", "viridis"), ("hydrostatic_MPa", "hydrostatic stress [MPa]", "coolwarm"),
              ("von_mises_MPa", "von Mises stress [MPa]", "magma"))


def plot_electrode_history(hist: dict, path: Path) -> None:
    """Four panels against time: filling fraction and voltage, thickness and porosity change,
    particle and binder stresses, stack pressure and surface strain."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t = hist["time_s"] / 60.0
    fig, ax = plt.subplots(2, 2, figsize=(11, 7.5), sharex=True)
    a = ax[0, 0]
    a.plot(t, hist["soc"], label="mean")
    a.fill_between(t, hist["soc_min"], hist["soc_max"], alpha=0.3, label="particles' range")
    a.set_ylabel("filling fraction [-]")
    a.legend(loc="upper left")
    b = a.twinx()
    b.plot(t, hist["voltage_V"], "k:", label="voltage")
    b.set_ylabel("voltage [V]")
    a = ax[0, 1]
    a.plot(t, 100 * hist["thickness_change"], label="thickness change")
    a.plot(t, 100 * hist["porosity_change"], "--", label="porosity change")
    a.set_ylabel("[%]")
    a.legend()
    a = ax[1, 0]
    for key, label in (("particle_hydrostatic_MPa", "particle mean hydrostatic"),
                       ("particle_max_von_mises_MPa", "particle von Mises max"),
                       ("binder_max_von_mises_MPa", "binder von Mises max")):
        a.plot(t, hist[key], label=label)
    a.set_ylabel("stress [MPa]")
    a.legend()
    a = ax[1, 1]
    a.plot(t, hist["stack_pressure_MPa"], label="stack pressure")
    a.set_ylabel("stack pressure [MPa]")
    b = a.twinx()
    b.plot(t, hist["surface_strain_max"], "k:", label="particle surface strain max")
    b.set_ylabel("surface strain [-]")
    for a in ax[1]:
        a.set_xlabel("time [min]")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def slice_map(grid, t: float, width_um: float, path: Path) -> None:
    """The three cell fields on the cut y = W / 2 of one written time, side by side."""
    import pyvista as pv

    pv.OFF_SCREEN = True
    cut = grid.slice(normal="y", origin=(width_um / 2, width_um / 2, 0.0))
    pl = pv.Plotter(shape=(1, len(MAP_FIELDS)), off_screen=True, window_size=(1500, 520))
    for j, (name, title, cmap) in enumerate(MAP_FIELDS):
        pl.subplot(0, j)
        pl.add_mesh(cut.copy(), scalars=name, cmap=cmap, show_edges=False, scalar_bar_args={"title": title})
        pl.add_text(f"{name}, t = {t / 60:.1f} min", font_size=9)
        pl.view_xz()
    pl.screenshot(str(path))
    pl.close()


def render_electrode(run_dir: Path, figs: Path) -> Path:
    """history.png and one map_t<time>s.png per written time after the start."""
    import pyvista as pv

    run = RunDir(Path(run_dir))
    plot_electrode_history(run.history(), figs / "history.png")
    width = float(str(run.case()["electrode"]["width"]).split()[0])
    pvd = sorted(Path(run_dir).glob(f"{FIELDS}*_vtk/fields.pvd"))
    for path in pvd:
        reader = pv.get_reader(str(path))
        for k, t in enumerate(reader.time_values):
            if t <= 0:
                continue
            reader.set_active_time_point(k)
            grid = reader.read()
            grid = grid.combine() if isinstance(grid, pv.MultiBlock) else grid
            slice_map(grid, float(t), width, figs / f"map_t{t:08.1f}s.png")
    return figs

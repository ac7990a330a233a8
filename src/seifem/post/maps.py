"""Stress maps: a cross-section through the particle centre (plane z = 0; an octant model is
mirrored into the full disc) for von Mises stress, hoop stress and filling fraction, a zoom
on the outer surface where the coating and the SEI (drawn as a band of its thickness,
labelled with its membrane stress) are visible; failure maps of the surface; the 2D twin's
meridian maps. Off-screen pyvista / matplotlib."""

from __future__ import annotations

from pathlib import Path

import numpy as np

__all__ = ["MAP_FIELDS", "map_section", "map_limits", "draw_section", "stress_map", "failure_map", "plot_meridian"]

MAP_FIELDS = [("von_mises_MPa", "von Mises stress [MPa]", "viridis"),
              ("sigma_hoop_MPa", "hoop stress [MPa]", "coolwarm"),
              ("theta", "filling fraction c/c_max [-]", "plasma")]


def _radii(case: dict) -> tuple[list[float], float]:
    """Radii of every spherical surface (cavity, core, coatings, a yolk-shell's shell; um) and
    the SEI thickness (um), from the resolved case (on an ellipsoid: along x)."""
    from seifem.units import parse_quantity

    um = lambda q: parse_quantity(q, "m") * 1e6  # noqa: E731
    radii = [um(case["particle"]["radius"])]
    for layer in case.get("coating", []):
        radii.append(radii[-1] + um(layer["thickness"]))
    if "shell" in case:
        radii += [radii[-1] + um(case["shell"]["gap"]), radii[-1] + um(case["shell"]["gap"]) + um(case["shell"]["thickness"])]
    inner = um(case["geometry"].get("inner_radius", "0 m"))
    return ([inner] if inner > 0 else []) + radii, um(case["sei"]["thickness"]) if "sei" in case else 0.0


def _outline(radius: float, core_radius: float, y_scale: float, inner: float | None = None):
    """A circle (or an annulus band from `inner`) in the section z = 0. On an ellipsoid (semi-axes
    R and y_scale R in this section) the core's circles are stretched along y and the layers
    above it are offset along the ellipse's normal, as the mesh grows them (uniform thickness)."""
    import pyvista as pv

    from seifem.reduced.spheroid import spheroid_map

    shape = pv.Disc(inner=inner, outer=radius, r_res=1, c_res=720) if inner is not None else \
        pv.Circle(radius=radius, resolution=720).extract_feature_edges()
    if y_scale != 1.0:
        shape.points[:, :2] = spheroid_map(shape.points[:, :2], core_radius, y_scale)
    return shape


def _section(grid, octant: bool):
    """The section z = 0: for an octant its symmetry face (mirrored to the full disc), for a
    full particle a slice through the centre."""
    if not octant:
        return grid.slice(normal="z", origin=(0, 0, 0))
    surf = grid.extract_surface(algorithm=None)
    zmax = np.abs(surf.points[:, 2])[surf.regular_faces].max(axis=1)
    sl = surf.extract_cells(np.flatnonzero(zmax < 1e-6 * np.abs(surf.points).max())).extract_surface(algorithm=None)
    parts = [sl, sl.reflect((1, 0, 0), point=(0, 0, 0)), sl.reflect((0, 1, 0), point=(0, 0, 0))]
    parts.append(parts[1].reflect((0, 1, 0), point=(0, 0, 0)))
    merged = parts[0]
    for p in parts[1:]:
        merged = merged.merge(p)
    return merged


def map_section(grid, case: dict):
    """The z = 0 section of a field grid (octants mirrored), with the filling fraction left
    out of the coating, and a mask of its core points."""
    sec = _section(grid, case["geometry"]["domain"] == "octant")
    n = sec.n_points
    in_core = sec.point_data["region"] < 1.5 if "region" in sec.point_data else np.ones(n, bool)
    if "theta" in sec.point_data:  # ions live in the core only: leave the coating uncoloured
        sec.point_data["theta"] = np.where(in_core, sec.point_data["theta"], np.nan)
    return sec, in_core


def map_limits(sec, in_core: np.ndarray, name: str) -> tuple[tuple[float, float], tuple[float, float]]:
    """Colour limits of a field on a section: over the core (the full section's row: a stiff
    coating would swamp it) and over everything (the surface zoom)."""
    values = sec.point_data[name]
    return _limits(values[in_core], name), _limits(values, name)


def draw_section(pl, sec, case: dict, name: str, cmap: str, clim: tuple[float, float], title: str,
                 zoom: bool) -> None:
    """Draw one field of a section into the current subplot of `pl`: the layer boundaries
    (black outlines; an ellipsoid's core stretched along y and its layers offset from it, an
    imported shape has none), the
    SEI band (brown), the whole section or a zoom on the surface."""
    radii, h_sei = _radii(case)
    R, Ro = radii[-1 - len(case.get("coating", [])) - 2 * ("shell" in case)], radii[-1]
    shape = case["geometry"].get("shape", "sphere")
    y_scale = float(case["geometry"].get("aspect_ratio_y", 1.0)) if shape == "ellipsoid" else 1.0
    top = float(np.max(sec.points[:, 1])) if shape == "file" else R * y_scale + Ro - R  # where the zoom looks
    pl.add_mesh(sec, scalars=name, cmap=cmap, clim=clim, copy_mesh=True,
                scalar_bar_args={"title": title, "vertical": False, "n_labels": 3, "fmt": "%.4g",
                                 "position_x": 0.15, "position_y": 0.03, "width": 0.7,
                                 "title_font_size": 14, "label_font_size": 12})
    if shape != "file":
        for radius in radii:
            pl.add_mesh(_outline(radius, R, y_scale), color="black", line_width=1)
        if h_sei > 0:
            pl.add_mesh(_outline(Ro + h_sei, R, y_scale, inner=Ro), color="sienna")
    pl.view_xy()
    pl.enable_parallel_projection()
    if zoom:
        width = max(6 * (Ro - R), 8 * h_sei, 0.06 * Ro)
        pl.camera.focal_point = (0.0, top - width / 3, 0.0)
        pl.camera.position = (0.0, top - width / 3, 10 * Ro)
        pl.camera.parallel_scale = width / 2
    else:
        pl.camera.parallel_scale = 1.1 * max(Ro + h_sei, top)


def _layer_note(case: dict, hist: dict, i: int) -> str:
    lines = ["surface zoom"]
    for layer in case.get("coating", []):
        lines.append(f"{layer['name']}: {layer['material']} {layer['thickness']}, "
                     f"max hoop {hist[layer['name'] + '_st_max_MPa'][i]:.0f} MPa")
    if "shell" in case:
        sh = case["shell"]
        lines.append(f"shell: {sh['material']} {sh['thickness']} across a {sh['gap']} void, max hoop "
                     f"{hist['shell_st_max_MPa'][i]:.0f} MPa, contact {hist['contact_pressure_mean_MPa'][i]:.0f} MPa")
    if "sei" in case:
        lines.append(f"SEI {case['sei']['material']} {case['sei']['thickness']} (brown band): "
                     f"membrane strain {100 * hist['sei_strain_max'][i]:.2f} %, "
                     f"stress {hist['sei_stress_max_MPa'][i]:.0f} MPa")
    return "\n".join(lines)


def stress_map(grid, t: float, case: dict, hist: dict, path: Path) -> None:
    """Cross-section (top row) and surface zoom (bottom row) of three fields at time t (s)."""
    import pyvista as pv

    pv.OFF_SCREEN = True
    pv.vtk_verbosity("off")
    sec, in_core = map_section(grid, case)
    i = int(np.argmin(np.abs(hist["time_s"] - t)))
    pl = pv.Plotter(shape=(2, 3), off_screen=True, window_size=(1500, 1000))
    for col, (name, label, cmap) in enumerate(MAP_FIELDS):
        if name not in sec.point_data:
            continue
        for row, lim in enumerate(map_limits(sec, in_core, name)):
            pl.subplot(row, col)
            draw_section(pl, sec, case, name, cmap, lim, f"{label}{' (core range)' if row == 0 else ''}", row == 1)
        if col == 0:
            pl.subplot(0, 0)
            pl.add_text(f"t = {t / 60:.1f} min   soc = {abs(hist['soc'][i]):.3f}", font_size=10)
            pl.subplot(1, 0)
            pl.add_text(_layer_note(case, hist, i), font_size=9, position="upper_left")
    pl.screenshot(str(path))
    pl.close()


def _limits(values: np.ndarray, name: str) -> tuple[float, float]:
    lo, hi = float(np.nanmin(values)), float(np.nanmax(values))
    if name == "sigma_hoop_MPa":  # symmetric about zero: tension red, compression blue
        m = max(abs(lo), abs(hi), 1e-12)
        return -m, m
    return (lo, hi) if hi > lo else (lo - 1e-12, hi + 1e-12)


def failure_map(grid, t: float, case: dict, path: Path) -> None:
    """The particle seen from outside, coloured by the failure index (largest failure
    indicator: >= 1 where the SEI or a coating has reached a limit)."""
    import pyvista as pv

    pv.OFF_SCREEN = True
    surf = grid.extract_surface(algorithm=None)
    if case["geometry"]["domain"] == "octant":  # leave out the symmetry faces
        pts = np.abs(surf.points)[surf.regular_faces]
        keep = np.flatnonzero(pts.min(axis=(1, 2)) > 1e-6 * np.abs(surf.points).max())
        surf = surf.extract_cells(keep)
    vmax = max(2.0, float(np.max(surf.point_data["failure_index"])))
    pl = pv.Plotter(off_screen=True, window_size=(900, 800))
    pl.add_mesh(surf, scalars="failure_index", cmap="RdYlGn_r", clim=(0.0, vmax),
                scalar_bar_args={"title": "failure index (>= 1: failed)", "fmt": "%.2g"})
    pl.add_text(f"t = {t / 60:.1f} min: SEI and coating failure indicators on the surface", font_size=10)
    pl.view_vector((1, 1, 1))
    pl.screenshot(str(path))
    pl.close()


def plot_meridian(path: Path, case: dict, out: Path) -> None:
    """Section of the axisymmetric twin through its axis (the meridian quarter mirrored to the
    full section): von Mises stress, hoop stress and filling fraction."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.tri import Triangulation

    d = np.load(path)
    r, z, tri = d["r"] * 1e6, d["z"] * 1e6, d["triangles"]
    fig, axes = plt.subplots(1, 3, figsize=(15, 5))
    for ax, (key, label, cmap) in zip(axes, (("von_mises", "von Mises stress [MPa]", "viridis"),
                                             ("sigma_hoop", "hoop stress [MPa]", "coolwarm"),
                                             ("theta", "filling fraction c/c_max [-]", "plasma"))):
        vals = d[key] / (1e6 if key != "theta" else 1.0)
        if key == "theta":
            vals = np.where(d["region"] == 0, vals, np.nan)
        core = vals[d["region"] == 0]  # colours scaled to the core, as in the 3D maps
        lim = _limits(core, "sigma_hoop_MPa" if key == "sigma_hoop" else key)
        for sr, sz in ((1, 1), (-1, 1), (1, -1), (-1, -1)):
            pc = ax.tripcolor(Triangulation(sr * r, sz * z, tri), vals, cmap=cmap, vmin=lim[0], vmax=lim[1],
                              shading="gouraud")
        fig.colorbar(pc, ax=ax, orientation="horizontal", label=label + " (core range)", fraction=0.05)
        ax.set_aspect("equal")
        ax.set_xlabel("r [um]")
    axes[0].set_ylabel("z [um]")
    fig.suptitle(f"{case.get('title', '')}, t = {float(d['time_s']) / 60:.1f} min (axisymmetric twin)")
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)

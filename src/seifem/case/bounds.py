"""Resource bounds checked while a case is parsed, before any mesh is built or step taken.

- Cells: estimated from the mesh controls (mesh_size, surface_mesh_size, refine_depth,
  layers and pores); more than `solver.max_cells` is refused naming the keys.
- Time steps: estimated from the protocol (duration, or the time a C-rate takes to fill or
  empty the particle), the step `dt` and the cycles; more than `solver.max_steps` is refused
  naming the step that takes the most.
- Input files (the case file, `geometry.file`) must be regular files (not a FIFO or a device,
  which would block or never end) of at most `MAX_CASE_BYTES` / `MAX_GEOMETRY_BYTES`.

The estimates are meant to be within a factor of ~2 of what gmsh makes and the run takes (a
hold that ends by its current counts only its ramp-up steps).
"""

from __future__ import annotations

import math
import os
import stat
from pathlib import Path

from seifem.errors import CaseError

__all__ = ["estimate_cells", "estimate_steps", "check_bounds", "regular_file", "MAX_CASE_BYTES",
           "MAX_GEOMETRY_BYTES"]

MAX_CASE_BYTES = 1 * 2**20
"""Largest case file read (a case is a few kB)."""

MAX_GEOMETRY_BYTES = 256 * 2**20
"""Largest geometry.file imported."""

TET = 1.0 / (6.0 * math.sqrt(2.0)) * 1.4
"""Mean tetrahedron volume over h^3 of gmsh's meshes at element size h (regular tetrahedron:
1/(6 sqrt 2); gmsh's are ~40 % larger: measured on the shipped cases, the estimate is 0.6-1.6x the
cells gmsh makes)."""

TRI = math.sqrt(3.0) / 4.0 * 1.2
"""The same for triangles (2d twin) over h^2."""


def regular_file(path: Path, key: str, limit: int) -> os.stat_result:
    """stat() of an input file, refused (CaseError naming `key`) unless it is a regular file of
    at most `limit` bytes. Never opens it, so a FIFO or a device cannot block or flood."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise CaseError(key, str(path), "no such file") from None
    except (OSError, ValueError) as exc:
        raise CaseError(key, str(path), f"cannot be read ({exc.__class__.__name__})") from None
    if not stat.S_ISREG(st.st_mode):
        kind = ("a directory" if stat.S_ISDIR(st.st_mode) else "a FIFO (named pipe)" if stat.S_ISFIFO(st.st_mode)
                else "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else "not a regular file")
        raise CaseError(key, str(path), f"is {kind}; give a regular file")
    if st.st_size > limit:
        raise CaseError(key, str(path), f"is {st.st_size / 2**20:.1f} MiB, more than the {limit / 2**20:g} MiB "
                                        "seifem reads")
    return st


def _graded(h: float, hs: float, depth: float) -> float:
    """Integral of 1/size^3 over a refinement zone of unit area and thickness `depth`, the size
    growing linearly from hs to h."""
    if h - hs < 1e-12 * h:
        return depth / hs**3
    return depth / (h - hs) * (1.0 / hs**2 - 1.0 / h**2) / 2.0


def estimate_cells(case) -> int:
    """Cells the case's mesh will have (3d tetrahedra, 2d triangles, 1d intervals)."""
    g, R = case.geometry, case.particle.radius
    h, hs = g.mesh_size, g.surface_mesh_size
    if g.model == "1d":
        from seifem.reduced.design import twin_cells

        cells = twin_cells(case)
        return cells.get("core_cells", 64) + cells.get("layer_cells", 8) * len(case.shells)
    frac = 0.125 if g.domain == "octant" else 1.0
    a_max = max(g.semi_axes) if g.shape != "file" else 1.0
    depth = min(g.refine_depth or R / 3, R - g.inner_radius)
    if g.model == "2d-plane":  # the full disc, refined within `depth` of the core's circle and in the layers
        area, edge = math.pi * R * R, 2 * math.pi * R
        core = max(area - edge * depth, 0.0) / (TRI * h * h) + edge * depth / (TRI * hs * hs)
        f = case.fracture
        if f is not None and f.notch_mesh_size is not None and f.notch_depth > 0:  # geometry.plane.Flaws
            a, hf = f.notch_depth, f.notch_mesh_size  # size hf within a/2 of a 2a-long line, then slope 1/3 to hs
            core += f.notches * (3 * a * a / (TRI * hf * hf) + 2 * math.pi * 9 * math.log(hs / hf) / TRI)
        return int(core + sum(edge * s.thickness / (TRI * hs * hs) for s in case.shells))
    if g.model == "2d":  # the meridian quarter
        area, edge = math.pi * R * R * a_max / 4, math.pi * R * a_max / 2
        core = max(area - edge * depth, 0.0) / (TRI * h * h) + edge * depth * 2 / (h + hs) / (TRI * hs)
        layers = sum(edge * max(s.thickness / hs, 1.0) / (TRI * hs) for s in case.shells)
        return int(core + layers)
    from seifem.geometry import layer_yields
    from seifem.geometry.builders import cavity_mesh_size, default_sublayers

    volume = 4.0 / 3.0 * math.pi * (R**3 * a_max - g.inner_radius**3) * frac
    area = 4.0 * math.pi * R * R * a_max * frac
    for *_, r in getattr(g, "pore_layout", ()) or ():
        area += 4.0 * math.pi * r * r
    cavity = 4.0 * math.pi * g.inner_radius**2 * frac  # meshed finer (geometry.builders.cavity_mesh_size)
    graded = area * _graded(h, hs, depth)
    if cavity > 0:
        graded += cavity * _graded(h, cavity_mesh_size(hs, g.inner_radius), depth)
    shell_volume = min((area + cavity) * depth, volume)
    core = (volume - shell_volume) / (TET * h**3) + graded / TET * (shell_volume / ((area + cavity) * depth))
    layers = 0.0
    for s in case.shells:
        n = g.layer_cells or default_sublayers(s.thickness, hs, layer_yields(case, s))
        layers += area * n * 3.0 / (TRI * hs * hs)  # n prisms of 3 tetrahedra under each surface triangle
    return int(core + layers)


def _step_time(step, soc: float = 0.5) -> float:
    """Longest time (s) a protocol step starting at mean filling fraction `soc` can take, known
    in advance (`until_soc`, full or empty particle, duration); 0 for a hold that ends by its
    current or charge only. Solution-dependent cut-offs (voltage) can only end it earlier."""
    from dataclasses import replace

    from seifem.case.durations import step_duration

    if step.mode == "hold" and step.duration is None:
        return 0.0
    return step_duration(replace(step, until_capacity=None), soc, 1.0)


def estimate_steps(case) -> tuple[int, int, int]:
    """(time steps of the whole protocol, index of the [[protocol.steps]] entry that takes the
    most, its steps summed over the cycles). The filling fraction is followed from step to step."""
    from seifem.case.durations import signed_rate

    per: dict[int, int] = {}
    n_raw = len(case.protocol) // case.protocol[-1].cycle
    soc = case.particle.initial_soc
    for k, step in enumerate(case.protocol):
        t = _step_time(step, soc)
        soc = min(max(soc + signed_rate(step) * min(t, 1e12) / 3600.0, 0.0), 1.0)
        ramp = 10 if step.mode == "hold" else 0  # growing steps from dt/32
        per[k % n_raw] = per.get(k % n_raw, 0) + ramp + math.ceil(min(t / step.dt, 1e18))
    worst = max(per, key=per.get)
    return sum(per.values()), worst, per[worst]


def check_bounds(case, tree: dict) -> None:
    """Refuse a case whose mesh or protocol exceeds `solver.max_cells` / `solver.max_steps`."""
    g = case.geometry
    cells, limit = estimate_cells(case), case.solver.max_cells
    if cells > limit:
        keys = "geometry.mesh_size" if g.model == "1d" else "geometry.mesh_size and surface_mesh_size"
        given = tree.get("geometry", {}).get("mesh_size", f"{g.mesh_size * 1e6:g} um")
        raise CaseError("geometry.mesh_size", given, f"the mesh would have ~{cells:.3g} cells, more than "
                                                     f"solver.max_cells = {limit:g}: raise {keys}, or solver.max_cells")
    total, k, count = estimate_steps(case)
    limit = case.solver.max_steps
    if total > limit:
        raw, step = tree["protocol"]["steps"][k], case.protocol[k]
        long = count * step.dt / case.protocol[-1].cycle > 1000 * 3600.0  # over 1000 h: the step's length is the trouble
        if long or "dt" in raw or "dt" not in tree.get("solver", {}):
            key, value = next(((f"protocol.steps.{k}.{x}", raw[x]) for x in ("c_rate", "duration", "dt")
                               if x in raw and (x != "c_rate" or long)),
                              (f"protocol.steps.{k}.dt", raw.get("dt")))
        else:  # a step of sensible length, at the case's dt
            key, value = "solver.dt", tree["solver"]["dt"]
        dt = step.dt
        raise CaseError(key, value,
                        f"the protocol would take ~{total:.3g} time steps ({count:.3g} in protocol step {k + 1} at dt = {dt:g} "
                        f"s), "
                        f"more than solver.max_steps = {limit:g}: shorten the step, raise its dt, or raise "
                        "solver.max_steps")

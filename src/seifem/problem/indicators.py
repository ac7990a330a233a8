"""Failure indicators as history columns (physics in `physics.failure`, benchmark B5).

Columns (dimensionless utilisations: >= 1 means the limit is reached):
- SEI, over its surface sample points: `sei_strain_util_max` (largest in-plane principal
  strain / elastic_strain_limit), `sei_energy_util_max` (membrane elastic energy density /
  E eps_y^2 / 2), `sei_crack_ratio_max` (channel-cracking G / fracture_energy), and
  `sei_failed_area` (fraction of the sample points where any of them is >= 1; the points of
  each facet count equally).
- each coating and a yolk-shell's shell, over its nodes (per-region nodal averages of the
  stress; quadrature points where it is plastic): `<name>_stress_util_max` (largest principal stress /
  strength), `<name>_crack_ratio_max` (channel cracking of the layer under its largest
  principal stress, G / fracture_energy), `<name>_failed_fraction` (fraction of its nodes
  where either is >= 1).
- the core/coating interface, from the core side: `interface_tn_max_MPa` (largest opening
  normal traction), `interface_tn_min_MPa`, `interface_ts_max_MPa` (largest shear traction),
  from the recovered core stress at the interface vertices (`physics.recovery`).
A column is written only when the material has the limit it needs.
"""

from __future__ import annotations

import numpy as np
from mpi4py import MPI

from seifem.physics import failure as fail
from seifem.units import SCALES

__all__ = ["failure_limits", "sei_indicators", "layer_indicators", "interface_vertices", "indicators_from_row", "FACET_POINTS"]

_TOUGHNESS = SCALES.stress * SCALES.length  # J/m^2 per model unit (GPa um = 1 kJ/m^2)


def failure_limits(material) -> dict[str, float]:
    """The failure limits a material has, in model units (strain; GPa; GPa um)."""
    out = {}
    if "elastic_strain_limit" in material.values:
        out["elastic_strain_limit"] = material.si("elastic_strain_limit")
    if "strength" in material.values:
        out["strength"] = material.si("strength") / SCALES.stress
    if "fracture_energy" in material.values:
        out["fracture_energy"] = material.si("fracture_energy") / _TOUGHNESS
    return out


def _max(comm, v: np.ndarray) -> float:
    v = v[np.isfinite(v)]
    return float(comm.allreduce(float(v.max()) if v.size else -np.inf, op=MPI.MAX))


def _fraction(comm, failed: np.ndarray) -> float:
    n, k = comm.allreduce(failed.size, op=MPI.SUM), comm.allreduce(int(failed.sum()), op=MPI.SUM)
    return k / n if n else 0.0


FACET_POINTS = np.array([[0, 0], [1, 0], [0, 1], [0.5, 0], [0.5, 0.5], [0, 0.5]], dtype=np.float64)
"""Reference-triangle points (vertices and edge midpoints) where facet quantities are sampled."""


def sei_indicators(vals: np.ndarray, comm) -> dict[str, float]:
    """vals: (points, 3) strain utilisation, energy utilisation, crack ratio (nan: no limit)."""
    out = {}
    for j, name in enumerate(("sei_strain_util_max", "sei_energy_util_max", "sei_crack_ratio_max")):
        if comm.allreduce(int(np.isfinite(vals[:, j]).any()), op=MPI.MAX):
            out[name] = _max(comm, vals[:, j])
    if out:
        out["sei_failed_area"] = _fraction(comm, np.nanmax(np.where(np.isfinite(vals), vals, -1), axis=1) >= 1.0)
    return out


def layer_indicators(q, comm) -> dict[str, float]:
    """Coating and interface columns of a `Quantities` (both from the recovered stresses,
    `q.stresses`)."""
    p, out = q.p, {}
    for layer in p.case.solid_layers:  # the coatings and a yolk-shell's shell
        lim = failure_limits(layer.material)
        p1 = q.stresses(layer.name)["p1"] / 1e3  # GPa, where the stress is accurate (`recovery`)
        checks = []
        if "strength" in lim:
            util = p1 / lim["strength"]
            out[f"{layer.name}_stress_util_max"] = _max(comm, util)
            checks.append(util)
        if "fracture_energy" in lim:
            E, nu = layer.material.si("youngs_modulus") / SCALES.stress, layer.material.si("poisson_ratio")
            crack = fail.channel_crack_G(p1, layer.thickness / SCALES.length, E, nu) / lim["fracture_energy"]
            out[f"{layer.name}_crack_ratio_max"] = _max(comm, crack)
            checks.append(crack)
        if checks:
            out[f"{layer.name}_failed_fraction"] = _fraction(comm, np.max(checks, axis=0) >= 1.0)
    if p.case.coatings:
        out.update(_interface_tractions(q, comm))
    return out


def _interface_tractions(q, comm) -> dict[str, float]:
    """Tractions on the core/coating interface from the core: its recovered stress
    (`physics.recovery`) at the interface vertices, with the area-weighted vertex normal
    there (any shape of core)."""
    vertices, normals = q.interface
    rec_vertices = q.recovery.vertices("core")
    _, sig = q.stresses.tensor("core")
    on = np.flatnonzero(np.isin(rec_vertices, vertices))
    tn, ts = fail.interface_tractions(sig[on], normals[rec_vertices[on]])  # MPa: the stresses are in MPa
    return {"interface_tn_max_MPa": _max(comm, tn), "interface_tn_min_MPa": -_max(comm, -tn),
            "interface_ts_max_MPa": _max(comm, ts)}


def interface_vertices(q):
    """(P1 dofs of the interface vertices, unit normals (ntot, 3) at the P1 dofs pointing out
    of the core) of a `Quantities`. Collective."""
    from seifem.physics.vertices import vertex_dofs, vertex_normals

    geo, mesh = q.p.geo, q.p.geo.mesh
    tdim = mesh.topology.dim
    V1 = q.recovery.V1
    core = np.zeros(mesh.topology.index_map(tdim).size_local + mesh.topology.index_map(tdim).num_ghosts, dtype=bool)
    core[geo.cells("core")] = True
    facets = geo.facets("interface")
    facets = facets[facets < mesh.topology.index_map(tdim - 1).size_local]
    normals = vertex_normals(mesh, V1, facets, core)
    if geo.octant:  # on a symmetry plane the normal lies in the plane (the mirrored facets)
        x = V1.tabulate_dof_coordinates()
        normals[np.abs(x) < 1e-9 * np.abs(x).max()] = 0.0
        norm = np.linalg.norm(normals, axis=1)
        normals /= np.where(norm > 0, norm, 1.0)[:, None]
    mesh.topology.create_connectivity(tdim - 1, 0)
    f2v = mesh.topology.connectivity(tdim - 1, 0)
    nf = mesh.topology.index_map(tdim - 1).size_local + mesh.topology.index_map(tdim - 1).num_ghosts
    all_facets = geo.facets("interface")  # ghost facets too: a vertex shared with another rank
    vertices = np.unique(vertex_dofs(mesh, V1)[f2v.array.reshape(nf, -1)[all_facets]])
    return vertices, normals


def indicators_from_row(row: dict, case) -> dict[str, float]:
    """The indicator columns of a spherically symmetric twin from its history row: the SEI
    strain is equibiaxial there (energy density E e^2 / (1 - nu)), a coating's largest
    principal stress is its largest hoop stress, and failure is all-or-nothing."""
    out = {}
    if case.sei is not None and "sei_strain_max" in row:
        mat, lim = case.sei.material, failure_limits(case.sei.material)
        E, nu = mat.si("youngs_modulus"), mat.si("poisson_ratio")
        e = row["sei_strain_max"]
        if "elastic_strain_limit" in lim:
            ey = lim["elastic_strain_limit"]
            out["sei_strain_util_max"] = e / ey
            out["sei_energy_util_max"] = (E * e * e / (1 - nu)) / (E * ey * ey / 2)
        if "fracture_energy" in lim:
            sigma = row["sei_stress_max_MPa"] * 1e6
            out["sei_crack_ratio_max"] = fail.channel_crack_G(sigma, case.sei.thickness, E, nu) / (
                lim["fracture_energy"] * _TOUGHNESS)
        if out:
            out["sei_failed_area"] = float(max(out.values()) >= 1.0)
    for layer in case.coatings:
        lim, p1 = failure_limits(layer.material), row[f"{layer.name}_p1_max_MPa"] * 1e6
        checks = []
        if "strength" in lim:
            out[f"{layer.name}_stress_util_max"] = p1 / (lim["strength"] * SCALES.stress)
            checks.append(out[f"{layer.name}_stress_util_max"])
        if "fracture_energy" in lim:
            E, nu = layer.material.si("youngs_modulus"), layer.material.si("poisson_ratio")
            out[f"{layer.name}_crack_ratio_max"] = float(fail.channel_crack_G(p1, layer.thickness, E, nu)) / (
                lim["fracture_energy"] * _TOUGHNESS)
            checks.append(out[f"{layer.name}_crack_ratio_max"])
        if checks:
            out[f"{layer.name}_failed_fraction"] = float(max(checks) >= 1.0)
    return out

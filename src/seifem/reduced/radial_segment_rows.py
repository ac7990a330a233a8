"""The history rows of many states of a linear, time-invariant 1D twin at once.

`RadialProblem.scalars()` interpolates the DG stress fields of one state and takes their
extremes per region: ~0.2 ms of dolfinx and Python calls a row. For a linear twin (small strain,
elastic, no cohesive interface) every quantity of the row is a linear functional of (theta, u)
or an extreme of such functionals over a region's DG dofs, so `RowMaps` finds the functionals
once per problem (by interpolating the twin's own stress expressions for unit fields: the same
expressions, nothing re-derived) and `RowMaps.rows(theta, u)` makes the rows of N states with a
few array operations of size N x dofs. The rows equal `scalars()` to round-off (the sums are
taken in another order), in the same keys and order.
"""

from __future__ import annotations

import numpy as np
from dolfinx import fem

from seifem.units import SCALES

__all__ = ["RowMaps", "colours"]


class RowMaps:
    """Linear maps from the state (theta, u) of a `RadialProblem` to its history row and its
    probes (see the module); `fields[name] = (F_th, F_u, f0)` give the DG field `name` (theta,
    sigma_r, sigma_t in MPa, u) on every DG dof as F_th theta + F_u u + f0, `stress[(region,
    "sigma_r" | "sigma_t")]` the same on a region's DG dofs."""

    def __init__(self, problem, mass_row: np.ndarray):
        p = self.p = problem
        if p.mechanics is not None or p.interface is not None or p.design.finite_strain:
            raise ValueError("RowMaps: the twin is not linear (plastic, finite-strain or cohesive mechanics)")
        self.m = mass_row  # the core's r^2-weighted mass row sums: theta -> its integral
        th0, u0 = p.theta.x.array.copy(), p.u.x.array.copy()
        nt, nu = th0.size, u0.size
        self.fields = self._field_maps(nt, nu)
        self.stress = {(n, k): tuple(m[p.dofs[n]] for m in self.fields[k]) for n in p.regions
                       for k in ("sigma_r", "sigma_t")}
        self._probes: dict[tuple, tuple] = {}
        self.dvol = np.array([self._dvol(np.eye(nu)[k]) for k in range(nu)]) - self._dvol(np.zeros(nu))
        p.theta.x.array[:], p.u.x.array[:] = th0, u0
        p._update_fields()
        core = p.dofs["core"]
        self.interface = np.flatnonzero(np.abs(p._sx[core] - p.breaks[1]) < 1e-9 * p.breaks[1])

    def _dvol(self, u: np.ndarray) -> float:
        self.p.u.x.array[:] = u
        return float(fem.assemble_scalar(self.p._dvol))

    def _field_maps(self, nt: int, nu: int) -> dict:
        """The DG fields theta, sigma_r, sigma_t (MPa) and u (model units) on every DG dof, as
        `RadialProblem` interpolates them per region, as affine maps (F_th, F_u, f0) of (theta, u),
        probed with unit fields. A DG value in a cell depends only on that cell's dofs, so the
        dofs of one colour class (no two share a cell: `colours`) are probed together, each
        cell's response belonging to the one dof of the class it holds: ~4 probes per field
        instead of one per dof."""
        p = self.p
        f = p.fields["sigma_r"]
        g = fem.Function(p.S)
        dg = p.S.dofmap.list  # (cells, DG dofs of a cell)

        def probe(theta, u) -> dict:
            p.theta.x.array[:], p.u.x.array[:] = theta, u
            out = {k: np.zeros(f.x.array.size) for k in ("theta", "sigma_r", "sigma_t", "u")}
            f.x.array[:] = 0.0
            f.interpolate(p._theta_expr, cells0=p.cells["core"])
            out["theta"][:] = f.x.array
            for n in p.regions:
                for key, e in zip(("sigma_r", "sigma_t"), p._expr[n]):
                    f.interpolate(e, cells0=p.cells[n])
                    out[key][p.dofs[n]] = f.x.array[p.dofs[n]]
                g.interpolate(p._u(n), cells0=p.cells[n])
                out["u"][p.dofs[n]] = g.x.array[p.dofs[n]]
            return out

        base = probe(np.zeros(nt), np.zeros(nu))
        maps = {key: [np.zeros((v.size, nt)), np.zeros((v.size, nu)), v] for key, v in base.items()}
        for part, (space, size) in enumerate(((p.Vt, nt), (p.V, nu))):
            cell_dofs = space.dofmap.list
            for cls in colours(cell_dofs, size):
                unit = np.zeros(size)
                unit[cls] = 1.0
                resp = probe(unit, np.zeros(nu)) if part == 0 else probe(np.zeros(nt), unit)
                held = np.isin(cell_dofs, cls)
                cells = np.flatnonzero(held.any(axis=1))
                dof = cell_dofs[cells, held[cells].argmax(axis=1)]  # the class's dof in each cell
                rows = dg[cells]  # (cells, DG dofs of a cell)
                for key, m in maps.items():
                    m[part][rows, dof[:, None]] = resp[key][rows] - base[key][rows]
        return {key: tuple(m) for key, m in maps.items()}

    def probe_rows(self, radii: list[float], theta: np.ndarray, u: np.ndarray) -> np.ndarray:
        """The profiles (`RadialProblem.profiles()`) of N states interpolated at `radii` (m), as
        np.interp does on them (linear in the profile, so precomputed): an array (N, radii, 4)
        of theta, u (m), sigma_r, sigma_t (Pa)."""
        key = tuple(radii)
        if key not in self._probes:
            p, L = self.p, SCALES.length
            o = p._profile_order
            r = p._sx[o] * L
            eye = np.eye(o.size)
            W = np.array([[np.interp(x, r, col) for col in eye] for x in radii])  # (radii, profile points)
            out = []
            for name, scale in (("theta", 1.0), ("u", L), ("sigma_r", 1e6), ("sigma_t", 1e6)):
                F_th, F_u, f0 = self.fields[name]
                out.append((W @ F_th[o] * scale, W @ F_u[o] * scale, W @ f0[o] * scale))
            self._probes[key] = tuple(np.stack(m, axis=-1) for m in zip(*out))  # (radii, dofs, 4), ...
        P_th, P_u, p0 = self._probes[key]
        return np.einsum("nd,rdk->nrk", theta, P_th) + np.einsum("nd,rdk->nrk", u, P_u) + p0

    def rows(self, theta: np.ndarray, u: np.ndarray) -> list[dict[str, float]]:
        """The history rows (the keys and order of `RadialProblem.scalars()`) of N states:
        theta (N, dofs of theta), u (N, dofs of u)."""
        p, L = self.p, SCALES.length
        inv = theta @ self.m
        cols: dict[str, np.ndarray] = {"soc": inv / p.core_volume, "ions_mol": p.c_max * inv * L**3 * 4 * np.pi,
                                       "volume_change": u @ self.dvol / p.total_volume}
        surf = theta[:, p._surf_dofs]
        area = np.array([p.breaks[t - 1] for t in p.flux_tags]) ** 2  # per steradian
        cols.update(surface_soc_max=surf.max(axis=1), surface_soc_min=surf.min(axis=1),
                    surface_soc_mean=(surf * area).sum(axis=1) / area.sum())
        core_sr = None
        for n in p.regions:
            sr, st = (self._field(n, k, theta, u) for k in ("sigma_r", "sigma_t"))
            core_sr = sr if n == "core" else core_sr
            cols.update({f"{n}_sr_max_MPa": sr.max(axis=1), f"{n}_sr_min_MPa": sr.min(axis=1),
                         f"{n}_st_max_MPa": st.max(axis=1), f"{n}_st_min_MPa": st.min(axis=1),
                         f"{n}_vm_max_MPa": np.abs(sr - st).max(axis=1), f"{n}_p1_max_MPa": np.maximum(sr, st).max(axis=1)})
        if len(p.regions) > 1:  # core side of the interface: t_n = sigma_r, no shear by symmetry
            tn = core_sr[:, self.interface]
            cols.update(interface_tn_max_MPa=tn.max(axis=1), interface_tn_min_MPa=tn.min(axis=1),
                        interface_ts_max_MPa=np.zeros(len(theta)))
        if p.design.sei is not None:
            s = p.design.sei
            e = u[:, p._sei_dofs] / p._r_dofs[p._sei_dofs]
            sig = s.youngs_modulus * e / (1 - s.poisson_ratio) / 1e6
            cols.update(sei_strain_max=e.max(axis=1), sei_strain_min=e.min(axis=1), sei_stress_max_MPa=sig.max(axis=1),
                        sei_stress_min_MPa=sig.min(axis=1))
        keys, table = list(cols), np.column_stack(list(cols.values())).tolist()
        return [dict(zip(keys, r)) for r in table]

    def _field(self, region: str, key: str, theta: np.ndarray, u: np.ndarray) -> np.ndarray:
        S_th, S_u, s0 = self.stress[(region, key)]
        return theta @ S_th.T + u @ S_u.T + s0


def colours(cell_dofs: np.ndarray, size: int) -> list[np.ndarray]:
    """Classes of the dofs 0..size-1 such that no two dofs of a class share a cell (greedy
    colouring of the graph of dofs that share a cell; `cell_dofs`: the dofmap, cells x dofs)."""
    neighbours: list[set[int]] = [set() for _ in range(size)]
    for row in cell_dofs:
        for d in row:
            neighbours[d].update(row)
    colour = np.full(size, -1)
    for d in range(size):
        used = {colour[x] for x in neighbours[d] if x != d}
        colour[d] = next(c for c in range(size) if c not in used)
    return [np.flatnonzero(colour == c) for c in range(colour.max() + 1)]

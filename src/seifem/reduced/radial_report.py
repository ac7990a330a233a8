"""Output of the 1D radial twin (`reduced.radial.RadialProblem`, mixed in): the DG fields
theta, sigma_r, sigma_t (MPa) per region, the history row with the keys and units of
`Quantities.scalars()`, and nodal profiles in r."""

from __future__ import annotations

import numpy as np
from dolfinx import fem

from seifem.units import SCALES

__all__ = ["GPA_TO_MPA", "RadialOutput"]

GPA_TO_MPA = SCALES.stress / 1e6


class RadialOutput:
    """The output methods of `RadialProblem` (its mesh, spaces, regions and fields)."""

    def _setup_output(self) -> None:
        self.S = fem.functionspace(self.mesh, ("Discontinuous Lagrange", self.design.degree))
        X = self.S.element.interpolation_points
        self.cells = {n: self.cell_tags.find(i + 1) for i, n in enumerate(self.regions)}
        # plastic regions: their stresses live at quadrature points (`radial_nonlinear`)
        self._plastic_regions = self.mechanics.regions if self.mechanics is not None else []
        self._expr = {n: [fem.Expression(s * GPA_TO_MPA, X) for s in self.stresses(n)] for n in self.regions
                      if n not in self._plastic_regions}
        self._theta_expr = fem.Expression(self.theta, X)
        self.fields = {k: fem.Function(self.S) for k in ("theta", "sigma_r", "sigma_t")}
        dm = self.S.dofmap.list
        self.dofs = {n: np.unique(dm[c].ravel()) for n, c in self.cells.items()}
        self._inv = fem.form(self.theta * self.r**2 * self.dx(1))  # also used by soc()
        if self.design.finite_strain:  # (det F - 1) r^2 = (r + u)^2 (1 + u') - r^2
            self._dvol = fem.form(((self.r + self.u) ** 2 * (1 + self.u.dx(0)) - self.r**2) * self.dx)
        else:
            self._dvol = fem.form(sum((u.dx(0) * self.r**2 + 2 * u * self.r) * self.dx(i + 1)
                                      for i, u in enumerate(self._u(n) for n in self.regions)))
        self._r_dofs = self.V.tabulate_dof_coordinates()[:, 0]
        self._sx = self.S.tabulate_dof_coordinates()[:, 0]
        rt = self.Vt.tabulate_dof_coordinates()[:, 0]
        self._surf_dofs = [int(np.argmin(np.abs(rt - self.breaks[t - 1]))) for t in self.flux_tags]
        self._sei_dofs = [int(np.argmin(np.abs(self._r_dofs - self.breaks[t - 1]))) for t in self.sei_tags]
        mid = self._sx[dm].mean(axis=1)
        self._profile_order = np.concatenate([c[np.argsort(self._sx[c], kind="stable")] for c in dm[np.argsort(mid)]])

    # ------------------------------------------------------------------ output
    def _update_fields(self) -> None:
        f = self.fields
        for k in f:
            f[k].x.array[:] = 0.0
        f["theta"].interpolate(self._theta_expr, cells0=self.cells["core"])
        dm = self.S.dofmap.list
        for n in self.regions:
            if n in self._plastic_regions:  # extrapolated per cell from the quadrature points
                for k, vals in zip(("sigma_r", "sigma_t"), self.mechanics.nodal_stresses(n, self.S)):
                    f[k].x.array[dm[self.cells[n]]] = vals
                continue
            for k, e in zip(("sigma_r", "sigma_t"), self._expr[n]):
                f[k].interpolate(e, cells0=self.cells[n])

    def scalars(self) -> dict[str, float]:
        """History row with the keys and units of `Quantities.scalars()` (full particle)."""
        self._update_fields()
        inv, L = self._integral(self._inv), SCALES.length
        out = {"soc": inv / self.core_volume, "ions_mol": self.c_max * inv * L**3 * 4 * np.pi,
               "volume_change": float(fem.assemble_scalar(self._dvol)) / self.total_volume}
        surf = self.theta.x.array[self._surf_dofs]
        out["surface_soc_max"], out["surface_soc_min"] = float(surf.max()), float(surf.min())
        area = np.array([self.breaks[t - 1] for t in self.flux_tags]) ** 2  # per steradian
        out["surface_soc_mean"] = float((surf * area).sum() / area.sum())
        for n in self.regions:
            sr, st = (self.fields[k].x.array[self.dofs[n]] for k in ("sigma_r", "sigma_t"))
            if n in self._plastic_regions:  # the extremes at the quadrature points too (a kink at the front)
                qp = self.mechanics.quadrature_stresses(n)
                sr, st = (np.concatenate([a, q.ravel()]) for a, q in zip((sr, st), qp))
            out.update({f"{n}_sr_max_MPa": sr.max(), f"{n}_sr_min_MPa": sr.min(), f"{n}_st_max_MPa": st.max(),
                        f"{n}_st_min_MPa": st.min(), f"{n}_vm_max_MPa": np.abs(sr - st).max(),
                        f"{n}_p1_max_MPa": np.maximum(sr, st).max()})
        if self.mechanics is not None:
            out.update(self.mechanics.scalars())
        if self.interface is not None:
            out.update(self.interface.scalars())
        elif len(self.regions) > 1:  # core side of the interface: t_n = sigma_r, no shear by symmetry
            core = self.dofs["core"]
            tn = self.fields["sigma_r"].x.array[core[np.abs(self._sx[core] - self.breaks[1]) < 1e-9 * self.breaks[1]]]
            out.update(interface_tn_max_MPa=tn.max(), interface_tn_min_MPa=tn.min(), interface_ts_max_MPa=0.0)
        if self.design.sei is not None:
            s = self.design.sei
            e = self.u.x.array[self._sei_dofs] / self._r_dofs[self._sei_dofs]
            if self.design.finite_strain:  # Green-Lagrange, St Venant-Kirchhoff (as 3D)
                e = e + e * e / 2
            sig = s.youngs_modulus * e / (1 - s.poisson_ratio) / 1e6
            out.update(sei_strain_max=e.max(), sei_strain_min=e.min(), sei_stress_max_MPa=sig.max(),
                       sei_stress_min_MPa=sig.min())
        return {k: float(v) for k, v in out.items()}

    def profiles(self) -> dict[str, np.ndarray]:
        """Nodal profiles of the DG fields, ascending in r, both sides of each interface:
        r (m), theta (0 outside the core), sigma_r, sigma_t (Pa), u (m). Same on every rank."""
        self._update_fields()
        o, L = self._profile_order, SCALES.length
        u = fem.Function(self.S)
        for n in self.regions:
            u.interpolate(self._u(n), cells0=self.cells[n])
        return {"r": self._sx[o] * L, "theta": self.fields["theta"].x.array[o].copy(),
                "sigma_r": self.fields["sigma_r"].x.array[o] * 1e6, "sigma_t": self.fields["sigma_t"].x.array[o] * 1e6,
                "u": u.x.array[o] * L}

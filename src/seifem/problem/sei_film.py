"""The growing SEI of a 3D run: thickness per cell under the film, growth by a chosen law
(`sei_growth`), fresh film where it failed or the surface opened up, and the lithium it
takes from the particle.

Each cell that carries SEI facets holds the film's state as cell-wise (DG0) functions, so
checkpoints keep it: thickness (the membrane's, in um), covered area, spalled ("dead") SEI
volume and the failure flag. Before a time step the film grows over dt with the failure
flags and surface stretch at the step's start (exact update of the growth law); the
lithium consumed leaves the particle through its flux surface during that step, so ions in
the particle + ions in the SEI = ions applied, step by step. Where the film fails it is
replaced by fresh SEI that is stress-free in the current shape (its reference strain is
reset), following docs/physics.md "SEI and coating".

Laws (`sei.growth`): "solvent-diffusion" (sqrt(t)) and "reaction-limited" (linear in t at
a constant SEI overpotential eta = phi_s - phi_e - U_sei, with phi_s - phi_e from
`sei.electrode_potential`). Hook for a voltage model: set `electrode_potential` (V) before
each step, or pass `eta` to `grow`; `film_resistance()` gives the area-specific film
resistance L R_sei (Ohm m^2) for its i R_film term (the mean thickness is also in the history).
The law runs at the case's temperature (`physics.temperature`, Arrhenius factor).

Under inelastic SEI layers (`problem.sei_layered_3d`, the 1D twin's model) the thickness is the
layered membrane's reference thickness and grows by the law alone: the single film's failure
reset and stretch thinning do not apply (the layers crack by their own law; cracking layers are
not combined with growth in 3D), so the lithium taken per cell is z A_0 delta L / V, as the 1D
twin's `physics.sei_cracks.CrackedFilm` with nothing cracked.
"""

from __future__ import annotations

import numpy as np
import ufl
from dolfinx import fem
from dolfinx.fem import petsc as fpetsc
from mpi4py import MPI

from seifem.physics.sei_growth import SEIGrowth, SEIGrowthParameters, sei_overpotential
from seifem.units import SCALES

__all__ = ["SEIFilm", "LAW_OF_CHOICE"]

_L = SCALES.length

LAW_OF_CHOICE = {"solvent-diffusion": "solvent-diffusion", "reaction-limited": "reaction"}
"""`sei.growth` case values -> `sei_growth` law names."""


class SEIFilm:
    """Film state and growth on the SEI cells owned by this rank (see the module docstring)."""

    def __init__(self, problem, quantities, growth: str, params: SEIGrowthParameters | None = None):
        p, mesh = problem, problem.geo.mesh
        self.p, self.law = p, LAW_OF_CHOICE[growth]
        self.layered = p.layered is not None  # inelastic layers: growth by the law alone (module docstring)
        self.electrode_potential = p.case.sei_potential  # V, phi_s - phi_e (constant until a voltage model sets it)
        sei = p.case.sei.material  # the case's film resistivity (library value or override)
        self.params = params or SEIGrowthParameters(
            initial_thickness=p.case.sei.thickness,
            **({"resistivity": sei.si("resistivity")} if "resistivity" in sei.values else {}))
        tdim = mesh.topology.dim
        facets = np.concatenate([p.geo.facets(n) for n in p.sei_surfaces]).astype(np.int32)
        ent = np.asarray(fem.compute_integration_domains(fem.IntegralType.exterior_facet, mesh.topology, facets),
                         dtype=np.int32).reshape(-1, 2)
        ent = ent[ent[:, 0] < mesh.topology.index_map(tdim).size_local]  # each cell by its owner
        self.entities = ent
        self.cells, self.owner = np.unique(ent[:, 0], return_inverse=True)
        self.expr = quantities._sei[0]  # [e1, e2, s1, s2, util_e, util_w, crack, area_ratio] per point
        DG0 = p.sei_h.function_space
        v = ufl.TestFunction(DG0)
        area = fpetsc.assemble_vector(fem.form(sum(v * p.geo.ds(n) for n in p.sei_surfaces)))
        self.area0 = area.array[self.cells].copy() * _L**2  # m^2 of film per cell (modelled part)
        area.destroy()
        self.area = fem.Function(DG0, name="sei_area_m2")
        self.dead = fem.Function(DG0, name="sei_dead_volume_m3")
        self.failed = fem.Function(DG0, name="sei_failed")
        self.area.x.array[self.cells] = self.area0
        self._strain_expr = fem.Expression(p.surface_strain(), p.sei_ref.function_space.element.interpolation_points)
        p.extra_state.update(sei_area=self.area, sei_dead=self.dead, sei_failed=self.failed)

    def _per_cell(self, values: np.ndarray, reduce) -> np.ndarray:
        out = np.full(len(self.cells), -np.inf if reduce is np.maximum else 0.0)
        reduce.at(out, self.owner, values)
        return out

    def overpotential(self) -> float:
        """SEI overpotential eta = phi_s - phi_e - U_sei (V) of the reaction-limited law; the
        film's ohmic drop j L R_sei joins it with a voltage model (the current is not known here)."""
        return float(sei_overpotential(self.electrode_potential, self.params))

    def film_resistance(self) -> float:
        """Area-specific film resistance L_mean R_sei (Ohm m^2), for a voltage model's i R_film
        (collective)."""
        return self.thickness_nm()[0] * 1e-9 * self.params.resistivity

    def grow(self, dt: float, eta: float | None = None) -> float:
        """Grow the film over dt (s) at SEI overpotential eta (V; default `overpotential()`);
        return the lithium it took (mol, whole particle)."""
        p = self.p
        if self.layered:
            failed, area_ratio = None, None
        else:
            vals = self.expr.eval(p.geo.mesh, self.entities).reshape(len(self.entities), -1, 8)
            worst = np.nan_to_num(vals[:, :, 4:7], nan=0.0).max(axis=(1, 2))
            failed = self._per_cell(worst, np.maximum) >= 1.0
            counts = np.bincount(self.owner, minlength=len(self.cells))
            area_ratio = self._per_cell(vals[:, :, 7].mean(axis=1), np.add) / counts
        g = SEIGrowth(self.area0, self.params, self.law)
        g.L = p.sei_h.x.array[self.cells] * _L
        g.area = self.area.x.array[self.cells].copy()
        g.dead_volume = self.dead.x.array[self.cells].copy()
        g.failed = self.failed.x.array[self.cells] > 0.5
        new = failed & ~g.failed if failed is not None else np.zeros(len(self.cells), dtype=bool)
        dn = g.step(dt, eta=self.overpotential() if eta is None else eta, temperature=p.case.physics.temperature,
                    area_ratio=area_ratio, failed=failed)
        p.sei_h.x.array[self.cells] = g.L / _L
        self.area.x.array[self.cells] = g.area
        self.dead.x.array[self.cells] = g.dead_volume
        self.failed.x.array[self.cells] = g.failed.astype(float)
        if p.comm.allreduce(int(new.any()), op=MPI.MAX):  # fresh film: stress-free in today's shape
            strain = fem.Function(p.sei_ref.function_space)
            strain.interpolate(self._strain_expr, cells0=self.cells[new])
            blocks = p.sei_ref.function_space.dofmap.list[self.cells[new]].ravel()
            idx = (blocks[:, None] * 9 + np.arange(9)).ravel()
            p.sei_ref.x.array[idx] = strain.x.array[idx]
        for f in (p.sei_h, p.sei_ref, self.area, self.dead, self.failed):
            f.x.scatter_forward()
        p.update_sei()
        return p.comm.allreduce(float(dn.sum()), op=MPI.SUM) * p.geo.symmetry_factor

    def thickness_nm(self) -> tuple[float, float]:
        """Area-weighted mean and largest film thickness (nm)."""
        p = self.p
        h, a = p.sei_h.x.array[self.cells] * _L * 1e9, self.area.x.array[self.cells]
        num, den = p.comm.allreduce(float((h * a).sum()), op=MPI.SUM), p.comm.allreduce(float(a.sum()), op=MPI.SUM)
        hmax = p.comm.allreduce(float(h.max()) if h.size else 0.0, op=MPI.MAX)
        return num / den if den else 0.0, hmax

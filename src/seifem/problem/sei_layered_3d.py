"""Inelastic SEI layers in the 3D membrane solve: the layered state of
`physics.sei_layer_state` per SEI cell, as the 2D twin's (`reduced.axisym_membrane`) is per
particle.

Each owned cell under the membrane holds its own `LayeredMembraneState` (the layers inside out,
each with its law: elastic, standard linear solid, elastic-perfectly-plastic), driven by the
cell's equibiaxial surface strain e = tr(P eps P)/2 averaged over its SEI facets. Over a step of
length dt the membrane's resultant is affine in the end-of-step strain, N = S e - T (S [N/m]
the layers' summed biaxial tangent stiffness, T [N/m] their prestress), and enters the linear
elasticity solve as the in-plane resultants

    N = S/(1 + nu) [(1 - nu) e_s + nu tr(e_s) P] - T P,      e_s = P eps(u) P,

(nu the SEI's Poisson ratio), which reduces to N = S e - T under an equibiaxial stretch: the
film term of the operator with h E = S (1 - nu) per cell, and T P : e_s(v) on the right-hand
side. S and T are set per step from the state at the step's start (implicit in e, as in the
twins); the plastic layers' yield status is an active set (solve, return-map every cell, solve
again while a status changed, at most `MAX_ACTIVE_SET` times); the step commits the state.

SEI growth (`sei.growth`, `problem.sei_film.SEIFilm` growing the thickness per cell, as the 1D
twin's `simulation.cycle_cell.Cell` does per particle): the layers keep their thickness; the SEI
grown since the start, h_g = h - h_0 per cell, is an extra elastic outermost part with the moduli
of the case's SEI material, each increment stress-free at the cell's surface strain of the last
committed step (`LayeredMembraneState.grow`), so the membrane stiffens as the film thickens. The
thickness is the membrane's reference thickness, as in the 1D twin (the film's stretch does not
thin it, unlike the single equivalent film).

Scope (refused before meshing, `case.sei_layers.check_laws_in_3d`): small-strain linear
mechanics of the octant or full particle, no fracture or cohesive interface, one-way coupling; a
layer with a `strength` (cracking) not with growth. A layer with a `strength` cracks per cell by
the Weibull law of `physics.sei_layer_state` (its stiffness (1 - D) M); the others stay intact
(their peaks are recorded). The layers' internal variables and the grown part (h_g, the
integral I of the formation strain over it) are DG0 functions in the problem's state, so
checkpoints and restarts keep them.
"""

from __future__ import annotations

import logging

import numpy as np
import ufl
from dolfinx import fem
from dolfinx.fem import petsc as fpetsc
from mpi4py import MPI
from petsc4py import PETSc

from seifem.physics import mechanics as mech
from seifem.physics.membrane import membrane_strain, projector
from seifem.physics.sei_inelastic import biaxial
from seifem.physics.sei_layer_state import LayeredMembraneState
from seifem.units import SCALES

log = logging.getLogger(__name__)

__all__ = ["MAX_ACTIVE_SET", "LayeredFilm3D"]

MAX_ACTIVE_SET = 6
"""Largest number of re-solves for the plastic layers' yield statuses in one step."""
_VARS = ("q", "e_p", "e", "peak", "status", "damage")
"""Each layer's internal variables (`physics.sei_layer_state.LayerState`), kept per cell in checkpoints."""
_GROWN = ("grown_thickness", "grown_formed")
"""The grown SEI's state (`LayeredMembraneState`): h_g [m], I [m], kept per cell in checkpoints."""


def _assembled(form):
    """A DG0 vector assembled over facets, with the ghost cells' contributions added to their owners."""
    b = fpetsc.assemble_vector(form)
    b.ghostUpdate(addv=PETSc.InsertMode.ADD, mode=PETSc.ScatterMode.REVERSE)
    return b


class LayeredFilm3D:
    """Per-cell layered inelastic membrane of a `ParticleProblem` (see the module docstring).
    `stiffness` (h E = S (1 - nu), GPa um) and `prestress` (T, GPa um) are DG0 functions the
    problem's elasticity forms use."""

    def __init__(self, p, layers, laws):
        mesh = p.geo.mesh
        self.p, self.nu = p, p.sei[2]
        DG0 = fem.functionspace(mesh, ("DG", 0))
        self.stiffness = fem.Function(DG0, name="sei_layer_stiffness")
        self.prestress = fem.Function(DG0, name="sei_layer_prestress")
        v, n = ufl.TestFunction(DG0), ufl.FacetNormal(mesh)
        ds = sum((p.geo.ds(s) for s in p.sei_surfaces[1:]), p.geo.ds(p.sei_surfaces[0]))
        area = _assembled(fem.form(v * ds))
        n_local = mesh.topology.index_map(mesh.topology.dim).size_local
        self.cells = np.flatnonzero(area.array[:n_local] > 0).astype(np.int32)
        self.area = area.array[self.cells].copy()  # um^2 of film per owned cell
        area.destroy()
        self._strain = fem.form(0.5 * ufl.tr(membrane_strain(mech.eps(p.u), n)) * v * ds)
        damaging = any(L.strength for L in layers)  # layers with a strength crack (Weibull), the others never
        mat = p.case.sei.material  # the grown SEI's moduli (the layers keep theirs), as the 1D twin's
        grown = biaxial(mat.si("youngs_modulus"), mat.si("poisson_ratio"))
        self.growing = p.case.sei_growth != "none"
        self.h0 = p.sei[0]  # the film's initial thickness [um]; p.sei_h - h0 is the grown SEI
        self.states = [LayeredMembraneState.of(layers, laws, damaging=damaging, grown_modulus=grown)
                       for _ in self.cells]
        self.names = [L.name or f"layer{i + 1}" for i, L in enumerate(layers)]
        self.stresses = np.zeros((len(self.cells), len(layers)))  # intact stress per cell and layer [Pa]
        self._scale = SCALES.stress * SCALES.length
        # the state as DG0 functions too, so checkpoints keep it (read back before every step)
        self.state = {f"sei_{n}_{var}": fem.Function(DG0, name=f"sei_{n}_{var}") for n in self.names for var in _VARS}
        self.state.update({f"sei_{var}": fem.Function(DG0, name=f"sei_{var}") for var in _GROWN})
        p.extra_state.update(self.state)
        self._store()

    def _store(self) -> None:
        for i, n in enumerate(self.names):
            for var in _VARS:
                f = self.state[f"sei_{n}_{var}"]
                f.x.array[self.cells] = [getattr(m.layers[i], var) for m in self.states]
                f.x.scatter_forward()
        for var in _GROWN:
            f = self.state[f"sei_{var}"]
            f.x.array[self.cells] = [getattr(m, var) for m in self.states]
            f.x.scatter_forward()

    def _load(self) -> None:
        for i, n in enumerate(self.names):
            for var in _VARS:
                values = self.state[f"sei_{n}_{var}"].x.array[self.cells]
                for m, x in zip(self.states, values):
                    setattr(m.layers[i], var, round(x) if var == "status" else float(x))
        for var in _GROWN:
            for m, x in zip(self.states, self.state[f"sei_{var}"].x.array[self.cells]):
                setattr(m, var, float(x))

    def _grow(self) -> None:
        """The film thickened (`problem.sei_film.SEIFilm` set p.sei_h): each cell's grown part
        takes the new SEI, stress-free at the cell's surface strain of the last committed step."""
        h = (self.p.sei_h.x.array[self.cells] - self.h0) * SCALES.length  # grown thickness [m]
        for m, hg in zip(self.states, h):
            m.grow(hg - m.grown_thickness, m.layers[0].e if m.layers else 0.0)

    # ------------------------------------------------------------------ forms
    def forms(self, u, v, ds):
        """(bilinear, linear) membrane terms on the measure ds for trial u and test v."""
        n = ufl.FacetNormal(self.p.geo.mesh)
        P, es_u, es_v = projector(n), membrane_strain(u, n), membrane_strain(v, n)
        nu = self.nu
        a = self.stiffness / (1 - nu**2) * ufl.inner((1 - nu) * es_u + nu * ufl.tr(es_u) * P, es_v) * ds
        return a, self.prestress * ufl.inner(P, es_v) * ds

    # ------------------------------------------------------------------ stepping
    def strains(self) -> np.ndarray:
        """Cell-mean equibiaxial surface strain [-] of every owned SEI cell."""
        b = _assembled(self._strain)
        out = b.array[self.cells] / self.area
        b.destroy()
        return out

    def _set(self, dt: float) -> bool:
        """S, T of every cell for a step dt [s]; True if the stiffness changed (reassemble)."""
        ST = np.array([m.resultant(dt) for m in self.states]).reshape(-1, 2) / self._scale
        S = ST[:, 0] * (1 - self.nu)
        changed = not np.array_equal(S, self.stiffness.x.array[self.cells])
        self.stiffness.x.array[self.cells] = S
        self.prestress.x.array[self.cells] = ST[:, 1]
        for f in (self.stiffness, self.prestress):
            f.x.scatter_forward()
        return bool(self.p.comm.allreduce(int(changed), op=MPI.MAX))

    def step(self, dt: float, solve, reassemble) -> int:
        """The elasticity solve of a step dt [s] (`solve()`; `reassemble()` the operator): the
        layers' resultant, the plastic active set, the state committed. Returns the re-solves."""
        if self.prepare(dt):
            reassemble()
        solve()

        def resolve(changed: bool) -> None:
            if changed:
                reassemble()
            solve()

        return self.finish(dt, resolve)

    def prepare(self, dt: float) -> bool:
        """Before the step's solve (the state read back from its functions, which a checkpoint may
        have restored); True if the operator must be reassembled."""
        self._load()
        if self.growing:
            self._grow()
        return self._set(dt)

    def finish(self, dt: float, resolve) -> int:
        """After the step's solve: the plastic active set (`resolve(reassemble)` solves again),
        then commit. Returns the number of re-solves."""
        for k in range(MAX_ACTIVE_SET):
            e = self.strains()
            changed = int(any([m.statuses(x) for m, x in zip(self.states, e)]))  # noqa: C419 (all update)
            if not self.p.comm.allreduce(changed, op=MPI.MAX):
                break
            resolve(self._set(dt))
        else:
            k = MAX_ACTIVE_SET
            log.warning("SEI layers: the plastic yield statuses still changed after %d re-solves; the step keeps "
                        "the last (try a smaller solver.dt)", MAX_ACTIVE_SET)
        e = self.strains()
        self.stresses = np.array([m.commit(x, dt) for m, x in zip(self.states, e)]).reshape(len(e), -1)
        self._store()
        return k

    # ------------------------------------------------------------------ output
    def layer_scalars(self) -> dict:
        """Per layer: largest and smallest intact stress now and the largest so far [MPa], and the
        largest damage (cracked area fraction) [-], over the SEI cells (collective)."""
        comm, out = self.p.comm, {}
        for i, name in enumerate(self.names):
            s = self.stresses[:, i] if len(self.cells) else np.zeros(0)
            peak = max((m.layers[i].peak for m in self.states), default=-np.inf)
            out[f"{name}_stress_max_MPa"] = comm.allreduce(float(s.max(initial=-np.inf)), op=MPI.MAX) / 1e6
            out[f"{name}_stress_min_MPa"] = comm.allreduce(float(s.min(initial=np.inf)), op=MPI.MIN) / 1e6
            out[f"{name}_peak_stress_MPa"] = comm.allreduce(float(peak), op=MPI.MAX) / 1e6
            damage = max((m.layers[i].damage for m in self.states), default=0.0)
            out[f"{name}_damage_max"] = comm.allreduce(float(damage), op=MPI.MAX)
        if self.growing:  # the grown SEI's mean stress at the committed strain
            g = np.array([m.grown_stress(m.layers[0].e) for m in self.states]) if self.states else np.zeros(0)
            out["grown_stress_max_MPa"] = comm.allreduce(float(g.max(initial=-np.inf)), op=MPI.MAX) / 1e6
            out["grown_stress_min_MPa"] = comm.allreduce(float(g.min(initial=np.inf)), op=MPI.MIN) / 1e6
        return out

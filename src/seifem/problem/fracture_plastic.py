"""J2 plasticity inside the phase-field fracture solve (`problem.fracture`), small strain.

A region with a yield stress sigma_Y carries a plastic strain eps_p at quadrature points. The
return is made on the *effective* (undamaged) stress, by the closed-form radial return of
`physics.plasticity`:

    eps_e_trial = eps - eps_p_n,  (d_eps_p, dgamma) = radial_return(eps_e_trial; E, nu, sigma_Y),
    eps_e = eps_e_trial - d_eps_p,  sigma = g(d) dpsi+/deps_e + dpsi-/deps_e  (`phase_field`),

so the damage degrades the tensile/deviatoric part of the stress after the return, and with
it the yield stress of the damaged material (g(d) sigma_Y): plasticity in the effective-stress
space, as in Miehe, Hofacker, Schaenzel & Aldakheel, CMAME 294, 486 (2015) (where hardening
and a plastic-work term also drive the damage; neither is modelled here). Since
J2 flow is deviatoric, tr eps_e = tr eps_e_trial: the volumetric split is untouched by it.

The damage is driven by the elastic tensile energy psi+(eps_e) alone, not by the plastic
work (a standard choice: a perfectly plastic region whose elastic energy stays below the AT1
threshold 3 G_c / (16 l) yields without cracking). The plastic dissipation
int sigma : d eps_p dx (backward Euler, the converged stress of the step; the trapezoidal rule
when the caller passes the last accepted state, as the particle does) is summed at each
accepted step, so elastic + crack + plastic dissipation = external work. The u-problem has
no potential here: its residual is int sigma : eps(v) dx, whose UFL derivative is the
consistent (symmetric) tangent. 3 x 3 strains only (3D; the axisymmetric twin's strain).

Newton on u takes the secant (l2) line search with plastic regions: when a crack runs through
a region that has flowed (the 2D twin's coated Si particle on delithiation, the step in which
d jumps from 0.1 to 1), the full Newton step overshot (|F| 5e-5 -> 6.9 -> divergence) without
one and a backtracking search crawled (steps of 1e-2, 30 iterations, no convergence); l2
converged in a few iterations. Inside the broken band (d ~ 1) the effective strain keeps
flowing, so the plastic strain there measures the crack's opening over the band's width
(values of order 1-10) while the dissipation the degraded stress does on it stays small.

Quadrature: each plastic region keeps eps_p on the rule of its `Region.quadrature_degree`
(default: the solver's, 2 (k_u - 1)). With `Region.volumetric_degree` (B-bar, selective reduced
integration, as the 2D twin's plasticity `reduced.axisym_plastic`) the residual is split into
the deviatoric work int dev(sigma) : eps(v) on that rule and the mean stress's work
int sigma_m tr eps(v) on the rule of `volumetric_degree`, with sigma_m = tr(sigma)/3 computed
from the strain without the return (J2 flow is traceless, so the degraded split's mean stress
g(d) K <tr eps_e>+ + K <tr eps_e>- needs no plastic strain).
"""

from __future__ import annotations

import basix.ufl
import ufl
from dolfinx import fem
from mpi4py import MPI

from seifem.physics.plasticity import radial_return

__all__ = ["PlasticRegions"]


class PlasticRegions:
    """The plastic regions (those with `Region.yield_stress`) of a staggered phase-field solve:
    u the displacement, d the damage, regions name -> Region, qdeg the quadrature degree of
    the solve's volume forms (the plastic strain lives at those points)."""

    def __init__(self, u: fem.Function, d: fem.Function, regions: dict, qdeg: int, k: float):
        self.u, self.d, self.regions = u, d, regions
        self.names = [n for n, r in regions.items() if r.yield_stress is not None]
        self.qdeg = qdeg  # the default (3D: every region's; the outputs sample the history there)
        self.degrees = {n: regions[n].quadrature_degree or qdeg for n in self.names}
        self.history: dict[str, fem.Function] = {}
        self._strain, self._increment, self._updates, self._scratch = {}, {}, {}, {}
        self.dissipation = 0.0
        mesh = u.function_space.mesh
        self.comm = mesh.comm
        for name in self.names:
            r = regions[name]
            if r.finite:
                raise ValueError(f"region {name!r}: plasticity with fracture is solved at small strain")
            strain = r.strain(u)
            if strain.ufl_shape != (3, 3):
                raise ValueError(f"region {name!r}: plasticity with fracture needs a 3 x 3 strain (3D)")
            Q = fem.functionspace(mesh, basix.ufl.quadrature_element(mesh.basix_cell(), value_shape=(3, 3),
                                                                      degree=self.degrees[name]))
            eps_p = fem.Function(Q, name=f"plastic_strain_{name}")
            self.history[eps_p.name] = eps_p
            _, deps, _ = radial_return(strain, eps_p, r.E, r.nu, r.yield_stress)
            self._strain[name] = strain - eps_p - deps
            self._increment[name] = deps
            self._updates[eps_p] = fem.Expression(eps_p + deps, Q.element.interpolation_points)
            self._scratch[eps_p] = fem.Function(Q)
        self._forms = None

    def metadata(self, name: str) -> dict:
        """The quadrature metadata of a plastic region's forms (its history points)."""
        return {"quadrature_degree": self.degrees[name]}

    def mean_stress(self, name: str, stress):
        """tr(sigma) / 3 of a region without the return (UFL; J2 flow is traceless, so the mean
        stress needs no plastic strain): the B-bar's volumetric part. stress(name, eps_e): the
        solver's stress of an elastic strain."""
        return ufl.tr(stress(name, self.regions[name].strain(self.u))) / 3

    def residual(self, v, stress):
        """The plastic regions' part of the u-residual (UFL): int sigma : eps(v) w dx on each
        region's rule; with `volumetric_degree`, int dev(sigma) : eps(v) w dx there plus
        int sigma_m tr eps(v) w dx on the lower rule (B-bar, `mean_stress`). stress(name[, eps_e]):
        the solver's Cauchy stress of a region (after the return by default)."""
        F = 0
        for name in self.names:
            r = self.regions[name]
            ev = ufl.derivative(r.strain(self.u), self.u, v)
            dxq = r.dx(metadata=self.metadata(name))
            if r.volumetric_degree is None:
                F = F + ufl.inner(stress(name), ev) * r.weight * dxq
                continue
            F = F + ufl.inner(ufl.dev(stress(name)), ev) * r.weight * dxq
            vol = r.dx(metadata={"quadrature_degree": r.volumetric_degree})
            F = F + self.mean_stress(name, stress) * ufl.tr(ev) * r.weight * vol
        return F

    def elastic_strain(self, name: str):
        """The elastic strain of a region (UFL): after the return in a plastic region, the
        region's strain otherwise."""
        return self._strain[name] if name in self._strain else self.regions[name].strain(self.u)

    def plastic_strain(self, name: str) -> fem.Function:
        """eps_p of the last accepted step (quadrature function)."""
        return self.history[f"plastic_strain_{name}"]

    def commit(self, stress, previous: dict | None = None) -> None:
        """Accept the step: add int sigma : d eps_p dx to the dissipation (stress(name): the
        region's Cauchy stress, UFL), then move eps_p on. Collective. `previous` None: sigma the
        step's converged stress (backward Euler); else a map of the fields the stress depends on
        besides eps_p (u, d, the concentration) to copies holding the last accepted state, and
        sigma is 1/2 (sigma_n + sigma): the trapezoidal rule, second order in the step where the
        damage lowers the flow stress g(d) sigma_Y within it (BE is first order there)."""
        if not self.names:
            return
        if self._forms is None:

            def s(n):
                return stress(n) if previous is None else 0.5 * (stress(n) + ufl.replace(stress(n), previous))

            self._forms = [fem.form(ufl.inner(s(n), self._increment[n]) * self.regions[n].weight
                                    * self.regions[n].dx(metadata=self.metadata(n))) for n in self.names]
        self.dissipation += sum(self.comm.allreduce(fem.assemble_scalar(f), op=MPI.SUM) for f in self._forms)
        for name in self.names:  # on the region's cells only: elsewhere its history stays zero
            f, cells = self.history[f"plastic_strain_{name}"], self.regions[name].cells
            self._scratch[f].interpolate(self._updates[f], cells0=cells)
        for f, g in self._scratch.items():
            f.x.array[:] = g.x.array
            f.x.scatter_forward()

    def max_plastic_strain(self) -> float:
        """Largest equivalent plastic strain sqrt(2/3 eps_p : eps_p) over the quadrature points
        of all plastic regions (0 without any). Collective."""
        local = 0.0
        for name in self.names:
            f, cells = self.history[f"plastic_strain_{name}"], self.regions[name].cells
            a = f.x.array.reshape(-1, 9)
            if cells is not None:
                a = a[f.function_space.dofmap.list[cells].ravel()]
            if a.size:
                local = max(local, float(((2.0 / 3.0) * (a * a).sum(axis=1)).max() ** 0.5))
        return self.comm.allreduce(local, op=MPI.MAX)

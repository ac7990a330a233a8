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
        self.u, self.d, self.regions, self.qdeg = u, d, regions, qdeg
        self.names = [n for n, r in regions.items() if r.yield_stress is not None]
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
                                                                      degree=qdeg))
            eps_p = fem.Function(Q, name=f"plastic_strain_{name}")
            self.history[eps_p.name] = eps_p
            _, deps, _ = radial_return(strain, eps_p, r.E, r.nu, r.yield_stress)
            self._strain[name] = strain - eps_p - deps
            self._increment[name] = deps
            self._updates[eps_p] = fem.Expression(eps_p + deps, Q.element.interpolation_points)
            self._scratch[eps_p] = fem.Function(Q)
        self._forms = None

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
            md = {"quadrature_degree": self.qdeg}

            def s(n):
                return stress(n) if previous is None else 0.5 * (stress(n) + ufl.replace(stress(n), previous))

            self._forms = [fem.form(ufl.inner(s(n), self._increment[n]) * self.regions[n].weight
                                    * self.regions[n].dx(metadata=md)) for n in self.names]
        self.dissipation += sum(self.comm.allreduce(fem.assemble_scalar(f), op=MPI.SUM) for f in self._forms)
        for f, expr in self._updates.items():
            self._scratch[f].interpolate(expr)
        for f, g in self._scratch.items():
            f.x.array[:] = g.x.array
            f.x.scatter_forward()

    def max_plastic_strain(self) -> float:
        """Largest equivalent plastic strain sqrt(2/3 eps_p : eps_p) over the quadrature points
        of all plastic regions (0 without any). Collective."""
        local = 0.0
        for f in self.history.values():
            a = f.x.array.reshape(-1, 9)
            if a.size:
                local = max(local, float(((2.0 / 3.0) * (a * a).sum(axis=1)).max() ** 0.5))
        return self.comm.allreduce(local, op=MPI.MAX)

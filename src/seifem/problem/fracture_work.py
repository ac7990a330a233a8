"""The work of the chemical load on a fracturing particle (`problem.particle_fracture`), summed
over the accepted steps by the trapezoidal rule, so that

    elastic energy + crack energy = chemical work         (elastic regions)

holds to the step error of the rule (second order in the step).

Derivation (finite strain; the small-strain case is its limit). Per reference volume the
stored energy is W(F, theta, d) = J_ch [g(d) psi+(F_e) + psi-(F_e)] with F_e = F F_ch^-1,
F_ch = J_ch^(1/3) I, J_ch = 1 + beta (theta - theta0), and the crack energy C(d) is
int G_c / c_w (w(d) / l + l |Grad d|^2) dV. Along a solution,

    d/dt (int W dV + C) = int P : dF/dt dV + int dW/dtheta|_(F,d) dtheta/dt dV
                          + int (dW/dd + dC/dd) dd/dt dV.

The first term vanishes: the boundary is traction free or a symmetry plane, so the static
equilibrium int P : Grad v dV = 0 holds for v = du/dt. The third vanishes by the damage
problem's variational inequality (dd/dt >= 0 where the driving force balances the crack
resistance, dd/dt = 0 where it does not). What is left is the work of the swelling on the
body. With F fixed, dF_e / dJ_ch = -F_e / (3 J_ch), hence

    dW/dJ_ch = psi_d - (1/3) dpsi_d/dF_e : F_e = psi_d + J_e p,     p = -tr(sigma) / 3,

(psi_d = g psi+ + psi-, sigma = J_e^-1 dpsi_d/dF_e F_e^T the Cauchy stress): the new
material the swelling adds carries the energy density psi_d, and the pressure works on the
volume it adds. In the language of the multiplicative split the second term is
-J_ch dpsi_d/dF_e : (F_e F_ch^-1 dF_ch) / dJ_ch. At small strain psi_d is of second order
and the rate reduces to -sigma : d eps*/dt (= p beta dtheta/dt). With concentration-dependent
moduli dW/dtheta also holds dW/dE dE/dtheta; it is taken by UFL's derivative of the solver's
elastic energy in theta (`StaggeredPhaseField.elastic_ufl`), so every such term is in.

The discrete sum over a step n -> n+1 (theta, u, d at the two accepted states):

    work += 1/2 int [dW/dtheta(s_n) + dW/dtheta(s_n+1)] (theta_n+1 - theta_n) dV,

the trapezoidal rule on the piecewise-linear theta path. In a plastic region (small strain,
`problem.fracture_plastic`) the elastic strain is eps(u) - eps* - eps_p_n - d_eps_p(eps(u) -
eps* - eps_p_n); `commit()` runs before the plastic strain moves on, so at both states this is
the accepted elastic strain, and the derivative in theta is sigma : (-d eps*/dtheta) since the
return (deviatoric) does not see the isotropic eigenstrain's change (d d_eps_p / d eps_trial : I
= 0). Then elastic + crack energy + plastic dissipation = work. Concentration-dependent moduli in
a plastic region would also enter through the return: not covered. A membrane SEI (the film's
energy) is not in the sum.
The work is counted from the construction of the solver; `ParticleFracture` carries it in the
time state (snapshots, checkpoints), `rebase()` taking the restored state as the last accepted one.
"""

from __future__ import annotations

import ufl
from dolfinx import fem
from mpi4py import MPI

__all__ = ["ChemicalWork"]


class ChemicalWork:
    """The work int int dW/dtheta dtheta dV of the chemical load on a `StaggeredPhaseField`
    `solver` whose regions' energy depends on the concentration `theta` (P1 or P2 Function) and
    on `constants` that are part of the state (`fem.Constant`s, e.g. 2d-plane's axial strain),
    energy units of the model (GPa um^3 in a particle), summed by `commit()` over accepted
    states by the trapezoidal rule (above). Call `commit()` before the solver's own (plastic regions)."""

    def __init__(self, solver, theta: fem.Function, constants: tuple = ()):
        self.comm = solver.comm
        self.work = 0.0
        fields = [solver.u, solver.d, theta]
        self._fields, self._constants = fields, list(constants)  # constants: e.g. the axial strain of 2d-plane
        self._old = [f.copy() for f in fields]  # the last accepted state
        mesh = solver.u.function_space.mesh
        self._old_constants = [fem.Constant(mesh, c.value.copy()) for c in self._constants]
        self._step = fem.Function(theta.function_space)  # theta_n+1 - theta_n
        rate = ufl.derivative(solver.elastic_ufl, theta, self._step)
        self._new = fem.form(rate)
        self._prev = fem.form(ufl.replace(rate, self.previous))

    def _sum(self, form) -> float:
        return self.comm.allreduce(fem.assemble_scalar(form), op=MPI.SUM)

    @property
    def theta(self) -> fem.Function:
        """The concentration the work follows (the current load)."""
        return self._fields[2]

    @property
    def theta_accepted(self) -> fem.Function:
        """Its copy at the last accepted state (the start of the step's load path)."""
        return self._old[2]

    @property
    def previous(self) -> dict:
        """The fields (u, d, theta) -> their copies at the last accepted state (a `ufl.replace`
        map; e.g. for the plastic dissipation's trapezoidal rule, `PlasticRegions.commit`)."""
        return {**dict(zip(self._fields, self._old)), **dict(zip(self._constants, self._old_constants))}

    def increment(self) -> float:
        """The work of the step from the last accepted state to the current one (not added). Collective."""
        theta, theta_old = self._fields[2], self._old[2]
        self._step.x.array[:] = theta.x.array - theta_old.x.array
        return 0.5 * (self._sum(self._prev) + self._sum(self._new))

    def add(self) -> None:
        """Add the step from the last accepted state to the current one (the caller's newly
        accepted state, before its plastic strain moves on). Collective."""
        self.work += self.increment()

    def commit(self) -> None:
        """`add()`, then the current state becomes the last accepted one. Collective."""
        self.add()
        self.rebase()

    def rebase(self) -> None:
        """Take the current state as the last accepted one (e.g. after a restart)."""
        for f, g in zip(self._fields, self._old):
            g.x.array[:] = f.x.array
        for c, g in zip(self._constants, self._old_constants):
            g.value = c.value

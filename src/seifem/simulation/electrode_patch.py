"""The electrode patch as a model of the run loop: packing, mesh, mechanics in 3D and the
lithiation of every particle (`reduced.particles`), coupled one way.

Each particle diffuses radially with its own surface flux at the one electrode potential; its
filling fraction theta_i(r) is mapped to the cells of its region (the cell midpoint's distance
from the centre) as the eigenstrain Omega c_max (theta - theta_0) / 3 (stress-free at the
start); the patch's linear elasticity (`problem.electrode_patch`) then gives the thickness
change, the stresses per particle and in the binder, and the stack pressure.

Derived outputs (dimensionless unless stated):
    thickness_change   mean top displacement / T
    porosity           (eps_0 V_0 + Delta V_binder) / V: the volume change of the carbon-binder
                       domain goes to its pores (polymer and carbon taken as incompressible)
    stack_pressure_MPa -int sigma_zz dV / (T A): the mean traction on the top, exact for the
                       discrete solution (test field z e_z); with a free top ~0
    debonded_area_fraction  (cohesive interface) area of the particle-binder interface with
                       damage 1 (contact lost) over its area; per particle in particles.csv
    contact_fraction   (cohesive) per particle, interface area not debonded (D < 1) over its
                       interface area; at or below `electrode.contact_threshold` the particle is
                       electronically isolated (`isolated`): no flux from the next step on
    isolated_particles, isolated_capacity_fraction, trapped_charge_mAh
                       (cohesive) their count, their share of the patch's capacity and the
                       charge (mAh) of the lithium they hold
    surface_strain     per particle, (1 + Delta V_i / V_i)^(1/3) - 1: the mean in-plane strain
                       its surface (and an SEI film on it) takes, isotropic estimate
    sei_strain_util    surface_strain / the SEI's elastic strain limit (>= 1: the film cracks)
"""

from __future__ import annotations

import logging
import time

import numpy as np
from mpi4py import MPI

from seifem.case.electrode import ElectrodeCase, semi_axes
from seifem.errors import CaseError, GeometryError, SolverError
from seifem.reduced.particles import Kinetics, ParticleBank
from seifem.units import FARADAY, SCALES

__all__ = ["ElectrodeModel", "pack"]

log = logging.getLogger(__name__)


def pack(case: ElectrodeCase, comm: MPI.Comm):
    """The seeded packing, computed on rank 0 and broadcast (an error reaches every rank)."""
    from seifem.geometry.packing import pack_spheres

    L = SCALES.length
    result = None
    if comm.rank == 0:
        try:
            gap = (case.gap or case.radius / 10) + 2 * case.coating_thickness  # between the cores
            result = pack_spheres(case.thickness / L, case.width / L, case.active_fraction, case.radius / L,
                                  case.radius_sd, case.seed, gap / L, inflate=semi_axes(case.values)[2])
        except CaseError as exc:  # sent as its parts (it does not pickle), raised on every rank below
            result = ("CaseError", exc.key, exc.value, exc.allowed)
        except Exception as exc:  # noqa: BLE001 - re-raised on every rank below
            result = ("GeometryError", f"packing failed: {exc}")
    result = comm.bcast(result, root=0)
    if isinstance(result, tuple):
        raise CaseError(*result[1:]) if result[0] == "CaseError" else GeometryError(result[1])
    return result


class ElectrodeModel:
    """Geometry, mechanics and particle chemistry of an electrode case (collective)."""

    def __init__(self, case: ElectrodeCase, comm: MPI.Comm, on_meshed=None):
        """on_meshed: called with no argument once the mesh is distributed (benchmarks read the
        memory there)."""
        from dolfinx.mesh import compute_midpoints

        from seifem.geometry.electrode import build_electrode
        from seifem.problem.electrode_finite import FiniteElectrodePatch
        from seifem.problem.electrode_patch import ElectrodePatch
        from seifem.problem.electrode_visco import ViscoElectrodePatch

        self.case, self.comm = case, comm
        L, S = SCALES.length, SCALES.stress
        t0 = time.perf_counter()
        self.packing = p = pack(case, comm)
        pores = None
        if case.shape == "porous":
            from seifem.case.electrode_pores import pore_layouts

            pores = pore_layouts(case.pore_fraction, case.pore_radius, case.seed, p.radii)  # every rank alike
        self.geo = build_electrode(p, comm, case.mesh_size / L, case.surface_mesh_size / L, order=case.order,
                                   coating=case.coating_thickness / L, axes=semi_axes(case.values)[:2],
                                   void=case.void_fraction, shared_facet=case.interface is not None, pores=pores)
        self.t_mesh = time.perf_counter() - t0
        if on_meshed is not None:
            on_meshed()
        a, b = case.particle, case.binder
        law = FiniteElectrodePatch if case.mechanics == "finite-strain" else ElectrodePatch
        extra = {"interface": case.interface.law()} if case.interface is not None else {}
        if case.binder_law == "visco-elastic":  # bonded, small strain (case.electrode_binder)
            law, extra = ViscoElectrodePatch, {"relaxation": (b.si("relaxed_youngs_modulus") / S,
                                                              b.si("relaxation_time"))}
        self.mech = law(self.geo, (a.si("youngs_modulus") / S, a.si("poisson_ratio")),
                        (b.si("youngs_modulus") / S, b.si("poisson_ratio")), top=case.top,
                        stack_pressure=case.stack_pressure / S, order=case.order,
                        coating=None if case.coating is None else
                        (case.coating.si("youngs_modulus") / S, case.coating.si("poisson_ratio")),
                        **extra)
        kin = Kinetics(case.kinetics, a.ocp, a.si("exchange_current_density"))
        # porous: the pores homogenised in the diffusion, capacity and diffusivity x (1 - pore fraction)
        self.bank = ParticleBank(p.radii * L, a.si("diffusivity"), a.si("max_concentration") * (1 - case.pore_fraction), kin,
                                 theta0=case.initial_soc, nodes=case.radial_nodes, void=case.void_fraction)
        self.sei_limit = case.sei.si("elastic_strain_limit")
        self.beta = a.si("partial_molar_volume") * a.si("max_concentration") / 3  # eigenstrain per unit theta
        mesh = self.geo.mesh
        self._r = {}  # per particle: its cells (local, with ghosts) and their midpoints' radius (m)
        sa, sc, _ = semi_axes(case.values)
        scale = 1.0 / np.array([sa, sa, sc])
        for i, name in enumerate(self.geo.particles):
            cells = self.mech._cells[name]
            mid = compute_midpoints(mesh, 3, cells.astype(np.int32))
            # an ellipsoid's cell at the ellipsoidal radius rho (rho = 1 on its surface) takes the
            # equal-volume sphere's profile at rho r_i
            self._r[i] = (cells, np.linalg.norm((mid - p.centres[i]) * scale, axis=1) * L)
        self.dofs = {"displacement": self.mech.V.dofmap.index_map.size_global * 3,
                     "concentration": len(p.radii) * case.radial_nodes}
        self.cg_iterations: list[int] = []
        self._volume0 = p.thickness * p.width**2  # um^3
        self._binder0 = self.mech._sum_cells("binder")
        self.last: dict = {}

    # ------------------------------------------------------------------ stepping
    def _set_eigenstrain(self) -> None:
        """The eigenstrain of every cell from its particle's profile."""
        e = self.mech.estar.x.array
        e[:] = 0.0
        theta0 = self.case.initial_soc
        for i, (cells, r) in self._r.items():
            e[cells] = self.beta * (self.bank.profile(i, r) - theta0)
        self.mech.estar.x.scatter_forward()

    def solve_mechanics(self, dt: float = 0.0) -> None:
        """The eigenstrain of every cell from its particle's profile, then the displacement,
        reached over a time step dt [s] (a visco-elastic binder's memory; 0: a jump)."""
        self._set_eigenstrain()
        self.cg_iterations.append(self.mech.solve(dt))
        self.last = self.mech.outputs()
        self._isolate()

    def state_functions(self) -> dict:
        """The fields a checkpoint must hold beyond the particles' profiles (`bank.state()`): with
        a cohesive interface its damage history and both displacement fields (Newton's start);
        a visco-elastic binder's state and the displacement; none for an elastic bonded patch
        (quasi-static: recomputed)."""
        c = self.mech.cohesive
        if c is None:
            return self.mech.state_functions()
        return {"interface_damage": c.history, "u_particles": c.u_in, "u_binder": c.u_out}

    def resume(self, path) -> None:
        """Continue from a checkpoint file: the bank's state already set, the state functions
        read from `path` and the outputs of that state (no solve). Collective."""
        from seifem.observers.checkpoint import load_checkpoint

        functions = self.state_functions()
        if not functions:
            self.solve_mechanics()
            return
        load_checkpoint(path, self.comm, functions)
        self._set_eigenstrain()
        if self.mech.cohesive is not None:
            self.mech.cohesive.resume()
        self.last = self.mech.outputs()
        self._isolate()

    def _isolate(self) -> None:
        """Lost contact: a particle whose contact fraction is at or below the threshold is cut
        from the carbon-binder network for good (damage never heals; every rank alike)."""
        q = self.last.get("interface")
        if q is not None:
            self.bank.connected &= q["contact_fraction"] > (self.case.contact_threshold or 0.0)

    def advance(self, dt: float, current: float | None, voltage: float | None, direction: int) -> None:
        """One time step: the particles' lithiation (current in A, or a held voltage), then the
        mechanics at its end. SolverError if every particle has lost contact and current is asked."""
        if not self.bank.connected.any() and (voltage is not None or current):
            raise SolverError("every particle of the patch has debonded from the binder (electronically isolated): "
                              "no current can flow; the run ends here")
        try:
            self.bank.advance(dt, current, voltage, direction)
        except ValueError as exc:  # every rank alike (the chemistry is replicated)
            raise SolverError(f"{exc} (no cut-off voltage is located in an electrode run); the run ends here") from None
        self.solve_mechanics(dt)

    # ------------------------------------------------------------------ outputs
    def scalars(self) -> dict:
        """The history columns of the current state (every rank alike)."""
        o, p, bank, S = self.last, self.packing, self.bank, SCALES.stress / 1e6
        parts = o["particles"]
        vols = np.array([q["volume_um3"] for q in parts])
        hyd = np.array([q["mean_hydrostatic_GPa"] for q in parts])
        dz = o["thickness_change"]
        volume = self._volume0 * (1 + dz)
        porosity = (self.case.porosity * self._volume0 + o["binder_volume_change_um3"]) / volume
        soc, ts = bank.soc(), bank.surface()
        return {"soc": bank.soc_total(), "voltage_V": bank.voltage, "current_A": float(bank.currents().sum()),
                "soc_min": float(soc.min()), "soc_max": float(soc.max()),
                "surface_soc_min": float(ts.min()), "surface_soc_max": float(ts.max()),
                "thickness_change": dz, "thickness_change_um": dz * p.thickness,
                "porosity": porosity, "porosity_change": porosity - self.case.porosity,
                "stack_pressure_MPa": -o["mean_sigma_zz_GPa"] * S,
                "particle_hydrostatic_MPa": float(np.sum(vols * hyd) / np.sum(vols)) * S,
                "particle_hydrostatic_min_MPa": float(hyd.min()) * S,
                "particle_hydrostatic_max_MPa": float(hyd.max()) * S,
                "particle_max_principal_MPa": max(q["max_principal_GPa"] for q in parts) * S,
                "particle_max_von_mises_MPa": max(q["max_von_mises_GPa"] for q in parts) * S,
                "surface_strain_max": float(max(self._surface_strain())),
                "sei_strain_util_max": float(max(self._surface_strain())) / self.sei_limit,
                **({"coating_max_principal_MPa": o["coating_max_principal_GPa"] * S,
                    "coating_max_von_mises_MPa": o["coating_max_von_mises_GPa"] * S} if self.case.coating else {}),
                "binder_max_principal_MPa": o["binder_max_principal_GPa"] * S,
                "binder_max_von_mises_MPa": o["binder_max_von_mises_GPa"] * S, **self._interface_scalars()}

    def _interface_scalars(self) -> dict:
        """Debonding columns (cohesive interface only): the debonded area fraction of all the
        particle-binder interface, the largest damage and normal opening (nm)."""
        q = self.last.get("interface")
        if q is None:
            return {}
        bank, cut = self.bank, ~self.bank.connected
        return {"debonded_area_fraction": q["debonded_area_fraction"], "interface_damage_max": q["interface_damage_max"],
                "interface_opening_max_nm": q["interface_opening_max_um"] * SCALES.length * 1e9,
                "isolated_particles": int(cut.sum()),
                "isolated_capacity_fraction": float(bank.volumes[cut].sum() / bank.volumes.sum()),
                "trapped_charge_mAh": float(bank.soc()[cut] @ bank.volumes[cut]) * bank.c_max * FARADAY / 3.6}

    def _surface_strain(self) -> list[float]:
        return [(1 + q["volume_change_um3"] / q["volume_um3"]) ** (1 / 3) - 1 for q in self.last["particles"]]

    def particle_rows(self, t: float) -> list[dict]:
        """One particles.csv row per particle at time t (s)."""
        p, bank, S = self.packing, self.bank, SCALES.stress / 1e6
        soc, ts, cur = bank.soc(), bank.surface(), bank.currents()
        rows = []
        for i, (q, e) in enumerate(zip(self.last["particles"], self._surface_strain())):
            rows.append({"time_s": t, "particle": i, "x_um": p.centres[i][0], "y_um": p.centres[i][1],
                         "z_um": p.centres[i][2], "radius_um": p.radii[i], "soc": soc[i], "surface_soc": ts[i],
                         "current_A": cur[i], "c_rate": bank.q[i] * bank.areas[i] / bank.volumes[i] * 3600.0,
                         "mean_hydrostatic_MPa": q["mean_hydrostatic_GPa"] * S,
                         "max_principal_MPa": q["max_principal_GPa"] * S,
                         "max_von_mises_MPa": q["max_von_mises_GPa"] * S, "surface_strain": e,
                         "sei_strain_util": e / self.sei_limit,
                         **({"debonded_fraction": float(self.last["interface"]["debonded_fraction"][i]),
                             "contact_fraction": float(self.last["interface"]["contact_fraction"][i]),
                             "isolated": int(not bank.connected[i])} if "interface" in self.last else {})})
        return rows

    def cell_fields(self) -> list:
        """DG0 fields for the maps: filling fraction, hydrostatic and von Mises stress (MPa),
        region (-1 binder, -2 coatings, i particle i)."""
        from dolfinx import fem

        m = self.mech
        if not hasattr(self, "_fields"):
            self._fields = [fem.Function(m.Q, name=n) for n in ("theta", "hydrostatic_MPa", "von_mises_MPa", "region")]
            region = self._fields[3].x.array
            region[:] = -1.0
            for i, (cells, r) in self._r.items():
                region[cells] = i
            for i, name in enumerate(self.geo.coatings):
                region[m._cells[name]] = -2  # coatings
        theta, hyd, vm, _ = self._fields
        theta.x.array[:] = 0.0
        for i, (cells, r) in self._r.items():
            theta.x.array[cells] = self.bank.profile(i, r)
        S = SCALES.stress / 1e6
        for f, values in ((hyd, m.cell_hydrostatic()), (vm, m.cell_von_mises())):
            f.x.array[: len(values)] = values * S
            f.x.scatter_forward()
        return self._fields

    def solver_stats(self) -> dict:
        its = self.cg_iterations
        return {"elasticity": {"cg_iterations_mean": float(np.mean(its)) if its else 0.0,
                               "cg_iterations_max": int(max(its, default=0))}}

    def design(self) -> dict:
        p = self.packing
        cells = self.comm.allreduce(self.geo.mesh.topology.index_map(3).size_local, op=MPI.SUM)
        return {"particles": p.count, "active_fraction_target": p.target, "active_fraction_achieved": p.achieved,
                "radius_min_um": float(p.radii.min()), "radius_max_um": float(p.radii.max()), "cells": cells}

    def destroy(self) -> None:
        self.mech.destroy()

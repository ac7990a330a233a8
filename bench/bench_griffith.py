"""Benchmark (a script, not a test): Griffith check of the phase-field fracture solver (`seifem.problem.fracture`) in 2D plane
strain: a pre-cracked disc loaded on its boundary by the mode-I K-field (the "surfing"
boundary displacement of Hossain, Hsueh, Bourdin & Bhattacharya, JMPS 71, 15 (2014), held at
the crack tip instead of translated) propagates when the energy release rate
G = K^2 (1 - nu^2) / E reaches the discrete effective fracture energy

    G_eff = G_c (1 + h / (c_w l))    (AT1: 1 + 3 h / (8 l); Bourdin, Francfort & Marigo,
                                      J. Elasticity 91, 5 (2008); Tanne et al., JMPS 110, 80 (2018))

with h the element size on the crack path. The load is the K-field times lambda, K =
sqrt(E G_c / (1 - nu^2)); lambda grows in steps of `dlam` from `lam0`. Printed per load: the
crack tip (the largest x with d > 0.95 on the crack line), the staggered iterations; then the
onset load (the first at which the tip has moved by one element: G_onset / G_c = lambda^2,
within 2 dlam) against G_eff / G_c. With the K-field held at the origin the growth is stable
(the boundary displacement unloads an advancing tip), so the onset is the Griffith load.
Units: E = 1, G_c = 1, disc radius 1, l << 1.

    .venv/bin/python bench/bench_griffith.py --l 0.04 --h 0.01
    .venv/bin/python bench/bench_griffith.py --l 0.02 --h 0.005 --lam0 1.0
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np
import ufl
from dolfinx import fem
from dolfinx.io import gmsh as gmshio
from mpi4py import MPI
from petsc4py import PETSc

import seifem  # noqa: F401  (MPI before dolfinx)
from seifem.physics import mechanics as mech
from seifem.problem.fracture import Region, StaggeredPhaseField

NU = 0.3


def cracked_disc(comm, l: float, h: float):
    """Unit disc with the crack line y = 0, x <= 0 (pre-crack) and the path y = 0, x > 0
    embedded; size h within |y| < 6 l for -0.15 < x < 0.7, coarse (0.1) elsewhere."""
    import gmsh

    if comm.rank == 0:
        gmsh.initialize()
        gmsh.option.setNumber("General.Terminal", 0)
        occ = gmsh.model.occ
        disk = occ.addDisk(0, 0, 0, 1, 1)
        line = occ.addLine(occ.addPoint(-1, 0, 0), occ.addPoint(1, 0, 0))
        occ.fragment([(2, disk)], [(1, line)])
        occ.synchronize()
        f = gmsh.model.mesh.field
        box = f.add("Box")
        for k, v in (("VIn", h), ("VOut", 0.1), ("XMin", -0.15), ("XMax", 0.7), ("YMin", -6 * l), ("YMax", 6 * l),
                     ("Thickness", 0.3)):
            f.setNumber(box, k, v)
        f.setAsBackgroundMesh(box)
        for opt in ("Mesh.MeshSizeFromPoints", "Mesh.MeshSizeExtendFromBoundary", "Mesh.MeshSizeFromCurvature"):
            gmsh.option.setNumber(opt, 0)
        gmsh.model.addPhysicalGroup(2, [s for _, s in gmsh.model.getEntities(2)], 1)
        gmsh.model.addPhysicalGroup(1, [c for _, c in gmsh.model.getEntities(1)], 1)
        gmsh.model.mesh.generate(2)
    data = gmshio.model_to_mesh(gmsh.model if comm.rank == 0 else None, comm, 0, gdim=2)
    if comm.rank == 0:
        gmsh.finalize()
    return data.mesh


def griffith(l: float, h: float, model: str = "AT1", lam0: float = 0.9, dlam: float = 0.01, comm=MPI.COMM_WORLD,
             run: float = 0.1):
    """Loads, crack tips and staggered iterations of the K-field-loaded pre-cracked disc, until
    the tip has run `run` (or 60 loads)."""
    mesh = cracked_disc(comm, l, h)
    E, Gc = 1.0, 1.0
    W = fem.functionspace(mesh, ("Lagrange", 1, (2,)))
    u = fem.Function(W)
    mu, kappa = E / (2 * (1 + NU)), 3 - 4 * NU
    K = math.sqrt(E * Gc / (1 - NU**2))
    lam = fem.Constant(mesh, PETSc.ScalarType(0.0))
    ub = fem.Function(W)

    def kfield(x):
        r, th = np.hypot(x[0], x[1]), np.arctan2(x[1], x[0])
        a = K / (2 * mu) * np.sqrt(r / (2 * np.pi)) * (kappa - np.cos(th))
        return np.vstack([a * np.cos(th / 2), a * np.sin(th / 2)])

    ub.interpolate(kfield)
    ub0 = ub.x.array.copy()
    mesh.topology.create_connectivity(1, 2)
    from dolfinx.mesh import exterior_facet_indices

    bdofs = fem.locate_dofs_topological(W, 1, exterior_facet_indices(mesh.topology))
    bc = fem.dirichletbc(ub, bdofs)
    region = Region(ufl.dx, fem.Constant(mesh, E), fem.Constant(mesh, NU), mech.eps, Gc)
    pf = StaggeredPhaseField(u, {"disc": region}, [bc], l, model, tol_d=1e-3, rtol_u=1e-3, max_iterations=500,
                             prefix="griffith_")
    D = pf.d.function_space
    xd = D.tabulate_dof_coordinates()[:, :2]
    on_line = np.abs(xd[:, 1]) < 1e-9
    pre = on_line & (xd[:, 0] <= 0)
    for f in (pf.d, pf.d_n):  # the pre-crack: d = 1 on the line x <= 0
        f.x.array[pre] = 1.0
        f.x.scatter_forward()
    loads, tips, its = [], [], []
    n = 0
    while n < 60 and (not tips or tips[-1] < run):
        value = lam0 + n * dlam
        ub.x.array[:] = value * ub0
        its.append(pf.solve())
        pf.commit()
        cracked = on_line & (pf.d.x.array > 0.95)
        tip = comm.allreduce(float(xd[cracked, 0].max(initial=-1.0)), op=MPI.MAX)
        loads.append(value)
        tips.append(tip)
        n += 1
    pf.destroy()
    return loads, tips, its


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--l", type=float, default=0.04)
    ap.add_argument("--h", type=float, default=0.01)
    ap.add_argument("--model", default="AT1")
    ap.add_argument("--lam0", type=float, default=0.95)
    ap.add_argument("--dlam", type=float, default=0.01)
    a = ap.parse_args()
    t0 = time.perf_counter()
    loads, tips, its = griffith(a.l, a.h, a.model, a.lam0, a.dlam)
    comm = MPI.COMM_WORLD
    if comm.rank:
        return
    for lam, tip, it in zip(loads, tips, its):
        print(f"lambda {lam:.3f}  G/G_c {lam * lam:.4f}  tip {tip:+.4f}  staggered iterations {it}")
    onset = next((lam for lam, tip in zip(loads, tips) if tip > tips[0] + 0.5 * a.h), None)
    c_w = 8 / 3 if a.model == "AT1" else 2.0
    eff = 1 + a.h / (c_w * a.l)
    if onset is not None:
        print(f"onset: G/G_c = {onset**2:.4f} (from {(onset - a.dlam)**2:.4f}); G_eff/G_c = 1 + h/(c_w l) = {eff:.4f};"
              f" error {onset**2 / eff - 1:+.3f}")
    print(f"l = {a.l}, h = {a.h}, {a.model}, {len(loads)} loads, {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()

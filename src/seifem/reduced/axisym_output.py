"""Helpers of the 2D axisymmetric twin: its direct solvers, global extremes of local
arrays, and what it reads off its nodes: the tractions on the core/coating interface,
profiles along the equator or the axis, the meridian fields for maps."""

from __future__ import annotations

import numpy as np
from mpi4py import MPI
from petsc4py import PETSc

from seifem.reduced import axisym_forms as af
from seifem.units import SCALES

__all__ = ["lu_solver", "reduce_extreme", "interface_tractions", "ray_profile", "meridian_fields"]

_K = {k: i for i, k in enumerate(af.OUTPUT_KEYS)}


def lu_solver(A: PETSc.Mat, prefix: str) -> PETSc.KSP:
    ksp = PETSc.KSP().create(A.getComm())
    ksp.setOperators(A)
    ksp.setType("preonly")
    pc = ksp.getPC()
    pc.setType("lu")
    pc.setFactorSolverType("superlu_dist" if A.getComm().getSize() > 1 else "petsc")
    ksp.setOptionsPrefix(prefix)
    ksp.setFromOptions()
    return ksp


def reduce_extreme(comm: MPI.Comm, values: np.ndarray, op) -> float:
    """Global max / min of a possibly empty local array."""
    if op == MPI.MAX:
        return float(comm.allreduce(float(values.max()) if values.size else -np.inf, op=op))
    return float(comm.allreduce(float(values.min()) if values.size else np.inf, op=op))


def interface_tractions(x: np.ndarray, v: np.ndarray, R: float, a: float, comm: MPI.Comm) -> dict[str, float]:
    """Normal (opening positive) and shear traction (MPa) on the core/coating interface of
    radius R (um), from the core's (averaged) nodes x, values v on it (normal of the scaled
    sphere r^2 + (z/a)^2 = R^2, a the aspect ratio)."""
    on = np.abs(np.hypot(x[:, 0], x[:, 1] / a) - R) < 1e-6 * R
    n = np.column_stack([x[on, 0], x[on, 1] / a**2])
    n /= np.linalg.norm(n, axis=1)[:, None]
    v = v[on]
    sr, sz, srz = v[:, _K["sigma_r_cyl"]], v[:, _K["sigma_z"]], v[:, _K["sigma_rz"]]
    t = np.column_stack([sr * n[:, 0] + srz * n[:, 1], srz * n[:, 0] + sz * n[:, 1]])
    tn = np.einsum("ij,ij->i", t, n)
    ts = np.linalg.norm(t - tn[:, None] * n, axis=1)
    return {"interface_tn_max_MPa": reduce_extreme(comm, tn, MPI.MAX), "interface_tn_min_MPa": reduce_extreme(comm, tn, MPI.MIN),
            "interface_ts_max_MPa": reduce_extreme(comm, ts, MPI.MAX)}


def ray_profile(x: np.ndarray, reg: np.ndarray, v: np.ndarray, along: str, R_outer: float, aspect: float,
                comm: MPI.Comm) -> dict[str, np.ndarray]:
    """Nodal profiles along the ray z = 0 ("equator") or r = 0 ("axis"), ascending in the
    distance from the centre, both sides of each interface (inner region first); values of
    cells meeting at a node are averaged. Keys as `RadialProblem.profiles()`: r (distance
    from the centre, m), theta, sigma_r, sigma_t (radial / hoop about the centre, Pa), u
    (displacement along the ray, m); plus region (index into `regions`). Collective; the
    same on every rank."""
    if along not in ("equator", "axis"):
        raise ValueError(f"along must be 'equator' or 'axis', got {along!r}")
    on = np.abs(x[:, 1 if along == "equator" else 0]) < 1e-9 * R_outer * max(1.0, aspect)
    ui = _K["u_r"] if along == "equator" else _K["u_z"]
    dist = np.abs(x[on, 0 if along == "equator" else 1])
    loc = np.column_stack([dist, reg[on], v[on][:, [_K["theta"], _K["sigma_rr"], _K["sigma_hoop"], ui]]])
    allv = np.vstack(comm.allgather(loc))
    key = np.round(allv[:, 0] / (1e-9 * R_outer * max(1.0, aspect))).astype(np.int64)
    groups = np.unique(np.column_stack([key, allv[:, 1].astype(np.int64)]), axis=0, return_inverse=True)
    uniq, inv = groups[0], np.ravel(groups[1])
    cnt = np.bincount(inv, minlength=len(uniq))
    mean = np.column_stack([np.bincount(inv, weights=allv[:, j], minlength=len(uniq)) / cnt for j in range(6)])
    m, L = mean, SCALES.length  # np.unique sorted the groups by (distance key, region)
    return {"r": m[:, 0] * L, "theta": m[:, 2], "sigma_r": m[:, 3] * 1e6, "sigma_t": m[:, 4] * 1e6,
            "u": m[:, 5] * L, "region": m[:, 1].astype(int)}


def meridian_fields(x: np.ndarray, reg: np.ndarray, v: np.ndarray, per: int, degree: int,
                    comm: MPI.Comm, extra: dict[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """All nodal output on rank 0 (an empty dict elsewhere), for plotting the meridian:
    r, z (m), triangles (plotting triangles into the node arrays), region (index into
    `regions`), theta (0 outside the core), u_r, u_z (m) and the stresses in Pa: sigma_rr,
    sigma_hoop (about the centre), von_mises, hydrostatic, p1 (largest principal),
    sigma_r_cyl, sigma_z, sigma_rz, sigma_theta (cylindrical); plus `extra` (name -> values at
    the same nodes, e.g. the damage). Collective."""
    sub = af.subtriangles(degree) if per == 6 else np.array([[0, 1, 2]])
    extra = extra or {}
    gathered = comm.gather((x, reg, v, extra), root=0)
    if comm.rank != 0:
        return {}
    x, reg, v = (np.concatenate([g[i] for g in gathered]) for i in range(3))
    ncell = x.shape[0] // per
    tri = (np.arange(ncell)[:, None, None] * per + sub[None]).reshape(-1, 3)
    L = SCALES.length
    out = {"r": x[:, 0] * L, "z": x[:, 1] * L, "triangles": tri, "region": reg}
    for key, i in _K.items():
        out[key] = v[:, i] * (L if key.startswith("u_") else 1.0 if key == "theta" else 1e6)
    for key in extra:
        out[key] = np.concatenate([g[3][key] for g in gathered])
    return out

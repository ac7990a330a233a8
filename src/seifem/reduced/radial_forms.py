"""Mesh and pure UFL forms of the spherically symmetric (radial) problem.

Everything is per steradian: the volume element is r^2 dr and a sphere of radius R has the
"area" R^2 (the 4 pi cancels from every balance). Model units as in `seifem.units.SCALES`:
lengths in um, time in s, stresses in GPa, concentration theta = c / c_max.

With u(r) the radial displacement, eps_r = u' and eps_t = u/r; with the chemical eigenstrain
e_ch (zero outside the core) and 3K = 3 lambda + 2 mu,

    sigma_r = (lambda + 2 mu) u' + 2 lambda u/r - 3K e_ch,
    sigma_t = lambda u' + 2 (lambda + mu) u/r - 3K e_ch.

The weak form  int (sigma_r v' + 2 sigma_t v/r) r^2 dr = 0  is written multiplied out
(`elasticity_form`, `eigenstrain_form`), so every integrand is a polynomial in r: no 1/r at
the centre and exact quadrature. A thin SEI of thickness h on a surface of radius R is an
equibiaxial plane-stress membrane, e = u/R, sigma_s = E_s e/(1 - nu_s); its virtual work
h sigma_s : P eps(v) P R^2 = 2 h E_s/(1 - nu_s) (u/R)(v/R) R^2 is `membrane_form`.
"""

from __future__ import annotations

import basix.ufl
import numpy as np
import ufl
from dolfinx import mesh as dmesh
from mpi4py import MPI

__all__ = ["interval_mesh", "lame", "elasticity_form", "eigenstrain_form", "membrane_form",
           "radial_stresses", "diffusion_forms"]


def interval_mesh(breaks, cells, comm: MPI.Comm = MPI.COMM_SELF):
    """1D mesh of [breaks[0], breaks[-1]] (um) with cells[i] equal cells in region i,
    [breaks[i], breaks[i+1]]: region boundaries are mesh nodes.

    Returns (mesh, cell tags with value i + 1 in region i, facet tags: 1 at breaks[0],
    i + 1 at breaks[i]). Every rank passes the same arrays (meant for COMM_SELF)."""
    breaks = np.asarray(breaks, dtype=np.float64)
    x = np.concatenate([np.linspace(breaks[i], breaks[i + 1], n + 1)[:-1] for i, n in enumerate(cells)]
                       + [breaks[-1:]])
    topo = np.stack([np.arange(x.size - 1), np.arange(1, x.size)], axis=1).astype(np.int64)
    element = ufl.Mesh(basix.ufl.element("Lagrange", "interval", 1, shape=(1,)))
    msh = dmesh.create_mesh(comm, topo, element, x[:, None])
    ncells = msh.topology.index_map(1).size_local
    cidx = np.arange(ncells, dtype=np.int32)
    mid = dmesh.compute_midpoints(msh, 1, cidx)[:, 0]
    region = (np.searchsorted(breaks[1:-1], mid) + 1).astype(np.int32)
    cell_tags = dmesh.meshtags(msh, 1, cidx, region)
    msh.topology.create_connectivity(0, 1)
    nverts = msh.topology.index_map(0).size_local
    vx = msh.geometry.x[dmesh.entities_to_geometry(msh, 0, np.arange(nverts, dtype=np.int32)).ravel(), 0]
    tol = 1e-9 * breaks[-1]
    ids, vals = [], []
    for i, b in enumerate(breaks):
        hit = np.flatnonzero(np.abs(vx - b) < tol).astype(np.int32)
        ids.append(hit)
        vals.append(np.full(hit.size, i + 1, dtype=np.int32))
    ids, vals = np.concatenate(ids), np.concatenate(vals)
    order = np.argsort(ids)
    facet_tags = dmesh.meshtags(msh, 0, ids[order], vals[order])
    return msh, cell_tags, facet_tags


def lame(E, nu):
    """(lambda, mu, 3K) from Young's modulus and Poisson's ratio."""
    lmbda, mu = E * nu / ((1 + nu) * (1 - 2 * nu)), E / (2 * (1 + nu))
    return lmbda, mu, 3 * lmbda + 2 * mu


def elasticity_form(u, v, r, E, nu, dx):
    """int (sigma_r(u) v' + 2 sigma_t(u) v/r) r^2 dr without eigenstrain, multiplied out."""
    lmbda, mu, _ = lame(E, nu)
    du, dv = u.dx(0), v.dx(0)
    return ((lmbda + 2 * mu) * du * dv * r**2 + 2 * lmbda * (u * dv + du * v) * r
            + 4 * (lmbda + mu) * u * v) * dx


def eigenstrain_form(e_ch, v, r, E, nu, dx):
    """Load of an isotropic eigenstrain e_ch: int 3K e_ch (v' + 2 v/r) r^2 dr."""
    _, _, K3 = lame(E, nu)
    return K3 * e_ch * (v.dx(0) * r**2 + 2 * v * r) * dx


def membrane_form(u, v, r, h, E, nu, ds):
    """Equibiaxial plane-stress film of thickness h on the sphere through the point(s) of ds:
    h * 2 E/(1 - nu) * (u/r)(v/r) * r^2."""
    return h * 2 * E / (1 - nu) * (u / r) * (v / r) * r**2 * ds


def radial_stresses(u, r, E, nu, e_ch=0.0, tiny=1e-12):
    """(sigma_r, sigma_t) in the units of E; u/r is replaced by its limit u'(0) at r = 0."""
    lmbda, mu, K3 = lame(E, nu)
    du = u.dx(0)
    u_r = ufl.conditional(ufl.gt(r, tiny), u / ufl.max_value(r, tiny), du)
    return (lmbda + 2 * mu) * du + 2 * lmbda * u_r - K3 * e_ch, lmbda * du + 2 * (lmbda + mu) * u_r - K3 * e_ch


def diffusion_forms(theta, v, theta_n, theta_nm1, weights, dt, D, r, dx, flux):
    """One implicit BDF step of d theta/dt = (1/r^2)(r^2 D theta')' (see physics.transport):
    weights (a0, a1, a2) a UFL constant, `flux` the boundary term j v r^2 dS."""
    a = (weights[0] / dt * theta * v + D * theta.dx(0) * v.dx(0)) * r**2 * dx
    L = (weights[1] * theta_n - weights[2] * theta_nm1) / dt * v * r**2 * dx + flux
    return a, L

"""Meridian mesh and pure UFL forms of the axisymmetric (r, z) problem.

Cylindrical coordinates (r, z) about the z axis (r >= 0); the model is the quarter of the
meridian plane r >= 0, z >= 0 (mirror symmetry about z = 0), so a sphere is a quarter disc
and every concentric layer a quarter annulus. Integrals carry the cylindrical weight
w = 2 pi r: int f w dx is the integral of f over the upper half (z >= 0) of the body of
revolution; the lower half is its mirror image. Model units as in `seifem.units.SCALES`:
lengths in um, time in s, stresses in GPa, concentration theta = c / c_max.

Small strain of u = (u_r, u_z), as a 3 x 3 tensor in the order (r, z, theta):

    eps = [[du_r/dr, (du_r/dz + du_z/dr)/2, 0], [., du_z/dz, 0], [0, 0, u_r/r]],

so `physics.mechanics.stress` and the radial/hoop split about the centre (x = (r, z, 0)) apply
unchanged. In the weak form int sigma(u) : eps(v) w dx the hoop term is lambda, mu * u_r v_r / r,
bounded because u_r = 0 on the axis (imposed strongly). At nodes on the axis (output only)
u_r/r is replaced by its limit du_r/dr.

The SEI membrane on a meridian curve with unit normal n and tangent t = (-n_z, n_r) carries
the meridional strain e_s = t . grad(u) . t and the hoop strain e_h = u_r/r (the principal
in-plane strains: there is no in-plane shear in an axisymmetric, torsion-free state). Plane
stress: sigma_s = E/(1 - nu^2)(e_s + nu e_h), sigma_h = E/(1 - nu^2)(e_h + nu e_s); its
stiffness is h (sigma_s e_s(v) + sigma_h e_h(v)) w ds, the 3D `physics.membrane` form
h sigma_s(P eps P) : P eps(v) P ds written out for the surface of revolution.
"""

from __future__ import annotations

import math

import numpy as np
import ufl

from seifem.geometry.builders import MAX_SUBLAYERS, cavity_mesh_size, default_sublayers, size_field
from seifem.geometry.gmsh_rank0 import mesh_on_rank0
from seifem.physics import mechanics as mech
from seifem.reduced.spheroid import spheroid_map

__all__ = ["CURVE_TAGS", "MAX_SUBLAYERS", "meridian_mesh", "weight", "strain", "hoop_strain",
           "stress", "membrane_strains", "membrane_stresses", "membrane_form", "diffusion_forms",
           "output_vector", "OUTPUT_KEYS"]

CURVE_TAGS = {"outer": 101, "interface": 102, "inner": 103, "axis": 201, "sym_z": 203}
"""Physical tags of the named meridian curves; cells are tagged 1 (core), 2, 3, ... (coatings)."""



# ----------------------------------------------------------------------------- mesh
def meridian_mesh(breaks: list[float], comm, mesh_size: float, surface_mesh_size: float, order: int = 2,
                  aspect: float = 1.0, yields: tuple[bool, ...] = ()):
    """Quarter meridian (r, z >= 0) of concentric circular layers, meshed by gmsh on rank 0 and
    distributed over `comm`. Returns (mesh, cell_tags, facet_tags); raises GeometryError if gmsh
    fails.

    breaks: inner radius (0: solid core), core radius, then each coating's outer radius (um).
    The core is meshed with sizes growing from `surface_mesh_size` at its circular boundaries
    (at a cavity at most `geometry.builders.cavity_mesh_size`) to `mesh_size` over a third of
    its radius (as the 3D builder); each coating is a structured
    band of round(thickness / surface_mesh_size) (2 to MAX_SUBLAYERS; at least 6 in a coating
    that can yield, `yields[i]`, as the 3D builder: `geometry.builders.default_sublayers`)
    elements through its thickness with the core's boundary nodes on every circle. `order` 2 puts the mid-edge nodes
    on the exact circles. aspect != 1 makes the core a spheroid: after meshing, z is scaled by
    `aspect` inside the core radius (circles become ellipses with semi-axes (rho, aspect rho),
    second-order nodes stay on them exactly), and the coating nodes at distance d above the
    core circle are moved to distance d along the normal of the core ellipse (`spheroid_map`):
    each coating has a uniform thickness, as the 3D builder grows it."""

    def build() -> None:
        import gmsh

        gmsh.model.add("meridian")
        _build(list(breaks), mesh_size, surface_mesh_size, order, yields)

    data = mesh_on_rank0(comm, "the meridian", build, gdim=2)
    mesh = data.mesh
    if aspect != 1.0:
        mesh.geometry.x[:, :2] = spheroid_map(mesh.geometry.x[:, :2], breaks[1], aspect)
    mesh.topology.create_connectivity(1, 2)
    return mesh, data.cell_tags, data.facet_tags


def _build(breaks: list[float], h: float, hs: float, order: int, yields: tuple[bool, ...] = ()) -> None:
    import gmsh

    geo = gmsh.model.geo
    r_in, radii = breaks[0], breaks[1:]
    hollow = r_in > 0
    O = geo.addPoint(0, 0, 0)
    rho = ([r_in] if hollow else []) + radii
    A = [geo.addPoint(p, 0, 0) for p in rho]  # on z = 0
    P = [geo.addPoint(0, p, 0) for p in rho]  # on the axis
    arcs = [geo.addCircleArc(a, O, p) for a, p in zip(A, P)]
    lo = 1 if hollow else 0  # index of the core's outer circle in rho
    # core
    if hollow:
        bottom, side = geo.addLine(A[0], A[1]), geo.addLine(P[1], P[0])
        core_loop = geo.addCurveLoop([bottom, arcs[1], side, -arcs[0]])
    else:
        bottom, side = geo.addLine(O, A[0]), geo.addLine(P[0], O)
        core_loop = geo.addCurveLoop([bottom, arcs[0], side])
    core = geo.addPlaneSurface([core_loop])
    sym_z, axis = [bottom], [side]
    layers, transfinite = [], []
    for i in range(lo, len(rho) - 1):
        b, s = geo.addLine(A[i], A[i + 1]), geo.addLine(P[i + 1], P[i])
        layers.append(geo.addPlaneSurface([geo.addCurveLoop([b, arcs[i + 1], s, -arcs[i]])]))
        k = len(layers) - 1  # the coating's index
        sub = default_sublayers(rho[i + 1] - rho[i], hs, k < len(yields) and yields[k])  # >= 2: physics.recovery
        transfinite.append((layers[-1], (b, s), sub, (A[i], A[i + 1], P[i + 1], P[i])))
        sym_z.append(b)
        axis.append(s)
    geo.synchronize()
    if transfinite:
        n_arc = max(2, math.ceil(0.5 * math.pi * rho[lo] / hs)) + 1
        for c in arcs[lo:]:
            gmsh.model.mesh.setTransfiniteCurve(c, n_arc)
        for surf, lines, sub, corners in transfinite:
            for c in lines:
                gmsh.model.mesh.setTransfiniteCurve(c, sub + 1)
            gmsh.model.mesh.setTransfiniteSurface(surf, "Alternate", list(corners))
    # hs at the core's outer circle, finer at a cavity (as the 3D builder)
    sizes = [(arcs[lo:lo + 1], hs)] + ([(arcs[:1], cavity_mesh_size(hs, r_in))] if hollow else [])
    size_field(sizes, h, radii[0] / 3, entities="Curves")
    for opt in ("Mesh.MeshSizeFromPoints", "Mesh.MeshSizeExtendFromBoundary", "Mesh.MeshSizeFromCurvature"):
        gmsh.option.setNumber(opt, 0)
    gmsh.model.mesh.generate(2)
    if hollow:  # the centre of the arcs is no node of any cell: drop its orphan mesh node
        gmsh.model.mesh.clear([(0, O)])
    if order == 2:
        gmsh.model.mesh.setOrder(2)
    gmsh.model.addPhysicalGroup(2, [core], 1, name="core")
    for i, s in enumerate(layers):
        gmsh.model.addPhysicalGroup(2, [s], i + 2)
    groups = {"outer": [arcs[-1]], "axis": axis, "sym_z": sym_z}
    if layers:
        groups["interface"] = [arcs[lo]]
    if hollow:
        groups["inner"] = [arcs[0]]
    for name, tags in groups.items():
        gmsh.model.addPhysicalGroup(1, tags, CURVE_TAGS[name], name=name)


# ----------------------------------------------------------------------------- forms
def weight(r):
    """Cylindrical volume / area weight 2 pi r."""
    return 2 * math.pi * r


def hoop_strain(u, r, tiny: float | None = None):
    """u_r / r; with `tiny` (output at nodes on the axis) its limit du_r/dr where r <= tiny."""
    if tiny is None:
        return u[0] / r
    return ufl.conditional(ufl.gt(r, tiny), u[0] / ufl.max_value(r, tiny), u[0].dx(0))


def strain(u, r, tiny: float | None = None):
    """3 x 3 small strain in the order (r, z, theta)."""
    g = ufl.grad(u)
    erz = 0.5 * (g[0, 1] + g[1, 0])
    return ufl.as_matrix([[g[0, 0], erz, 0], [erz, g[1, 1], 0], [0, 0, hoop_strain(u, r, tiny)]])


def stress(u, r, E, nu, e_ch=0.0, tiny: float | None = None):
    """Cauchy stress (units of E) with an isotropic eigenstrain e_ch (a scalar)."""
    return mech.stress(strain(u, r, tiny) - e_ch * ufl.Identity(3), E, nu)


def membrane_strains(u, r, n, tiny: float | None = None):
    """(meridional, hoop) membrane strains on a curve with unit normal n."""
    t = ufl.as_vector([-n[1], n[0]])
    return ufl.dot(t, ufl.dot(ufl.grad(u), t)), hoop_strain(u, r, tiny)


def membrane_stresses(es, eh, E, nu):
    """Plane-stress (meridional, hoop) film stresses."""
    c = E / (1 - nu**2)
    return c * (es + nu * eh), c * (eh + nu * es)


def membrane_form(u, v, r, n, h, E, nu, ds):
    """Film stiffness h (sigma_s e_s(v) + sigma_h e_h(v)) 2 pi r ds."""
    es, eh = membrane_strains(u, r, n)
    ss, sh = membrane_stresses(es, eh, E, nu)
    vs, vh = membrane_strains(v, r, n)
    return h * (ss * vs + sh * vh) * weight(r) * ds


def diffusion_forms(theta, v, theta_n, theta_nm1, weights, dt, D, r, dx, flux):
    """One implicit BDF step of d theta/dt = div(D grad theta) with the weight 2 pi r;
    `flux` the boundary term j v 2 pi r ds (see physics.transport)."""
    w = weight(r)
    a = (weights[0] / dt * theta * v + D * ufl.inner(ufl.grad(theta), ufl.grad(v))) * w * dx
    L = (weights[1] * theta_n - weights[2] * theta_nm1) / dt * v * w * dx + flux
    return a, L


OUTPUT_KEYS = ("theta", "sigma_rr", "sigma_hoop", "von_mises", "hydrostatic", "p1",
               "sigma_r_cyl", "sigma_z", "sigma_rz", "sigma_theta", "u_r", "u_z")
"""Components of `output_vector`: stresses radial/hoop about the centre (hoop = mean of the two
tangential normal stresses), von Mises, mean normal, largest principal, the cylindrical
components, then the displacement."""


def output_vector(sigma, x, theta, u, scale):
    """UFL vector of OUTPUT_KEYS: sigma (3 x 3, (r, z, theta) order) times `scale`; x the
    meridian coordinate (r, z); theta (0 outside the core); u the displacement."""
    s = scale * sigma
    x3 = ufl.as_vector([x[0], x[1], 0])
    srr, stt = mech.radial_hoop(s, x3)
    a, d, b = s[0, 0], s[1, 1], s[0, 1]
    p_in = (a + d) / 2 + ufl.sqrt(((a - d) / 2) ** 2 + b**2)
    p1 = ufl.max_value(p_in, s[2, 2])
    return ufl.as_vector([theta, srr, stt, mech.von_mises(s), mech.hydrostatic(s), p1,
                          a, d, b, s[2, 2], u[0], u[1]])


def subtriangles(degree: int) -> np.ndarray:
    """Local (per-cell) node triples that split a Lagrange triangle of `degree` into plotting
    triangles (basix node order: vertices, then edges 0 (1-2), 1 (0-2), 2 (0-1))."""
    if degree == 2:
        return np.array([[0, 5, 4], [5, 1, 3], [4, 3, 2], [5, 3, 4]])
    return np.array([[0, 1, 2]])

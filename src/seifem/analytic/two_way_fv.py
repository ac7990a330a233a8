"""An independent reference for two-way (stress-assisted) diffusion in a solid elastic sphere:
a 1D finite-volume solution of the Zhang-Shyy-Sastry equations (Zhang, Shyy & Sastry 2007,
J. Electrochem. Soc. 154:A910), used by the verification tests of `seifem.problem.coupled`.

Equations (SI; c in mol/m^3, r in m, t in s, stresses in Pa):

    dc/dt = (1/r^2) d/dr (r^2 N),   N = D dc/dr - D c Omega/(R T) d sigma_h/dr   (inward = -J . e_r)
    sigma_h = 2 Omega E / (9 (1 - nu)) (c_avg - c)          (traction-free elastic sphere, B1.1)

with the inward flux J at r = R. The hydrostatic stress of the sphere follows from the profile
alone (the radial and hoop integral formulas, `analytic.sphere_stress_from_profile`), so the
drift is a nonlinear diffusivity D (1 + Omega/(R T) 2 Omega E / (9 (1 - nu)) c). Nothing here
uses seifem's finite elements: cell-centred finite volumes on equal-width cells (second order),
method of lines, integrated by scipy's BDF with tight tolerances. The stresses come from the
profile by the integral formulas (trapezoid rule on the cell centres, with the centre and
surface values extrapolated from the cells).
"""

from __future__ import annotations

import numpy as np

from seifem.units import GAS_CONSTANT

__all__ = ["sphere_two_way_galvanostatic"]


def sphere_two_way_galvanostatic(times, R: float, D: float, J: float, E: float, nu: float, Omega: float,
                                 temperature: float, c0: float = 0.0, cells: int = 800) -> list[dict]:
    """Two-way coupled galvanostatic solid sphere at each time in `times` (s).

    R radius (m), D diffusivity (m^2/s), J inward molar flux (mol/m^2/s), E (Pa), nu, Omega
    (m^3/mol), temperature (K), c0 initial concentration (mol/m^3). Returns per time a dict:
    r (m, 0 .. R: the centre, the cell centres and the surface), c (mol/m^3) there, c_avg,
    sigma_r and sigma_t (Pa) at r, and the scalars c_centre, c_surface, sigma_r_centre,
    sigma_t_surface, sigma_h_surface (Pa)."""
    from scipy.integrate import solve_ivp
    from scipy.sparse import diags

    dr = R / cells
    rc = (np.arange(cells) + 0.5) * dr
    faces = np.arange(cells + 1) * dr
    vol = (faces[1:] ** 3 - faces[:-1] ** 3) / 3  # per steradian
    area = faces[1:-1] ** 2
    k = Omega / (GAS_CONSTANT * temperature) * 2 * Omega * E / (9 * (1 - nu))  # m^3/mol

    def rhs(_t, c):
        cf = 0.5 * (c[1:] + c[:-1])
        flux = D * (1 + k * cf) * (c[1:] - c[:-1]) / dr * area  # inward-positive N r^2 at the inner faces
        out = np.zeros_like(c)
        out[:-1] += flux
        out[1:] -= flux
        out[-1] += J * R**2
        return out / vol

    jac = diags([np.ones(cells - 1), np.ones(cells), np.ones(cells - 1)], [-1, 0, 1])
    times = np.atleast_1d(np.asarray(times, dtype=float))
    sol = solve_ivp(rhs, (0.0, float(times.max())), np.full(cells, float(c0)), method="BDF", t_eval=times,
                    rtol=1e-10, atol=1e-10 * max(1.0, J * R / D), jac_sparsity=jac)
    if not sol.success:
        raise RuntimeError(f"finite-volume reference failed: {sol.message}")
    out = []
    for i in range(times.size):
        c = sol.y[:, i]
        c_centre = (9 * c[0] - c[1]) / 8  # c = c(0) + a r^2 near the centre
        # surface: quadratic through the last three cell centres
        x = rc[-3:]
        c_surface = float(np.polyval(np.polyfit(x - R, c[-3:], 2), 0.0))
        r = np.concatenate([[0.0], rc, [R]])
        cc = np.concatenate([[c_centre], c, [c_surface]])
        # cumulative integral of c r^2 dr (trapezoid), the exact cell inventory at the surface
        cum = np.concatenate([[0.0], np.cumsum(0.5 * (cc[1:] * r[1:] ** 2 + cc[:-1] * r[:-1] ** 2) * np.diff(r))])
        total = float(np.sum(c * vol))
        cum *= total / cum[-1]
        c_avg = 3 * total / R**3
        s = Omega * E / (3 * (1 - nu))
        with np.errstate(invalid="ignore", divide="ignore"):
            inner = np.where(r > 0, cum / np.maximum(r, 1e-300) ** 3, c_centre / 3)
        sigma_r = 2 * s * (total / R**3 - inner)
        sigma_t = s * (2 * total / R**3 + inner - cc)
        out.append({"r": r, "c": cc, "c_avg": c_avg, "sigma_r": sigma_r, "sigma_t": sigma_t,
                    "c_centre": float(c_centre), "c_surface": c_surface, "sigma_r_centre": float(sigma_r[0]),
                    "sigma_t_surface": float(sigma_t[-1]),
                    "sigma_h_surface": 2 * Omega * E / (9 * (1 - nu)) * (c_avg - c_surface)})
    return out

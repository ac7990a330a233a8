"""Closed-form and series reference solutions for seifem's verification tests.

Sections B1-B6 follow the verification table in docs/verification.md. Conventions: small strain,
isotropic eigenstrain eps* = (Omega/3)(c - c_ref) I, tension positive, J the *inward* molar flux
[mol m^-2 s^-1], sigma_r radial and sigma_t hoop stress. Inputs and outputs are SI
(m, s, Pa, mol m^-3, m^3 mol^-1). Pure numpy/scipy, no dolfinx.

The series solutions broadcast ``r`` against ``t`` (pass ``r[None, :]`` and ``t[:, None]`` for a
time x radius table); memory and time scale as size(broadcast(r, t)) * nterms.
"""

from seifem.analytic.common import c_rate_flux, galvanostatic_stress_scale, tan_roots
from seifem.analytic.films import (
    channel_crack_critical_strain,
    channel_crack_G,
    max_elastic_energy_density,
    sei_thickness_reaction_limited,
    sei_thickness_solvent_diffusion,
)
from seifem.analytic.layers import (
    EPPShell,
    LayeredSphere,
    core_shell_pressure,
    epp_shell_on_core,
    epp_shell_yield_limits,
    epp_sphere_galvanostatic_steady,
    layered_sphere,
    membrane_equibiaxial_stress,
    neo_hookean_membrane_stress,
    shell_hoop_stress,
    yolk_shell_contact_pressure,
)
from seifem.analytic.spheres import (
    hollow_sphere_galvanostatic,
    hollow_sphere_galvanostatic_steady_hoop,
    hollow_sphere_galvanostatic_stress,
    hollow_sphere_stress_from_profile,
    sphere_displacement_from_profile,
    sphere_galvanostatic,
    sphere_galvanostatic_steady,
    sphere_galvanostatic_stress,
    sphere_potentiostatic,
    sphere_potentiostatic_stress,
    sphere_stress_from_profile,
)
from seifem.units import FARADAY, GAS_CONSTANT  # noqa: F401  (CODATA 2018, exact)

__all__ = [
    "FARADAY", "GAS_CONSTANT", "tan_roots", "c_rate_flux", "galvanostatic_stress_scale",
    "sphere_stress_from_profile", "sphere_displacement_from_profile",
    "sphere_galvanostatic", "sphere_galvanostatic_stress", "sphere_galvanostatic_steady",
    "sphere_potentiostatic", "sphere_potentiostatic_stress",
    "hollow_sphere_stress_from_profile", "hollow_sphere_galvanostatic_steady_hoop",
    "hollow_sphere_galvanostatic", "hollow_sphere_galvanostatic_stress",
    "LayeredSphere", "layered_sphere", "core_shell_pressure", "yolk_shell_contact_pressure", "shell_hoop_stress",
    "membrane_equibiaxial_stress", "neo_hookean_membrane_stress",
    "EPPShell", "epp_shell_on_core", "epp_shell_yield_limits", "epp_sphere_galvanostatic_steady",
    "channel_crack_G", "channel_crack_critical_strain", "max_elastic_energy_density",
    "sei_thickness_solvent_diffusion", "sei_thickness_reaction_limited",
]

"""The material library. Each value cites its source; `estimate=True` flags modelling choices
and literature figures that were not checked against the original paper (their source text says
"unverified", "modelling choice", "placeholder" or "derived").

Conventions
-----------
Active materials are named by host, with the guest ion as a suffix where it is not Li: "Sn" is
Sn + Li -> Li22Sn5, "Sn-Na" is Sn + Na -> Na15Sn4. Per host:

* max_concentration c_max = x rho / M (ions per reference = unalloyed host volume, mol/m^3);
* volume_ratio V/V0 = volume of the end phase per host atom over that of the host;
* partial_molar_volume Omega = (V/V0 - 1) / c_max, so that the volumetric swelling is
  J = 1 + Omega c (finite strain) and reaches V/V0 at c = c_max. A small-strain eigenstrain
  Omega c / 3 per axis has the right trace but over-states the linear strain at full insertion
  ((V/V0)^(1/3) - 1 is the exact linear strain);
* density, molar_mass, youngs_modulus and poisson_ratio are those of the unalloyed host; the
  alloyed phases are softer (Li_xSi ~80 -> 12 GPa, Na alloys up to 75 % softer) - see the notes;
* yield_stress, fracture_energy and fracture_toughness are those of the alloyed phase, where known.

Short source keys used below (full strings in the values):
- M1: docs/materials.md table M1: capacities, c_max and Omega computed from the host
  density and the crystallographic volume of the end phase. The computation was redone for this
  library (same numbers); lattice inputs are cross-checked where a public source was found.
- PMG: materialsproject/pymatgen src/pymatgen/core/periodic_table.json (WebElements data:
  "Density of solid", "Youngs modulus", "Poissons ratio", "Atomic mass").
- Ai2022: PyBaMM parameter set Chen2020_composite (Si "secondary" phase),
  pybamm-team/PyBaMM src/pybamm/input/parameters/lithium_ion/Chen2020_composite.py.
- GaoHong2016: F. Gao, W. Hong, J. Mech. Phys. Solids 94, 18-32 (2016), doi:10.1016/j.jmps.2016.04.020.
- VIDRINE: table "Mechanical properties of transmissive optical materials" (vidrine.com/iropmat3.htm):
  strength, K_Ic and density of bulk optical crystals and glasses.
"""

from __future__ import annotations

from seifem.materials import Material
from seifem.materials.active import (
    ALUMINIUM,
    ANTIMONY,
    ANTIMONY_K,
    ANTIMONY_NA,
    BISMUTH,
    BISMUTH_K,
    BISMUTH_NA,
    GERMANIUM,
    PHOSPHORUS,
    PHOSPHORUS_K,
    PHOSPHORUS_NA,
    SILICON,
    TIN,
    TIN_NA,
)
from seifem.materials.binders import BINDERS
from seifem.materials.coatings import (
    ALUMINA,
    AMORPHOUS_CARBON,
    GRAPHENE,
    MAGNESIUM_FLUORIDE,
    POLYANILINE,
    POLYPYRROLE,
    SILICA,
    TITANIA,
    ZIRCONIA,
)
from seifem.materials.sei import SEI_CARBONATE, SEI_ETHER, SEI_LIF, SEI_NA_DIGLYME

LIBRARY: list[Material] = [
    SILICON, GERMANIUM, TIN, ANTIMONY, BISMUTH, PHOSPHORUS, ALUMINIUM,
    TIN_NA, ANTIMONY_NA, PHOSPHORUS_NA, BISMUTH_NA,
    ANTIMONY_K, PHOSPHORUS_K, BISMUTH_K,
    AMORPHOUS_CARBON, GRAPHENE, SILICA, TITANIA, ALUMINA, ZIRCONIA, MAGNESIUM_FLUORIDE, POLYPYRROLE, POLYANILINE,
    SEI_CARBONATE, SEI_ETHER, SEI_LIF, SEI_NA_DIGLYME,
    *BINDERS,
]

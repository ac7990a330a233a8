"""Coating materials: carbons, oxides, fluorides, conducting polymers."""

from __future__ import annotations

from seifem.materials import Material
from seifem.materials.sources import V

# --------------------------------------------------------------------------- coatings

AMORPHOUS_CARBON = Material(
    name="carbon",
    kind="coating",
    description="amorphous / pyrolytic carbon coating (CVD or pyrolysis, 2-30 nm)",
    values={
        "youngs_modulus": V(100e9, "modelling choice, unverified: measured 20-300 GPa, process dependent", estimate=True),
        "poisson_ratio": V(0.25, "modelling choice, unverified: typical 0.2-0.3", estimate=True),
        "density": V(2000.0, "unverified: typical amorphous carbon 1.8-2.2 g/cm^3", estimate=True),
    },
)

GRAPHENE = Material(
    name="graphene",
    kind="coating",
    description="graphene wrap, a membrane: E t = 340 N/m per layer (t = 0.335 nm); give the coating thickness "
                "as n x 0.335 nm so that E t matches n layers; bending stiffness is not represented",
    values={
        "youngs_modulus": V(1.0e12, "Lee, Wei, Kysar & Hone, Science 321, 385 (2008): 2D stiffness 340 N/m, "
                                    "E = 1.0 TPa for t = 0.335 nm"),
        "poisson_ratio": V(0.165, "in-plane value of graphite (Blakslee et al. 1970), unverified", estimate=True),
        "density": V(2267.0, "graphite, PMG 'Density of solid' C (2267 kg/m^3); 0.77 mg/m^2 per layer / 0.335 nm"),
        "strength": V(130e9, "intrinsic strength of defect-free monolayer, 42 N/m = 130 GPa (Lee et al. 2008); "
                             "CVD graphene with grain boundaries and defects is weaker"),
    },
)

SILICA = Material(
    name="SiOx",
    kind="coating",
    description="amorphous silicon oxide shell (native oxide 1-3 nm, grown 2-15 nm); lithiates partly in the first cycle",
    values={
        "youngs_modulus": V(72e9, "unverified: fused silica handbook value; thin SiOx films vary", estimate=True),
        "poisson_ratio": V(0.17, "unverified: fused silica handbook value", estimate=True),
        "density": V(2200.0, "unverified: fused silica handbook value 2.2 g/cm^3", estimate=True),
    },
)

TITANIA = Material(
    name="TiO2",
    kind="coating",
    description="ALD titania shell (amorphous as deposited, 1-10 nm); bulk rutile is much stiffer (230-290 GPa)",
    values={
        "youngs_modulus": V(150e9, "modelling choice, unverified: ALD TiO2 ~100-180 GPa (E and nu measured by "
                                   "Borgese et al., Surf. Coat. Technol. 206, 2459 (2012); numbers not retrieved)",
                            estimate=True),
        "poisson_ratio": V(0.27, "unverified handbook value for TiO2", estimate=True),
        "density": V(3800.0, "unverified: ALD amorphous TiO2 ~3.6-4.0 g/cm^3 (anatase 3.89)", estimate=True),
    },
)

ALUMINA = Material(
    name="Al2O3",
    kind="coating",
    description="ALD alumina shell (amorphous, 0.5-5 nm, 2-50 cycles); lithiates to compliant Li-Al-O",
    values={
        "youngs_modulus": V(170e9, "bulge test of a 15 nm free-standing ALD Al2O3 film (115 GPa at 50 nm), Rontu "
                                   "et al., 2018 (Aalto repository abstract)"),
        "poisson_ratio": V(0.24, "unverified handbook value for amorphous alumina", estimate=True),
        "density": V(3280.0, "15 nm ALD Al2O3 film, 3.28 g/cm^3 (3.11 at 50 nm), Rontu et al. 2018"),
        "strength": V(2.25e9, "ALD Al2O3 membranes 2.25-3.00 GPa (Weibull), Berdova et al., J. Vac. Sci. Technol. A "
                              "33, 01A106 (2015); 1.72 GPa (50 nm) to 4.21 GPa (15 nm) in Rontu et al. 2018"),
    },
)

ZIRCONIA = Material(
    name="ZrO2",
    kind="coating",
    description="zirconia shell (ALD or sol-gel, 1-10 nm)",
    values={
        "youngs_modulus": V(200e9, "unverified handbook value for ZrO2", estimate=True),
        "poisson_ratio": V(0.30, "unverified handbook value for ZrO2", estimate=True),
        "density": V(5850.0, "zirconia 5.85 g/cm^3 (VIDRINE table); thin films may be less dense"),
        "fracture_toughness": V(2.0e6, "zirconia K_Ic 2.0 MPa m^0.5 (VIDRINE table, bulk)"),
    },
)

MAGNESIUM_FLUORIDE = Material(
    name="MgF2",
    kind="coating",
    description="magnesium fluoride shell (1-10 nm)",
    values={
        "youngs_modulus": V(138e9, "unverified handbook value for polycrystalline MgF2 (~130-140 GPa)", estimate=True),
        "poisson_ratio": V(0.27, "unverified handbook value for MgF2", estimate=True),
        "density": V(3177.0, "MgF2 3.177 g/cm^3 (bbotech.com MgF2 data; 3.18 in VIDRINE table)"),
        "strength": V(49e6, "bulk optical MgF2, 49 MPa (VIDRINE table); flaw-controlled bulk value, a nm film is "
                            "likely stronger - modelling choice for a lower bound", estimate=True),
        "fracture_toughness": V(1.0e6, "MgF2 K_Ic 1.0 MPa m^0.5 (VIDRINE table, bulk)"),
    },
)

POLYPYRROLE = Material(
    name="PPy",
    kind="coating",
    description="polypyrrole conducting-polymer shell (<5-30 nm); viscoelastic, large strain to failure",
    values={
        "youngs_modulus": V(1.5e9, "unverified: electropolymerised PPy films ~0.5-3 GPa", estimate=True),
        "poisson_ratio": V(0.35, "unverified typical polymer value", estimate=True),
        "density": V(1480.0, "unverified: PPy ~1.48 g/cm^3", estimate=True),
        "strength": V(40e6, "modelling choice, unverified: typical PPy film; tough PEG-doped PPy films reach 125 MPa "
                            "(CAS news release, 3 May 2017)", estimate=True),
    },
)

POLYANILINE = Material(
    name="PANI",
    kind="coating",
    description="polyaniline conducting-polymer shell (<5-30 nm); viscoelastic",
    values={
        "youngs_modulus": V(0.9e9, "PANI hydrochloride pellets 0.9 +- 0.2 GPa (base 1.3 GPa), Charles University "
                                   "record nomos.is.cuni.cz/publication/72271"),
        "poisson_ratio": V(0.35, "unverified typical polymer value", estimate=True),
        "density": V(1330.0, "unverified: PANI ~1.3-1.36 g/cm^3", estimate=True),
        "strength": V(40e6, "modelling choice, unverified: cast PANI films, tens of MPa", estimate=True),
    },
)

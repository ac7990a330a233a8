"""Binder materials (kind "binder") for electrode patches: the carbon-binder domain between the
particles, taken as a homogeneous, isotropic solid, linear elastic or visco-elastic
(`electrode.binder_law`).

Polymer binders are viscoelastic, swell in the electrolyte (PVDF takes up ~20 wt % carbonate
solvent) and are stiffened by carbon black; the numbers below are small-strain moduli of the
polymer at room temperature, within the ranges reported for these polymers, and every one is
flagged as an estimate: none was checked against an original measurement here. Replace them
by measured values of the wetted carbon-binder composite of the electrode at hand (case
overrides `electrode.binder_youngs_modulus` and, for the visco-elastic law,
`electrode.binder_relaxed_youngs_modulus`, `electrode.binder_relaxation_time`).

Relaxation (`relaxed_youngs_modulus` E_inf, `relaxation_time` tau of one Maxwell branch in
shear, `physics.viscoelasticity`): no relaxation modulus of a battery binder could be read here.
Tensile stress relaxation of CMC/SBR and sodium alginate films with carbon black in a liquid
electrolyte is reported (Polymers 11, 1500 (2019): relaxation present, a shorter characteristic
time with more carbon black; abstract only, no numbers), and instrumented indentation of PVDF
finds its modulus falling with the hold time up to ~30 s and constant after (Oliveira et al.,
Polymer Testing 34, 10 (2014), abstract only). The values are therefore estimates: E_inf = E_0 / 2
(a semicrystalline or glassy polymer near room temperature keeps a large part of its stiffness),
tau = 10 s for PVDF (the ~30 s settling of the indentation modulus read as ~3 tau) and 100 s,
an order of magnitude of a lithiation step's time, for the water-processed binders. The elastic
binder (a cross-linked elastomer network) has none: elastic only.
"""

from __future__ import annotations

from seifem.materials import Material
from seifem.materials.sources import V

PVDF = Material(
    name="PVDF",
    kind="binder",
    description="poly(vinylidene fluoride), the NMP-processed standard binder; swells and softens in carbonate "
                "electrolyte and holds alloy particles poorly",
    values={
        "youngs_modulus": V(1.0e9, "unverified: PVDF homopolymer 1-2.5 GPa dry, lower when swollen by electrolyte "
                                   "(solvent uptake ~20 wt %, ACS Appl. Mater. Interfaces 14, 51808 (2022), Table 1)",
                            estimate=True),
        "poisson_ratio": V(0.34, "unverified: handbook value for semicrystalline PVDF", estimate=True),
        "relaxed_youngs_modulus": V(0.5e9, "modelling choice, unverified: E_0 / 2; PVDF relaxes under load "
                                           "(Vinogradov & Holloway, Polymer Testing 19, 131 (2000), abstract only; "
                                           "no modulus read)", estimate=True),
        "relaxation_time": V(10.0, "estimate, unverified: the indentation modulus of PVDF settles within ~30 s of "
                                   "hold (Oliveira et al., Polymer Testing 34, 10 (2014), abstract), read as ~3 tau",
                             estimate=True),
        "density": V(1780.0, "unverified: handbook density of PVDF 1.76-1.79 g/cm^3", estimate=True),
    },
)

CMC = Material(
    name="CMC",
    kind="binder",
    description="sodium carboxymethyl cellulose, water-processed; stiff and brittle as a dry film, often used "
                "with SBR",
    values={
        "youngs_modulus": V(3.0e9, "unverified: dry CMC films are reported stiffer than PVDF (several GPa); "
                                   "modelling choice", estimate=True),
        "poisson_ratio": V(0.3, "modelling choice, unverified", estimate=True),
        "relaxed_youngs_modulus": V(1.5e9, "modelling choice, unverified: E_0 / 2; CMC/SBR films relax in "
                                           "electrolyte (Polymers 11, 1500 (2019), abstract only, no numbers)",
                                    estimate=True),
        "relaxation_time": V(100.0, "modelling choice, unverified: of the order of a lithiation step", estimate=True),
        "density": V(1600.0, "unverified: cellulose ethers ~1.6 g/cm^3", estimate=True),
    },
)

PAA = Material(
    name="PAA",
    kind="binder",
    description="poly(acrylic acid), water-processed; carboxyl groups bond to the oxide surface of Si",
    values={
        "youngs_modulus": V(4.0e9, "unverified: dry PAA film of a few GPa; modelling choice", estimate=True),
        "poisson_ratio": V(0.35, "modelling choice, unverified", estimate=True),
        "relaxed_youngs_modulus": V(2.0e9, "modelling choice, unverified: E_0 / 2", estimate=True),
        "relaxation_time": V(100.0, "modelling choice, unverified: of the order of a lithiation step", estimate=True),
        "density": V(1400.0, "unverified: PAA ~1.4 g/cm^3", estimate=True),
    },
)

ALGINATE = Material(
    name="alginate",
    kind="binder",
    description="sodium alginate from brown algae (Kovalenko et al., Science 334, 75 (2011)): stiffer than "
                "PVDF and reported not to soften in carbonate electrolyte",
    values={
        "youngs_modulus": V(6.0e9, "unverified: dry alginate films of several GPa (Kovalenko et al. 2011, number "
                                   "not retrieved); modelling choice", estimate=True),
        "poisson_ratio": V(0.3, "modelling choice, unverified", estimate=True),
        "relaxed_youngs_modulus": V(3.0e9, "modelling choice, unverified: E_0 / 2; alginate films relax in "
                                           "electrolyte (Polymers 11, 1500 (2019), abstract only, no numbers)",
                                    estimate=True),
        "relaxation_time": V(100.0, "modelling choice, unverified: of the order of a lithiation step", estimate=True),
        "density": V(1600.0, "unverified: sodium alginate ~1.6 g/cm^3", estimate=True),
    },
)

ELASTIC_BINDER = Material(
    name="elastic-binder",
    kind="binder",
    description="a highly elastic binder such as polyrotaxane-PAA (Choi et al., Science 357, 279 (2017)) or a "
                "self-healing polymer: rubber-like stiffness, large reversible stretch",
    values={
        "youngs_modulus": V(0.05e9, "modelling choice, unverified: elastomer-like 10-100 MPa", estimate=True),
        "poisson_ratio": V(0.45, "modelling choice, unverified: nearly incompressible rubber-like network",
                           estimate=True),
        "density": V(1300.0, "unverified: typical polymer density", estimate=True),
    },
)

BINDERS = [PVDF, CMC, PAA, ALGINATE, ELASTIC_BINDER]

"""SEI property sets: carbonate- and ether-derived, LiF-rich, Na diglyme."""

from __future__ import annotations

from seifem.materials import Material
from seifem.materials.sources import V

# --------------------------------------------------------------------------- SEI

GAMMA_PLACEHOLDER = ("placeholder: SEI fracture energy is poorly known; docs/verification.md B5.3 uses 1 J/m^2. "
                     "Measured by Yoon et al., Energy Storage Mater. (2020), doi:10.1016/j.ensm.2019.10.009 "
                     "(Li metal, values not retrieved)")

SEI_RESISTIVITY = "PyBaMM OKane2022 'SEI resistivity [Ohm.m]' 2e5 (fitted, not a 'true' value, as the file notes)"

SEI_CARBONATE = Material(
    name="sei-carbonate",
    kind="sei",
    description="inorganic-rich SEI from carbonate electrolytes (LiF, Li2CO3, Li2O): stiff, brittle",
    values={
        "youngs_modulus": V(5e9, "modelling choice, unverified: AFM range 0.1-10 GPa on Si/graphite, inorganic-rich end", estimate=True),
        "poisson_ratio": V(0.3, "unverified: typical of LiF / Li2CO3", estimate=True),
        "elastic_strain_limit": V(0.02, "modelling choice for a brittle inorganic film, unverified", estimate=True),
        "fracture_energy": V(1.0, GAMMA_PLACEHOLDER, estimate=True),
        "resistivity": V(2e5, SEI_RESISTIVITY, estimate=False),
    },
)

SEI_ETHER = Material(
    name="sei-ether",
    kind="sei",
    description="elastic organic-rich SEI from ether (glyme) electrolytes",
    values={
        "youngs_modulus": V(0.355e9, "NaBF4-diglyme SEI, Huang et al. EES 2019, as quoted in reviews; unverified", estimate=True),
        "poisson_ratio": V(0.4, "modelling choice, unverified: polymeric film", estimate=True),
        "elastic_strain_limit": V(0.10, "modelling choice for a compliant film, unverified", estimate=True),
        "fracture_energy": V(1.0, GAMMA_PLACEHOLDER, estimate=True),
        "resistivity": V(2e5, SEI_RESISTIVITY + " (the carbonate-SEI value, assumed, unverified for this film)", estimate=True),
    },
)

SEI_LIF = Material(
    name="sei-LiF-rich",
    kind="sei",
    description="LiF-dominated SEI (fluorinated electrolytes: FEC, LiFSI, localized high-concentration); "
                "stiffer than a carbonate SEI, still thin",
    values={
        "youngs_modulus": V(10e9, "modelling choice, unverified: between mixed carbonate SEI (0.1-10 GPa, AFM) and "
                                  "bulk LiF (~65-70 GPa)", estimate=True),
        "poisson_ratio": V(0.3, "unverified: typical of LiF", estimate=True),
        "elastic_strain_limit": V(0.02, "modelling choice, unverified: brittle inorganic film; DFT suggests LiF "
                                        "interfaces on Li_xSi deform plastically rather than crack", estimate=True),
        "fracture_energy": V(1.0, GAMMA_PLACEHOLDER, estimate=True),
        "resistivity": V(2e5, SEI_RESISTIVITY + " (the carbonate-SEI value, assumed, unverified for this film)", estimate=True),
    },
)

SEI_NA_DIGLYME = Material(
    name="sei-Na-diglyme",
    kind="sei",
    description="NaBF4/diglyme-derived SEI on a Na alloy anode (Sn): thin, organic-rich, elastic; '79 % elasticity' "
                "quoted in reviews is an AFM elastic-recovery ratio, not a strain",
    values={
        "youngs_modulus": V(0.355e9, "Huang et al., Energy Environ. Sci. 2019, 355 MPa as quoted in reviews; "
                                     "unverified against the paper", estimate=True),
        "poisson_ratio": V(0.4, "modelling choice, unverified: polymeric film", estimate=True),
        "elastic_strain_limit": V(0.10, "modelling choice, unverified: compliant film (not the 79 % recovery ratio)",
                                  estimate=True),
        "fracture_energy": V(1.0, GAMMA_PLACEHOLDER, estimate=True),
        "resistivity": V(2e5, SEI_RESISTIVITY + " (the carbonate-SEI value, assumed, unverified for this film)", estimate=True),
    },
)

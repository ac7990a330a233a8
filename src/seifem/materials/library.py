"""The material library. Each value cites its source; `estimate=True` flags modelling choices
and literature figures that were not checked against the original paper.

Sources (short keys used below):
- GaoHong2016: Y. Gao, W. Hong, J. Mech. Phys. Solids 2016, doi:10.1016/j.jmps.2016.04.020
  (a-Si modulus ~80 GPa after Hertzberg et al. 2011; elastic constants of Li_xSi).
- Ai2022: PyBaMM parameter set Chen2020_composite (Si "secondary" phase, citation Ai2022),
  pybamm-team/PyBaMM src/pybamm/input/parameters/lithium_ion/Chen2020_composite.py.
- M1: capacities, c_max and partial molar volumes computed from the host density and the
  crystallographic volume of the end phase (shared/reference/materials.md, table M1).
- CRC: CRC Handbook of Chemistry and Physics, densities of the elements.
"""

from __future__ import annotations

from . import Material, Value

V = Value

SILICON = Material(
    name="Si",
    kind="active",
    ion="Li",
    description="amorphous Si alloying with Li up to Li15Si4 (Li3.75Si, 3579 mAh/g, +281 % volume)",
    values={
        "youngs_modulus": V(80e9, "GaoHong2016 (a-Si, after Hertzberg et al. 2011)"),
        "poisson_ratio": V(0.22, "Ai2022"),
        "diffusivity": V(1.67e-14, "Ai2022 (measured range 1e-18..1e-14 m^2/s)"),
        "max_concentration": V(310970.0, "M1: Li15Si4 on Si at 2.329 g/cm^3"),
        "partial_molar_volume": V(9.03e-6, "M1: Li15Si4 lattice a = 10.685 A, V/V0 = 3.81"),
        "density": V(2329.0, "CRC"),
    },
)

AMORPHOUS_CARBON = Material(
    name="carbon",
    kind="coating",
    description="amorphous / pyrolytic carbon coating (CVD or pyrolysis, 2-30 nm)",
    values={
        "youngs_modulus": V(100e9, "typical modelling value; measured 20-300 GPa, process dependent", estimate=True),
        "poisson_ratio": V(0.25, "typical modelling value (0.2-0.3)", estimate=True),
        "density": V(2000.0, "typical amorphous carbon (1.8-2.2 g/cm^3)", estimate=True),
    },
)

SILICA = Material(
    name="SiOx",
    kind="coating",
    description="amorphous silicon oxide shell (native oxide 1-3 nm, grown 2-15 nm); lithiates partly in the first cycle",
    values={
        "youngs_modulus": V(72e9, "fused silica (handbook); thin SiOx films vary", estimate=True),
        "poisson_ratio": V(0.17, "fused silica (handbook)", estimate=True),
        "density": V(2200.0, "fused silica (handbook)", estimate=True),
    },
)

SEI_CARBONATE = Material(
    name="sei-carbonate",
    kind="sei",
    description="inorganic-rich SEI from carbonate electrolytes (LiF, Li2CO3, Li2O): stiff, brittle",
    values={
        "youngs_modulus": V(5e9, "AFM range 0.1-10 GPa on Si/graphite, inorganic-rich end", estimate=True),
        "poisson_ratio": V(0.3, "typical of LiF / Li2CO3", estimate=True),
        "elastic_strain_limit": V(0.02, "modelling choice for a brittle inorganic film", estimate=True),
    },
)

SEI_ETHER = Material(
    name="sei-ether",
    kind="sei",
    description="elastic organic-rich SEI from ether (glyme) electrolytes",
    values={
        "youngs_modulus": V(0.355e9, "NaBF4-diglyme SEI, Huang et al. EES 2019, as quoted in reviews", estimate=True),
        "poisson_ratio": V(0.4, "assumed for a polymeric film", estimate=True),
        "elastic_strain_limit": V(0.10, "modelling choice for a compliant film", estimate=True),
    },
)

LIBRARY: list[Material] = [SILICON, AMORPHOUS_CARBON, SILICA, SEI_CARBONATE, SEI_ETHER]

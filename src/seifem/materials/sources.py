"""Short source keys shared by the library modules, and the host elements' data (density,
molar mass, elastic constants) from which the alloyed phases are built."""

from __future__ import annotations

from seifem.materials import Value

V = Value

M1 = "M1 computed (docs/materials.md)"
PMG = "pymatgen src/pymatgen/core/periodic_table.json (WebElements)"
AI2022 = "Ai2022, PyBaMM src/pybamm/input/parameters/lithium_ion/Chen2020_composite.py"
D_CHOICE = ("modelling choice, unverified: order of magnitude only; GITT/EIS diffusivities of alloy anodes "
            "span ~1e-18..1e-12 m^2/s with technique and state of charge")
I0_PLACEHOLDER = ("placeholder, unverified: order of magnitude of alloy-anode exchange currents (the Si value of Ai2022 "
                  "is 0.33 A/m^2); fit to rate tests before quantitative voltage work")
NA_SOFTENING = ("host value; the alloyed phase is softer: DFT gives up to 75 % lower moduli on sodiation "
                "(Mortazavi, Deng, Shenoy & Medhekar, J. Power Sources 225, 207 (2013), highlights)")

# --------------------------------------------------------------------------- hosts

def _host_si() -> dict[str, Value]:
    return {
        "density": V(2329.0, "CRC handbook c-Si 2.329 g/cm^3 (PMG: 2330 kg/m^3)"),
        "molar_mass": V(28.0855e-3, "standard atomic weight (PMG)"),
        "youngs_modulus": V(80e9, "GaoHong2016 (a-Si ~80 GPa, after Hertzberg et al. 2011)"),
        "poisson_ratio": V(0.22, AI2022),
    }


def _host_ge() -> dict[str, Value]:
    return {
        "density": V(5323.0, "PMG (5323 kg/m^3); matprop.ru Ge basic parameters 5.3234 g/cm^3"),
        "molar_mass": V(72.630e-3, "IUPAC standard atomic weight (PMG: 72.64)"),
        "youngs_modulus": V(103e9, "unverified handbook <100> value of c-Ge; isotropic c-Ge is stiffer, [111] Ge "
                                   "nanowires 91.9 GPa (Maksud et al. 2015, Sandia abstract), a-Li_xGe much softer "
                                   "(Pharr et al., J. Power Sources 304, 164 (2016))", estimate=True),
        "poisson_ratio": V(0.26, "unverified handbook value for Ge", estimate=True),
    }


def _host_sn(alloy_note: str = "") -> dict[str, Value]:
    return {
        "density": V(7287.0, "beta-Sn, CRC handbook 7.287 g/cm^3 (= lattice a = 5.8318, c = 3.1819 A; PMG: 7310)"),
        "molar_mass": V(118.710e-3, "standard atomic weight (PMG)"),
        "youngs_modulus": V(50e9, "beta-Sn, PMG 'Youngs modulus' 50 GPa" + alloy_note),
        "poisson_ratio": V(0.36, "beta-Sn, PMG 'Poissons ratio' 0.36"),
    }


def _host_sb(alloy_note: str = "") -> dict[str, Value]:
    return {
        "density": V(6697.0, "PMG (6697 kg/m^3)"),
        "molar_mass": V(121.760e-3, "standard atomic weight (PMG)"),
        "youngs_modulus": V(55e9, "PMG 'Youngs modulus' 55 GPa" + alloy_note),
        "poisson_ratio": V(0.25, "unverified handbook value for Sb (PMG has no data)", estimate=True),
    }


def _host_bi(alloy_note: str = "") -> dict[str, Value]:
    return {
        "density": V(9780.0, "PMG (9780 kg/m^3)"),
        "molar_mass": V(208.980e-3, "standard atomic weight (PMG: 208.9804)"),
        "youngs_modulus": V(32e9, "PMG 'Youngs modulus' 32 GPa" + alloy_note),
        "poisson_ratio": V(0.33, "PMG 'Poissons ratio' 0.33"),
    }


def _host_red_p() -> dict[str, Value]:
    return {
        "density": V(2340.0, "red P, upper end of 2.0-2.34 g/cm^3 (amorphous red P varies with preparation; "
                             "biologyinsights.com 'density of phosphorus'); unverified against a handbook",
                     estimate=True),
        "molar_mass": V(30.974e-3, "standard atomic weight 30.973762"),
        "youngs_modulus": V(30e9, "modelling choice, unverified: red P elastic constants were measured by "
                                  "nanoindentation in Capone et al., Matter (2020), doi:10.1016/j.matt.2020.09.017, "
                                  "numbers not retrieved; replace when available", estimate=True),
        "poisson_ratio": V(0.30, "modelling choice, unverified (Capone et al. 2020 measured nu; not retrieved)",
                           estimate=True),
    }


def _host_al() -> dict[str, Value]:
    return {
        "density": V(2700.0, "PMG (2700 kg/m^3)"),
        "molar_mass": V(26.9815e-3, "standard atomic weight (PMG: 26.9815386)"),
        "youngs_modulus": V(70e9, "PMG 'Youngs modulus' 70 GPa"),
        "poisson_ratio": V(0.35, "PMG 'Poissons ratio' 0.35"),
    }


def _alloy(c_max: float, omega: float, ratio: float, phase: str, lattice: str, checked: bool,
           c_estimate: bool = False, src: str = M1) -> dict[str, Value]:
    """c_max, Omega and V/V0 of one end phase; `checked` says whether V/V0 was cross-checked."""
    how = "cross-checked" if checked else "unverified lattice input (recalled)"
    return {
        "max_concentration": V(c_max, f"{src}: c_max = x rho/M for {phase}"
                               + ("; unverified host density" if c_estimate else ""), estimate=c_estimate),
        "volume_ratio": V(ratio, f"{src}: {phase}, {lattice}; {how}", estimate=not checked),
        "partial_molar_volume": V(omega, f"{src}: Omega = (V/V0 - 1)/c_max for {phase}, V/V0 = {ratio:g}; {how}",
                                  estimate=not checked),
    }

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
- GaoHong2016: Y. Gao, W. Hong, J. Mech. Phys. Solids 2016, doi:10.1016/j.jmps.2016.04.020.
- VIDRINE: table "Mechanical properties of transmissive optical materials" (vidrine.com/iropmat3.htm):
  strength, K_Ic and density of bulk optical crystals and glasses.
"""

from __future__ import annotations

from seifem.materials import Material, Value

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


# --------------------------------------------------------------------------- active: Li

SILICON = Material(
    name="Si",
    kind="active",
    ion="Li",
    description="amorphous Si alloying with Li up to Li15Si4 (Li3.75Si, 3579 mAh/g, +281 % volume)",
    values={
        **_host_si(),
        "diffusivity": V(1.67e-14, "Ai2022 (measured range 1e-18..1e-14 m^2/s)"),
        "exchange_current_density": V(0.329, "derived from Ai2022 silicon_LGM50_electrolyte_exchange_current_density_"
                                             "Chen2020: m_ref = 6.48e-7 x 28700/278000 (A/m^2)(m^3/mol)^1.5 times "
                                             "sqrt(c_e = 1000 mol/m^3) x c_max/2 at theta = 0.5 (this c_max)",
                                      estimate=True),
        "reaction_activation_energy": V(35e3, AI2022 + " (E_r of the Si exchange current)"),
        "max_concentration": V(310970.0, "M1: Li15Si4 on Si at 2.329 g/cm^3"),
        "partial_molar_volume": V(9.03e-6, "M1: Li15Si4 lattice a = 10.685 A, V/V0 = 3.81"),
        "volume_ratio": V(3.808, "M1: Li15Si4 (I-43d, a = 10.685 A, room-T XRD) per Si; cross-checked: ~270-280 % "
                                 "volume change quoted by GaoHong2016 (Beaulieu 2001, Obrovac 2004); single-crystal "
                                 "a = 10.6322 A at 123 K (Zeilinger et al. 2013) gives 3.75"),
        "yield_stress": V(1.0e9, "plateau flow stress of Li_xSi films ~1 GPa (Zhao et al. 2012, quoted in "
                                 "GaoHong2016); first-lithiation compressive flow -1.75 GPa (Sethuraman et al., "
                                 "J. Power Sources 195, 5062 (2010))"),
        "fracture_energy": V(8.5, "Pharr, Suo & Vlassak, Nano Lett. 2013: 8.5 +- 4.3 J/m^2 at ~Li0.7Si, "
                                  "5.4-6.9 J/m^2 at ~Li2.8Si"),
        "fracture_toughness": V(0.85e6, "derived: K_Ic = sqrt(E Gamma/(1 - nu^2)) with E = 80 GPa, nu = 0.22, "
                                        "Gamma = 8.5 J/m^2 (Pharr 2013); c-Si K_Ic 0.95 MPa m^0.5 (VIDRINE)",
                                estimate=True),
    },
)

GERMANIUM = Material(
    name="Ge",
    kind="active",
    ion="Li",
    description="amorphous Ge alloying with Li up to Li15Ge4 (Li3.75Ge, 1384 mAh/g, +246 % volume)",
    values={
        **_host_ge(),
        **_alloy(274835.0, 8.936e-6, 3.456, "Li15Ge4 (x = 3.75)", "I-43d, a = 10.78 A", checked=False),
        "diffusivity": V(1e-14, D_CHOICE, estimate=True),
        "exchange_current_density": V(1.0, I0_PLACEHOLDER, estimate=True),
        "yield_stress": V(0.3e9, "a-Li_xGe films: compressive flow stress falls from -0.76 GPa to ~-0.3 GPa at the end "
                                 "of lithiation, rate dependent (Nadimpalli, Tripuraneni & Sethuraman, J. Electrochem. "
                                 "Soc. 162, A2840 (2015), abstract)"),
        "fracture_energy": V(5.6, "a-Li1.6Ge: 5.6 J/m^2 (8.0 J/m^2 at a-Li0.3Ge), Pharr, Choi, Lee, Oh & Vlassak, "
                                  "J. Power Sources 304, 164 (2016), abstract"),
        "fracture_toughness": V(0.79e6, "derived: K_Ic = sqrt(E Gamma/(1 - nu^2)) with E = 103 GPa, nu = 0.26, "
                                        "Gamma = 5.6 J/m^2 (Pharr 2016); c-Ge K_Ic 0.66 MPa m^0.5 (VIDRINE)",
                                estimate=True),
    },
)

TIN = Material(
    name="Sn",
    kind="active",
    ion="Li",
    description="beta-Sn alloying with Li up to Li22Sn5 (Li4.4Sn, 993 mAh/g, +258 % volume); "
                "the beta-Sn host yields at ~150 MPa (Qaiser et al., J. Phys. Chem. C 2016)",
    values={
        **_host_sn("; Li_xSn moduli fall roughly linearly with x (Zhang et al., RSC Adv. 5, 36022 (2015), DFT)"),
        **_alloy(270094.0, 9.537e-6, 3.576, "Li22Sn5 (x = 4.4)", "F-43m, a = 19.78 A, 80 Sn per cell (Li17Sn4, a = 19.714 A, Chem. Met. Alloys 9, 92 (2016), gives 3.54 for x = 4.25)", checked=True),
        "diffusivity": V(1e-14, D_CHOICE, estimate=True),
        "exchange_current_density": V(1.0, I0_PLACEHOLDER, estimate=True),
    },
)

ANTIMONY = Material(
    name="Sb",
    kind="active",
    ion="Li",
    description="Sb alloying with Li up to Li3Sb (660 mAh/g, +135 % volume)",
    values={
        **_host_sb(),
        **_alloy(165005.0, 8.182e-6, 2.350, "Li3Sb (x = 3)", "Fm-3m, a = 6.572 A", checked=False),
        "diffusivity": V(1e-14, D_CHOICE, estimate=True),
        "exchange_current_density": V(1.0, I0_PLACEHOLDER, estimate=True),
    },
)

BISMUTH = Material(
    name="Bi",
    kind="active",
    ion="Li",
    description="Bi alloying with Li up to Li3Bi (385 mAh/g, +114 % volume)",
    values={
        **_host_bi(),
        **_alloy(140396.0, 8.120e-6, 2.140, "Li3Bi (x = 3)", "Fm-3m, a = 6.722 A", checked=False),
        "diffusivity": V(1e-14, D_CHOICE, estimate=True),
        "exchange_current_density": V(1.0, I0_PLACEHOLDER, estimate=True),
    },
)

PHOSPHORUS = Material(
    name="P",
    kind="active",
    ion="Li",
    description="red P alloying with Li up to Li3P (2596 mAh/g, +173 % volume vs red P at 2.34 g/cm^3)",
    values={
        **_host_red_p(),
        **_alloy(226642.0, 7.642e-6, 2.732, "Li3P (x = 3) vs red P 2.34 g/cm^3",
                 "P6_3/mmc, a = 4.273, c = 7.594 A (a = 4.264, c = 7.579 A on Wikipedia 'Lithium phosphide' gives 2.715); "
                 "red P density uncertain", checked=False, c_estimate=True),
        "diffusivity": V(1e-14, D_CHOICE + " (Capone et al., Matter 2020 measured Li/Na/K in red P; not retrieved)",
                         estimate=True),
        "exchange_current_density": V(1.0, I0_PLACEHOLDER, estimate=True),
    },
)

ALUMINIUM = Material(
    name="Al",
    kind="active",
    ion="Li",
    description="Al alloying with Li to LiAl (beta phase, 993 mAh/g, +95 % volume)",
    values={
        **_host_al(),
        **_alloy(100069.0, 9.464e-6, 1.947, "LiAl (x = 1)", "Fd-3m (NaTl type), a = 6.37 A", checked=False),
        "diffusivity": V(1e-14, D_CHOICE, estimate=True),
        "exchange_current_density": V(1.0, I0_PLACEHOLDER, estimate=True),
    },
)

# --------------------------------------------------------------------------- active: Na

TIN_NA = Material(
    name="Sn-Na",
    kind="active",
    ion="Na",
    description="beta-Sn alloying with Na up to Na15Sn4 (Na3.75Sn, 847 mAh/g, +424 % volume)",
    values={
        **_host_sn("; " + NA_SOFTENING),
        **_alloy(230193.0, 1.843e-5, 5.242, "Na15Sn4 (x = 3.75)",
                 "I-43d, a = 13.14 A (a matador OQMD/ICSD PBE table gives 140.2 A^3/Sn, V/V0 = 4.97)", checked=False),
        "diffusivity": V(1e-15, D_CHOICE, estimate=True),
        "exchange_current_density": V(1.0, I0_PLACEHOLDER, estimate=True),
    },
)

ANTIMONY_NA = Material(
    name="Sb-Na",
    kind="active",
    ion="Na",
    description="Sb alloying with Na up to Na3Sb (hexagonal, 660 mAh/g, +293 % volume)",
    values={
        **_host_sb("; " + NA_SOFTENING),
        **_alloy(165005.0, 1.776e-5, 3.930, "Na3Sb (x = 3)",
                 "P6_3/mmc, a = 5.366, c = 9.515 A (Wikipedia 'Sodium antimonide' a = 5.32, c = 9.47 A gives 3.84)",
                 checked=False),
        "diffusivity": V(1e-15, D_CHOICE, estimate=True),
        "exchange_current_density": V(1.0, I0_PLACEHOLDER, estimate=True),
    },
)

PHOSPHORUS_NA = Material(
    name="P-Na",
    kind="active",
    ion="Na",
    description="red P alloying with Na up to Na3P (2596 mAh/g, +331 % volume vs red P at 2.34 g/cm^3; "
                "the literature quotes ~300-490 %)",
    values={
        **_host_red_p(),
        **_alloy(226642.0, 1.461e-5, 4.312, "Na3P (x = 3) vs red P 2.34 g/cm^3",
                 "P6_3/mmc, a = 4.988, c = 8.797 A (single crystal at 165 K: a = 4.9512, c = 8.7874 A, Dong & "
                 "DiSalvo, Acta Cryst. E 61, i223 (2005), gives 4.24); red P density uncertain",
                 checked=False, c_estimate=True),
        "diffusivity": V(1e-15, D_CHOICE + " (Capone et al., Matter 2020 measured Na in red P; not retrieved)",
                         estimate=True),
        "exchange_current_density": V(1.0, I0_PLACEHOLDER, estimate=True),
    },
)

BISMUTH_NA = Material(
    name="Bi-Na",
    kind="active",
    ion="Na",
    description="Bi alloying with Na up to Na3Bi (hexagonal, 385 mAh/g, +250 % volume)",
    values={
        **_host_bi("; " + NA_SOFTENING),
        **_alloy(140396.0, 1.779e-5, 3.497, "Na3Bi (x = 3)",
                 "P6_3/mmc, a = 5.448, c = 9.655 A (Materials Project mp-27838 PBE density 3.63 g/cm^3 gives 3.59)",
                 checked=False),
        "diffusivity": V(1e-15, D_CHOICE, estimate=True),
        "exchange_current_density": V(1.0, I0_PLACEHOLDER, estimate=True),
    },
)

# --------------------------------------------------------------------------- active: K

ANTIMONY_K = Material(
    name="Sb-K",
    kind="active",
    ion="K",
    description="Sb alloying with K up to K3Sb (cubic, 660 mAh/g, +407 % volume); bulk K3Sb is hexagonal, "
                "the cubic D0_3 form is known from thin films",
    values={
        **_host_sb("; " + NA_SOFTENING.replace("on sodiation", "on sodiation; K alloys assumed alike")),
        **_alloy(165005.0, 2.468e-5, 5.073, "cubic K3Sb (x = 3)", "Fm-3m, a = 8.493 A", checked=False),
        "diffusivity": V(1e-16, D_CHOICE, estimate=True),
        "exchange_current_density": V(1.0, I0_PLACEHOLDER, estimate=True),
    },
)

PHOSPHORUS_K = Material(
    name="P-K",
    kind="active",
    ion="K",
    description="red P alloying with K to KP (865 mAh/g, +162 % volume); KP is the end phase seen by XRD in "
                "cycled cells (Wu et al., J. Power Sources 2018) - K4P3 (1154) and K3P (2596 mAh/g) are reported "
                "only as amorphous or partial products (Chen et al., J. Energy Chem. 2022, NMR)",
    values={
        **_host_red_p(),
        "max_concentration": V(75548.0, "computed with the M1 formulas (not in table M1): c_max = x rho/M for KP (x = 1) vs red P 2.34 g/cm^3; unverified host density",
                               estimate=True),
        "volume_ratio": V(2.62, "'alloy reaction to form KP entails a volume expansion of 162%' (red P-graphite "
                                "composite, Materials Today Energy 21, 100840 (2021), abstract); read as dV/V0, "
                                "unverified against a crystal structure", estimate=True),
        "partial_molar_volume": V(2.144e-5, "computed with the M1 formulas: Omega = (V/V0 - 1)/c_max for KP, V/V0 = 2.62; unverified",
                                  estimate=True),
        "diffusivity": V(1e-16, D_CHOICE + " (Capone et al., Matter 2020 measured K in red P; not retrieved)",
                         estimate=True),
        "exchange_current_density": V(1.0, I0_PLACEHOLDER, estimate=True),
    },
)

BISMUTH_K = Material(
    name="Bi-K",
    kind="active",
    ion="K",
    description="Bi alloying with K up to K3Bi (hexagonal, 385 mAh/g, +412 % volume)",
    values={
        **_host_bi("; " + NA_SOFTENING.replace("on sodiation", "on sodiation; K alloys assumed alike")),
        **_alloy(140396.0, 2.937e-5, 5.124, "K3Bi (x = 3)",
                 "P6_3/mmc (Na3As type), a = 6.191, c = 10.955 A, Z = 2, density 2.98 g/cm^3 (wiki entry "
                 "'Trikaliumbismutid', perceptiode.com; cubic above 280 C)", checked=True,
                 src="computed with the M1 formulas (not in table M1)"),
        "diffusivity": V(1e-16, D_CHOICE, estimate=True),
        "exchange_current_density": V(1.0, I0_PLACEHOLDER, estimate=True),
    },
)

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

LIBRARY: list[Material] = [
    SILICON, GERMANIUM, TIN, ANTIMONY, BISMUTH, PHOSPHORUS, ALUMINIUM,
    TIN_NA, ANTIMONY_NA, PHOSPHORUS_NA, BISMUTH_NA,
    ANTIMONY_K, PHOSPHORUS_K, BISMUTH_K,
    AMORPHOUS_CARBON, GRAPHENE, SILICA, TITANIA, ALUMINA, ZIRCONIA, MAGNESIUM_FLUORIDE, POLYPYRROLE, POLYANILINE,
    SEI_CARBONATE, SEI_ETHER, SEI_LIF, SEI_NA_DIGLYME,
]

"""Active (ion-storing) materials: alloy hosts with Li, Na and K (conventions in `library`)."""

from __future__ import annotations

from seifem.materials import Material
from seifem.materials.sources import (
    AI2022,
    D_CHOICE,
    I0_PLACEHOLDER,
    NA_SOFTENING,
    V,
    _alloy,
    _host_al,
    _host_bi,
    _host_ge,
    _host_red_p,
    _host_sb,
    _host_si,
    _host_sn,
)

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

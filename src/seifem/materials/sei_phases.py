"""SEI phases (the solids an SEI is made of) and SEI films defined by their phase fractions.

Each phase is a `Material` of kind "sei-phase" with `ion` the guest ion whose salt it is (None
for an ion-free polymer). Values are those of the bulk solid; nanocrystalline or amorphous SEI
phases can differ. Cubic crystals (LiF, Li2O, NaF, KF) get polycrystal E and nu from their
single-crystal stiffnesses by the Hill average (`physics.homogenisation.cubic_hill`); the
c_ij were not checked against the original measurements here, so they stay flagged as estimates.

Film properties (`sei_film`): E and nu from the Voigt-Reuss-Hill average of the phases' K and G,
density from the exact volume average sum f_i rho_i.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from seifem.materials import Material, Value
from seifem.physics.homogenisation import bulk_shear, check_fractions, cubic_hill, voigt_reuss_hill, young_poisson

__all__ = ["SEI_PHASES", "phase", "phase_names", "sei_film"]

V = Value
GPa = 1e9

CIJ = ("derived: Hill average of the single-crystal stiffnesses c11, c12, c44 = {} GPa; c_ij as recalled from "
       "the CRC Handbook of Chemistry and Physics 'Elastic constants of single crystals' table, unverified here")
ICSD_LI2O = "pymatgen test_files/Li2O.cif (ICSD 22402, _exptl_crystal_density_diffrn 2.02 g/cm^3)"
CRC_DENSITY = "CRC handbook density (unverified here)"
ORGANIC = ("estimate: MD of model Li2EDC/Li2BDC SEIs (Bedrov, Borodin & Hooper, J. Phys. Chem. C 121, 16098 "
           "(2017): abstract only, moduli not retrieved) and AFM SEI moduli 0.1-10 GPa; a GPa-order value chosen")
POLYMER = ("estimate: polyether/oligomer film from glyme reduction, order of the 355 MPa NaBF4-diglyme SEI "
           "(Huang et al., Energy Environ. Sci. 2019, as quoted in reviews; unverified)")
GILMAN = ("estimate: twice the {100} cleavage surface energy of LiF ~0.34 J/m^2 (Gilman, J. Appl. Phys. 31, "
          "2208 (1960), as recalled, unverified)")


def _cubic(c11: float, c12: float, c44: float) -> dict[str, Value]:
    E, nu = young_poisson(*cubic_hill(c11 * GPa, c12 * GPa, c44 * GPa))
    src = CIJ.format(f"{c11:g}, {c12:g}, {c44:g}")
    return {"youngs_modulus": V(E, src, estimate=True), "poisson_ratio": V(nu, src, estimate=True)}


def _phase(name: str, ion: str | None, description: str, values: dict[str, Value]) -> Material:
    return Material(name=name, kind="sei-phase", description=description, values=values, ion=ion)


SEI_PHASES: dict[str, Material] = {m.name: m for m in (
    _phase("LiF", "Li", "lithium fluoride: inner inorganic SEI (fluorinated electrolytes, LiPF6/LiFSI, FEC)", {
        **_cubic(111.2, 42.0, 62.8),
        "density": V(2635.0, CRC_DENSITY),
        "fracture_energy": V(0.68, GILMAN, estimate=True)}),
    _phase("Li2O", "Li", "lithium oxide: inner inorganic SEI, the stiffest common SEI phase", {
        **_cubic(202.0, 21.8, 58.8),
        "density": V(2020.0, ICSD_LI2O)}),
    _phase("Li2CO3", "Li", "lithium carbonate: inorganic SEI from carbonate solvents (monoclinic)", {
        "youngs_modulus": V(60e9, "estimate: DFT range 50-80 GPa quoted in SEI reviews, unverified", estimate=True),
        "poisson_ratio": V(0.25, "estimate: 0.2-0.3 quoted in SEI reviews, unverified", estimate=True),
        "density": V(2110.0, CRC_DENSITY)}),
    _phase("Li-alkyl-carbonate", "Li", "lithium alkyl carbonates (LEDC, Li2EDC): outer organic SEI of carbonates", {
        "youngs_modulus": V(2e9, ORGANIC, estimate=True),
        "poisson_ratio": V(0.35, "estimate: typical of an organic salt/polymer", estimate=True),
        "density": V(1800.0, "estimate: organic lithium salt", estimate=True)}),
    _phase("polymer", None, "polymeric / oligomeric organics (polyethers from glymes, poly(VC/FEC)): compliant", {
        "youngs_modulus": V(0.3e9, POLYMER, estimate=True),
        "poisson_ratio": V(0.45, "estimate: rubbery polymer", estimate=True),
        "density": V(1200.0, "estimate: polyether ~1.1-1.2 g/cm^3", estimate=True)}),
    _phase("NaF", "Na", "sodium fluoride: Na counterpart of LiF", {
        **_cubic(97.0, 24.3, 28.1),
        "density": V(2558.0, CRC_DENSITY)}),
    _phase("Na2CO3", "Na", "sodium carbonate: inorganic SEI from carbonate solvents in Na cells", {
        "youngs_modulus": V(45e9, "estimate: by analogy with Li2CO3, no measured value retrieved", estimate=True),
        "poisson_ratio": V(0.25, "estimate: by analogy with Li2CO3", estimate=True),
        "density": V(2540.0, CRC_DENSITY)}),
    _phase("Na-alkyl-carbonate", "Na", "sodium alkyl carbonates: outer organic SEI of Na carbonate electrolytes", {
        "youngs_modulus": V(2e9, ORGANIC + " (Li analogue)", estimate=True),
        "poisson_ratio": V(0.35, "estimate: typical of an organic salt/polymer", estimate=True),
        "density": V(1800.0, "estimate: organic sodium salt", estimate=True)}),
    _phase("KF", "K", "potassium fluoride: K counterpart of LiF (KFSI/KPF6 electrolytes)", {
        **_cubic(65.8, 14.6, 12.6),
        "density": V(2480.0, CRC_DENSITY)}),
    _phase("K-alkyl-carbonate", "K", "potassium alkyl carbonates: outer organic SEI of K carbonate electrolytes", {
        "youngs_modulus": V(2e9, ORGANIC + " (Li analogue)", estimate=True),
        "poisson_ratio": V(0.35, "estimate: typical of an organic salt/polymer", estimate=True),
        "density": V(1800.0, "estimate: organic potassium salt", estimate=True)}),
)}


def phase_names(ion: str | None = None) -> list[str]:
    """Phase names; with `ion`, those usable in a cell of that ion (its salts and the ion-free ones)."""
    return sorted(n for n, m in SEI_PHASES.items() if ion is None or m.ion in (None, ion))


def phase(name: str) -> Material:
    """The SEI phase called `name` (KeyError if unknown)."""
    return SEI_PHASES[name]


def sei_film(fractions: Mapping[str, float], key: str = "sei.composition", name: str = "sei-film",
             ion: str | None = None) -> Material:
    """An SEI film (kind "sei") of the given phase volume fractions: E, nu by Voigt-Reuss-Hill,
    density by the volume average. Refuses (CaseError naming `key`) unknown phases, fractions
    outside [0, 1] or not summing to 1, and, with `ion`, a phase of another ion."""
    f = check_fractions(fractions, key, SEI_PHASES if ion is None else {n: SEI_PHASES[n] for n in phase_names(ion)})
    names = list(f)
    KG = np.array([bulk_shear(SEI_PHASES[n].si("youngs_modulus"), SEI_PHASES[n].si("poisson_ratio")) for n in names])
    frac = np.array([f[n] for n in names])
    m = voigt_reuss_hill(frac, KG[:, 0], KG[:, 1])
    used = [n for n in names if f[n] > 0]
    est = any(SEI_PHASES[n].values[p].estimate for n in used for p in ("youngs_modulus", "poisson_ratio"))
    mix = ", ".join(f"{n} {f[n]:g}" for n in used)
    src = f"Voigt-Reuss-Hill of {mix} (seifem.physics.homogenisation)"
    values = {
        "youngs_modulus": Value(m.E, src, estimate=est),
        "poisson_ratio": Value(m.nu, src, estimate=est),
        "density": Value(float(sum(f[n] * SEI_PHASES[n].si("density") for n in used)), f"volume average of {mix}",
                         estimate=any(SEI_PHASES[n].values["density"].estimate for n in used)),
    }
    return Material(name=name, kind="sei", description=f"SEI of {mix} (volume fractions)", values=values, ion=ion)

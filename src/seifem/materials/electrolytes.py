"""Electrolyte presets: the SEI an electrolyte forms, as layers (inside out) of phase volume
fractions with thicknesses, and its growth parameters.

The compositions are qualitative literature statements turned into numbers: every fraction set
is flagged as an estimate (no quantitative phase fractions were retrieved), with the statement
it encodes and its source. Thicknesses and growth parameters cite PyBaMM's parameter sets where
they come from there. A preset belongs to one ion; asking for it in a cell of another ion is
refused (`electrolyte`). The layers' E and nu come from `sei_phases.sei_film` (Voigt-Reuss-Hill).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from seifem.errors import CaseError
from seifem.materials import Value
from seifem.materials.sei_phases import sei_film
from seifem.physics.layered_membrane import SEILayer
from seifem.physics.sei_growth import SEIGrowthParameters

__all__ = [
    "ELECTROLYTES",
    "Electrolyte",
    "LayerPreset",
    "electrolyte",
    "electrolyte_names",
    "growth_parameters",
    "listing",
    "sei_layers",
]

CHEN2020 = ("PyBaMM Chen2020_composite.py 'Initial inner/outer SEI thickness [m]' 2.5e-9 each "
            "(docs/materials.md M4)")
OKANE = "PyBaMM OKane2022.py defaults of seifem.physics.sei_growth.SEIGrowthParameters (docs/materials.md M4)"
CARBONATE_SEI = ("estimate: 'inner inorganic (Li2O, Li2CO3, LiF), outer organic (lithium alkyl carbonates)' "
                 "layered SEI of carbonate electrolytes (Peled & Menkin, J. Electrochem. Soc. 164, A1703 (2017), as "
                 "recalled, unverified); fractions are a modelling choice")
FEC_SEI = ("estimate: FEC gives a LiF-rich inner SEI and polycarbonate-type polymer outside (Etacheri et al., "
           "Langmuir 28, 965 (2012), on Si nanowires, as recalled, unverified); fractions are a modelling choice")
ETHER_SEI = ("estimate: ether (DME/DOL, glyme) SEIs are thinner and oligomer/polyether-rich with Li2O/LiF inside "
             "(qualitative review statement, docs/materials.md M4); fractions are a modelling choice")
LHCE_SEI = ("estimate: localized high-concentration electrolytes (LiFSI-DME + fluorinated ether diluent) form a "
            "thin anion-derived, LiF-rich SEI (Chen et al., Adv. Mater. 30, 1706102 (2018), as recalled, "
            "unverified); fractions are a modelling choice")
NA_GLYME_SEI = ("estimate: NaPF6 in glymes on Sn: SEI from NaPF6 decomposition (NaF) and glyme "
                "polymerisation/oligomerisation catalysed by Sn (ACS AMI, doi:10.1021/acsami.9b20616, abstract); "
                "fractions are a modelling choice")
NA_CARBONATE_SEI = ("estimate: by analogy with Li carbonate electrolytes (NaF, Na2CO3 inside, sodium alkyl "
                    "carbonates outside); fractions are a modelling choice")
K_FSI_SEI = ("estimate: FSI- anion reduction gives a KF-rich inorganic SEI in KFSI electrolytes (qualitative "
             "statement, no source retrieved); fractions are a modelling choice")
THIN = "estimate: thinner than the carbonate SEI (qualitative, same statement as the composition); modelling choice"


@dataclass(frozen=True)
class LayerPreset:
    """One SEI layer of a preset: name, phase volume fractions, initial thickness [m] with source."""

    name: str
    composition: Mapping[str, float]
    thickness: Value
    composition_source: str


@dataclass(frozen=True)
class Electrolyte:
    """An electrolyte: ion, description, SEI layers inside out, and growth parameter values
    (fields of SEIGrowthParameters -> Value) that replace the PyBaMM defaults."""

    name: str
    ion: str
    description: str
    layers: tuple[LayerPreset, ...]
    growth: dict[str, Value] = field(default_factory=dict)


def _two(inner: dict, outer: dict, src: str, h_in: Value, h_out: Value) -> tuple[LayerPreset, ...]:
    return (LayerPreset("inner", inner, h_in, src), LayerPreset("outer", outer, h_out, src))


H_CHEN = Value(2.5e-9, CHEN2020)
H_THIN = Value(1.5e-9, THIN, estimate=True)

ELECTROLYTES: dict[str, Electrolyte] = {e.name: e for e in (
    Electrolyte("carbonate", "Li", "LiPF6 in EC/DMC (or EC/DEC): mixed inorganic/organic SEI",
                _two({"Li2O": 0.3, "Li2CO3": 0.4, "LiF": 0.3}, {"Li-alkyl-carbonate": 0.8, "polymer": 0.2},
                     CARBONATE_SEI, H_CHEN, H_CHEN)),
    Electrolyte("carbonate-FEC", "Li", "LiPF6 in EC/DMC with fluoroethylene carbonate: LiF-rich inner SEI",
                _two({"LiF": 0.6, "Li2O": 0.2, "Li2CO3": 0.2}, {"polymer": 0.5, "Li-alkyl-carbonate": 0.5},
                     FEC_SEI, H_CHEN, H_CHEN)),
    Electrolyte("ether", "Li", "LiTFSI/LiFSI in DME/DOL (glymes): thin, polyether-rich SEI",
                _two({"Li2O": 0.5, "LiF": 0.5}, {"polymer": 1.0}, ETHER_SEI, H_THIN, H_CHEN)),
    Electrolyte("LHCE", "Li", "localized high-concentration LiFSI-DME with a fluorinated-ether diluent: thin, LiF-rich",
                _two({"LiF": 0.7, "Li2O": 0.3}, {"LiF": 0.4, "polymer": 0.6}, LHCE_SEI, H_THIN, H_THIN)),
    Electrolyte("NaPF6-diglyme", "Na", "NaPF6 in diglyme: NaF inside, glyme oligomers outside",
                _two({"NaF": 1.0}, {"polymer": 1.0}, NA_GLYME_SEI, H_THIN, H_CHEN)),
    Electrolyte("NaPF6-carbonate", "Na", "NaPF6 in EC/DEC: NaF/Na2CO3 inside, sodium alkyl carbonates outside",
                _two({"NaF": 0.4, "Na2CO3": 0.6}, {"Na-alkyl-carbonate": 0.8, "polymer": 0.2}, NA_CARBONATE_SEI,
                     H_CHEN, H_CHEN)),
    Electrolyte("KFSI-DME", "K", "KFSI in DME: KF-rich inner SEI, polyether outside",
                _two({"KF": 1.0}, {"polymer": 1.0}, K_FSI_SEI, H_THIN, H_CHEN)),
)}


def electrolyte_names(ion: str | None = None) -> list[str]:
    """Preset names, optionally only those of one ion."""
    return sorted(n for n, e in ELECTROLYTES.items() if ion is None or e.ion == ion)


def electrolyte(name: str, ion: str, key: str = "sei.electrolyte") -> Electrolyte:
    """The preset `name` for a cell of `ion`; CaseError(key, ...) if unknown or for another ion."""
    e = ELECTROLYTES.get(name)
    if e is None:
        raise CaseError(key, name, f"one of {', '.join(electrolyte_names())}")
    if e.ion != ion:
        raise CaseError(key, name, f"a {e.ion} electrolyte cannot be used in a {ion} cell; "
                                   f"{ion} presets: {', '.join(electrolyte_names(ion)) or 'none'}")
    return e


def sei_layers(e: Electrolyte, key: str = "sei.electrolyte") -> tuple[SEILayer, ...]:
    """The preset's SEI layers (inside out) with homogenised E and nu."""
    out = []
    for i, L in enumerate(e.layers):
        film = sei_film(L.composition, key=f"{key}.layers[{i}].composition", name=f"{e.name}-{L.name}", ion=e.ion)
        out.append(SEILayer(L.thickness.si, film.si("youngs_modulus"), film.si("poisson_ratio"), name=L.name))
    return tuple(out)


def growth_parameters(e: Electrolyte) -> SEIGrowthParameters:
    """SEI growth parameters of the preset: the PyBaMM defaults with the preset's values, and the
    initial thickness the sum of its layers."""
    values = {k: v.si for k, v in e.growth.items()}
    values.setdefault("initial_thickness", sum(L.thickness.si for L in e.layers))
    return replace(SEIGrowthParameters(), **values)


def listing() -> list[str]:
    """Lines for `seifem materials`: the SEI phases and the electrolyte presets with sources."""
    from seifem.materials.sei_phases import SEI_PHASES

    lines = ["SEI phases (kind sei-phase; films by Voigt-Reuss-Hill of the phase volume fractions):"]
    for n, m in SEI_PHASES.items():
        E, nu, rho = (m.values[k] for k in ("youngs_modulus", "poisson_ratio", "density"))
        flag = "  [estimate]" if E.estimate or nu.estimate else ""
        lines.append(f"  {n} ({m.ion or 'any ion'}): E {E.si / 1e9:.3g} GPa, nu {nu.si:.3g}, "
                     f"rho {rho.si / 1e3:.3g} g/cm^3  {E.source}{flag}")
    lines.append("Electrolyte presets (SEI layers inside out; growth: " + OKANE + "):")
    for n, e in ELECTROLYTES.items():
        lines.append(f"  {n} ({e.ion}): {e.description}")
        for L, S in zip(e.layers, sei_layers(e)):
            comp = ", ".join(f"{p} {f:g}" for p, f in L.composition.items())
            lines.append(f"    {L.name:6s} {L.thickness.si * 1e9:.3g} nm of {comp}: E {S.youngs_modulus / 1e9:.3g} GPa, "
                         f"nu {S.poisson_ratio:.3g}  [estimate] {L.composition_source}")
    return lines

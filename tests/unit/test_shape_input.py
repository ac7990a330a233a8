"""Shape keys of a case (`case_geometry`, `geometry.pores`): every impossible request is
refused before any mesh, in one line naming the key, the value and what is allowed; pore
layouts are reproducible from the seed and keep their ligaments."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from helpers import make_case
from seifem.errors import CaseError
from seifem.geometry.pores import sample_pores

MESHES = Path(__file__).resolve().parents[2] / "meshes"
POROUS = {"shape": "porous", "porosity": 0.15, "pore_radius": "0.16 um", "min_ligament": "70 nm", "seed": 1,
          "surface_mesh_size": "70 nm"}
SHELL = {"material": "carbon", "thickness": "100 nm", "gap": "20 nm"}

REFUSED = [
    # (sections for make_case, key named, words in the message)
    (dict(geometry={"shape": "cube"}), "geometry.shape", ["'sphere'", "'porous'", "'file'"]),
    (dict(geometry={"porosity": 0.2}), "geometry.porosity", ['shape = "porous"']),
    (dict(geometry={"shape": "porous", "pore_radius": "0.1 um"}), "geometry.porosity", ["required"]),
    (dict(geometry={**POROUS, "porosity": 0.45}), "geometry.porosity", ["unreachable", "pore_radius", "min_ligament"]),
    (dict(geometry={**POROUS, "pore_radius": "0.45 um"}), "geometry.pore_radius", ["does not fit", "min_ligament"]),
    (dict(geometry={**POROUS, "min_ligament": "50 nm"}), "geometry.min_ligament", ["cannot be meshed",
                                                                                 "surface_mesh_size"]),
    (dict(geometry={**POROUS, "porosity": 0.001}), "geometry.porosity", ["less than one pore"]),
    (dict(geometry={**POROUS, "pores": "open"}, sei={"material": "sei-carbonate", "thickness": "100 nm",
                                                     "model": "resolved"}), "sei.model", ["open pores"]),
    (dict(geometry={**POROUS, "model": "2d"}), "geometry.model", ["no 2d twin"]),
    (dict(geometry={"shape": "file", "file": "nothere.step", "domain": "full"}), "geometry.file", ["no such file"]),
    (dict(geometry={"shape": "file", "file": str(Path(__file__)), "domain": "full"}), "geometry.file", [".step", ".stl"]),
    (dict(geometry={"shape": "file", "domain": "full"}), "geometry.file", ["required"]),
    (dict(geometry={"shape": "file", "file": str(MESHES / "particle.stl")}), "geometry.domain", ["no symmetry planes"]),
    (dict(geometry={"shape": "ellipsoid", "aspect_ratio": 1.5, "inner_radius": "0.5 um"}), "geometry.inner_radius",
     ['shape = "sphere"']),
    (dict(geometry={"aspect_ratio": 1.5, "aspect_ratio_y": 0.8, "model": "2d"}), "geometry.aspect_ratio_y",
     ["revolution"]),
    (dict(geometry={"shape": "sphere", "aspect_ratio": 1.5}), "geometry.aspect_ratio", ['shape = "ellipsoid"']),
    (dict(geometry={"shape": "yolk-shell"}), "shell", ["needs a [shell]"]),
    (dict(shell=SHELL), "shell", ["yolk-shell"]),
    (dict(geometry={"shape": "yolk-shell", "domain": "full"}, shell=SHELL), "geometry.domain", ["octant"]),
    (dict(geometry={"shape": "yolk-shell"}, shell=SHELL, physics={"mechanics": "finite-strain"}), "physics.mechanics",
     ["small strain"]),
    (dict(geometry={"shape": "yolk-shell"}, shell={**SHELL, "gap": "0 nm"}), "shell.gap", ["> 0"]),
    (dict(geometry={"shape": "yolk-shell"}, shell=SHELL, physics={"coupling": "two-way"}), "physics.coupling",
     ["one-way"]),
    (dict(geometry={"shape": "yolk-shell", "order": 1}, shell=SHELL), "geometry.order", ["curved", "solver.degree = 1"]),
    # layers are offset surfaces: the coated ellipsoid reaches 1.5 R + 0.2 um = 1.7 um along z
    (dict(geometry={"shape": "ellipsoid", "aspect_ratio": 1.5}, coating={"material": "carbon", "thickness": "200 nm"},
          output={"render": False, "fields": False, "probes": {"tip": ["0 um", "0 um", "1.75 um"]}}),
     "output.probes.tip", ["1.7 um"]),
]


@pytest.mark.parametrize("sections,key,words", REFUSED, ids=[r[1] + "-" + str(i) for i, r in enumerate(REFUSED)])
def test_refused_before_meshing(sections, key, words):
    with pytest.raises(CaseError) as err:
        make_case(**sections)
    msg = str(err.value)
    assert err.value.key == key and "\n" not in msg, msg
    for w in words:
        assert w in msg, (w, msg)


def test_shapes_resolve():
    """Defaults per shape: an aspect ratio makes an ellipsoid; imported shapes model the full
    particle; the porous surface size follows the pores and ligaments."""
    assert make_case(geometry={"aspect_ratio": 1.5}).geometry.shape == "ellipsoid"
    assert make_case(geometry={"shape": "file", "file": str(MESHES / "particle.step"), "domain": "full"}).geometry.domain == "full"
    from seifem.case import load_case

    case = load_case(MESHES.parent / "cases" / "si_file.toml")  # file = "../meshes/particle.step", from the case's folder
    assert Path(case.geometry.file) == (MESHES / "particle.step").resolve()
    assert case.raw["geometry"]["file"] == case.geometry.file  # so a run directory's input.toml finds it too
    g = make_case(geometry=POROUS).geometry
    assert g.surface_mesh_size == pytest.approx(70e-9) and g.pores == "closed" and len(g.pore_layout) == 5
    g = make_case(geometry={k: v for k, v in POROUS.items() if k != "surface_mesh_size"} | {"pore_radius": "0.1 um",
                                                                                          "porosity": 0.05}).geometry
    assert g.surface_mesh_size == pytest.approx(0.05e-6)  # half the pore radius (< mesh_size / 2)
    case = make_case(geometry={"shape": "yolk-shell"}, shell=SHELL)
    assert [s.name for s in case.shells] == ["shell"] and case.outer_radius == pytest.approx(1.12e-6)


@pytest.mark.slow
@pytest.mark.parametrize("octant", [True, False])
def test_pore_layout(octant):
    """The same seed gives the same pores, another seed others; every pore keeps the ligament
    from the others, the surface (and the symmetry planes), and they hold the porosity exactly,
    also when random placement jams and the pores are pushed apart (porosity 0.25)."""
    R, lig = 1e-6, 40e-9
    for porosity in (0.1, 0.25) if not octant else (0.1,):
        a = sample_pores(R, porosity, 0.15e-6, 0.1, lig, 3, octant)
        assert a == sample_pores(R, porosity, 0.15e-6, 0.1, lig, 3, octant)
        assert a != sample_pores(R, porosity, 0.15e-6, 0.1, lig, 4, octant)
        p = np.array(a.pores)
        c, r = p[:, :3], p[:, 3]
        assert a.porosity == pytest.approx(porosity, rel=1e-12)
        assert np.all(np.linalg.norm(c, axis=1) + r + lig <= R * (1 + 1e-12))
        d = np.linalg.norm(c[:, None] - c[None], axis=2) + np.diag(np.full(len(r), np.inf))
        assert np.all(d >= r[:, None] + r[None, :] + lig)
        if octant:
            assert np.all(c >= (r + lig)[:, None] * (1 - 1e-12))
        assert np.std(r) > 0 and 0.9 < a.radius_factor < 1.1

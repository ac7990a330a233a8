"""Resource bounds, keys a model does not use, the 1D twin's grid, PETSc argument pairs and the
restart's table cut, without running a case."""

from __future__ import annotations

import pytest

from helpers import make_case
from seifem.case.bounds import estimate_cells, estimate_steps
from seifem.cli.args import petsc_pairs, split_petsc
from seifem.errors import CaseError, RunDirError
from seifem.results.restart import cut_table


def test_step_estimate_follows_the_filling_fraction():
    case = make_case(protocol={"steps": [{"mode": "lithiate", "c_rate": "1 C", "until_soc": 0.5},
                                         {"mode": "delithiate", "c_rate": "2 C", "until_soc": 0.25},
                                         {"mode": "rest", "duration": "10 s"}], "cycles": 2},
                     solver={"dt": "1 s"})
    total, worst, count = estimate_steps(case)
    # cycle 1: 1800 + 450 + 10; cycle 2 starts at 0.25: 900 + 450 + 10
    assert total == 1800 + 450 + 10 + 900 + 450 + 10
    assert (worst, count) == (0, 2700)


def test_step_and_cell_limits_are_keys():
    long = {"steps": [{"mode": "lithiate", "c_rate": "C/100", "until_soc": 0.9}]}
    with pytest.raises(CaseError, match=r"protocol.steps.0.c_rate|solver.dt"):
        make_case(protocol=long)
    assert estimate_steps(make_case(protocol=long, solver={"dt": "1 s", "max_steps": 400_000}))[0] == 324_000
    with pytest.raises(CaseError, match="solver.max_cells = 1000"):
        make_case(geometry={"mesh_size": "0.1 um"}, solver={"dt": "1 s", "max_cells": 1000})


def test_cell_estimate_scales_with_the_mesh_size():
    coarse = estimate_cells(make_case(geometry={"mesh_size": "0.4 um", "surface_mesh_size": "0.4 um"}))
    fine = estimate_cells(make_case(geometry={"mesh_size": "0.2 um", "surface_mesh_size": "0.2 um"}))
    assert 7 < fine / coarse < 9


def test_the_1d_twin_uses_the_mesh_keys_and_refuses_the_others():
    from seifem.reduced.design import design_from_case

    d = design_from_case(make_case(geometry={"model": "1d", "mesh_size": "0.25 um"},
                                   coating={"material": "carbon", "thickness": "100 nm"}))
    assert (d.core_cells, d.layer_cells) == (4, 8)
    d = design_from_case(make_case(geometry={"model": "1d", "surface_mesh_size": "20 nm", "mesh_size": "0.1 um"},
                                   coating={"material": "carbon", "thickness": "100 nm"}))
    assert (d.core_cells, d.layer_cells) == (10, 5)
    assert design_from_case(make_case(geometry={"model": "1d"})).core_cells == 64
    assert design_from_case(make_case(geometry={"mesh_size": "0.25 um"})).core_cells == 64  # a 3d case's twin
    for section, key, value in (("geometry", "refine_depth", "0.2 um"), ("geometry", "order", 1),
                                ("solver", "rtol", 1e-8)):
        extra = {"dt": "1 s", key: value} if section == "solver" else {"model": "1d", key: value}
        with pytest.raises(CaseError, match=f"{section}.{key}"):
            make_case(geometry={"model": "1d"} if section == "solver" else extra,
                      **({"solver": extra} if section == "solver" else {}))
    with pytest.raises(CaseError, match="solver.contact_penalty"):
        make_case(solver={"dt": "1 s", "contact_penalty": 10.0})


def test_petsc_arguments_pair_negative_values():
    own, petsc = split_petsc(["run", "c.toml", "--petsc", "-pc_gamg_threshold", "-1", "-ksp_monitor", "-x_rtol",
                              "-1e-3", "-y", ".5"])
    assert own == ["run", "c.toml"]
    assert petsc_pairs(petsc) == [("pc_gamg_threshold", "-1"), ("ksp_monitor", ""), ("x_rtol", "-1e-3"), ("y", ".5")]
    for bad in (["3"], ["-a", "1", "2"], ["-a\n"]):
        with pytest.raises(CaseError, match="--petsc"):
            petsc_pairs(bad)


def test_a_table_is_cut_at_its_mark_byte_for_byte(tmp_path):
    path = tmp_path / "history.csv"
    rows = [b"time_s,x\n", b"0,1\n", b"261,2.5\n", b"270,3\n", b"279,3.5\n"]
    path.write_bytes(b"".join(rows))
    cut_table(path, [2, len(b"".join(rows[:3]))], 260.99999999951734)
    assert path.read_bytes() == b"".join(rows[:3])  # the checkpoint's own row is kept
    with pytest.raises(RunDirError, match="not the 5 that the checkpoint counts"):
        cut_table(path, [5, 100], 279.0)
    path.write_bytes(b"".join(rows))
    cut_table(path, None, 260.99999999951734)  # a checkpoint without marks: time within 1e-9
    assert path.read_bytes() == b"".join(rows[:3])

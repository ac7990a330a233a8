"""An electrode case through `seifem run` (shrunk): the run directory of a particle run plus
particles.csv, the same history on 1 and 2 MPI ranks, a killed run continued with --restart
giving the same rows, bad input refused before meshing."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from helpers import read_csv, run_seifem, seifem_cmd

ROOT = Path(__file__).resolve().parents[2]
CASE = ROOT / "cases" / "electrode" / "electrode_patch.toml"
SMALL = ["electrode.thickness=6um", "electrode.width=6um", "electrode.radius=1um", "electrode.mesh_size=1.2um",
         "electrode.surface_mesh_size=0.6um", "protocol.cycles=1"]


def _run(ranks: int, out: Path, *extra: str):
    args = ["run", str(CASE), "--out", str(out), "--no-render"]
    for o in (*SMALL, *extra):
        args += ["--set", o]
    return run_seifem(ranks, *args, timeout=600)


@pytest.mark.slow
def test_run_serial_and_two_ranks_agree(tmp_path):
    one, two = _run(1, tmp_path / "one"), _run(2, tmp_path / "two")
    assert one.returncode == 0, one.stderr[-2000:]
    assert two.returncode == 0, two.stderr[-2000:]
    for name in ("case.toml", "input.toml", "history.csv", "particles.csv", "cycles.csv", "summary.json",
                 "checkpoint.npz", "fields_vtk/fields.pvd"):
        assert (tmp_path / "one" / name).exists(), name
    h1, h2 = read_csv(tmp_path / "one" / "history.csv"), read_csv(tmp_path / "two" / "history.csv")
    s = json.loads((tmp_path / "one" / "summary.json").read_text())
    assert s["model"] == "electrode" and s["geometry"]["particles"] >= 3
    assert h1["soc"][0] == pytest.approx(0.01) and max(h1["soc"]) == pytest.approx(0.04, rel=1e-9)
    assert h1["thickness_change"][0] == 0 and max(h1["thickness_change"]) > 0
    assert np.all(h1["porosity_change"][1:] < 0)  # the swelling binder domain closes its pores
    stress = max(np.nanmax(np.abs(h1[k])) for k in h1 if k.endswith("_MPa"))
    for key in h1:  # the same history: differences relative to the column's largest value (stresses: to the
        # largest stress, so a free top's stack pressure, solver noise, is not compared to itself)
        scale = stress if key.endswith("_MPa") else max(float(np.nanmax(np.abs(h1[key]))), 1e-300)
        diff = float(np.nanmax(np.abs(h1[key] - h2[key]))) / scale
        assert diff < 1.5e-9, (key, diff)  # measured <= 4.6e-10 (CG to rtol 1e-10 on 1 and 2 ranks)
    parts = read_csv(tmp_path / "one" / "particles.csv")
    n = s["geometry"]["particles"]
    assert len(parts["time_s"]) == 4 * n  # t = 0 and the end of each of the 3 protocol steps
    end = parts["time_s"] == parts["time_s"][-1]
    assert np.sum(parts["current_A"][end]) == pytest.approx(h1["current_A"][-1], rel=1e-9)
    top = np.argmax(h1["soc"])  # the end of the lithiation: a swollen particle's surface stretches by ~e*
    lith = parts["time_s"] == h1["time_s"][top]
    e_star = 0.936 * (parts["soc"][lith] - 0.01)  # Omega c_max / 3 per unit soc (Si)
    assert np.all(parts["surface_strain"][lith] > 0.5 * e_star) and np.all(parts["surface_strain"][lith] < e_star)
    assert np.allclose(parts["sei_strain_util"], parts["surface_strain"] / 0.02)  # sei-carbonate's strain limit
    from seifem.post.render import render_run

    figs = render_run(tmp_path / "one")  # the history and a cut through the electrode per written time
    assert (figs / "history.png").stat().st_size > 10_000 and len(list(figs.glob("map_t*.png"))) == 3
    from seifem.post.report import write_run_report

    html = write_run_report(tmp_path / "one").read_text()  # opens with the electrode's results
    assert "peak electrode swelling" in html and "peak von Mises stress, binder" in html


KILLER = """
import os, signal, sys
import seifem.simulation.electrode_run as er
from seifem.cli.main import main

original = er._ElectrodeRun.record
def record(self, *args, **kwargs):
    row = original(self, *args, **kwargs)
    if self.nsteps == 6:
        os.kill(os.getpid(), signal.SIGKILL)   # a hard kill in the rest step
    return row
er._ElectrodeRun.record = record
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.slow
@pytest.mark.parametrize("law", ["elastic", "visco-elastic"])
def test_killed_run_continues_to_the_same_rows(tmp_path, law):
    """Killed in the rest step and continued from the checkpoint of step 4: the same rows. A
    visco-elastic binder (PVDF, tau 10 s: it relaxes in the rest) continues from its
    checkpointed state (branch stress, last strain, displacement)."""
    extra = ("output.checkpoint_every=4", f'electrode.binder_law="{law}"')
    full = _run(1, tmp_path / "full", *extra)
    assert full.returncode == 0, full.stderr[-2000:]
    killer = tmp_path / "killer.py"
    killer.write_text(KILLER)
    cmd = [c if c != "seifem.cli.main" else str(killer) for c in seifem_cmd(1, "run", str(CASE), "--out",
                                                                             str(tmp_path / "killed"), "--no-render",
                                                                             *[a for o in (*SMALL, *extra)
                                                                               for a in ("--set", o)])]
    cmd.remove("-m")
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=False)
    assert res.returncode != 0 and not (tmp_path / "killed" / "summary.json").exists()
    shutil.copytree(tmp_path / "killed", tmp_path / "killed2")
    again = run_seifem(1, "run", "--restart", str(tmp_path / "killed"), "--no-render", timeout=600)
    assert again.returncode == 0, again.stderr[-2000:]
    if law == "visco-elastic":  # killed on 1 rank, continued on 2: the binder's state read onto another partition
        two = run_seifem(2, "run", "--restart", str(tmp_path / "killed2"), "--no-render", timeout=600)
        assert two.returncode == 0, two.stderr[-2000:]
        for name in ("history.csv", "particles.csv", "cycles.csv"):
            worst = max(_differences(read_csv(tmp_path / "full" / name), read_csv(tmp_path / "killed2" / name),
                                     name).values())
            print(f"visco restart on 2 ranks, {name}: {worst:.1e}")
            assert worst < 1.5e-9, (name, worst)  # measured <= 2.9e-10: CG to rtol 1e-10 on another partition
    for name in ("history.csv", "particles.csv", "cycles.csv"):
        a, b = read_csv(tmp_path / "full" / name), read_csv(tmp_path / "killed" / name)
        assert len(a["cycle" if name == "cycles.csv" else "time_s"]) == len(b["cycle" if name == "cycles.csv" else "time_s"])
        stress = max((float(np.nanmax(np.abs(a[c]))) for c in a if c.endswith("_MPa")), default=1.0)
        for col in a:  # the same rows (stresses relative to the largest: a free top's pressure is solver noise)
            scale = stress if col.endswith("_MPa") else max(float(np.nanmax(np.abs(a[col]))), 1e-300)
            diff = float(np.nanmax(np.abs(a[col] - b[col]))) / scale
            print(f"restart {name} {col}: {diff:.1e}")
            assert diff < 4e-15, (name, col, diff)  # measured <= 1.3e-15 (stack pressure): all else bitwise


@pytest.mark.slow
def test_hollow_particles_run_with_their_shell_capacity(tmp_path):
    """The hollow template through `seifem run`: 1 C for 108 s fills 3 % of the shells (the
    capacity counts the shells, not the cavities), each particle near 1 C."""
    out = tmp_path / "hollow"
    res = _run(1, out, 'electrode.shape="hollow"', "electrode.void_fraction=0.3")
    assert res.returncode == 0, res.stderr[-2000:]
    h = read_csv(out / "history.csv")
    assert max(h["soc"]) == pytest.approx(0.04, rel=1e-9)
    parts = read_csv(out / "particles.csv")
    lith = parts["time_s"] == 108.0
    assert np.all(np.abs(parts["c_rate"][lith] - 1) < 0.05)  # Butler-Volmer shares 1 C by surface state (measured +-0.02)


@pytest.mark.slow
def test_porous_and_debonding_particles_run(tmp_path):
    """The porous template and the cohesive particle-binder interface through `seifem run`:
    1 C for 108 s fills 3 % of the particles (the capacity counts the solid); a weak interface
    (1 MPa) reports its debonded area fraction per step and per particle, between 0 and 1 and
    never decreasing (damage is irreversible)."""
    out = tmp_path / "porous"
    res = _run(1, out, 'electrode.shape="porous"', "electrode.pore_fraction=0.2", "electrode.pore_radius=0.35",
               'electrode.interface="cohesive"', 'electrode.interface_normal_strength="1 MPa"',
               'electrode.interface_tangential_strength="1 MPa"', 'electrode.interface_normal_energy="0.01 J/m^2"',
               'electrode.interface_tangential_energy="0.01 J/m^2"')
    assert res.returncode == 0, res.stderr[-2000:]
    h = read_csv(out / "history.csv")
    assert max(h["soc"]) == pytest.approx(0.04, rel=1e-9)
    f = h["debonded_area_fraction"]
    assert np.all((f >= 0) & (f <= 1)) and np.all(np.diff(f) >= 0)
    assert np.all(np.diff(h["interface_damage_max"]) >= 0)
    parts = read_csv(out / "particles.csv")
    assert np.all((parts["debonded_fraction"] >= 0) & (parts["debonded_fraction"] <= 1))
    print(f"porous + cohesive run: debonded fraction at the end {f[-1]:.4g}, largest damage "
          f"{h['interface_damage_max'][-1]:.4g}")


@pytest.mark.slow
def test_finite_strain_case_swells_through_its_thickness(tmp_path):
    """The shipped finite-strain case, shrunk, lithiated to soc 0.5 (J_ch = 1.44): laterally
    confined, the patch pushes nearly all of its particles' volume change through the thickness
    (the full case: 96 % at soc 0.95)."""
    case = ROOT / "cases" / "electrode" / "electrode_finite_strain.toml"
    out = tmp_path / "finite"
    args = ["run", str(case), "--out", str(out), "--no-render"]
    for o in (*SMALL[:-1], 'protocol.steps=[{mode="lithiate", c_rate="1 C", until_soc=0.5, dt="600 s"}]'):
        args += ["--set", o]
    res = run_seifem(2, *args, timeout=600)
    assert res.returncode == 0, res.stderr[-2000:]
    h = read_csv(out / "history.csv")
    f = json.loads((out / "summary.json").read_text())["geometry"]["active_fraction_achieved"]
    free = f * 3 * 0.936 * (h["soc"][-1] - 0.01)  # the particles' volume change per electrode volume
    share = h["thickness_change"][-1] / free
    print(f"thickness change {h['thickness_change'][-1]:.4f} = {share:.3f} of the particles' volume change")
    assert 0.8 < share < 1.0


def test_particles_thicker_than_electrode_refused_before_meshing(tmp_path, capsys):
    from seifem.cli.main import main

    args = ["run", str(CASE), "--out", str(tmp_path / "bad"), "--no-render"]
    for o in (*SMALL, "electrode.radius=4um"):
        args += ["--set", o]
    assert main(args) == 2
    assert "electrode.radius" in capsys.readouterr().err
    assert not (tmp_path / "bad").exists()


@pytest.mark.slow
def test_sweep_over_binders_ranks_the_thickness_change(tmp_path):
    args = ["sweep", str(CASE), "--vary", "electrode.binder=PVDF,elastic-binder", "--out", str(tmp_path / "sw"),
            "--no-render", "--objective", "min:thickness_change", "--no-constraints"]
    for o in SMALL:
        args += ["--set", o]
    r = run_seifem(1, *args, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    rank = read_csv(tmp_path / "sw" / "ranking.csv")
    assert rank["design"] == ["electrode.binder=PVDF", "electrode.binder=elastic-binder"]  # the softer swells more
    assert rank["value"][0] < rank["value"][1]


def test_check_prints_the_resolved_case_and_mesh_refuses(capsys):
    from seifem.cli.main import main

    assert main(["check", str(CASE)]) == 0
    out = capsys.readouterr().out
    assert "[electrode]" in out and 'kinetics = "butler-volmer"' in out and "[materials.binder]" in out
    assert main(["mesh", str(CASE)]) == 2
    assert "is an electrode case" in capsys.readouterr().err


DEBOND = """
title = "a debonding patch, killed and continued"
[electrode]
thickness = "6 um"
width = "6 um"
active_fraction = 0.2
radius = "1 um"
radius_sd = 0.2
seed = 1
binder = "PVDF"
initial_soc = 0.05
mesh_size = "1.2 um"
surface_mesh_size = "0.6 um"
interface = "cohesive"
interface_normal_strength = "1 MPa"
interface_tangential_strength = "1 MPa"
interface_normal_energy = "0.01 J/m^2"
interface_tangential_energy = "0.01 J/m^2"
[protocol]
steps = [
    { mode = "delithiate", c_rate = "1 C", until_soc = 0.025, dt = "9 s" },
    { mode = "lithiate", c_rate = "1 C", duration = "27 s", dt = "9 s" },
]
[output]
checkpoint_every = 4
"""

KILL_AT = """
import os, signal, sys
import seifem.simulation.electrode_run as er
from seifem.cli.main import main

original = er._ElectrodeRun.record
def record(self, *args, **kwargs):
    row = original(self, *args, **kwargs)
    if self.nsteps == {n}:
        os.kill(os.getpid(), signal.SIGKILL)
    return row
er._ElectrodeRun.record = record
sys.exit(main(sys.argv[1:]))
"""


def _killed(tmp_path: Path, ranks: int, case: Path, out: Path, n: int):
    killer = tmp_path / f"killer{n}.py"
    killer.write_text(KILL_AT.replace("{n}", str(n)))
    cmd = [c if c != "seifem.cli.main" else str(killer)
           for c in seifem_cmd(ranks, "run", str(case), "--out", str(out), "--no-render")]
    cmd.remove("-m")
    return subprocess.run(cmd, capture_output=True, text=True, timeout=900, check=False)


def _differences(a: dict, b: dict, name: str) -> dict:
    """Per column the largest difference relative to the column's largest value (stresses: to
    the largest stress, so a free top's stack pressure, solver noise, is not compared to itself)."""
    key = "cycle" if name == "cycles.csv" else "time_s"
    assert len(a[key]) == len(b[key]), name
    stress = max((float(np.nanmax(np.abs(a[c]))) for c in a if c.endswith("_MPa")), default=1.0)
    return {col: float(np.nanmax(np.abs(a[col] - b[col])))
            / (stress if col.endswith("_MPa") else max(float(np.nanmax(np.abs(a[col]))), 1e-300)) for col in a}


@pytest.mark.slow
def test_killed_debonding_run_continues_to_the_same_history(tmp_path):
    """A patch whose particles debond and are isolated on delithiation (6 of 7 at 81 s), killed
    after the isolation (the last checkpoint at 90 s holds partial damage on the particle still
    in contact), continued with --restart: the same rows as the run never killed (serial:
    bitwise; killed and continued on 2 ranks: within Newton's tolerance)."""
    case = tmp_path / "debond.toml"
    case.write_text(DEBOND)
    full = run_seifem(1, "run", str(case), "--out", str(tmp_path / "full"), "--no-render", timeout=900)
    assert full.returncode == 0, full.stderr[-2000:]
    h = read_csv(tmp_path / "full" / "history.csv")
    assert h["isolated_particles"][10] >= 1 and h["isolated_particles"][-1] < 7  # isolation before the kill
    assert 0 < h["debonded_area_fraction"][10] < 1
    cyc = read_csv(tmp_path / "full" / "cycles.csv")  # the capacity lost to isolation at the cycle's end
    assert cyc["isolated_particles"][-1] == h["isolated_particles"][-1]
    assert cyc["isolated_capacity_fraction"][-1] == h["isolated_capacity_fraction"][-1] > 0
    for ranks, tol in ((1, 0.0), (2, 3e-12)):
        out = tmp_path / f"killed{ranks}"
        res = _killed(tmp_path, ranks, case, out, 11)  # the checkpoint at the end of step 1 (10 steps) is kept
        assert res.returncode != 0 and not (out / "summary.json").exists()
        again = run_seifem(ranks, "run", "--restart", str(out), "--no-render", timeout=900)
        assert again.returncode == 0, again.stderr[-2000:]
        for name in ("history.csv", "particles.csv", "cycles.csv"):
            diff = _differences(read_csv(tmp_path / "full" / name), read_csv(out / name), name)
            opening = diff.pop("interface_opening_max_nm", 0.0)
            worst = max(diff.values())
            print(f"restart on {ranks} rank(s), {name}: {worst:.1e}, largest opening {opening:.1e}")
            # 1 rank: measured 0 (bitwise); 2 ranks (another partition, LU round-off, Newton to rtol 1e-9):
            # measured <= 1.1e-12 (porosity change; 2.8e-13 and 5.7e-13 in two more runs)
            assert worst <= tol, (ranks, name, worst)
            # the isolated particles float on the residual spring (1e-9 K_n): their opening is set by
            # round-off-level forces; measured 1.6e-8 on 2 ranks
            assert opening <= (0.0 if ranks == 1 else 5e-8), (ranks, name, opening)

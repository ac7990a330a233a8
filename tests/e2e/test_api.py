"""The Python API: load a case with overrides, run it, read the history as a DataFrame; the
same run directory refused a second time, as the CLI refuses it; and the example notebook in
docs/ runs from top to bottom (nbclient) on the 1D twin."""

from __future__ import annotations

from pathlib import Path

import pytest

import seifem
from seifem.errors import CaseError, RunDirError

ROOT = Path(__file__).resolve().parents[2]
OVERRIDES = {"geometry.model": "1d", "particle.initial_soc": 0.1, "output.render": False,
             "protocol.steps": ["Lithiate at 1C for 5 minutes"]}


def test_load_run_and_read_back(tmp_path):
    study = seifem.load(ROOT / "cases" / "si_bare.toml", OVERRIDES)
    assert study.case.particle.initial_soc == 0.1
    result = study.run(tmp_path / "run")
    h = result.history
    assert result.finished and h["time_s"].iloc[-1] == pytest.approx(300.0)
    assert h["soc"].iloc[-1] == pytest.approx(0.1 + 300.0 / 3600.0, rel=1e-9)  # 1C for 5 min
    assert list(h.columns) == list(seifem.open_run(tmp_path / "run").history.columns)
    with pytest.raises(RunDirError, match="already exists and is not empty"):
        study.run(tmp_path / "run")


def test_bad_override_is_refused_naming_the_key():
    with pytest.raises(CaseError, match="particle.radius"):
        seifem.load(ROOT / "cases" / "si_bare.toml", {"particle.radius": "1 parsec"})


@pytest.mark.slow
def test_example_notebook_runs():
    import nbclient  # in the test extra: a missing one fails the test, it does not skip it
    import nbformat

    nb = nbformat.read(ROOT / "docs" / "api-example.ipynb", as_version=4)
    nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(ROOT / "docs")}}).execute()
    outputs = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "peak surface hoop tension" in outputs

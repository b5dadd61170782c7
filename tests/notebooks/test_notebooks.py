"""The exploration notebook runs top to bottom on a fresh clone (it builds its own database)."""

from __future__ import annotations

import sys
from pathlib import Path

import jupytext
import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


@pytest.fixture
def kernel_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A `python3` kernel spec for this interpreter, first on JUPYTER_PATH, so the notebook runs in the same
    environment as the tests even when the user has another `python3` kernel installed."""
    from ipykernel.kernelspec import install

    prefix = tmp_path / "jupyter-prefix"
    install(kernel_name="python3", prefix=str(prefix))
    spec = prefix / "share" / "jupyter" / "kernels" / "python3" / "kernel.json"
    assert sys.executable in spec.read_text()
    monkeypatch.setenv("JUPYTER_PATH", str(prefix / "share" / "jupyter"))
    monkeypatch.delenv("MPLBACKEND", raising=False)  # a headless CI may set agg, which draws no images


def test_ipynb_is_paired_with_the_script() -> None:
    py = jupytext.read(NOTEBOOKS / "explore.py")
    nb = nbformat.read(NOTEBOOKS / "explore.ipynb", as_version=4)
    assert [(c.cell_type, c.source) for c in py.cells] == [(c.cell_type, c.source) for c in nb.cells], (
        "explore.ipynb is out of date: run `jupytext --to ipynb notebooks/explore.py`"
    )


def test_explore_notebook_executes(tmp_path: Path, kernel_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    # no database at TRADEX_OUTPUT: the notebook has to run `tradex run` on the bundled corpus itself
    monkeypatch.setenv("TRADEX_OUTPUT", str(tmp_path / "no-output-yet"))
    nb = nbformat.read(NOTEBOOKS / "explore.ipynb", as_version=4)
    client = NotebookClient(nb, kernel_name="python3", timeout=600,
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    tables = [o for o in outputs if "text/html" in o.get("data", {})]
    assert len(images) == 3  # quotes per speaker, mentions over time, measures by actor and type
    assert len(tables) >= 6  # overview, speakers, entities per label, co-mentions, chip quotes, measure quotes
    text = "\n".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "built a fresh database" in text
    speakers = tables[1]["data"]["text/plain"]
    assert "quotes" in speakers and "distinct_quotes" in speakers

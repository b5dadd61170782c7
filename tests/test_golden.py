"""Stored records guard: `tradex extract corpus/synthetic` must write exactly the bytes in tests/golden/.

The stored files are the records (and errors) of every bundled synthetic input, in every format, rules-only
and with the trained model. A refactoring keeps them byte-identical; a commit that changes the output on
purpose regenerates them with `make golden` and says in its message why they changed.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from pipeline.runner import errors_path_for, run_extract
from pipeline.settings import Settings
from tests.conftest import MODEL, REPO, need_model

GOLDEN = REPO / "tests" / "golden"

CASES = [
    pytest.param("none", "synthetic.rules.jsonl", id="rules-only"),
    pytest.param(MODEL, "synthetic.model.jsonl", id="model", marks=pytest.mark.slow),
]


def _first_difference(expected: Path, actual: Path) -> str:
    want = expected.read_text(encoding="utf-8").splitlines()
    got = actual.read_text(encoding="utf-8").splitlines()
    diff = difflib.unified_diff(want, got, str(expected), "today's output", n=0, lineterm="")
    return "\n".join(line[:400] for line in list(diff)[:12])


@pytest.mark.parametrize(("model", "name"), CASES)
def test_records_match_the_stored_records(model, name, tmp_path, monkeypatch):
    if model != "none":
        need_model()
    monkeypatch.chdir(REPO)  # source.path is the path as given: the same relative path make golden uses
    out = tmp_path / name
    run_extract(["corpus/synthetic"], out, settings=Settings(model=model))
    for stored, fresh in ((GOLDEN / name, out), (errors_path_for(GOLDEN / name), errors_path_for(out))):
        assert stored.exists(), f"{stored} is missing: run `make golden`"
        assert fresh.read_bytes() == stored.read_bytes(), (
            "records differ from the stored ones (run `make golden` if the change is on purpose, and say why "
            "in the commit):\n" + _first_difference(stored, fresh)
        )

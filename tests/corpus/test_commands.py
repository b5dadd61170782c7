"""The corpus-stage commands of the CLI: normalize, dedupe, export."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from models.records import ArticleRecord
from pipeline.cli import app
from pipeline.corpus import read_records, write_records

Make = Callable[..., ArticleRecord]
runner = CliRunner()


@pytest.fixture
def records_file(tmp_path: Path, make_record: Make) -> Path:
    words = " ".join(f"word{k}" for k in range(60))
    edited = words.replace("word10 ", "changed ").replace("word40 ", "changed ")
    recs = [make_record("a", f"Tidewater Securities said {words}",
                        entities=[{"text": "Tidewater Securities", "label": "COMPANY"}]),
            make_record("b", f"Tidewater Securities said {edited}",
                        entities=[{"text": "Tidewater Securities", "label": "COMPANY"}])]
    path = tmp_path / "records.jsonl"
    write_records(path, recs)
    return path


def test_normalize_dedupe_export(tmp_path: Path, records_file: Path) -> None:
    r = runner.invoke(app, ["normalize", str(records_file), "-o", str(tmp_path / "n.jsonl")])
    assert r.exit_code == 0, r.output
    assert "2 articles, 2 mentions (2 newly resolved): 1 entities (1 discovered)" in r.output
    assert (tmp_path / "entities.jsonl").is_file()
    r = runner.invoke(app, ["dedupe", str(tmp_path / "n.jsonl"), "-o", str(tmp_path / "d.jsonl")])
    assert r.exit_code == 0, r.output
    assert [x.duplicate_of for x in read_records(tmp_path / "d.jsonl")] == [None, "a"]
    r = runner.invoke(app, ["dedupe", str(tmp_path / "n.jsonl"), "-o", str(tmp_path / "d2.jsonl"), "--threshold",
                            "0.95"])
    assert r.exit_code == 0, r.output
    assert [x.duplicate_of for x in read_records(tmp_path / "d2.jsonl")] == [None, None]
    r = runner.invoke(app, ["export", str(tmp_path / "d.jsonl"), "--to", str(tmp_path / "out")])
    assert r.exit_code == 0, r.output
    con = duckdb.connect(str(tmp_path / "out" / "tradex.duckdb"), read_only=True)
    assert con.execute("SELECT id, mentions FROM entities").fetchall() == [("company:~tidewater-securities", 2)]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["dedupe", "{tmp}/missing.jsonl", "-o", "{tmp}/x.jsonl"], 2, "no such records file"),
        (["dedupe", "{records}", "-o", "{tmp}/x.jsonl", "--threshold", "1.5"], 2, "invalid settings"),
        (["export", "{records}", "--to", "{tmp}/o", "--entities", "{tmp}/none.jsonl"], 2, "no such entity table"),
        (["normalize", "{tmp}/bad.jsonl", "-o", "{tmp}/x.jsonl"], 1, "bad.jsonl:1: not a valid record"),
    ],
)
def test_errors(tmp_path: Path, records_file: Path, args: list[str], code: int, message: str) -> None:
    (tmp_path / "bad.jsonl").write_text("{not json}\n")
    argv = [a.format(tmp=tmp_path, records=records_file) for a in args]
    r = runner.invoke(app, argv)
    assert r.exit_code == code
    assert message.replace(" ", "") in "".join(r.output.split())  # however the console wraps it

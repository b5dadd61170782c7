"""`run_corpus_stages` (tradex run after extract) and the record-file helpers."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from models.records import ArticleRecord
from pipeline.corpus import RecordFileError, read_records, run_corpus_stages, write_records
from pipeline.settings import Settings

Make = Callable[..., ArticleRecord]


@pytest.fixture
def records_file(tmp_path: Path, make_record: Make) -> Path:
    text = "Caldera Metals Ltd said output rose. Caldera Metals Ltd said prices fell in China."
    recs = [
        make_record("a", text, entities=[{"text": "Caldera Metals Ltd", "label": "COMPANY"},
                                         {"text": "China", "label": "COUNTRY", "canonical_id": "country:cn"}]),
        make_record("b", text, published="2024-12-31"),
        make_record("c", "Something else entirely, with other words in it."),
    ]
    path = tmp_path / "out" / "records.jsonl"
    write_records(path, recs)
    return path


def test_all_stages(records_file: Path) -> None:
    out = records_file.parent
    lines = list(run_corpus_stages(records_file, out, settings=Settings()))
    assert [line.split(":")[0] for line in lines] == ["normalize", "dedupe", "export"]
    for name in ("normalized.jsonl", "entities.jsonl", "deduped.jsonl", "tradex.duckdb",
                 "parquet/entities/data.parquet", "parquet/_manifest.json"):
        assert (out / name).is_file(), name
    for table in ("articles", "mentions", "quotes"):  # hive partitions by published month
        assert list((out / "parquet" / table).glob("published_month=*/data.parquet")), table
    deduped = list(read_records(out / "deduped.jsonl"))
    assert [r.duplicate_of for r in deduped] == ["b", None, None]  # b is earlier
    assert deduped[0].entities[0].canonical_id == "company:~caldera-metals"
    con = duckdb.connect(str(out / "tradex.duckdb"), read_only=True)
    assert con.execute("SELECT name FROM entities WHERE id = 'company:~caldera-metals'").fetchall() == [
        ("Caldera Metals",)]


@pytest.mark.parametrize(
    ("stages", "files", "absent"),
    [
        (["extract"], [], ["normalized.jsonl", "deduped.jsonl", "tradex.duckdb"]),
        (["normalize"], ["normalized.jsonl", "entities.jsonl"], ["deduped.jsonl", "tradex.duckdb"]),
        (["dedupe", "export"], ["deduped.jsonl", "tradex.duckdb"], ["normalized.jsonl", "entities.jsonl"]),
    ],
)
def test_only_the_named_stages_run(records_file: Path, stages: list[str], files: list[str], absent: list[str]) -> None:
    out = records_file.parent
    lines = list(run_corpus_stages(records_file, out, settings=Settings(stages=stages)))
    assert len(lines) == len([s for s in stages if s != "extract"])
    for name in files:
        assert (out / name).exists(), name
    for name in absent:
        assert not (out / name).exists(), name


def test_stale_upstream_output_is_not_used(records_file: Path) -> None:
    out = records_file.parent
    list(run_corpus_stages(records_file, out, settings=Settings(stages=["normalize"])))
    old = out / "normalized.jsonl"
    os.utime(old, (1, 1))  # older than records.jsonl: from an earlier run
    list(run_corpus_stages(records_file, out, settings=Settings(stages=["dedupe"])))
    # dedupe read records.jsonl, whose Caldera mention has no canonical id yet
    assert next(read_records(out / "deduped.jsonl")).entities[0].canonical_id is None


def test_missing_records_file_is_reported(tmp_path: Path) -> None:
    lines = list(run_corpus_stages(tmp_path / "records.jsonl", tmp_path, settings=Settings()))
    assert lines == [f"corpus stages skipped: {tmp_path / 'records.jsonl'} does not exist"]


def test_bad_line_names_file_and_line(tmp_path: Path, records_file: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    lines = records_file.read_text().splitlines()
    bad.write_text(lines[0] + "\n\n" + '{"doc_id": "x"}\n')
    with pytest.raises(RecordFileError, match=r"bad.jsonl:3: not a valid record"):
        list(read_records(bad))

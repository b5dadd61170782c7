"""Ingest: every format, every bad input as a coded error with its file and line, nothing dropped."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from models.records import ErrorRecord
from pipeline.ingest import Article, expand_inputs, iter_inputs
from pipeline.ingest.dates import to_iso_date
from pipeline.ingest.decode import DecodeError, decode_bytes
from pipeline.settings import Settings
from tests.conftest import BROKEN, SYNTHETIC

S = Settings(model="none")


def items(*paths: str | Path, settings: Settings = S) -> list[Article | ErrorRecord]:
    return list(iter_inputs([str(p) for p in paths], settings))


def test_synthetic_corpus_reads_forty_articles():
    arts = items(SYNTHETIC / "articles.jsonl")
    assert len(arts) == 40
    assert all(isinstance(a, Article) for a in arts)
    assert [a.doc_id for a in arts][:2] == ["synth-001", "synth-002"]
    assert arts[0].source.path.endswith("articles.jsonl#L1")
    assert arts[0].source.publisher == "tradex synthetic"


@pytest.mark.parametrize(
    "name, title_present",
    [("brief-001.txt", True), ("brief-002.txt.gz", True), ("page-001.html", True)],
)
def test_single_article_formats(name, title_present):
    (art,) = items(SYNTHETIC / "formats" / name)
    assert isinstance(art, Article)
    assert len(art.text.split()) > 40
    assert bool(art.source.title) is title_present


def test_html_extraction_drops_navigation_and_keeps_metadata():
    (art,) = items(SYNTHETIC / "formats" / "page-001.html")
    assert isinstance(art, Article)
    assert art.source.published is not None and art.source.published.startswith("20")
    assert "main text extracted from HTML by trafilatura" in art.source.repairs
    raw = (SYNTHETIC / "formats" / "page-001.html").read_text(encoding="utf-8")
    assert "<nav" in raw and "<p" in raw


def test_csv_rows_are_articles_with_line_numbers():
    arts = items(SYNTHETIC / "formats" / "briefs.csv")
    assert len(arts) == 3 and all(isinstance(a, Article) for a in arts)
    assert arts[0].source.path.endswith("briefs.csv#L2")


# (file, expected: list of (source suffix, error code or None for an article))
BROKEN_CASES = [
    (
        "mixed.jsonl",
        [
            ("#L1", None),
            ("#L2", None),
            ("#L3", "TX103"),
            ("#L4", "TX104"),
            ("#L5", None),
            ("#L6", "TX101"),
            ("#L7", "TX101"),
            ("#L8", "TX107"),
        ],
    ),
    ("rows.csv", [("#L2", None), ("#L3", None), ("#L4", "TX101"), ("#L5", "TX106")]),
    ("bad-utf8.txt", [("bad-utf8.txt", "TX102")]),
    ("empty.txt", [("empty.txt", "TX101")]),
    ("latin1.txt", [("latin1.txt", None)]),
    ("mojibake.txt", [("mojibake.txt", None)]),
]


@pytest.mark.parametrize("name, expected", BROKEN_CASES)
def test_broken_inputs_become_coded_errors(name, expected):
    got = items(BROKEN / name)
    assert len(got) == len(expected)
    for it, (suffix, code) in zip(got, expected, strict=True):
        if code is None:
            assert isinstance(it, Article), it
            assert it.source.path.endswith(suffix)
        else:
            assert isinstance(it, ErrorRecord), it
            assert it.error_code == code
            assert it.source.endswith(suffix)
            assert it.message


def test_latin1_is_decoded_by_detection_and_noted():
    (art,) = items(BROKEN / "latin1.txt")
    assert isinstance(art, Article)
    assert "Société Générale" in art.text
    assert any("not valid UTF-8" in r for r in art.source.repairs)


def test_mojibake_is_repaired_and_noted():
    (art,) = items(BROKEN / "mojibake.txt")
    assert isinstance(art, Article)
    assert "â€" not in art.text
    assert any("mojibake" in r for r in art.source.repairs)


@pytest.mark.parametrize(
    "data, repairs",
    [(b"plain text", []), ("\ufeffwith bom".encode(), ["removed UTF-8 byte-order mark"])],
)
def test_decode_bytes(data, repairs):
    assert decode_bytes(data).repairs == repairs


@pytest.mark.parametrize("data", [b"\x00\x01\x02binary\x00junk", bytes(range(256)) * 4])
def test_binary_junk_is_undecodable(data):
    with pytest.raises(DecodeError):
        decode_bytes(data)


def test_oversized_article_is_an_error(tmp_path):
    p = tmp_path / "big.jsonl"
    p.write_text(json.dumps({"id": "big", "text": "word " * 50}) + "\n", encoding="utf-8")
    (err,) = items(p, settings=Settings(model="none", max_chars=100))
    assert isinstance(err, ErrorRecord) and err.error_code == "TX105" and err.doc_id == "big"


def test_custom_columns(tmp_path):
    p = tmp_path / "a.jsonl"
    p.write_text(json.dumps({"key": "k1", "body": "Some article body here."}) + "\n", encoding="utf-8")
    settings = Settings.model_validate({"model": "none", "columns": {"id": "key", "text": "body"}})
    (art,) = items(p, settings=settings)
    assert isinstance(art, Article) and art.doc_id == "k1"


def test_gzipped_jsonl_and_unreadable_files(tmp_path):
    p = tmp_path / "a.jsonl.gz"
    p.write_bytes(gzip.compress(b'{"id": "g1", "text": "Gzipped article text."}\n'))
    bad = tmp_path / "bad.txt.gz"
    bad.write_bytes(b"not gzip at all")
    got = items(p, bad, tmp_path / "missing.txt")
    assert isinstance(got[0], Article) and got[0].doc_id == "g1"
    assert [g.error_code for g in got[1:]] == ["TX100", "TX100"]  # type: ignore[union-attr]


def test_directories_expand_recursively_and_sorted():
    paths = expand_inputs([str(SYNTHETIC)])
    assert paths == sorted(paths)
    assert any(p.endswith("page-001.html") for p in paths)
    assert not any(p.endswith("README.md") for p in paths)


@pytest.mark.parametrize(
    "raw, iso",
    [
        ("26-FEB-1987 15:51:51.24", "1987-02-26"),
        ("3-MAR-1987 09:01:02.10", "1987-03-03"),
        ("30-FEB-1987 15:51:51.24", None),
        ("2025-07-14T08:30:00Z", "2025-07-14"),
        ("2025-07-14 08:30:00+02:00", "2025-07-14"),
        ("2025-02-30T08:30:00Z", None),
        ("2025-07-17", "2025-07-17"),
        ("July 17, 2025", "2025-07-17"),
        ("not a date", None),
        (None, None),
    ],
)
def test_dates_to_iso(raw, iso):
    assert to_iso_date(raw) == iso


def test_jsonl_gz_broken_mid_stream_keeps_what_was_read(tmp_path):
    """A gzip stream cut off mid-file: the lines before stand, the rest is one coded error (nothing silent)."""
    rows = b"".join(b'{"id": "a%d", "text": "Article number %d about tariffs."}\n' % (i, i) for i in range(2000))
    data = gzip.compress(rows)
    p = tmp_path / "cut.jsonl.gz"
    p.write_bytes(data[: len(data) // 2])
    got = items(p)
    arts = [g for g in got if isinstance(g, Article)]
    errs = [g for g in got if isinstance(g, ErrorRecord)]
    assert len(arts) > 100
    assert [a.doc_id for a in arts[:2]] == ["a0", "a1"]
    assert errs[-1].error_code == "TX100" and errs[-1].source.startswith(str(p) + "#L")

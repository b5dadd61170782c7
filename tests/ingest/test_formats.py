"""Formats researchers hold: HTML paragraphs, per-file columns, WARC, feed JSON, --lang, stdin by content.

Every text here is our own invention.
"""

from __future__ import annotations

import gzip
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from models.records import ErrorRecord
from pipeline.ingest import Article, iter_inputs, read_path
from pipeline.settings import InputColumns, Settings

TRADEX = [sys.executable, "-m", "pipeline.cli"]
BODY_1 = "Kestrel Mining said on Monday it would halt shipments of gallium to three buyers from next month."
BODY_2 = ("\u201cWe cannot sell what we are not allowed to ship,\u201d said Ana Ruiz, "
          "the company\u2019s chief executive.")
PAGE = (f"<html><head><title>Kestrel halts gallium shipments</title></head><body><article>"
        f"<h1>Kestrel halts gallium shipments</h1><p>{BODY_1}</p><p>{BODY_2}</p></article></body></html>")


def _items(path: Path, **settings: object) -> list[Article | ErrorRecord]:
    return list(iter_inputs([str(path)], Settings(model="none", **settings)))


# ------------------------------------------------------------------------------------------------ html
def test_html_paragraphs_are_apart_by_a_blank_line(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text(PAGE, encoding="utf-8")
    (art,) = _items(page)
    assert isinstance(art, Article)
    assert art.text == f"Kestrel halts gallium shipments\n\n{BODY_1}\n\n{BODY_2}"


def test_a_headline_does_not_swallow_the_next_paragraph_as_its_quote(tmp_path: Path) -> None:
    from pipeline import extract

    page = tmp_path / "p.html"
    page.write_text(PAGE, encoding="utf-8")
    (art,) = _items(page)
    assert isinstance(art, Article)
    (rec,) = extract([art.text], model="none")
    quotes = [(q.kind.value, q.text) for q in rec.quotes]
    assert ("direct", "We cannot sell what we are not allowed to ship,") in quotes
    assert all("Kestrel halts" not in text for _, text in quotes)


# --------------------------------------------------------------------------------------------- columns
def test_per_file_columns_let_a_csv_and_a_jsonl_run_together(tmp_path: Path) -> None:
    (tmp_path / "wire.csv").write_text(f'headline,body,link,date,source\nGallium halt,"{BODY_1}",'
                                       "https://example.invalid/1,2025-07-14,Example Wire\n", encoding="utf-8")
    (tmp_path / "ours.jsonl").write_text(json.dumps({"id": "a1", "title": "T", "text": BODY_2}) + "\n",
                                         encoding="utf-8")
    settings = {"file_columns": {"*.csv": InputColumns(title="headline", text="body", url="link", published="date",
                                                       publisher="source")}}
    items = _items(tmp_path, **settings)
    assert [type(i).__name__ for i in items] == ["Article", "Article"]
    ours, wire = items
    assert isinstance(wire, Article) and isinstance(ours, Article)
    assert (wire.text, wire.source.title, wire.source.url, wire.source.published, wire.source.publisher) == (
        BODY_1, "Gallium halt", "https://example.invalid/1", "2025-07-14", "Example Wire")
    assert (ours.doc_id, ours.text) == ("a1", BODY_2)


@pytest.mark.parametrize(("key", "fmt"), [("*.csv", "csv"), ("csv", "csv"), ("wire*", "csv"), ("jsonl", None)])
def test_columns_for_matches_globs_and_format_names(key: str, fmt: str | None) -> None:
    s = Settings(file_columns={key: InputColumns(text="body")})
    got = s.columns_for("feeds/wire.csv", "csv")
    assert got.text == ("body" if fmt else "text")
    assert got.title == "title"  # fields the mapping does not name come from [tradex.columns]


def test_tx104_lists_the_columns_it_saw_and_the_setting_to_use(tmp_path: Path) -> None:
    (tmp_path / "wire.csv").write_text(f'headline,body\nGallium halt,"{BODY_1}"\n', encoding="utf-8")
    (err,) = _items(tmp_path / "wire.csv")
    assert isinstance(err, ErrorRecord) and err.error_code == "TX104"
    assert "'headline', 'body'" in err.message and "[tradex.file_columns." in err.message


# ------------------------------------------------------------------------------------------------ warc
def _warc(path: Path, *, gz: bool) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        w = WARCWriter(fh, gzip=gz)
        w.write_record(w.create_warcinfo_record(path.name, {"software": "tradex test"}))

        def response(uri: str, status: str, ctype: str, body: bytes) -> None:
            http = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            rec = w.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=http)
            rec.rec_headers.replace_header("WARC-Date", "2025-07-15T08:00:00Z")
            w.write_record(rec)

        w.write_record(w.create_warc_record("https://example.invalid/a", "request",
                                            payload=io.BytesIO(b"GET /a HTTP/1.1\r\n\r\n")))
        response("https://example.invalid/a", "200 OK", "text/html; charset=utf-8", PAGE.encode())
        response("https://example.invalid/gone", "404 Not Found", "text/html", b"<html>gone</html>")
        response("https://example.invalid/logo.png", "200 OK", "image/png", b"\x89PNG...")
        w.write_record(w.create_revisit_record("https://example.invalid/a", digest="sha1:AAAA",
                                               refers_to_uri="https://example.invalid/a",
                                               refers_to_date="2025-07-15T08:00:00Z"))


@pytest.mark.parametrize("gz", [False, True], ids=["warc", "warc.gz"])
def test_warc_html_responses_become_articles_and_every_other_record_is_a_coded_line(tmp_path: Path,
                                                                                    gz: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    _warc(path, gz=gz)
    items = _items(path)
    arts = [i for i in items if isinstance(i, Article)]
    skipped = [i for i in items if isinstance(i, ErrorRecord)]
    assert len(items) == 6  # warcinfo, request, 3 responses, revisit: every record accounted for
    (art,) = arts
    assert art.text.startswith("Kestrel halts gallium shipments\n\n")
    assert (art.source.url, art.source.published) == ("https://example.invalid/a", "2025-07-15")
    assert art.doc_id.startswith("urn:uuid:")
    assert [e.error_code for e in skipped] == ["TX120"] * 5
    assert [e.message for e in skipped] == ["warcinfo record", "request record", "response with HTTP status 404",
                                            "response of type image/png, not HTML", "revisit record"]
    offsets = [int(i.source.split("#offset=")[1]) if isinstance(i, ErrorRecord)
               else int(i.source.path.split("#offset=")[1]) for i in items]
    assert offsets[0] == 0 and offsets == sorted(set(offsets))


def test_a_warc_cut_off_mid_file_keeps_what_was_read(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    _warc(path, gz=True)
    data = path.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: len(data) - 40])
    items = _items(cut)
    assert any(isinstance(i, Article) for i in items)
    assert isinstance(items[-1], ErrorRecord) and items[-1].error_code in ("TX100", "TX120")


# ------------------------------------------------------------------------------------------------ feeds
NEWSAPI = {"status": "ok", "totalResults": 2, "articles": [
    {"source": {"id": None, "name": "Example Wire"}, "author": "A. Writer", "title": "Gallium halt",
     "description": "Kestrel halts gallium.", "url": "https://example.invalid/n1", "urlToImage": None,
     "publishedAt": "2025-07-14T09:30:00Z", "content": BODY_1 + " More follows\u2026 [+1234 chars]"},
    {"source": {"name": "Example Wire"}, "title": "Short", "description": BODY_2, "url": "https://example.invalid/n2",
     "publishedAt": "2025-07-15T10:00:00Z", "content": None},
]}
NEWS_PLEASE = {"authors": [], "date_download": "2025-07-16 10:00:00", "date_publish": "2025-07-15 08:00:00",
               "description": "A short summary.", "language": "en", "maintext": BODY_1 + "\n\n" + BODY_2,
               "source_domain": "example.invalid", "title": "Kestrel halts gallium shipments",
               "url": "https://example.invalid/np1"}


def test_newsapi_response(tmp_path: Path) -> None:
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(NEWSAPI), encoding="utf-8")
    a, b = _items(path)
    assert isinstance(a, Article) and isinstance(b, Article)
    assert a.text == BODY_1 + " More follows"
    assert any("truncation marker" in r for r in a.source.repairs)
    assert (a.source.title, a.source.publisher, a.source.published, a.source.path) == (
        "Gallium halt", "Example Wire", "2025-07-14", f"{path}#articles[0]")
    assert b.text == BODY_2  # no content: the description


def test_news_please_article(tmp_path: Path) -> None:
    path = tmp_path / "article.json"
    path.write_text(json.dumps(NEWS_PLEASE), encoding="utf-8")
    (a,) = _items(path)
    assert isinstance(a, Article)
    assert (a.text, a.source.publisher, a.source.published) == (BODY_1 + "\n\n" + BODY_2, "example.invalid",
                                                                "2025-07-15")


@pytest.mark.parametrize(("doc", "fmt", "code"), [({"hello": 1}, "auto", "TX122"), (NEWS_PLEASE, "newsapi", "TX122"),
                                                  ("[1, 2", "auto", "TX103")])
def test_feed_documents_of_no_known_shape_are_coded(tmp_path: Path, doc: object, fmt: str, code: str) -> None:
    path = tmp_path / "x.json"
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    (err,) = _items(path, input_format=fmt)
    assert isinstance(err, ErrorRecord) and err.error_code == code


# ------------------------------------------------------------------------------------------------ lang
def test_lang_skips_other_languages_with_a_coded_line(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    lines = [{"id": "en1", "text": BODY_1},
             {"id": "fr1", "text": "Le ministère du Commerce a annoncé lundi de nouvelles restrictions sur les "
                                   "exportations de gallium vers trois pays."}]
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    assert [i.doc_id for i in _items(path)] == ["en1", "fr1"]  # off by default
    en, fr = _items(path, lang="en")
    assert isinstance(en, Article) and isinstance(fr, ErrorRecord)
    assert fr.error_code == "TX121" and fr.doc_id == "fr1" and "language fr" in fr.message


# ------------------------------------------------------------------------------------------------ stdin
@pytest.mark.parametrize(("data", "fmt"), [
    (PAGE.encode(), "auto"), (PAGE.encode(), "html"), (gzip.compress(PAGE.encode()), "gz"),
    (gzip.compress(PAGE.encode()), "auto"), (json.dumps(NEWS_PLEASE, indent=2).encode(), "auto"),
])
def test_stdin_is_read_by_its_content_or_by_format(monkeypatch: pytest.MonkeyPatch, data: bytes, fmt: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    (art,) = list(read_path("-", Settings(model="none", input_format=fmt)))
    assert isinstance(art, Article)
    assert art.text.startswith("Kestrel halts gallium shipments\n\n") or art.text.startswith(BODY_1)


def test_stdin_warc(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    _warc(path, gz=True)
    r = subprocess.run([*TRADEX, "extract", "-", "--format", "warc", "--model", "none", "-o",
                        str(tmp_path / "r.jsonl"), "--quiet"], input=path.read_bytes(), capture_output=True)
    assert r.returncode == 1, r.stderr  # the skipped records are in the errors file
    assert len((tmp_path / "r.jsonl").read_text().splitlines()) == 1
    assert len((tmp_path / "r.errors.jsonl").read_text().splitlines()) == 5


# -------------------------------------------------------------------------------------------- cli habits
@pytest.mark.parametrize("args", [["no-such-file.jsonl"], ["corpus/synthetic", "--quiet", "true"]])
def test_an_input_that_does_not_exist_is_a_usage_error_before_any_work(tmp_path: Path, args: list[str]) -> None:
    out = tmp_path / "r.jsonl"
    r = subprocess.run([*TRADEX, "extract", *args, "--model", "none", "-o", str(out)], capture_output=True, text=True,
                       cwd=Path(__file__).resolve().parents[2])
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("TX300 input not found:")
    assert not out.exists()


def test_version_flag() -> None:
    from pipeline import __version__

    r = subprocess.run([*TRADEX, "--version"], capture_output=True, text=True)
    assert (r.returncode, r.stdout.strip()) == (0, f"tradex {__version__}")


def test_help_shows_the_settings_defaults_and_the_config_table() -> None:
    r = subprocess.run([*TRADEX, "extract", "--help"], capture_output=True, text=True,
                       env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"})
    assert r.returncode == 0
    flat = " ".join(r.stdout.split())
    assert "[default: 32]" in flat and "[default: 64]" in flat and "[default: auto]" in flat
    assert "[tradex] table" in flat

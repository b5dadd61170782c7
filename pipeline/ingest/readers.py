"""One reader per input format. Each yields `Article` or `ErrorRecord`, never raises on bad content."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from models.records import ErrorRecord, Source
from pipeline.errors import ErrorCode
from pipeline.ingest.dates import to_iso_date
from pipeline.ingest.decode import DecodeError, decode_bytes, repair_text
from pipeline.settings import Settings


@dataclass
class Article:
    """One article ready for the NLP stages."""

    doc_id: str
    text: str
    source: Source


Item = Article | ErrorRecord

_DATE_LINE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2}|\d{1,2} [A-Z][a-z]+ \d{4}|[A-Z][a-z]+ \d{1,2}, \d{4})\s*$")


def text_doc_id(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _error(
    path: str, code: ErrorCode, message: str, field: str | None = None, doc_id: str | None = None
) -> ErrorRecord:
    return ErrorRecord(source=path, error_code=code.value, message=message, field=field, doc_id=doc_id)


def _check_text(text: str, where: str, settings: Settings, doc_id: str | None = None) -> ErrorRecord | None:
    if not text.strip():
        return _error(where, ErrorCode.EMPTY_TEXT, "article text is empty or only white space", "text", doc_id)
    if len(text) > settings.max_chars:
        return _error(
            where,
            ErrorCode.OVERSIZED,
            f"text has {len(text):,} characters, over max_chars={settings.max_chars:,}",
            "text",
            doc_id,
        )
    return None


def read_txt(data: bytes, path: str, settings: Settings) -> Iterator[Item]:
    """A whole file is one article; a short first line followed by a blank line is its title."""
    try:
        dec = decode_bytes(data)
    except DecodeError as e:
        yield _error(path, ErrorCode.UNDECODABLE, str(e))
        return
    text = dec.text
    bad = _check_text(text, path, settings)
    if bad:
        yield bad
        return
    lines = text.split("\n")
    title = None
    if len(lines) > 2 and lines[0].strip() and not lines[1].strip() and len(lines[0]) <= 300:
        title = lines[0].strip()
    published = None
    for line in lines[:6]:
        if _DATE_LINE.match(line):
            published = to_iso_date(line)
            break
    yield Article(text_doc_id(text), text, Source(path=path, title=title, published=published, repairs=dec.repairs))


COLUMNS_HINT = ("name the text column in the config file with [tradex.columns] text = \"...\" for every file, or "
                "[tradex.file_columns.\"*.csv\"] text = \"...\" for files matching a glob (or a format name)")


def _seen(names: Iterable[Any]) -> str:
    shown = [str(n) for n in names][:12]
    return ", ".join(repr(n) for n in shown) or "none"


def _from_mapping(obj: dict[str, Any], where: str, settings: Settings, repairs: list[str]) -> Item:
    cols = settings.columns
    raw_id = obj.get(cols.id)
    doc_id = str(raw_id) if raw_id not in (None, "") else None
    if cols.text not in obj or obj[cols.text] is None:
        return _error(where, ErrorCode.MISSING_TEXT, f"no '{cols.text}' field; fields seen: {_seen(obj)}; "
                      f"{COLUMNS_HINT}", cols.text, doc_id)
    text = obj[cols.text]
    if not isinstance(text, str):
        return _error(
            where, ErrorCode.BAD_FIELD, f"'{cols.text}' is {type(text).__name__}, not a string", cols.text, doc_id
        )
    fixed = repair_text(text)
    text, repairs = fixed.text, [*repairs, *fixed.repairs]
    bad = _check_text(text, where, settings, doc_id)
    if bad:
        return bad

    def opt(name: str) -> str | None:
        v = obj.get(name)
        return str(v) if v not in (None, "") else None

    published_raw = opt(cols.published)
    source = Source(
        path=where,
        url=opt(cols.url),
        publisher=opt(cols.publisher),
        published=to_iso_date(published_raw) if published_raw else None,
        title=opt(cols.title),
        repairs=repairs,
    )
    return Article(doc_id or text_doc_id(text), text, source)


def read_jsonl(data: bytes, path: str, settings: Settings) -> Iterator[Item]:
    """One article per line of `data` (see `read_jsonl_lines`)."""
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    yield from read_jsonl_lines(lines, path, settings)


def read_jsonl_lines(lines: Iterable[bytes], path: str, settings: Settings) -> Iterator[Item]:
    """One article per line; each line is decoded on its own so one bad line costs one article.

    `lines` may be a file object: the file is streamed, so memory does not grow with its size.
    """
    for n, raw in enumerate(lines, 1):
        raw = raw.rstrip(b"\n")
        where = f"{path}#L{n}"
        if not raw.strip():
            yield _error(where, ErrorCode.EMPTY_TEXT, "blank line where an article was expected")
            continue
        try:
            dec = decode_bytes(raw.rstrip(b"\r"))
        except DecodeError as e:
            yield _error(where, ErrorCode.UNDECODABLE, str(e))
            continue
        try:
            obj = json.loads(dec.text)
        except json.JSONDecodeError as e:
            yield _error(where, ErrorCode.BAD_JSON, f"{e.msg} at column {e.colno}")
            continue
        if not isinstance(obj, dict):
            yield _error(where, ErrorCode.NOT_AN_OBJECT, f"a JSON {type(obj).__name__}, not an object")
            continue
        yield _from_mapping(obj, where, settings, dec.repairs)


def read_csv(data: bytes, path: str, settings: Settings) -> Iterator[Item]:
    """One article per row; the header names the columns (see `Settings.columns`)."""
    try:
        dec = decode_bytes(data)
    except DecodeError as e:
        yield _error(path, ErrorCode.UNDECODABLE, str(e))
        return
    reader = csv.reader(io.StringIO(dec.text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        yield _error(path, ErrorCode.EMPTY_TEXT, "the CSV file is empty")
        return
    except csv.Error as e:
        yield _error(f"{path}#L1", ErrorCode.BAD_CSV, f"header cannot be parsed: {e}")
        return
    if settings.columns.text not in header:
        yield _error(
            f"{path}#L1",
            ErrorCode.MISSING_TEXT,
            f"no '{settings.columns.text}' column; columns seen: {_seen(header)}; {COLUMNS_HINT}",
            settings.columns.text,
        )
        return
    line = reader.line_num + 1
    while True:
        start = line
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            yield _error(f"{path}#L{start}", ErrorCode.BAD_CSV, str(e))
            return
        line = reader.line_num + 1
        where = f"{path}#L{start}"
        if not row:
            continue
        if len(row) != len(header):
            yield _error(where, ErrorCode.BAD_CSV, f"{len(row)} fields, header has {len(header)}")
            continue
        yield _from_mapping(dict(zip(header, row, strict=True)), where, settings, dec.repairs)


def read_html(data: bytes, path: str, settings: Settings) -> Iterator[Item]:
    """Main-text extraction with trafilatura (see `pipeline.ingest.html`); title, date, url from the metadata."""
    from pipeline.ingest.html import main_text, no_main_text, page_source

    try:
        dec = decode_bytes(data)
    except DecodeError as e:
        yield _error(path, ErrorCode.UNDECODABLE, str(e))
        return
    text, doc = main_text(dec.text)
    if not text or not text.strip():
        yield no_main_text(path)
        return
    bad = _check_text(text, path, settings)
    if bad:
        yield bad
        return
    yield Article(text_doc_id(text), text, page_source(doc, path, dec.repairs))


def read_json_feed(data: bytes, path: str, settings: Settings) -> Iterator[Item]:
    from pipeline.ingest.feeds import read_feed

    yield from read_feed(data, path, settings)


READERS = {"txt": read_txt, "jsonl": read_jsonl, "csv": read_csv, "html": read_html, "json": read_json_feed,
           "newsapi": read_json_feed, "news-please": read_json_feed}

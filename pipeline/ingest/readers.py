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
from pipeline.ingest.lines import LineSplitter, Overlong, jsonl_line_limit
from pipeline.settings import Settings


@dataclass
class Article:
    """One article ready for the NLP stages."""

    doc_id: str
    text: str
    source: Source


Item = Article | ErrorRecord

_LINE_END = re.compile(r"\r\n|\r|\n")
# a lone surrogate cannot be written as UTF-8; a NUL is refused in text however it arrives (raw or `\u0000`)
_NOT_TEXT = re.compile("[\x00\ud800-\udfff]")
_DATE_LINE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2}|\d{1,2} [A-Z][a-z]+ \d{4}|[A-Z][a-z]+ \d{1,2}, \d{4})\s*$")


def text_doc_id(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _error(
    path: str, code: ErrorCode, message: str, field: str | None = None, doc_id: str | None = None
) -> ErrorRecord:
    return ErrorRecord(source=path, error_code=code.value, message=message, field=field, doc_id=doc_id)


def _not_text(found: re.Match[str]) -> str:
    return "a NUL character" if found.group() == "\x00" else f"a lone surrogate (U+{ord(found.group()):04X})"


def _check_text(text: str, where: str, settings: Settings, doc_id: str | None = None) -> ErrorRecord | None:
    odd = _NOT_TEXT.search(text)
    if odd:
        return _error(
            where, ErrorCode.UNDECODABLE, f"text holds {_not_text(odd)} at character {odd.start()}", "text", doc_id
        )
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
    lines = _LINE_END.split(text)  # CR-only and CRLF files have titles and dates too
    title = None
    if len(lines) > 2 and lines[0].strip() and not lines[1].strip() and len(lines[0]) <= 300:
        title = lines[0].strip()
    published = None
    repairs = list(dec.repairs)
    for line in lines[:6]:
        if _DATE_LINE.match(line):
            published = to_iso_date(line)
            if published is None:
                repairs.append(_bad_date_note(line.strip()))
            break
    yield Article(text_doc_id(text), text, Source(path=path, title=title, published=published, repairs=repairs))


def _bad_date_note(raw: str) -> str:
    return f"published {raw[:60]!r} is not a valid date: set to null"


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

    fields = (cols.id, cols.title, cols.url, cols.publisher, cols.published)
    for name, value in zip(fields, (doc_id, *(opt(c) for c in fields[1:])), strict=True):
        odd = _NOT_TEXT.search(value or "")
        if odd:
            return _error(where, ErrorCode.BAD_FIELD, f"'{name}' holds {_not_text(odd)}", name, None)
    published_raw = opt(cols.published)
    published = to_iso_date(published_raw) if published_raw else None
    if published_raw and published is None:
        repairs = [*repairs, _bad_date_note(published_raw)]
    source = Source(
        path=where,
        url=opt(cols.url),
        publisher=opt(cols.publisher),
        published=published,
        title=opt(cols.title),
        repairs=repairs,
    )
    return Article(doc_id or text_doc_id(text), text, source)


def read_jsonl(data: bytes, path: str, settings: Settings) -> Iterator[Item]:
    """One article per line of `data` (see `read_jsonl_lines`)."""
    yield from read_jsonl_lines(LineSplitter(io.BytesIO(data).read, jsonl_line_limit(settings)), path, settings)


def json_error_message(e: json.JSONDecodeError) -> str:
    """`Unterminated string starting at` + ` column 9`, never `... at at column 9`."""
    return f"{e.msg} column {e.colno}" if e.msg.endswith(" at") else f"{e.msg} at column {e.colno}"


def read_jsonl_lines(
    lines: Iterable[bytes | Overlong], path: str, settings: Settings, repairs: list[str] | None = None
) -> Iterator[Item]:
    """One article per line; each line is decoded on its own so one bad line costs one article.

    `lines` may be a `LineSplitter` over a file: the file is streamed, so memory does not grow with its
    size. `repairs` are what was done to the whole stream (a UTF-16 file re-encoded), noted on every record.
    """
    for n, raw in enumerate(lines, 1):
        where = f"{path}#L{n}"
        if isinstance(raw, Overlong):
            yield _error(
                where,
                ErrorCode.OVERSIZED,
                f"the line has {raw.size:,}+ bytes, more than an article of max_chars={settings.max_chars:,} "
                "can take: skipped",
            )
            continue
        raw = raw.rstrip(b"\r\n")
        if not raw.strip():
            yield _error(where, ErrorCode.EMPTY_TEXT, "blank line where an article was expected")
            continue
        try:
            dec = decode_bytes(raw)
        except DecodeError as e:
            yield _error(where, ErrorCode.UNDECODABLE, str(e))
            continue
        try:
            obj = json.loads(dec.text)
        except json.JSONDecodeError as e:
            yield _error(where, ErrorCode.BAD_JSON, json_error_message(e))
            continue
        except RecursionError:
            yield _error(where, ErrorCode.BAD_JSON, "the JSON is nested too deeply to read")
            continue
        if not isinstance(obj, dict):
            yield _error(where, ErrorCode.NOT_AN_OBJECT, f"a JSON {type(obj).__name__}, not an object")
            continue
        yield _from_mapping(obj, where, settings, [*(repairs or []), *dec.repairs])


def read_csv(data: bytes, path: str, settings: Settings) -> Iterator[Item]:
    """One article per row; the header names the columns (see `Settings.columns`)."""
    try:
        dec = decode_bytes(data)
    except DecodeError as e:
        yield _error(path, ErrorCode.UNDECODABLE, str(e))
        return
    # the field limit follows max_chars (the csv default, 131,072, would refuse legal articles); a longer
    # field is TX105 like any oversized article
    csv.field_size_limit(max(settings.max_chars + 1, 131_072))
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
            # one bad row is one error: the reader goes on at the next line
            code = ErrorCode.OVERSIZED if "field larger than field limit" in str(e) else ErrorCode.BAD_CSV
            yield _error(f"{path}#L{start}", code, str(e))
            line = reader.line_num + 1
            continue
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

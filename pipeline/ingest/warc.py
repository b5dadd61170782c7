"""WARC (`.warc`, `.warc.gz`, e.g. CC-NEWS): HTML pages answered with 200 become articles.

Records are streamed with warcio, so a crawl file of any size reads record by record. Every record is
accounted for: a `response` holding an HTML page with status 200 becomes an article (text by trafilatura,
url from `WARC-Target-URI`, the page's own date or else `WARC-Date`, id from `WARC-Record-ID`); every other
record (request, revisit, warcinfo, metadata, a non-HTML or non-200 response) is one TX120 line naming its
type and byte offset, never dropped silently. The source path is `FILE#offset=N` (N: the record's offset in
the file as stored, compressed or not).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import IO, Any

from models.records import ErrorRecord
from pipeline.errors import ErrorCode
from pipeline.ingest.dates import to_iso_date
from pipeline.ingest.decode import DecodeError, decode_bytes
from pipeline.ingest.html import main_text, no_main_text, page_source
from pipeline.ingest.readers import Article, Item, text_doc_id
from pipeline.ingest.readers import _check_text as check_text
from pipeline.settings import Settings

HTML_TYPES = ("text/html", "application/xhtml+xml")


def _skipped(where: str, why: str, doc_id: str | None) -> ErrorRecord:
    return ErrorRecord(source=where, error_code=ErrorCode.WARC_SKIPPED.value, message=why, doc_id=doc_id)


def read_warc(path: str, settings: Settings) -> Iterator[Item]:
    """Every record of the WARC file at `path` (or `-`, stdin) as an article or a coded line."""
    try:
        fh: IO[bytes] = sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115 (closed below)
    except OSError as e:
        yield ErrorRecord(source=path, error_code=ErrorCode.UNREADABLE.value,
                          message=f"{type(e).__name__}: {e.strerror or e}")
        return
    try:
        yield from read_warc_stream(fh, path, settings)
    finally:
        if fh is not sys.stdin.buffer:
            fh.close()


def read_warc_stream(fh: IO[bytes], path: str, settings: Settings) -> Iterator[Item]:
    """The records of an open WARC stream (plain or gzip members); a break mid-file is one TX100 line."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    records = ArchiveIterator(fh)
    offset = 0
    try:
        for record in records:
            # the body is read first: warcio finds the record's offset by reading to its end
            body = record.content_stream().read() if _is_html_page(record) else b""
            offset = records.get_record_offset()
            yield _record_item(record, body, f"{path}#offset={offset}", settings)
    except (ArchiveLoadFailed, OSError, EOFError, ValueError) as e:
        yield ErrorRecord(source=f"{path}#offset={offset}", error_code=ErrorCode.UNREADABLE.value,
                          message=f"cannot read further: {e}")


def _content_type(record: Any) -> str:
    return str(record.http_headers.get_header("Content-Type") or "").split(";")[0].strip().lower()


def _is_html_page(record: Any) -> bool:
    http = record.http_headers
    return (record.rec_type == "response" and http is not None and http.get_statuscode() == "200"
            and _content_type(record) in HTML_TYPES)


def _record_item(record: Any, body: bytes, where: str, settings: Settings) -> Item:
    headers = record.rec_headers
    record_id = (headers.get_header("WARC-Record-ID") or "").strip("<>") or None
    if not _is_html_page(record):
        if record.rec_type != "response":
            why = f"{record.rec_type} record"
        elif record.http_headers is None or record.http_headers.get_statuscode() != "200":
            why = f"response with HTTP status {record.http_headers.get_statuscode() if record.http_headers else None}"
        else:
            why = f"response of type {_content_type(record) or 'unknown'}, not HTML"
        return _skipped(where, why, record_id)
    try:
        dec = decode_bytes(body)
    except DecodeError as e:
        return ErrorRecord(source=where, error_code=ErrorCode.UNDECODABLE.value, message=str(e), doc_id=record_id)
    text, doc = main_text(dec.text)
    if not text or not text.strip():
        return no_main_text(where)
    bad = check_text(text, where, settings, record_id)
    if bad:
        return bad
    source = page_source(doc, where, dec.repairs, url=headers.get_header("WARC-Target-URI"),
                         published=to_iso_date(headers.get_header("WARC-Date")))
    return Article(record_id or text_doc_id(text), text, source)

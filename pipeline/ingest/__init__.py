"""Ingest: turn paths, globs and stdin into a deterministic stream of articles and coded errors."""

from __future__ import annotations

import glob
import gzip
import json
import sys
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, cast

from models.records import ErrorRecord
from pipeline.errors import ErrorCode
from pipeline.ingest.readers import READERS, Article, Item, read_jsonl_lines, text_doc_id
from pipeline.settings import Settings

__all__ = ["Article", "Item", "expand_inputs", "format_of", "iter_inputs", "read_path", "text_doc_id"]

SUFFIXES = {
    ".txt": "txt",
    ".text": "txt",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".warc": "warc",
}


def format_of(name: str) -> str | None:
    """Format from the file name, looking through a `.gz` suffix."""
    p = Path(name)
    if p.suffix.lower() == ".gz":
        p = Path(p.stem)
    return SUFFIXES.get(p.suffix.lower())


def expand_inputs(inputs: Iterable[str]) -> list[str]:
    """Files as given, folders recursively and globs, each sorted, so the order is deterministic."""
    out: list[str] = []
    for raw in inputs:
        if raw == "-":
            out.append(raw)
            continue
        p = Path(raw)
        if p.is_dir():
            found = sorted(str(f) for f in p.rglob("*") if f.is_file() and format_of(f.name))
            out.extend(found)
        elif any(ch in raw for ch in "*?["):
            out.extend(sorted(f for f in glob.glob(raw, recursive=True) if Path(f).is_file()))
        else:
            out.append(raw)
    return out


def _sniff(data: bytes) -> str:
    """Format of a stream with no file name (stdin): WARC, HTML, JSON lines, one JSON document, else text."""
    start = data.lstrip()[:512]
    low = start.lower()
    if start.startswith(b"WARC/"):
        return "warc"
    if low.startswith((b"<!doctype html", b"<html")) or b"<html" in low[:256]:
        return "html"
    if start[:1] == b"[" or (start[:1] == b"{" and _is_feed_document(data)):
        return "json"
    return "jsonl" if start[:1] == b"{" else "txt"


def _is_feed_document(data: bytes) -> bool:
    """One JSON document of a feed shape (NewsAPI, news-please), not JSON lines."""
    from pipeline.ingest.feeds import shape_of

    try:
        return shape_of(json.loads(data)) in ("newsapi", "news-please")
    except (ValueError, RecursionError):
        return False


def read_path(path: str, settings: Settings) -> Iterator[Item]:
    """Every article (or error) in one input; unreadable files become one TX100 error.

    JSONL is streamed line by line (plain or gzip), so a file of any size reads in constant memory;
    the one-article formats and CSV (whose encoding is detected on the whole file) are read at once.
    """
    forced = settings.input_format
    if forced == "warc" or (forced == "auto" and path != "-" and format_of(path) == "warc"):
        from pipeline.ingest.warc import read_warc

        yield from read_warc(path, settings)
        return
    if path == "-" and forced in ("gz", "auto"):
        data = sys.stdin.buffer.read()
        yield from _read_stdin(data, settings)
        return
    try:
        fh: IO[bytes]
        if path == "-":
            fh = sys.stdin.buffer
        elif path.endswith(".gz"):
            fh = cast(IO[bytes], gzip.open(path, "rb"))  # noqa: SIM115 (closed below, after streaming)
        else:
            fh = open(path, "rb")  # noqa: SIM115 (closed below, after streaming)
    except OSError as e:
        yield _unreadable(path, f"{type(e).__name__}: {e.strerror or e}")
        return
    try:
        head = fh.peek(64) if hasattr(fh, "peek") else b""
        fmt = forced if forced != "auto" else (format_of(path) or _sniff(head))
        settings = settings.for_input(path, fmt)
        if fmt == "jsonl":
            yield from _stream_jsonl(fh, path, settings)
            return
        data = fh.read()
    except (OSError, EOFError, zlib.error) as e:
        yield _unreadable(path, f"cannot read: {e}")
        return
    finally:
        if fh is not sys.stdin.buffer:
            fh.close()
    yield from READERS[fmt](data, path, settings)


def _read_stdin(data: bytes, settings: Settings) -> Iterator[Item]:
    """stdin with no --format (or --format gz): gunzip when it is gzip, then tell the format by the content."""
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as e:
            yield _unreadable("-", f"cannot read the gzip stream: {e}")
            return
    fmt = _sniff(data)
    if fmt == "warc":
        import io

        from pipeline.ingest.warc import read_warc_stream

        yield from read_warc_stream(io.BytesIO(data), "-", settings)
        return
    yield from READERS[fmt](data, "-", settings.for_input("-", fmt))


def _stream_jsonl(fh: IO[bytes], path: str, settings: Settings) -> Iterator[Item]:
    lines = _lines_until_error(fh)
    yield from read_jsonl_lines(lines, path, settings)
    if lines.error is not None:
        # a gzip stream that breaks off mid-file: what was read stands, the rest is one coded error
        yield _unreadable(f"{path}#L{lines.count + 1}", f"cannot read further: {lines.error}")


class _lines_until_error:
    """Iterate the lines of a binary stream; remember an I/O error instead of raising it mid-batch."""

    def __init__(self, fh: IO[bytes]):
        self.fh = fh
        self.count = 0
        self.error: Exception | None = None

    def __iter__(self) -> Iterator[bytes]:
        while True:
            try:
                line = self.fh.readline()
            except (OSError, EOFError, zlib.error) as e:
                self.error = e
                return
            if not line:
                return
            self.count += 1
            yield line


def _unreadable(source: str, message: str) -> ErrorRecord:
    return ErrorRecord(source=source, error_code=ErrorCode.UNREADABLE.value, message=message)


def iter_inputs(inputs: Iterable[str], settings: Settings) -> Iterator[Item]:
    """The stream the runner cuts into partitions (articles in another language than `--lang` become TX121)."""
    from pipeline.ingest.language import keep_language

    for path in expand_inputs(inputs):
        yield from keep_language(read_path(path, settings), settings.lang)

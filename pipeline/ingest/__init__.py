"""Ingest: turn paths, globs and stdin into a deterministic stream of articles and coded errors."""

from __future__ import annotations

import codecs
import glob
import gzip
import json
import os
import sys
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, cast

from models.records import ErrorRecord
from pipeline.errors import ErrorCode
from pipeline.guard import file_kind
from pipeline.ingest.lines import LineSplitter, jsonl_line_limit
from pipeline.ingest.readers import READERS, Article, Item, read_jsonl_lines, text_doc_id
from pipeline.settings import Settings

__all__ = [
    "Article",
    "Item",
    "expand_inputs",
    "format_of",
    "iter_inputs",
    "read_path",
    "text_doc_id",
    "walk_inputs",
]

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
    """The input files in reading order (see `walk_inputs`); the entries it reports as errors left out."""
    return [x for x in walk_inputs(inputs) if isinstance(x, str)]


def walk_inputs(inputs: Iterable[str]) -> Iterator[str | ErrorRecord]:
    """Files as given, folders recursively and globs, each sorted, so the order is deterministic.

    A literal path that exists wins over a glob pattern (`report[1].txt` is that file). What a folder walk
    cannot use is a coded error, never dropped in silence: an unreadable subfolder (TX100), a FIFO, device,
    socket, dead link or linked folder (TX110). Regular files with no article suffix (README.md) are not
    articles and are passed over.
    """
    for raw in inputs:
        if raw == "-":
            yield raw
            continue
        p = Path(raw)
        if os.path.lexists(raw):
            if p.is_dir():
                yield from _walk_folder(p)
            else:
                yield raw  # read_path reports what is not a regular file
        elif glob.has_magic(raw):
            yield from sorted(f for f in glob.glob(raw, recursive=True) if not Path(f).is_dir())
        else:
            yield raw  # missing: read_path says so (TX100)


def _walk_folder(root: Path) -> Iterator[str | ErrorRecord]:
    found: list[tuple[str, str | ErrorRecord]] = []

    def unlistable(e: OSError) -> None:
        where = str(e.filename or root)
        found.append((where, _unreadable(where, f"cannot list the folder: {e.strerror or e}")))

    for folder, dirs, files in os.walk(root, onerror=unlistable):
        for name in dirs:
            full = os.path.join(folder, name)
            if os.path.islink(full):  # not followed (a loop would never end)
                found.append((full, _not_a_file(full, "a link to a folder (not followed)")))
        for name in files:
            full = os.path.join(folder, name)
            kind = file_kind(full)
            if kind is None:
                if format_of(name):
                    found.append((full, full))
            else:
                found.append((full, _not_a_file(full, kind)))
    for _, item in sorted(found, key=lambda x: x[0]):
        yield item


def _not_a_file(path: str, kind: str) -> ErrorRecord:
    return ErrorRecord(
        source=path, error_code=ErrorCode.NOT_A_FILE.value, message=f"{kind}, not a regular file: skipped"
    )


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


def _read_limit(fmt: str, settings: Settings) -> int | None:
    """Most bytes a one-article file can take before it is surely over max_chars (4 bytes a character at
    most; HTML carries markup too). CSV holds many articles and is read whole."""
    if fmt == "txt":
        return 4 * settings.max_chars + 4
    if fmt == "html":
        return 16 * settings.max_chars + (1 << 20)
    return None


def _stdin() -> IO[bytes] | None:
    stdin = sys.stdin
    buf = getattr(stdin, "buffer", None) if stdin is not None else None
    if buf is None or buf.closed:
        return None
    return cast(IO[bytes], buf)


def read_path(path: str, settings: Settings) -> Iterator[Item]:
    """Every article (or error) in one input; unreadable files become one TX100 error, non-regular ones TX110.

    JSONL is streamed (plain or gzip, any line ending, UTF-16/32 with a byte-order mark), a line over the
    size limit skipped as one TX105, so a file of any size reads in bounded memory; the one-article formats
    read at most what an article of max_chars can take; CSV (whose encoding is detected on the whole file)
    is read at once.
    """
    forced = settings.input_format
    fh: IO[bytes] | None
    if path == "-":
        fh = _stdin()
        if fh is None:
            yield _unreadable(path, "stdin is closed")
            return
        if forced in ("auto", "gz", "warc"):
            # stdin has no name to tell its format by: read it, gunzip it when it is gzip, then sniff
            yield from _read_stdin(fh.read(), settings)
            return
    else:
        kind = file_kind(path)
        if kind is not None and kind != "missing" and not kind.startswith("unreadable"):
            yield _not_a_file(path, kind)
            return
        if forced == "warc" or (forced == "auto" and format_of(path) == "warc"):
            from pipeline.ingest.warc import read_warc

            yield from read_warc(path, settings)
            return
        try:
            # closed below, after streaming
            fh = cast(IO[bytes], gzip.open(path, "rb")) if path.endswith(".gz") else open(path, "rb")  # noqa: SIM115
        except OSError as e:
            yield _unreadable(path, f"{type(e).__name__}: {e.strerror or e}")
            return
    try:
        head = fh.peek(64)[:64] if hasattr(fh, "peek") else b""
        fmt = forced if forced != "auto" else (format_of(path) or _sniff(head))
        settings = settings.for_input(path, fmt)
        if fmt == "jsonl":
            yield from _stream_jsonl(fh, head, path, settings)
            return
        limit = _read_limit(fmt, settings)
        data = fh.read() if limit is None else fh.read(limit + 1)
        if limit is not None and len(data) > limit:
            yield ErrorRecord(
                source=path,
                error_code=ErrorCode.OVERSIZED.value,
                message=f"the file is over {limit:,} bytes: its text would be over max_chars={settings.max_chars:,}",
            )
            return
    except (OSError, EOFError, zlib.error) as e:
        yield _unreadable(path, f"cannot read: {e}")
        return
    finally:
        if path != "-":
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


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _stream_jsonl(fh: IO[bytes], head: bytes, path: str, settings: Settings) -> Iterator[Item]:
    # read1: what is there, so a stream cut off mid-file still yields the lines before the break
    read = getattr(fh, "read1", fh.read)
    repairs: list[str] = []
    encoding = next((enc for bom, enc in _BOMS if head.startswith(bom)), None)
    if encoding is not None:
        # re-encoded as UTF-8 so that the line splitter and the per-line decoder see one encoding
        text = codecs.getreader(encoding)(fh)

        def read(n: int) -> bytes:
            return text.read(n).encode("utf-8")

        repairs = [f"decoded as {encoding.upper()} (byte-order mark)"]
    lines = LineSplitter(read, jsonl_line_limit(settings))
    yield from read_jsonl_lines(lines, path, settings, repairs)
    if lines.error is not None:
        # a gzip stream that breaks off mid-file: what was read stands, the rest is one coded error
        yield _unreadable(f"{path}#L{lines.count + 1}", f"cannot read further: {lines.error}")


def _unreadable(source: str, message: str) -> ErrorRecord:
    return ErrorRecord(source=source, error_code=ErrorCode.UNREADABLE.value, message=message)


def iter_inputs(inputs: Iterable[str], settings: Settings) -> Iterator[Item]:
    """The stream the runner cuts into partitions (articles in another language than `--lang` become TX121)."""
    from pipeline.ingest.language import keep_language

    for entry in walk_inputs(inputs):
        if isinstance(entry, ErrorRecord):
            yield entry
        else:
            yield from keep_language(read_path(entry, settings), settings.lang)

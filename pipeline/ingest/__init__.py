"""Ingest: turn paths, globs and stdin into a deterministic stream of articles and coded errors."""

from __future__ import annotations

import glob
import gzip
import sys
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from models.records import ErrorRecord
from pipeline.errors import ErrorCode
from pipeline.ingest.readers import READERS, Article, Item, text_doc_id
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
    head = data.lstrip()[:1]
    return "jsonl" if head in (b"{", b"[") else "txt"


def read_path(path: str, settings: Settings) -> Iterator[Item]:
    """Every article (or error) in one input; unreadable files become one TX100 error."""
    try:
        data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as e:
        yield ErrorRecord(
            source=path, error_code=ErrorCode.UNREADABLE.value, message=f"{type(e).__name__}: {e.strerror or e}"
        )
        return
    if path.endswith(".gz"):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as e:
            yield ErrorRecord(source=path, error_code=ErrorCode.UNREADABLE.value, message=f"bad gzip data: {e}")
            return
    fmt = settings.input_format if settings.input_format != "auto" else (format_of(path) or _sniff(data))
    yield from READERS[fmt](data, path, settings)


def iter_inputs(inputs: Iterable[str], settings: Settings) -> Iterator[Item]:
    """The stream the runner cuts into partitions."""
    for path in expand_inputs(inputs):
        yield from read_path(path, settings)

"""Lines of a byte stream in bounded memory: any line ending, an over-long line skipped (not buffered)."""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from pipeline.settings import Settings

CHUNK = 1 << 20
# The first line break of a stream sets its convention: LF (and CRLF, whose CR the reader strips), or
# old-Mac CR-only, where \r, \r\n and \n all end a line. A stray CR inside an LF file's line (binary junk)
# then stays in its line, so one bad line is still one error.
_LF = re.compile(rb"\n")
_CR = re.compile(rb"\r\n|\r|\n")
_FIRST_BREAK = re.compile(rb"[\r\n]")


def jsonl_line_limit(settings: Settings) -> int:
    """Bytes a JSONL line may take: a text of max_chars characters written as `\\uXXXX` pairs (12 bytes a
    character) plus room for the other fields. A longer line cannot hold an article within max_chars."""
    return 12 * settings.max_chars + (1 << 16)


@dataclass(frozen=True)
class Overlong:
    """Stands for a line longer than the limit, which was skipped; `size` is its length in bytes."""

    size: int


class LineSplitter:
    """Iterate the lines of `read(n)` (without their LF; a CRLF line keeps its CR); a line over `limit` bytes
    is read past and yielded as `Overlong`. An I/O error ends the iteration and is kept in `error`."""

    def __init__(self, read: Callable[[int], bytes], limit: int):
        self.read = read
        self.limit = limit
        self.count = 0
        self.error: Exception | None = None

    def __iter__(self) -> Iterator[bytes | Overlong]:
        buf: list[bytes] = []
        size = 0
        skipping = False
        after_cr = False
        breaks: re.Pattern[bytes] | None = None
        while True:
            try:
                chunk = self.read(CHUNK)
            except (OSError, EOFError, zlib.error, UnicodeDecodeError) as e:
                self.error = e
                break
            if not chunk:
                break
            if after_cr and chunk.startswith(b"\n"):
                chunk = chunk[1:]  # the \n of a \r\n split across two reads
            if not chunk:
                continue
            if breaks is None:
                first = _FIRST_BREAK.search(chunk)
                if first is not None:
                    cr_only = first.group() == b"\r" and chunk[first.end() : first.end() + 1] != b"\n"
                    breaks = _CR if cr_only else _LF
            after_cr = breaks is _CR and chunk.endswith(b"\r")
            pieces = (breaks or _LF).split(chunk)
            for i, piece in enumerate(pieces):
                last = i == len(pieces) - 1
                if not skipping:
                    buf.append(piece)
                size += len(piece)
                if size > self.limit and not skipping:
                    skipping, buf = True, []
                if last:
                    break  # the line goes on in the next read
                self.count += 1
                yield Overlong(size) if skipping else b"".join(buf)
                buf, size, skipping = [], 0, False
        if size or skipping:
            self.count += 1
            yield Overlong(size) if skipping else b"".join(buf)

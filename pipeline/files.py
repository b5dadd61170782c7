"""Atomic file writes shared by the runner and the corpus stages."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path


def atomic_write_lines(path: Path, lines: Iterable[str]) -> int:
    """Write `lines` to `path` through a temp file in the same folder (fsync, then `os.replace`); returns the count.

    A reader never sees a half-written file, and a crash leaves the old file (or none) in place.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.tmp{os.getpid()}")
    n = 0
    try:
        with tmp.open("w", encoding="utf-8", newline="\n") as fh:
            for line in lines:
                fh.write(line)
                fh.write("\n")
                n += 1
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return n

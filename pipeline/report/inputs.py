"""What `tradex report` reads: a records file (any stage) or a run's output folder, and its errors file.

Records are read as JSON objects, not through `models.ArticleRecord`, so fields newer than this code
(`measures`, `about`, ...) pass through and a record from an older or newer writer still renders. A line
that is not a usable record becomes a coded problem (shown on the errors page), never a crash.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import ErrorCode

# a run folder's files, latest stage first: the report shows the most complete records
RUN_FILES = ("deduped.jsonl", "normalized.jsonl", "records.jsonl")


class ReportInputError(ValueError):
    """The input cannot be reported on at all (missing file, a folder with no records); a usage error."""


@dataclass
class Problem:
    """A line of the input that could not be shown, in the errors file's shape."""

    source: str
    error_code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"source": self.source, "error_code": self.error_code, "message": self.message}


def resolve_input(path: Path, errors: Path | None = None) -> tuple[Path, Path | None]:
    """The records file to read and the errors file beside it (None when there is none)."""
    path = Path(path)
    if path.is_dir():
        records = next((path / n for n in RUN_FILES if (path / n).is_file()), None)
        if records is None:
            raise ReportInputError(f"{path} holds none of {', '.join(RUN_FILES)}: give a records file or a run folder")
    elif path.is_file():
        records = path
    else:
        raise ReportInputError(f"no such records file or folder: {path}")
    if errors is not None:
        if not errors.is_file():
            raise ReportInputError(f"no such errors file: {errors}")
        return records, errors
    stem = records.name.removesuffix(".jsonl")
    for cand in (records.with_name(f"{stem}.errors.jsonl"), records.with_name("records.errors.jsonl")):
        if cand.is_file():
            return records, cand
    return records, None


def _span_ok(span: Any, n: int) -> bool:
    return (isinstance(span, dict) and isinstance(span.get("start"), int) and isinstance(span.get("end"), int)
            and 0 <= span["start"] < span["end"] <= n)


def check_record(rec: Any, where: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The record with unusable spans dropped, and a problem for each thing dropped (None: the whole line)."""
    if not isinstance(rec, dict):
        return None, [Problem(where, ErrorCode.NOT_AN_OBJECT.value, "the line is valid JSON but not an object")]
    if not isinstance(rec.get("text"), str) or not isinstance(rec.get("doc_id"), str):
        return None, [Problem(where, ErrorCode.BAD_FIELD.value, "a record needs a string doc_id and text")]
    n = len(rec["text"])
    problems: list[Problem] = []
    for key in ("entities", "quotes", "measures"):
        items = rec.get(key) or []
        if not isinstance(items, list):
            problems.append(Problem(where, ErrorCode.BAD_FIELD.value, f"{key} is not a list: not shown"))
            rec[key] = []
            continue
        kept = []
        for i, item in enumerate(items):
            span = item.get("trigger") if key == "measures" and isinstance(item, dict) else item
            if _span_ok(span, n):
                kept.append(item)
            else:
                what = item.get("id", i) if isinstance(item, dict) else i
                problems.append(Problem(where, ErrorCode.BAD_FIELD.value,
                                        f"{key} {what}: offsets outside the text ({n} characters): not shown"))
        rec[key] = kept
    return rec, problems


def iter_records(path: Path) -> Iterator[tuple[dict[str, Any] | None, list[Problem]]]:
    """(record or None, problems) per non-blank line of a records JSONL file, streaming."""
    with Path(path).open(encoding="utf-8", errors="replace") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            where = f"{path}#L{n}"
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                yield None, [Problem(where, ErrorCode.BAD_JSON.value, f"not valid JSON: {e.msg} (column {e.colno})")]
                continue
            yield check_record(obj, where)


def read_errors(path: Path | None) -> list[dict[str, Any]]:
    """The lines of an errors file (a line that is not JSON is shown as it is)."""
    if path is None:
        return []
    out: list[dict[str, Any]] = []
    with Path(path).open(encoding="utf-8", errors="replace") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError:
                obj = None
            if not isinstance(obj, dict):
                obj = {"source": f"{path}#L{n}", "error_code": "", "message": line.strip()[:500]}
            out.append(obj)
    return out

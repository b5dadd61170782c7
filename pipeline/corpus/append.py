"""`tradex run NEW -o DIR --append`: a new batch joins the records already in DIR.

The batch is extracted on its own (`DIR/batch/records.jsonl`), then merged into `DIR/records.jsonl`: an
article whose `doc_id` is already there replaces it in place (re-ingested, perhaps with other settings),
the others follow in batch order; the batch's errors are appended to `DIR/records.errors.jsonl`. The corpus
stages then run over the whole merged file, so the new articles are normalized and deduplicated against
everything in DIR (a near copy of an earlier article gets `duplicate_of`; entity first/last seen and quote
outlet counts take the new articles in), and export upserts the tables, rewriting only the Parquet
partitions whose rows changed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline.files import atomic_write_lines

BATCH_DIR = "batch"


@dataclass
class AppendSummary:
    before: int = 0
    added: int = 0
    replaced: int = 0
    errors_added: int = 0

    @property
    def total(self) -> int:
        return self.before + self.added

    def line(self) -> str:
        return (f"append: {self.added} new and {self.replaced} replaced articles, {self.errors_added} errors; "
                f"{self.total} articles in all")


def _lines(path: Path) -> Iterator[str]:
    if path.exists():
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    yield line.rstrip("\n")


def _doc_id(line: str) -> str:
    return str(json.loads(line)["doc_id"])


def merge_batch(records: Path, batch: Path, errors: Path, batch_errors: Path) -> AppendSummary:
    """Merge the batch's records and errors into the run's files (atomically); see the module docstring."""
    new = {_doc_id(line): line for line in _lines(batch)}
    summary = AppendSummary()
    merged: list[str] = []
    for line in _lines(records):
        doc_id = _doc_id(line)
        summary.before += 1
        if doc_id in new:
            merged.append(new.pop(doc_id))
            summary.replaced += 1
        else:
            merged.append(line)
    summary.added = len(new)
    merged.extend(new.values())
    atomic_write_lines(records, merged)
    added_errors = list(_lines(batch_errors))
    summary.errors_added = len(added_errors)
    if added_errors or not errors.exists():
        atomic_write_lines(errors, [*_lines(errors), *added_errors])
    return summary

"""Corpus-level stages: normalize, dedupe, export.

Each stage is a function over records (`normalize_records`, `dedupe_records`, `export_records`) with a
file-level wrapper (`normalize_file`, `dedupe_file`, `export_file`); `run_corpus_stages` chains the
file-level wrappers for `tradex run`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from models.records import ArticleRecord
from pipeline.files import atomic_write_lines
from pipeline.settings import Settings

ProgressFn = Callable[[int], None]  # (items done) -> None


class RecordFileError(ValueError):
    """A line of a records file that is not a valid record (the message names file and line)."""


def read_records(path: Path) -> Iterator[ArticleRecord]:
    """Records of a JSONL file, in file order; blank lines are skipped, a bad line raises `RecordFileError`."""
    with Path(path).open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                yield ArticleRecord.model_validate_json(line)
            except ValueError as e:  # pydantic's ValidationError is a ValueError
                raise RecordFileError(f"{path}:{n}: not a valid record: {str(e)[:300]}") from e


def write_records(path: Path, records: Iterable[ArticleRecord]) -> int:
    """Write records as JSONL (deterministic field order), atomically; returns the count."""
    from pipeline.runner import record_json

    return atomic_write_lines(path, (record_json(r) for r in records))


def _fresh(candidate: Path, than: Path) -> bool:
    """True when `candidate` exists and is not older than `than` (a leftover from an older run is not used)."""
    if not candidate.exists():
        return False
    return not than.exists() or candidate.stat().st_mtime >= than.stat().st_mtime


def run_corpus_stages(records: Path, out_dir: Path, *, settings: Settings) -> Iterator[str]:
    """Run the corpus stages named in `settings.stages` after extract; yield one summary line each.

    normalize -> `normalized.jsonl` + `entities.jsonl`, dedupe -> `deduped.jsonl`,
    export -> `parquet/*.parquet` + `tradex.duckdb`, all in `out_dir`. A stage reads the output of the
    previous stage when that output is at least as new as `records`, else `records` itself.
    """
    from pipeline.corpus.dedupe import dedupe_file
    from pipeline.corpus.export import export_file
    from pipeline.corpus.normalize import normalize_file

    records, out_dir = Path(records), Path(out_dir)
    wanted = [s for s in ("normalize", "dedupe", "export") if s in settings.stages]
    if not wanted:
        return
    if not records.exists():
        yield f"corpus stages skipped: {records} does not exist"
        return
    normalized, entities, deduped = out_dir / "normalized.jsonl", out_dir / "entities.jsonl", out_dir / "deduped.jsonl"
    current = records
    if "normalize" in wanted:
        n = normalize_file(current, normalized, settings=settings, entities_path=entities)
        current = normalized
        yield f"normalize: {n.line()} -> {normalized}"
    elif _fresh(normalized, records):
        current = normalized
    if "dedupe" in wanted:
        d = dedupe_file(current, deduped, settings=settings)
        current = deduped
        yield f"dedupe: {d.line()} -> {deduped}"
    elif _fresh(deduped, current):
        current = deduped
    if "export" in wanted:
        ent = entities if _fresh(entities, records) else None
        e = export_file(current, out_dir, settings=settings, entities_path=ent)
        yield f"export: {e.line()} -> {out_dir / 'parquet'}, {e.database}"

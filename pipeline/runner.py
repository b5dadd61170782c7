"""Partition-oriented runner: cut the input stream into partitions, run each through the spaCy
pipeline (in this process or in worker processes), write every partition atomically, then join
them into the output file. `resume=True` reuses the partitions a killed run already finished.

Output is identical across runs and across worker counts: partitions are numbered by input
position and joined in that order.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from models.records import ArticleRecord, ErrorRecord, PipelineInfo
from pipeline.errors import ErrorCode, TradexError
from pipeline.files import atomic_write_lines
from pipeline.guard import check_outputs, file_kind, output_lock
from pipeline.ingest import Article, Item, iter_inputs
from pipeline.ingest.readers import text_doc_id
from pipeline.nlp import RULES_VERSION_META, make_docs, model_version, package_version
from pipeline.nlp_cache import load_nlp
from pipeline.records import doc_to_record
from pipeline.settings import Settings

# Fields of a record that only the corpus stages fill; `extract` leaves them out when empty.
_CORPUS_FIELDS = ("duplicate_of", "dup_cluster")


def errors_path_for(output: Path) -> Path:
    """`records.jsonl` -> `records.errors.jsonl`."""
    name = output.name
    stem = name[: -len(".jsonl")] if name.endswith(".jsonl") else name
    return output.with_name(f"{stem}.errors.jsonl")


def record_json(record: ArticleRecord) -> str:
    """One JSONL line, fields in model order, corpus-stage fields omitted while empty."""
    exclude: dict[str, Any] = {k: True for k in _CORPUS_FIELDS if getattr(record, k) is None}
    empty_clusters = [i for i, q in enumerate(record.quotes) if q.quote_cluster is None]
    if empty_clusters:
        exclude["quotes"] = {i: {"quote_cluster"} for i in empty_clusters}
    # pydantic's own serializer; its output matches json.dumps(..., ensure_ascii=False) of model_dump
    return record.model_dump_json(exclude=exclude)


def error_json(err: ErrorRecord) -> str:
    return json.dumps(err.model_dump(mode="json", exclude_none=True), ensure_ascii=False)


@dataclass
class Processor:
    """Builds the pipeline once per process and turns a partition of items into JSONL lines."""

    settings: Settings
    nlp: Language | None = None
    info: PipelineInfo | None = None
    # gc.freeze() once the pipeline is built: it and the rule packs are the largest, longest-lived part of
    # the heap, and the collector's full passes would walk them again and again (about 7% of a rules-only run)
    freeze_heap: bool = False
    frozen: bool = False
    # sentences of the last partition the dependency parser raised on (the quote stage reads them unparsed)
    parse_failures: int = 0

    def ensure(self) -> tuple[Language, PipelineInfo]:
        if self.nlp is None or self.info is None:
            self.nlp = load_nlp(self.settings)
            self.info = PipelineInfo(
                version=package_version(), rules_version=self.nlp.meta[RULES_VERSION_META],
                model=model_version(self.nlp),
            )
            if self.freeze_heap and not self.frozen:
                gc.freeze()
                self.frozen = True
        return self.nlp, self.info

    def process(self, items: list[Item]) -> tuple[list[str], list[str]]:
        """Records and errors of one partition, as JSONL lines, in input order."""
        nlp, info = self.ensure()
        articles = [it for it in items if isinstance(it, Article)]
        out: dict[int, str] = {}
        errors: dict[int, str] = {}
        docs = self._docs(nlp, articles)
        self.parse_failures = sum(d._.trade_parse_failures for d in docs if isinstance(d, Doc))
        a = 0
        for pos, it in enumerate(items):
            if isinstance(it, ErrorRecord):
                errors[pos] = error_json(it)
                continue
            doc = docs[a]
            a += 1
            if isinstance(doc, Exception):
                err = ErrorRecord(
                    source=it.source.path,
                    error_code=ErrorCode.PROCESSING_FAILED.value,
                    message=f"{type(doc).__name__}: {doc}",
                    doc_id=it.doc_id,
                )
                errors[pos] = error_json(err)
                continue
            try:
                out[pos] = record_json(doc_to_record(doc, it, info))
            except Exception as e:  # a record that breaks its own contract is reported, not written
                err = ErrorRecord(
                    source=it.source.path,
                    error_code=ErrorCode.PROCESSING_FAILED.value,
                    message=f"record failed validation: {type(e).__name__}: {str(e)[:500]}",
                    doc_id=it.doc_id,
                )
                errors[pos] = error_json(err)
        return [out[k] for k in sorted(out)], [errors[k] for k in sorted(errors)]

    def _docs(self, nlp: Language, articles: list[Article]) -> list[Any]:
        texts = [a.text for a in articles]
        published = [a.source.published for a in articles]
        try:
            return list(nlp.pipe(make_docs(nlp, texts, published), batch_size=self.settings.batch_size))
        except Exception:
            # one bad article must not cost the batch: redo it one by one and keep the failures
            docs: list[Any] = []
            for t, p in zip(texts, published, strict=True):
                try:
                    docs.append(nlp(make_docs(nlp, [t], [p])[0]))
                except Exception as e:
                    docs.append(e)
            return docs


# A worker process keeps its own Processor; set by the pool initializer.
_WORKER: Processor | None = None


def _init_worker(settings_json: str) -> None:
    global _WORKER
    _exit_with_parent(os.getppid())
    # the worker process lives for the pool: its heap stays frozen
    _WORKER = Processor(Settings.model_validate_json(settings_json), freeze_heap=True)
    _WORKER.ensure()


def _exit_with_parent(parent: int) -> None:
    """A worker whose parent died (kill -9 gives it no chance to stop the pool) must not run on orphaned."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="tradex-parent-watch", daemon=True).start()


def _work(part_dir: str, index: int, items: list[Item], fingerprint: str) -> tuple[int, int, int, int]:
    assert _WORKER is not None
    return run_partition(_WORKER, Path(part_dir), index, items, fingerprint)


def _fingerprint(items: list[Item], run_key: str = "") -> str:
    """What a partition's output depends on: the run key (settings, rules, model, versions) and every field
    of every input item, so a resume with other settings or a changed title/date/url redoes the partition."""
    h = hashlib.sha256(run_key.encode())
    for it in items:
        if isinstance(it, Article):
            h.update(b"A\0" + it.doc_id.encode("utf-8", "surrogatepass") + b"\0")
            h.update(it.source.model_dump_json().encode("utf-8", "surrogatepass") + b"\0")
            h.update(hashlib.sha256(it.text.encode("utf-8", "surrogatepass")).digest() + b"\n")
        else:
            h.update(b"E\0" + it.model_dump_json().encode("utf-8", "surrogatepass") + b"\n")
    return h.hexdigest()


# Settings that change how the work is spread, never what is written: left out of the run key.
_LAYOUT_SETTINGS = {"workers", "batch_size", "partition_size", "backend", "scheduler", "stages", "rules_dirs"}


def run_key_parts(settings: Settings) -> dict[str, str]:
    """The parts of the run key, each a short digest or version, so a mismatch can be named."""
    from importlib.metadata import PackageNotFoundError, version

    from pipeline.rules.packs import builtin_rules_dir

    rules = hashlib.sha256()
    for d in [builtin_rules_dir(), *settings.rules_dirs]:
        for f in sorted(Path(d).rglob("*.json*")) if Path(d).is_dir() else []:
            rules.update(str(f.relative_to(d)).encode() + b"\0")
            try:
                rules.update(f.read_bytes())
            except OSError:
                rules.update(b"<unreadable>")
    model = "none"
    if settings.model_name:
        try:
            model = f"{settings.model_name} {version(settings.model_name)}"
        except PackageNotFoundError:
            model = f"{settings.model_name} (not installed)"
    relevant = settings.model_dump(mode="json", exclude=_LAYOUT_SETTINGS)
    return {
        "tradex": package_version(),
        "model": model,
        "rules": rules.hexdigest()[:16],
        "settings": hashlib.sha256(json.dumps(relevant, sort_keys=True).encode()).hexdigest()[:16],
        "settings_json": json.dumps(relevant, sort_keys=True),
    }


def run_key(parts: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def part_names(part_dir: Path, index: int) -> tuple[Path, Path, Path]:
    """The records file, errors file and done marker of partition `index` (every backend writes these)."""
    base = part_dir / f"part-{index:06d}"
    return base.with_suffix(".jsonl"), base.with_suffix(".errors.jsonl"), base.with_suffix(".done")


def run_partition(
    proc: Processor, part_dir: Path, index: int, items: list[Item], fingerprint: str
) -> tuple[int, int, int, int]:
    """Process one partition into its part files and done marker; (index, records, errors, words)."""
    recs, errs = proc.process(items)
    rec_path, err_path, done = part_names(part_dir, index)
    atomic_write_lines(rec_path, recs)
    atomic_write_lines(err_path, errs)
    words = sum(len(it.text.split()) for it in items if isinstance(it, Article))
    # the marker is written last: a partition without it is redone on resume. It also holds the digests of
    # the files it vouches for, so a part file replaced or cut off after the marker is redone too.
    marker = {
        "fingerprint": fingerprint,
        "records": len(recs),
        "errors": len(errs),
        "words": words,
        # sentences the dependency parser failed on (read as unparsed), for the run summary
        "parse_failures": proc.parse_failures,
        # digests of what this task wrote (from memory: the files may already have been touched again)
        "sha256": [_lines_digest(recs), _lines_digest(errs)],
    }
    atomic_write_lines(done, [json.dumps(marker)])
    return index, len(recs), len(errs), words


def _lines_digest(lines: list[str]) -> str:
    """sha256 of the bytes `atomic_write_lines` writes for `lines`."""
    h = hashlib.sha256()
    for line in lines:
        h.update(line.encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()


def _file_digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _done_marker(part_dir: Path, index: int, fingerprint: str) -> dict[str, Any] | None:
    done = part_names(part_dir, index)[2]
    try:
        data: dict[str, Any] = json.loads(done.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None
    if data.get("fingerprint") != fingerprint:
        return None
    rec_path, err_path, _ = part_names(part_dir, index)
    if data.get("sha256") != [_file_digest(rec_path), _file_digest(err_path)]:
        return None  # a part file changed after its marker: redo the partition
    return data


def partitions(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


ProgressFn = Callable[[int, int, int], None]  # (articles done, words done, partitions done)


@dataclass
class RunSummary:
    inputs: int = 0
    records: int = 0
    errors: int = 0
    words: int = 0
    seconds: float = 0.0
    partitions: int = 0
    resumed_partitions: int = 0
    output: str = ""
    errors_file: str = ""
    error_codes: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    parse_failures: int = 0

    def account(self, n_rec: int, n_err: int, words: int, on_progress: ProgressFn | None = None) -> None:
        """Count one finished partition and report progress (articles done, words, partitions)."""
        self.records += n_rec
        self.errors += n_err
        self.words += words
        self.partitions += 1
        if on_progress:
            on_progress(self.records + self.errors, self.words, self.partitions)

    @property
    def exit_code(self) -> int:
        return 0 if self.errors == 0 else 1

    def line(self) -> str:
        unparsed = f", {self.parse_failures} sentences unparsed (parser failed)" if self.parse_failures else ""
        return f"{self.inputs} articles: {self.records} records, {self.errors} errors{unparsed} -> {self.output}"

    def as_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "summary": self.line()}


def prepare_output(
    output: Path | str, errors_output: Path | None, *, resume: bool, absolute: bool = False
) -> tuple[Path, Path, Path]:
    """Output file, errors file and the partition folder beside them (emptied unless resuming)."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    errors_output = errors_output or errors_path_for(output)
    base = output.resolve() if absolute else output
    part_dir = base.with_name(f".{output.name}.parts")
    if part_dir.exists() and not resume:
        shutil.rmtree(part_dir)
    part_dir.mkdir(parents=True, exist_ok=True)
    return output, errors_output, part_dir


class PendingPartitions:
    """The input stream cut into numbered partitions. With `resume`, partitions a killed run finished are
    counted in the summary and skipped; the others are yielded as (index, items, fingerprint).
    `count` is the number of partitions seen, for the final join."""

    def __init__(
        self,
        inputs: list[str],
        *,
        settings: Settings,
        part_dir: Path,
        resume: bool,
        summary: RunSummary,
        on_progress: ProgressFn | None,
    ):
        self.inputs, self.settings, self.part_dir, self.resume = inputs, settings, part_dir, resume
        self.summary, self.on_progress = summary, on_progress
        self.count = 0
        parts = run_key_parts(settings)
        self.key = run_key(parts)
        self._note_changes(parts)

    def _note_changes(self, parts: dict[str, str]) -> None:
        """Keep the run key beside the partitions; on resume, name what changed since the interrupted run
        (its partitions no longer match their markers and are redone)."""
        key_file = self.part_dir / "run-key.json"
        if self.resume:
            try:
                old = json.loads(key_file.read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError):
                old = None
            if isinstance(old, dict):
                changed = [k for k in ("tradex", "model", "rules", "settings") if old.get(k) != parts[k]]
                if "settings" in changed:
                    before, now = json.loads(old.get("settings_json", "{}")), json.loads(parts["settings_json"])
                    names = sorted(k for k in {*before, *now} if before.get(k) != now.get(k))
                    changed[changed.index("settings")] = "settings (" + ", ".join(names) + ")"
                if changed:
                    self.summary.notes.append(
                        "resume: " + ", ".join(changed) + " changed since the interrupted run; "
                        "its partitions are redone"
                    )
        atomic_write_lines(key_file, [json.dumps(parts, sort_keys=True)])

    def __iter__(self) -> Iterator[tuple[int, list[Item], str]]:
        stream = partitions(iter_inputs(self.inputs, self.settings), self.settings.partition_size)
        for index, items in enumerate(stream):
            self.count += 1
            fp = _fingerprint(items, self.key)
            marker = _done_marker(self.part_dir, index, fp) if self.resume else None
            if marker is not None:
                self.summary.resumed_partitions += 1
                self.summary.account(marker["records"], marker["errors"], marker["words"], self.on_progress)
                continue
            yield index, items, fp


def finish_run(
    summary: RunSummary, *, part_dir: Path, n_parts: int, output: Path, errors_output: Path, t0: float
) -> RunSummary:
    """Join the partitions into the output files, count error codes, remove the parts, close the summary."""
    _join_parts(part_dir, n_parts, output, errors_output)
    summary.parse_failures = sum(_parse_failures(part_dir, index) for index in range(n_parts))
    summary.error_codes = _count_codes(errors_output)
    shutil.rmtree(part_dir, ignore_errors=True)
    summary.inputs = summary.records + summary.errors
    summary.seconds = time.perf_counter() - t0
    return summary


def run_extract(
    inputs: list[str],
    output: Path,
    *,
    settings: Settings,
    resume: bool = False,
    errors_output: Path | None = None,
    on_progress: ProgressFn | None = None,
) -> RunSummary:
    """Process `inputs` into `output` (JSONL records) and its errors file; see the module docstring.

    Refused before any work (TradexError, exit 2): an output that is a device, a folder, an input or not
    writable, and an output another run holds the lock of.
    """
    output = Path(output)
    errors_output = errors_output or errors_path_for(output)
    check_outputs([output, errors_output], inputs)
    with output_lock(output), write_errors_coded(output):
        return _run_extract_locked(inputs, output, settings, resume, errors_output, on_progress)


@contextmanager
def write_errors_coded(output: Path) -> Iterator[None]:
    """A failed write (disk full, I/O error) becomes one coded TX303 error; the finished partitions stay."""
    try:
        yield
    except OSError as e:
        raise TradexError(
            ErrorCode.WRITE_FAILED,
            f"writing {output} failed: {e.strerror or e}"
            f"{f' ({e.filename})' if e.filename else ''}; finished partitions are kept, rerun with --resume",
        ) from e


class Terminated(BaseException):
    """SIGTERM arrived: unwind (stopping the workers) instead of dying with them orphaned."""


@contextmanager
def _terminate_unwinds() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_term(signum: int, frame: Any) -> None:
        raise Terminated

    previous = signal.signal(signal.SIGTERM, on_term)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _stop_pool(pool: ProcessPoolExecutor) -> None:
    """Stop the workers now: cancel what is queued and end the processes (their finished partitions stand)."""
    procs = list(getattr(pool, "_processes", {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for p in procs:
        if p.is_alive():
            p.terminate()
    for p in procs:
        p.join(timeout=10)


def _run_extract_locked(
    inputs: list[str],
    output: Path,
    settings: Settings,
    resume: bool,
    errors_output: Path,
    on_progress: ProgressFn | None,
) -> RunSummary:
    output, errors_output, part_dir = prepare_output(output, errors_output, resume=resume)
    t0 = time.perf_counter()
    summary = RunSummary(output=str(output), errors_file=str(errors_output))

    def account(n_rec: int, n_err: int, words: int) -> None:
        summary.account(n_rec, n_err, words, on_progress)

    todo = PendingPartitions(
        inputs, settings=settings, part_dir=part_dir, resume=resume, summary=summary, on_progress=on_progress
    )
    if settings.workers <= 1:
        proc = Processor(settings, freeze_heap=True)
        try:
            for index, items, fp in todo:
                _, r, e, w = run_partition(proc, part_dir, index, items, fp)
                account(r, e, w)
        finally:
            if proc.frozen:  # the caller's own objects were frozen too: give them back to the collector
                gc.unfreeze()
    else:
        ctx = get_context("spawn")
        pool = ProcessPoolExecutor(
            max_workers=settings.workers,
            mp_context=ctx,
            initializer=_init_worker,
            initargs=(settings.model_dump_json(),),
        )
        try:
            with _terminate_unwinds():
                pending: set[Future[tuple[int, int, int, int]]] = set()
                for index, items, fp in todo:
                    pending.add(pool.submit(_work, str(part_dir), index, items, fp))
                    # bounded look-ahead keeps memory flat for any corpus size
                    while len(pending) >= settings.workers * 2:
                        finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                        for f in finished:
                            _, r, e, w = f.result()
                            account(r, e, w)
                for f in pending:
                    _, r, e, w = f.result()
                    account(r, e, w)
        except BrokenProcessPool as e:
            _stop_pool(pool)
            raise TradexError(
                ErrorCode.WORKER_DIED,
                f"a worker process died (killed, or out of memory) after {summary.partitions} partitions; "
                "they are kept: rerun with --resume to continue",
            ) from e
        except BaseException:
            _stop_pool(pool)
            raise
        pool.shutdown(wait=True)
    return finish_run(
        summary, part_dir=part_dir, n_parts=todo.count, output=output, errors_output=errors_output, t0=t0
    )


def _parse_failures(part_dir: Path, index: int) -> int:
    try:
        return int(json.loads(part_names(part_dir, index)[2].read_text(encoding="utf-8")).get("parse_failures", 0))
    except (OSError, ValueError):
        return 0


def _join_parts(part_dir: Path, n_parts: int, output: Path, errors_output: Path) -> None:
    for target, pick in ((output, 0), (errors_output, 1)):
        tmp = target.with_name(target.name + ".tmp")
        try:
            with tmp.open("wb") as out:
                for index in range(n_parts):
                    with part_names(part_dir, index)[pick].open("rb") as fh:
                        shutil.copyfileobj(fh, out)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)  # a failed join (disk full) leaves no temp file behind


def _count_codes(errors_output: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    with errors_output.open(encoding="utf-8") as fh:
        for line in fh:
            code = json.loads(line)["error_code"]
            counts[code] = counts.get(code, 0) + 1
    return dict(sorted(counts.items()))


def estimate_total(inputs: list[str]) -> int | None:
    """A cheap count of articles for the progress bar's ETA (lines of JSONL/CSV, one per other file)."""
    from pipeline.ingest import expand_inputs, format_of

    total = 0
    for path in expand_inputs(inputs):
        if path == "-":
            return None
        if file_kind(path) is not None:  # a FIFO or device is never read for an estimate
            total += 1
            continue
        fmt = format_of(path)
        try:
            if fmt in ("jsonl", "csv") and not path.endswith(".gz"):
                with open(path, "rb") as fh:
                    n = sum(buf.count(b"\n") for buf in iter(lambda: fh.read(1 << 20), b""))
                total += max(n - (1 if fmt == "csv" else 0), 0)
            else:
                total += 1
        except OSError:
            total += 1
    return total


def process_texts(
    texts: Iterable[str], *, settings: Settings, published: Iterable[str | None] | None = None
) -> Iterator[ArticleRecord]:
    """Python API helper: records for in-memory texts (doc ids from the text hash), each with its
    publication date when `published` gives one."""
    from models.records import Source

    proc = Processor(settings)
    nlp, info = proc.ensure()
    batch: list[Article] = []

    def flush() -> Iterator[ArticleRecord]:
        published = [a.source.published for a in batch]
        docs = nlp.pipe(make_docs(nlp, [a.text for a in batch], published), batch_size=settings.batch_size)
        for art, doc in zip(batch, docs, strict=True):
            yield doc_to_record(doc, art, info)

    dates = iter(published) if published is not None else None
    for i, t in enumerate(texts):
        day = next(dates, None) if dates is not None else None
        batch.append(Article(text_doc_id(t), t, Source(path=f"<text {i}>", published=day)))
        if len(batch) >= settings.batch_size:
            yield from flush()
            batch = []
    if batch:
        yield from flush()


def is_tty() -> bool:
    return sys.stderr.isatty()

"""Gold files in, texts resolved, predictions paired with them.

Gold articles carry their text inline (our synthetic articles) or point at it in the shared folder
(`text_ref`: path relative to the shared folder, the JSONL `id`, sha256 of the exact text). Texts from
the shared folder are read with the same ingest readers `tradex extract` uses, so the offsets refer
to the text the pipeline sees, and are refused when their hash differs from the gold's.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from pydantic import ValidationError

from models.gold import GoldArticle, TextRef
from models.records import ArticleRecord
from pipeline.ingest import Article, read_path
from pipeline.settings import Settings

REPO_ROOT = Path(__file__).resolve().parents[2]
# Defaults of the eval harness. They belong in `pipeline/settings.py` (see the eval report); kept here until then.
DEFAULT_SHARED = REPO_ROOT / ".." / "shared"
DEFAULT_GOLD_DIR = REPO_ROOT / "corpus" / "gold"
GOLD_SPLITS = ("dev", "test")


class GoldError(Exception):
    """A gold file that cannot be evaluated; `problems` names the file line or doc of each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems[:5]) + (f" (+{len(problems) - 5} more)" if len(problems) > 5 else ""))
        self.problems = problems


class SharedMissing(Exception):
    """The set needs texts from the shared folder, which is not there."""


@dataclass
class GoldDoc:
    """One gold article with its resolved text."""

    gold: GoldArticle
    text: str
    where: str  # "corpus/gold/dev.jsonl:L3"
    published: str | None = None  # the source's publication date, when the shared file gives one


@dataclass
class GoldSet:
    """The articles of one gold file."""

    name: str
    path: Path
    sha256: str
    docs: list[GoldDoc] = field(default_factory=list)

    @property
    def standoff(self) -> int:
        return sum(1 for d in self.docs if d.gold.text_ref is not None)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def shared_relative(path: Path, shared: Path) -> str | None:
    """`path` relative to the shared folder (POSIX form), or None when it lies outside."""
    try:
        return path.resolve().relative_to(shared.resolve()).as_posix()
    except ValueError:
        return None


class SharedTexts:
    """Reads texts from the shared folder once per file.

    A text is read as `tradex extract` decodes it (the ingest readers) and also raw (the JSONL `text` field,
    the file as UTF-8); the two agree unless ingest repaired something. `get` returns the variant whose hash
    the gold names, so either convention of hashing works, and a mismatch is left for the hash check.
    """

    def __init__(self, shared: Path) -> None:
        self.shared = shared
        self._files: dict[str, dict[str | None, list[str]]] = {}
        self._published: dict[tuple[str, str | None], str | None] = {}

    def _read(self, target: Path) -> dict[str | None, list[str]]:
        texts: dict[str | None, list[str]] = {}
        for item in read_path(str(target), Settings.load()):
            if isinstance(item, Article):
                texts.setdefault(item.doc_id, []).append(item.text)
                self._published.setdefault((str(target), item.doc_id), item.source.published)
        raw = target.read_bytes()
        if target.suffix == ".jsonl":
            for line in raw.decode("utf-8", errors="replace").splitlines():
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if isinstance(obj, dict) and isinstance(obj.get("text"), str) and obj.get("id") not in (None, ""):
                    texts.setdefault(str(obj["id"]), []).append(obj["text"])
        elif len(texts) == 1:
            texts[next(iter(texts))].append(raw.decode("utf-8", errors="replace"))
        if len(texts) == 1:
            texts[None] = next(iter(texts.values()))  # a whole-file text is addressed without an id
        return texts

    def published(self, ref: TextRef) -> str | None:
        """The publication date ingest reads for the article `ref` points at (after `get`)."""
        target = str((self.shared / ref.path).resolve())
        day = self._published.get((target, ref.id))
        if day is None and ref.id is None:
            days = [d for (t, _), d in self._published.items() if t == target]
            day = days[0] if len(days) == 1 else None
        return day

    def get(self, ref: TextRef) -> str:
        """The text `ref` points at; KeyError/FileNotFoundError with a readable message when absent."""
        target = (self.shared / ref.path).resolve()
        if shared_relative(target, self.shared) is None:
            raise KeyError(f"text_ref.path {ref.path!r} leaves the shared folder")
        if ref.path not in self._files:
            if not target.is_file():
                raise FileNotFoundError(f"{ref.path} not found in {self.shared}")
            self._files[ref.path] = self._read(target)
        texts = self._files[ref.path]
        if ref.id is None and None not in texts:
            raise KeyError(f"{ref.path} holds several articles; text_ref.id is required")
        if ref.id not in texts:
            raise KeyError(f"id {ref.id!r} not found in {ref.path}")
        variants = texts[ref.id]
        return next((t for t in variants if sha256_text(t) == ref.sha256), variants[0])


def _span_problems(gold: GoldArticle, text: str) -> list[str]:
    problems = gold.check_text(text)
    for q in gold.quotes:
        for what, span in (("cue", q.cue), ("speaker.mention", q.speaker.mention if q.speaker else None)):
            if span is not None and span.end > len(text):
                problems.append(f"{gold.doc_id}: quote {q.start}:{q.end} {what} {span.start}:{span.end} "
                                "outside the text")
    return problems


def read_gold_articles(path: Path) -> list[tuple[int, GoldArticle]]:
    """Validated gold articles with their line numbers; GoldError lists every bad line."""
    problems: list[str] = []
    out: list[tuple[int, GoldArticle]] = []
    seen: dict[str, int] = {}
    with Path(path).open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                art = GoldArticle.model_validate_json(line)
            except ValidationError as e:
                first = e.errors()[0]
                loc = ".".join(str(x) for x in first["loc"])
                problems.append(f"{path}:L{n}: {loc}: {first['msg']} ({e.error_count()} error(s))")
                continue
            if art.doc_id in seen:
                problems.append(f"{path}:L{n}: doc {art.doc_id} repeats line {seen[art.doc_id]}")
            seen[art.doc_id] = n
            if Path(path).stem in GOLD_SPLITS and art.split != Path(path).stem:
                problems.append(f"{path}:L{n}: doc {art.doc_id} has split {art.split!r} in {Path(path).name}")
            out.append((n, art))
    if problems:
        raise GoldError(problems)
    return out


def load_gold(path: Path, *, shared: Path, name: str | None = None, limit: int | None = None) -> GoldSet:
    """Load and check one gold file; SharedMissing when stand-off articles need an absent shared folder."""
    path = Path(path)
    data = path.read_bytes()
    gset = GoldSet(name=name or f"gold_{path.stem}", path=path, sha256=hashlib.sha256(data).hexdigest())
    articles = read_gold_articles(path)
    if limit is not None:
        articles = articles[:limit]
    need_shared = [a for _, a in articles if a.text_ref is not None]
    if need_shared and not Path(shared).is_dir():
        raise SharedMissing(
            f"{len(need_shared)} of {len(articles)} articles in {path} are stand-off texts from the shared folder, "
            f"and {shared} does not exist"
        )
    texts = SharedTexts(Path(shared))
    problems: list[str] = []
    for n, art in articles:
        where = f"{path}:L{n}"
        published = None
        if art.text is not None:
            text = art.text
        else:
            assert art.text_ref is not None  # the model guarantees one of the two
            try:
                text = texts.get(art.text_ref)
            except (KeyError, FileNotFoundError) as e:
                problems.append(f"{where}: doc {art.doc_id}: {e.args[0] if e.args else e}")
                continue
            published = texts.published(art.text_ref)
        found = _span_problems(art, text)
        if found:
            problems.extend(f"{where}: {p}" for p in found)
            continue
        gset.docs.append(GoldDoc(art, text, where, published))
    if problems:
        raise GoldError(problems)
    return gset


# -------------------------------------------------------------------------------------- predictions
def _extract_chunk(texts: list[str], model: str | None, batch_size: int | None,
                   published: list[str | None] | None = None) -> list[str]:
    from pipeline import extract
    from pipeline.runner import record_json

    # JSON lines cross the process boundary more cheaply than pydantic objects
    return [record_json(r) for r in extract(texts, model=model, batch_size=batch_size, published=published)]


def predict_texts(texts: Sequence[str], *, model: str | None = None, workers: int | None = None,
                  batch_size: int | None = None, published: Sequence[str | None] | None = None) -> list[ArticleRecord]:
    """Records for `texts`, in order, from `pipeline.extract` (split over `workers` processes when > 1);
    `published` gives each text's publication date, for the measure stage's dates."""
    from pipeline import extract

    texts = list(texts)
    days = list(published) if published is not None else [None] * len(texts)
    workers = workers or Settings.load().workers
    if workers <= 1 or len(texts) < 2 * workers:
        return extract(texts, model=model, batch_size=batch_size, published=days)
    size = -(-len(texts) // workers)
    chunks = [texts[i : i + size] for i in range(0, len(texts), size)]
    day_chunks = [days[i : i + size] for i in range(0, len(texts), size)]
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
        parts = list(pool.map(_extract_chunk, chunks, [model] * len(chunks), [batch_size] * len(chunks),
                              day_chunks))
    return [ArticleRecord.model_validate_json(line) for part in parts for line in part]


def read_predictions(path: Path) -> list[ArticleRecord]:
    """Records from a `tradex extract` output file."""
    with Path(path).open(encoding="utf-8") as fh:
        return [ArticleRecord.model_validate_json(line) for line in fh if line.strip()]


def pair_predictions(docs: Sequence[GoldDoc], records: Sequence[ArticleRecord]) -> list[ArticleRecord]:
    """The record of each gold doc, found by doc_id, else by the hash of its text; GoldError when any is missing."""
    by_id = {r.doc_id: r for r in records}
    by_hash = {sha256_text(r.text): r for r in records}
    out: list[ArticleRecord] = []
    problems: list[str] = []
    for d in docs:
        rec = by_id.get(d.gold.doc_id) or by_hash.get(sha256_text(d.text))
        if rec is None:
            problems.append(f"{d.where}: no prediction for doc {d.gold.doc_id}")
        elif rec.text != d.text:
            problems.append(f"{d.where}: the prediction for doc {d.gold.doc_id} was made on a different text")
        else:
            out.append(rec)
    if problems:
        raise GoldError(problems)
    return out

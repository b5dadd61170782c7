"""Pre-fill gold files from the pipeline's predictions, for a person to correct (`tradex annotate`).

Inputs inside the shared folder become stand-off gold (`text_ref` with the path relative to the shared
folder, the JSONL id and the text's sha256; spans carry offsets only, never text from ../shared).
Other inputs (our own articles) carry their text inline, and every span its text.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models.gold import GoldArticle
from models.records import ArticleRecord, Entity, ErrorRecord, Quote, Span
from pipeline.eval.gold import sha256_text, shared_relative
from pipeline.eval.metrics import pred_entity_clusters
from pipeline.ingest import Article, iter_inputs
from pipeline.runner import Processor
from pipeline.settings import Settings

_LINE_SUFFIX = re.compile(r"#L\d+$")
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass
class Draft:
    """Pre-filled gold articles, and the inputs that could not become one."""

    articles: list[GoldArticle] = field(default_factory=list)
    errors: list[ErrorRecord] = field(default_factory=list)


def origin_of(rel_path: str) -> str:
    """Gold `origin` of a text in the shared folder: seed files, the Reuters corpus, the modern trade-news corpus."""
    if rel_path.startswith("seed/"):
        return "seed"
    name = Path(rel_path).name.lower()
    if "reuters" in name:
        return "reuters"
    if name.startswith("modern-trade-news"):
        return "modern"
    raise ValueError(
        f"{rel_path}: gold articles from the shared folder must be seed files, the Reuters corpus or the modern corpus"
    )


def _slug(name: str) -> str:
    return _SLUG.sub("-", name.lower()).strip("-") or "entity"


def _span(s: Span, inline: bool) -> dict[str, Any]:
    d: dict[str, Any] = {"start": s.start, "end": s.end}
    if inline:
        d["text"] = s.text
    return d


def _groups(entities: Sequence[Entity]) -> list[str | None]:
    """A same-entity key for mentions the pipeline links but that lack the cluster's canonical_id."""
    roots = pred_entity_clusters(entities)
    members: dict[int, list[int]] = {}
    for i, r in enumerate(roots):
        members.setdefault(r, []).append(i)
    out: list[str | None] = [None] * len(entities)
    for idx in members.values():
        if len(idx) < 2:
            continue
        key = next((entities[i].canonical_id for i in idx if entities[i].canonical_id), None)
        key = key or _slug(entities[idx[0]].canonical_name)
        for i in idx:
            if entities[i].canonical_id != key:
                out[i] = key
    return out


def _entity(e: Entity, group: str | None, inline: bool) -> dict[str, Any]:
    d = {**_span(e, inline), "label": e.label.value, "canonical_id": e.canonical_id}
    if group:
        d["group"] = group
    return d


def _quote(q: Quote, inline: bool) -> dict[str, Any]:
    d: dict[str, Any] = {**_span(q, inline), "kind": q.kind.value}
    if q.cue is not None:
        d["cue"] = _span(q.cue, inline)
    if q.speaker is not None:
        sp: dict[str, Any] = {"mention": _span(q.speaker.mention, inline) if q.speaker.mention else None}
        if q.speaker.name:
            sp["name"] = q.speaker.name
        if q.speaker.canonical_id:
            sp["canonical_id"] = q.speaker.canonical_id
        d["speaker"] = sp
    for k in ("channel", "via"):
        if getattr(q, k):
            d[k] = getattr(q, k)
    return d


def gold_from_record(rec: ArticleRecord, *, shared: Path, split: str) -> GoldArticle:
    """One draft gold article from a predicted record (stand-off when its input lies in `shared`)."""
    source_file = Path(_LINE_SUFFIX.sub("", rec.source.path))
    rel = shared_relative(source_file, shared) if rec.source.path != "-" else None
    inline = rel is None
    data: dict[str, Any] = {"doc_id": rec.doc_id, "split": split}
    if inline:
        data |= {"origin": "synthetic", "text": rec.text}
    else:
        assert rel is not None
        ref: dict[str, Any] = {"path": rel, "sha256": sha256_text(rec.text)}
        if _LINE_SUFFIX.search(rec.source.path):  # one article of a JSONL/CSV file: addressed by its id
            ref["id"] = rec.doc_id
        data |= {"origin": origin_of(rel), "text_ref": ref}
    groups = _groups(rec.entities)
    data["entities"] = [_entity(e, g, inline) for e, g in zip(rec.entities, groups, strict=True)]
    data["quotes"] = [_quote(q, inline) for q in rec.quotes]
    data["notes"] = f"DRAFT pre-filled by tradex annotate ({rec.pipeline.model or 'rules only'}, " \
                    f"rules {rec.pipeline.rules_version}): check every span, then delete this note"
    return GoldArticle.model_validate(data)


def draft_gold(inputs: list[str], *, shared: Path, split: str, settings: Settings,
               ids: set[str] | None = None) -> Draft:
    """Read `inputs` like `tradex extract`, predict, and turn every record into a draft gold article."""
    items = [it for it in iter_inputs(inputs, settings)
             if ids is None or not isinstance(it, Article) or it.doc_id in ids]
    draft = Draft(errors=[it for it in items if isinstance(it, ErrorRecord)])
    articles = [it for it in items if isinstance(it, Article)]
    if not articles:
        return draft
    lines, errors = Processor(settings).process(list(articles))
    draft.errors += [ErrorRecord.model_validate_json(e) for e in errors]
    for line in lines:
        draft.articles.append(gold_from_record(ArticleRecord.model_validate_json(line), shared=shared, split=split))
    return draft


def gold_json(article: GoldArticle) -> str:
    """One gold line: only the fields that were given (required nulls such as `canonical_id` stay)."""
    return article.model_dump_json(exclude_unset=True)


def write_gold(path: Path, articles: Sequence[GoldArticle]) -> None:
    """Write gold JSONL atomically (temp file in the same folder, fsync, rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    with tmp.open("w", encoding="utf-8", newline="\n") as fh:
        for a in articles:
            fh.write(gold_json(a) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)

"""Builders of small, valid ArticleRecords for the corpus-stage tests (no NLP needed)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from models.records import (
    ArticleRecord,
    Entity,
    EntityProvenance,
    PipelineInfo,
    Quote,
    QuoteProvenance,
    Source,
    Span,
    Speaker,
)

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
PIPELINE = PipelineInfo(version="0.1.0", rules_version="test", model=None)


def _find(text: str, surface: str, after: int = 0) -> int:
    pos = text.find(surface, after)
    if pos < 0:
        raise ValueError(f"{surface!r} not in text after {after}")
    return pos


def build_record(
    doc_id: str,
    text: str,
    *,
    entities: list[dict[str, Any]] | None = None,
    quotes: list[dict[str, Any]] | None = None,
    published: str | None = "2025-01-01",
    publisher: str | None = "Wire",
    title: str | None = None,
) -> ArticleRecord:
    """A record whose spans are located in `text` by their surface; list entities in text order (each is
    searched after the end of the previous one), quotes are searched from the start.

    entity dict: text, label, canonical_id (None), canonical_name (= text), attrs, method.
    quote dict: text, speaker (surface of a mention, or None), speaker_entity (index into entities),
    speaker_name, speaker_canonical_id, speaker_label, kind.
    """
    ents: list[Entity] = []
    cursor = 0
    for k, e in enumerate(entities or []):
        start = _find(text, e["text"], cursor)
        cursor = start + len(e["text"])
        attrs = dict(e.get("attrs", {}))
        ents.append(Entity(
            id=f"e{k + 1}", text=e["text"], start=start, end=start + len(e["text"]), label=e["label"],
            canonical_id=e.get("canonical_id"), canonical_name=e.get("canonical_name", e["text"]), attrs=attrs,
            provenance=EntityProvenance(method=e.get("method", "pattern" if e.get("canonical_id") is None else "rule"),
                                        rule="test", score=0.9),
        ))
    ents.sort(key=lambda x: x.start)
    qs: list[Quote] = []
    for k, q in enumerate(quotes or []):
        start = _find(text, q["text"])
        speaker = None
        if q.get("speaker_entity") is not None or q.get("speaker_name") or q.get("speaker"):
            ent = ents[q["speaker_entity"]] if q.get("speaker_entity") is not None else None
            mention = Span(text=ent.text, start=ent.start, end=ent.end) if ent is not None else None
            speaker = Speaker(
                mention=mention, entity_id=ent.id if ent is not None else None,
                name=q.get("speaker_name", ent.canonical_name if ent is not None else None),
                canonical_id=q.get("speaker_canonical_id", ent.canonical_id if ent is not None else None),
                label=q.get("speaker_label", ent.label if ent is not None else None),
                title=q.get("speaker_title"),
            )
        qs.append(Quote(id=f"q{k + 1}", text=q["text"], start=start, end=start + len(q["text"]),
                        kind=q.get("kind", "direct"), speaker=speaker,
                        provenance=QuoteProvenance(method="direct:post", score=0.9)))
    qs.sort(key=lambda x: x.start)
    return ArticleRecord(
        doc_id=doc_id, source=Source(path=f"test/{doc_id}", publisher=publisher, published=published, title=title),
        text=text, entities=ents, quotes=qs, pipeline=PIPELINE,
    )


@pytest.fixture
def make_record() -> Callable[..., ArticleRecord]:
    return build_record


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"../shared not present: {SHARED} is missing")
    return SHARED

"""Builders for hand-made gold articles and predicted records (all text here is invented)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from models.gold import GoldArticle, GoldEntity, GoldQuote
from models.records import ArticleRecord, Entity, Quote

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).resolve().parents[2]
SHARED = REPO / ".." / "shared"


def find(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """Offsets of the nth occurrence of `needle` (the tests name spans by their words, not by numbers)."""
    i = -1
    for _ in range(nth + 1):
        i = text.index(needle, i + 1)
    return i, i + len(needle)


def span(text: str, needle: str, nth: int = 0) -> dict[str, Any]:
    s, e = find(text, needle, nth)
    return {"start": s, "end": e, "text": needle}


def entity(text: str, needle: str, label: str, cid: str | None = None, *, i: int = 1, nth: int = 0,
           attrs: dict[str, Any] | None = None) -> Entity:
    return Entity.model_validate({**span(text, needle, nth), "id": f"e{i}", "label": label, "canonical_id": cid,
                                  "canonical_name": needle, "attrs": attrs or {},
                                  "provenance": {"method": "rule", "rule": "test", "score": 1.0}})


def quote(text: str, needle: str, kind: str, *, cue: str | None = None, mention: str | None = None,
          name: str | None = None, cid: str | None = None, channel: str | None = None, via: str | None = None,
          i: int = 1, cue_nth: int = 0) -> Quote:
    speaker = None
    if mention or name or cid:
        speaker = {"mention": span(text, mention) if mention else None, "name": name, "canonical_id": cid}
    return Quote.model_validate({**span(text, needle), "id": f"q{i}", "kind": kind,
                                 "cue": span(text, cue, cue_nth) if cue else None, "speaker": speaker,
                                 "channel": channel, "via": via, "provenance": {"method": "test", "score": 1.0}})


def record(text: str, entities: list[Entity] | None = None, quotes: list[Quote] | None = None) -> ArticleRecord:
    # ids stay as the test gave them (antecedent links refer to them); only the order is fixed
    ents = sorted(entities or [], key=lambda e: e.start)
    qs = sorted(quotes or [], key=lambda q: q.start)
    return ArticleRecord.model_validate({"doc_id": "doc", "source": {"path": "test"}, "text": text,
                                         "entities": [e.model_dump() for e in ents],
                                         "quotes": [q.model_dump() for q in qs],
                                         "pipeline": {"version": "test", "rules_version": "test", "model": None}})


def gold_entity(text: str, needle: str, label: str, cid: str | None = None, group: str | None = None,
                nth: int = 0) -> GoldEntity:
    return GoldEntity.model_validate({**span(text, needle, nth), "label": label, "canonical_id": cid, "group": group})


def gold_quote(text: str, needle: str, kind: str, *, cue: str | None = None, mention: str | None = None,
               name: str | None = None, cid: str | None = None, channel: str | None = None, via: str | None = None,
               cue_nth: int = 0) -> GoldQuote:
    speaker = None
    if mention or name or cid:
        speaker = {"mention": span(text, mention) if mention else None, "name": name, "canonical_id": cid}
    return GoldQuote.model_validate({**span(text, needle), "kind": kind,
                                     "cue": span(text, cue, cue_nth) if cue else None,
                                     "speaker": speaker, "channel": channel, "via": via})


def gold_article(text: str, entities: list[GoldEntity] | None = None,
                 quotes: list[GoldQuote] | None = None) -> GoldArticle:
    return GoldArticle(doc_id="doc", split="dev", origin="synthetic", text=text, entities=entities or [],
                       quotes=quotes or [])


@pytest.fixture
def mk() -> SimpleNamespace:
    """The builders above, as one fixture."""
    return SimpleNamespace(find=find, span=span, entity=entity, quote=quote, record=record, gold_entity=gold_entity,
                           gold_quote=gold_quote, gold_article=gold_article)


@pytest.fixture
def data_dir() -> Path:
    return DATA

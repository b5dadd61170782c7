"""Gold annotation models (`corpus/gold/*.jsonl`): stand-off for texts kept in ../shared, inline for ours."""

from __future__ import annotations

import hashlib
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from models.records import Label, QuoteKind


class _Gold(BaseModel):
    model_config = ConfigDict(extra="forbid")


class GoldSpan(_Gold):
    """Offsets into the article text. `text` is only written for our own (synthetic) articles."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str | None = None

    @model_validator(mode="after")
    def _ordered(self) -> GoldSpan:
        if self.end <= self.start:
            raise ValueError(f"empty or reversed span {self.start}:{self.end}")
        return self


class GoldEntity(GoldSpan):
    label: Label
    canonical_id: str | None = Field(description="pack id, or null for an entity the packs do not know")
    group: str | None = Field(
        None,
        description="same-entity key for mentions without a pack id (e.g. 'caldera-metals'); defaults to canonical_id",
    )


class GoldSpeaker(_Gold):
    mention: GoldSpan | None
    name: str | None = Field(None, description="resolved full name, e.g. 'Howard Lutnick'")
    canonical_id: str | None = None


class GoldQuote(GoldSpan):
    kind: QuoteKind
    cue: GoldSpan | None = None
    speaker: GoldSpeaker | None = None
    channel: str | None = None
    via: str | None = None


class TextRef(_Gold):
    """Where the text lives outside the repo, and its hash (eval refuses a mismatch)."""

    path: str = Field(description="path relative to the shared folder, e.g. 'corpus/reuters21578-trade.jsonl'")
    id: str | None = Field(None, description="the article id inside a JSONL file")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class GoldArticle(_Gold):
    """One completely annotated article."""

    doc_id: str
    split: Literal["dev", "test"]
    origin: Literal["synthetic", "seed", "reuters"]
    text: str | None = Field(None, description="inline text: only for our own synthetic articles")
    text_ref: TextRef | None = None
    entities: list[GoldEntity] = Field(default_factory=list)
    quotes: list[GoldQuote] = Field(default_factory=list)
    notes: str | None = None

    @model_validator(mode="after")
    def _text_rules(self) -> GoldArticle:
        if self.origin == "synthetic":
            if self.text is None:
                raise ValueError("synthetic articles carry their text inline")
            spans: list[GoldSpan] = [*self.entities, *self.quotes]
            for q in self.quotes:
                if q.cue:
                    spans.append(q.cue)
                if q.speaker and q.speaker.mention:
                    spans.append(q.speaker.mention)
            for s in spans:
                if s.end > len(self.text) or (s.text is not None and self.text[s.start : s.end] != s.text):
                    raise ValueError(f"span {s.start}:{s.end} {s.text!r} does not match the text")
        else:
            if self.text is not None or self.text_ref is None:
                raise ValueError("texts from ../shared are stand-off: give text_ref, never the text")
            if any(e.text for e in self.entities) or any(q.text for q in self.quotes):
                raise ValueError("stand-off gold must not copy span text from ../shared")
        return self

    def check_text(self, text: str) -> list[str]:
        """Problems of this gold against `text` (hash and offsets)."""
        problems = []
        if self.text_ref is not None and hashlib.sha256(text.encode("utf-8")).hexdigest() != self.text_ref.sha256:
            problems.append(f"{self.doc_id}: text hash differs from the gold's text_ref.sha256")
        for e in self.entities:
            if e.end > len(text):
                problems.append(f"{self.doc_id}: entity {e.start}:{e.end} outside the text")
        for q in self.quotes:
            if q.end > len(text):
                problems.append(f"{self.doc_id}: quote {q.start}:{q.end} outside the text")
        return problems

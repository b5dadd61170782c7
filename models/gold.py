"""Gold annotation models (`corpus/gold/*.jsonl`): stand-off for texts kept in ../shared, inline for ours."""

from __future__ import annotations

import hashlib
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from models.records import Label, MeasureDirection, MeasureStatus, MeasureType, QuoteKind, RateUnit


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
    label: Label | None = Field(None, description="entity label of the speaker (modern gold gives it)")
    title: str | None = Field(None, description="the title the article gives the speaker anywhere")


class GoldQuote(GoldSpan):
    kind: QuoteKind
    cue: GoldSpan | None = None
    speaker: GoldSpeaker | None = None
    channel: str | None = None
    via: str | None = None


class GoldParty(_Gold):
    """An actor or target of a gold measure; `jurisdiction` is the ISO 3166 alpha-2 code (or EU) behind it."""

    name: str
    canonical_id: str | None = None
    label: Label | None = None
    jurisdiction: str | None = None
    mention: GoldSpan | None = None


class GoldItem(GoldSpan):
    canonical_id: str | None = None


class GoldRate(GoldSpan):
    value: float | None = None
    unit: RateUnit


class GoldMeasure(_Gold):
    """One trade measure as the record contract defines it; dates are ISO, at the precision the text gives."""

    type: MeasureType
    status: MeasureStatus
    direction: MeasureDirection | None = None
    actor: GoldParty | None = None
    targets: list[GoldParty] = Field(default_factory=list)
    items: list[GoldItem] = Field(default_factory=list)
    policy: str | None = Field(None, description="canonical id (or name) of the POLICY naming the instrument")
    rate: GoldRate | None = None
    announced: str | None = Field(None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")
    effective: str | None = Field(None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")
    trigger: GoldSpan
    evidence: list[GoldSpan] = Field(min_length=1)

    def spans(self) -> list[GoldSpan]:
        parties = [*([self.actor] if self.actor else []), *self.targets]
        mentions = [p.mention for p in parties if p.mention is not None]
        return [self.trigger, *self.evidence, *self.items, *([self.rate] if self.rate else []), *mentions]


class TextRef(_Gold):
    """Where the text lives outside the repo, and its hash (eval refuses a mismatch)."""

    path: str = Field(description="path relative to the shared folder, e.g. 'corpus/reuters21578-trade.jsonl'")
    id: str | None = Field(None, description="the article id inside a JSONL file")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class GoldArticle(_Gold):
    """One completely annotated article."""

    doc_id: str
    split: Literal["dev", "test"]
    origin: Literal["synthetic", "seed", "reuters", "modern"]
    text: str | None = Field(None, description="inline text: only for our own synthetic articles")
    text_ref: TextRef | None = None
    entities: list[GoldEntity] = Field(default_factory=list)
    quotes: list[GoldQuote] = Field(default_factory=list)
    measures: list[GoldMeasure] | None = Field(
        None, description="trade measures; null where this article's measure layer is not annotated"
    )
    notes: str | None = None

    @model_validator(mode="after")
    def _text_rules(self) -> GoldArticle:
        if self.origin == "synthetic":
            if self.text is None:
                raise ValueError("synthetic articles carry their text inline")
            spans: list[GoldSpan] = [*self.entities, *self.quotes]
            for m in self.measures or []:
                spans.extend(m.spans())
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
            copied = [*self.entities, *self.quotes]
            for q in self.quotes:
                copied.extend(s for s in (q.cue, q.speaker.mention if q.speaker else None) if s is not None)
            for m in self.measures or []:
                copied.extend(m.spans())
            if any(s.text for s in copied):
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
        for i, m in enumerate(self.measures or []):
            if any(s.end > len(text) for s in m.spans()):
                problems.append(f"{self.doc_id}: measure {i} has a span outside the text")
        return problems

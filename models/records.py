"""Article record models: the code form of `docs/record-format.md` (version 1)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

SCHEMA_VERSION = "1"


class Label(StrEnum):
    """Entity labels of the record format."""

    COMPANY = "COMPANY"
    CHIP = "CHIP"
    OFFICIAL = "OFFICIAL"
    PERSON = "PERSON"
    MATERIAL = "MATERIAL"
    COUNTRY = "COUNTRY"
    AGENCY = "AGENCY"
    MEDIA = "MEDIA"
    POLICY = "POLICY"


# Label groups the stages share: people, the organisations (and countries) that speak, and both.
PEOPLE_LABELS = (Label.PERSON, Label.OFFICIAL)
ORG_LABELS = (Label.COMPANY, Label.AGENCY, Label.COUNTRY, Label.MEDIA)
SPEAKER_LABELS = (*PEOPLE_LABELS, *ORG_LABELS)


class QuoteKind(StrEnum):
    """How the quoted content is marked in the text."""

    direct = "direct"
    partial = "partial"
    mixed = "mixed"
    indirect = "indirect"


class EntityMethod(StrEnum):
    rule = "rule"
    pattern = "pattern"
    model = "model"
    coref = "coref"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Span(_Model):
    """A stretch of the record's text: `text == record.text[start:end]`."""

    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end < self.start:
            raise ValueError(f"end {self.end} < start {self.start}")
        if self.end - self.start != len(self.text):
            raise ValueError(f"span length {self.end - self.start} != len(text) {len(self.text)}")
        return self


class EntityProvenance(_Model):
    method: EntityMethod
    rule: str = Field(description="pack file and line (`company.jsonl:12`) or pattern id")
    score: float = Field(ge=0.0, le=1.0)


class Entity(Span):
    """One entity mention."""

    id: str
    label: Label
    canonical_id: str | None
    canonical_name: str
    attrs: dict[str, Any] = Field(default_factory=dict)
    provenance: EntityProvenance


class Speaker(_Model):
    mention: Span | None
    entity_id: str | None = None
    name: str | None = None
    canonical_id: str | None = None
    label: Label | None = None
    title: str | None = None


class QuoteProvenance(_Model):
    method: str = Field(description="id of the rule that found the quote")
    score: float = Field(ge=0.0, le=1.0)


class Quote(Span):
    """One quotation or reported statement."""

    id: str
    kind: QuoteKind
    cue: Span | None = None
    speaker: Speaker | None = None
    channel: str | None = None
    via: str | None = None
    provenance: QuoteProvenance
    quote_cluster: str | None = None


class Source(_Model):
    path: str
    url: str | None = None
    publisher: str | None = None
    published: str | None = None
    title: str | None = None
    repairs: list[str] = Field(default_factory=list, description="what decoding/repair did to the input")


class PipelineInfo(_Model):
    version: str
    rules_version: str
    model: str | None


class ArticleRecord(_Model):
    """One article: the line `tradex extract` writes."""

    schema_version: Literal["1"] = "1"
    doc_id: str
    source: Source
    text: str
    entities: list[Entity] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    pipeline: PipelineInfo
    duplicate_of: str | None = None
    dup_cluster: str | None = None

    @model_validator(mode="after")
    def _spans_point_into_text(self) -> ArticleRecord:
        problems: list[str] = []

        def check(where: str, s: Span) -> None:
            if s.end > len(self.text) or self.text[s.start : s.end] != s.text:
                problems.append(f"{where}: text[{s.start}:{s.end}] != {s.text!r}")

        ids: set[str] = set()
        for e in self.entities:
            check(f"entity {e.id}", e)
            if e.id in ids:
                problems.append(f"entity {e.id}: duplicate id")
            ids.add(e.id)
        entity_ids = set(ids)
        for q in self.quotes:
            check(f"quote {q.id}", q)
            if q.cue is not None:
                check(f"quote {q.id} cue", q.cue)
            if q.speaker is not None:
                if q.speaker.mention is not None:
                    check(f"quote {q.id} speaker.mention", q.speaker.mention)
                if q.speaker.entity_id is not None and q.speaker.entity_id not in entity_ids:
                    problems.append(f"quote {q.id}: speaker.entity_id {q.speaker.entity_id!r} is not an entity")
            if q.id in ids:
                problems.append(f"quote {q.id}: duplicate id")
            ids.add(q.id)
        starts = [e.start for e in self.entities]
        if starts != sorted(starts):
            problems.append("entities are not sorted by start")
        qstarts = [q.start for q in self.quotes]
        if qstarts != sorted(qstarts):
            problems.append("quotes are not sorted by start")
        if problems:
            raise ValueError("; ".join(problems[:10]))
        return self


class ErrorRecord(_Model):
    """One input that could not become a record (a line of the errors file)."""

    source: str = Field(description="path, with #L<n> for a line of a JSONL/CSV file")
    error_code: str
    message: str
    field: str | None = None
    doc_id: str | None = None

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


class MeasureType(StrEnum):
    """Trade-measure types of the record format, each with its UN MAST chapter (`MAST_CHAPTER`)."""

    import_tariff = "import_tariff"
    trade_defence = "trade_defence"
    export_control = "export_control"
    export_ban = "export_ban"
    import_restriction = "import_restriction"
    entity_listing = "entity_listing"
    sanction = "sanction"
    licence_decision = "licence_decision"
    investigation = "investigation"
    investment_measure = "investment_measure"
    subsidy = "subsidy"
    procurement_restriction = "procurement_restriction"
    agreement = "agreement"
    negotiation = "negotiation"


# The contract's table: null for tariffs, sanctions, investigations, agreements and talks.
MAST_CHAPTER: dict[MeasureType, str | None] = {
    MeasureType.import_tariff: None,
    MeasureType.trade_defence: "D",
    MeasureType.export_control: "P",
    MeasureType.export_ban: "P",
    MeasureType.import_restriction: "E",
    MeasureType.entity_listing: "P",
    MeasureType.sanction: None,
    MeasureType.licence_decision: "P",
    MeasureType.investigation: None,
    MeasureType.investment_measure: "FDI",
    MeasureType.subsidy: "L",
    MeasureType.procurement_restriction: "M",
    MeasureType.agreement: None,
    MeasureType.negotiation: None,
}


class MeasureStatus(StrEnum):
    in_force = "in_force"
    announced = "announced"
    proposed = "proposed"
    threatened = "threatened"
    suspended = "suspended"
    revoked = "revoked"


class MeasureDirection(StrEnum):
    restrictive = "restrictive"
    liberalising = "liberalising"


class RateUnit(StrEnum):
    percent = "percent"
    usd = "usd"
    other = "other"


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
    about: list[str] = Field(
        default_factory=list, description="ids of the entities (e…) and measures (m…) the quoted content speaks about"
    )
    provenance: QuoteProvenance
    quote_cluster: str | None = None


class Party(_Model):
    """An actor or target of a measure: a mention (or null) with the government behind it."""

    entity_id: str | None = None
    canonical_id: str | None = None
    name: str
    label: Label | None = None
    jurisdiction: str | None = Field(None, description="ISO 3166 alpha-2 code, or EU; null for a firm's unstated home")


class Item(_Model):
    """A good, technology or sector a measure covers."""

    entity_id: str | None = Field(None, description="the CHIP or MATERIAL mention, or null for a product phrase")
    canonical_id: str | None = None
    text: Span


class Rate(_Model):
    text: Span
    value: float | None = None
    unit: RateUnit


class MeasureProvenance(_Model):
    method: str = Field(description="id of the rule that found the measure")
    score: float = Field(ge=0.0, le=1.0)


class Measure(_Model):
    """One trade-policy action the article reports (taken, announced, proposed, threatened, suspended, lifted)."""

    id: str
    type: MeasureType
    mast_chapter: str | None
    status: MeasureStatus
    direction: MeasureDirection | None = None
    actor: Party | None = None
    targets: list[Party] = Field(default_factory=list)
    items: list[Item] = Field(default_factory=list)
    policy: str | None = Field(None, description="id of the POLICY mention naming the instrument")
    rate: Rate | None = None
    announced: str | None = Field(None, description="ISO date the action was announced")
    effective: str | None = Field(None, description="ISO date it takes or took effect")
    trigger: Span
    evidence: list[Span] = Field(default_factory=list)
    quote_ids: list[str] = Field(default_factory=list)
    provenance: MeasureProvenance
    measure_cluster: str | None = None

    @model_validator(mode="after")
    def _chapter_follows_type(self) -> Measure:
        if self.mast_chapter != MAST_CHAPTER[self.type]:
            raise ValueError(f"mast_chapter {self.mast_chapter!r} is not {MAST_CHAPTER[self.type]!r} for {self.type}")
        return self


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
    measures: list[Measure] = Field(default_factory=list)
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
        quote_ids = {q.id for q in self.quotes}
        measure_ids = {m.id for m in self.measures}
        for q in self.quotes:
            for ref in q.about:
                if ref not in entity_ids and ref not in measure_ids:
                    problems.append(f"quote {q.id}: about {ref!r} is neither an entity nor a measure")
        for m in self.measures:
            for where, span in [("trigger", m.trigger), *(("evidence", ev) for ev in m.evidence)]:
                check(f"measure {m.id} {where}", span)
            for it in m.items:
                check(f"measure {m.id} item", it.text)
            if m.rate is not None:
                check(f"measure {m.id} rate", m.rate.text)
            for party in [*([m.actor] if m.actor else []), *m.targets]:
                if party.entity_id is not None and party.entity_id not in entity_ids:
                    problems.append(f"measure {m.id}: entity_id {party.entity_id!r} is not an entity")
            for qid in m.quote_ids:
                if qid not in quote_ids:
                    problems.append(f"measure {m.id}: quote id {qid!r} is not a quote")
            if m.id in ids:
                problems.append(f"measure {m.id}: duplicate id")
            ids.add(m.id)
        starts = [e.start for e in self.entities]
        if starts != sorted(starts):
            problems.append("entities are not sorted by start")
        qstarts = [q.start for q in self.quotes]
        if qstarts != sorted(qstarts):
            problems.append("quotes are not sorted by start")
        mstarts = [m.evidence[0].start if m.evidence else m.trigger.start for m in self.measures]
        if mstarts != sorted(mstarts):
            problems.append("measures are not sorted by the start of their first evidence span")
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

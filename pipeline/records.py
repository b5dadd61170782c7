"""Turn a processed spaCy Doc into an `ArticleRecord` (character offsets into the exact input text)."""

from __future__ import annotations

from spacy.attrs import IDX, LENGTH
from spacy.tokens import Doc

from models.records import (
    ArticleRecord,
    Entity,
    EntityProvenance,
    PipelineInfo,
    Quote,
    QuoteProvenance,
    Span,
    Speaker,
)
from pipeline.components.caches import release as release_stage_caches
from pipeline.components.mentions import Mention
from pipeline.components.quotes.results import Attribution
from pipeline.ingest import Article


def mention_entities(doc: Doc, mentions: list[Mention], text: str) -> list[Entity]:
    """Entities `e1..eN` in text order; index k of `mentions` becomes id `e{k+1}`."""
    out = []
    # character offsets from arrays, read at the mentions' words only (a Span per mention builds Tokens)
    starts: list[int] = []
    ends: list[int] = []
    if mentions:
        arr = doc.to_array([IDX, LENGTH])
        starts = arr[[m.start for m in mentions], 0].tolist()
        last = arr[[m.end - 1 for m in mentions]]
        ends = (last[:, 0] + last[:, 1]).tolist()
    for k, (m, s, e) in enumerate(zip(mentions, starts, ends, strict=True), 1):
        attrs = dict(m.attrs)
        if m.antecedent is not None:
            attrs["antecedent"] = f"e{m.antecedent + 1}"
        out.append(
            Entity(
                id=f"e{k}",
                text=text[s:e],
                start=s,
                end=e,
                label=m.label,
                canonical_id=m.canonical_id,
                canonical_name=m.canonical_name or text[s:e],
                attrs=attrs,
                provenance=EntityProvenance(method=m.method, rule=m.rule, score=m.score),  # type: ignore[arg-type]
            )
        )
    return out


def _span(text: str, start_char: int, end_char: int) -> Span:
    return Span(text=text[start_char:end_char], start=start_char, end=end_char)


def doc_to_record(doc: Doc, article: Article, info: PipelineInfo) -> ArticleRecord:
    """The record of one article; spans are validated against the text by the model."""
    mentions: list[Mention] = doc._.trade_mentions or []
    # the stages cached the text (spaCy rebuilds doc.text from every token on each read); the Doc is done with
    text = release_stage_caches(doc) or doc.text
    entities = mention_entities(doc, mentions, text)
    quotes: list[Quote] = []
    attributions: list[Attribution] = doc._.trade_quotes or []
    for k, q in enumerate(sorted(attributions, key=lambda q: (q.start, q.end)), 1):
        quotes.append(_quote(text, q, k))
    return ArticleRecord(
        doc_id=article.doc_id,
        source=article.source,
        text=text,
        entities=entities,
        quotes=quotes,
        pipeline=info,
    )


def _quote(text: str, q: Attribution, k: int) -> Quote:
    speaker = None
    sp = q.speaker
    if sp is not None:
        speaker = Speaker(
            mention=_span(text, *sp.mention) if sp.mention else None,
            entity_id=f"e{sp.mention_index + 1}" if sp.mention_index is not None else None,
            name=sp.name,
            canonical_id=sp.canonical_id,
            label=sp.label,
            title=sp.title,
        )
    return Quote(
        id=f"q{k}",
        text=text[q.start : q.end],
        start=q.start,
        end=q.end,
        kind=q.kind,
        cue=_span(text, *q.cue) if q.cue else None,
        speaker=speaker,
        channel=q.channel,
        via=q.via,
        provenance=QuoteProvenance(method=q.rule.value, score=q.score),
    )

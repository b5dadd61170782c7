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
from pipeline.measure_records import record_measures
from pipeline.record_ids import span_ids


def mention_entities(doc: Doc, mentions: list[Mention], text: str) -> list[Entity]:
    """Entities in text order, with ids from their spans (`pipeline.record_ids`)."""
    out = []
    # character offsets from arrays, read at the mentions' words only (a Span per mention builds Tokens)
    starts: list[int] = []
    ends: list[int] = []
    if mentions:
        arr = doc.to_array([IDX, LENGTH])
        starts = arr[[m.start for m in mentions], 0].tolist()
        last = arr[[m.end - 1 for m in mentions]]
        ends = (last[:, 0] + last[:, 1]).tolist()
    ids = span_ids("e", zip(starts, ends, strict=True))
    for k, (m, s, e) in enumerate(zip(mentions, starts, ends, strict=True)):
        attrs = dict(m.attrs)
        if m.antecedent is not None:
            attrs["antecedent"] = ids[m.antecedent]
        out.append(
            Entity(
                id=ids[k],
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
    entity_ids = [e.id for e in entities]
    attributions = sorted(doc._.trade_quotes or [], key=lambda q: (q.start, q.end))
    quote_ids = span_ids("q", ((q.start, q.end) for q in attributions))
    measures, about = record_measures(doc, text, entity_ids, quote_ids)
    quotes = [_quote(text, q, qid, entity_ids, about.get((q.start, q.end), []))
              for q, qid in zip(attributions, quote_ids, strict=True)]
    return ArticleRecord(
        doc_id=article.doc_id,
        source=article.source,
        text=text,
        entities=entities,
        quotes=quotes,
        measures=measures,
        pipeline=info,
    )


def _quote(text: str, q: Attribution, quote_id: str, entity_ids: list[str], about: list[str]) -> Quote:
    speaker = None
    sp = q.speaker
    if sp is not None:
        speaker = Speaker(
            mention=_span(text, *sp.mention) if sp.mention else None,
            entity_id=entity_ids[sp.mention_index] if sp.mention_index is not None else None,
            name=sp.name,
            canonical_id=sp.canonical_id,
            label=sp.label,
            title=sp.title,
        )
    return Quote(
        id=quote_id,
        text=text[q.start : q.end],
        start=q.start,
        end=q.end,
        kind=q.kind,
        cue=_span(text, *q.cue) if q.cue else None,
        speaker=speaker,
        channel=q.channel,
        via=q.via,
        about=about,
        provenance=QuoteProvenance(method=q.rule.value, score=q.score),
    )

"""Inter-annotator agreement: two independent gold passes over the same articles, scored like a prediction.

The second pass is turned into records and scored against the first with the same scorer `tradex eval`
uses, so agreement and accuracy are read on one scale: entity span+label F1 (strict and lenient),
canonical-id agreement, quote F1 under every matching rule, kind and speaker agreement on matched
quotes, and measure F1 (type and actor jurisdiction agree, evidence overlaps) with the fields on matched
pairs. F1 is symmetric in the two passes; the attribute agreements are read on the first pass's terms.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from models.gold import GoldArticle, GoldMeasure, GoldParty, GoldSpan
from models.records import (
    MAST_CHAPTER,
    ArticleRecord,
    Entity,
    EntityMethod,
    EntityProvenance,
    Item,
    Measure,
    MeasureProvenance,
    Party,
    PipelineInfo,
    Quote,
    QuoteProvenance,
    Rate,
    Source,
    Span,
    Speaker,
)
from pipeline.eval.gold import load_gold
from pipeline.eval.metrics import GoldScores, score_gold


def _span(text: str, s: GoldSpan | None) -> Span | None:
    return None if s is None else Span(text=text[s.start : s.end], start=s.start, end=s.end)


def _party(p: GoldParty) -> Party:
    return Party(name=p.name, canonical_id=p.canonical_id, label=p.label, jurisdiction=p.jurisdiction)


def _measure(k: int, m: GoldMeasure, text: str) -> Measure:
    def span(s: GoldSpan) -> Span:
        return Span(text=text[s.start : s.end], start=s.start, end=s.end)

    return Measure(
        id=f"m{k}", type=m.type, mast_chapter=MAST_CHAPTER[m.type], status=m.status, direction=m.direction,
        actor=_party(m.actor) if m.actor else None, targets=[_party(t) for t in m.targets],
        items=[Item(canonical_id=i.canonical_id, text=span(i)) for i in m.items],
        rate=Rate(text=span(m.rate), value=m.rate.value, unit=m.rate.unit) if m.rate else None,
        announced=m.announced, effective=m.effective, trigger=span(m.trigger),
        evidence=[span(e) for e in sorted(m.evidence, key=lambda e: e.start)],
        provenance=MeasureProvenance(method="gold", score=1.0),
    )


def gold_as_record(gold: GoldArticle, text: str) -> ArticleRecord:
    """One annotator's article in record form, so the scorer can read it as a prediction."""
    prov = EntityProvenance(method=EntityMethod.rule, rule="gold", score=1.0)
    entities = [
        Entity(id=f"e{i}", text=text[g.start : g.end], start=g.start, end=g.end, label=g.label,
               canonical_id=g.canonical_id, canonical_name=text[g.start : g.end], provenance=prov)
        for i, g in enumerate(sorted(gold.entities, key=lambda g: (g.start, g.end)), 1)
    ]
    quotes = []
    for i, q in enumerate(sorted(gold.quotes, key=lambda q: (q.start, q.end)), 1):
        speaker = None
        if q.speaker is not None:
            speaker = Speaker(mention=_span(text, q.speaker.mention), name=q.speaker.name,
                              canonical_id=q.speaker.canonical_id, label=q.speaker.label, title=q.speaker.title)
        quotes.append(Quote(id=f"q{i}", text=text[q.start : q.end], start=q.start, end=q.end, kind=q.kind,
                            cue=_span(text, q.cue), speaker=speaker, channel=q.channel, via=q.via,
                            provenance=QuoteProvenance(method="gold", score=1.0)))
    first = sorted(gold.measures or [], key=lambda m: min(e.start for e in m.evidence))
    measures = [_measure(k, m, text) for k, m in enumerate(first, 1)]
    return ArticleRecord(doc_id=gold.doc_id, source=Source(path=gold.doc_id), text=text, entities=entities,
                         quotes=quotes, measures=measures,
                         pipeline=PipelineInfo(version="gold", rules_version="gold", model=None))


@dataclass
class Agreement:
    articles: list[str] = field(default_factory=list)
    only_first: list[str] = field(default_factory=list)
    only_second: list[str] = field(default_factory=list)
    scores: GoldScores = field(default_factory=GoldScores)


def agreement(first: Path, second: Path, *, shared: Path) -> Agreement:
    """Score pass `second` against pass `first` over the articles both annotated."""
    a = {d.gold.doc_id: d for d in load_gold(first, shared=shared).docs}
    b = {d.gold.doc_id: d for d in load_gold(second, shared=shared).docs}
    common = sorted(set(a) & set(b))
    out = Agreement(articles=common, only_first=sorted(set(a) - set(b)), only_second=sorted(set(b) - set(a)))
    triples = [(a[k].gold, a[k].text, gold_as_record(b[k].gold, b[k].text)) for k in common]
    out.scores = score_gold(triples)
    return out

"""Measure metrics: a predicted measure matches a gold one when the type and the actor's jurisdiction
agree and an evidence span overlaps (one to one, greedy by the characters of evidence shared); the same
with the type ignored; and over the matched pairs the accuracy of status, direction, rate and dates and
the set F1 of targets and items.

Targets are compared by jurisdiction for countries and by canonical id (else lower-cased name) for
firms; items by overlapping span or equal canonical id; a rate by unit and value; each of `announced`
and `effective` is one judgement (null = null is right). Articles whose gold measure layer is null
(not annotated) are skipped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from models.gold import GoldMeasure, GoldParty, GoldSpan
from models.records import Measure, Party, Span
from pipeline.eval.counts import PRF, Acc

ATTRIBUTES = ("status", "direction", "rate", "dates")


@dataclass
class MeasureScores:
    """Measure metrics accumulated over the articles whose measure layer is annotated."""

    articles: int = 0
    match: PRF = field(default_factory=PRF)
    typeless: PRF = field(default_factory=PRF)
    status: Acc = field(default_factory=Acc)
    direction: Acc = field(default_factory=Acc)
    rate: Acc = field(default_factory=Acc)
    dates: Acc = field(default_factory=Acc)
    targets: PRF = field(default_factory=PRF)
    items: PRF = field(default_factory=PRF)
    confusions: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "match": self.match.as_dict(),
            "type_free": self.typeless.as_dict(),
            "attributes": {k: getattr(self, k).as_dict() for k in ATTRIBUTES},
            "targets": self.targets.as_dict(),
            "items": self.items.as_dict(),
        }


def _overlap(a: Sequence[GoldSpan | Span], b: Sequence[GoldSpan | Span]) -> int:
    return sum(max(0, min(x.end, y.end) - max(x.start, y.start)) for x in a for y in b)


def _gold_juris(g: GoldMeasure) -> str | None:
    return g.actor.jurisdiction if g.actor else None


def _pred_juris(p: Measure) -> str | None:
    return p.actor.jurisdiction if p.actor else None


def pair_measures(gold: Sequence[GoldMeasure], pred: Sequence[Measure], *, typed: bool) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, pred index), greedy by shared evidence characters."""
    cands = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if typed and g.type != p.type:
                continue
            if _gold_juris(g) != _pred_juris(p):
                continue
            shared = _overlap(g.evidence, p.evidence)
            if shared > 0:
                cands.append((-shared, gi, pi))
    out: list[tuple[int, int]] = []
    used_g: set[int] = set()
    used_p: set[int] = set()
    for _, gi, pi in sorted(cands):
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            out.append((gi, pi))
    return out


def _gold_party_key(t: GoldParty) -> str:
    if t.label is not None and t.label.value == "COUNTRY" and t.jurisdiction:
        return t.jurisdiction
    if t.label is None and t.jurisdiction and not t.canonical_id:
        return t.jurisdiction
    return t.canonical_id or t.name.lower()


def _pred_party_key(t: Party) -> str:
    if t.label is not None and t.label.value == "COUNTRY" and t.jurisdiction:
        return t.jurisdiction
    return t.canonical_id or t.name.lower()


def _set_counts(gold: set[str], pred: set[str], prf: PRF) -> None:
    prf.tp += len(gold & pred)
    prf.fp += len(pred - gold)
    prf.fn += len(gold - pred)


def _item_counts(g: GoldMeasure, p: Measure, prf: PRF) -> None:
    used: set[int] = set()
    for gi in g.items:
        hit = next(
            (
                k
                for k, pi in enumerate(p.items)
                if k not in used
                and ((gi.canonical_id and gi.canonical_id == pi.canonical_id) or _overlap([gi], [pi.text]) > 0)
            ),
            None,
        )
        if hit is None:
            prf.fn += 1
        else:
            used.add(hit)
            prf.tp += 1
    prf.fp += len(p.items) - len(used)


def _rate_right(g: GoldMeasure, p: Measure) -> bool:
    if g.rate is None or p.rate is None:
        return g.rate is None and p.rate is None
    if g.rate.unit != p.rate.unit:
        return False
    if g.rate.value is None or p.rate.value is None:
        return g.rate.value == p.rate.value
    return abs(g.rate.value - p.rate.value) <= 1e-6 * max(1.0, abs(g.rate.value))


def score_measures(gold: Sequence[GoldMeasure] | None, pred: Sequence[Measure], scores: MeasureScores) -> None:
    """Add one article's counts; `gold` None (layer not annotated) adds nothing."""
    if gold is None:
        return
    scores.articles += 1
    for typed, prf in ((True, scores.match), (False, scores.typeless)):
        pairs = pair_measures(gold, pred, typed=typed)
        prf.tp += len(pairs)
        prf.fp += len(pred) - len(pairs)
        prf.fn += len(gold) - len(pairs)
        if not typed:
            for gi, pi in pairs:
                if gold[gi].type != pred[pi].type:
                    scores.confusions[f"measure type {gold[gi].type.value}->{pred[pi].type.value}"] += 1
            continue
        for gi, pi in pairs:
            g, p = gold[gi], pred[pi]
            scores.status.judge(g.status == p.status)
            if g.status != p.status:
                scores.confusions[f"measure status {g.status.value}->{p.status.value}"] += 1
            scores.direction.judge(g.direction == p.direction)
            scores.rate.judge(_rate_right(g, p))
            scores.dates.judge(g.announced == p.announced)
            scores.dates.judge(g.effective == p.effective)
            _set_counts({_gold_party_key(t) for t in g.targets}, {_pred_party_key(t) for t in p.targets},
                        scores.targets)  # fmt: skip
            _item_counts(g, p, scores.items)
        matched_g = {gi for gi, _ in pairs}
        matched_p = {pi for _, pi in pairs}
        for gi, g in enumerate(gold):
            if gi not in matched_g:
                scores.confusions[f"measure missed {g.type.value}"] += 1
        for pi, p in enumerate(pred):
            if pi not in matched_p:
                scores.confusions[f"measure spurious {p.type.value}"] += 1

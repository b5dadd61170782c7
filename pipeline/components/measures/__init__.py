"""Measure stage (`trade_measures`): the trade-policy actions an article reports, after the entity and
quote stages.

One module per job: `lexicon` (the compiled rules), `adapter` (what earlier stages left on the Doc),
`triggers`, `status` (status and direction), `parties` (actor and targets), `items` (items and rate),
`dates`, `evidence` (one announcement is one measure) and `about` (what each quote speaks about).

The result is `doc._.trade_measures` (a list of dicts in character offsets, sorted by the first evidence
sentence; mention and quote references are indexes into `doc._.trade_mentions` and the start-sorted
`doc._.trade_quotes`) and `doc._.trade_quote_about` (one entry per quote, in that order).
"""

from __future__ import annotations

import re
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.components.caches import doc_text
from pipeline.components.measures.about import quote_about
from pipeline.components.measures.adapter import DocView, MentionRef, read_doc
from pipeline.components.measures.dates import DateRef, find_dates
from pipeline.components.measures.evidence import Candidate, Draft, merge
from pipeline.components.measures.items import RateRef, find_items, find_rate, item_window
from pipeline.components.measures.lexicon import WORD, MeasureRules, rules_from_packs
from pipeline.components.measures.parties import PARTY_TYPES, Parties, find_parties
from pipeline.components.measures.status import dated_status, find_direction, find_status, reports_action
from pipeline.components.measures.triggers import Trigger, find_triggers
from pipeline.components.pack_backed import PackBacked
from pipeline.rules.packs import RulePacks

__all__ = ["TradeMeasures", "make_trade_measures"]

for _ext in ("trade_measures", "trade_quote_about"):
    if not Doc.has_extension(_ext):
        Doc.set_extension(_ext, default=None)


class TradeMeasures(PackBacked):
    """Find triggers, read each one's status, parties, items, rate and dates, merge them into measures."""

    def __init__(self, nlp: Language, name: str, *, rules_dirs: list[str]):
        self.name = name
        self.rules_dirs = tuple(rules_dirs)

    def build(self, packs: RulePacks) -> None:
        self.rules: MeasureRules = rules_from_packs(packs)

    def __call__(self, doc: Doc) -> Doc:
        self.ensure_packs()
        text = doc_text(doc)
        low = text.lower()  # for the trigger scan, the trigger words and the quotes' nominals
        # most sentences hold no trigger: one regex scan finds them, and sentence bounds are read only if any
        matches = _trigger_matches(text, low, self.rules)
        view = read_doc(doc, with_sentences=bool(matches))
        triggers = find_triggers(text, self.rules, view.sentence_of, matches, low) if matches else []
        cands = [self._candidate(view, t) for t in triggers if not _inside_name(view, t)]
        drafts = sorted(merge(cands), key=lambda d: (d.evidence[0], d.first.trigger.start))
        about = quote_about(view, drafts, self.rules, low)
        for k, (_, ms) in enumerate(about):
            for m in ms:
                drafts[m].quote_indexes.append(k)
        doc._.trade_measures = [_as_dict(d, view.published) for d in drafts]
        doc._.trade_quote_about = [
            {"start": q.start, "end": q.end, "mentions": ents, "measures": ms}
            for q, (ents, ms) in zip(view.quotes, about, strict=True)
        ]
        return doc

    def _candidate(self, view: DocView, trig: Trigger) -> Candidate:
        rules = self.rules
        cue = find_status(view.text, trig, rules)
        status = cue.status if cue else rules.words.default_status
        quote = view.quote_at(trig.start, trig.end)
        speaker = view.mentions[quote.speaker_index] if quote and quote.speaker_index is not None else None
        parties = find_parties(view, trig, rules, speaker, cue.status if cue else None)
        if cue is None and parties.owned and not reports_action(trig, rules):
            # "China's rare earth curbs": a government's measure named as existing (not "China's new curbs")
            status = "in_force"
        lo, hi = item_window(trig, rules)
        items = find_items(view, trig, rules, lo, hi)
        rate = find_rate(view, trig)
        reported = cue is not None or reports_action(trig, rules) or parties.owned or _rate_of(view.text, trig, rate)
        creates = (reported or _parties_named(trig, parties, both=True)) and _parties_named(trig, parties)
        # a mention that creates no measure only adds evidence: its dates are never read
        other_speaker = bool(
            speaker is not None
            and speaker.is_government
            and parties.actor is not None
            and speaker.jurisdiction != parties.actor.jurisdiction
        )
        announced, effective = _dates(view, trig, status, rules, other_speaker) if creates else (None, None)
        return Candidate(
            trigger=trig,
            type=trig.entry.type,
            status=status,
            direction=find_direction(trig, status, rules),
            creates=creates,
            actor=parties.actor,
            targets=parties.targets,
            items=items,
            rate=rate,
            announced=announced,
            effective=effective,
            policy=_policy(view, trig, lo, hi),
            score=trig.entry.score if cue is not None else round(trig.entry.score * 0.8, 3),
        )


def _trigger_matches(text: str, low: str, rules: MeasureRules) -> list[re.Match[str]]:
    if rules.trigger_re is None or rules.trigger_re_i is None:
        return []
    # lower-casing keeps offsets except for a few letters ("İ"); then the slower case-blind pattern
    if len(low) == len(text):
        return list(rules.trigger_re.finditer(low))
    return list(rules.trigger_re_i.finditer(text))


# a trigger inside one of these names is part of the name ("Customs Tariff Commission", "Trade Talks Ltd")
_NAME_LABELS = frozenset({"AGENCY", "COMPANY", "MEDIA", "PERSON", "OFFICIAL"})


def _inside_name(view: DocView, trig: Trigger) -> bool:
    return any(
        m.label in _NAME_LABELS
        for m in view.mentions_in(trig.sentence.start, trig.sentence.end)
        if m.start <= trig.start and trig.end <= m.end
    )


def _parties_named(trig: Trigger, parties: Parties, *, both: bool = False) -> bool:
    """Talks and deals are between governments: two named, or the trigger says they are about trade.
    With `both`, two governments must be named: talks between two named parties are reported talks."""
    if trig.entry.type not in PARTY_TYPES:
        return not both
    named = parties.actor is not None and bool(parties.targets)
    return named or (not both and "trade" in trig.form.split())


# at most this many words between a rate and the trigger it sets ("a 125% levy", "25% reciprocal tariffs")
RATE_GAP_WORDS = 2
_RATE_AFTER = re.compile(r"\s*(?:of|at)\s+(?:up\s+to\s+|about\s+|around\s+)?$")


def _rate_of(text: str, trig: Trigger, rate: RateRef | None) -> bool:
    """A rate written on the trigger ("a 10% tax", "tariffs of 25%") makes it a report of an action."""
    if rate is None:
        return False
    if rate.end <= trig.start:
        gap = text[rate.end : trig.start]
        return "," not in gap and len(WORD.findall(gap)) <= RATE_GAP_WORDS
    if rate.start >= trig.end:
        return bool(_RATE_AFTER.match(text[trig.end : rate.start]))
    return False


def _dates(
    view: DocView, trig: Trigger, status: str, rules: MeasureRules, other_speaker: bool
) -> tuple[DateRef | None, DateRef | None]:
    """The nearest announced and effective dates of the trigger's sentence; a plain date of talks held is
    when they took place. `other_speaker`: the trigger is quoted from a government other than the actor."""
    key = (trig.sentence.start, trig.sentence.end)
    dates = view.dates.get(key)
    if dates is None:
        dates = view.dates[key] = find_dates(view.text, *key, view.published, rules.effective_re)
    if not dates:
        return None, None

    def nearest(ds: list[DateRef]) -> DateRef | None:
        return min(ds, key=lambda d: min(abs(d.start - trig.end), abs(trig.start - d.end))) if ds else None

    eff = [d for d in dates if d.effective]
    plain = [d for d in dates if not d.effective and not d.of_speech]
    if status != "in_force" and not other_speaker:
        # "the ministry said on Monday it would impose ...": the day of saying is the day of announcing;
        # not when another government speaks ("China opposed the Dutch curbs, its ministry said on Sunday")
        plain += [d for d in dates if d.of_speech and not d.effective]
    if status == "in_force" and not eff and trig.entry.type == "negotiation":
        # talks held: the day they took place is when they took effect ("banned exports in March" is announced)
        return None, nearest(plain)
    return nearest(plain), nearest(eff)


def _policy(view: DocView, trig: Trigger, lo: int, hi: int) -> MentionRef | None:
    pols = [m for m in view.mentions_in(trig.sentence.start, trig.sentence.end) if m.label == "POLICY"]
    near = [m for m in pols if m.start < hi and lo < m.end]
    if not near:
        return None
    return min(near, key=lambda m: 0 if (m.start < trig.end and trig.start < m.end) else abs(m.start - trig.start))


def _party(m: MentionRef | None) -> dict[str, Any] | None:
    if m is None:
        return None
    return {
        "mention_index": m.index,
        "canonical_id": m.canonical_id,
        "name": m.name,
        "label": m.label,
        "jurisdiction": m.jurisdiction,
    }


def _as_dict(d: Draft, published: str | None) -> dict[str, Any]:
    c = d.first
    announced = d.announced.value if d.announced else None
    effective = d.effective.value if d.effective else None
    return {
        "type": c.type,
        "status": dated_status(c.status, announced, effective, published),
        "direction": c.direction,
        "actor": _party(d.actor),
        "targets": [_party(m) for m in d.targets],
        "items": [
            {
                "mention_index": i.mention.index if i.mention else None,
                "canonical_id": i.mention.canonical_id if i.mention else None,
                "start": i.start,
                "end": i.end,
            }
            for i in sorted(d.items, key=lambda i: i.start)
        ],
        "policy": d.policy.index if d.policy else None,
        "rate": None
        if d.rate is None
        else {"start": d.rate.start, "end": d.rate.end, "value": d.rate.value, "unit": d.rate.unit},
        "announced": announced,
        "effective": effective,
        "trigger": (c.trigger.start, c.trigger.end),
        "evidence": list(d.evidence),
        "quote_indexes": sorted(set(d.quote_indexes)),
        "rule": f"measure:{c.trigger.entry.id}",
        "score": c.score,
    }


@Language.factory("trade_measures", default_config={"rules_dirs": []})
def make_trade_measures(nlp: Language, name: str, rules_dirs: list[str]) -> TradeMeasures:
    """spaCy factory of the measure stage; expects `trade_entities` and `trade_quotes` before it."""
    return TradeMeasures(nlp, name, rules_dirs=rules_dirs)

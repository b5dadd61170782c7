"""The measure rules (`lexicon/measures.jsonl`, `lexicon/measure_words.json`), compiled once per process:
one regular expression for every trigger form, so a document without a trigger costs one C-level scan."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from models.rules import MeasureLexicon, MeasureTriggerEntry
from pipeline.rules.packs import RulePacks, cached_packs

# a word as the windows count them: letters, digits, inner hyphens and apostrophes ("anti-dumping", "U.S.")
WORD = re.compile(r"[\w][\w'’\-]*")


def _trie_pattern(phrases: list[str]) -> str:
    """A regex for the phrases built from their character trie: Python's `re` tries an alternation's
    branches one by one at every position, a trie shares their prefixes (several times faster on a
    few hundred phrases). Longer continuations come first, so the longest phrase wins."""
    trie: dict[str, dict] = {}  # type: ignore[type-arg]
    for p in phrases:
        node = trie
        for ch in p:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:  # type: ignore[type-arg]
        ends = "" in node
        branches = [
            (r"\s+" if ch == " " else re.escape(ch)) + build(child) for ch, child in sorted(node.items()) if ch != ""
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return "(?:" + body + ")?"
        return body

    return build(trie)


def phrase_regex(phrases: list[str], *, flags: int = re.IGNORECASE) -> re.Pattern[str] | None:
    """Whole-word phrases, longest match first; a space in a phrase matches any white space."""
    if not phrases:
        return None
    words = sorted({p.lower() if flags & re.IGNORECASE else p for p in phrases})
    return re.compile(r"(?<![\w\-])" + _trie_pattern(words) + r"(?![\w\-])", flags)


@dataclass(frozen=True)
class MeasureRules:
    """Everything the measure stage matches with, built from the rule packs in use."""

    triggers: list[MeasureTriggerEntry]
    by_form: dict[str, list[MeasureTriggerEntry]]  # normalised form -> entries, in file order
    trigger_re: re.Pattern[str] | None  # case-sensitive, for the lower-cased text (twice as fast)
    trigger_re_i: re.Pattern[str] | None  # the same ignoring case, for a text whose lower-casing changes its length
    words: MeasureLexicon
    status_re: re.Pattern[str] | None  # every status cue, longest first
    status_of: dict[str, str]  # a status cue, as its normal form -> its status
    conditional_re: re.Pattern[str] | None
    liberalising: frozenset[str]
    restrictive: frozenset[str]
    effective_re: re.Pattern[str] | None
    product_re: re.Pattern[str] | None
    end_use_re: re.Pattern[str] | None  # "used in", "essential for": what follows names an end use, not goods
    recipient_re: re.Pattern[str] | None  # "slapped with", "faces": the government before is the one hit
    action_nouns: frozenset[str]  # "tariff hikes": a trigger holding one reports an action
    item_bounds: frozenset[str]  # the words before a trigger its goods do not reach past
    umbrella_goods: frozenset[str]  # "critical minerals": no item when the goods it stands for follow
    target_preps: frozenset[str]
    origin_suffixes: frozenset[str]
    government_nouns: frozenset[str]
    venue_preps: frozenset[str]
    modifier_heads: frozenset[str]
    nominal_re: re.Pattern[str] | None  # case-sensitive, for lower-cased text
    status_words: frozenset[str]  # every single word of the status table
    # form -> (any of its entries' near words, the widest window), for the forms whose every entry needs one:
    # a match with none of them in reach is dropped before its sentence's words are read
    near_re: dict[str, tuple[re.Pattern[str], int]]


def normal_form(s: str) -> str:
    """A matched phrase as its lexicon form: lower case, single spaces."""
    return " ".join(s.lower().split())


@lru_cache(maxsize=8)
def measure_rules(rules_dirs: tuple[str, ...] = ()) -> MeasureRules:
    return rules_from_packs(cached_packs(rules_dirs))


def rules_from_packs(packs: RulePacks) -> MeasureRules:
    words = packs.measure_words
    if words is None:
        raise ValueError("the measure word lists (lexicon/measure_words.json) are missing")
    by_form: dict[str, list[MeasureTriggerEntry]] = {}
    for t in packs.measure_triggers:
        for f in t.forms:
            by_form.setdefault(f, []).append(t)
    anaphoric_nouns = [f for t in packs.measure_triggers if t.anaphoric for f in t.forms]
    nominal_words = [*words.nominals, *anaphoric_nouns]
    nominal_re = None
    if nominal_words:
        heads = _trie_pattern(sorted(set(nominal_words)))
        # "the ban", "these chips", "the new export controls": a determiner, at most two words, the head
        nominal_re = re.compile(
            r"(?<![\w\-])(?:th(?:e|is|ese|ose|at|eir)|such|its)\s+(?:[\w\-]+\s+){0,2}?(" + heads + r")(?![\w\-])"
        )
    near_re: dict[str, tuple[re.Pattern[str], int]] = {}
    for form, entries in by_form.items():
        if entries and all(e.near for e in entries):
            rx = phrase_regex([w for e in entries for w in e.near], flags=0)
            if rx is not None:
                near_re[form] = (rx, max(e.window for e in entries))
    return MeasureRules(
        triggers=list(packs.measure_triggers),
        by_form=by_form,
        trigger_re=phrase_regex(list(by_form), flags=0),
        trigger_re_i=phrase_regex(list(by_form)),
        words=words,
        status_re=phrase_regex([w for ws in words.status.values() for w in ws]),
        status_of={w: s for s, ws in words.status.items() for w in ws},
        conditional_re=phrase_regex(words.conditional),
        liberalising=frozenset(words.liberalising),
        restrictive=frozenset(words.restrictive),
        effective_re=phrase_regex(words.effective_cues),
        product_re=phrase_regex(words.products),
        end_use_re=phrase_regex(words.end_uses),
        recipient_re=phrase_regex(words.recipient_cues),
        action_nouns=frozenset(words.action_nouns),
        item_bounds=frozenset(words.item_bounds),
        umbrella_goods=frozenset(words.umbrella_goods),
        target_preps=frozenset(words.target_preps),
        origin_suffixes=frozenset(words.origin_suffixes),
        government_nouns=frozenset(words.government_nouns),
        venue_preps=frozenset(words.venue_preps),
        modifier_heads=frozenset(words.modifier_heads),
        nominal_re=nominal_re,
        status_words=frozenset(w for ws in words.status.values() for p in ws for w in p.split()),
        near_re=near_re,
    )

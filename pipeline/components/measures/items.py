"""Items (chips, materials, product phrases) and the rate (percentage or amount) of a measure."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.components.measures.adapter import DocView, MentionRef
from pipeline.components.measures.lexicon import MeasureRules
from pipeline.components.measures.parties import CLAUSE_ENDS
from pipeline.components.measures.triggers import Trigger

# the stretch of a sentence whose goods a trigger covers: a few words before it ("gallium exports",
# "AI chip export curbs") and the rest of its clause after it ("tariffs on steel and aluminium")
ITEM_BEFORE = 6
ITEM_AFTER = 14
RATE_WORDS = 10
RATE_TYPES = frozenset({"import_tariff", "trade_defence", "subsidy", "investment_measure", "sanction"})

_PERCENT = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s?(?:%|percent\b|per\s+cent\b|pct\b)", re.IGNORECASE)
_USD = re.compile(
    r"(?:(?:US)?\$\s?(\d[\d,]*(?:\.\d+)?)\s*(trillion|billion|million|bln|mln|bn|m)?\b"
    r"|(\d[\d,]*(?:\.\d+)?)\s*(trillion|billion|million|bln|mln)?\s+(?:U\.S\.\s+)?(?:dollars|dlrs)\b)",
    re.IGNORECASE,
)
_OTHER = re.compile(
    r"(?<![\w.])(\d[\d,]*(?:\.\d+)?)\s*(trillion|billion|million|bln|mln|bn)?\s*"
    r"(yuan|euros?|yen|won|ringgit|rupees|pounds|dlrs\s+per\s+\w+|per\s+tonne)\b",
    re.IGNORECASE,
)
_SCALE = {"trillion": 1e12, "billion": 1e9, "bln": 1e9, "bn": 1e9, "million": 1e6, "mln": 1e6, "m": 1e6}


@dataclass(frozen=True)
class ItemRef:
    start: int
    end: int
    mention: MentionRef | None
    key: str = ""  # the good it names (canonical id, else the lower-cased text without a plural s): once per measure


def item_key(text: str, start: int, end: int, mention: MentionRef | None) -> str:
    return (mention.canonical_id if mention and mention.canonical_id else text[start:end].lower()).rstrip("s")


@dataclass(frozen=True)
class RateRef:
    start: int
    end: int
    value: float | None
    unit: str


def item_window(trig: Trigger, rules: MeasureRules) -> tuple[int, int]:
    words = trig.sentence.words
    lo = trig.first_word
    # the goods before a trigger modify it ("steel and aluminium tariffs"): no further back than a bound word
    while lo > max(trig.first_word - ITEM_BEFORE, 0) and words[lo - 1][2] not in rules.item_bounds:
        lo -= 1
    hi = trig.last_word
    for k in range(trig.last_word, min(trig.last_word + ITEM_AFTER, len(words))):
        if words[k][2] in CLAUSE_ENDS:
            break
        hi = k + 1
    start = words[lo][0] if lo < trig.first_word else trig.start
    end = words[hi - 1][1] if hi > trig.last_word else trig.end
    return start, end


def find_items(view: DocView, trig: Trigger, rules: MeasureRules, start: int, end: int) -> list[ItemRef]:
    """CHIP and MATERIAL mentions and product phrases in `[start, end)`, in text order, without repeats;
    goods after an end-use phrase past the trigger ("graphite used in batteries") are what the items are for."""
    if rules.end_use_re is not None:
        use = rules.end_use_re.search(view.text, max(trig.end, start), end)
        if use is not None:
            end = use.start()
    found = [ItemRef(m.start, m.end, m) for m in view.mentions_in(start, end) if m.label in ("CHIP", "MATERIAL")]
    inside = view.mentions_in(start, end)
    taken = [(m.start, m.end) for m in inside]
    named = [m.end for m in view.mentions_in(max(start - 40, 0), end) if m.label in ("CHIP", "MATERIAL")]
    if rules.product_re is not None:
        for p in rules.product_re.finditer(view.text, start, end):
            s, e = p.start(), p.end()
            if trig.start <= s < trig.end or any(ms < e and s < me for ms, me in taken):
                continue
            # "H20 chips", "MI308 artificial intelligence chip": the noun of a named chip, not another item
            if any(0 <= s - me <= 1 for me in named):
                continue
            found.append(ItemRef(s, e, None))
            taken.append((s, e))
    out: list[ItemRef] = []
    seen: set[str] = set()
    found.sort(key=lambda i: i.start)
    for k, it in enumerate(found):
        if k + 1 < len(found) and _umbrella_before(view.text, it, found[k + 1], rules):
            continue
        key = item_key(view.text, it.start, it.end, it.mention)
        if key not in seen:
            seen.add(key)
            out.append(ItemRef(it.start, it.end, it.mention, key))
    return out


# what may stand between a class of goods and the goods it stands for: "critical minerals gallium",
# "minerals: nickel and cobalt", "metals, namely gallium"; but "three critical minerals including antimony"
# names a part of the class, and the class stays an item
_LIST_INTRO = re.compile(r"\s*(?:[,:(–—-]\s*)?(?:namely\s+)?")


def _umbrella_before(text: str, it: ItemRef, nxt: ItemRef, rules: MeasureRules) -> bool:
    """'critical minerals gallium, germanium and antimony': the class is named by all its members."""
    if text[it.start : it.end].lower() not in rules.umbrella_goods:
        return False
    intro = _LIST_INTRO.match(text, it.end, nxt.start)
    return intro is not None and intro.end() == nxt.start


def find_rate(view: DocView, trig: Trigger) -> RateRef | None:
    """The percentage or amount nearest the trigger in its sentence, for the types that have one."""
    if trig.entry.type not in RATE_TYPES:
        return None
    words = trig.sentence.words
    # a sign may sit just outside the words: "$400 million", "to 10%"
    lo = max(words[max(trig.first_word - RATE_WORDS, 0)][0] - 4, trig.sentence.start)
    hi = min(words[min(trig.last_word + RATE_WORDS, len(words)) - 1][1] + 12, trig.sentence.end)
    best: tuple[int, RateRef] | None = None
    for rx, unit in ((_PERCENT, "percent"), (_USD, "usd"), (_OTHER, "other")):
        for m in rx.finditer(view.text, lo, hi):
            value = _value(m, unit)
            dist = min(abs(m.start() - trig.end), abs(trig.start - m.end()))
            if best is None or dist < best[0]:
                best = (dist, RateRef(m.start(), m.end(), value, unit))
    return best[1] if best else None


def _value(m: re.Match[str], unit: str) -> float | None:
    groups = [g for g in m.groups()]
    num = next((g for g in groups if g and g[0].isdigit()), None)
    if num is None:
        return None
    try:
        value = float(num.replace(",", ""))
    except ValueError:
        return None
    if unit in ("usd", "other"):
        scale = next((g.lower() for g in groups if g and g.lower() in _SCALE), None)
        if scale:
            value *= _SCALE[scale]
    return value

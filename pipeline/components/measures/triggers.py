"""Trigger finding: the words that name a measure, and the type their lexicon entry gives."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from models.rules import MeasureTriggerEntry
from pipeline.components.measures.lexicon import WORD, MeasureRules, normal_form

# a trigger's word list reaches this many characters before and after it: the windows of the other jobs
# reach 7 words back and 16 forward (news words average under 7 characters with their space)
BACK = 80
AHEAD = 150
# a sentence up to this many characters has its words read whole, once for all its triggers; a longer one
# only round each trigger
WHOLE_SENTENCE = 2 * (BACK + AHEAD)
# no word is longer than this with its space, as far as a `near` window's reach in characters goes
WORD_CHARS = 24
DEFINITE = frozenset({"the", "this", "these", "those", "that", "such", "its", "their", "said"})


@dataclass
class Sentence:
    """A sentence with its words (character offsets, lower-cased) for the windows of the other jobs."""

    start: int
    end: int
    words: list[tuple[int, int, str]]
    _ends: list[int] = field(default_factory=list, repr=False)

    @classmethod
    def of(cls, text: str, start: int, end: int, lo: int, hi: int) -> Sentence:
        """The sentence `[start, end)` with the words of its stretch `[lo, hi)` only: the windows reach a few
        words round a trigger, and wire sentences run to a hundred words."""
        if lo > start:
            lo = text.rfind(" ", start, lo) + 1 or start
        if hi < end:
            space = text.find(" ", hi, end)
            hi = end if space < 0 else space
        words = WORD.finditer(text, max(lo, start), min(hi, end))
        return cls(start, end, [(m.start(), m.end(), m.group()) for m in words])

    def word_index(self, pos: int) -> int:
        """Index of the first word that ends after `pos`."""
        if len(self._ends) != len(self.words):
            self._ends = [e for _, e, _ in self.words]
        return bisect.bisect_right(self._ends, pos)


@dataclass
class Trigger:
    entry: MeasureTriggerEntry
    start: int
    end: int
    sentence: Sentence
    first_word: int  # index into sentence.words
    last_word: int  # exclusive
    form: str  # the words matched, as the lexicon writes them

    @property
    def definite(self) -> bool:
        """'the ban', 'these export controls': a reference back rather than a new report."""
        k = self.first_word - 1
        words = self.sentence.words
        # one modifier may sit between the determiner and the trigger ("the new tariffs", "the U.S. curbs")
        return any(j >= 0 and words[j][2] in DEFINITE for j in (k, k - 1))


def find_triggers(
    text: str,
    rules: MeasureRules,
    sentence_of: Callable[[int], tuple[int, int]],
    matches: list[re.Match[str]] | None = None,
    low: str | None = None,
) -> list[Trigger]:
    """Every trigger in `text`, in order; a form whose entries all need a `near` word that is absent is no
    trigger."""
    if rules.trigger_re_i is None:
        return []
    if low is None:
        low = text.lower()
    if len(low) != len(text):
        low = text  # the words are lower-cased one by one below
    out: list[Trigger] = []
    # the words of a sentence are read once for all its triggers (wire sentences often hold several)
    whole: dict[tuple[int, int], Sentence] = {}
    for m in rules.trigger_re_i.finditer(text) if matches is None else matches:
        s0, s1 = sentence_of(m.start())
        form = normal_form(m.group())
        head = WORD.match(low, m.end() + 1) if low[m.end() : m.end() + 1] == " " else None
        if head is not None and head.group().lower() in rules.modifier_heads:
            continue  # "the chief tariff negotiator": the trigger names what another noun is about
        near = rules.near_re.get(form)
        if near is not None and low is not text:
            rx, window = near
            reach = window * WORD_CHARS
            if rx.search(low, max(s0, m.start() - reach), min(s1, m.end() + reach)) is None:
                continue
        sent = whole.get((s0, s1)) if s1 - s0 <= WHOLE_SENTENCE else None
        if sent is None:
            if s1 - s0 <= WHOLE_SENTENCE:
                sent = whole[(s0, s1)] = Sentence.of(low, s0, s1, s0, s1)
            else:
                # the words round the trigger only: a long sentence needs no more than the windows reach
                sent = Sentence.of(low, s0, s1, m.start() - BACK, m.end() + AHEAD)
            if low is text:
                sent.words = [(a, b, w.lower()) for a, b, w in sent.words]
        first = sent.word_index(m.start())
        last = sent.word_index(m.end() - 1) + 1
        entry = _entry_for(rules.by_form.get(form, []), sent, first, last)
        if entry is not None:
            out.append(Trigger(entry, m.start(), m.end(), sent, first, last, form))
    return out


def _entry_for(entries: list[MeasureTriggerEntry], sent: Sentence, first: int, last: int) -> MeasureTriggerEntry | None:
    for e in entries:
        if not e.near:
            return e
        lo, hi = max(first - e.window, 0), min(last + e.window, len(sent.words))
        around = {w for _, _, w in sent.words[lo:first]} | {w for _, _, w in sent.words[last:hi]}
        if around & set(e.near):
            return e
    return None

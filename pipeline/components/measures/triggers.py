"""Trigger finding: the words that name a measure, and the type their lexicon entry gives."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from models.rules import MeasureTriggerEntry
from pipeline.components.measures.lexicon import WORD, MeasureRules, normal_form

# a trigger's word list reaches this many characters before and after it: the windows of the other jobs
# reach 7 words back and 16 forward (news words average under 7 characters with their space)
BACK = 80
AHEAD = 150
DEFINITE = frozenset({"the", "this", "these", "those", "that", "such", "its", "their", "said"})


@dataclass
class Sentence:
    """A sentence with its words (character offsets, lower-cased) for the windows of the other jobs."""

    start: int
    end: int
    words: list[tuple[int, int, str]]

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
        for k, (_, e, _) in enumerate(self.words):
            if e > pos:
                return k
        return len(self.words)


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
) -> list[Trigger]:
    """Every trigger in `text`, in order; a form whose entries all need a `near` word that is absent is no
    trigger."""
    if rules.trigger_re_i is None:
        return []
    low = text.lower()
    if len(low) != len(text):
        low = text  # the words are lower-cased one by one below
    out: list[Trigger] = []
    for m in rules.trigger_re_i.finditer(text) if matches is None else matches:
        s0, s1 = sentence_of(m.start())
        # the words round the trigger only: wire sentences run to a hundred words, the windows need twenty
        sent = Sentence.of(low, s0, s1, m.start() - BACK, m.end() + AHEAD)
        if low is text:
            sent.words = [(a, b, w.lower()) for a, b, w in sent.words]
        first = sent.word_index(m.start())
        last = sent.word_index(m.end() - 1) + 1
        form = normal_form(m.group())
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

"""The in-memory form of an entity mention, shared by the entity, quote and record stages, and the line-wrap
view of a doc the stages match on."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

import numpy
from spacy.attrs import IS_SPACE, ORTH, SENT_START, SPACY
from spacy.tokens import Doc

from models.records import Label
from pipeline.components.caches import COMPACT_KEY, SPACES_KEY, WORDS_KEY
from pipeline.components.overlap import drop_overlaps

# Higher wins when two candidate spans of the same length overlap.
METHOD_PRIORITY = {"rule": 3, "pattern": 2, "model": 1, "coref": 0}


@dataclass
class Mention:
    """An entity mention on token indices `[start, end)` of a spaCy Doc."""

    start: int
    end: int
    label: Label
    canonical_id: str | None
    canonical_name: str
    method: str
    rule: str
    score: float
    attrs: dict[str, Any] = field(default_factory=dict)
    # the mention this one was resolved to (surname, acronym, short form), by index in the final list
    antecedent: int | None = None

    @property
    def length(self) -> int:
        return self.end - self.start

    def overlaps(self, other: Mention) -> bool:
        return self.start < other.end and other.start < self.end


def filter_mentions(candidates: list[Mention]) -> list[Mention]:
    """Keep the longest, then the highest-priority method, then the earliest; drop overlaps."""
    kept = drop_overlaps(candidates, key=lambda m: (-m.length, -METHOD_PRIORITY[m.method], m.start))
    return sorted(kept, key=lambda m: m.start)


def compact_view(doc: Doc) -> tuple[Doc, list[int]] | None:
    """A copy of `doc` without its white-space tokens, and the index map back, or None when it has none.

    Wire copy wraps lines inside names (“United\\nStates”); spaCy keeps the newline as a token, so
    phrase patterns cannot match across it. Matching on this view and mapping back finds them.
    """
    cached = doc.user_data.get(COMPACT_KEY)
    if cached is not None:
        return cached if cached != "none" else None
    # array access: building Token objects for every word costs more than the matching itself
    arr = doc.to_array([ORTH, IS_SPACE, SPACY])
    if len(arr) == 0 or not arr[:, 1].any():
        doc.user_data[COMPACT_KEY] = "none"
        return None
    kept = (arr[:, 1] == 0).nonzero()[0]
    keep = kept.tolist()
    strings = doc.vocab.strings
    # keep "Marie-Claude" glued: a kept token has a space after it only if the text had white space there
    space_next = numpy.concatenate((arr[1:, 1], [0]))
    spaces = (arr[kept, 2] != 0) | (space_next[kept] != 0)
    words, space_after = [strings[o] for o in arr[kept, 0].tolist()], spaces.tolist()
    compact = Doc(doc.vocab, words=words, spaces=space_after)
    # the view's `doc_words` and `doc_spaces` are these lists
    compact.user_data[WORDS_KEY] = words
    compact.user_data[SPACES_KEY] = space_after
    flags = doc.to_array(SENT_START).astype("int64")
    if flags.any():
        # a sentence starting at a dropped space token starts at the next kept token; set as an array (the
        # `sent_starts` argument of Doc checks every value in Python)
        starts = numpy.where(_sent_starts(flags, kept), 1, -1).astype("uint64").reshape(-1, 1)
        compact.from_array([SENT_START], cast(Any, starts))
    doc.user_data[COMPACT_KEY] = (compact, keep)
    return compact, keep


def has_annotation(doc: Doc, attr: int) -> bool:
    """Like `Doc.has_annotation`, on an array: that one walks Token objects and shows in profiles."""
    return len(doc) > 0 and bool(doc.to_array(attr).any())


def _sent_starts(flags: numpy.ndarray, kept: numpy.ndarray) -> numpy.ndarray:
    """Sentence starts (booleans) for the kept tokens, from the doc's SENT_START values: a start on a dropped
    space token moves to the next kept token."""
    idx = numpy.arange(len(flags))
    # the last sentence start at or before each token; a kept token starts a sentence when that start lies
    # after the previous kept token
    last_start = numpy.maximum.accumulate(numpy.where(flags == 1, idx, -1))
    prev = numpy.concatenate(([-1], kept[:-1]))
    return (last_start[kept] > prev) | (kept == 0)  # type: ignore[no-any-return]


def wrapped_matches(doc: Doc, matches: Iterable[tuple[Any, int, int]]) -> list[tuple[Any, int, int]]:
    """Map matches made on `compact_view(doc)` back to `doc`, keeping only those that cross a line wrap."""
    view = compact_view(doc)
    if view is None:
        return []
    _, keep = view
    out = []
    for key, s, e in matches:
        ds, de = keep[s], keep[e - 1] + 1
        if de - ds != e - s:
            out.append((key, ds, de))
    return out

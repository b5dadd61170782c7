"""What the measure stage reads from the Doc the earlier stages leave: text, publication date, sentence
bounds, entity mentions and quotes, all in character offsets.

This is the one place that knows how `trade_entities` and `trade_quotes` store their output
(`doc._.trade_mentions`, `doc._.trade_quotes`), so a change there is a change here only.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

from spacy.attrs import IDX, LENGTH, SENT_START
from spacy.tokens import Doc

from pipeline.components.caches import doc_text
from pipeline.components.mentions import Mention
from pipeline.components.quotes.results import Attribution

# doc.user_data key of the article's publication date (ISO), set by `pipeline.nlp.make_docs`
PUBLISHED_KEY = "trade_published"

GOVERNMENT_LABELS = frozenset({"COUNTRY", "AGENCY", "OFFICIAL"})


@dataclass(slots=True, eq=False)
class MentionRef:
    """An entity mention in character offsets; `index` is its place in `doc._.trade_mentions` (record id
    `e{index+1}`)."""

    index: int
    start: int
    end: int
    label: str
    canonical_id: str | None
    name: str
    text: str
    attrs: dict[str, Any] = field(default_factory=dict)

    @property
    def jurisdiction(self) -> str | None:
        """The government behind a country, agency or official; None for firms and the rest."""
        if self.label == "COUNTRY":
            return self.attrs.get("iso")
        if self.label == "AGENCY":
            return self.attrs.get("jurisdiction")
        if self.label == "OFFICIAL":
            return self.attrs.get("country")
        return None

    @property
    def is_government(self) -> bool:
        return self.label in GOVERNMENT_LABELS and self.jurisdiction is not None


@dataclass(frozen=True)
class QuoteRef:
    """A quote of the quote stage: its content span and the mention index of its speaker, if any."""

    start: int
    end: int
    speaker_index: int | None


@dataclass
class DocView:
    """The article as the measure stage sees it."""

    text: str
    published: str | None
    mentions: list[MentionRef]
    quotes: list[QuoteRef]
    # where each sentence's first token starts (the first at 0); empty when the bounds were not read
    sentence_starts: list[int]
    dates: dict[tuple[int, int], Any] = field(default_factory=dict, repr=False)  # by sentence, for the dates job
    _mention_starts: list[int] = field(default_factory=list, repr=False)
    _bounds: dict[int, tuple[int, int]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._mention_starts = [m.start for m in self.mentions]

    @property
    def has_sentences(self) -> bool:
        return bool(self.sentence_starts)

    def mentions_in(self, start: int, end: int) -> list[MentionRef]:
        """Mentions that lie inside `[start, end)`, in text order."""
        lo = bisect.bisect_left(self._mention_starts, start)
        hi = bisect.bisect_left(self._mention_starts, end)
        return [m for m in self.mentions[lo:hi] if m.end <= end]

    def mentions_before(self, pos: int) -> list[MentionRef]:
        """Mentions that start before `pos`, nearest last."""
        return self.mentions[: bisect.bisect_left(self._mention_starts, pos)]

    def sentence_of(self, pos: int) -> tuple[int, int]:
        """The bounds of the sentence that holds `pos` (not white space), white space trimmed; only the
        sentences asked for are trimmed, as most hold nothing the stage reads."""
        starts = self.sentence_starts
        if not starts:
            return (0, len(self.text))
        k = max(bisect.bisect_right(starts, pos) - 1, 0)
        bounds = self._bounds.get(k)
        if bounds is None:
            text = self.text
            s, e = starts[k], starts[k + 1] if k + 1 < len(starts) else len(text)
            while e > s and text[e - 1].isspace():
                e -= 1
            while s < e and text[s].isspace():
                s += 1
            bounds = self._bounds[k] = (s, e)
        return bounds

    def quote_at(self, start: int, end: int) -> QuoteRef | None:
        """The quote whose content holds `[start, end)`."""
        for q in self.quotes:
            if q.start <= start and end <= q.end:
                return q
        return None


def read_doc(doc: Doc, *, with_sentences: bool) -> DocView:
    """The view of a processed doc; sentence bounds only when asked (they cost a pass over the sentences)."""
    text = doc_text(doc)
    found: list[Mention] = doc._.trade_mentions or []
    # one array pass gives the mentions' and the sentences' character offsets
    arr = doc.to_array([IDX, LENGTH, SENT_START]) if (found or with_sentences) and len(doc) else None
    mentions = _mentions(arr, found, text) if arr is not None and found else []
    attributions: list[Attribution] = doc._.trade_quotes or []
    quotes = [
        QuoteRef(q.start, q.end, q.speaker.mention_index if q.speaker is not None else None)
        for q in sorted(attributions, key=lambda q: (q.start, q.end))
    ]
    starts = _sentence_starts(arr) if with_sentences and arr is not None else []
    return DocView(text, doc.user_data.get(PUBLISHED_KEY), mentions, quotes, starts)


def _mentions(arr: Any, mentions: list[Mention], text: str) -> list[MentionRef]:
    """Mentions in characters, from the doc's (IDX, LENGTH, SENT_START) array."""
    starts = arr[[m.start for m in mentions], 0].tolist()
    last = arr[[m.end - 1 for m in mentions]]
    ends = (last[:, 0] + last[:, 1]).tolist()
    return [
        MentionRef(k, s, e, str(m.label), m.canonical_id, m.canonical_name or text[s:e], text[s:e], m.attrs)
        for k, (m, s, e) in enumerate(zip(mentions, starts, ends, strict=True))
    ]


def _sentence_starts(arr: Any) -> list[int]:
    """Where each sentence starts, in characters, from the (IDX, LENGTH, SENT_START) array."""
    starts: list[int] = arr[arr[:, 2] == 1, 0].tolist() or [0]
    if starts[0] != 0:
        starts.insert(0, 0)
    return starts

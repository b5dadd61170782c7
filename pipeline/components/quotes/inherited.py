"""Quotes credited through another quote: paragraphs that continue a quote, quoted sentences with no cue of
their own (floating), and long quotes nobody is named for."""

from __future__ import annotations

import re
from collections.abc import Collection

from models.records import PEOPLE_LABELS, QuoteKind
from pipeline.components.marks import Segment
from pipeline.components.quotes.index import count_words
from pipeline.components.quotes.results import Attribution
from pipeline.components.quotes.rules import QuoteRule
from pipeline.components.quotes.state import DocState

# a quote nobody is named for is still reported from this many words on
UNATTRIBUTED_MIN_WORDS = 8


def share_continued(st: DocState, attributed: dict[int, Attribution]) -> None:
    """A group (continued paragraphs) shares the attribution any of its segments found."""
    segs = st.ix.segs
    by_group: dict[int, Attribution] = {}
    for k, f in attributed.items():
        by_group.setdefault(segs[k].group, f)
    for k, seg in enumerate(segs):
        if k not in attributed and seg.group in by_group and seg.group >= 0:
            attributed[k] = by_group[seg.group].moved(seg.start, seg.end, QuoteRule.DIRECT_CONTINUATION)


def add_floating(st: DocState, attributed: dict[int, Attribution]) -> None:
    """A quoted sentence with no cue takes the previous quote's speaker."""
    ix = st.ix
    for k, seg in enumerate(ix.segs):
        if k in attributed or count_words(ix.text[seg.start : seg.end]) <= st.opts.max_scare_words:
            continue
        f = _floating(st, seg, k, attributed)
        if f is not None:
            attributed[k] = f


def _floating(st: DocState, seg: Segment, k: int, attributed: dict[int, Attribution]) -> Attribution | None:
    ix = st.ix
    prev = [j for j in attributed if j < k and attributed[j].speaker is not None]
    if not prev:
        return None
    j = max(prev)
    src = attributed[j]
    p_seg, p_src = ix.para_index(seg.start), ix.para_index(ix.segs[j].close_end)
    if p_seg - p_src > st.opts.float_paragraphs:
        return None
    # the quoted text must open its sentence: "“…” " at sentence start
    sent = ix.sent_of_char(seg.open_start)
    para_start = ix.para_of(seg.open_start)[0]
    opens_paragraph = not ix.text[para_start : seg.open_start].strip()
    # the text before the mark ends a sentence (“…,” he said. “…”), whatever the sentencizer made of it
    ends_sentence = bool(re.search(r"[.!?:]\s*$", ix.text[max(0, seg.open_start - 200) : seg.open_start]))
    if (
        not opens_paragraph
        and not ends_sentence
        and sent is not None
        and ix.text[sent.start_char : seg.open_start].strip()
    ):
        return None
    # no other person named in between (outside quotes); names in the previous quote's own attribution
    # sentence (“…,” Sanders campaign manager Jeff Weaver said.) do not count
    lo, hi = ix.segs[j].close_end, seg.open_start
    prev_tok = ix.tok_at(max(lo - 1, 0))
    if prev_tok is not None:
        lo = max(lo, ix.sent_of(prev_tok.i).end_char)
    sp = src.speaker
    assert sp is not None
    for m in ix.mentions:
        s, e = ix.char(m)
        named_between = lo <= s and e <= hi and m.label in PEOPLE_LABELS and not ix.in_quote(s)
        if named_between and (m.canonical_id or m.canonical_name) != (sp.canonical_id or sp.name):
            return None
    return src.moved(seg.start, seg.end, QuoteRule.DIRECT_FLOATING)


def unattributed(st: DocState, skip: Collection[int]) -> list[Attribution]:
    """Long closed quotes (not a title-case heading) that no pass attributed: quotes with speaker null."""
    ix = st.ix
    out = []
    for k, seg in enumerate(ix.segs):
        if k in skip or not seg.closed:
            continue
        if count_words(ix.text[seg.start : seg.end]) >= UNATTRIBUTED_MIN_WORDS and not ix.is_title_case(seg):
            out.append(Attribution(seg.start, seg.end, QuoteKind.direct, QuoteRule.DIRECT_UNATTRIBUTED))
    return out

"""Kinds and merge: reported speech that holds marked words becomes `partial` or `mixed`; overlapping
attributions keep the direct reading, then the longer, then the earlier."""

from __future__ import annotations

from models.records import QuoteKind
from pipeline.components.overlap import drop_overlaps
from pipeline.components.quotes.index import count_words
from pipeline.components.quotes.results import Attribution
from pipeline.components.quotes.rules import QuoteRule
from pipeline.components.quotes.state import DocState


def combine(
    st: DocState, direct: dict[int, Attribution], reported: list[Attribution]
) -> tuple[list[Attribution], set[int]]:
    """Reported and direct attributions together, and the segments a reported one took in."""
    ix = st.ix
    segs = ix.segs
    found: list[Attribution] = []
    consumed: set[int] = set()
    for f in reported:
        _extend_to_open_quote(st, f, direct)
        inner = [k for k, s in enumerate(segs) if f.start <= s.open_start and s.close_end <= f.end + 1]
        if any(f.start < s.end and s.start < f.end for k, s in enumerate(segs) if k not in inner and k in direct):
            continue
        quoted_words = sum(count_words(ix.text[segs[k].start : segs[k].end]) for k in inner)
        all_words = count_words(ix.text[f.start : f.end])
        # words of the clause before its first quoted stretch (“the duties were “deeply unfair””)
        lead_words = count_words(ix.text[f.start : segs[inner[0]].open_start]) if inner else all_words
        if lead_words == 0 and any(k in direct and direct[k].rule is not QuoteRule.DIRECT_FLOATING for k in inner):
            # the clause opens with a quote already attributed directly: keep the direct reading (a clause
            # whose own words lead into the marks is one partial or mixed quote, not a direct fragment)
            continue
        if inner:
            f.kind = QuoteKind.mixed if quoted_words * 2 >= all_words else QuoteKind.partial
            consumed.update(inner)
        found.append(f)
    found.extend(f for k, f in direct.items() if k not in consumed)
    return found, consumed


def _extend_to_open_quote(st: DocState, f: Attribution, direct: dict[int, Attribution]) -> None:
    """“X told reporters that “if the talks fail, we will act. If they succeed, …””: a quote that opens
    inside the reported clause and closes after its sentence is still the clause's own words; the clause
    runs to the closing mark (a quote the direct finders attributed keeps its own reading)."""
    for k, seg in enumerate(st.ix.segs):
        if k not in direct and seg.closed and f.start <= seg.open_start < f.end and seg.close_end > f.end + 1:
            f.end = seg.close_end
            return


def dedupe(found: list[Attribution]) -> list[Attribution]:
    """Overlapping quotes: the direct reading wins, then the longer, then the earlier."""
    return drop_overlaps(found, key=lambda f: (f.kind is not QuoteKind.direct, -(f.end - f.start), f.start))


def cues_used(st: DocState, direct: dict[int, Attribution]) -> set[int]:
    """The cues (token indexes, as reported speech compares them) of the direct quotes attributed from the
    words before them (“X said: “…””), which reported speech does not read again.

    The cue after a quote (“…,” X said / “… is “limited,” according to X” / “…status.” The ministry said it
    …) stays free: a reported clause around or after the quote may be the real statement, and `combine`
    keeps the direct reading when the clause is only the quote."""
    out: set[int] = set()
    for f in direct.values():
        if f.cue is None or f.rule is QuoteRule.DIRECT_POST:
            continue
        tok = st.ix.tok_at(f.cue[0])
        if tok is not None:
            out.add(tok.i)
    return out

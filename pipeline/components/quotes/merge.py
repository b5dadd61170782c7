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
        inner = [k for k, s in enumerate(segs) if f.start <= s.open_start and s.close_end <= f.end + 1]
        if any(f.start < s.end and s.start < f.end for k, s in enumerate(segs) if k not in inner and k in direct):
            continue
        if any(k in direct and direct[k].rule is not QuoteRule.DIRECT_FLOATING for k in inner):
            # a quote already attributed directly inside this clause: keep the direct reading
            continue
        if inner:
            quoted_words = sum(count_words(ix.text[segs[k].start : segs[k].end]) for k in inner)
            all_words = count_words(ix.text[f.start : f.end])
            f.kind = QuoteKind.mixed if quoted_words * 2 >= all_words else QuoteKind.partial
            consumed.update(inner)
        found.append(f)
    found.extend(f for k, f in direct.items() if k not in consumed)
    return found, consumed


def dedupe(found: list[Attribution]) -> list[Attribution]:
    """Overlapping quotes: the direct reading wins, then the longer, then the earlier."""
    return drop_overlaps(found, key=lambda f: (f.kind is not QuoteKind.direct, -(f.end - f.start), f.start))


def cues_used(direct: dict[int, Attribution]) -> set[int]:
    """The cues the direct quotes took, which reported speech does not use again.

    They are character offsets while reported speech compares token indexes; the records depend on it, so it
    stays until an issue that may change them (noted in #12's report)."""
    return {f.cue[0] for f in direct.values() if f.cue is not None}

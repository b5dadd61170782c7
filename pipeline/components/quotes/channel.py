"""Channel and via: where the words were said (“told CNBC”, “in a statement”, “on X”) and the outlet an
article cites (“according to Reuters”)."""

from __future__ import annotations

from models.records import Label
from pipeline.components.quotes.cues import Cue
from pipeline.components.quotes.results import Attribution
from pipeline.components.quotes.state import DocState


def channel_via(st: DocState, lo: int, hi: int, cue: Cue | None) -> tuple[str | None, str | None]:
    """The channel and the outlet named in the cue's sentence (or tokens `[lo, hi)`)."""
    ix, words = st.ix, st.lex.words
    doc, lower = ix.doc, ix.lower
    n = len(doc)
    sent_lo, sent_hi = lo, hi
    if cue is not None:
        sent = ix.sent_of(cue.start)
        sent_lo, sent_hi = min(lo, sent.start), max(hi, sent.end)
    channel = cue.entry.channel if cue is not None else None
    via = None

    def media_at(k: int) -> str | None:
        idx = ix.tok_mention.get(k) if k < n else None
        if idx is not None and ix.mentions[idx].label is Label.MEDIA:
            return ix.span_text(ix.mentions[idx])
        return None

    for i in range(sent_lo, sent_hi):
        low = lower[i]
        if low not in words.channel_triggers or ix.tok_quoted[i]:
            continue
        # told CNBC / telling Reuters / said in an interview with Bloomberg
        if low in words.tell_words:
            channel = media_at(i + 1) or channel
        elif low in words.setting_words and i + 1 < n:
            j = i + 1
            det = lower[j]
            if det in words.possessive_determiners:
                j += 1
            for ch in st.lex.channels:
                if lower[j : j + len(ch)] == ch:
                    after = j + len(ch)
                    # "in an interview with Bloomberg" -> Bloomberg
                    outlet = media_at(after + 1) if after < n and lower[after] in words.channel_links else None
                    if outlet is not None:
                        channel = outlet
                        break
                    phrase = doc[j : j + len(ch)].text
                    article = "an" if phrase[:1].lower() in "aeiou" else "a"
                    channel = "the interview" if det == "the" and ch == ["interview"] else f"{article} {phrase}"
                    break
            if low == "on" and j == i + 1 and doc[i + 1].text in words.platforms:
                channel = doc[i + 1].text
        elif i + 2 < n and (
            (low == "according" and lower[i + 1] == "to")
            or (low == "reported" and i >= 1 and lower[i - 1] == "as" and lower[i + 1] == "by")
        ):
            via = media_at(i + 2) or via
    return channel, via


def inherit_channels(found: list[Attribution]) -> None:
    """“during the interview” refers back to the interview named before (“told CNBC”)."""
    last: dict[str, str] = {}
    for f in sorted(found, key=lambda f: f.start):
        key = f.speaker.key if f.speaker is not None else ""
        if f.channel == "the interview" and key in last:
            f.channel = last[key]
        elif f.channel == "the interview":
            f.channel = "an interview"
        if f.channel and key:
            last[key] = f.channel

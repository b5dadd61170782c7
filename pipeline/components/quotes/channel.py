"""Channel and via: where the words were said (“told CNBC”, “in a statement”, “on X”) and the outlet an
article cites (“according to Reuters”, “…, Reuters reported”)."""

from __future__ import annotations

from models.records import Label
from pipeline.components.quotes.cues import Cue
from pipeline.components.quotes.results import Attribution
from pipeline.components.quotes.state import DocState
from pipeline.components.quotes.words import DETERMINERS

# words a channel phrase may carry between its determiner and its noun, dropped from the channel
# (“in a separate statement” -> a statement, “during the company's second-quarter earnings call”)
MAX_CHANNEL_MODIFIERS = 5
_POSSESSIVE_MARKS = {"'s", "’s", "-"}


def channel_via(
    st: DocState, lo: int, hi: int, cue: Cue | None, content: tuple[int, int] | None = None
) -> tuple[str | None, str | None]:
    """The channel and the outlet named in the cue's sentence (or tokens `[lo, hi)`), outside the reported
    `content` (characters): “in their phone call” inside what was said is not where it was said."""
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

    if cue is not None and channel is None:
        channel = document_subject(st, cue)
    c_lo, c_hi = content if content is not None else (-1, -1)
    for i in range(sent_lo, sent_hi):
        low = lower[i]
        if low not in words.channel_triggers or ix.tok_quoted[i]:
            continue
        if c_lo < ix.idx[i] < c_hi and not (i > 0 and ix.idx[i - 1] == c_lo and lower[i - 1] in words.speak_words):
            # (a setting that opens the content, “Speaking at a press conference, …”, is still the channel)
            continue
        # told CNBC / telling Reuters / said in an interview with Bloomberg
        if low in words.tell_words:
            channel = media_at(i + 1) or channel
        elif low in words.speak_words:
            # speaking to Yonhap / talking with Bloomberg
            if i + 2 < n and lower[i + 1] in words.channel_links:
                channel = media_at(i + 2) or channel
        elif low in words.setting_words and i + 1 < n:
            found = _channel_phrase(st, i + 1, sent_hi)
            if found is not None:
                channel = found
            elif low == "on":
                j = i + 1
                if lower[j] in words.possessive_determiners and lower[j] not in DETERMINERS and j + 1 < n:
                    j += 1  # “on his Facebook”
                if doc[j].text in words.platforms:
                    channel = doc[j].text
                elif j == i + 1 and (j + 1 >= n or doc[j + 1].text not in _POSSESSIVE_MARKS):
                    # “said on Wednesday on NewsNation”: the outlet it was said on (not “on Reuters' report”)
                    channel = media_at(j) or channel
        elif i + 2 < n and (
            (low == "according" and lower[i + 1] == "to")
            or (low == "reported" and i >= 1 and lower[i - 1] == "as" and lower[i + 1] == "by")
        ):
            if cue is not None and cue.start == i:
                # the outlet the attribution's own “according to” names is its speaker, not a via; a document
                # there is the channel (“according to China's official announcement”)
                channel = _channel_phrase(st, i + 2, sent_hi) or channel
                continue
            k = i + 3 if lower[i + 2] == "the" and i + 3 < n else i + 2  # “as reported by the BBC”
            via = media_at(k) or via
    return channel, via


def _channel_phrase(st: DocState, j: int, hi: int) -> str | None:
    """A channel noun phrase starting at token j (after “in”, “at”, “during”, “on”), as the channel names it:
    its article and noun (“an interview”), or the outlet it names (“in an interview with Bloomberg”,
    “in a Bloomberg interview”)."""
    ix, words = st.ix, st.lex.words
    doc, lower = ix.doc, ix.lower
    n = len(doc)
    det = lower[j]
    has_det = det in words.possessive_determiners
    if has_det:
        j += 1
    elif j in ix.tok_mention and ix.mentions[ix.tok_mention[j]].end < min(hi, n):
        # a possessor is a determiner: “in China's official announcement”
        after_owner = ix.mentions[ix.tok_mention[j]].end
        if lower[after_owner] in ("'s", "’s"):
            j, has_det = after_owner + 1, True
    if j >= n:
        return None
    # skip modifiers after a determiner (“in a separate statement”; not “on such short notice”, “on Tuesday
    # began filing”): plain words, hyphens and possessives, never a clause word or a cue
    outlet = platform = None
    for k in range(j, min(hi, j + (MAX_CHANNEL_MODIFIERS if has_det else 0) + 1)):
        found = _channel_noun_at(st, k)
        if found is not None:
            ch, after = found
            if after < n and lower[after] in words.channel_links:
                # "in an interview with Bloomberg" / "with the Financial Times" -> the outlet
                nxt = after + 2 if after + 2 < n and lower[after + 1] == "the" else after + 1
                idx = ix.tok_mention.get(nxt) if nxt < n else None
                if idx is not None and ix.mentions[idx].label is Label.MEDIA:
                    return ix.span_text(ix.mentions[idx])
            if outlet is not None:
                return outlet
            if platform is not None:
                return platform  # “in a Truth Social post”
            phrase = " ".join(doc[x].text for x in range(after - len(ch), after))
            article = "an" if phrase[:1].lower() in "aeiou" else "a"
            if det == "the" and ch == ["interview"] and k == j:
                return "the interview"
            return f"{article} {phrase}"
        t = doc[k]
        two = f"{t.text} {doc[k + 1].text}" if k + 1 < n else ""
        if t.text in words.platforms or two in words.platforms:
            platform = two if two in words.platforms else t.text
        idx = ix.tok_mention.get(k)
        if idx is not None and ix.mentions[idx].label is Label.MEDIA:
            outlet = ix.span_text(ix.mentions[idx])
            continue
        if idx is not None or t.text in _POSSESSIVE_MARKS:
            continue  # “the company's”, “the ministry's”
        if (
            not t.is_alpha
            or ix.tok_quoted[k]
            or lower[k] in DETERMINERS
            or lower[k] in words.clause_breaks
            or lower[k] in words.setting_words
            or lower[k] in words.role_links
            or lower[k] in st.lex.single
        ):
            return None
    return None


def channel_noun_ends(st: DocState, j: int) -> bool:
    """A channel noun (“statement”, “release”) ends at token j."""
    lower = st.ix.lower
    if not 0 <= j < len(lower):
        return False
    ends_here = st.lex.channels_by_last.get(lower[j], ())
    return any(j - len(ch) + 1 >= 0 and lower[j - len(ch) + 1 : j + 1] == ch for ch in ends_here)


def _channel_noun_at(st: DocState, k: int) -> tuple[list[str], int] | None:
    """The longest channel noun starting at token k, with the token after it."""
    lower = st.ix.lower
    for ch in st.lex.channels_by_first.get(lower[k], ()) if 0 <= k < len(lower) else ():
        if lower[k : k + len(ch)] == ch:
            return ch, k + len(ch)
    return None


def document_subject(st: DocState, cue: Cue) -> str | None:
    """A document standing as the cue's subject is the channel: “the statement added”, “the ministry's
    release said”, “A council statement stressed” -> a statement / a release."""
    ix, words = st.ix, st.lex.words
    k = cue.start - 1
    while k >= 0 and ix.lower[k] in words.skip_between and ix.lower[k] not in DETERMINERS:
        if channel_noun_ends(st, k):
            break
        k -= 1
    if k < 0 or ix.tok_quoted[k]:
        return None
    for ch in st.lex.channels_by_last.get(ix.lower[k], ()) if k < len(ix.lower) else ():
        s = k - len(ch) + 1
        if s >= 0 and ix.lower[s : k + 1] == ch:
            # a determiner or a possessor within a few words before it
            if not any(
                ix.lower[x] in words.possessive_determiners or x in ix.tok_mention for x in range(max(0, s - 4), s)
            ):
                return None
            phrase = ix.doc[s : k + 1].text
            return f"{'an' if phrase[:1].lower() in 'aeiou' else 'a'} {phrase}"
    return None


def outlets_as_via(st: DocState, found: list[Attribution]) -> list[Attribution]:
    """“Reuters reported that the ministry declared …” / “Carney said …, the BBC reported”: when a clause an
    outlet reports holds another attribution, that one's speaker said it and the outlet is its via."""
    text = st.ix.text
    outlets = [f for f in found if f.speaker is not None and f.speaker.label is Label.MEDIA and f.cue is not None]
    if not outlets:
        return found
    dropped: set[int] = set()
    for f in outlets:
        assert f.speaker is not None and f.cue is not None
        inner = [
            g
            for g in found
            if g is not f
            and g.cue is not None
            and g.speaker is not None
            and g.speaker.label is not Label.MEDIA
            and f.start <= g.cue[0] < f.end
            # the other attribution says most of what the outlet reports
            and min(f.end, g.end) - max(f.start, g.start) >= (f.end - f.start) / 2
        ]
        if not inner:
            continue
        outlet = text[f.speaker.mention[0] : f.speaker.mention[1]] if f.speaker.mention else f.speaker.name
        for g in inner:
            g.via = g.via or outlet
            edge = min(f.cue[0], f.speaker.mention[0] if f.speaker.mention else f.cue[0])
            if g.start < edge < g.end:
                # “… approvals, the BBC reported”: the content stops before the outlet's attribution
                cut = text.rfind(",", g.start, edge)
                if cut > g.start:
                    g.end = len(text[:cut].rstrip())
        dropped.add(id(f))
    return [f for f in found if id(f) not in dropped]


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

"""Direct-quote finders: each looks at one marked segment and the words around it and returns a `Hit`
(rule, cue, speaker, channel, via) or None. `FINDERS` is the order they are tried in."""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy.tokens import Token

from models.records import PEOPLE_LABELS, SPEAKER_LABELS, Label, QuoteKind
from pipeline.components.marks import Segment
from pipeline.components.quotes.channel import channel_via
from pipeline.components.quotes.cues import Cue
from pipeline.components.quotes.index import count_words
from pipeline.components.quotes.refs import speaker_from_mention, unlinked
from pipeline.components.quotes.results import Attribution, Hit, SpeakerRef
from pipeline.components.quotes.rules import QuoteRule
from pipeline.components.quotes.speakers import (
    parse_subject,
    speaker_after_cue,
    speaker_before_cue,
    speaker_span_at,
)
from pipeline.components.quotes.state import DocState
from pipeline.components.quotes.words import DETERMINERS, NEXT_SENTENCE, RELATIVE_OPENERS


def after(st: DocState, seg: Segment) -> Hit | None:
    """“…,” X said / said X / X, the minister, added."""
    ix = st.ix
    toks = _clause_after(st, seg)
    if not toks:
        return None
    # only a short attribution clause; a name with its description (“X, senior secretary for economic
    # affairs, said”) may take longer
    reach = 10
    opener = ix.tok_mention.get(toks[0].i)
    if opener is not None and ix.mentions[opener].label in PEOPLE_LABELS:
        close = ix.mentions[opener].end
        if close < len(ix.doc) and ix.doc[close].text == ",":
            reach = 18
    elif toks[0].text[:1].isupper():
        # an unknown name (“Choi Min-ho,”): capitalised words and hyphens up to the comma
        name_end = next((t.i for t in toks[:6] if not (t.text[:1].isupper() or t.text == "-" or t.is_lower)), None)
        if name_end is not None and ix.doc[name_end].text == ",":
            reach = 18
    cues = [c for c in st.cues.within(toks[: reach + 4]) if c.start - toks[0].i <= reach and not c.is_via]
    if not cues:
        return None
    cue = cues[0]
    lo, hi = toks[0].i, toks[-1].i + 1
    first = next((t for t in toks if not t.is_space), toks[0])
    if _ends_sentence(st, seg) and first.text[:1].isupper() and before(st, seg) is not None:
        # “X added, “… .” In response, Y said …”: the next sentence's speaker is not this quote's
        return None
    between = [t.lower_ for t in ix.doc[lo : cue.start]]
    # “…”, and several associations said … : the cue belongs to another clause (a relative clause set off by
    # commas describes the speaker: “…,” Ana Guerrero, who runs a steel mill, said)
    if any(w in st.lex.words.clause_breaks for w in _outside_relative(between)):
        return None
    if count_words(ix.text[seg.start : seg.end]) <= st.opts.max_scare_words and len(between) > 5:
        return None
    sp = speaker_before_cue(st, cue, lo) or _speaker_after_post_cue(st, cue, hi)
    if sp is None and st.parses.enabled:
        sp = parse_subject(st, cue)
    if sp is None:
        sp = _plain_subject(st, lo, cue)
    if sp is None and cue.entry.pos != "PHRASE":
        return None
    channel, via = channel_via(st, lo, hi, cue)
    return Hit(QuoteRule.DIRECT_POST, st.cues.chars(cue), sp, channel, via)


def _speaker_after_post_cue(st: DocState, cue: Cue, hi: int) -> SpeakerRef | None:
    """“…,” said X: the name after the cue. After “told” it is the addressee (“…,” the mogul told People),
    and what follows “on” / “to” / “with” is the channel (“…,” his colleague wrote on Facebook): neither spoke."""
    words = st.ix.lower
    if words[cue.start] in st.lex.words.tell_words:
        return None
    if cue.end < hi and words[cue.end] in st.lex.words.channel_links:
        return None
    return speaker_after_cue(st, cue, hi)


# words of a plain noun phrase between a closing mark and its cue (“the billionaire business mogul told”)
_PLAIN_SUBJECT_WORDS = 6


def _plain_subject(st: DocState, lo: int, cue: Cue) -> SpeakerRef | None:
    """“…,” the billionaire business mogul told People: a lower-case noun phrase opened by a determiner right
    before the cue names an unlinked speaker (the rules know no head word for it)."""
    ix = st.ix
    toks = [t for t in ix.doc[lo : cue.start] if not t.is_space]
    if not 2 <= len(toks) <= _PLAIN_SUBJECT_WORDS or toks[0].lower_ not in st.lex.words.possessive_determiners:
        return None
    if not all(t.is_alpha and t.is_lower for t in toks[1:]) or any(ix.tok_quoted[t.i] for t in toks):
        return None
    if any(t.lower_ in st.lex.words.clause_breaks or st.lex.single.get(t.lower_) for t in toks):
        return None
    return unlinked(ix.tok_chars(toks[0].i, toks[-1].i + 1))


def _outside_relative(words: list[str]) -> list[str]:
    """The words without a relative clause set off by commas (“, who runs a steel mill,”)."""
    out: list[str] = []
    k = 0
    while k < len(words):
        if words[k] in RELATIVE_OPENERS and k > 0 and words[k - 1] == "," and "," in words[k + 1 :]:
            k = words.index(",", k + 1) + 1
            continue
        out.append(words[k])
        k += 1
    return out


def dash(st: DocState, seg: Segment) -> Hit | None:
    """“…” – Commissioner X."""
    ix = st.ix
    doc = ix.doc
    rest = ix.text[seg.close_end : seg.close_end + 4]
    m = re.match(r"\s*([-–—―]{1,2})\s*", rest)
    if not m:
        return None
    dash_start = seg.close_end + m.start(1)
    dash_end = seg.close_end + m.end(1)
    toks = ix.toks_between(dash_end, ix.para_of(seg.start)[1])
    toks = [t for t in toks if not t.is_space]
    if not toks:
        return None
    # a name or title right after the dash, to the line end
    hi = toks[0].i
    while hi < len(doc) and doc[hi].text not in {"\n", "."} and "\n" not in doc[hi].text and hi - toks[0].i < 12:
        hi += 1
    sp = None
    for t in range(toks[0].i, hi):
        idx = ix.tok_mention.get(t)
        if idx is not None and ix.mentions[idx].label in SPEAKER_LABELS:
            sp = speaker_from_mention(ix, idx)
            break
    if sp is None:
        sp = speaker_span_at(st, toks[0].i, toks[0].i, hi, +1)
    if sp is None:
        return None
    # only when the dash clause is an attribution, not a continuing sentence (“…” — and then)
    if toks[0].text[:1].islower() and toks[0].lower_ not in DETERMINERS:
        return None
    return Hit(QuoteRule.DIRECT_DASH, (dash_start, dash_end), sp)


def before(st: DocState, seg: Segment) -> Hit | None:
    """X said: “…” / X told CNBC, “…” / According to X, “…” / X: “…”."""
    ix = st.ix
    toks = _clause_before(st, seg)
    if not toks:
        return None
    lo, hi = toks[0].i, toks[-1].i + 1
    # the cue must be close to the mark: “X said: “…”” / “X told CNBC, “…””
    cues = [c for c in st.cues.within(toks) if hi - c.end <= 6 and not c.is_via and _only_recipient(st, c.end, hi)]
    # the nearest cue that names a speaker: in “X wrote in an email: “…”” the setting phrase “in an email” is a
    # cue of its own, but the speaker stands before the verb
    for cue in reversed(cues):
        sp = _speaker_of_pre_cue(st, cue, lo, hi)
        if sp is not None or cue.entry.lemma == "according to":
            channel, via = channel_via(st, lo, hi, cue)
            return Hit(QuoteRule.DIRECT_PRE, st.cues.chars(cue), sp, channel, via)
    if cues:
        return None
    # “X: “…”” (a colon right after a speaker) — PolNeAR's colon cue
    last = ix.doc[hi - 1]
    if last.text == ":" and hi - 2 >= lo:
        sp = speaker_span_at(st, hi - 2, lo, hi - 1, -1)
        if sp is not None and sp.label in SPEAKER_LABELS:
            return Hit(QuoteRule.DIRECT_COLON, (last.idx, last.idx + 1), sp)
    return None


def _speaker_of_pre_cue(st: DocState, cue: Cue, lo: int, hi: int) -> SpeakerRef | None:
    """The speaker of a cue before an opening mark: after “according to”, else before or after the cue, else
    the parse subject."""
    sp = None
    if cue.entry.lemma == "according to":
        sp = speaker_span_at(st, cue.end, cue.end, hi, +1)
    if sp is None:
        sp = speaker_before_cue(st, cue, lo) or speaker_after_cue(st, cue, hi)
    if sp is None and st.parses.enabled:
        sp = parse_subject(st, cue)
    return sp


def colon_paragraph(st: DocState, seg: Segment) -> Hit | None:
    """“In a statement, the ministry said:” then the quote as the next paragraph."""
    ix = st.ix
    pi = ix.para_index(seg.open_start)
    if pi == 0 or pi >= len(ix.paras) or ix.paras[pi][0] != seg.open_start:
        return None
    ps, pe = ix.paras[pi - 1]
    if not ix.text[ps:pe].rstrip().endswith(":"):
        return None
    toks = ix.toks_between(ps, pe)
    cut = 0
    for j, t in enumerate(toks[:-1]):
        if t.text in {".", "!", "?"}:
            cut = j + 1
    toks = toks[cut:]
    if not toks:
        return None
    lo, hi = toks[0].i, toks[-1].i + 1
    cues = st.cues.within(toks)
    if not cues:
        return None
    cue = cues[-1]
    sp = speaker_before_cue(st, cue, lo) or speaker_after_cue(st, cue, hi)
    if sp is None and st.parses.enabled:
        sp = parse_subject(st, cue)
    channel, via = channel_via(st, lo, hi, cue)
    return Hit(QuoteRule.DIRECT_COLON_PARAGRAPH, st.cues.chars(cue), sp, channel, via)


def next_sentence(st: DocState, seg: Segment) -> Hit | None:
    """“…” The warning came from Whitfield, who …"""
    ix = st.ix
    after_text = ix.text[seg.close_end : seg.close_end + 200]
    m = NEXT_SENTENCE.match(after_text)
    if not m:
        return None
    start = seg.close_end + m.end()
    tok = ix.tok_at(start)
    if tok is None:
        return None
    sp = speaker_span_at(st, tok.i, tok.i, min(len(ix.doc), tok.i + 8), +1)
    if sp is None:
        return None
    came = "came" in after_text[: m.end()]
    cue_s = seg.close_end + m.start() + after_text[m.start() :].find("came") if came else None
    cue = (cue_s, cue_s + 4) if cue_s is not None and cue_s >= seg.close_end else None
    return Hit(QuoteRule.DIRECT_NEXT_SENTENCE, cue, sp)


FINDERS: tuple[Callable[[DocState, Segment], Hit | None], ...] = (after, dash, before, colon_paragraph, next_sentence)


def _clause_after(st: DocState, seg: Segment) -> list[Token]:
    """Tokens after the closing mark up to the end of its sentence or the next opening mark."""
    ix = st.ix
    pe = ix.para_of(seg.start)[1]
    nxt = min([s.open_start for s in ix.segs if s.open_start >= seg.close_end] + [pe, len(ix.text)])
    out = []
    for t in ix.toks_between(seg.close_end, nxt):
        if t.text in {".", "!", "?", ";"} and t.idx >= seg.close_end:
            break
        out.append(t)
    return out


def _ends_sentence(st: DocState, seg: Segment) -> bool:
    """The quoted words end with a full stop, question or exclamation mark inside the marks."""
    return st.ix.text[seg.start : seg.end].rstrip()[-1:] in {".", "!", "?"}


def _clause_before(st: DocState, seg: Segment) -> list[Token]:
    """Tokens from the start of the sentence (or the previous closing mark) to the opening mark."""
    ix = st.ix
    ps = ix.para_of(seg.open_start)[0]
    prev = max([s.close_end for s in ix.segs if s.close_end <= seg.open_start] + [ps])
    toks = ix.toks_between(prev, seg.open_start)
    # cut at the last sentence end before the mark
    cut = 0
    for k, t in enumerate(toks):
        if t.text in {".", "!", "?"} and k < len(toks) - 1:
            cut = k + 1
    return toks[cut:]


def _only_recipient(st: DocState, lo: int, hi: int) -> bool:
    """Between a cue and an opening mark only a recipient and punctuation may stand
    (“told CNBC: “…”” / “said, “…””); anything else makes the quote part of a paraphrase."""
    ix = st.ix
    toks = [t for t in ix.doc[lo:hi] if not t.is_space]
    if not toks or toks[-1].text in {":", ",", "—", "–", "-"}:
        return True
    for t in toks:
        idx = ix.tok_mention.get(t.i)
        if idx is not None and ix.mentions[idx].label is Label.MEDIA:
            continue
        if t.lower_ in st.lex.words.recipient_words or t.text in st.lex.words.platforms:
            continue  # “told reporters:”, “writing on X:”
        return False
    return True


def attribute_segments(st: DocState) -> dict[int, Attribution]:
    """Marked segments the finders attribute, by segment index; their speakers join `st.speakers`."""
    attributed: dict[int, Attribution] = {}
    for k, seg in enumerate(st.ix.segs):
        for finder in FINDERS:
            hit = finder(st, seg)
            if hit is not None:
                attributed[k] = hit.at(seg.start, seg.end, QuoteKind.direct)
                if hit.speaker is not None:
                    st.speakers.append(hit.speaker)
                break
    return attributed

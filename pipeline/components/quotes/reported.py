"""Reported speech: one attribution per clause of a sentence with a cue (“X said that …”, “…, X said.”,
“according to X, …”, “X said it would …”), its content trimmed of the attribution around it."""

from __future__ import annotations

import re
from enum import Enum
from typing import Literal

from spacy.tokens import Span, Token

from models.records import Label, QuoteKind
from pipeline.components.overlap import drop_overlaps
from pipeline.components.quotes.channel import channel_via, outlets_as_via
from pipeline.components.quotes.cues import Cue
from pipeline.components.quotes.results import Attribution, Hit, SpeakerRef
from pipeline.components.quotes.rules import QuoteRule
from pipeline.components.quotes.speakers import (
    is_age,
    parse_subject,
    speaker_after_cue,
    speaker_before_cue,
    speaker_span_at,
    subject_of_sentence,
)
from pipeline.components.quotes.state import DocState
from pipeline.components.quotes.words import (
    CLAUSE_START,
    CLOSING_MARKS,
    DATELINE,
    FINITE_TAGS,
    LEADING_TIME,
    TRIM_MARKS,
)


def reported_in(st: DocState, sent: Span, used_cues: set[int]) -> list[Attribution]:
    """Reported speech in one sentence: one attribution per clause, the first cue that finds one."""
    out: list[Attribution] = []
    cues = [c for c in st.cues.within(sent) if c.start not in used_cues]
    if not cues or is_headline(st, sent):
        return out
    for cue in cues:
        e = cue.entry
        frame = e.lemma in st.lex.words.frame_cues
        if not (e.allows_indirect or frame) or (e.kind == "belief" and not st.opts.belief_cues):
            continue
        clause = _within_paragraph(st, sent, cue)
        f = _frame(st, clause, cue) if frame else _reported_for(st, clause, cue)
        if f is None:
            continue
        if out and out[-1].speaker is not None and st.cues.is_participle(cue) and out[-1].end < f.start:
            # “…, X said, adding that …”: the participle's subject is the speaker of the clause before it
            f.speaker = out[-1].speaker
        out.append(f)
        if f.rule is QuoteRule.INDIRECT_POST:
            more = _continuation(st, clause, cue, f)
            if more is not None:
                out.append(more)
    # keep one attribution per clause: the first cue that found one
    # (an outlet's report of another attribution gives way to it)
    return drop_overlaps(outlets_as_via(st, out), key=lambda f: f.start)


def _within_paragraph(st: DocState, sent: Span, cue: Cue) -> Span:
    """The part of `sent` in the cue's paragraph: a headline the sentence splitter ran into the first
    sentence (one paragraph per line, no final period) is no part of the clause."""
    ix = st.ix
    if "\n" not in ix.text[sent.start_char : sent.end_char]:
        return sent
    ps, pe = ix.para_of(ix.idx[cue.start])
    lo, hi = sent.start, sent.end
    while lo < cue.start and ix.idx[lo] < ps:
        lo += 1
    while hi > cue.end and ix.idx[hi - 1] >= pe:
        hi -= 1
    return sent if (lo, hi) == (sent.start, sent.end) else ix.doc[lo:hi]


def is_headline(st: DocState, sent: Span) -> bool:
    """Headlines and titles (“Rubio Responds To Question By Saying We Need Fewer Philosophers”) hold no
    reported speech: most of their words are capitalised."""
    words = [w for w in st.ix.texts[sent.start : sent.end] if w.isalpha()]
    if len(words) < 4:
        return False
    caps = sum(1 for w in words if w[:1].isupper())
    return caps / len(words) >= 0.7


class _Branch(Enum):
    NO_MATCH = "no match"


# a reading that does not apply to the cue; the next one is tried (a reading that applies settles the cue,
# even when its clause turns out to be no attribution)
NO_MATCH = _Branch.NO_MATCH
Reading = Attribution | None | Literal[_Branch.NO_MATCH]


def _reported_for(st: DocState, sent: Span, cue: Cue) -> Attribution | None:
    if cue.entry.kind == "source":
        # “according to X” / “as reported by X”: the clause before or after the source phrase
        return _according_to(st, sent, cue)
    for reading in (_that_clause, _clause_before_cue, _clause_after_verb):
        found = reading(st, sent, cue)
        if found is not NO_MATCH:
            return found
    return None


# words between a frame cue and the opening mark of its quoted complement (“accused Brussels of waging a “…””)
_FRAME_REACH = 10


def _frame(st: DocState, sent: Span, cue: Cue) -> Attribution | None:
    """X called the waiver a “backdoor” / described it as “watered-down” / accused Y of “…”: the object and
    its quoted complement to the clause end are the quote (its kind comes from the quoted words)."""
    ix = st.ix
    s_lo, s_hi = sent.start, sent.end
    reach = range(cue.end, min(s_hi, cue.end + _FRAME_REACH))
    first = next((x for x in reach if ix.tok_quoted[x]), None)
    if first is None or first == cue.end:
        return None
    # “call it the so-called “chip war””: the marks name a term (a scare quote), they quote nobody
    lead = ix.text[ix.idx[cue.end] : ix.idx[first]].lower()
    if any(m in lead for m in st.lex.words.scare_markers):
        return None
    # “what she called the “abuse””: the description belongs to the quote around it
    if any(w in st.lex.words.embedding_words for w in ix.lower[max(s_lo, cue.start - 3) : cue.start]):
        return None
    sp = speaker_before_cue(st, cue, s_lo) or subject_of_sentence(st, cue, s_lo) or parse_subject(st, cue)
    # the frame ends before the next cue of the sentence (“described it as “…” and said …”)
    end = next((c.start for c in st.cues.within(sent) if c.start >= cue.end), s_hi)
    while end > cue.end and (ix.lower[end - 1] in st.lex.words.clause_breaks or ix.punct[end - 1]):
        if ix.texts[end - 1] in CLOSING_MARKS:
            break
        end -= 1
    content = _trim_end(st, list(ix.doc[cue.end : end]))
    if sp is None or len(content) < 2:
        return None
    return _make(st, content, cue, sp, QuoteRule.INDIRECT_FRAME, sent)


def _according_to(st: DocState, sent: Span, cue: Cue) -> Attribution | None:
    """According to X, CLAUSE  /  CLAUSE, according to X  /  CLAUSE, as reported by X."""
    doc = st.ix.doc
    s_lo, s_hi = sent.start, sent.end
    before = list(doc[s_lo : cue.start])
    sp = speaker_span_at(st, cue.end, cue.end, s_hi, +1)
    if sp is None:
        return None
    # where does X end? at the next comma
    k = cue.end
    while k < s_hi and doc[k].text != ",":
        k += 1
    # “according to customs data / Bloomberg estimates”: figures are no speaker (guidelines 6.1)
    if any(w in st.lex.words.data_nouns for w in st.ix.lower[cue.end : k]):
        return None
    if before and any(not t.is_punct for t in before):
        content = _trim_end(st, before)
        if content and content[-1].text == ",":
            content = content[:-1]
    else:
        content = _trim_end(st, [t for t in doc[k + 1 : s_hi]])
    if sp.label is Label.MEDIA:
        # the outlet is a via for the article's attribution, not a speaker, when another cue is here
        others = [c for c in st.cues.within(sent) if c.start != cue.start and c.entry.kind != "source"]
        if others:
            return None
    return _make(st, content, cue, sp, QuoteRule.INDIRECT_ACCORDING_TO, sent)


def _that_clause(st: DocState, sent: Span, cue: Cue) -> Reading:
    """CUE (object)? that CLAUSE (word lists, not Token objects: this runs for every cue of every sentence)."""
    ix, words = st.ix, st.lex.words
    s_lo, s_hi = sent.start, sent.end
    lower, texts, quoted, punct = ix.lower, ix.texts, ix.tok_quoted, ix.punct
    k = cue.end
    while (
        k < s_hi and k - cue.end < 8 and lower[k] not in CLAUSE_START and texts[k] not in {".", ";"} and not quoted[k]
    ):
        k += 1
    if not (
        k < s_hi
        and lower[k] == "that"
        # only a recipient, a time or a setting may stand between the cue and "that" ("told CNBC on Tuesday
        # that"); "said the warning was indicative that" is a that-less clause with its own "that"
        and all(
            (not punct[x] and (lower[x] in words.before_that or x in ix.tok_mention)) or texts[x] == ","
            for x in range(cue.end, k)
        )
        and not (k + 1 < s_hi and lower[k + 1] in words.not_after_that)
    ):
        return NO_MATCH
    sp = speaker_before_cue(st, cue, s_lo) or subject_of_sentence(st, cue, s_lo) or parse_subject(st, cue)
    if sp is None:
        return NO_MATCH
    content = _trim_end(st, list(ix.doc[k:s_hi]))
    return _make(st, content, cue, sp, QuoteRule.INDIRECT_THAT, sent) if content else NO_MATCH


def _clause_before_cue(st: DocState, sent: Span, cue: Cue) -> Reading:
    """CLAUSE, SPEAKER CUE.   /   CLAUSE, CUE SPEAKER."""
    ix, words = st.ix, st.lex.words
    s_lo, s_hi = sent.start, sent.end
    lower, texts, punct = ix.lower, ix.texts, ix.punct
    # the attribution ends at the sentence end or at a comma after the speaker (“…, X said, adding that …”)
    tail_end = _attribution_end(st, cue, s_hi)
    tail_has_words = not _setting_tail(st, cue.end, tail_end) and any(
        not punct[x]
        and lower[x] not in words.skip_between
        and lower[x] not in words.tail_skip
        and not (x in ix.tok_mention and ix.mentions[ix.tok_mention[x]].label is Label.MEDIA)
        for x in range(cue.end, tail_end)
    )
    comma = next((x for x in range(cue.start - 1, s_lo - 1, -1) if texts[x] == ","), None)
    if comma is not None and comma - 2 > s_lo and texts[comma - 2] == "," and is_age(st, comma - 1):
        # “…, Lena Park, 41, told Reuters”: the clause ends at the comma before the name and its age
        comma = next((x for x in range(comma - 3, s_lo - 1, -1) if texts[x] == ","), None)
    if comma is None or comma <= s_lo:
        return NO_MATCH
    before = speaker_before_cue(st, cue, comma + 1)
    # words after the cue: only a speaker may stand there (“…, said Commerce Secretary X.”); after “X said”
    # they are its that-less clause (“In guidance published by X, the department said the chips …”)
    if tail_has_words and (before is not None or not _speaker_ends_sentence(st, cue, tail_end)):
        return NO_MATCH
    sp = before or speaker_after_cue(st, cue, tail_end)
    if tail_end < s_hi and not _whole_attribution(st, sp, comma + 1, cue):
        # an attribution inside the sentence (“…, the ministry said, adding …”) is only a speaker and its cue
        # between two commas; “… in breach of U.S. rules, because …” is no attribution
        return NO_MATCH
    if sp is None:
        return NO_MATCH
    content = _skip_dateline(st, _trim_end(st, list(ix.doc[s_lo:comma])))
    if content and len(content) >= 4:
        return _make(st, content, cue, sp, QuoteRule.INDIRECT_POST, sent)
    return NO_MATCH


def _setting_tail(st: DocState, lo: int, hi: int) -> bool:
    """The words after a postposed cue are a setting with no verb of its own (“…, he said on a flight to
    Tokyo”, “…, she told reporters at a briefing in Geneva”), not a that-less clause."""
    ix, words = st.ix, st.lex.words
    k = lo
    while k < hi and (ix.lower[k] in words.recipient_words and ix.lower[k] not in words.setting_words):
        k += 1
    if k >= hi or ix.lower[k] not in words.setting_words:
        return False
    if ix.has_tags:
        return not any(ix.doc[x].tag_ in FINITE_TAGS for x in range(k, hi))
    return not any(ix.lower[x] in words.finite_verbs or ix.lower[x] in words.clause_breaks for x in range(k, hi))


def _attribution_end(st: DocState, cue: Cue, s_hi: int) -> int:
    """Where a postposed attribution (“…, the ministry said on Monday”) ends: at the first comma after the
    cue that is followed by more words (a participle cue, a continuation, a gloss), else the sentence end."""
    texts = st.ix.texts
    for x in range(cue.end, s_hi - 1):
        if texts[x] == "," and not st.ix.punct[x + 1]:
            return x
    return s_hi


# words of a speaker phrase that may stand before its mention (“a senior U.S. official”)
_PHRASE_LEAD = 3


def _whole_attribution(st: DocState, sp: SpeakerRef | None, lo: int, cue: Cue) -> bool:
    """The words from `lo` to the cue are the speaker phrase, or the cue opens them (“said X”)."""
    if sp is None or sp.mention is None:
        return False
    if lo == cue.start:
        return True
    first = st.ix.tok_at(sp.mention[0])
    if first is None:
        return False
    # “a senior U.S. official”: a few words of the phrase may stand before the mention the speaker names
    return first.i - lo <= _PHRASE_LEAD and not any(st.ix.punct[lo : first.i])


def _continuation(st: DocState, sent: Span, cue: Cue, first: Attribution) -> Attribution | None:
    """“…, the ministry said, including …” / “…, he said, but …”: the statement goes on after the
    attribution; the rest of the sentence is a second quote with the same cue and speaker. A rest with a cue
    of its own (“, adding that …”) is read from that cue."""
    ix = st.ix
    s_hi = sent.end
    comma = _attribution_end(st, cue, s_hi)
    if comma >= s_hi - 1 or ix.lower[comma + 1] not in st.lex.words.continuation_openers:
        return None
    rest = list(ix.doc[comma + 1 : s_hi])
    if st.cues.within(rest) or first.speaker is None:
        return None
    content = _trim_end(st, rest)
    if len(content) < 4:
        return None
    found = _make(st, content, cue, first.speaker, QuoteRule.INDIRECT_POST, sent)
    if found is not None:
        found.speaker = first.speaker
    return found


def _clause_after_verb(st: DocState, sent: Span, cue: Cue) -> Reading:
    """SPEAKER said (that-less) CLAUSE: “the ministry said it would ...”, from the parse when there is one."""
    ix = st.ix
    doc = ix.doc
    s_lo, s_hi = sent.start, sent.end
    if cue.entry.pos != "VERB" or cue.end >= s_hi:
        return NO_MATCH
    nxt = doc[cue.end]
    ok = nxt.lower_ in st.lex.words.subject_words or (nxt.i in ix.tok_mention and nxt.text[:1].isupper())
    if st.parses.enabled:
        pt = st.parses.token(doc[cue.start])
        if pt is not None:
            ccomp = [c for c in pt.children if c.dep_ == "ccomp" and c.i > pt.i]
            if ccomp:
                c = ccomp[0]
                left = st.parses.doc_token(c.left_edge, sent).i
                right = st.parses.doc_token(c.right_edge, sent).i
                content = _trim_end(st, _skip_time_words(list(doc[left : right + 1])))
                sp = speaker_before_cue(st, cue, s_lo) or parse_subject(st, cue) or subject_of_sentence(st, cue, s_lo)
                if sp is not None and content and len(content) >= 3:
                    return _make(st, content, cue, sp, QuoteRule.INDIRECT_PARSE, sent)
    if not ok or _modifies_noun(st, cue, s_lo):
        return None
    sp = speaker_before_cue(st, cue, s_lo)
    if sp is None and doc[cue.start].lower_.endswith("ing"):
        sp = subject_of_sentence(st, cue, s_lo)
    if sp is None:
        sp = parse_subject(st, cue)
    if sp is None:
        return None
    content = _trim_end(st, _skip_time_words(list(doc[cue.end : s_hi])))
    if content and len(content) >= 4 and _has_finite_verb(st, cue, content):
        return _make(st, content, cue, sp, QuoteRule.INDIRECT_CLAUSE, sent)
    return None


def _modifies_noun(st: DocState, cue: Cue, s_lo: int) -> bool:
    """“exports claiming preferences have jumped”: a participle right after a word (no comma, no “is”/“was”)
    modifies that noun; it reports nobody's statement (“…, saying …” and “was telling …” do)."""
    ix = st.ix
    k = cue.start
    if not ix.lower[k].endswith("ing") or k <= s_lo:
        return False
    return not ix.punct[k - 1] and ix.lower[k - 1] not in st.lex.words.progressive_aux


def _has_finite_verb(st: DocState, cue: Cue, toks: list[Token]) -> bool:
    """A that-less clause after a cue that also takes an object has a verb of its own (“announced the plan
    would …”); “announced the curbs” or “revealed the existence of …” is an object, no clause. Without a
    tagger: an auxiliary or modal. After “said”, “told” and directive “urged” (`clause_cues`) it is not checked."""
    if cue.entry.lemma in st.lex.words.clause_cues:
        return True
    # the verb stands before the first comma: in “announced the curbs last year, prices jumped” it is the
    # next clause's
    head = next((toks[1:k] for k, t in enumerate(toks) if t.text == ","), toks[1:])
    if st.ix.has_tags:
        return any(t.tag_ in FINITE_TAGS for t in head)
    return any(t.lower_ in st.lex.words.finite_verbs for t in head)


def _trim_end(st: DocState, toks: list[Token]) -> list[Token]:
    """Cut a reported clause before trailing “, according to X” / “, as reported by X” / “, X said”."""
    for k, t in enumerate(toks):
        if t.text == "," and k + 1 < len(toks):
            k2 = k + 1
            while k2 < len(toks) - 1 and toks[k2].text in TRIM_MARKS:
                k2 += 1
            nxt = toks[k2].lower_
            two = " ".join(x.lower_ for x in toks[k2 : k2 + 2])
            keep = toks[:k2] if k2 > k + 1 else toks[:k]
            if two in st.lex.words.trim_phrases:
                return keep
            if nxt in st.lex.words.trim_pronouns and k2 + 1 < len(toks) and st.lex.single.get(toks[k2 + 1].lower_):
                return keep
            if nxt in st.lex.words.trim_cues:
                return keep
            if nxt.endswith("ing") and nxt in st.lex.single and st.lex.single[nxt].allows_indirect:
                # “…, adding that …” / “…, saying …”: a participle cue starts a quote of its own
                return keep
    while toks and ((toks[-1].is_punct and toks[-1].text not in CLOSING_MARKS) or toks[-1].is_space):
        toks = toks[:-1]
    return toks


def _skip_time_words(toks: list[Token]) -> list[Token]:
    """“said on Tuesday it would …”: the reported clause starts after the time or setting words."""
    words = " ".join(t.lower_ for t in toks[:6])
    m = LEADING_TIME.match(words)
    if not m or m.end() >= len(words):
        return toks
    n = len(words[: m.end()].split())
    return toks[n:]


def _skip_dateline(st: DocState, toks: list[Token]) -> list[Token]:
    """Drop leading white space and a wire dateline (“WASHINGTON, Feb 11 (Reuters) -”)."""
    while toks and toks[0].is_space:
        toks = toks[1:]
    if not toks:
        return toks
    head = st.ix.text[toks[0].idx : toks[-1].idx + len(toks[-1].text)]
    m = DATELINE.match(head)
    if m:
        cut = toks[0].idx + m.end()
        toks = [t for t in toks if t.idx >= cut]
    return toks


def _speaker_ends_sentence(st: DocState, cue: Cue, s_hi: int) -> bool:
    """“…, said Commerce Secretary X.”: after the cue only a speaker remains."""
    sp = speaker_after_cue(st, cue, s_hi)
    if sp is None or sp.mention is None:
        return False
    doc = st.ix.doc
    end = sp.mention[1]
    rest = st.ix.text[end : doc[s_hi - 1].idx + len(doc[s_hi - 1].text)]
    return not re.sub(r"[\W_]+", "", rest.split(",")[0] if rest.startswith(",") else rest) or bool(
        re.match(r"^\s*[.!?]?\s*$", rest)
    )


def _make(
    st: DocState, content: list[Token], cue: Cue, sp: SpeakerRef, rule: QuoteRule, sent: Span
) -> Attribution | None:
    if not content:
        return None
    s = content[0].idx
    e = content[-1].idx + len(content[-1].text)
    if s >= e:
        return None
    # a quote opened inside the clause closes with it: take the closing mark in (`positions,"`)
    for seg in st.ix.segs:
        if s <= seg.open_start < e < seg.close_end and seg.close_end - e <= 2:
            e = seg.close_end
    # content must not include the cue or the speaker
    c0, c1 = st.cues.chars(cue)
    if s <= c0 < e:
        return None
    if sp.mention is not None and s <= sp.mention[0] < e:
        return None
    channel, via = channel_via(st, sent.start, sent.end, cue, content=(s, e))
    return Hit(rule, (c0, c1), sp, channel, via).at(s, e, QuoteKind.indirect)


def find_reported(st: DocState, used_cues: set[int]) -> list[Attribution]:
    """Reported speech in every sentence; the speakers join `st.speakers` as they are found."""
    out: list[Attribution] = []
    for sent in st.ix.sents:
        found = reported_in(st, sent, used_cues)
        st.speakers.extend(f.speaker for f in found if f.speaker is not None)
        out.extend(found)
    return out

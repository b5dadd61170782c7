"""Quote stage: direct, partial, mixed and indirect attributions linked to resolved speakers.

Passes, each with its own rule id (the `provenance.method` of a quote):

- `direct:post`      “…,” X said / “…,” said X / “…” X added on Tuesday
- `direct:pre`       X said: “…” / X told CNBC, “…” / According to X, “…”
- `direct:dash`      “…” – Commissioner X
- `direct:colon-paragraph`  a paragraph ending in “X said:” before a quoted paragraph
- `direct:floating`  a quoted sentence with no cue inherits the previous quote's speaker
- `direct:next-sentence`   “…” The warning came from X
- `indirect:that`, `indirect:post`, `indirect:according-to`, `indirect:parse` reported speech
  (kind `partial`/`mixed` when the reported clause holds marked words)

Marks are found on the raw string (`marks.py`); cues come from the lexicon (`lexicon/cues.jsonl`);
the dependency parser, when a model is loaded, runs only on sentences that hold a cue or a mark.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from spacy.attrs import DEP, IS_PUNCT, IS_SPACE, LOWER, TAG
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from models.records import Label
from models.rules import CueEntry
from pipeline.components.entities import cached_packs
from pipeline.components.marks import Segment, paragraphs, scan_marks
from pipeline.components.mentions import (
    SPACES_KEY,
    WORDS_KEY,
    Mention,
    compact_view,
    doc_text,
    doc_words,
    has_annotation,
    wrapped_matches,
)
from pipeline.settings import QuoteSettings

if not Doc.has_extension("trade_quotes"):
    Doc.set_extension("trade_quotes", default=None)

PERSONAL = {"he": "m", "she": "f", "him": "m", "her": "f"}
PLURAL_OR_ORG = {"they", "it", "we"}
PEOPLE = (Label.PERSON, Label.OFFICIAL)
ORGS = (Label.COMPANY, Label.AGENCY, Label.COUNTRY, Label.MEDIA)
SPEAKER_LABELS = (*PEOPLE, *ORGS)
_DASHES = {"-", "–", "—", "--", "―"}
_WEEKDAY_WORDS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
# words that may stand between a cue and its "that": recipients, times, settings, adverbs
_BEFORE_THAT = _WEEKDAY_WORDS | {
    "on",
    "last",
    "this",
    "next",
    "week",
    "month",
    "year",
    "night",
    "morning",
    "in",
    "at",
    "during",
    "a",
    "an",
    "the",
    "statement",
    "interview",
    "briefing",
    "conference",
    "news",
    "press",
    "speech",
    "letter",
    "reporters",
    "journalists",
    "him",
    "her",
    "them",
    "us",
    "me",
    "also",
    "again",
    "repeatedly",
    "earlier",
    "later",
    "today",
    "yesterday",
    "recently",
    "publicly",
    "privately",
    "separately",
    "previously",
    "often",
    "has",
    "have",
    "had",
}
_SKIP_BETWEEN = _WEEKDAY_WORDS | {
    "also",
    "later",
    "further",
    "then",
    "previously",
    "earlier",
    "again",
    "has",
    "have",
    "had",
    "would",
    "will",
    "once",
    "recently",
    "repeatedly",
    "separately",
    "publicly",
    "privately",
    "reportedly",
    "last",
    "week",
    "on",
    "yesterday",
    "today",
    "quickly",
    "flatly",
    "bluntly",
    "simply",
    "only",
    "just",
    "however",
    "meanwhile",
    "been",
    "is",
    "was",
    "were",
    "are",
    "did",
    "does",
    "do",
    "not",
    "n't",
    "never",
    "subsequently",
    "first",
    "in",
    "an",
    "a",
    "the",
    "interview",
    "statement",
}
_CLAUSE_START = {"that"}
_CHANNEL_TRIGGERS = {"told", "telling", "tells", "tell", "in", "at", "during", "on", "according", "reported"}
_WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_LEADING_TIME = re.compile(
    rf"^(?:(?:on )?(?:{_WEEKDAYS})|yesterday|today|tonight|earlier|later|(?:last|this|next) (?:week|month|year)"
    r"|in an? (?:statement|interview))(?: ,)? "
)
# “that same day”, “that week”: a determiner, not the start of a reported clause
_NOT_AFTER_THAT = {"same", "day", "week", "month", "year", "time", "night", "morning", "evening", "is", "was", ",", "."}
_DATELINE_PLACE = re.compile(r"^\s*([A-Z][A-Z .'’-]{1,40})(?:,\s*([A-Z][A-Za-z .'-]{1,30}))?,\s+[A-Z0-9]")
# Penn tags of adverbs, modals and particles that may stand between a speaker and the cue ("has also said")
_ADVERB_AUX_TAGS = {"RB", "RBR", "RBS", "MD", "RP", "TO"}
_DATELINE = re.compile(
    r"^[A-Z][A-Z .,'/-]{2,40},\s+(?:[A-Z][a-z]{2,8}\.? \d{1,2}|\d{1,2} [A-Z][a-z]+)?\s*(?:\([A-Za-z ]+\))?\s*[-–—]+\s*"
)
_CLAUSE_BREAKS = {
    "and",
    "but",
    "or",
    "while",
    "which",
    "who",
    "that",
    "because",
    "after",
    "before",
    "when",
    "as",
    "if",
    "although",
    "though",
    "where",
    "so",
}
_SUBJECT_WORDS = {"he", "she", "it", "they", "we", "i", "you", "the", "this", "these", "those", "china", "beijing"}


def unlinked_speaker(
    mention: tuple[int, int] | None, *, name: str | None = None, title: str | None = None, anonymous: bool = False
) -> dict[str, Any]:
    """A speaker that points at no entity mention: a pronoun with no antecedent, an unknown name, a role,
    an unnamed source (`anonymous`)."""
    sp: dict[str, Any] = {
        "mention": mention,
        "mention_index": None,
        "name": name,
        "canonical_id": None,
        "label": None,
        "title": title,
    }
    if anonymous:
        sp["anonymous"] = True
    return sp


@dataclass
class Found:
    """One attribution, in character offsets, before it becomes a `Quote` model."""

    start: int
    end: int
    kind: str
    rule: str
    score: float
    cue: tuple[int, int] | None = None
    speaker: dict[str, Any] | None = None
    channel: str | None = None
    via: str | None = None
    group: int | None = None
    segs: list[Segment] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "kind": self.kind,
            "rule": self.rule,
            "score": self.score,
            "cue": self.cue,
            "speaker": self.speaker,
            "channel": self.channel,
            "via": self.via,
        }


@dataclass
class Cue:
    start: int  # token index
    end: int
    entry: CueEntry


class TradeQuotes:
    """Find attributions; see the module docstring for the passes."""

    def __init__(
        self,
        nlp: Language,
        name: str,
        *,
        rules_dirs: list[str],
        belief_cues: bool,
        max_scare_words: int,
        float_paragraphs: int,
        parse: bool,
    ):
        self.name = name
        packs = cached_packs(tuple(rules_dirs))
        assert packs.patterns is not None
        self.lex = packs.patterns
        self.belief = belief_cues
        self.max_scare = max_scare_words
        self.float_paragraphs = float_paragraphs
        self.single: dict[str, CueEntry] = {}
        phrases: list[tuple[str, CueEntry]] = []
        for c in packs.cues:
            if c.kind == "belief" and not belief_cues:
                continue
            for f in {c.lemma, *c.forms}:
                if " " in f:
                    phrases.append((f, c))
                else:
                    self.single.setdefault(f, c)
        self.phrase_entry: dict[str, CueEntry] = {}
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        for f, c in phrases:
            key = f"CUE::{f}"
            self.phrase_entry[key] = c
            self.phrases.add(key, [nlp.make_doc(f)])
        self.titles = {t.title.lower(): t for t in packs.titles}
        # anonymous-source phrases, longest first, by their first and by their last word (lookups at a word)
        self.anon_by_first: dict[str, list[list[str]]] = {}
        self.anon_by_last: dict[str, list[list[str]]] = {}
        for phrase in sorted((a.split() for a in self.lex.anonymous_sources), key=len, reverse=True):
            self.anon_by_first.setdefault(phrase[0], []).append(phrase)
            self.anon_by_last.setdefault(phrase[-1], []).append(phrase)
        self.nominals = {k.lower(): v for k, v in self.lex.nominal_heads.items()}
        self.channels = sorted((c.split() for c in self.lex.channel_nouns), key=len, reverse=True)
        self.stop = set(self.lex.name_stopwords)
        # dateline city or country -> the country entry (“SEOUL, March 11 -” -> South Korea)
        self.place_country: dict[str, Any] = {}
        for le in packs.by_label(Label.COUNTRY):
            for form in le.entry.surface_forms():
                self.place_country.setdefault(form.lower(), le.entry)
        self.parser = nlp.get_pipe("parser") if parse and "parser" in nlp.component_names else None
        self.parse_enabled = self.parser is not None

    # ------------------------------------------------------------------ entry point
    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        mentions: list[Mention] = doc._.trade_mentions or []
        scan = scan_marks(text)
        segs = [s for s in scan.segments if s.end > s.start and text[s.start : s.end].strip()]
        ctx = _Context(doc, mentions, segs, paragraphs(text), self)
        found: list[Found] = []
        used_cues: set[int] = set()
        # 1. marked segments: direct quotes
        attributed: dict[int, Found] = {}
        for k, seg in enumerate(segs):
            f = self._attribute_segment(ctx, seg, k)
            if f is not None:
                attributed[k] = f
                if f.speaker is not None:
                    ctx.speakers_so_far.append(f.speaker)
        # a group (continued paragraphs) shares the attribution any of its segments found
        by_group: dict[int, Found] = {}
        for k, f in attributed.items():
            by_group.setdefault(segs[k].group, f)
        for k, seg in enumerate(segs):
            if k not in attributed and seg.group in by_group and seg.group >= 0:
                src = by_group[seg.group]
                attributed[k] = Found(
                    seg.start,
                    seg.end,
                    "direct",
                    "direct:continuation",
                    0.8,
                    src.cue,
                    src.speaker,
                    src.channel,
                    src.via,
                    seg.group,
                    [seg],
                )
        # floating quotes: a quoted sentence with no cue takes the previous quote's speaker
        for k, seg in enumerate(segs):
            if k in attributed or self._words(text[seg.start : seg.end]) <= self.max_scare:
                continue
            f = self._floating(ctx, seg, k, attributed)
            if f is not None:
                attributed[k] = f
        # 2. reported speech (and partial/mixed quotes inside it)
        for f in attributed.values():
            if f.cue is not None:
                used_cues.add(f.cue[0])
        indirect = self._indirect(ctx, used_cues)
        consumed: set[int] = set()
        for f in indirect:
            inner = [k for k, s in enumerate(segs) if f.start <= s.open_start and s.close_end <= f.end + 1]
            overlapping_direct = [k for k in inner if k in attributed and attributed[k].rule != "direct:floating"]
            if any(
                f.start < s.end and s.start < f.end for k, s in enumerate(segs) if k not in inner and k in attributed
            ):
                continue
            if overlapping_direct:
                # a quote already attributed directly inside this clause: keep the direct reading
                continue
            if inner:
                qwords = sum(self._words(text[segs[k].start : segs[k].end]) for k in inner)
                allw = self._words(text[f.start : f.end])
                f.kind = "mixed" if qwords * 2 >= allw else "partial"
                consumed.update(inner)
            found.append(f)
        for k, f in attributed.items():
            if k not in consumed:
                found.append(f)
        # long quotes nobody is named for are still quotes (speaker null)
        for k, seg in enumerate(segs):
            if k in attributed or k in consumed or not seg.closed:
                continue
            if self._words(text[seg.start : seg.end]) >= 8 and not ctx.is_title_case(seg):
                found.append(Found(seg.start, seg.end, "direct", "direct:unattributed", 0.3, segs=[seg]))
        found = self._dedupe(found)
        self._channel_inheritance(found)
        doc._.trade_quotes = [f.as_dict() for f in sorted(found, key=lambda f: (f.start, f.end))]
        # per-document caches of the stages; nothing downstream reads them
        doc.user_data.pop("trade_compact", None)
        doc.user_data.pop("trade_dateline_end", None)
        doc.user_data.pop("trade_places", None)
        doc.user_data.pop(WORDS_KEY, None)
        doc.user_data.pop(SPACES_KEY, None)
        # the text itself (TEXT_KEY) stays for the record builder
        return doc

    def dateline_country(self, text: str) -> dict[str, Any] | None:
        """The country of a wire dateline, as a speaker without a mention."""
        m = _DATELINE_PLACE.match(text)
        if not m:
            return None
        for part in (m.group(2), m.group(1)):
            entry = self.place_country.get((part or "").strip().lower())
            if entry is not None:
                return {
                    "mention": None,
                    "mention_index": None,
                    "name": entry.name,
                    "canonical_id": entry.id,
                    "label": Label.COUNTRY.value,
                    "title": None,
                }
        return None

    # ------------------------------------------------------------------ helpers
    @staticmethod
    def _words(s: str) -> int:
        return len(re.findall(r"\w+", s))

    def cue_at(self, doc: Doc, tok: Token, has_tags: bool) -> CueEntry | None:
        entry = self.single.get(tok.lower_)
        if entry is None:
            return None
        if has_tags:
            if not tok.tag_.startswith("VB"):
                return None
        elif tok.lower_ == entry.lemma and entry.lemma not in ("say", "tell", "add", "warn", "insist"):
            # without a tagger a bare lemma ("note", "report", "post") is too often a noun
            return None
        return entry

    def _attribute_segment(self, ctx: _Context, seg: Segment, k: int) -> Found | None:
        for finder in (ctx.after, ctx.dash, ctx.before, ctx.colon_paragraph, ctx.next_sentence):
            res = finder(seg, k)
            if res is not None:
                rule, score, cue, speaker, channel, via = res
                return Found(seg.start, seg.end, "direct", rule, score, cue, speaker, channel, via, seg.group, [seg])
        return None

    def _floating(self, ctx: _Context, seg: Segment, k: int, attributed: dict[int, Found]) -> Found | None:
        prev = [j for j in attributed if j < k and attributed[j].speaker is not None]
        if not prev:
            return None
        j = max(prev)
        src = attributed[j]
        p_seg, p_src = ctx.para_index(seg.start), ctx.para_index(ctx.segs[j].close_end)
        if p_seg - p_src > self.float_paragraphs:
            return None
        # the quoted text must open its sentence: "“…” " at sentence start
        sent = ctx.sent_of_char(seg.open_start)
        para_start = ctx.para_of(seg.open_start)[0]
        opens_paragraph = not ctx.text[para_start : seg.open_start].strip()
        # the text before the mark ends a sentence (“…,” he said. “…”), whatever the sentencizer made of it
        ends_sentence = bool(re.search(r"[.!?:]\s*$", ctx.text[max(0, seg.open_start - 200) : seg.open_start]))
        if (
            not opens_paragraph
            and not ends_sentence
            and sent is not None
            and ctx.text[sent.start_char : seg.open_start].strip()
        ):
            return None
        # no other person named in between (outside quotes); names in the previous quote's own attribution
        # sentence (“…,” Sanders campaign manager Jeff Weaver said.) do not count
        lo, hi = ctx.segs[j].close_end, seg.open_start
        prev_tok = ctx.tok_at(max(lo - 1, 0))
        if prev_tok is not None:
            lo = max(lo, ctx.sent_of(prev_tok.i).end_char)
        for m in ctx.mentions:
            s, e = ctx.char(m)
            if lo <= s and e <= hi and m.label in PEOPLE and not ctx.in_quote(s):
                sp = src.speaker or {}
                if (m.canonical_id or m.canonical_name) != (sp.get("canonical_id") or sp.get("name")):
                    return None
        return Found(
            seg.start,
            seg.end,
            "direct",
            "direct:floating",
            0.6,
            src.cue,
            src.speaker,
            src.channel,
            src.via,
            seg.group,
            [seg],
        )

    def _indirect(self, ctx: _Context, used_cues: set[int]) -> list[Found]:
        out: list[Found] = []
        for sent in ctx.sents:
            found = ctx.indirect_in(sent, used_cues)
            ctx.speakers_so_far.extend(f.speaker for f in found if f.speaker is not None)
            out.extend(found)
        return out

    @staticmethod
    def _dedupe(found: list[Found]) -> list[Found]:
        """Overlapping quotes: the direct reading wins, then the longer, then the earlier."""
        order = sorted(found, key=lambda f: (f.kind != "direct", -(f.end - f.start), f.start))
        kept: list[Found] = []
        for f in order:
            if any(f.start < g.end and g.start < f.end for g in kept):
                continue
            kept.append(f)
        return kept

    @staticmethod
    def _channel_inheritance(found: list[Found]) -> None:
        """“during the interview” refers back to the interview named before (“told CNBC”)."""
        last: dict[str, str] = {}
        for f in sorted(found, key=lambda f: f.start):
            key = (f.speaker or {}).get("canonical_id") or (f.speaker or {}).get("name") or ""
            if f.channel == "the interview" and key in last:
                f.channel = last[key]
            elif f.channel == "the interview":
                f.channel = "an interview"
            if f.channel and key:
                last[key] = f.channel


class _Context:
    """Per-document lookups shared by the passes."""

    def __init__(
        self, doc: Doc, mentions: list[Mention], segs: list[Segment], paras: list[tuple[int, int]], comp: TradeQuotes
    ):
        self.doc = doc
        self.text = doc_text(doc)
        self.mentions = mentions
        self.segs = segs
        self.paras = paras
        self.comp = comp
        self.has_tags = has_annotation(doc, TAG)
        self.mention_at_start = {m.start: i for i, m in enumerate(mentions)}
        self.mention_at_end = {m.end: i for i, m in enumerate(mentions)}
        self.tok_mention: dict[int, int] = {}
        for i, m in enumerate(mentions):
            for t in range(m.start, m.end):
                self.tok_mention[t] = i
        # characters inside quote contents (marks included) are never cues or speakers
        self.quoted = [(s.open_start, s.close_end) for s in segs]
        # sentence lookups are per token and frequent: index them once (Token.sent scans the doc)
        self.sents = list(doc.sents)
        self.sent_idx = [0] * len(doc)
        for k, sent in enumerate(self.sents):
            self.sent_idx[sent.start : sent.end] = [k] * (sent.end - sent.start)
        strings = doc.vocab.strings
        self.lower = [strings[x] for x in doc.to_array(LOWER).tolist()] if len(doc) else []
        self.texts = doc_words(doc)  # shared with the entity stage when it read the doc's own words
        # punctuation or white space, per token
        flags = doc.to_array([IS_PUNCT, IS_SPACE]) if len(doc) else None
        self.punct = ((flags[:, 0] + flags[:, 1]) != 0).tolist() if flags is not None else []
        self.tok_quoted = [False] * len(doc)
        for qs, qe in self.quoted:
            quoted_span = doc.char_span(qs, qe, alignment_mode="expand")
            if quoted_span is not None:
                for qt in quoted_span:
                    if qs <= qt.idx < qe:
                        self.tok_quoted[qt.i] = True
        self.phrase_cues: dict[int, Cue] = {}
        matches = list(comp.phrases(doc))
        view = compact_view(doc)
        if view is not None:
            matches += wrapped_matches(doc, comp.phrases(view[0]))
        for key, s, e in matches:
            entry = comp.phrase_entry[doc.vocab.strings[key]]
            if s not in self.phrase_cues or e - s > self.phrase_cues[s].end - self.phrase_cues[s].start:
                self.phrase_cues[s] = Cue(s, e, entry)
        single = comp.single
        self.cue_positions = sorted({i for i, w in enumerate(self.lower) if w in single} | set(self.phrase_cues))
        self._parsed: dict[int, Doc] = {}
        self.speakers_so_far: list[dict[str, Any]] = []
        self.home_country = comp.dateline_country(self.text)

    # ---------------------------------------------------------------- geometry
    def char(self, m: Mention) -> tuple[int, int]:
        return self.doc[m.start].idx, self.doc[m.end - 1].idx + len(self.doc[m.end - 1].text)

    def in_quote(self, c: int) -> bool:
        return any(s <= c < e for s, e in self.quoted)

    def tok_in_quote(self, t: Token) -> bool:
        return self.tok_quoted[t.i]

    def para_index(self, c: int) -> int:
        for i, (s, e) in enumerate(self.paras):
            if s <= c < e:
                return i
        return len(self.paras)

    def para_of(self, c: int) -> tuple[int, int]:
        for s, e in self.paras:
            if s <= c < e:
                return s, e
        return 0, len(self.text)

    def sent_of_char(self, c: int) -> Span | None:
        tok = self.tok_at(c)
        return self.sent_of(tok.i) if tok is not None else None

    def sent_of(self, i: int) -> Span:
        return self.sents[self.sent_idx[i]]

    def tok_at(self, c: int) -> Token | None:
        span = self.doc.char_span(c, min(c + 1, len(self.text)), alignment_mode="expand")
        if span is None or len(span) == 0:
            return None
        return span[0]

    def toks_between(self, lo: int, hi: int) -> list[Token]:
        """Tokens whose start is in [lo, hi) (character offsets)."""
        if hi <= lo:
            return []
        span = self.doc.char_span(lo, hi, alignment_mode="expand")
        if span is None:
            return []
        return [t for t in span if lo <= t.idx < hi]

    def is_title_case(self, seg: Segment) -> bool:
        words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", self.text[seg.start : seg.end])]
        small = {"of", "the", "and", "in", "on", "for", "a", "an", "to", "at", "by"}
        return bool(words) and all(w[0].isupper() or w.lower() in small for w in words)

    # ---------------------------------------------------------------- cues
    def cue_in(self, toks: Iterable[Token]) -> list[Cue]:
        """Cues among `toks` (a Span or a token list), outside quotes, phrases first."""
        if isinstance(toks, Span):
            # only the words that may start a cue, found once per document (most words of a sentence are not)
            pos = self.cue_positions
            idxs: Iterable[int] = pos[bisect_left(pos, toks.start) : bisect_left(pos, toks.end)]
        else:
            idxs = [t.i for t in toks]
        out: list[Cue] = []
        covered: set[int] = set()
        candidates: list[int] = []
        lower, quoted, single = self.lower, self.tok_quoted, self.comp.single
        for i in idxs:
            if quoted[i]:
                continue
            c = self.phrase_cues.get(i)
            if c is not None:
                out.append(c)
                covered.update(range(c.start, c.end))
            # word lookups on plain strings first: Token objects only for the few possible cues
            if lower[i] in single:
                candidates.append(i)
        for i in candidates:
            if i in covered:
                continue
            entry = self.comp.cue_at(self.doc, self.doc[i], self.has_tags)
            if entry is not None:
                out.append(Cue(i, i + 1, entry))
        return sorted(out, key=lambda c: c.start)

    # ---------------------------------------------------------------- speakers
    def speaker_from_mention(self, idx: int, mention_tokens: tuple[int, int] | None = None) -> dict[str, Any]:
        m = self.mentions[idx]
        s, e = self.char(m)
        if mention_tokens is not None:
            s = self.doc[mention_tokens[0]].idx
            last = self.doc[mention_tokens[1] - 1]
            e = last.idx + len(last.text)
        return {
            "mention": (s, e),
            "mention_index": idx,
            "name": m.canonical_name,
            "canonical_id": m.canonical_id,
            "label": m.label.value,
            "title": self.title_for(m),
        }

    def title_for(self, m: Mention) -> str | None:
        key = m.canonical_id or m.canonical_name
        if m.attrs.get("title"):
            return str(m.attrs["title"])
        for o in self.mentions:
            if (o.canonical_id or o.canonical_name) == key and o.attrs.get("title"):
                return str(o.attrs["title"])
        return None

    def resolve_pronoun(self, tok: Token) -> dict[str, Any] | None:
        word = tok.lower_
        gender = PERSONAL.get(word)
        want: tuple[Label, ...] = PEOPLE if word in PERSONAL else ORGS if word == "it" else (*PEOPLE, *ORGS)
        if word in {"it", "they"}:
            # “it said” most often continues the organisation that spoke last, not the last country named
            for sp_prev in reversed(self.speakers_so_far):
                if (
                    sp_prev.get("mention_index") is not None
                    and sp_prev.get("label")
                    in {Label.COMPANY.value, Label.AGENCY.value, Label.MEDIA.value, Label.COUNTRY.value}
                    and self.mentions[sp_prev["mention_index"]].end <= tok.i
                ):
                    sp = dict(sp_prev)
                    sp["mention"] = (tok.idx, tok.idx + len(tok.text))
                    return sp
            if word == "they":
                return unlinked_speaker((tok.idx, tok.idx + len(tok.text)))
            want = (Label.COMPANY, Label.AGENCY, Label.MEDIA)
        candidates: list[int] = []
        for i in range(len(self.mentions) - 1, -1, -1):
            m = self.mentions[i]
            if m.end > tok.i or m.label not in want:
                continue
            if self.tok_quoted[m.start] and m.label in PEOPLE:
                continue
            g = m.attrs.get("gender")
            if gender and g and g != gender:
                continue
            if word == "they" and m.label in PEOPLE:
                continue
            candidates.append(i)
            if len(candidates) >= 4:
                break
        if candidates:
            # “he” continues the subject: the latest candidate that opens its sentence's people, else the nearest
            # (“Biden rubbished Trump's claim. … he said” -> Biden)
            best = next((i for i in candidates if self._first_of_kind_in_sentence(i)), candidates[0])
            sp = self.speaker_from_mention(best)
            sp["mention"] = (tok.idx, tok.idx + len(tok.text))
            return sp
        return unlinked_speaker((tok.idx, tok.idx + len(tok.text)))

    def _first_of_kind_in_sentence(self, idx: int) -> bool:
        m = self.mentions[idx]
        sent = self.sent_of(m.start)
        kinds = PEOPLE if m.label in PEOPLE else ORGS
        for k in range(sent.start, m.start):
            j = self.tok_mention.get(k)
            if j is not None and self.mentions[j].label in kinds and not self.tok_quoted[k]:
                return False
        return True

    def resolve_nominal(self, start: int, end: int, head: str) -> dict[str, Any]:
        """“the company” -> the nearest preceding mention whose label the head can refer to."""
        labels = [Label(x) for x in self.comp.nominals.get(head, [])]
        title = self.comp.titles.get(head)
        span_chars = (self.doc[start].idx, self.doc[end - 1].idx + len(self.doc[end - 1].text))
        if head == "government" and self.home_country is not None:
            # “the government” of a Seoul-datelined story is South Korea's
            return {**self.home_country, "mention": span_chars}
        # the most salient earlier mention that fits: a speaker of an earlier quote, then the most mentioned,
        # then the nearest (“The company said” after a list of rivals still means the story's company)
        fits: list[int] = []
        for i in range(len(self.mentions) - 1, -1, -1):
            m = self.mentions[i]
            if m.end > start:
                continue
            ok = m.label in labels
            if title is not None and m.label in PEOPLE:
                t = (self.title_for(m) or "").lower()
                ok = head in t
            if ok:
                fits.append(i)
        if fits:

            def key_of(i: int) -> str:
                return self.mentions[i].canonical_id or self.mentions[i].canonical_name

            counts: dict[str, int] = {}
            for i in fits:
                counts[key_of(i)] = counts.get(key_of(i), 0) + 1
            best = max(fits, key=lambda i: (counts[key_of(i)], i))
            sp = self.speaker_from_mention(best)
            sp["mention"] = span_chars
            return sp
        return unlinked_speaker(span_chars)

    def speaker_span_at(self, i: int, lo: int, hi: int, direction: int) -> dict[str, Any] | None:
        """A speaker starting (direction=+1) or ending (direction=-1) at token i."""
        doc = self.doc
        if not (lo <= i < hi):
            return None
        tok = doc[i]
        if self.tok_in_quote(tok):
            return None
        # an entity mention
        idx = self.tok_mention.get(i)
        if idx is not None:
            m = self.mentions[idx]
            if m.label in SPEAKER_LABELS:
                return self.speaker_from_mention(idx)
        if tok.lower_ in PERSONAL or tok.lower_ in PLURAL_OR_ORG:
            return self.resolve_pronoun(tok)
        # "a spokesperson for Huawei", "a Huawei spokesperson", anonymous sources, "the company"
        res = self.nominal_forward(i, hi) if direction > 0 else self.nominal_backward(i, lo)
        if res is not None:
            return res
        # an unknown capitalised name, without the title in front of it (“Congressman Ethan Brandt”)
        if direction > 0:
            while i + 1 < hi and (self.lower[i] in self.comp.titles or self.lower[i] in {"mr.", "ms.", "mrs.", "dr."}):
                i += 1
            tok = doc[i]
        if tok.text[:1].isupper() and tok.is_alpha and tok.text not in self.comp.stop:
            j0, j1 = i, i + 1
            if direction > 0:
                while j1 < hi and doc[j1].text[:1].isupper() and doc[j1].is_alpha and j1 - j0 < 4:
                    j1 += 1
            else:
                while (
                    j0 - 1 >= lo
                    and doc[j0 - 1].text[:1].isupper()
                    and doc[j0 - 1].is_alpha
                    and j1 - j0 < 4
                    and doc[j0 - 1].text not in self.comp.stop
                    and self.lower[j0 - 1] not in self.comp.titles
                ):
                    j0 -= 1
            s, e = doc[j0].idx, doc[j1 - 1].idx + len(doc[j1 - 1].text)
            return unlinked_speaker((s, e), name=self.text[s:e])
        return None

    def _anon_at(self, i: int, forward: bool) -> tuple[int, int] | None:
        words = self.lower
        if not 0 <= i < len(words):
            return None
        by_edge = self.comp.anon_by_first if forward else self.comp.anon_by_last
        for phrase in by_edge.get(words[i], ()):
            n = len(phrase)
            s = i if forward else i - n + 1
            if s < 0 or s + n > len(words):
                continue
            if words[s : s + n] == phrase:
                # grow over a number or determiner before ("two people familiar with ...")
                if s > 0 and (
                    self.doc[s - 1].like_num or self.doc[s - 1].lower_ in {"several", "some", "three", "two"}
                ):
                    s -= 1
                return s, s + n
        return None

    def nominal_forward(self, i: int, hi: int) -> dict[str, Any] | None:
        doc = self.doc
        anon = self._anon_at(i, True)
        if anon is not None:
            s, e = anon
            return self._anon_speaker(s, e)
        if doc[i].lower_ in {"a", "an", "the", "one"} and i + 1 < hi:
            j = i + 1
            nominal: tuple[str, int] | None = None
            # "a spokesperson for Huawei", "a Foreign Ministry official", "a Huawei spokesperson", "the company":
            # the last role word of the phrase is its head, so keep reading past "Ministry" to "official"
            while j < hi and j - i < 6 and not doc[j].is_punct and doc[j].lower_ not in _CLAUSE_BREAKS:
                head = doc[j].lower_
                two = f"{doc[j].lower_} {doc[j + 1].lower_}" if j + 1 < hi else ""
                if two in self.comp.titles or head in self.comp.titles:
                    end = j + (2 if two in self.comp.titles else 1)
                    return self._role_speaker(i, end, hi, doc[j:end].text)
                if nominal is None and (head in self.comp.nominals or two in self.comp.nominals):
                    key = two if two in self.comp.nominals else head
                    nominal = (key, j + (2 if two in self.comp.nominals else 1))
                j += 1
            if nominal is not None and doc[i].lower_ == "the":
                return self.resolve_nominal(i, nominal[1], nominal[0])
        return None

    def nominal_backward(self, i: int, lo: int) -> dict[str, Any] | None:
        doc = self.doc
        anon = self._anon_at(i, False)
        if anon is not None:
            return self._anon_speaker(*anon)
        # walk back to a determiner: "the company", "a Huawei spokesperson", "a spokesperson for Huawei"
        j = i
        while j >= lo and i - j < 6 and not doc[j].is_punct:
            if doc[j].lower_ in {"a", "an", "the", "one"}:
                return self.nominal_forward(j, i + 1)
            j -= 1
        return None

    def _anon_speaker(self, s: int, e: int) -> dict[str, Any]:
        cs, ce = self.doc[s].idx, self.doc[e - 1].idx + len(self.doc[e - 1].text)
        return unlinked_speaker((cs, ce), anonymous=True)

    def _role_speaker(self, start: int, title_end: int, hi: int, title: str) -> dict[str, Any]:
        """“a spokesperson for Huawei” -> speaker Huawei with title spokesperson."""
        doc = self.doc
        org_idx = None
        end = title_end
        if end < hi and doc[end].lower_ in {"for", "at", "of", "with"} and end + 1 < hi:
            k = end + 1
            if doc[k].lower_ == "the" and k + 1 < hi:
                k += 1
            org_idx = self.tok_mention.get(k)
            if org_idx is not None:
                end = self.mentions[org_idx].end
        if org_idx is None:
            for t in range(start, title_end):
                if t in self.tok_mention:
                    org_idx = self.tok_mention[t]
        cs, ce = doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)
        if org_idx is not None:
            sp = self.speaker_from_mention(org_idx)
            sp["mention"] = (cs, ce)
            sp["title"] = title
            return sp
        return unlinked_speaker((cs, ce), title=title)

    def speaker_before_cue(self, cue: Cue, lo: int) -> dict[str, Any] | None:
        """Subject to the left of the cue: “X said”, “X, the minister, said”, “X also told”.

        A participial cue (“…, saying”, “…, telling CNBC”) takes the subject of its sentence instead.
        """
        doc = self.doc
        if self.is_participle(cue):
            return self.subject_of_sentence(cue, lo)
        i = cue.start - 1
        while i >= lo:
            t = doc[i]
            if t.is_space or t.lower_ in _SKIP_BETWEEN or (self.has_tags and t.tag_ in _ADVERB_AUX_TAGS):
                i -= 1
                continue
            if t.text == ")" and i - 1 >= lo:
                # “Gov. John Kasich (R-OH), said”: step over the parenthesis to the name
                j = i - 1
                while j >= lo and doc[j].text != "(" and i - j < 8:
                    j -= 1
                if j > lo and doc[j].text == "(":
                    i = j - 1
                    continue
                return None
            if t.lower_ == "who" and i - 2 >= lo and doc[i - 1].text == ",":
                # “Chen Shibiao, who said …”: the relative pronoun stands for the name before it
                i -= 2
                continue
            if t.text == "," and i - 1 >= lo:
                # an appositive “X, an analyst at Salomon Brothers Asia Ltd, said”: back to the name before it
                j = i - 1
                while j >= lo and doc[j].text != "," and i - j < 14 and not self.tok_quoted[j]:
                    j -= 1
                appositive = doc[j + 1 : i]
                is_appositive = (
                    j >= lo
                    and doc[j].text == ","
                    and j - 1 >= lo
                    and len(appositive) > 0
                    and not any(self.comp.single.get(x.lower_) for x in appositive)
                    and (
                        appositive[0].lower_ in {"a", "an", "the"}
                        or self.lower[appositive[0].i] in self.comp.titles
                        or appositive[0].i in self.tok_mention
                    )
                )
                if is_appositive:
                    res = self.speaker_span_at(j - 1, lo, cue.start, -1)
                    if res is not None:
                        return res
                if doc[i - 1].text == ")" or (
                    i in self.mention_at_end and self.mentions[self.mention_at_end[i]].label in SPEAKER_LABELS
                ):
                    i -= 1
                    continue
                return None
            break
        if i < lo:
            return None
        # the speaker ends at token i; prefer the mention that ends here
        idx = self.mention_at_end.get(i + 1)
        if idx is not None and self.mentions[idx].label in SPEAKER_LABELS:
            role = self._role_before(self.mentions[idx].start, lo)
            return role if role is not None else self.speaker_from_mention(idx)
        return self.speaker_span_at(i, lo, cue.start, -1)

    def _role_before(self, start: int, lo: int) -> dict[str, Any] | None:
        """“a spokesperson for [Huawei]”: the role phrase that ends with the organisation at `start`."""
        doc = self.doc
        k = start - 1
        if k >= lo and doc[k].lower_ == "the":
            k -= 1
        if k < lo or doc[k].lower_ not in {"for", "at", "of", "with"}:
            return None
        j = k - 1
        while j >= lo and k - j <= 4 and doc[j].lower_ not in {"a", "an", "the"}:
            j -= 1
        if j < lo or doc[j].lower_ not in {"a", "an", "the"}:
            return None
        title = doc[j + 1 : k].text
        if title.lower() not in self.comp.titles:
            return None
        return self._role_speaker(j, k, start + 8, title)

    def speaker_after_cue(self, cue: Cue, hi: int) -> dict[str, Any] | None:
        """“said X”, “said Commerce Secretary X”, “added the company”."""
        i = cue.end
        doc = self.doc
        while i < hi and (doc[i].is_space or doc[i].lower_ in _WEEKDAY_WORDS | {"on", "also", "then", "later"}):
            i += 1
        if i >= hi:
            return None
        # a person named in the phrase after the cue wins over the firm before it:
        # “said Jardine Fleming (Securities) Ltd analyst Nick Edwards”
        depth = 0
        first_person: int | None = None
        for k in range(i, min(hi, i + 12)):
            t = doc[k]
            depth += t.text == "("
            depth -= t.text == ")"
            if depth <= 0 and t.text in {",", ".", ";", "“", '"'}:
                break
            idx_k = self.tok_mention.get(k)
            if idx_k is not None and self.mentions[idx_k].label in PEOPLE:
                first_person = first_person if first_person is not None else idx_k
                # “said Jardine Fleming (Securities) Ltd analyst Nick Edwards”: the titled one is the speaker
                if k > 0 and self.lower[k - 1] in self.comp.titles:
                    return self.speaker_from_mention(idx_k)
        if first_person is not None:
            return self.speaker_from_mention(first_person)
        # skip a title before the name: "said U.S. Trade Representative X"
        idx = self.tok_mention.get(i)
        if idx is None:
            j = i
            while (
                j < hi
                and j - i < 6
                and (doc[j].text[:1].isupper() or doc[j].text in {"of", "."})
                and self.tok_mention.get(j) is None
            ):
                j += 1
            if j < hi and self.tok_mention.get(j) is not None and j > i:
                m = self.mentions[self.tok_mention[j]]
                if m.label in PEOPLE:
                    return self.speaker_from_mention(self.tok_mention[j])
        return self.speaker_span_at(i, i, hi, +1)

    # ---------------------------------------------------------------- attribution finders
    def _clause_after(self, seg: Segment) -> list[Token]:
        """Tokens after the closing mark up to the end of its sentence or the next opening mark."""
        pe = self.para_of(seg.start)[1]
        nxt = min([s.open_start for s in self.segs if s.open_start >= seg.close_end] + [pe, len(self.text)])
        toks = self.toks_between(seg.close_end, nxt)
        out = []
        for t in toks:
            if t.text in {".", "!", "?", ";"} and t.idx >= seg.close_end:
                break
            out.append(t)
        return out

    def _clause_before(self, seg: Segment) -> list[Token]:
        """Tokens from the start of the sentence (or the previous closing mark) to the opening mark."""
        ps = self.para_of(seg.open_start)[0]
        prev = max([s.close_end for s in self.segs if s.close_end <= seg.open_start] + [ps])
        toks = self.toks_between(prev, seg.open_start)
        # cut at the last sentence end before the mark
        cut = 0
        for k, t in enumerate(toks):
            if t.text in {".", "!", "?"} and k < len(toks) - 1:
                cut = k + 1
        return toks[cut:]

    def after(self, seg: Segment, k: int) -> tuple[Any, ...] | None:
        toks = self._clause_after(seg)
        if not toks:
            return None
        # only a short attribution clause: “…,” X said / said X / X, the minister, added
        cues = [c for c in self.cue_in(toks[:14]) if c.start - toks[0].i <= 10 and not self.is_via(c)]
        if not cues:
            return None
        cue = cues[0]
        lo, hi = toks[0].i, toks[-1].i + 1
        between = [t.lower_ for t in self.doc[lo : cue.start]]
        # “…”, and several associations said … : the cue belongs to another clause
        if any(w in _CLAUSE_BREAKS for w in between):
            return None
        if TradeQuotes._words(self.text[seg.start : seg.end]) <= self.comp.max_scare and len(between) > 5:
            return None
        sp = self.speaker_before_cue(cue, lo) or self.speaker_after_cue(cue, hi)
        if sp is None and self.comp.parse_enabled:
            sp = self.parse_subject(cue)
        if sp is None and cue.entry.pos != "PHRASE":
            return None
        channel, via = self.channel_via(lo, hi, cue)
        return "direct:post", 0.95, self.cue_chars(cue), sp, channel, via

    def dash(self, seg: Segment, k: int) -> tuple[Any, ...] | None:
        rest = self.text[seg.close_end : seg.close_end + 4]
        m = re.match(r"\s*([-–—―]{1,2})\s*", rest)
        if not m:
            return None
        dash_start = seg.close_end + m.start(1)
        dash_end = seg.close_end + m.end(1)
        toks = self.toks_between(dash_end, self.para_of(seg.start)[1])
        toks = [t for t in toks if not t.is_space]
        if not toks:
            return None
        # a name or title right after the dash, to the line end
        hi = toks[0].i
        while (
            hi < len(self.doc)
            and self.doc[hi].text not in {"\n", "."}
            and "\n" not in self.doc[hi].text
            and hi - toks[0].i < 12
        ):
            hi += 1
        sp = None
        for t in range(toks[0].i, hi):
            idx = self.tok_mention.get(t)
            if idx is not None and self.mentions[idx].label in SPEAKER_LABELS:
                sp = self.speaker_from_mention(idx)
                break
        if sp is None:
            sp = self.speaker_span_at(toks[0].i, toks[0].i, hi, +1)
        if sp is None:
            return None
        # only when the dash clause is an attribution, not a continuing sentence (“…” — and then)
        if toks[0].text[:1].islower() and toks[0].lower_ not in {"a", "an", "the"}:
            return None
        return "direct:dash", 0.85, (dash_start, dash_end), sp, None, None

    def before(self, seg: Segment, k: int) -> tuple[Any, ...] | None:
        toks = self._clause_before(seg)
        if not toks:
            return None
        lo, hi = toks[0].i, toks[-1].i + 1
        cues = self.cue_in(toks)
        # the cue must be close to the mark: “X said: “…”” / “X told CNBC, “…””
        cues = [c for c in cues if hi - c.end <= 6 and not self.is_via(c) and self.only_recipient(c.end, hi)]
        if cues:
            cue = cues[-1]
            sp = None
            if cue.entry.lemma == "according to":
                sp = self.speaker_span_at(cue.end, cue.end, hi, +1)
            if sp is None:
                sp = self.speaker_before_cue(cue, lo) or self.speaker_after_cue(cue, hi)
            if sp is None and self.comp.parse_enabled:
                sp = self.parse_subject(cue)
            if sp is None and cue.entry.lemma not in ("according to",):
                return None
            channel, via = self.channel_via(lo, hi, cue)
            return "direct:pre", 0.9, self.cue_chars(cue), sp, channel, via
        # “X: “…”” (a colon right after a speaker) — PolNeAR's colon cue
        last = self.doc[hi - 1]
        if last.text == ":" and hi - 2 >= lo:
            sp = self.speaker_span_at(hi - 2, lo, hi - 1, -1)
            if sp is not None and sp.get("label") in {lab.value for lab in SPEAKER_LABELS}:
                return "direct:colon", 0.75, (last.idx, last.idx + 1), sp, None, None
        return None

    def colon_paragraph(self, seg: Segment, k: int) -> tuple[Any, ...] | None:
        """“In a statement, the ministry said:” then the quote as the next paragraph."""
        pi = self.para_index(seg.open_start)
        if pi == 0 or pi >= len(self.paras) or self.paras[pi][0] != seg.open_start:
            return None
        ps, pe = self.paras[pi - 1]
        if not self.text[ps:pe].rstrip().endswith(":"):
            return None
        toks = self.toks_between(ps, pe)
        cut = 0
        for j, t in enumerate(toks[:-1]):
            if t.text in {".", "!", "?"}:
                cut = j + 1
        toks = toks[cut:]
        if not toks:
            return None
        lo, hi = toks[0].i, toks[-1].i + 1
        cues = self.cue_in(toks)
        if not cues:
            return None
        cue = cues[-1]
        sp = self.speaker_before_cue(cue, lo) or self.speaker_after_cue(cue, hi)
        if sp is None and self.comp.parse_enabled:
            sp = self.parse_subject(cue)
        channel, via = self.channel_via(lo, hi, cue)
        return "direct:colon-paragraph", 0.85, self.cue_chars(cue), sp, channel, via

    def next_sentence(self, seg: Segment, k: int) -> tuple[Any, ...] | None:
        """“…” The warning came from Whitfield, who …"""
        after = self.text[seg.close_end : seg.close_end + 200]
        m = re.match(
            r"\s*(?:The|Those|These|That|This) (?:warning|remarks?|comments?|words|message|statement|"
            r"criticism|assessment|threat|pledge)s? (?:came|come|was|were) (?:from) ",
            after,
        )
        if not m:
            return None
        start = seg.close_end + m.end()
        tok = self.tok_at(start)
        if tok is None:
            return None
        sp = self.speaker_span_at(tok.i, tok.i, min(len(self.doc), tok.i + 8), +1)
        if sp is None:
            return None
        cue_s = seg.close_end + m.start() + after[m.start() :].find("came") if "came" in after[: m.end()] else None
        cue = (cue_s, cue_s + 4) if cue_s is not None and cue_s >= seg.close_end else None
        return "direct:next-sentence", 0.7, cue, sp, None, None

    @staticmethod
    def is_via(cue: Cue) -> bool:
        """“as reported by X” names the outlet an article cites, not a speaker."""
        return cue.entry.kind == "source" and cue.entry.lemma != "according to"

    def only_recipient(self, lo: int, hi: int) -> bool:
        """Between a cue and an opening mark only a recipient and punctuation may stand
        (“told CNBC: “…”” / “said, “…””); anything else makes the quote part of a paraphrase."""
        toks = [t for t in self.doc[lo:hi] if not t.is_space]
        if not toks or toks[-1].text in {":", ",", "—", "–", "-"}:
            return True
        for t in toks:
            idx = self.tok_mention.get(t.i)
            if idx is not None and self.mentions[idx].label is Label.MEDIA:
                continue
            if t.lower_ in _WEEKDAY_WORDS | {
                "reporters",
                "journalists",
                "him",
                "her",
                "them",
                "me",
                "us",
                "on",
                "simply",
                "only",
                "again",
            }:
                continue
            return False
        return True

    def cue_chars(self, cue: Cue) -> tuple[int, int]:
        """The cue as written: the reporting verb of a phrase cue (“told reporters” -> “told”)."""
        if cue.entry.pos == "PHRASE" and cue.entry.lemma != "according to":
            for t in self.doc[cue.start : cue.end]:
                if t.lower_ in self.comp.single:
                    return t.idx, t.idx + len(t.text)
        a, b = self.doc[cue.start], self.doc[cue.end - 1]
        return a.idx, b.idx + len(b.text)

    # ---------------------------------------------------------------- channel and via
    def channel_via(self, lo: int, hi: int, cue: Cue | None) -> tuple[str | None, str | None]:
        """Where the words were said (told CNBC, in a statement, on X) and the outlet cited (according to Reuters)."""
        doc = self.doc
        lower = self.lower
        n = len(doc)
        sent_lo, sent_hi = lo, hi
        if cue is not None:
            sent = self.sent_of(cue.start)
            sent_lo, sent_hi = min(lo, sent.start), max(hi, sent.end)
        channel = cue.entry.channel if cue is not None else None
        via = None

        def media_at(k: int) -> str | None:
            idx = self.tok_mention.get(k) if k < n else None
            if idx is not None and self.mentions[idx].label is Label.MEDIA:
                return self.span_text(self.mentions[idx])
            return None

        for i in range(sent_lo, sent_hi):
            low = lower[i]
            if low not in _CHANNEL_TRIGGERS or self.tok_quoted[i]:
                continue
            # told CNBC / telling Reuters / said in an interview with Bloomberg
            if low in {"told", "telling", "tells", "tell"}:
                channel = media_at(i + 1) or channel
            elif low in {"in", "at", "during", "on"} and i + 1 < n:
                j = i + 1
                det = lower[j]
                if det in {"a", "an", "the", "his", "her", "its", "their"}:
                    j += 1
                for ch in self.comp.channels:
                    if lower[j : j + len(ch)] == ch:
                        after = j + len(ch)
                        # "in an interview with Bloomberg" -> Bloomberg
                        outlet = media_at(after + 1) if after < n and lower[after] in {"with", "on", "to"} else None
                        if outlet is not None:
                            channel = outlet
                            break
                        phrase = doc[j : j + len(ch)].text
                        article = "an" if phrase[:1].lower() in "aeiou" else "a"
                        channel = "the interview" if det == "the" and ch == ["interview"] else f"{article} {phrase}"
                        break
                if (
                    low == "on"
                    and j == i + 1
                    and doc[i + 1].text in {"X", "Twitter", "LinkedIn", "Weibo", "WeChat", "Facebook"}
                ):
                    channel = doc[i + 1].text
            elif i + 2 < n and (
                (low == "according" and lower[i + 1] == "to")
                or (low == "reported" and i >= 1 and lower[i - 1] == "as" and lower[i + 1] == "by")
            ):
                via = media_at(i + 2) or via
        return channel, via

    def span_text(self, m: Mention) -> str:
        s, e = self.char(m)
        return self.text[s:e]

    # ---------------------------------------------------------------- parse (only where it pays)
    def parsed(self, sent: Span) -> Doc | None:
        """The dependency parse of one sentence, computed on demand and cached."""
        if not self.comp.parse_enabled or self.comp.parser is None:
            return None
        if sent.start in self._parsed:
            return self._parsed[sent.start]
        if has_annotation(self.doc, DEP):
            self._parsed[sent.start] = self.doc
            return self.doc
        sub = sent.as_doc()
        try:
            sub = self.comp.parser(sub)
        except Exception:
            return None
        self._parsed[sent.start] = sub
        return sub

    def parse_tok(self, t: Token) -> Token | None:
        sent = self.sent_of(t.i)
        sub = self.parsed(sent)
        if sub is None:
            return None
        return sub[t.i] if sub is self.doc else sub[t.i - sent.start]

    def doc_tok(self, pt: Token, sent: Span) -> Token:
        return self.doc[pt.i] if pt.doc is self.doc else self.doc[sent.start + pt.i]

    def parse_subject(self, cue: Cue) -> dict[str, Any] | None:
        t = self.doc[cue.start]
        sent = self.sent_of(t.i)
        pt = self.parse_tok(t)
        if pt is None:
            return None
        head = pt
        for _ in range(3):
            subj = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subj:
                st = self.doc_tok(subj[0], sent)
                # the best mention inside the subject phrase: the one containing its head word
                idx = self.tok_mention.get(st.i)
                if idx is None:
                    left, right = self.doc_tok(subj[0].left_edge, sent).i, self.doc_tok(subj[0].right_edge, sent).i
                    cands = [k for k in range(left, right + 1) if k in self.tok_mention]
                    idx = self.tok_mention[cands[0]] if cands else None
                if idx is not None and self.mentions[idx].label in SPEAKER_LABELS:
                    return self.speaker_from_mention(idx)
                found = self.speaker_span_at(
                    st.i, sent.start, sent.end, +1 if st.lower_ in {"a", "an", "the"} else -1
                ) or self.speaker_span_at(self.doc_tok(subj[0].left_edge, sent).i, sent.start, sent.end, +1)
                if found is not None:
                    return found
                # a plain noun phrase (“Many speakers at the service”, “about half of voters”): an unnamed source
                first = self.doc_tok(subj[0].left_edge, sent)
                last = self.doc_tok(subj[0].right_edge, sent)
                if last.i - first.i < 12 and not self.tok_quoted[first.i] and st.tag_ in {"NNS", "NN", "NNP", "NNPS"}:
                    return unlinked_speaker((first.idx, last.idx + len(last.text)), anonymous=True)
                return None
            if head.dep_ in ("advcl", "xcomp", "conj", "ccomp", "parataxis") and head.head is not head:
                head = head.head
                continue
            break
        return None

    # ---------------------------------------------------------------- reported speech
    def indirect_in(self, sent: Span, used_cues: set[int]) -> list[Found]:
        """Reported speech in one sentence: one attribution per clause, the first cue that finds one."""
        out: list[Found] = []
        cues = [c for c in self.cue_in(sent) if c.start not in used_cues]
        if not cues or self.is_headline(sent):
            return out
        for cue in cues:
            e = cue.entry
            if not e.allows_indirect or (e.kind == "belief" and not self.comp.belief):
                continue
            f = self._indirect_for(sent, cue)
            if f is not None:
                out.append(f)
        # keep one attribution per clause: the first cue that found one
        out.sort(key=lambda f: f.start)
        kept: list[Found] = []
        for f in out:
            if any(f.start < g.end and g.start < f.end for g in kept):
                continue
            kept.append(f)
        return kept

    def is_headline(self, sent: Span) -> bool:
        """Headlines and titles (“Rubio Responds To Question By Saying We Need Fewer Philosophers”) hold no
        reported speech: most of their words are capitalised."""
        words = [w for w in self.texts[sent.start : sent.end] if w.isalpha()]
        if len(words) < 4:
            return False
        caps = sum(1 for w in words if w[:1].isupper())
        return caps / len(words) >= 0.7

    def _trim_end(self, toks: list[Token]) -> list[Token]:
        """Cut a reported clause before trailing “, according to X” / “, as reported by X” / “, X said”."""
        marks = {'"', "”", "’", "'", "»", "“"}
        for k, t in enumerate(toks):
            if t.text == "," and k + 1 < len(toks):
                k2 = k + 1
                while k2 < len(toks) - 1 and toks[k2].text in marks:
                    k2 += 1
                nxt = toks[k2].lower_
                two = " ".join(x.lower_ for x in toks[k2 : k2 + 2])
                keep = toks[:k2] if k2 > k + 1 else toks[:k]
                if two in {"according to", "as reported", "as first", "citing a", "citing people", "sources said"}:
                    return keep
                if (
                    nxt in {"he", "she", "they", "it"}
                    and k2 + 1 < len(toks)
                    and self.comp.single.get(toks[k2 + 1].lower_)
                ):
                    return keep
                if nxt in {"said", "says"}:
                    return keep
        while toks and ((toks[-1].is_punct and toks[-1].text not in {'"', "”", "’", "'", "»"}) or toks[-1].is_space):
            toks = toks[:-1]
        return toks

    def _indirect_for(self, sent: Span, cue: Cue) -> Found | None:
        doc = self.doc
        s_lo, s_hi = sent.start, sent.end
        lower, texts, quoted, punct = self.lower, self.texts, self.tok_quoted, self.punct
        # according to X, CLAUSE  /  CLAUSE, according to X
        if cue.entry.lemma == "according to":
            before = list(doc[s_lo : cue.start])
            sp = self.speaker_span_at(cue.end, cue.end, s_hi, +1)
            if sp is None:
                return None
            # where does X end? at the next comma
            k = cue.end
            while k < s_hi and doc[k].text != ",":
                k += 1
            if before and any(not t.is_punct for t in before):
                content = self._trim_end(before)
                if content and content[-1].text == ",":
                    content = content[:-1]
            else:
                content = self._trim_end([t for t in doc[k + 1 : s_hi]])
            if sp.get("label") == Label.MEDIA.value:
                # the outlet is a via for the article's attribution, not a speaker, when another cue is here
                others = [c for c in self.cue_in(sent) if c.start != cue.start and c.entry.kind != "source"]
                if others:
                    return None
            return self._make_indirect(content, cue, sp, "indirect:according-to", 0.7, sent)
        # CUE (object)? that CLAUSE  (word lists, not Token objects: this runs for every cue of every sentence)
        k = cue.end
        while (
            k < s_hi
            and k - cue.end < 8
            and lower[k] not in _CLAUSE_START
            and texts[k] not in {".", ";"}
            and not quoted[k]
        ):
            k += 1
        sp = None
        if (
            k < s_hi
            and lower[k] == "that"
            # only a recipient, a time or a setting may stand between the cue and "that" ("told CNBC on Tuesday
            # that"); "said the warning was indicative that" is a that-less clause with its own "that"
            and all(
                (not punct[x] and (lower[x] in _BEFORE_THAT or x in self.tok_mention)) or texts[x] == ","
                for x in range(cue.end, k)
            )
            and not (k + 1 < s_hi and lower[k + 1] in _NOT_AFTER_THAT)
        ):
            content = self._trim_end(list(doc[k:s_hi]))
            sp = self.speaker_before_cue(cue, s_lo) or self.subject_of_sentence(cue, s_lo) or self.parse_subject(cue)
            if sp is not None and content:
                return self._make_indirect(content, cue, sp, "indirect:that", 0.8, sent)
        # CLAUSE, SPEAKER CUE.   /   CLAUSE, CUE SPEAKER.
        tail_has_words = any(
            not punct[x]
            and lower[x] not in _SKIP_BETWEEN
            and lower[x] not in {"on", "reporters"}
            and not (x in self.tok_mention and self.mentions[self.tok_mention[x]].label is Label.MEDIA)
            for x in range(cue.end, s_hi)
        )
        if not tail_has_words or self._speaker_ends_sentence(cue, s_hi):
            comma = next((x for x in range(cue.start - 1, s_lo - 1, -1) if texts[x] == ","), None)
            if comma is not None and comma > s_lo:
                sp = self.speaker_before_cue(cue, comma + 1) or self.speaker_after_cue(cue, s_hi)
                content = self._trim_end(list(doc[s_lo:comma]))
                content = self._skip_dateline(content)
                if sp is not None and content and len(content) >= 4:
                    return self._make_indirect(content, cue, sp, "indirect:post", 0.75, sent)
        # SPEAKER said (that-less) CLAUSE: “the ministry said it would ...”
        if cue.entry.pos == "VERB" and cue.end < s_hi:
            nxt = doc[cue.end]
            ok = nxt.lower_ in _SUBJECT_WORDS or (nxt.i in self.tok_mention and nxt.text[:1].isupper())
            if self.comp.parse_enabled:
                pt = self.parse_tok(doc[cue.start])
                if pt is not None:
                    ccomp = [c for c in pt.children if c.dep_ == "ccomp" and c.i > pt.i]
                    if ccomp:
                        c = ccomp[0]
                        left = self.doc_tok(c.left_edge, sent).i
                        right = self.doc_tok(c.right_edge, sent).i
                        content = self._trim_end(self._skip_time_words(list(doc[left : right + 1])))
                        sp = (
                            self.speaker_before_cue(cue, s_lo)
                            or self.parse_subject(cue)
                            or self.subject_of_sentence(cue, s_lo)
                        )
                        if sp is not None and content and len(content) >= 3:
                            return self._make_indirect(content, cue, sp, "indirect:parse", 0.75, sent)
            if ok:
                sp = self.speaker_before_cue(cue, s_lo)
                if sp is None and doc[cue.start].lower_.endswith("ing"):
                    sp = self.subject_of_sentence(cue, s_lo)
                if sp is None:
                    sp = self.parse_subject(cue)
                content = self._trim_end(self._skip_time_words(list(doc[cue.end : s_hi])))
                if sp is not None and content and len(content) >= 4:
                    return self._make_indirect(content, cue, sp, "indirect:clause", 0.65, sent)
        return None

    @staticmethod
    def _skip_time_words(toks: list[Token]) -> list[Token]:
        """“said on Tuesday it would …”: the reported clause starts after the time or setting words."""
        words = " ".join(t.lower_ for t in toks[:6])
        m = _LEADING_TIME.match(words)
        if not m or m.end() >= len(words):
            return toks
        n = len(words[: m.end()].split())
        return toks[n:]

    def _skip_dateline(self, toks: list[Token]) -> list[Token]:
        """Drop leading white space and a wire dateline (“WASHINGTON, Feb 11 (Reuters) -”)."""
        while toks and toks[0].is_space:
            toks = toks[1:]
        if not toks:
            return toks
        head = self.text[toks[0].idx : toks[-1].idx + len(toks[-1].text)]
        m = _DATELINE.match(head)
        if m:
            cut = toks[0].idx + m.end()
            toks = [t for t in toks if t.idx >= cut]
        return toks

    def _speaker_ends_sentence(self, cue: Cue, s_hi: int) -> bool:
        """“…, said Commerce Secretary X.”: after the cue only a speaker remains."""
        sp = self.speaker_after_cue(cue, s_hi)
        if sp is None:
            return False
        end = sp["mention"][1]
        rest = self.text[end : self.doc[s_hi - 1].idx + len(self.doc[s_hi - 1].text)]
        return not re.sub(r"[\W_]+", "", rest.split(",")[0] if rest.startswith(",") else rest) or bool(
            re.match(r"^\s*[.!?]?\s*$", rest)
        )

    def is_participle(self, cue: Cue) -> bool:
        t = self.doc[cue.start]
        if cue.entry.pos != "VERB" or not t.lower_.endswith("ing"):
            return False
        # “…, saying …” follows a comma or a recipient; “is saying” / “was telling” keep their own subject
        prev = self.doc[cue.start - 1] if cue.start > 0 else None
        return prev is None or prev.lower_ not in {"is", "was", "are", "were", "been", "be", "am", "'s", "’s"}

    def subject_of_sentence(self, cue: Cue, s_lo: int) -> dict[str, Any] | None:
        """For participial cues (“X has taken a swipe at Y, saying …”): the parse subject of the clause the cue
        hangs on, else the first person or organisation of the sentence (outside quotes), else a pronoun."""
        sent_start = self.sent_of(cue.start).start
        if self.comp.parse_enabled:
            sp = self.parse_subject(cue)
            if sp is not None and sp.get("mention_index") is not None:
                return sp
        for i in range(max(s_lo, sent_start), cue.start):
            if self.tok_quoted[i]:
                continue
            idx = self.tok_mention.get(i)
            if idx is not None and self.mentions[idx].label in SPEAKER_LABELS:
                return self.speaker_from_mention(idx)
            low = self.doc[i].lower_
            if low in PERSONAL or low in {"they", "it"}:
                return self.resolve_pronoun(self.doc[i])
        return None

    def _make_indirect(
        self, content: list[Token], cue: Cue, sp: dict[str, Any], rule: str, score: float, sent: Span
    ) -> Found | None:
        if not content:
            return None
        s = content[0].idx
        e = content[-1].idx + len(content[-1].text)
        if s >= e:
            return None
        # a quote opened inside the clause closes with it: take the closing mark in (`positions,"`)
        for seg in self.segs:
            if s <= seg.open_start < e < seg.close_end and seg.close_end - e <= 2:
                e = seg.close_end
        # content must not include the cue or the speaker
        c0, c1 = self.cue_chars(cue)
        if s <= c0 < e:
            return None
        ms, _me = sp["mention"]
        if s <= ms < e:
            return None
        channel, via = self.channel_via(sent.start, sent.end, cue)
        return Found(s, e, "indirect", rule, score, (c0, c1), sp, channel, via)


@Language.factory(
    "trade_quotes",
    # defaults from the one settings model, so a spaCy config and the CLI agree
    default_config={"rules_dirs": [], **QuoteSettings().model_dump()},
)
def make_trade_quotes(
    nlp: Language,
    name: str,
    rules_dirs: list[str],
    belief_cues: bool,
    max_scare_words: int,
    float_paragraphs: int,
    parse: bool,
) -> TradeQuotes:
    """spaCy factory of the quote stage; expects `trade_entities` before it."""
    return TradeQuotes(
        nlp,
        name,
        rules_dirs=rules_dirs,
        belief_cues=belief_cues,
        max_scare_words=max_scare_words,
        float_paragraphs=float_paragraphs,
        parse=parse,
    )

"""Position indexes of one document: tokens, sentences, paragraphs, quoted spans and entity mentions, as
plain lists (the passes look words up by index far more often than spaCy's Token objects would allow)."""

from __future__ import annotations

import re
from bisect import bisect_left

from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH, LOWER, TAG
from spacy.tokens import Doc, Span, Token

from pipeline.components.caches import doc_text, doc_words
from pipeline.components.marks import Segment
from pipeline.components.mentions import Mention, has_annotation
from pipeline.components.quotes.words import TITLE_SMALL_WORDS


class DocIndex:
    """Where things are in one document; built once, read by every pass."""

    def __init__(self, doc: Doc, mentions: list[Mention], segs: list[Segment], paras: list[tuple[int, int]]):
        self.doc = doc
        self.text = doc_text(doc)
        self.mentions = mentions
        self.segs = segs
        self.paras = paras
        self.has_tags = has_annotation(doc, TAG)
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
        # character offsets per token (start, end), and the token starting at each start offset
        offsets = doc.to_array([IDX, LENGTH]) if len(doc) else None
        self.idx: list[int] = offsets[:, 0].tolist() if offsets is not None else []
        self.tok_end: list[int] = (offsets[:, 0] + offsets[:, 1]).tolist() if offsets is not None else []
        self.token_starting_at = {c: i for i, c in enumerate(self.idx)}
        self.tok_quoted = [False] * len(doc)
        for qs, qe in self.quoted:
            for i in self.starting_between(qs, qe):
                self.tok_quoted[i] = True

    # ---------------------------------------------------------------- characters
    def char(self, m: Mention) -> tuple[int, int]:
        return self.tok_chars(m.start, m.end)

    def tok_chars(self, start: int, end: int) -> tuple[int, int]:
        """Character offsets of the tokens `[start, end)`."""
        return self.idx[start], self.tok_end[end - 1]

    def span_text(self, m: Mention) -> str:
        s, e = self.char(m)
        return self.text[s:e]

    def in_quote(self, c: int) -> bool:
        return any(s <= c < e for s, e in self.quoted)

    # ---------------------------------------------------------------- paragraphs and sentences
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

    # ---------------------------------------------------------------- tokens
    def tok_at(self, c: int) -> Token | None:
        i = self.token_starting_at.get(c)
        if i is not None:  # the common case: a mention's or a cue's first character
            return self.doc[i]
        span = self.doc.char_span(c, min(c + 1, len(self.text)), alignment_mode="expand")
        if span is None or len(span) == 0:
            return None
        return span[0]

    def toks_between(self, lo: int, hi: int) -> list[Token]:
        """Tokens whose start is in [lo, hi) (character offsets)."""
        doc = self.doc
        return [doc[i] for i in self.starting_between(lo, hi)]

    def starting_between(self, lo: int, hi: int) -> range:
        """Indexes of the tokens whose start is in [lo, hi) (character offsets)."""
        if hi <= lo:
            return range(0)
        return range(bisect_left(self.idx, lo), bisect_left(self.idx, hi))

    def is_title_case(self, seg: Segment) -> bool:
        words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", self.text[seg.start : seg.end])]
        return bool(words) and all(w[0].isupper() or w.lower() in TITLE_SMALL_WORDS for w in words)


def count_words(s: str) -> int:
    return len(re.findall(r"\w+", s))

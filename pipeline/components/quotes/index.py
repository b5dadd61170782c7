"""Position indexes of one document: tokens, sentences, paragraphs, quoted spans and entity mentions, as
plain lists (the passes look words up by index far more often than spaCy's Token objects would allow)."""

from __future__ import annotations

import re

from spacy.attrs import IS_PUNCT, IS_SPACE, LOWER, TAG
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
        self.tok_quoted = [False] * len(doc)
        for qs, qe in self.quoted:
            quoted_span = doc.char_span(qs, qe, alignment_mode="expand")
            if quoted_span is not None:
                for qt in quoted_span:
                    if qs <= qt.idx < qe:
                        self.tok_quoted[qt.i] = True

    # ---------------------------------------------------------------- characters
    def char(self, m: Mention) -> tuple[int, int]:
        return self.tok_chars(m.start, m.end)

    def tok_chars(self, start: int, end: int) -> tuple[int, int]:
        """Character offsets of the tokens `[start, end)`."""
        last = self.doc[end - 1]
        return self.doc[start].idx, last.idx + len(last.text)

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
        return bool(words) and all(w[0].isupper() or w.lower() in TITLE_SMALL_WORDS for w in words)


def count_words(s: str) -> int:
    return len(re.findall(r"\w+", s))

"""The dependency parse, only where it pays: one sentence at a time, on demand, cached per document."""

from __future__ import annotations

from typing import Any

from spacy.attrs import DEP
from spacy.tokens import Doc, Span, Token

from pipeline.components.mentions import has_annotation
from pipeline.components.quotes.index import DocIndex


class SentenceParses:
    """Parses of the sentences a pass asked about. `failures` counts sentences the parser raised on (they
    are read as unparsed)."""

    def __init__(self, ix: DocIndex, parser: Any):
        self.ix = ix
        self.parser = parser
        self._parsed: dict[int, Doc] = {}
        self.failures = 0

    @property
    def enabled(self) -> bool:
        return self.parser is not None

    def parsed(self, sent: Span) -> Doc | None:
        """The dependency parse of one sentence, computed on demand and cached."""
        if self.parser is None:
            return None
        if sent.start in self._parsed:
            return self._parsed[sent.start]
        doc = self.ix.doc
        if has_annotation(doc, DEP):
            self._parsed[sent.start] = doc
            return doc
        sub = sent.as_doc()
        try:
            sub = self.parser(sub)
        except Exception:
            # a parser failure costs this sentence its parse, never the article (counted for the run summary)
            self.failures += 1
            return None
        self._parsed[sent.start] = sub
        return sub

    def token(self, t: Token) -> Token | None:
        """`t` in the parse of its sentence."""
        sent = self.ix.sent_of(t.i)
        sub = self.parsed(sent)
        if sub is None:
            return None
        return sub[t.i] if sub is self.ix.doc else sub[t.i - sent.start]

    def doc_token(self, pt: Token, sent: Span) -> Token:
        """A token of a sentence's parse, back in the document."""
        doc = self.ix.doc
        return doc[pt.i] if pt.doc is doc else doc[sent.start + pt.i]

"""Sentence bounds for news text: after . ! ? (and any closing quotes or brackets), and at paragraph breaks.

spaCy's rule-based sentencizer does not break at a blank line, so a headline or dateline without a final
period runs into the first sentence. This one does, and works on arrays rather than Token objects.
"""

from __future__ import annotations

from typing import Any, cast

import numpy
from spacy.attrs import IS_PUNCT, IS_SPACE, ORTH, SENT_START, SPACY
from spacy.language import Language
from spacy.tokens import Doc

_ENDS = (".", "!", "?", "…", "?!")


@Language.factory("trade_sentences")
def make_trade_sentences(nlp: Language, name: str) -> TradeSentences:
    """spaCy factory of the news sentence splitter."""
    return TradeSentences(nlp)


class TradeSentences:
    def __init__(self, nlp: Language):
        self.ends = {nlp.vocab.strings.add(p) for p in _ENDS}

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            return doc
        arr = doc.to_array([ORTH, IS_PUNCT, IS_SPACE, SPACY])
        # plain lists: indexing numpy arrays one element at a time is slower than the loop itself
        orth, punct, space, ws = (arr[:, k].tolist() for k in range(4))
        starts = numpy.full(n, -1, dtype="int64")
        starts[0] = 1
        pending = False
        for i in range(n):
            if pending and not space[i]:
                # closing marks stay with the sentence they end; an opening mark (after white space) starts the next
                opener = punct[i] and i > 0 and (bool(space[i - 1]) or bool(ws[i - 1]))
                if not punct[i] or opener:
                    starts[i] = 1
                    pending = False
            if orth[i] in self.ends:
                pending = True
            elif space[i]:
                text = doc[i].text
                # a blank line, or a newline followed by an indent, ends the paragraph
                if "\n\n" in text or (text.startswith("\n") and (text[1:2] in (" ", "\t"))):
                    pending = True
        # spaCy reads -1 (not a start) from a uint64 array, as its own to_array writes it
        doc.from_array([SENT_START], cast(Any, starts.astype("uint64").reshape(-1, 1)))
        return doc

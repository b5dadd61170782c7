"""Cues of one document: reporting verbs and phrases (“said”, “told reporters”, “according to”) found once,
then looked up by sentence or by a stretch of tokens."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Span, Token

from models.rules import CueEntry
from pipeline.components.mentions import compact_view, wrapped_matches
from pipeline.components.quotes.index import DocIndex
from pipeline.components.quotes.lexicon import QuoteLexicon


@dataclass
class Cue:
    start: int  # token index
    end: int
    entry: CueEntry

    @property
    def is_via(self) -> bool:
        """“as reported by X” names the outlet an article cites, not a speaker."""
        return self.entry.kind == "source" and self.entry.lemma != "according to"


def _compound(ix: DocIndex, i: int) -> bool:
    """“so-called”, “long-promised”: a word hyphenated to the one before is part of a compound, no cue."""
    return i > 1 and ix.texts[i - 1] == "-" and not ix.doc[i - 2].whitespace_ and not ix.doc[i - 1].whitespace_


class DocCues:
    """The cues of one document (outside quotes), phrases first."""

    def __init__(self, ix: DocIndex, lex: QuoteLexicon):
        self.ix = ix
        self.lex = lex
        doc = ix.doc
        self.phrase_cues: dict[int, Cue] = {}
        matches = list(lex.phrases(doc))
        view = compact_view(doc)
        if view is not None:
            matches += wrapped_matches(doc, lex.phrases(view[0]))
        for key, s, e in matches:
            entry = lex.phrase_entry[doc.vocab.strings[key]]
            if s not in self.phrase_cues or e - s > self.phrase_cues[s].end - self.phrase_cues[s].start:
                self.phrase_cues[s] = Cue(s, e, entry)
        single = lex.single
        self.positions = sorted({i for i, w in enumerate(ix.lower) if w in single} | set(self.phrase_cues))

    def within(self, toks: Iterable[Token]) -> list[Cue]:
        """Cues among `toks` (a Span or a token list), outside quotes, phrases first."""
        if isinstance(toks, Span):
            # only the words that may start a cue, found once per document (most words of a sentence are not)
            pos = self.positions
            idxs: Iterable[int] = pos[bisect_left(pos, toks.start) : bisect_left(pos, toks.end)]
        else:
            idxs = [t.i for t in toks]
        out: list[Cue] = []
        covered: set[int] = set()
        candidates: list[int] = []
        lower, quoted, single, mentioned = self.ix.lower, self.ix.tok_quoted, self.lex.single, self.ix.tok_mention
        for i in idxs:
            if quoted[i]:
                continue
            c = self.phrase_cues.get(i)
            if c is not None:
                out.append(c)
                covered.update(range(c.start, c.end))
            # word lookups on plain strings first: Token objects only for the few possible cues; a word of an
            # entity name is none (“United States” without a tagger is no form of “state”)
            if lower[i] in single and i not in mentioned and not _compound(self.ix, i):
                candidates.append(i)
        for i in candidates:
            if i in covered:
                continue
            entry = self.lex.cue_at(self.ix.doc[i], self.ix.has_tags)
            if entry is not None:
                out.append(Cue(i, i + 1, entry))
        return sorted(out, key=lambda c: c.start)

    def chars(self, cue: Cue) -> tuple[int, int]:
        """The cue as written: the reporting verb of a phrase cue (“told reporters” -> “told”)."""
        doc = self.ix.doc
        if cue.entry.pos == "PHRASE" and cue.entry.lemma != "according to":
            for t in doc[cue.start : cue.end]:
                if t.lower_ in self.lex.single:
                    return t.idx, t.idx + len(t.text)
        return self.ix.tok_chars(cue.start, cue.end)

    def is_participle(self, cue: Cue) -> bool:
        doc = self.ix.doc
        t = doc[cue.start]
        if cue.entry.pos != "VERB" or not t.lower_.endswith("ing"):
            return False
        # “…, saying …” follows a comma or a recipient; “is saying” / “was telling” keep their own subject
        prev = doc[cue.start - 1] if cue.start > 0 else None
        return prev is None or prev.lower_ not in self.lex.words.progressive_aux

"""Per-document state of the quote stage: the indexes, the cues, the on-demand parses and the speakers found
so far, in one object every pass receives explicitly."""

from __future__ import annotations

from dataclasses import dataclass, field

from models.records import PEOPLE_LABELS
from pipeline.components.quotes.cues import DocCues
from pipeline.components.quotes.index import DocIndex
from pipeline.components.quotes.lexicon import QuoteLexicon
from pipeline.components.quotes.parse import SentenceParses
from pipeline.components.quotes.results import SpeakerRef
from pipeline.settings import QuoteSettings


@dataclass
class DocState:
    ix: DocIndex
    cues: DocCues
    parses: SentenceParses
    lex: QuoteLexicon
    opts: QuoteSettings
    # the country of the dateline (“SEOUL, March 11 -”), for “the government”
    home_country: SpeakerRef | None = None
    # speakers of the quotes found so far, in order: “it said” continues the organisation that spoke last
    speakers: list[SpeakerRef] = field(default_factory=list)
    # the person surnamed He the article introduced (“Vice Premier He Lifeng”), found on first use
    _he_person: int | None = None
    _he_looked: bool = False

    def he_surname_person(self, before: int) -> int | None:
        """The latest person mention before token `before` (outside quotes), when that person's family name is
        He: “He said” opening a sentence then names him, not a pronoun."""
        if not self._he_looked:
            self._he_looked = True
            self._he_person = next(
                (
                    i
                    for i, m in enumerate(self.ix.mentions)
                    if m.label in PEOPLE_LABELS and m.canonical_name.split()[:1] == ["He"] and m.length > 1
                ),
                None,
            )
        if self._he_person is None:
            return None
        ix = self.ix
        he_key = ix.mentions[self._he_person].canonical_id or ix.mentions[self._he_person].canonical_name
        for i in range(len(ix.mentions) - 1, -1, -1):
            m = ix.mentions[i]
            if m.end > before or m.label not in PEOPLE_LABELS or ix.tok_quoted[m.start]:
                continue
            return i if (m.canonical_id or m.canonical_name) == he_key else None
        return None

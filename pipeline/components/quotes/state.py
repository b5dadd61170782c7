"""Per-document state of the quote stage: the indexes, the cues, the on-demand parses and the speakers found
so far, in one object every pass receives explicitly."""

from __future__ import annotations

from dataclasses import dataclass, field

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

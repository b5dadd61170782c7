"""The `trade_quotes` component: the passes of the quote stage in the order they run."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.components.caches import doc_text
from pipeline.components.marks import paragraphs, scan_marks
from pipeline.components.mentions import Mention
from pipeline.components.pack_backed import PackBacked
from pipeline.components.quotes.channel import inherit_channels
from pipeline.components.quotes.coreference import dateline_country
from pipeline.components.quotes.cues import DocCues
from pipeline.components.quotes.direct import attribute_segments
from pipeline.components.quotes.index import DocIndex
from pipeline.components.quotes.inherited import add_floating, share_continued, unattributed
from pipeline.components.quotes.lexicon import QuoteLexicon
from pipeline.components.quotes.merge import combine, cues_used, dedupe
from pipeline.components.quotes.parse import SentenceParses
from pipeline.components.quotes.reported import find_reported
from pipeline.components.quotes.state import DocState
from pipeline.rules.packs import RulePacks
from pipeline.settings import QuoteSettings

# the stage's result: list[Attribution] sorted by (start, end) (see results.py)
if not Doc.has_extension("trade_quotes"):
    Doc.set_extension("trade_quotes", default=None)
# sentences the dependency parser raised on in this doc (read as unparsed; summed in the run summary)
if not Doc.has_extension("trade_parse_failures"):
    Doc.set_extension("trade_parse_failures", default=0)


class TradeQuotes(PackBacked):
    """Find attributions: direct quotes, then reported speech, merged (see `rules.py` for every rule)."""

    def __init__(self, nlp: Language, name: str, *, rules_dirs: list[str], opts: QuoteSettings):
        self.name = name
        self.nlp = nlp
        self.rules_dirs = tuple(rules_dirs)
        self.opts = opts
        self.parser = nlp.get_pipe("parser") if opts.parse and "parser" in nlp.component_names else None

    def build(self, packs: RulePacks) -> None:
        self.lex = QuoteLexicon(self.nlp, packs, belief_cues=self.opts.belief_cues)

    def __call__(self, doc: Doc) -> Doc:
        self.ensure_packs()
        st = self.state(doc)
        direct = attribute_segments(st)  # segment index -> attribution
        share_continued(st, direct)
        add_floating(st, direct)
        reported = find_reported(st, cues_used(st, direct))
        found, consumed = combine(st, direct, reported)
        found += unattributed(st, skip=direct.keys() | consumed)
        found = dedupe(found)
        inherit_channels(found)
        doc._.trade_quotes = sorted(found, key=lambda f: (f.start, f.end))
        doc._.trade_parse_failures = st.parses.failures
        return doc

    def state(self, doc: Doc) -> DocState:
        """The indexes and cues of one document, and its (empty) per-document results."""
        text = doc_text(doc)
        mentions: list[Mention] = doc._.trade_mentions or []
        segs = [s for s in scan_marks(text).segments if s.end > s.start and text[s.start : s.end].strip()]
        ix = DocIndex(doc, mentions, segs, paragraphs(text))
        return DocState(
            ix=ix,
            cues=DocCues(ix, self.lex),
            parses=SentenceParses(ix, self.parser),
            lex=self.lex,
            opts=self.opts,
            home_country=dateline_country(self.lex, text),
        )


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
    opts = QuoteSettings(
        belief_cues=belief_cues, max_scare_words=max_scare_words, float_paragraphs=float_paragraphs, parse=parse
    )
    return TradeQuotes(nlp, name, rules_dirs=rules_dirs, opts=opts)

"""Quote stage (placeholder until the quotes issue lands)."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

if not Doc.has_extension("trade_quotes"):
    Doc.set_extension("trade_quotes", default=None)


class TradeQuotes:
    def __init__(self, nlp: Language, name: str, **cfg: object):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.trade_quotes = []
        return doc


@Language.factory(
    "trade_quotes",
    default_config={"rules_dirs": [], "belief_cues": False, "max_scare_words": 3, "float_paragraphs": 2},
)
def make_trade_quotes(nlp: Language, name: str, rules_dirs: list[str], belief_cues: bool, max_scare_words: int,
                      float_paragraphs: int) -> TradeQuotes:
    return TradeQuotes(nlp, name)

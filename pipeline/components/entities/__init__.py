"""Entity stage: rule-pack phrase matches (SpanRuler), pattern rules for unseen names, model NER
gap filling, filters for datelines and places, in-article resolution (surnames, short forms, defined
acronyms) and titles.

One module per job: `component` (the passes in order), `lexicon` (lookups built from the packs),
`matches` (pack matches), `patterns` (names the packs do not know), `model_ner` (the model's NER on
windows), `filters` (datelines, currencies, places), `resolution` (in-article coreference), `titles`
(titles on people), `names` (name shapes and clean-up).

The result is `doc._.trade_mentions`: a sorted, non-overlapping list of `Mention`.
"""

from pipeline.components.entities.component import TradeEntities, make_trade_entities
from pipeline.components.entities.matches import RULER_EXACT, RULER_LOWER, RULES_KEY
from pipeline.components.entities.model_ner import ner_windows

__all__ = ["RULER_EXACT", "RULER_LOWER", "RULES_KEY", "TradeEntities", "make_trade_entities", "ner_windows"]

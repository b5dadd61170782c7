"""Quote stage: direct, partial, mixed and indirect attributions linked to resolved speakers.

One module per job: `component` (the passes in order), `index` (token, sentence, paragraph and quote
positions), `lexicon` and `cues` (reporting verbs and phrases), `speakers` (speaker spans, roles, unnamed
sources, parse subjects), `coreference` (pronouns, “the company”, the dateline's country), `direct` (the
direct-quote finders), `inherited` (continued, floating and unattributed quotes), `reported` (reported
speech), `channel` (channel and via), `merge` (kinds and overlaps), `parse` (the parser on demand),
`rules` (every rule id with its description and score), `results` (the typed results).

The result is `doc._.trade_quotes`: a list of `Attribution`, sorted by (start, end).
"""

from pipeline.components.quotes.component import TradeQuotes, make_trade_quotes
from pipeline.components.quotes.results import Attribution, Hit, SpeakerRef
from pipeline.components.quotes.rules import RULES, QuoteRule

__all__ = ["RULES", "Attribution", "Hit", "QuoteRule", "SpeakerRef", "TradeQuotes", "make_trade_quotes"]

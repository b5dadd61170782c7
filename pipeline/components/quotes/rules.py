"""The quote rules: every rule id a quote's `provenance.method` can carry, with what it finds and its score.

This table is the one place the ids and scores are written; the finders name a `QuoteRule`, the score comes
from here, and `tests/components/test_quote_rules.py` fails when a finder emits an id the table lacks.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class QuoteRule(StrEnum):
    """Rule ids of the quote stage (the value is the id written to the records)."""

    DIRECT_POST = "direct:post"
    DIRECT_PRE = "direct:pre"
    DIRECT_COLON = "direct:colon"
    DIRECT_DASH = "direct:dash"
    DIRECT_COLON_PARAGRAPH = "direct:colon-paragraph"
    DIRECT_NEXT_SENTENCE = "direct:next-sentence"
    DIRECT_CONTINUATION = "direct:continuation"
    DIRECT_FLOATING = "direct:floating"
    DIRECT_UNATTRIBUTED = "direct:unattributed"
    INDIRECT_THAT = "indirect:that"
    INDIRECT_POST = "indirect:post"
    INDIRECT_ACCORDING_TO = "indirect:according-to"
    INDIRECT_PARSE = "indirect:parse"
    INDIRECT_CLAUSE = "indirect:clause"
    INDIRECT_FRAME = "indirect:frame"


@dataclass(frozen=True)
class RuleInfo:
    description: str
    score: float


RULES: dict[QuoteRule, RuleInfo] = {
    QuoteRule.DIRECT_POST: RuleInfo("“…,” X said / “…,” said X / “…” X added on Tuesday", 0.95),
    QuoteRule.DIRECT_PRE: RuleInfo("X said: “…” / X told CNBC, “…” / According to X, “…”", 0.9),
    QuoteRule.DIRECT_COLON: RuleInfo("X: “…” (a colon right after a speaker)", 0.75),
    QuoteRule.DIRECT_DASH: RuleInfo("“…” – Commissioner X", 0.85),
    QuoteRule.DIRECT_COLON_PARAGRAPH: RuleInfo("a paragraph ending in “X said:” before a quoted paragraph", 0.85),
    QuoteRule.DIRECT_NEXT_SENTENCE: RuleInfo("“…” The warning came from X", 0.7),
    QuoteRule.DIRECT_CONTINUATION: RuleInfo(
        "a paragraph continuing a quote (no closing mark before the next opening one) shares its attribution", 0.8
    ),
    QuoteRule.DIRECT_FLOATING: RuleInfo("a quoted sentence with no cue inherits the previous quote's speaker", 0.6),
    QuoteRule.DIRECT_UNATTRIBUTED: RuleInfo("a long quote nobody is named for (speaker null)", 0.3),
    QuoteRule.INDIRECT_THAT: RuleInfo("X said (on Tuesday) that CLAUSE", 0.8),
    QuoteRule.INDIRECT_POST: RuleInfo("CLAUSE, X said. / CLAUSE, said X.", 0.75),
    QuoteRule.INDIRECT_ACCORDING_TO: RuleInfo(
        "According to X, CLAUSE / CLAUSE, according to X / CLAUSE, as reported by X", 0.7
    ),
    QuoteRule.INDIRECT_PARSE: RuleInfo("X said CLAUSE, the clause read from the dependency parse (ccomp)", 0.75),
    QuoteRule.INDIRECT_CLAUSE: RuleInfo("X said CLAUSE with no “that” (the ministry said it would …)", 0.65),
    QuoteRule.INDIRECT_FRAME: RuleInfo(
        "X called the waiver a “backdoor” / described it as “…” / accused Y of “…”: object and quoted complement",
        0.7,
    ),
}

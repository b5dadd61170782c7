"""Pack matches: the SpanRulers' phrase patterns on the doc (or its view without line wraps), as mentions."""

from __future__ import annotations

from spacy.pipeline import SpanRuler
from spacy.tokens import Doc

from models.records import Label
from pipeline.components.caches import doc_words, span_text
from pipeline.components.entities.lexicon import EntityLexicon
from pipeline.components.mentions import Mention

RULER_EXACT = "trade_ruler_exact"
RULER_LOWER = "trade_ruler_lower"
# doc.spans key of the rulers' matches when they run as pipeline components
RULES_KEY = "trade_rules"


def rule_mentions(lex: EntityLexicon, rulers: list[SpanRuler], doc: Doc, work: Doc) -> list[Mention]:
    """Pack matches on `work` (the doc itself, or its view without white space)."""
    if work is doc and RULES_KEY in doc.spans:
        # the rulers ran as pipeline components (a user's own pipeline): their spans are the matches
        found = [(span.id_, span.start, span.end) for span in doc.spans[RULES_KEY]]
    else:
        found = [m for ruler in rulers for m in ruler_matches(ruler, work)]
    texts = doc_words(work)
    out: list[Mention] = []
    for entry_id, start, end in found:
        le = lex.by_id.get(entry_id)
        if le is None:
            continue
        out.append(lex.from_entry(le, start, end, "rule", le.origin, 1.0, span_text(work, start, end)))
        # “China's Ministry of Commerce” is two mentions: the country and the body
        poss = next((k for k in range(start + 1, end - 1) if texts[k] in {"'s", "’s"}), None)
        if poss is not None and le.label is not Label.COUNTRY:
            country = lex.by_form.get(span_text(work, start, poss).lower())
            if country is not None and country.label is Label.COUNTRY:
                out[-1] = lex.from_entry(le, poss + 1, end, "rule", le.origin, 1.0, span_text(work, poss + 1, end))
                name = span_text(work, start, poss)
                out.append(lex.from_entry(country, start, poss, "rule", country.origin, 1.0, name))
    return out


def ruler_matches(ruler: SpanRuler, doc: Doc) -> list[tuple[str, int, int]]:
    """(entry id, start, end) of a SpanRuler's phrase patterns on `doc`, without building Span objects."""
    id_map = getattr(ruler, "_match_label_id_map", None)
    if id_map is None:  # a spaCy without the private map: the public (slower) API gives the same
        return [(sp.id_, sp.start, sp.end) for sp in ruler.match(doc)]
    return [(id_map[m_id]["id"], s, e) for m_id, s, e in ruler.phrase_matcher(doc) if s != e]

"""Filters for places that are no actors: wire datelines, currencies (“U.S. dlrs”), places named after a
country (“New Mexico”)."""

from __future__ import annotations

from spacy.tokens import Doc

from models.records import Label
from pipeline.components.caches import DATELINE_KEY, PLACES_KEY, doc_text
from pipeline.components.entities.lexicon import EntityLexicon
from pipeline.components.entities.names import DATELINE
from pipeline.components.mentions import Mention

# words after "in Chinese" that show it is the language
_AFTER_LANGUAGE = frozenset({"on", "at", "by", "from", "to", "with", "as", "that"})


def not_a_country(lex: EntityLexicon, doc: Doc, work: Doc, keep: list[int] | None, m: Mention) -> bool:
    """“U.S. dlrs” is a currency and “New Mexico” a state: no country mention there."""
    if m.label is not Label.COUNTRY:
        return False
    if m.end < len(work) and work[m.end].lower_ in lex.currency_words:
        return True
    if m.start > 0 and work[m.start - 1].lower_ == "in":
        form = m.attrs.get("form")
        # "talks in London": a capital after "in" is the place, not the state
        if form == "metonym":
            return True
        # "a statement in Chinese on Wednesday": the language, not the country
        after = work[m.end] if m.end < len(work) else None
        if form == "demonym" and (after is None or after.is_punct or after.lower_ in _AFTER_LANGUAGE):
            return True
    first, last = (keep[m.start], keep[m.end - 1]) if keep is not None else (m.start, m.end - 1)
    s, e = doc[first].idx, doc[last].idx + len(doc[last].text)
    return any(ps <= s and e <= pe for ps, pe in place_ranges(lex, doc))


def place_ranges(lex: EntityLexicon, doc: Doc) -> list[tuple[int, int]]:
    cached: list[tuple[int, int]] | None = doc.user_data.get(PLACES_KEY)
    if cached is None:
        cached = [(m.start(), m.end()) for m in lex.place_re.finditer(doc_text(doc))] if lex.place_re else []
        doc.user_data[PLACES_KEY] = cached
    return cached


def in_dateline(doc: Doc, i: int) -> bool:
    """Datelines (“RIO DE JANEIRO, Feb 26 -”, “BUSAN, South Korea, Oct 30 (Reuters) -”) name places, not actors."""
    end = doc.user_data.get(DATELINE_KEY)
    if end is None:
        m = DATELINE.match(doc_text(doc))
        end = m.end() if m else 0
        doc.user_data[DATELINE_KEY] = end
    return doc[i].idx < end


def not_an_entity(lex: EntityLexicon, work: Doc, m: Mention) -> bool:
    """A one-word guess of the model or the patterns that is a technology, document or time-zone acronym
    (“UAV”, “DRAM”, “PDF”, “EST”) or a ticker after an exchange (“NYSE: KMC”): no entity of ours. Pack matches
    and the tickers of pack companies (resolution) are kept."""
    if m.method not in {"model", "pattern"} or m.length != 1:
        return False
    if work[m.start].text in lex.not_entity_words:
        return True
    # "(NYSE: KMC)": a ticker after an exchange names no entity of its own
    return m.start >= 2 and work[m.start - 1].text == ":" and work[m.start - 2].text in lex.exchanges

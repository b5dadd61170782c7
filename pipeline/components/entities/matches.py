"""Pack matches: the SpanRulers' phrase patterns on the doc (or its view without line wraps), as mentions."""

from __future__ import annotations

from spacy.pipeline import SpanRuler
from spacy.tokens import Doc

from models.records import PEOPLE_LABELS, Label
from pipeline.components.caches import doc_words, span_text
from pipeline.components.entities.lexicon import EntityLexicon
from pipeline.components.entities.names import NAME_TOKEN, clean_name
from pipeline.components.mentions import Mention
from pipeline.rules.packs import LoadedEntry

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
        if le is not None:
            out.extend(_shaped(lex, work, texts, le, start, end))
    return out


def _shaped(lex: EntityLexicon, work: Doc, texts: list[str], le: LoadedEntry, start: int, end: int) -> list[Mention]:
    """One pack match as the gold spans it: split where it holds two names, grown over what belongs to it."""

    def mention(entry: LoadedEntry, s: int, e: int) -> Mention:
        return lex.from_entry(entry, s, e, "rule", entry.origin, 1.0, span_text(work, s, e))

    label = le.label
    if label in PEOPLE_LABELS and _longer_name(lex, texts, end):
        # "Budi Santoso Harjono" is not the pack's Budi Santoso plus a surname: an unknown person, one mention
        name = span_text(work, start, end + 1)
        return [
            Mention(start, end + 1, Label.PERSON, None, clean_name(name), "pattern", "pattern:longer-name", 0.7, {})
        ]
    start, end = _grown(lex, texts, label, start, end)
    if label is Label.CHIP:
        # "Ascend AI chips", "HBM chip", "Rubin chips": a generic head noun is no part of the name when the name
        # without it is a form or the family of the same entry ("high bandwidth memory" keeps its "memory")
        family = str(getattr(le.entry, "family", "") or "").lower()
        k, best = end, end
        while k - start > 1 and texts[k - 1].lower() in lex.chip_nouns:
            k -= 1
            shorter = span_text(work, start, k).lower()
            if shorter in lex.lower_forms(le) or shorter == family:
                best = k
        end = best
        # "Huawei Ascend 910B", "Nvidia H200": the vendor and its chip are two mentions
        vendor = getattr(le.entry, "vendor", None)
        for k in range(start + 1, end):
            company = lex.by_form.get(span_text(work, start, k).lower())
            if vendor is not None and company is not None and company.entry.id == vendor:
                return [mention(company, start, k), mention(le, k, end)]
    # "China's Ministry of Commerce" is two mentions: the country and the body
    poss = next((k for k in range(start + 1, end - 1) if texts[k] in {"'s", "’s"}), None)
    if label is not Label.COUNTRY and poss is not None:
        country = lex.by_form.get(span_text(work, start, poss).lower())
        if country is not None and country.label is Label.COUNTRY:
            return [mention(country, start, poss), mention(le, poss + 1, end)]
    # "the Chinese Ministry of Commerce", "Chinese customs": a demonym before a body named by its function is a
    # COUNTRY of its own; a proper name keeps it ("European Commission")
    if (
        label is Label.AGENCY
        and end - start > 1
        and texts[start] in lex.demonyms
        and span_text(work, start + 1, end).lower() in lex.national_body_heads
    ):
        return [mention(lex.demonyms[texts[start]], start, start + 1), mention(le, start + 1, end)]
    return [mention(le, start, end)]


def _longer_name(lex: EntityLexicon, texts: list[str], end: int) -> bool:
    """Whether the capitalised word after a pack person's name continues the name (no title, head or stop)."""
    if end >= len(texts):
        return False
    nxt = texts[end]
    return (
        bool(NAME_TOKEN.match(nxt))
        and not nxt.isupper()
        and nxt not in lex.stop
        and nxt.lower() not in lex.stop_words
        and nxt.lower() not in lex.title_words
        and nxt not in lex.generic_org_words
        and nxt not in lex.policy_heads
        and nxt not in lex.legal
        and nxt.lower() not in lex.by_form
    )


def _grown(lex: EntityLexicon, texts: list[str], label: Label, start: int, end: int) -> tuple[int, int]:
    """A pack match grown over the words that belong to the name: a company's legal suffixes ("Nvidia Corp.",
    "Rosneft PJSC", "Co., Ltd."), a programme noun after a named law ("IEEPA tariffs"), the grade and form
    words of a material ("standard-grade gallium metal", "unwrought germanium", "rare earth concentrate")."""
    n = len(texts)
    if label is Label.MATERIAL:
        if end < n and texts[end].lower() in lex.material_forms:
            end += 1
        if start > 0 and texts[start - 1].lower() in lex.material_forms:
            start -= 1
        elif (
            start > 2
            and texts[start - 2 : start] == ["-", "grade"]
            and f"{texts[start - 3]}-grade".lower() in lex.material_forms
        ):
            start -= 3
        return start, end
    if label is Label.COMPANY:
        while end < n:
            if texts[end] in lex.legal:
                end += 1
            elif texts[end] == "," and end + 1 < n and texts[end + 1] in lex.legal and texts[end - 1] in lex.legal:
                end += 2
            else:
                break
    elif (
        label is Label.POLICY
        and end < n
        and texts[end] in lex.programme_nouns
        and texts[start][:1].isupper()
        and texts[end - 1] not in lex.programme_nouns
    ):
        end += 1
    return start, end


def ruler_matches(ruler: SpanRuler, doc: Doc) -> list[tuple[str, int, int]]:
    """(entry id, start, end) of a SpanRuler's phrase patterns on `doc`, without building Span objects."""
    id_map = getattr(ruler, "_match_label_id_map", None)
    if id_map is None:  # a spaCy without the private map: the public (slower) API gives the same
        return [(sp.id_, sp.start, sp.end) for sp in ruler.match(doc)]
    return [(id_map[m_id]["id"], s, e) for m_id, s, e in ruler.phrase_matcher(doc) if s != e]

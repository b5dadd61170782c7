"""Who a pronoun (“he said”, “it said”) or a nominal (“the company said”) stands for, and the country of a
wire dateline (“the government” of a Seoul-datelined story)."""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Token

from models.records import ORG_LABELS, PEOPLE_LABELS, Label
from pipeline.components.quotes.lexicon import QuoteLexicon
from pipeline.components.quotes.refs import (
    MAX_POSSESSED_WORDS,
    POSSESSIVE_MARKS,
    possessed_name,
    possessed_name_starting,
    speaker_from_mention,
    title_for,
    unlinked,
)
from pipeline.components.quotes.results import SpeakerRef
from pipeline.components.quotes.state import DocState
from pipeline.components.quotes.words import DATELINE_PLACE

# organisations “it said” / “they said” may continue when one of them spoke last
_SPEAKING_ORGS = (Label.COMPANY, Label.AGENCY, Label.MEDIA, Label.COUNTRY)


def resolve_pronoun(st: DocState, tok: Token) -> SpeakerRef:
    ix = st.ix
    word = tok.lower_
    chars = (tok.idx, tok.idx + len(tok.text))
    gender = st.lex.words.personal.get(word)
    want: tuple[Label, ...] = (
        PEOPLE_LABELS
        if word in st.lex.words.personal
        else ORG_LABELS
        if word == "it"
        else (*PEOPLE_LABELS, *ORG_LABELS)
    )
    if word in {"it", "they"}:
        # “it said” most often continues the organisation that spoke last, not the last country named
        for sp_prev in reversed(st.speakers):
            if (
                sp_prev.mention_index is not None
                and sp_prev.label in _SPEAKING_ORGS
                and ix.mentions[sp_prev.mention_index].end <= tok.i
            ):
                return sp_prev.at(chars)
            if (
                sp_prev.mention_index is None
                and sp_prev.label in (Label.AGENCY, Label.COMPANY)
                and sp_prev.mention is not None
                and sp_prev.mention[1] <= tok.idx
            ):
                # “The regulator said …. It added …”: the body a nominal named, linked or not
                return sp_prev.at(chars)
        if word == "they":
            return unlinked(chars)
        want = (Label.COMPANY, Label.AGENCY, Label.MEDIA)
    candidates: list[int] = []
    for i in range(len(ix.mentions) - 1, -1, -1):
        m = ix.mentions[i]
        if m.end > tok.i or m.label not in want:
            continue
        if ix.tok_quoted[m.start]:
            # a name inside a quotation is not who the narration's pronoun stands for
            continue
        g = m.attrs.get("gender")
        if gender and g and g != gender:
            continue
        if word == "they" and m.label in PEOPLE_LABELS:
            continue
        candidates.append(i)
        if len(candidates) >= 4:
            break
    if candidates:
        # “he” continues the subject: the latest candidate that opens its sentence's people, else the nearest
        # (“Biden rubbished Trump's claim. … he said” -> Biden)
        best = next((i for i in candidates if _first_of_kind_in_sentence(st, i)), candidates[0])
        return speaker_from_mention(ix, best).at(chars)
    return unlinked(chars)


def _first_of_kind_in_sentence(st: DocState, idx: int) -> bool:
    ix = st.ix
    m = ix.mentions[idx]
    sent = ix.sent_of(m.start)
    kinds = PEOPLE_LABELS if m.label in PEOPLE_LABELS else ORG_LABELS
    for k in range(sent.start, m.start):
        j = ix.tok_mention.get(k)
        if j is not None and ix.mentions[j].label in kinds and not ix.tok_quoted[k]:
            return False
    return True


def resolve_nominal(st: DocState, start: int, end: int, head: str) -> SpeakerRef:
    """“the company” -> the nearest preceding mention whose label the head can refer to."""
    ix = st.ix
    labels = st.lex.nominals.get(head, [])
    title = st.lex.titles.get(head)
    span_chars = ix.tok_chars(start, end)
    if head == "government" and st.home_country is not None:
        # “the government” of a Seoul-datelined story is South Korea's
        return st.home_country.at(span_chars)
    # the most salient earlier mention that fits: a speaker of an earlier quote, then the most mentioned,
    # then the nearest (“The company said” after a list of rivals still means the story's company)
    fits: list[int] = []
    # an outlet is “the agency” only when no public agency fits (“as reported by Reuters … the agency noted”)
    fallback = [lb for lb in labels if lb is Label.MEDIA] if len(labels) > 1 else []
    primary = [lb for lb in labels if lb not in fallback]
    for i in range(len(ix.mentions) - 1, -1, -1):
        m = ix.mentions[i]
        if m.end > start:
            continue
        ok = m.label in primary
        if title is not None and m.label in PEOPLE_LABELS:
            t = (title_for(ix, m) or "").lower()
            ok = head in t
        if ok:
            fits.append(i)
    if not fits and fallback:
        fits = [i for i in range(len(ix.mentions)) if ix.mentions[i].end <= start and ix.mentions[i].label in fallback]
    if not fits:
        owned = _possessed_body_before(st, start, head)
        if owned is not None:
            return owned.at(span_chars)
    if not fits:
        # nobody named fits: the nominal stands as it is (“the country’s minerals regulator”), with the label
        # its head names so a later “it said” can continue it
        return replace(unlinked(span_chars), label=labels[0] if len(labels) == 1 else None)

    def key_of(i: int) -> str:
        return ix.mentions[i].canonical_id or ix.mentions[i].canonical_name

    counts: dict[str, int] = {}
    for i in fits:
        counts[key_of(i)] = counts.get(key_of(i), 0) + 1
    # a body whose name holds the head word first (“the ministry” is the Ministry of Commerce, not the WTO
    # named since)
    # (a public body's head only: many company names hold “Company”)
    named = {
        i
        for i in fits
        if labels == [Label.AGENCY]
        and (head in ix.mentions[i].canonical_name.lower() or head in ix.span_text(ix.mentions[i]).lower())
    }
    best = max(fits, key=lambda i: (i in named, counts[key_of(i)], i))
    found = speaker_from_mention(ix, best)
    if found.canonical_id is None:
        owned = possessed_name(ix, st.lex.possessive_names, ix.mentions[best].start, ix.mentions[best].end)
        if owned is not None:
            return owned.at(span_chars)
        # the speaker an earlier quote credited at that mention may be better resolved (“China’s Ministry of
        # Commerce said …” read as the pack's name)
        at = ix.char(ix.mentions[best])
        earlier = next((sp for sp in reversed(st.speakers) if sp.mention == at and sp.canonical_id), None)
        if earlier is not None:
            return earlier.at(span_chars)
    return found.at(span_chars)


def resolve_document(st: DocState, start: int, end: int) -> SpeakerRef:
    """“the statement added”: the organisation that spoke last, else the nearest one named before."""
    ix = st.ix
    chars = ix.tok_chars(start, end)
    for sp_prev in reversed(st.speakers):
        if (
            sp_prev.mention_index is not None
            and sp_prev.label in _SPEAKING_ORGS
            and ix.mentions[sp_prev.mention_index].end <= start
        ):
            return sp_prev.at(chars)
    for i in range(len(ix.mentions) - 1, -1, -1):
        m = ix.mentions[i]
        if m.end <= start and m.label in (Label.AGENCY, Label.COMPANY) and not ix.tok_quoted[m.start]:
            return speaker_from_mention(ix, i).at(chars)
    return unlinked(chars)


def earlier_role_body(st: DocState, title: str, before: int) -> SpeakerRef | None:
    """“the spokesperson said” after “a spokesperson of China's Commerce Ministry” / “A WTO official”: the
    body of the latest role phrase with that title before token `before`."""
    ix = st.ix
    words = title.split()
    n = len(words)
    for k in range(before - n, 0, -1):
        if ix.lower[k : k + n] != words or ix.tok_quoted[k]:
            continue
        # “a WTO official” / “a Commerce Ministry spokesperson”: the organisation right before the title
        idx = ix.mention_at_end.get(k)
        after = k + n
        if idx is None and after + 1 < len(ix.doc) and ix.lower[after] in st.lex.words.role_links:
            # “a spokesperson of/for X”, skipping “the” and a country's possessive
            j = after + 1
            while j < min(len(ix.doc), after + 5) and (ix.lower[j] in ("the", "'s", "’s") or _is_country(st, j)):
                j += 1
            idx = ix.tok_mention.get(j) if j < len(ix.doc) else None
        if idx is not None and ix.mentions[idx].label in ORG_LABELS and ix.mentions[idx].label is not Label.COUNTRY:
            return speaker_from_mention(ix, idx)
    return None


def dateline_country(lex: QuoteLexicon, text: str) -> SpeakerRef | None:
    """The country of a wire dateline, as a speaker without a mention."""
    m = DATELINE_PLACE.match(text)
    if not m:
        return None
    for part in (m.group(2), m.group(1)):
        entry = lex.place_country.get((part or "").strip().lower())
        if entry is not None:
            return SpeakerRef(mention=None, name=entry.name, canonical_id=entry.id, label=Label.COUNTRY)
    return None


def _is_country(st: DocState, k: int) -> bool:
    idx = st.ix.tok_mention.get(k)
    return idx is not None and st.ix.mentions[idx].label is Label.COUNTRY


def _possessed_body_before(st: DocState, before: int, head: str) -> SpeakerRef | None:
    """A possessive pack name earlier in the text whose name holds the head (“China’s Ministry of Commerce”
    for “the ministry”), when the entity rules did not mark it."""
    ix = st.ix
    for k in range(before - 1, 0, -1):
        if ix.lower[k] not in POSSESSIVE_MARKS or ix.tok_quoted[k]:
            continue
        owned = possessed_name_starting(ix, st.lex.possessive_names, k + 1, min(before, k + 1 + MAX_POSSESSED_WORDS))
        if owned is not None and owned.name is not None and head in owned.name.lower():
            return owned
    return None

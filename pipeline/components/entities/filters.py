"""Filters for mentions that are no actors: wire datelines, currencies (“U.S. dlrs”), places named after a
country (“New Mexico”), acronyms of things, and the model's PERSON guesses nothing in the article supports."""

from __future__ import annotations

from spacy.tokens import Doc

from models.records import PEOPLE_LABELS, Label
from pipeline.components.caches import DATELINE_KEY, PLACES_KEY, doc_text, doc_words
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


# what opens a wire's credit line at the end of a text: "(Yonhap)", "-- ANI"
_SIGN_OFF_OPENERS = frozenset({"(", "--", "-", "–", "—"})


def sign_off(work: Doc, m: Mention) -> bool:
    """An outlet credited at the very end of the text (“... (Yonhap)”, “... -- ANI”) signs the copy off; like
    the Reuters sign-off it names no actor of the article."""
    if m.label is not Label.MEDIA or m.start == 0 or work[m.start - 1].text not in _SIGN_OFF_OPENERS:
        return False
    return all(t.is_punct or t.is_space for t in work[m.end :])


def common_word_guess(work: Doc, m: Mention, lower_words: frozenset[str]) -> bool:
    """A one-word model guess that is capitalised only because it opens a sentence (“Quotas will be split
    ...”), a word the article also writes in lower case: a common noun, no name."""
    if m.method != "model" or m.length != 1:
        return False
    tok = work[m.start]
    opens = tok.is_sent_start or (m.start > 0 and work[m.start - 1].text in _OPENING_MARKS)
    return opens and tok.text[1:].islower() and tok.lower_ in lower_words


_OPENING_MARKS = frozenset({"“", '"', "‘", "'", "(", "—", "–"})


def office_before_title(m: Mention, official_title_at: dict[int, int]) -> bool:
    """A model ORG guess that runs into, or right up to, a public office (“Ontario Premier”, “Investment,
    Trade and Industry Minister”) is the jurisdiction or portfolio of a title, no company."""
    if m.method != "model" or m.label is not Label.COMPANY:
        return False
    return any(s in official_title_at for s in range(m.start + 1, m.end + 1))


_PARTIES = frozenset({"R", "D", "I"})
_DASHES = frozenset({"-", "–", "—", "--"})
_CLOSING_MARKS = frozenset({"”", '"', "’", "'"})
_HONORIFICS = frozenset({"Mr", "Mrs", "Ms", "Dr", "Sir", "Madam"})
_OWNERS = frozenset({"his", "her", "its", "their", "our", "my", "your"})
_ARTICLES = frozenset({"a", "an", "the"})


def platform_as_channel(lex: EntityLexicon, work: Doc, m: Mention) -> bool:
    """A platform named as where something was said (“on his Facebook”, “in a Truth Social post”) is the
    channel, no actor (guidelines: a social network as a channel is not marked)."""
    if m.label not in (Label.COMPANY, Label.MEDIA) or m.start == 0:
        return False
    texts = doc_words(work)  # plain strings: this runs on every company mention
    before = texts[m.start - 1].lower()
    if before not in _OWNERS and before not in _ARTICLES:
        return False
    # "a Truth Social post", "his Facebook page": a noun phrase; not "Rosneft and Lukoil account for half" (a verb)
    # nor "the Kestrel post-earnings rally"
    after = texts[m.end + 1] if m.end + 1 < len(texts) else ""
    if m.end < len(texts) and texts[m.end].lower() in lex.platform_channel_words and after != "-":
        return True
    return before in _OWNERS and m.start >= 2 and texts[m.start - 2].lower() == "on"


def in_headline(doc: Doc, i: int) -> bool:
    """Whether the sentence of word `i` is title-cased (a headline): capitalised names mean nothing there."""
    if not doc.has_annotation("SENT_START"):
        return False
    sent = doc[i].sent
    words = [t for t in sent if not t.is_space]
    # a headline has no closing stop; a sentence full of names has one
    if not words or words[-1].text in {".", "!", "?", '"', "”", "’", ")"}:
        return False
    long_words = [t.text for t in words if t.is_alpha and len(t.text) > 3]
    return len(long_words) >= 3 and sum(w[:1].isupper() for w in long_words) >= 0.75 * len(long_words)


def unsupported_people(
    lex: EntityLexicon, work: Doc, mentions: list[Mention], titles: list[tuple[int, int]]
) -> list[Mention]:
    """`mentions` without the model's PERSON guesses that nothing in the article makes a person.

    The small model calls capitalised words people: a place (“in-whs Rotterdam”), the first word of a
    subhead, a product. A guess of one word, or any guess in a title-cased headline, is kept only with
    support: it is a word of a fuller person name the article gives elsewhere, a pack surname, it follows a
    title, or a verb of saying stands next to it (“said Okafor”, “Okafor told”)."""
    guesses = [m for m in mentions if m.method == "model" and m.label is Label.PERSON]
    if not guesses:
        return mentions
    texts = doc_words(work)
    ids = {id(m) for m in guesses}
    # the words of the other people's names: "Tamura" after "Aiko Tamura" (resolution links them)
    name_words = {
        texts[i]
        for m in mentions
        if m.label in PEOPLE_LABELS and m.length >= 2 and id(m) not in ids
        for i in range(m.start, m.end)
    }
    # the words of every other name of two words or more, guesses too ("Ruiz Ligero" after "Pablo Ruiz Ligero")
    multi = [x for x in mentions if x.label in PEOPLE_LABELS and x.length >= 2]
    full_name_words = {
        m.start: {texts[i] for x in multi if x is not m for i in range(x.start, x.end)}
        for m in guesses
        if m.length >= 2
    }
    title_ends = {e for _, e in titles}
    title_starts = {s for s, _ in titles}
    speech = lex.speech_verbs
    n = len(texts)

    def supported(m: Mention) -> bool:
        last = texts[m.end - 1]
        return (
            last in name_words
            or last in lex.pack_surnames
            or m.start in title_ends
            or (m.start > 0 and texts[m.start - 1] in speech)
            or (m.end < n and texts[m.end] in speech)
        )

    def supported_full_name(m: Mention) -> bool:
        """A guess of two words or more (“Minas Gerais”, a product, a fund) is a person only with a sign of
        one: any support of a one-word guess, a title or a verb of saying after its comma (“Ana Ruiz, head of
        ...”, “Ana Ruiz, who said”), an honorific before it, a given name of the packs or a family name first,
        or its last word alone elsewhere in the article (the surname used again)."""
        if supported(m):
            return True
        first, last = texts[m.start], texts[m.end - 1]
        if first in lex.given_names or first in lex.family_first:
            return True
        if m.start > 0 and texts[m.start - 1].rstrip(".") in _HONORIFICS:
            return True
        # “...,” – Ana Ruiz, Kestrel Securities: a dash after a closing quotation mark attributes the quote
        if m.start >= 2 and texts[m.start - 1] in _DASHES and texts[m.start - 2] in _CLOSING_MARKS:
            return True
        # "Ana Ruiz of Kestrel Bank said": the verb of saying after the employer
        if m.end < n and texts[m.end] == "of":
            for w in texts[m.end + 1 : m.end + 9]:
                if w in speech:
                    return True
                if w in {".", ";", "“", '"'}:
                    break
        # "Ana Ruiz (D-Ore.)": a legislator's party and state
        if m.end + 2 < n and texts[m.end] == "(" and texts[m.end + 1] in _PARTIES and texts[m.end + 2] == "-":
            return True
        if m.end < n and texts[m.end] == ",":
            after = texts[m.end + 1 : m.end + 8]
            if (after[:1] and after[0] in speech) or (after[:2] and after[0] == "who" and after[1] in speech):
                return True
            if any(k in title_starts for k in range(m.end + 1, min(n, m.end + 6))):
                return True
        if last in full_name_words.get(m.start, ()):
            return True
        words = texts[m.start : m.end - 1]
        return any(
            not (i >= len(words) and texts[i - len(words) : i] == words)
            for i in word_positions().get(last, ())
            if not m.start <= i < m.end
        )

    positions: dict[str, list[int]] = {}

    def word_positions() -> dict[str, list[int]]:
        # where each word stands, read once for all guesses (not one scan of the article per guess)
        if not positions:
            for i, w in enumerate(texts):
                positions.setdefault(w, []).append(i)
        return positions

    drop = {
        id(m)
        for m in guesses
        if not (supported(m) if m.length == 1 or in_headline(work, m.start) else supported_full_name(m))
    }
    return [m for m in mentions if id(m) not in drop] if drop else mentions

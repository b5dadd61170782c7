"""In-article resolution: surnames, pack surnames alone, defined acronyms and short forms of company names
become coreferent mentions of the full one."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.tokens import Doc

from models.records import PEOPLE_LABELS, Label
from pipeline.components.caches import doc_words
from pipeline.components.entities.lexicon import EntityLexicon
from pipeline.components.entities.names import ACRONYM
from pipeline.components.mentions import Mention


@dataclass
class _Resolving:
    """One article under resolution: the mentions (replaced in place, never reordered), the words they claim,
    the corefs added so far."""

    lex: EntityLexicon
    doc: Doc
    mentions: list[Mention]
    claimed: set[int] = field(default_factory=set)
    added: list[Mention] = field(default_factory=list)
    by_start: dict[int, int] = field(default_factory=dict)

    def link(self, i: int, idx: int, rule: str, score: float, yielding: frozenset[str]) -> None:
        """Word `i` as a coref of mention `idx`: a new mention if no one claimed it, else a one-word guess of a
        `yielding` method there becomes the coref ("CIT" guessed a company by the model)."""
        ante = self.mentions[idx]
        if i in self.claimed:
            k = self.by_start.get(i)
            if k is not None and k != idx and self.mentions[k].method in yielding and self.mentions[k].length == 1:
                make_coref(self.mentions[k], ante, idx, rule)
            return
        m = Mention(i, i + 1, ante.label, None, "", "coref", rule, score)
        make_coref(m, ante, idx, rule)
        self.added.append(m)
        self.claimed.add(i)


_MODEL = frozenset({"model"})
_GUESSES = frozenset({"model", "pattern"})


def resolve(lex: EntityLexicon, doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """`mentions` with the coreferent mentions the article's own names define, antecedents set."""
    st = _Resolving(lex, doc, mentions)
    st.claimed = {i for m in mentions for i in range(m.start, m.end)}
    st.by_start = {m.start: k for k, m in enumerate(mentions)}
    people = _full_names(lex, mentions)
    _pack_surnames(st, people)
    _surnames(st, people)
    _acronyms(st)
    _tickers(st)
    _short_forms(st)
    return _merged(mentions, st.added)


def _full_names(lex: EntityLexicon, mentions: list[Mention]) -> dict[tuple[str, ...], int]:
    """People by surname: the first full mention of each."""
    people: dict[tuple[str, ...], int] = {}
    for idx, m in enumerate(mentions):
        if m.label not in PEOPLE_LABELS or m.method == "coref":
            continue
        sur = lex.surnames.get(m.canonical_id or "") or surname(m.canonical_name, lex.family_first)
        if not sur:
            continue
        key = tuple(sur.split())
        if len(m.canonical_name.split()) >= 2:
            people.setdefault(key, idx)
    return people


def _pack_surnames(st: _Resolving, people: dict[tuple[str, ...], int]) -> None:
    """A surname alone that only one pack official has (“Biden's rules”), unless the article names another."""
    lex, doc, mentions = st.lex, st.doc, st.mentions
    titled = {m.start: k for k, m in enumerate(mentions) if m.rule == "pattern:titled-person" and m.length == 1}
    for i, text in enumerate(doc_words(doc)):
        le = lex.pack_surnames.get(text)
        if le is None and i in titled:
            # "President Trump", "Party Chair Xi": after a title, a surname only one pack person has names them
            le = lex.titled_surnames.get(text)
        if le is None or (text,) in people:
            continue
        idx_at = titled.get(i)
        if idx_at is None:
            idx_at = next((k for k, m in enumerate(mentions) if m.start <= i < m.end), None)
            if idx_at is not None and not (mentions[idx_at].method == "model" and mentions[idx_at].length == 1):
                continue
        m = lex.from_entry(le, i, i + 1, "rule", f"surname:{le.origin}", 0.7, text)
        if idx_at is not None:
            mentions[idx_at] = m
        else:
            st.added.append(m)
            st.claimed.add(i)


def _surnames(st: _Resolving, people: dict[tuple[str, ...], int]) -> None:
    """A one-word person mention that is a known surname, and the surname alone elsewhere, become corefs of
    the full mention."""
    lex, doc, mentions, claimed = st.lex, st.doc, st.mentions, st.claimed
    for idx, m in enumerate(mentions):
        key: tuple[str, ...] = (doc[m.start : m.end].text,)
        if m.label in (Label.PERSON, Label.OFFICIAL, Label.COMPANY) and m.length == 1 and key in people:
            ante = mentions[people[key]]
            if people[key] != idx and ante.canonical_name != m.canonical_name:
                make_coref(m, ante, people[key], "coref:surname")
    for key, idx in people.items():
        # "He" (the surname of He Lifeng) opening a sentence is the pronoun
        pronoun_like = len(key) == 1 and key[0].lower() in lex.stop_words
        for i in find_token_seq(doc, key):
            rng = range(i, i + len(key))
            if any(k in claimed for k in rng) or (pronoun_like and doc[i].is_sent_start):
                continue
            ante = mentions[idx]
            m = Mention(i, i + len(key), ante.label, None, "", "coref", "coref:surname", 0.85)
            make_coref(m, ante, idx, "coref:surname")
            st.added.append(m)
            claimed.update(rng)


def _acronyms(st: _Resolving) -> None:
    """Acronyms defined in the text: “rare earth elements (REE)”, “(“CIT”)”, an element symbol “gallium (Ga)”."""
    texts = doc_words(st.doc)
    for idx, m in enumerate(st.mentions):
        acr = _defined_acronym(texts, m.end)
        symbol = m.attrs.get("symbol") if m.label is Label.MATERIAL else None
        if acr is None and symbol and texts[m.end : m.end + 3] == ["(", symbol, ")"]:
            acr = symbol
        if acr is None:
            continue
        # the article's own definition beats a one-word model guess
        for i in find_token_seq(st.doc, (acr,)):
            st.link(i, idx, "coref:acronym", 0.9, _MODEL)


def _tickers(st: _Resolving) -> None:
    """The stock ticker of a pack company the article names (“MP Materials (NYSE: MP)”, “a stake in MP”) is
    that company, unless it is a common word or another entry's form."""
    lex = st.lex
    done: set[str] = set()
    for idx, m in enumerate(list(st.mentions)):
        ticker = m.attrs.get("ticker") if m.label is Label.COMPANY and m.method != "coref" else None
        if not ticker or ticker in done or not _TICKER.match(ticker) or ticker.lower() in lex.stop_words:
            continue
        if ticker in lex.not_entity_words or ticker.lower() in lex.by_form:
            continue
        done.add(ticker)
        for i in find_token_seq(st.doc, (ticker,)):
            st.link(i, idx, "coref:ticker", 0.8, _GUESSES)


_TICKER = re.compile(r"^[A-Z]{2,5}$")


def _defined_acronym(texts: list[str], end: int) -> str | None:
    """The acronym a name defines right after it: “(REE)”, “(“CIT”)”, “("CAFC")”."""
    inner = texts[end + 1 : end + 5]
    if end >= len(texts) or texts[end] != "(" or not inner:
        return None
    if inner[0] in _QUOTES and len(inner) >= 4 and inner[2] in _QUOTES and inner[3] == ")":
        acr = inner[1]
    elif len(inner) >= 2 and inner[1] == ")":
        acr = inner[0]
    else:
        return None
    return acr if ACRONYM.match(acr) else None


_QUOTES = frozenset({'"', "“", "”", "'", "‘", "’"})


def _short_forms(st: _Resolving) -> None:
    """Short forms of unknown companies: “Caldera” after “Caldera Metals Corp”."""
    lex, doc = st.lex, st.doc
    for idx, m in enumerate(st.mentions):
        if m.label is not Label.COMPANY or m.canonical_id is not None or m.length < 2:
            continue
        first = doc[m.start]
        if first.text in lex.stop or first.is_stop or first.text in lex.company_heads:
            continue
        for i in find_token_seq(doc, (first.text,)):
            if i + 1 < len(doc) and lex.is_name_token(doc[i + 1]) and doc[i + 1].text not in {"said"}:
                continue
            # a one-word model guess on the short form ("Caldera" as PERSON) yields to the company
            st.link(i, idx, "coref:short-form", 0.7, _MODEL)


def _merged(mentions: list[Mention], added: list[Mention]) -> list[Mention]:
    """Mentions and added corefs in text order."""
    if not added:
        return mentions
    merged = sorted([*mentions, *added], key=lambda x: x.start)
    # antecedent indexes point into the old list; rebuild them by identity
    position = {id(m): k for k, m in enumerate(merged)}
    old = mentions
    for m in merged:
        if m.antecedent is not None and m.antecedent < len(old):
            m.antecedent = position[id(old[m.antecedent])]
    return merged


def make_coref(m: Mention, ante: Mention, ante_idx: int, rule: str) -> None:
    m.label = ante.label
    m.canonical_id = ante.canonical_id
    m.canonical_name = ante.canonical_name
    m.attrs = dict(ante.attrs)
    m.method = "coref"
    m.rule = rule
    m.antecedent = ante_idx


def find_token_seq(doc: Doc, words: Iterable[str]) -> list[int]:
    """Token indices where the word sequence starts."""
    seq = list(words)
    if not seq:
        return []
    texts = doc_words(doc)
    k = len(seq)
    first = seq[0]
    return [i for i in range(len(texts) - k + 1) if texts[i] == first and texts[i : i + k] == seq]


def surname(name: str, family_first: set[str] | frozenset[str] = frozenset()) -> str | None:
    """The family name of a full name: the last word, or the first for family-first names (Liang Wenhao)."""
    words = [w for w in name.split() if w not in {"Jr.", "Jr", "Sr.", "III", "II"}]
    if len(words) < 2:
        return None
    if words[0] in family_first and (len(words) == 3 or (len(words) == 2 and words[1] not in family_first)):
        # "Rha Woong Bae", "Liang Wenhao": the family name leads (two-word names only when unambiguous)
        return words[0]
    return words[-1]

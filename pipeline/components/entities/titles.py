"""Titles on people: the office written before or after a name, spread to every mention of the person;
a public office makes the person an OFFICIAL."""

from __future__ import annotations

from typing import NamedTuple

from spacy.tokens import Doc

from models.records import PEOPLE_LABELS, Label
from pipeline.components.entities.lexicon import EntityLexicon
from pipeline.components.mentions import Mention
from pipeline.components.overlap import drop_overlaps


class _TitleSpan(NamedTuple):
    start: int
    end: int


def title_spans(lex: EntityLexicon, doc: Doc) -> list[tuple[int, int]]:
    """Token ranges of office/role titles, longest first-come."""
    spans = [_TitleSpan(s, e) for _, s, e in lex.title_matcher(doc)]
    kept = drop_overlaps(spans, key=lambda t: (t.start, -(t.end - t.start)))
    return [(t.start, t.end) for t in kept]


def attach_titles(lex: EntityLexicon, doc: Doc, mentions: list[Mention], titles: list[tuple[int, int]]) -> None:
    """`attrs.title` = the title written next to the name, spread to every mention of that person."""
    title_end = {e: (s, e) for s, e in titles}
    found: dict[str, str] = {}
    official_keys: set[str] = set()
    for m in mentions:
        if m.label not in PEOPLE_LABELS:
            continue
        key = m.canonical_id or m.canonical_name
        before = title_before(lex, doc, m, title_end, mentions)
        after = title_after(lex, doc, m, titles)
        # the public office wins when the text gives both (“Lord Plumb, European Parliament President”)
        options = [t for t in (before, after) if t]
        official = [t for t in options if is_official_title(lex, doc, t, m, appositive=t is after, mentions=mentions)]
        official.sort(key=lambda t: not getattr(lex.last_title_entry(t), "official", False))
        title = official[0] if official else (options[0] if options else None)
        if not title:
            continue
        if before and not official and m.method == "pattern" and _company_title(m, before, mentions):
            m.label = Label.PERSON  # "Steel Producers Association President Dana Whitcombe" holds no public office
        m.attrs["title"] = title
        te = lex.last_title_entry(title)
        if official:
            official_keys.add(key)
        if te is not None and te.gender and "gender" not in m.attrs:
            m.attrs["gender"] = te.gender
        if official or key not in found:
            found[key] = title
    for m in mentions:
        key = m.canonical_id or m.canonical_name
        if m.label not in PEOPLE_LABELS:
            continue
        if "title" not in m.attrs and key in found:
            m.attrs["title"] = found[key]
        if key in official_keys and m.label is Label.PERSON and m.canonical_id is None:
            m.label = Label.OFFICIAL
    for m in mentions:
        # a surname resolved before its full name was relabelled ("Association President Sam Fuller" holds no
        # public office, so "Fuller" is no OFFICIAL either) takes the full name's label
        ante = mentions[m.antecedent] if m.method == "coref" and m.antecedent is not None else None
        if ante is not None and m.label in PEOPLE_LABELS and ante.label in PEOPLE_LABELS:
            m.label = ante.label


def is_official_title(
    lex: EntityLexicon, doc: Doc, title: str, m: Mention, *, appositive: bool, mentions: list[Mention]
) -> bool:
    """Whether `title` (written before the name, or as an appositive after it) is a public office."""
    te = lex.last_title_entry(title)
    # "former vice commerce minister Wei Jianguo": a former official holds no office now (guidelines 4, PERSON)
    first = m.start - len(title.split())
    if title.lower().startswith("former ") or (not appositive and first > 0 and doc[first - 1].lower_ == "former"):
        return False
    # “ASA Vice President James Adams”, “Nvidia CEO Jensen Huang”: an office of a company is no public one
    if not appositive and _company_title(m, title, mentions):
        return False
    if te is not None and te.official:
        return True
    if title.lower().split()[-1] in lex.person_roles:
        return False  # a named spokesperson is a PERSON, even a ministry's (guidelines)
    # a role word in a government body: “vice chairman of the government's Council ...”; for an appositive,
    # the body may follow the title within the same clause
    words = set(title.replace("'s", " ").split())
    after: set[str] = set()
    if appositive:
        # a "Council" of a company or association is no government body
        company_words = {i for x in mentions if x.label is Label.COMPANY for i in range(x.start, x.end)}
        for t in doc[m.end : min(len(doc), m.end + 12)]:
            if t.text in {".", ";"} or (t.is_sent_start and t.i > m.end):
                break
            if t.i not in company_words:
                after.add(t.text)
    return bool((words | after) & lex.government_words) and te is not None


def _company_title(m: Mention, title: str, mentions: list[Mention]) -> bool:
    """Whether the title before `m` is an office of a company (“Nvidia CEO”, “Steel Producers Association
    President”, the company ending right before the title)."""
    start = max(0, m.start - len(title.split()))
    return any(x.label is Label.COMPANY and (start <= x.start < m.start or x.end == start) for x in mentions)


def title_before(
    lex: EntityLexicon, doc: Doc, m: Mention, title_end: dict[int, tuple[int, int]], mentions: list[Mention]
) -> str | None:
    if m.start not in title_end:
        return None
    s, _ = title_end[m.start]
    by_end = {x.end: x for x in mentions if x.label in (Label.COUNTRY, Label.AGENCY, Label.COMPANY)}
    # grow left over capitalised title words, countries and agencies ("U.S. Commerce Secretary")
    while s > 0:
        prev = doc[s - 1]
        if prev.is_sent_start and prev.text in lex.stop:
            break
        if (s) in by_end:
            s = by_end[s].start
            continue
        if s in title_end or (
            prev.text[:1].isupper()
            and prev.text not in lex.stop
            and prev.is_alpha
            and not prev.is_sent_start
            and prev.text.lower() in lex.title_words
        ):
            s -= 1
            continue
        break
    return doc[s : m.start].text


def title_after(lex: EntityLexicon, doc: Doc, m: Mention, titles: list[tuple[int, int]]) -> str | None:
    """ "Howard Lutnick, the U.S. commerce secretary," -> "U.S. commerce secretary"."""
    i = m.end
    if i + 1 >= len(doc) or doc[i].text != ",":
        return None
    j = i + 1
    # "Barber Conable, who is a former Republican Congressman": the relative clause is no part of the title
    if j + 1 < len(doc) and doc[j].lower_ == "who" and doc[j + 1].lower_ in {"is", "was"}:
        j += 2
    if j < len(doc) and doc[j].lower_ in {"the", "a", "an"}:
        j += 1
    start = j
    limit = min(len(doc), j + 8)
    for s, e in titles:
        if start <= s < limit and all(not doc[k].is_punct or doc[k].text == "." for k in range(start, s)):
            return doc[start:e].text
    return None

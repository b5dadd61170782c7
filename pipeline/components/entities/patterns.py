"""Pattern rules for names the packs do not know: titled people, appositive titles, organisations by head
word or legal suffix, chip model numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc

from models.records import Label
from pipeline.components.caches import doc_spaces, doc_words
from pipeline.components.entities.filters import in_headline
from pipeline.components.entities.lexicon import EntityLexicon
from pipeline.components.entities.names import MODEL_NUMBER, NAME_TOKEN, clean_name, clean_org
from pipeline.components.mentions import Mention


@dataclass
class _Around:
    """What the pattern passes look around: the rule mentions, the words they claimed, the title spans."""

    lex: EntityLexicon
    doc: Doc
    rules: list[Mention]
    claimed: set[int]
    titles: list[tuple[int, int]]
    # words of the companies and associations found so far: a "Council" there is no government body
    company_words: frozenset[int] = frozenset()


def pattern_mentions(
    lex: EntityLexicon, doc: Doc, rules: list[Mention], titles: list[tuple[int, int]]
) -> list[Mention]:
    """Mentions the patterns find around the rule mentions `rules` (whose words they do not take)."""
    at = _Around(lex, doc, rules, {i for m in rules for i in range(m.start, m.end)}, titles)
    # organisations first: whether a title is a public office depends on the body it is in
    orgs = _organisations(at)
    at.company_words = frozenset(
        i for m in (*rules, *orgs) if m.label is Label.COMPANY for i in range(m.start, m.end)
    )
    return [
        *_titled_people(at),
        *_appositive_people(at),
        *orgs,
        *_chip_numbers(at),
        *_region_actors(at),
    ]


# words before a region that make it a place ("in Europe", "to Europe")
_PLACE_WORDS = frozenset({"in", "to", "from", "across", "throughout", "into", "of", "around", "outside"})


def _region_actors(at: _Around) -> list[Mention]:
    """A region acting as a polity (“Europe must respond”, “divided Europe”, “Europe's security”) is the
    COUNTRY the lexicon names for it; a region as a place (“shipments to Europe”) is not marked."""
    lex = at.lex
    if not lex.region_actors:
        return []
    texts = doc_words(at.doc)
    out: list[Mention] = []
    for i, text in enumerate(texts):
        target = lex.region_actors.get(text)
        if target is None or i in at.claimed or target not in lex.by_id:
            continue
        if i > 0 and texts[i - 1].lower() in _PLACE_WORDS:
            continue  # "every battery maker in Europe has ...": the place
        after = texts[i + 1] if i + 1 < len(texts) else ""
        before = texts[i - 1].lower() if i > 0 else ""
        if after in lex.actor_after or before in lex.actor_before:
            out.append(lex.from_entry(lex.by_id[target], i, i + 1, "pattern", "pattern:region-actor", 0.8, text))
    return out


# words of a name after a title: Malay and Arab names with their honorifics run long ("Tengku Datuk Seri Amir
# Tengku Abdul Rahman")
_MAX_NAME_WORDS = 7


def _titled_people(at: _Around) -> list[Mention]:
    """Titled people: “Trade Minister Jane Doe”, “Congresswoman X”, “Vice Premier He Lifeng”."""
    lex, doc, claimed = at.lex, at.doc, at.claimed
    out: list[Mention] = []
    n = len(doc)
    for s, e in at.titles:
        te = lex.title_entry(doc, s, e)
        j = e
        while (
            j < n
            and j - e < _MAX_NAME_WORDS
            and lex.is_name_token(doc[j])
            and j not in claimed
            and doc[j].lower_ not in lex.titles
        ):
            if doc[j].is_sent_start and j != e:
                break
            j = past_hyphen(doc, j + 1)
        # "Senator Blasts Commerce Secretary Over Chip Sales": capitalised words running into a title word are
        # a title-cased headline, not a name
        if j < n and j > e and doc[j].lower_ in lex.title_words and doc[j].text[:1].isupper():
            continue
        if any(doc[k].lower_ in lex.title_words for k in range(e, j)):
            continue
        if j - e >= 1 and (j - e >= 2 or (te is not None and doc[j - 1].text[:1].isupper())):
            # "former vice commerce minister Wei Jianguo" holds no office now (guidelines: a former official is PERSON)
            former = doc[s].lower_ == "former" or (s > 0 and doc[s - 1].lower_ == "former")
            official = official_role(lex, doc, s, e, j, te, at.company_words) and not former
            label = Label.OFFICIAL if official else Label.PERSON
            name = clean_name(doc[e:j].text)
            out.append(Mention(e, j, label, None, name, "pattern", "pattern:titled-person", 0.8, {}))
    return out


def _appositive_people(at: _Around) -> list[Mention]:
    """People with an appositive title: “Dana Whitfield, the U.S. commerce under secretary,”."""
    lex, doc, claimed = at.lex, at.doc, at.claimed
    out: list[Mention] = []
    # 1b. appositive titles: "Dana Whitfield, the U.S. commerce under secretary," / "Robert Arnott, Australia's
    # delegate to ..." / "John Ni, director of the Ministry's ..."
    for s, e in at.titles:
        if e < len(doc) and lex.is_name_token(doc[e]) and doc[e].lower_ not in lex.title_words:
            continue  # "Bank of Norland, deputy chief economist Ana Ruiz": the title is the next name's
        k = s - 1
        while (
            k >= 0
            and s - k <= 5
            and doc[k].text != ","
            # "Jonathan Reyes, senior trade director at ...": lower-case words a title may hold
            and (
                doc[k].lower_ in {"the", "a", "an", "'s", "’s"}
                or doc[k].text[:1].isupper()
                or k in claimed
                or (doc[k].is_alpha and doc[k].lower_ in lex.title_words)
            )
        ):
            k -= 1
        if k < 2 or doc[k].text != ",":
            continue
        j = k
        while (
            j - 1 >= 0
            and k - j < 5
            and (j - 1) not in claimed
            and doc[j - 1].lower_ not in lex.titles
            and (lex.is_name_token(doc[j - 1]) or (doc[j - 1].text == "-" and j - 2 >= 0))
        ):
            j -= 1
        while j < k and not lex.is_name_token(doc[j]):
            j += 1
        after_title = j >= 1 and doc[j - 1].lower_ in lex.titles
        if k - j >= 2 or (k - j == 1 and after_title):
            te = lex.title_entry(doc, s, e)
            label = Label.OFFICIAL if official_role(lex, doc, s, e, e + 8, te, at.company_words) else Label.PERSON
            out.append(
                Mention(j, k, label, None, clean_name(doc[j:k].text), "pattern", "pattern:appositive-person", 0.75, {})
            )
    return out


def _organisations(at: _Around) -> list[Mention]:
    """Organisations with typical heads or legal suffixes: “Caldera Metals Corp”, “Ministry of Commerce”,
    “Society of Indian Automobile Manufacturers”; named laws and programmes by their head (“... Act”)."""
    lex, doc, rules, claimed = at.lex, at.doc, at.rules, at.claimed
    out: list[Mention] = []
    n = len(doc)
    # plain lists, not Token objects: this loop visits every word of every article
    texts = doc_words(doc)
    spaces = doc_spaces(doc)
    name_ok = [bool(NAME_TOKEN.match(t)) and t not in lex.stop and not t[:1].isdigit() for t in texts]
    legal_or_sep = lex.legal | {",", "&"}
    # "American Soybean Association", "U.S. Census Bureau": a name may hold a country or a material
    crossable = {i for m in rules if m.label in (Label.COUNTRY, Label.MATERIAL) for i in range(m.start, m.end)}
    # "Shanghai Biren Intelligent Technology Co.": a legal name may hold a pack company
    companies = {m.start: m for m in rules if m.label is Label.COMPANY}
    i = 0
    while i < n:
        if (i in claimed and i not in crossable and i not in companies) or not name_ok[i]:
            i += 1
            continue
        j = _name_run_end(at, texts, spaces, name_ok, crossable, companies, i)
        # extend over legal suffixes after the run ("Co., Ltd.")
        while j < n and texts[j] in legal_or_sep and j not in claimed:
            if texts[j] in {",", "&"} and not (j + 1 < n and texts[j + 1] in lex.legal):
                break
            j += 1
        found = _named_org(at, texts, crossable, companies, i, j)
        if found is not None:
            label, end, inner = found
            rule = f"pattern:{label.value.lower()}-head"
            if inner is not None:
                m = lex.from_entry(lex.by_id[inner.canonical_id or ""], i, end, "pattern", rule, 0.75, "")
            else:
                m = Mention(i, end, label, None, clean_org(doc[i:end].text), "pattern", rule, 0.75, {})
            out.append(m)
            i = end
            continue
        # a run with connectors that names nothing may hold a name after them ("Officials of the Central Bank")
        conn = next((k for k in range(i, j) if texts[k] in _CONNECTORS), j)
        i = max(conn, i + 1)
    return out


# lower-case words a long official name may hold between its capitalised ones ("Committee on Banking,
# Housing, and Urban Affairs", "Court of Appeals for the Federal Circuit")
_CONNECTORS = frozenset({"of", "for", "on", "to", "and", "the", ","})
_OF_WORDS = frozenset({"of", "for", "on", "to"})


def _name_run_end(
    at: _Around,
    texts: list[str],
    spaces: list[bool],
    name_ok: list[bool],
    crossable: set[int],
    companies: dict[int, Mention],
    i: int,
) -> int:
    """The end of the run of name words from `i`: capitalised words, legal suffixes, “&” and “-” joins,
    connectors followed by a name word, pack countries, materials and companies."""
    n, claimed, lex = len(texts), at.claimed, at.lex
    j, words, seen_of = i, 0, False
    while j < n and words < 12:
        if j in companies and j != i and j not in crossable:
            j = companies[j].end
            words += 1
            continue
        if j in claimed and j not in crossable and j not in companies:
            break
        t = texts[j]
        if name_ok[j] or t in lex.legal:
            j += 1
            words += 1
        elif j > i and t == "&" and j + 1 < n and name_ok[j + 1]:
            j += 1
        elif j > i and t == "-" and not spaces[j - 1] and not spaces[j] and j + 1 < n and name_ok[j + 1]:
            j += 1  # "US-UK Economic Prosperity Deal"
        elif j > i and t in _CONNECTORS:
            # "of", "for the", "and", and (after an "of") ", " or ", and": nothing longer
            k = j + 1
            if (t in _OF_WORDS and k < n and texts[k] == "the") or (t == "," and k < n and texts[k] == "and"):
                k += 1
            if t == "the" or (t == "," and not seen_of):
                break
            if k >= n or not name_ok[k] or (k in claimed and k not in crossable):
                break
            seen_of = seen_of or t in _OF_WORDS
            j = k
        elif j > i and t[:1].isdigit() and texts[j - 1] in lex.policy_heads:
            j += 1  # "Executive Order 13382", "Strategic Trade Act 2010"
            break
        else:
            break
    # a run does not end on a connector
    while j > i and texts[j - 1] in _CONNECTORS:
        j -= 1
    return j


def _named_org(
    at: _Around, texts: list[str], crossable: set[int], companies: dict[int, Mention], i: int, j: int
) -> tuple[Label, int, Mention | None] | None:
    """(label, end, the pack company it names) of an organisation or named law the run `[i, j)` starts with."""
    lex = at.lex
    words = texts[i:j]
    # "Harbor Toys, Inc.": a comma before an abbreviated legal suffix joins no second name ("the U.S., Company
    # spokesmen" has a full word after it)
    conn = next(
        (
            k
            for k, w in enumerate(words)
            if w in _CONNECTORS and not (w == "," and k + 1 < len(words) and _short_legal(lex, words[k + 1]))
        ),
        None,
    )
    if conn is not None:
        # "Society of Indian Automobile Manufacturers", "Court of Appeals for the Federal Circuit", "American Iron
        # and Steel Institute": with a connector the name needs an association or government head before its
        # first "of" or at its end
        # "Laura Espinoza of the Monterrey Industrial Council" names a person before the "of": with an "of" the
        # head comes before it
        of_at = next((k for k, w in enumerate(words) if w in _OF_WORDS), None)
        head = words[of_at - 1] if of_at is not None else words[-1]
        label = _head_label(lex, head) if of_at != 0 else None
        if label is Label.COMPANY and head in lex.agency_heads and of_at is not None:
            # "Council for Economic Planning and Development" is a government body; "Steel Council of Canada",
            # named by its industry, an association
            industry = of_at >= 2 and words[of_at - 2] in lex.company_heads
            label = Label.COMPANY if industry else Label.AGENCY
        if label is Label.AGENCY and texts[i] in lex.demonyms:
            return None  # "Chinese Ministry of ...": the demonym is a COUNTRY of its own (the next word starts)
        if label is not None and not in_headline(at.doc, i) and not (i in at.claimed and i not in crossable):
            return label, j, _inner_company(companies, i, j, label)
        j = i + conn
        words = texts[i:j]
        if not words:
            return None
    last_core = max((k for k, w in enumerate(words) if w not in lex.legal and w not in {",", "&"}), default=-1)
    org_label = _org_label(lex, words, last_core)
    if org_label is None and words[0].lower() not in lex.title_words:
        # "Steel Producers Association President Dana Whitcombe": a name runs into a title and its holder; it
        # ends at the head word before the title
        cut = next((k for k in range(1, len(words)) if words[k].lower() in lex.titles), None)
        if cut is not None and (_head_label(lex, words[cut - 1]) or words[cut - 1] in lex.company_heads):
            words = words[:cut]
            last_core = cut - 1
            org_label = _org_label(lex, words, last_core)
    if org_label is Label.POLICY and in_headline(at.doc, i):
        return None
    crossed = [k for k in range(i, i + len(words)) if k in crossable]
    inner = _inner_company(companies, i, i + len(words), org_label)
    has_legal_suffix = last_core >= 0 and len(words) > last_core + 1
    if companies.get(i) is not None and i in at.claimed and (inner is None or in_headline(at.doc, i)):
        return None  # a pack company starts the run and no legal name grows from it
    if crossed and org_label is not None:
        head = words[last_core] if last_core >= 0 else ""
        # "U.S. Census Bureau" keeps its country; "U.S. Government" is the country and a nominal
        agency_with_country = (
            org_label is Label.AGENCY
            and crossed[0] == i
            and texts[i] not in lex.demonyms
            and head.lower() not in lex.nominal_words
        )
        if not (
            head in lex.association_heads
            or org_label is Label.POLICY
            or agency_with_country
            or (org_label is Label.COMPANY and has_legal_suffix)
        ):
            org_label = None
    # "Group said": a head word alone or with one more word opens no name ("Semiconductor Industry
    # Association" does)
    if org_label is None or (words[0] in lex.company_heads and i not in crossable and last_core < 2):
        return None
    end = i + (len(words) if org_label in (Label.COMPANY, Label.POLICY) else last_core + 1)
    return org_label, end, inner


def _short_legal(lex: EntityLexicon, word: str) -> bool:
    """A legal suffix written short (Inc, Inc., Ltd., LLC, S.A.), never an ordinary word."""
    return word in lex.legal and len(word.rstrip(".")) <= 4


def _inner_company(companies: dict[int, Mention], i: int, j: int, label: Label | None) -> Mention | None:
    """The pack company inside a legal name (“Shanghai Biren Intelligent Technology Co.”): the name is its."""
    if label is not Label.COMPANY:
        return None
    inner = [m for k, m in companies.items() if i <= k and m.end <= j]
    return inner[0] if len(inner) == 1 and inner[0].canonical_id else None


def _head_label(lex: EntityLexicon, head: str) -> Label | None:
    """The label a head word gives a long name with connectors (associations, government bodies, laws)."""
    if head in lex.association_heads:
        return Label.COMPANY
    if head in lex.agency_heads:
        return Label.AGENCY
    if head in lex.policy_heads:
        return Label.POLICY
    return None


# a word that starts with a letter or digit and holds a digit: the only shape a model number has (one
# compiled match per word; this pass sees every word of every article)
_ALNUM_WITH_DIGIT = re.compile(r"^[^\W_][^\d\s]*\d")


def _chip_numbers(at: _Around) -> list[Mention]:
    """Model numbers near a vendor or a chip noun: “its new B30A chip”, “Nvidia’s B40”; bare numbers of a pack
    chip after its family or vendor: “Ascend 910B, 910C and 910D”, “Huawei’s 910B”."""
    texts = doc_words(at.doc)
    vendors = {m.end: m for m in at.rules if m.label is Label.COMPANY}
    chips = {m.end: m for m in at.rules if m.label is Label.CHIP}
    out: list[Mention] = []
    for i, text in enumerate(texts):
        if not _ALNUM_WITH_DIGIT.match(text) or i in at.claimed:
            continue
        prev_vendor = vendors.get(i) or (vendors.get(i - 1) if i >= 1 and texts[i - 1] in {"'s", "’s"} else None)
        known = _numbered_chip(at, texts, i, chips, prev_vendor)
        if known is not None:
            m = at.lex.from_entry(known, i, i + 1, "pattern", "pattern:chip-number-after-family", 0.75, text)
            out.append(m)
            chips[i + 1] = m
            continue
        if not MODEL_NUMBER.match(text):
            continue
        nxt = texts[i + 1].lower() if i + 1 < len(texts) else ""
        if nxt in at.lex.chip_nouns or prev_vendor is not None:
            attrs = {"vendor": prev_vendor.canonical_id} if prev_vendor is not None else {}
            out.append(Mention(i, i + 1, Label.CHIP, None, text, "pattern", "pattern:chip-model-number", 0.7, attrs))
    return out


def _numbered_chip(at: _Around, texts: list[str], i: int, chips: dict[int, Mention], vendor: Mention | None) -> Any:
    """The pack chip a bare model number names after a chip of its family (over commas and "and") or after
    its vendor's possessive, if exactly one has that number."""
    k = i
    while k > 0 and texts[k - 1] in {",", "and", "or", "&"}:
        k -= 1
    chip = chips.get(k) if k < i else None
    if chip is not None:
        family = chip.attrs.get("family") or ""
        name_prefix = " ".join(chip.canonical_name.split()[:-1])
        for prefix in (family, name_prefix):
            le = at.lex.chip_numbers.get((prefix.lower(), texts[i].lower()))
            if le is not None:
                return le
    if vendor is not None and vendor.canonical_id:
        return at.lex.chip_numbers.get((vendor.canonical_id, texts[i].lower()))
    return None


def _org_label(lex: EntityLexicon, words: list[str], last_core: int) -> Label | None:
    """The label a run of name words gets from its head word or legal suffix, if any."""
    has_head = last_core >= 1 and words[last_core] in lex.company_heads
    has_legal_suffix = last_core >= 0 and len(words) > last_core + 1
    run_text = " ".join(words)
    if any(h in run_text for h in lex.agency_phrases):
        return Label.AGENCY  # "the Central Bank": a bank head, but a government body
    if last_core >= 1 and words[last_core] in lex.policy_heads and not has_legal_suffix:
        return Label.POLICY  # "Foreign Adversary Controlled Applications Act"
    if last_core >= 2 and words[last_core][:1].isdigit() and words[last_core - 1] in lex.policy_heads:
        return Label.POLICY  # "Executive Order 13382"
    if has_head or has_legal_suffix:
        return Label.COMPANY
    if last_core >= 1 and words[last_core] in lex.agency_heads:
        # "Harbour Industrial Council", "Steel Council": an association named by its industry
        if words[last_core] in lex.association_heads and words[last_core - 1] in lex.company_heads:
            return Label.COMPANY
        return Label.AGENCY
    return None


def past_hyphen(doc: Doc, j: int) -> int:
    """Hyphenated given names (“Lee Ta-hai”, “Chang Chi-cheng”) are split by the tokenizer: step over them."""
    while (
        j + 1 < len(doc)
        and doc[j].text == "-"
        and not doc[j - 1].whitespace_
        and not doc[j].whitespace_
        and doc[j + 1].is_alpha
    ):
        j += 2
    return j


def official_role(
    lex: EntityLexicon, doc: Doc, s: int, e: int, hi: int, te: Any, company_words: frozenset[int] = frozenset()
) -> bool:
    """A title makes its holder an OFFICIAL when the office is public: the lexicon says so, or a role word
    (“director”, “vice chairman”, “delegate”) sits in a government body (“of the Ministry's ...”), not in a
    company or association (“director of trade at the Harbour Industrial Council”)."""
    if te is not None and te.official:
        return True
    if doc[e - 1].lower_ in lex.person_roles:
        return False  # a named spokesperson is a PERSON, even a ministry's (guidelines)
    window = [t.text for t in doc[max(0, s - 3) : min(len(doc), hi)] if t.i not in company_words]
    return any(w in lex.government_words for w in window)

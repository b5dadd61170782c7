"""Speaker spans: who stands before or after a cue (“X said”, “said X”, “X, the minister, added”), roles
(“a spokesperson for Huawei”), unnamed sources (“people familiar with the matter”) and, with a parser, the
subject of the cue's clause."""

from __future__ import annotations

from dataclasses import replace

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Span, Token

from models.records import PEOPLE_LABELS, SPEAKER_LABELS, Label
from pipeline.components.quotes.channel import channel_noun_ends
from pipeline.components.quotes.coreference import (
    earlier_role_body,
    resolve_document,
    resolve_nominal,
    resolve_pronoun,
)
from pipeline.components.quotes.cues import Cue
from pipeline.components.quotes.refs import (
    POSSESSIVE_MARKS,
    possessed_name_ending,
    possessed_name_starting,
    speaker_from_mention,
    unlinked,
)
from pipeline.components.quotes.results import SpeakerRef
from pipeline.components.quotes.state import DocState
from pipeline.components.quotes.words import (
    ADVERB_AUX_TAGS,
    DATELINE,
    DETERMINERS,
    NOUN_TAGS,
    PHRASE_OPENERS,
    RELATIVE_OPENERS,
)


def speaker_span_at(st: DocState, i: int, lo: int, hi: int, direction: int) -> SpeakerRef | None:
    """A speaker starting (direction=+1) or ending (direction=-1) at token i."""
    ix, lex = st.ix, st.lex
    doc = ix.doc
    if not (lo <= i < hi):
        return None
    tok = doc[i]
    if ix.tok_quoted[tok.i]:
        return None
    # an entity mention
    idx = ix.tok_mention.get(i)
    if idx is not None and ix.mentions[idx].label in SPEAKER_LABELS:
        m_end = ix.mentions[idx].end
        if direction > 0 and m_end < hi and ix.lower[m_end] in POSSESSIVE_MARKS:
            # “according to China’s Ministry of Commerce”: the body the country's name opens
            owned = possessed_name_starting(ix, lex.possessive_names, m_end + 1, hi)
            if owned is not None:
                return owned
        return speaker_from_mention(ix, idx)
    if _is_surname_he(st, tok):
        return _surname_speaker(st, tok)
    if tok.lower_ in st.lex.words.personal or tok.lower_ in st.lex.words.plural_or_org:
        return resolve_pronoun(st, tok)
    # "a spokesperson for Huawei", "a Huawei spokesperson", anonymous sources, "the company"
    res = _nominal_forward(st, i, hi) if direction > 0 else _nominal_backward(st, i, lo)
    if res is not None:
        return res
    # an unknown capitalised name, without the title in front of it (“Congressman Ethan Brandt”)
    if direction > 0:
        while i + 1 < hi and (ix.lower[i] in lex.titles or ix.lower[i] in st.lex.words.honorifics):
            i += 1
        tok = doc[i]
    name_end = i + 1
    if direction < 0 and tok.is_lower and i - 2 >= lo and doc[i - 1].text == "-" and doc[i - 2].text[:1].isupper():
        # a hyphenated given name read backwards: “Choi Min-ho, …, said”
        i -= 2
        tok = doc[i]
    if tok.text[:1].isupper() and tok.is_alpha and tok.text not in lex.stop and not _capitalised_by_position(st, i):
        j0, j1 = i, max(i + 1, name_end)
        if direction > 0:
            while j1 < hi and doc[j1].text[:1].isupper() and doc[j1].is_alpha and j1 - j0 < 4:
                j1 += 1
        else:
            while (
                j0 - 1 >= lo
                and doc[j0 - 1].text[:1].isupper()
                and doc[j0 - 1].is_alpha
                and j1 - j0 < 4
                and doc[j0 - 1].text not in lex.stop
                and ix.lower[j0 - 1] not in lex.titles
            ):
                j0 -= 1
        owned = possessed_name_ending(ix, lex.possessive_names, j1)
        if owned is not None:
            return owned
        s, e = ix.tok_chars(j0, j1)
        return unlinked((s, e), name=ix.text[s:e])
    return None


def _capitalised_by_position(st: DocState, i: int) -> bool:
    """A function word opening its sentence (“Just 28 percent of voters said”, “His chief aide said”) is
    capitalised by its place, not as a name."""
    return st.ix.lower[i] in STOP_WORDS and st.ix.sent_of(i).start == i


def _is_surname_he(st: DocState, tok: Token) -> bool:
    """“He said” opening a sentence is the surname He when the article introduced a person surnamed He
    (“Vice Premier He Lifeng”) and the word is followed by a cue, not a name."""
    if tok.text != "He":
        return False
    return st.he_surname_person(tok.i) is not None


def _surname_speaker(st: DocState, tok: Token) -> SpeakerRef:
    idx = st.he_surname_person(tok.i)
    assert idx is not None
    return speaker_from_mention(st.ix, idx).at((tok.idx, tok.idx + len(tok.text)))


def _anon_at(st: DocState, i: int, forward: bool) -> tuple[int, int] | None:
    """An unnamed-source phrase starting (forward) or ending at token i, as token offsets."""
    words = st.ix.lower
    if not 0 <= i < len(words):
        return None
    if forward and words[i] not in st.lex.anon_by_first and _counts_sources(st, i):
        # “according to two people familiar with the matter”: read the phrase after the number
        found = _anon_at(st, i + 1, True)
        return (i, found[1]) if found is not None else None
    by_edge = st.lex.anon_by_first if forward else st.lex.anon_by_last
    for phrase in by_edge.get(words[i], ()):
        n = len(phrase)
        s = i if forward else i - n + 1
        if s < 0 or s + n > len(words):
            continue
        if words[s : s + n] == phrase:
            # grow over a number or determiner before ("two people familiar with ...")
            # (the phrase still ends where it did: “two people familiar with the matter”, not “… with the”)
            return (s - 1 if s > 0 and _counts_sources(st, s - 1) else s), s + n
    return None


def _counts_sources(st: DocState, k: int) -> bool:
    """A number or count word before an unnamed-source phrase (“two people …”, “several officials …”)."""
    return st.ix.doc[k].like_num or st.ix.lower[k] in st.lex.words.source_counts


def _nominal_forward(st: DocState, i: int, hi: int) -> SpeakerRef | None:
    doc, lex = st.ix.doc, st.lex
    anon = _anon_at(st, i, True)
    if anon is not None:
        a0, a1 = anon
        if a1 + 1 < hi and st.ix.lower[a1] in st.lex.words.role_links:
            # “an official from Korea's Industry Ministry” is the ministry's official, not an unnamed source
            role = _role_speaker(st, a0, a1, hi, doc[a0 + 1 : a1].text if a1 - a0 > 1 else doc[a0:a1].text)
            if role.mention_index is not None or role.canonical_id is not None:
                return role
        return unlinked(st.ix.tok_chars(*anon))
    if doc[i].lower_ in PHRASE_OPENERS and i + 1 < hi:
        named = st.ix.tok_mention.get(i + 1)
        if named is not None:
            m = st.ix.mentions[named]
            nxt = st.ix.lower[m.end] if m.end < len(doc) else ""
            if (
                m.start == i + 1
                and m.label in SPEAKER_LABELS
                and m.label is not Label.COUNTRY
                and nxt not in lex.titles
                and nxt not in lex.nominals
                and nxt not in st.lex.words.role_links
            ):
                # “the US Department of Agriculture”: the name after the article
                return speaker_from_mention(st.ix, named)
        j = i + 1
        nominal: tuple[str, int] | None = None
        # "a spokesperson for Huawei", "a Foreign Ministry official", "a Huawei spokesperson", "the company":
        # the last role word of the phrase is its head, so keep reading past "Ministry" to "official"
        document: int | None = None
        while (
            j < hi
            and j - i < 6
            and (not doc[j].is_punct or doc[j].lower_ in POSSESSIVE_MARKS)
            and doc[j].lower_ not in st.lex.words.clause_breaks
            and (doc[j].lower_ not in lex.single or lex.cue_at(doc[j], st.ix.has_tags) is None)
        ):
            head = doc[j].lower_
            two = f"{doc[j].lower_} {doc[j + 1].lower_}" if j + 1 < hi else ""
            if two in lex.titles or head in lex.titles:
                end = j + (2 if two in lex.titles else 1)
                return _role_speaker(st, i, end, hi, doc[j:end].text)
            if head in lex.nominals or two in lex.nominals:
                # the last head of the phrase is its head: “the country’s strategic minerals regulator”
                key = two if two in lex.nominals else head
                nominal = (key, j + (2 if two in lex.nominals else 1))
            elif channel_noun_ends(st, j):
                document = j + 1
            j += 1
        if nominal is not None:
            country = _country_in(st, i, nominal[1])
            if country is not None and nominal[0] == "government":
                # “the Dutch government”, “the UK government” -> the country
                return speaker_from_mention(st.ix, country).at(st.ix.tok_chars(i, nominal[1]))
            if doc[i].lower_ == "the" or (document is not None and document > nominal[1]):
                # “the ministry said”; “A council statement said” -> the council
                return resolve_nominal(st, i, max(nominal[1], document or 0), nominal[0])
        if document is not None and doc[i].lower_ == "the":
            # “the statement added”: the body whose statement it is
            return resolve_document(st, i, document)
    return None


def _document_before(st: DocState, end: int, lo: int) -> SpeakerRef | None:
    """A document as the subject right before a cue (“the statement added”, “the ministry's release said”,
    “A council statement stressed”): the body whose document it is."""
    ix = st.ix
    k = end - 1
    while k >= lo and ix.lower[k] in st.lex.words.skip_between and ix.lower[k] not in DETERMINERS:
        if channel_noun_ends(st, k):
            break
        k -= 1
    if k < lo or ix.tok_quoted[k] or not channel_noun_ends(st, k):
        return None
    for j in range(k - 1, max(lo, k - 6) - 1, -1):
        low = ix.lower[j]
        if low in PHRASE_OPENERS:
            return _nominal_forward(st, j, k + 1)
        if low in POSSESSIVE_MARKS and j - 1 >= lo and j in ix.mention_at_end:
            # “China's official announcement”: the owner
            idx = ix.mention_at_end[j]
            if ix.mentions[idx].label in SPEAKER_LABELS:
                return speaker_from_mention(ix, idx).at(ix.tok_chars(ix.mentions[idx].start, k + 1))
        if ix.doc[j].is_punct and low not in POSSESSIVE_MARKS:
            return None
    return None


def _country_in(st: DocState, start: int, end: int) -> int | None:
    """The country mention inside tokens `[start, end)`, if any."""
    for t in range(start, end):
        idx = st.ix.tok_mention.get(t)
        if idx is not None and st.ix.mentions[idx].label is Label.COUNTRY:
            return idx
    return None


def _nominal_backward(st: DocState, i: int, lo: int) -> SpeakerRef | None:
    doc = st.ix.doc
    anon = _anon_at(st, i, False)
    if anon is not None:
        return unlinked(st.ix.tok_chars(*anon))
    # walk back to a determiner: "the company", "a Huawei spokesperson", "a spokesperson for Huawei"
    j = i
    while j >= lo and i - j < 6 and not doc[j].is_punct:
        if doc[j].lower_ in PHRASE_OPENERS:
            return _nominal_forward(st, j, i + 1)
        j -= 1
    return None


def _role_speaker(st: DocState, start: int, title_end: int, hi: int, title: str) -> SpeakerRef:
    """“a spokesperson for Huawei” -> speaker Huawei with title spokesperson."""
    ix = st.ix
    doc = ix.doc
    org_idx = None
    end = title_end
    if end < hi and doc[end].lower_ in st.lex.words.role_links and end + 1 < hi:
        k = end + 1
        if doc[k].lower_ == "the" and k + 1 < hi:
            k += 1
        org_idx = ix.tok_mention.get(k)
        if org_idx is not None:
            end = ix.mentions[org_idx].end
            if ix.mentions[org_idx].label is Label.COUNTRY and end + 1 < hi and ix.lower[end] in POSSESSIVE_MARKS:
                # “an official from Korea's Industry Ministry”: the body, not the country
                owned = possessed_name_starting(ix, st.lex.possessive_names, end + 1, hi)
                body_idx = ix.tok_mention.get(end + 1)
                if owned is not None and owned.mention is not None:
                    return replace(owned, mention=(ix.tok_chars(start, end)[0], owned.mention[1]), title=title)
                if body_idx is not None and ix.mentions[body_idx].label in SPEAKER_LABELS:
                    org_idx, end = body_idx, ix.mentions[body_idx].end
    if org_idx is None:
        for t in range(start, title_end):
            idx = ix.tok_mention.get(t)
            # a demonym does not resolve a role (“a Chinese official”), a country's government does
            if idx is not None and (
                ix.mentions[idx].label is not Label.COUNTRY or ix.lower[ix.mentions[idx].end] == "government"
            ):
                org_idx = idx
    chars = ix.tok_chars(start, end)
    if org_idx is not None:
        return replace(speaker_from_mention(ix, org_idx), mention=chars, title=title)
    # “a ministry spokesman” -> the ministry the article named; “the official” -> the body of the official
    # the article introduced (“A WTO official confirmed …”)
    voice = title.lower().split()[-1] in st.lex.words.voice_titles
    for t in range(start + 1, title_end if voice else start + 1):
        head = ix.lower[t]
        # “a government official” stays unnamed: only a body's own name word resolves a role
        if head in st.lex.nominals and head not in st.lex.titles and Label.COUNTRY not in st.lex.nominals[head]:
            body = resolve_nominal(st, t, t + 1, head)
            if body.mention_index is not None:
                return replace(body, mention=chars, title=title)
    if ix.lower[start] == "the":
        earlier = earlier_role_body(st, title.lower(), start)
        if earlier is not None:
            return replace(earlier, mention=chars, title=title)
    return unlinked(chars, title=title)


def speaker_before_cue(st: DocState, cue: Cue, lo: int) -> SpeakerRef | None:
    """Subject to the left of the cue: “X said”, “X, the minister, said”, “X also told”.

    A participial cue (“…, saying”, “…, telling CNBC”) takes the subject of its sentence instead.
    """
    ix = st.ix
    doc = ix.doc
    if st.cues.is_participle(cue):
        # “with Svyrydenko writing on X”: a person right before the participle is its subject
        idx = ix.mention_at_end.get(cue.start)
        if idx is not None and ix.mentions[idx].label in PEOPLE_LABELS and ix.mentions[idx].start >= lo:
            return speaker_from_mention(ix, idx)
        return subject_of_sentence(st, cue, lo)
    document = _document_before(st, cue.start, lo)
    if document is not None:
        return document
    i = cue.start - 1
    fallback: SpeakerRef | None = None
    while i >= lo:
        t = doc[i]
        if t.is_space or t.lower_ in st.lex.words.skip_between or (ix.has_tags and t.tag_ in ADVERB_AUX_TAGS):
            i -= 1
            continue
        if t.text == ")" and i - 1 >= lo:
            # “Gov. John Kasich (R-OH), said”: step over the parenthesis to the name
            j = i - 1
            while j >= lo and doc[j].text != "(" and i - j < 8:
                j -= 1
            if j > lo and doc[j].text == "(":
                i = j - 1
                continue
            return None
        if t.lower_ == "who" and i - 2 >= lo and doc[i - 1].text == ",":
            # “Chen Shibiao, who said …”: the relative pronoun stands for the name before it
            i -= 2
            continue
        if t.text == "," and is_age(st, i - 1) and i - 3 >= lo and doc[i - 2].text == ",":
            # “Ramos, 58, told AFP”: an age between commas belongs to the name before it
            i -= 3
            continue
        if t.text == "," and i - 1 >= lo:
            # an appositive “X, an analyst at Salomon Brothers Asia Ltd, said”: back to the name before it
            j = i - 1
            while j >= lo and doc[j].text != "," and i - j < 14 and not ix.tok_quoted[j]:
                j -= 1
            named = _named_after_description(st, j, i, lo)
            if named is not None:
                return named
            if _is_appositive(st, j, i, lo):
                res = speaker_span_at(st, j - 1, lo, cue.start, -1)
                if res is not None and (res.label in PEOPLE_LABELS or not _comma_before(st, res, lo)):
                    return res
                if res is not None:
                    # “Annika Berg, chief executive of Norrland Minerals, a Swedish developer, said”: the
                    # organisation is itself in an appositive; the person before it is the speaker
                    fallback = fallback or res
                    i = j
                    continue
            if doc[i - 1].text == ")" or (
                i in ix.mention_at_end and ix.mentions[ix.mention_at_end[i]].label in SPEAKER_LABELS
            ):
                i -= 1
                continue
            return fallback
        break
    if i < lo:
        return fallback
    return group_subject(st, i, lo) or _speaker_ending_at(st, i, lo, cue)


# how far back from the cue a group subject and its modifier may reach (“Two-thirds of the companies
# surveyed by the European Chamber in Shanghai said”), and how many words may stand before its head
_GROUP_REACH = 14
_GROUP_LEAD = 4


def group_subject(st: DocState, i: int, lo: int) -> SpeakerRef | None:
    """A collective subject ending at token i whose head a modifier follows: “Sixty percent of economists
    polled by Reuters said”, “Several steelmakers that supply Ford say”. The name inside the modifier did not
    speak; the whole phrase is an unnamed collective source (guidelines 7: `producers of copper outside
    Chile`). The head is a quantity (`group_quantities`) or a plural common noun that is no role (roles keep
    their body: “analysts at Jefferies”, “officials at the ministry”)."""
    ix, words = st.ix, st.lex.words
    head: int | None = None
    k = i
    while k > max(lo, i - _GROUP_REACH):
        if ix.punct[k] and ix.texts[k] not in _GROUP_INNER_PUNCT:
            break
        low = ix.lower[k]
        if (low in words.clause_breaks or low in words.embedding_words) and low not in words.group_links:
            # “… stopped imposing what the MPs said”, “imports of textiles and …”: another clause
            break
        if ix.lower[k] in words.group_links and _is_group_head(st, k - 1):
            head = k - 1
        k -= 1
    if head is None or head < lo:
        return None
    start = head
    while (
        start - 1 >= lo
        and head - start < _GROUP_LEAD
        and not (ix.punct[start - 1] and ix.texts[start - 1] not in _GROUP_INNER_PUNCT)
        and ix.lower[start - 1] not in words.clause_breaks
        and st.lex.single.get(ix.lower[start - 1]) is None
    ):
        start -= 1
    # the phrase opens its clause (“… provisions of the deal that includes a note to say” is an object):
    # the walk back stopped at a boundary, not at the length limit, and crossed no verb
    boundary = start == lo or ix.punct[start - 1] or ix.lower[start - 1] in words.clause_breaks
    if not boundary or (ix.has_tags and any(ix.doc[x].tag_.startswith("VB") for x in range(start, head))):
        return None
    return unlinked(ix.tok_chars(start, i + 1))


# marks that may stand inside a group phrase: “two-thirds”, “60%”, “the EU’s steelmakers”
_GROUP_INNER_PUNCT = frozenset({"-", "%", "'s", "’s", "'", "’"})


def _is_group_head(st: DocState, h: int) -> bool:
    """Token h heads a group: a quantity word, or a plural common noun (its tag, or without a tagger a
    lower-case word ending in -s) that names no role or body (titles, nominal heads, voice titles)."""
    ix, lex = st.ix, st.lex
    if h < 0 or ix.tok_quoted[h] or h in ix.tok_mention:
        return False
    low = ix.lower[h]
    if low in lex.words.group_quantities:
        return True
    if ix.has_tags:
        plural = ix.doc[h].tag_ == "NNS"
    else:
        plural = (
            len(low) > 3 and low.isalpha() and low.endswith("s") and not low.endswith(("ss", "us", "is"))
            and (ix.texts[h] == low or ix.sent_of(h).start == h) and low not in STOP_WORDS
        )
    if not plural:
        return False
    singulars = {low, low[:-1], low[:-2], low[:-3] + "y"}
    return not any(w in lex.titles or w in lex.nominals or w in lex.words.voice_titles for w in singulars)


def is_age(st: DocState, k: int) -> bool:
    """Token k is a person's age as wire copy gives it after a name (“Lena Park, 41,”)."""
    word = st.ix.texts[k]
    return word.isdigit() and len(word) <= 3 and 0 < int(word) < 120


def _is_appositive(st: DocState, j: int, i: int, lo: int) -> bool:
    """Whether tokens j+1..i, between the commas at j and i, describe the name before j: “X, an analyst at
    Y, said”, “X, the minister, said”, “Choi Min-ho, senior presidential secretary for economic affairs,
    said”."""
    ix, lex, doc = st.ix, st.lex, st.ix.doc
    appositive = doc[j + 1 : i]
    return (
        j >= lo
        and doc[j].text == ","
        and j - 1 >= lo
        and len(appositive) > 0
        and not any(lex.single.get(x.lower_) for x in appositive)
        and (
            appositive[0].lower_ in DETERMINERS
            # “X, who runs a steel mill, said” / “X, wearing a union cap, said”: a relative or participle
            # clause describing the name
            or (appositive[0].lower_ in RELATIVE_OPENERS and doc[j - 1].text[:1].isupper())
            or (appositive[0].lower_.endswith("ing") and appositive[0].is_lower and doc[j - 1].text[:1].isupper())
            or ix.lower[appositive[0].i] in lex.titles
            or appositive[0].i in ix.tok_mention
            or (
                appositive[0].text[:1].islower()
                and any(ix.lower[x.i] in lex.titles for x in appositive)
                and doc[j - 1].is_alpha
            )
        )
    )


def _named_after_description(st: DocState, j: int, i: int, lo: int) -> SpeakerRef | None:
    """“A Washington trade lawyer, Gregory Paik, said”: the name set off by the commas at j and i after a
    description is the speaker (a person mention, or two to four capitalised words)."""
    ix, lex, doc = st.ix, st.lex, st.ix.doc
    if not (j >= lo and doc[j].text == "," and _opens_description(st, j, lo)):
        return None
    named = ix.tok_mention.get(j + 1)
    if (
        named is not None
        and ix.mentions[named].label in PEOPLE_LABELS
        and ix.mentions[named].start == j + 1
        and ix.mentions[named].end == i
    ):
        return speaker_from_mention(ix, named)
    appositive = doc[j + 1 : i]
    if 2 <= len(appositive) <= 4 and all(
        x.is_alpha and x.text[:1].isupper() and x.text not in lex.stop for x in appositive
    ):
        s, e = ix.tok_chars(j + 1, i)
        return unlinked((s, e), name=ix.text[s:e])
    return None


def _speaker_ending_at(st: DocState, i: int, lo: int, cue: Cue) -> SpeakerRef | None:
    """The speaker whose last token is i: the mention that ends there (a country's body, a role before it,
    a possessive pack name), else the span the speaker rules read."""
    ix = st.ix
    idx = ix.mention_at_end.get(i + 1)
    if idx is not None and ix.mentions[idx].label is Label.COUNTRY:
        body = _body_of_country(st, idx, lo)
        if body is not None:
            return body
    if idx is not None and ix.mentions[idx].label in SPEAKER_LABELS:
        role = _role_before(st, ix.mentions[idx].start, lo)
        if role is not None:
            return role
        if ix.mentions[idx].canonical_id is None:
            owned = possessed_name_ending(ix, st.lex.possessive_names, i + 1)
            if owned is not None:
                return owned
        return speaker_from_mention(ix, idx)
    return speaker_span_at(st, i, lo, cue.start, -1)


def _comma_before(st: DocState, sp: SpeakerRef, lo: int) -> bool:
    """An organisation speaker that is the object of a role (“chief executive of X”) set off by a comma
    before it: the person further back is who spoke."""
    ix = st.ix
    if sp.mention_index is None:
        return False
    k = ix.mentions[sp.mention_index].start - 1
    if k < lo or ix.lower[k] not in st.lex.words.role_links:
        return False
    return any(ix.texts[x] == "," for x in range(max(lo, k - 8), k))


def _opens_description(st: DocState, comma: int, lo: int) -> bool:
    """The words before `comma` are a description opened by an article: “A Washington trade lawyer”."""
    ix = st.ix
    k = comma - 1
    titled = False
    while k >= lo and comma - k <= 6 and (not ix.doc[k].is_punct or ix.lower[k] in POSSESSIVE_MARKS):
        titled = titled or ix.lower[k] in st.lex.titles
        opens = k == lo or ix.doc[k - 1].is_punct or ix.doc[k - 1].is_space
        if ix.lower[k] in ("a", "an") and opens:
            return True
        if opens and titled and (ix.lower[k] == "the" or (k + 1 < comma and ix.lower[k + 1] in POSSESSIVE_MARKS)):
            # “The ministry's spokesman, Lin Jian, said” / “Nvidia's finance chief, Colette Kress, said”: a
            # definite description names its holder when it holds a title
            return True
        k -= 1
    return False


def _body_of_country(st: DocState, idx: int, lo: int) -> SpeakerRef | None:
    """“The Semiconductor Industry Association of Malaysia said”: a capitalised name “… of <country>” the
    entity rules do not know is a body of its own, not the country."""
    ix = st.ix
    k = ix.mentions[idx].start - 1
    if k - 1 < lo or ix.lower[k] not in ("of", "for") or not ix.doc[k - 1].text[:1].isupper():
        return None
    j = k - 1
    while (
        j - 1 >= lo
        and ix.doc[j - 1].text[:1].isupper()
        and ix.doc[j - 1].is_alpha
        and ix.doc[j - 1].text not in st.lex.stop
        and ix.lower[j - 1] not in DETERMINERS
        and k - j < 6
    ):
        j -= 1
    if ix.doc[j].text in st.lex.stop or j in ix.tok_mention or ix.lower[j] in st.lex.titles:
        return None
    s, e = ix.tok_chars(j, ix.mentions[idx].end)
    return unlinked((s, e), name=ix.text[s:e])


def _role_before(st: DocState, start: int, lo: int) -> SpeakerRef | None:
    """“a spokesperson for [Huawei]”: the role phrase that ends with the organisation at `start`."""
    doc = st.ix.doc
    k = start - 1
    if k >= lo and doc[k].lower_ == "the":
        k -= 1
    if k < lo or doc[k].lower_ not in st.lex.words.role_links:
        return None
    j = k - 1
    while j >= lo and k - j <= 4 and doc[j].lower_ not in DETERMINERS:
        j -= 1
    if j < lo or doc[j].lower_ not in DETERMINERS:
        return None
    title = doc[j + 1 : k].text
    if title.lower() not in st.lex.titles:
        return None
    return _role_speaker(st, j, k, start + 8, title)


def speaker_after_cue(st: DocState, cue: Cue, hi: int) -> SpeakerRef | None:
    """“said X”, “said Commerce Secretary X”, “added the company”."""
    ix = st.ix
    doc = ix.doc
    i = cue.end
    while i < hi and (doc[i].is_space or doc[i].lower_ in st.lex.words.after_cue_skip):
        i += 1
    if i >= hi:
        return None
    # a person named in the phrase after the cue wins over the firm before it:
    # “said Jardine Fleming (Securities) Ltd analyst Nick Edwards”
    depth = 0
    first_person: int | None = None
    for k in range(i, min(hi, i + 12)):
        t = doc[k]
        depth += t.text == "("
        depth -= t.text == ")"
        if depth <= 0 and t.text in {",", ".", ";", "“", '"'}:
            break
        idx_k = ix.tok_mention.get(k)
        if idx_k is not None and ix.mentions[idx_k].label in PEOPLE_LABELS:
            first_person = first_person if first_person is not None else idx_k
            # “said Jardine Fleming (Securities) Ltd analyst Nick Edwards”: the titled one is the speaker
            if k > 0 and ix.lower[k - 1] in st.lex.titles:
                return speaker_from_mention(ix, idx_k)
    if first_person is not None:
        return speaker_from_mention(ix, first_person)
    # skip a title before the name: "said U.S. Trade Representative X"
    idx = ix.tok_mention.get(i)
    if idx is None:
        j = i
        while (
            j < hi
            and j - i < 6
            and (doc[j].text[:1].isupper() or doc[j].text in {"of", "."})
            and ix.tok_mention.get(j) is None
        ):
            j += 1
        if j < hi and ix.tok_mention.get(j) is not None and j > i:
            m = ix.mentions[ix.tok_mention[j]]
            if m.label in PEOPLE_LABELS:
                return speaker_from_mention(ix, ix.tok_mention[j])
    return speaker_span_at(st, i, i, hi, +1)


def subject_of_sentence(st: DocState, cue: Cue, s_lo: int) -> SpeakerRef | None:
    """For participial cues (“X has taken a swipe at Y, saying …”): the parse subject of the clause the cue
    hangs on, else the first person or organisation of the sentence (outside quotes), else a pronoun."""
    ix = st.ix
    sent_start = ix.sent_of(cue.start).start
    parsed = parse_subject(st, cue) if st.parses.enabled else None
    if parsed is not None and (parsed.mention_index is not None or _names_phrase(st, parsed)):
        # an unlinked subject phrase (“His chief aide attacked Nvidia's plan, saying …”) still beats the
        # first name of the sentence, which is then usually an object
        return parsed
    for i in range(max(s_lo, sent_start), cue.start):
        if ix.tok_quoted[i]:
            continue
        idx = ix.tok_mention.get(i)
        if idx is not None and ix.mentions[idx].label in SPEAKER_LABELS:
            return speaker_from_mention(ix, idx)
        low = ix.doc[i].lower_
        if low in st.lex.words.personal or low in {"they", "it"}:
            return resolve_pronoun(st, ix.doc[i])
    return None


def _names_phrase(st: DocState, sp: SpeakerRef) -> bool:
    """An unlinked speaker that is a noun phrase of its own, not a bare pronoun the resolver left open."""
    if sp.mention is None:
        return False
    words = st.ix.text[sp.mention[0] : sp.mention[1]].lower().split()
    return len(words) > 1 or (bool(words) and words[0] not in st.lex.words.personal
                              and words[0] not in st.lex.words.plural_or_org)


def parse_subject(st: DocState, cue: Cue) -> SpeakerRef | None:
    """The subject of the cue in the dependency parse (climbing up to three clauses)."""
    ix, parses = st.ix, st.parses
    t = ix.doc[cue.start]
    sent = ix.sent_of(t.i)
    pt = parses.token(t)
    if pt is None:
        return None
    head = pt
    for _ in range(3):
        subj = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subj:
            return _subject_speaker(st, subj[0], sent)
        if head.dep_ in ("advcl", "xcomp", "conj", "ccomp", "parataxis") and head.head is not head:
            head = head.head
            continue
        break
    return None


def _subject_speaker(st: DocState, subj: Token, sent: Span) -> SpeakerRef | None:
    """The speaker a parse subject names: its mention, a speaker span at its head, or an unnamed source."""
    ix, parses = st.ix, st.parses
    head_tok = parses.doc_token(subj, sent)
    first = parses.doc_token(subj.left_edge, sent)
    last = parses.doc_token(subj.right_edge, sent)
    if first.i == sent.start:
        # “STOCKHOLM, July 29 – U.S. negotiators ended …”: a dateline is no part of the subject (and a
        # subject inside it is a parser error)
        m = DATELINE.match(ix.text[sent.start_char : sent.end_char])
        dateline_end = sent.start_char + m.end() if m else sent.start_char
        if head_tok.idx < dateline_end:
            return None
        while first.i < head_tok.i and first.idx < dateline_end:
            first = ix.doc[first.i + 1]
    # the best mention inside the subject phrase: the one containing its head word
    idx = ix.tok_mention.get(head_tok.i)
    if (
        idx is None
        and head_tok.i < last.i < head_tok.i + _GROUP_REACH
        and ix.lower[head_tok.i + 1] in st.lex.words.group_links
        and _is_group_head(st, head_tok.i)
    ):
        # “Sixty percent of economists polled by Reuters”: a name in the group's modifier did not speak
        return unlinked((first.idx, last.idx + len(last.text)))
    if idx is None:
        cands = [k for k in range(first.i, last.i + 1) if k in ix.tok_mention]
        idx = ix.tok_mention[cands[0]] if cands else None
    if idx is not None and ix.mentions[idx].label in SPEAKER_LABELS:
        return speaker_from_mention(ix, idx)
    # read forward only within the subject phrase: “The steel association sued the ministry, saying …” is
    # not “the ministry”
    found = speaker_span_at(
        st, head_tok.i, sent.start, sent.end, +1 if head_tok.lower_ in DETERMINERS else -1
    ) or speaker_span_at(st, first.i, sent.start, last.i + 1, +1)
    if found is not None:
        return found
    # a plain noun phrase (“Many speakers at the service”, “about half of voters”): an unnamed source
    if last.i - first.i < 12 and not ix.tok_quoted[first.i] and head_tok.tag_ in NOUN_TAGS:
        return unlinked((first.idx, last.idx + len(last.text)))
    return None

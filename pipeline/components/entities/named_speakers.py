"""People the packs and titles do not know, found by the verb of saying next to their name: “said Nils
Varga,”, “Sofia Lind reported for ...”. Without a model nothing else finds an untitled name; with one, the
model's NER finds them itself, so the stage runs this pass only rules-only."""

from __future__ import annotations

from spacy.tokens import Doc

from models.records import PEOPLE_LABELS, Label
from pipeline.components.caches import doc_spaces, doc_words
from pipeline.components.entities.lexicon import EntityLexicon
from pipeline.components.entities.names import NAME_TOKEN, clean_name
from pipeline.components.mentions import Mention

# what may stand before an inverted "said Name" (“..., said Ana Ruiz,” / “...,” says Ana Ruiz) and after it
_BEFORE_INVERSION = frozenset({",", "”", '"', "’", "'"})
_AFTER_INVERTED_NAME = frozenset({",", ".", ";", ":", "of", "at", "from", "”", '"', ")", "–", "—", "-"})
# what may stand before "Name said" besides the start of a sentence and a role noun: a quotation mark, a comma
_BEFORE_NAME = frozenset({",", "”", '"', "’", "'", "(", ";", ":", "—", "–"})
_MAX_WORDS = 3


def named_speakers(lex: EntityLexicon, doc: Doc, found: list[Mention]) -> list[Mention]:
    """PERSON mentions of two or three name words right after an inverted verb of saying (“, said Ana
    Ruiz,”) or right before one (“Ana Ruiz said”), on words no mention in `found` claims. Words a name of
    an organisation, a title or a pack form holds ("Tokyo Electron said", "Commerce Secretary said") are
    no given name or surname, so a run holding one is no person."""
    texts = doc_words(doc)
    verbs = [i for i, w in enumerate(texts) if w in lex.speech_verbs]
    if not verbs:
        return []
    claimed = {i for m in found for i in range(m.start, m.end)}
    n = len(texts)
    spaces = doc_spaces(doc)

    def glued_hyphen(i: int) -> bool:
        # "Hou Chia-chi": the tokenizer splits a hyphenated given name; "-" glued to words on both sides
        return texts[i] == "-" and 0 < i < n - 1 and not spaces[i - 1] and not spaces[i] and texts[i + 1].isalpha()

    def name_word(i: int) -> bool:
        w = texts[i]
        return (
            i not in claimed
            and bool(NAME_TOKEN.match(w))
            and not w.isupper()
            and w not in lex.stop
            and w.lower() not in lex.title_words
            and w not in lex.not_a_name_word
            and w.lower() not in lex.by_form
        )

    # "De Clercq said", "De Croo said" after "Herman De Croo": a pack person's surname of two words, or the end
    # of a fuller name the article gives, is resolution's to link
    tails: set[str] = set().union(*(_tails(m) for m in found if m.label in PEOPLE_LABELS and m.length >= 3))

    def linked_by_resolution(text: str) -> bool:
        return text in lex.surname_set or text in tails

    out: list[Mention] = []
    for v in verbs:
        # "..., said Ana Ruiz, head of ..."
        if v >= 1 and texts[v - 1] in _BEFORE_INVERSION:
            e, words = v + 1, 0
            while e < n and words < _MAX_WORDS and name_word(e):
                e, words = e + 1, words + 1
                while e + 1 < n and glued_hyphen(e):
                    e += 2
            if words >= 2 and (e == n or texts[e] in _AFTER_INVERTED_NAME) and not linked_by_resolution(
                _text(doc, v + 1, e)
            ):
                out.append(_person(doc, v + 1, e))
                tails.update(_tails(out[-1]))
                continue
        # "Ana Ruiz said ...": the run starts a sentence or follows a quotation or comma
        s, words = v, 0
        while s > 0 and words < _MAX_WORDS:
            k = s - 2 if s >= 3 and glued_hyphen(s - 2) else s  # "Lin Wei-ting said"
            if not name_word(k - 1):
                break
            s, words = k - 1, words + 1
        # "... analyst Ana Ruiz said": a role noun before the name, but no determiner ("the Kestrel Group said")
        before = texts[s - 1] if s > 0 else ""
        role_noun = before.isalpha() and before.islower() and before not in lex.stop_words
        if words < 2 or linked_by_resolution(_text(doc, s, v)):
            continue
        if s == 0 or doc[s].is_sent_start or before in _BEFORE_NAME or role_noun:
            out.append(_person(doc, s, v))
            tails.update(_tails(out[-1]))
    return out


def _tails(m: Mention) -> frozenset[str]:
    """The ends of two words or more of a name of three or more: "Van Dorn" of "Herman Van Dorn"."""
    parts = m.canonical_name.split()
    return frozenset(" ".join(parts[k:]) for k in range(1, len(parts) - 1))


def _text(doc: Doc, start: int, end: int) -> str:
    return " ".join(doc[start:end].text.split())


def _person(doc: Doc, start: int, end: int) -> Mention:
    name = clean_name(doc[start:end].text)
    return Mention(start, end, Label.PERSON, None, name, "pattern", "pattern:named-speaker", 0.7, {})

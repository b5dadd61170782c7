"""Per-document caches of the stages in `doc.user_data`: every key, the cached reads, and the one place
they are dropped (`release`, called by the record builder once a Doc has become a record).

A Doc straight out of `nlp(text)` still holds them (later stages of your own may read them); call
`release(doc)` before serializing it with `Doc.to_bytes` or a `DocBin`.
"""

from __future__ import annotations

from spacy.attrs import ORTH, SPACY
from spacy.tokens import Doc

# the text (spaCy joins every token on each `doc.text`), its words, the spaces after them
TEXT_KEY = "trade_text"
WORDS_KEY = "trade_texts"
SPACES_KEY = "trade_spaces"
# the view of the doc without line-wrap tokens, and its index map (`mentions.compact_view`)
COMPACT_KEY = "trade_compact"
# where a wire dateline ends, and the character ranges of places named after a country (entity filters)
DATELINE_KEY = "trade_dateline_end"
PLACES_KEY = "trade_places"
STAGE_KEYS = (TEXT_KEY, WORDS_KEY, SPACES_KEY, COMPACT_KEY, DATELINE_KEY, PLACES_KEY)


def release(doc: Doc) -> str | None:
    """Drop every stage cache of `doc`; the cached text, if there was one."""
    text: str | None = doc.user_data.pop(TEXT_KEY, None)
    for key in STAGE_KEYS:
        doc.user_data.pop(key, None)
    return text


def doc_text(doc: Doc) -> str:
    """`doc.text`, computed once per document (spaCy joins every token each time it is read)."""
    text: str | None = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.text
        doc.user_data[TEXT_KEY] = text
    return text


def doc_words(doc: Doc) -> list[str]:
    """The words of `doc` as plain strings, cached on the doc for the stages that scan every word."""
    words: list[str] | None = doc.user_data.get(WORDS_KEY)
    if words is None:
        strings = doc.vocab.strings
        words = [strings[o] for o in doc.to_array(ORTH).tolist()] if len(doc) else []
        doc.user_data[WORDS_KEY] = words
    return words


def doc_spaces(doc: Doc) -> list[bool]:
    """Whether each word of `doc` is followed by a space, cached like `doc_words`."""
    spaces: list[bool] | None = doc.user_data.get(SPACES_KEY)
    if spaces is None:
        spaces = (doc.to_array(SPACY) != 0).tolist() if len(doc) else []
        doc.user_data[SPACES_KEY] = spaces
    return spaces


def span_text(doc: Doc, start: int, end: int) -> str:
    """`doc[start:end].text` from the cached words, without building a Span and its tokens."""
    words, spaces = doc_words(doc), doc_spaces(doc)
    inner = zip(words[start : end - 1], spaces[start : end - 1], strict=True)
    return "".join([w + " " if sp else w for w, sp in inner]) + words[end - 1]

"""`--lang xx`: articles in another language become one TX121 line instead of a record.

py3langid (a maintained fork of langid.py, its model shipped in the wheel) classifies the first
`SAMPLE_CHARS` characters; that is enough for a language decision and keeps the cost per article small.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from models.records import ErrorRecord
from pipeline.errors import ErrorCode
from pipeline.ingest.readers import Article, Item

SAMPLE_CHARS = 2000


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def language_of(text: str) -> tuple[str, float]:
    """ISO 639-1 code and probability of `text`'s language."""
    lang, prob = _identifier().classify(text[:SAMPLE_CHARS])
    return str(lang), float(prob)


def keep_language(items: Iterable[Item], lang: str | None) -> Iterator[Item]:
    """Pass everything through when `lang` is None; otherwise articles in another language become TX121."""
    for item in items:
        if lang is None or not isinstance(item, Article):
            yield item
            continue
        found, prob = language_of(item.text)
        if found == lang:
            yield item
        else:
            yield ErrorRecord(source=item.source.path, error_code=ErrorCode.OTHER_LANGUAGE.value, doc_id=item.doc_id,
                              message=f"language {found} (p={prob:.2f}), not {lang}: skipped by --lang {lang}")

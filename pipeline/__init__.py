"""tradex: trade-news articles to entities, quotes and speakers.

Python API::

    from pipeline import extract
    records = extract(["Nvidia said on Tuesday ..."], model="none")
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from models.records import ArticleRecord

__all__ = ["__version__", "extract"]
__version__ = "0.1.0"


def extract(
    texts: Iterable[str] | str, *, published: Iterable[str | None] | None = None, **settings: Any
) -> list[ArticleRecord]:
    """Records for in-memory article texts; `published` gives each text's publication date (ISO), against
    which the measure stage resolves "on Monday"; keyword arguments override `Settings` fields."""
    from pipeline.runner import process_texts
    from pipeline.settings import Settings

    if isinstance(texts, str):
        texts = [texts]
    return list(process_texts(texts, settings=Settings.load(**settings), published=published))

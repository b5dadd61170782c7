"""Ids of mentions, quotes and measures, derived from their spans: `e120-126`, `q300-412`, `m88-96`.

An id names where the thing stands in the text (start and end offsets of the mention, the quote's content,
the measure's trigger), so adding a pack entry elsewhere in the article, or a quote the rules newly find,
leaves every other id (and every `speaker.entity_id`, `about` and `quote_ids` that points at it) as it was;
warehouse keys `(doc_id, mention_id)` stay stable across runs and rule versions. Two things on the same
span (rare: a second label) get `.2`, `.3` after the first.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable


def span_ids(prefix: str, spans: Iterable[tuple[int, int]]) -> list[str]:
    """One id per span, in the order given."""
    seen: Counter[tuple[int, int]] = Counter()
    out = []
    for start, end in spans:
        seen[(start, end)] += 1
        n = seen[(start, end)]
        out.append(f"{prefix}{start}-{end}" + (f".{n}" if n > 1 else ""))
    return out

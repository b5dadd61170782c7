"""The in-memory form of an entity mention, shared by the entity, quote and record stages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from models.records import Label

# Higher wins when two candidate spans of the same length overlap.
METHOD_PRIORITY = {"rule": 3, "pattern": 2, "model": 1, "coref": 0}


@dataclass
class Mention:
    """An entity mention on token indices `[start, end)` of a spaCy Doc."""

    start: int
    end: int
    label: Label
    canonical_id: str | None
    canonical_name: str
    method: str
    rule: str
    score: float
    attrs: dict[str, Any] = field(default_factory=dict)
    # the mention this one was resolved to (surname, acronym, short form), by index in the final list
    antecedent: int | None = None

    @property
    def length(self) -> int:
        return self.end - self.start

    def overlaps(self, other: Mention) -> bool:
        return self.start < other.end and other.start < self.end


def filter_mentions(candidates: list[Mention]) -> list[Mention]:
    """Keep the longest, then the highest-priority method, then the earliest; drop overlaps."""
    order = sorted(candidates, key=lambda m: (-m.length, -METHOD_PRIORITY[m.method], m.start))
    taken: list[Mention] = []
    claimed: set[int] = set()
    for m in order:
        if any(i in claimed for i in range(m.start, m.end)):
            continue
        taken.append(m)
        claimed.update(range(m.start, m.end))
    return sorted(taken, key=lambda m: m.start)

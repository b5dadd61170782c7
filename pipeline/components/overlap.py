"""The one overlap filter of the stages: visit candidates best first, keep each that overlaps none kept."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable
from typing import Any, Protocol, TypeVar


class _Ranged(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


T = TypeVar("T", bound=_Ranged)


def drop_overlaps(candidates: Iterable[T], key: Callable[[T], Any]) -> list[T]:
    """The candidates (anything with `start` and `end`, half-open) that survive when they are visited in
    `key` order (best first) and each one overlapping an already kept one is dropped; in visiting order."""
    kept: list[T] = []
    # the kept ranges, disjoint, sorted by start (so their ends are sorted too): an overlap is with a neighbour
    starts: list[int] = []
    ends: list[int] = []
    for c in sorted(candidates, key=key):
        s, e = c.start, c.end
        pos = bisect_right(starts, s)
        if (pos > 0 and s < ends[pos - 1] and starts[pos - 1] < e) or (pos < len(starts) and starts[pos] < e):
            continue
        starts.insert(pos, s)
        ends.insert(pos, e)
        kept.append(c)
    return kept

"""The one overlap filter: visit best first, keep what overlaps nothing kept, in visiting order."""

from __future__ import annotations

from typing import NamedTuple

import pytest

from pipeline.components.overlap import drop_overlaps


class R(NamedTuple):
    start: int
    end: int


def longest_first(r: R) -> tuple[int, int]:
    return (-(r.end - r.start), r.start)


def earliest_first(r: R) -> int:
    return r.start


@pytest.mark.parametrize(
    "ranges, key, kept",
    [
        ([], earliest_first, []),
        ([R(0, 5), R(3, 8), R(8, 9)], earliest_first, [R(0, 5), R(8, 9)]),
        ([R(0, 5), R(3, 10), R(10, 12)], longest_first, [R(3, 10), R(10, 12)]),
        ([R(4, 6), R(0, 2), R(2, 4)], earliest_first, [R(0, 2), R(2, 4), R(4, 6)]),  # touching is no overlap
        ([R(2, 3), R(0, 10)], earliest_first, [R(0, 10)]),  # inside a kept one
        ([R(5, 6), R(0, 10), R(1, 2)], longest_first, [R(0, 10)]),
        ([R(6, 9), R(0, 3), R(2, 7)], longest_first, [R(2, 7)]),  # both neighbours of a kept range
    ],
)
def test_drop_overlaps(ranges, key, kept):
    assert drop_overlaps(ranges, key=key) == kept

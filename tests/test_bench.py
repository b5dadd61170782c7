"""`make bench`: which configurations it runs and how it judges the targets (the timings themselves are
measured by `make bench`, never asserted in tests)."""

from __future__ import annotations

import pytest

from pipeline.bench import BASELINE, FULL, FULL2, RULES, Row, _checks, _configs


def _row(config: str, scale: int, wps: float, ratio: float | None, rss: float | None, part: int = 64) -> Row:
    return Row(config, scale, part, 514 * scale, 137_552 * scale, 0.5, 10.0, wps, 20.0, ratio, rss, None, 100)


@pytest.mark.parametrize("default_partition", [64, 200])
def test_configs_run_each_configuration_once(default_partition):
    configs = _configs([1, 10], default_partition)
    keys = [(c[0], c[4], c[5]) for c in configs]
    assert len(keys) == len(set(keys))
    assert configs[0][0] == BASELINE  # the ratio of every later row needs it
    assert {(c[0], c[4]) for c in configs} >= {(RULES, 10), (FULL, 10), (FULL2, 10)}


def test_checks_judge_each_target_on_the_measured_value():
    rows = [
        _row(BASELINE, 1, 5_800, 1.0, 390),
        _row(RULES, 1, 101_000, 17.41, 140),
        _row(FULL, 1, 9_500, 1.64, 410),
        _row(FULL2, 1, 17_400, 3.0, 420),
        _row(FULL, 10, 9_600, 1.66, 430),
        _row(FULL2, 10, 18_700, 3.2, 480),
    ]
    met = {c["target"]: (c["measured"], c["met"]) for c in _checks(rows, 64)}
    assert met["full >= 1.5x plain spaCy"] == ("1.64x", True)
    assert met["rules-only >= 20x plain spaCy"] == ("17.41x", False)
    assert met["rules-only >= 100,000 words/s"] == ("101,000", True)
    assert met["2 workers >= 1.8x 1 worker (x1, partitions of 64)"] == ("1.83x", True)
    assert met["2 workers >= 1.8x 1 worker (x10, partitions of 64)"] == ("1.95x", True)
    assert met["peak RSS <= 600 MB per worker"] == ("480 MB (tradex full 2w x10)", True)
    # x10 against x1 of the same configuration: +4.9% and +14.3%
    assert met["RSS flat (<= +10%): tradex full 1w x10 vs x1"][1] is True
    assert met["RSS flat (<= +10%): tradex full 2w x10 vs x1"][1] is False

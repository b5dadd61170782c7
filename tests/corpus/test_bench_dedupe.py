"""The dedupe scale bench: its corpus generator, its scoring, and a small run."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.corpus.bench_dedupe import generate, main, pair_scores, run_child
from pipeline.corpus.dedupe import jaccard, shingles


@pytest.mark.parametrize(
    ("truth", "found", "precision", "recall"),
    [
        ([0, 0, 2, 3], [0, 0, 2, 3], 1.0, 1.0),
        ([0, 0, 0, 3], [0, 0, 2, 3], 1.0, 1 / 3),  # one of three true pairs found
        ([0, 1, 2, 3], [0, 0, 2, 3], 0.0, 1.0),  # a false pair, no true pairs to miss
        ([0, 0, 2, 2], [0, 0, 0, 0], 2 / 6, 1.0),
    ],
)
def test_pair_scores(truth: list[int], found: list[int], precision: float, recall: float) -> None:
    p, r, _, _ = pair_scores(np.array(truth), found)
    assert (p, r) == pytest.approx((precision, recall))


def test_generated_corpus_has_the_planted_structure() -> None:
    a = generate(2000, seed=3, threshold=0.8)
    b = generate(2000, seed=3, threshold=0.8)
    assert [a.corpus[i] for i in range(50)] == [b.corpus[i] for i in range(50)]  # seeded
    assert len(a.corpus) == 2000 and a.exact > 20 and a.near > 30
    copies = [i for i in range(2000) if a.origin[i] != i]
    assert len(copies) == a.exact + a.near
    for i in copies[:40]:
        o = int(a.origin[i])
        assert o < i and jaccard(shingles(a.corpus[i]), shingles(a.corpus[o])) >= 0.8
    assert all(170 <= len(a.corpus[i].split()) <= 240 for i in range(0, 2000, 97))


def test_small_run_finds_the_planted_duplicates() -> None:
    r = run_child(3000, seed=5, threshold=0.8)
    assert r["precision"] == 1.0 and r["recall"] >= 0.99
    assert r["found_exact"] >= r["planted_exact"]


def test_cli_runs_each_size_in_a_child(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--sizes", "500,1000"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["articles", "precision", "recall", "dedupe", "s", "cpu", "s", "peak", "RSS", "MB",
                              "candidates"]
    assert [line.split()[0] for line in out[1:]] == ["500", "1,000"]
    assert all(int(line.split()[5].replace(",", "")) > 20 for line in out[1:])  # peak RSS in MB, measured

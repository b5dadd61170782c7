"""Deduplication: exact and near-duplicate articles, quote clusters, and the Reuters trade corpus."""

from __future__ import annotations

import hashlib
import itertools
import json
import random
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import pytest

from models.records import ArticleRecord, PipelineInfo, Source
from pipeline.corpus import read_records, write_records
from pipeline.corpus.dedupe import (
    LSH_PERM_BUDGET,
    LSH_RECALL,
    dedupe_file,
    dedupe_records,
    find_duplicates,
    jaccard,
    lsh_params,
    quote_clusters,
    shingles,
)
from pipeline.runner import record_json
from pipeline.settings import Settings

SETTINGS = Settings()
Make = Callable[..., ArticleRecord]


def _text(seed: int, n: int = 120) -> str:
    rng = random.Random(seed)
    vocab = [f"w{k}" for k in range(3000)]
    return " ".join(rng.choice(vocab) for _ in range(n))


def _edit(text: str, changes: int, seed: int = 0) -> str:
    """Replace `changes` words (spread out) with new ones."""
    words = text.split()
    rng = random.Random(seed)
    for pos in rng.sample(range(len(words)), changes):
        words[pos] = f"changed{pos}"
    return " ".join(words)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("the cat sat on the mat", "the cat sat on the mat", 1.0),
        ("The cat, sat on\nthe mat.", "the cat sat on the mat", 1.0),  # case, punctuation, line breaks ignored
        ("a b c d", "a b c e", 1 / 3),  # {abc, bcd} vs {abc, bce}
        ("a b", "a b", 1.0),  # shorter than a shingle: one shingle of all words
        ("", "", 0.0),
    ],
)
def test_shingle_jaccard(a: str, b: str, expected: float) -> None:
    assert jaccard(shingles(a), shingles(b)) == pytest.approx(expected)


def test_find_duplicates_exact_near_and_unrelated() -> None:
    base = _text(1)
    near = _edit(base, 3)  # 3 of 120 words: Jaccard ~0.86 with 3-word shingles
    far = _edit(base, 20)
    texts = [base, _text(2), base, near, far, _text(3), ""]
    dups = find_duplicates(texts, threshold=0.8)
    assert dups.exact_pairs == [(0, 2)]
    assert [(i, j) for i, j, _ in dups.near_pairs] == [(0, 3)]
    assert dups.near_pairs[0][2] == pytest.approx(jaccard(shingles(base), shingles(near)))
    assert dups.clusters() == [[0, 2, 3]]
    assert dups.roots[4] != dups.roots[0] and dups.roots[1] != dups.roots[0]


@pytest.mark.parametrize(("changes", "threshold", "joined"), [(3, 0.8, True), (3, 0.95, False), (12, 0.8, False),
                                                              (12, 0.5, True)])
def test_threshold_decides(changes: int, threshold: float, joined: bool) -> None:
    base = _text(5)
    dups = find_duplicates([base, _edit(base, changes)], threshold=threshold)
    assert (dups.roots[0] == dups.roots[1]) is joined
    assert all(score >= threshold for _, _, score in dups.near_pairs)


def test_dedupe_marks_earliest_as_representative(make_record: Make) -> None:
    base = _text(7)
    recs = [
        make_record("late", base, published="2025-05-01"),
        make_record("undated", base, published=None),
        make_record("early", _edit(base, 2), published="2025-01-01"),
        make_record("other", _text(8), published="2024-01-01"),
        make_record("early-too", base, published="2025-01-01"),  # same day as "early", later in the input
    ]
    out, summary = dedupe_records(recs, settings=SETTINGS)
    marks = {r.doc_id: (r.duplicate_of, r.dup_cluster) for r in out}
    assert marks == {
        "late": ("early", "dup:early"),
        "undated": ("early", "dup:early"),
        "early": (None, "dup:early"),
        "other": (None, None),
        "early-too": ("early", "dup:early"),
    }
    assert (summary.exact_duplicates, summary.near_duplicates, summary.clusters) == (2, 1, 1)
    assert [r.text for r in out] == [r.text for r in recs]  # nothing deleted or changed


def test_same_doc_id_for_different_articles_is_kept_apart(make_record: Make) -> None:
    a, b = _text(11), _text(12)
    recs = [make_record("x", a), make_record("x", b), make_record("y", a), make_record("z", b)]
    out, summary = dedupe_records(recs, settings=SETTINGS)
    assert [(r.duplicate_of, r.dup_cluster) for r in out] == [
        (None, "dup:x"), (None, "dup:x@1"), ("x", "dup:x"), ("x", "dup:x@1"),
    ]
    assert summary.clusters == 2


def test_quote_clusters_by_speaker_and_fuzzy_text(make_record: Make) -> None:
    quote = "We will not accept export controls that punish our customers"
    recs = [
        make_record("a", f'Zhou said "{quote}." Then Nvidia said "{quote}."',
                    entities=[{"text": "Zhou", "label": "OFFICIAL", "canonical_id": "official:zhou"},
                              {"text": "Nvidia", "label": "COMPANY", "canonical_id": "company:nvidia"}],
                    quotes=[{"text": quote, "speaker_entity": 0}], publisher="Reuters"),
        make_record("b", f'"{quote}!" Zhou told reporters.',
                    entities=[{"text": "Zhou", "label": "OFFICIAL", "canonical_id": "official:zhou"}],
                    quotes=[{"text": quote + "!", "speaker_entity": 0}], publisher="AP"),
        make_record("c", f'"We will not accept export control that punish customers" he said. "{quote}"',
                    quotes=[{"text": "We will not accept export control that punish customers",
                             "speaker_name": "ZHOU", "speaker_canonical_id": None},
                            {"text": quote}],  # no speaker: stays alone
                    publisher="Reuters"),
        make_record("d", f'Nvidia said "{quote}".',
                    entities=[{"text": "Nvidia", "label": "COMPANY", "canonical_id": "company:nvidia"}],
                    quotes=[{"text": quote, "speaker_entity": 0}]),
    ]
    out, summary = dedupe_records(recs, settings=SETTINGS)
    got = {(r.doc_id, q.id): q.quote_cluster for r in out for q in r.quotes}
    assert got == {
        ("a", "q1"): "qc:a:q1",
        ("b", "q1"): "qc:a:q1",  # same speaker id, ratio >= 90
        ("c", "q1"): "qc:c:q1",  # "zhou" by name is another speaker key than official:zhou
        ("c", "q2"): "qc:c:q2",
        ("d", "q1"): "qc:d:q1",  # same words, other speaker
    }
    assert summary.shared_quotes == 1 and summary.quote_clusters == 4


def test_quote_clusters_join_by_lowercased_name(make_record: Make) -> None:
    q = "Prices will rise for everyone in the market"
    recs = [make_record(d, f'"{q}," an analyst said.', quotes=[{"text": q, "speaker_name": name}])
            for d, name in (("a", "Ana Lim"), ("b", "ANA LIM"), ("c", "Bo Chen"))]
    ids = quote_clusters(recs)
    assert ids == {(0, 0): "qc:a:q1", (1, 0): "qc:a:q1", (2, 0): "qc:c:q1"}


def test_dedupe_is_deterministic_and_idempotent(make_record: Make) -> None:
    base = _text(21)
    texts = [base, _edit(base, 2, 1), _text(22), base, _edit(base, 3, 2)]
    recs = [make_record(f"d{i}", t) for i, t in enumerate(texts)]
    a, _ = dedupe_records(recs, settings=SETTINGS)
    b, _ = dedupe_records(recs, settings=SETTINGS)
    c, _ = dedupe_records(a, settings=SETTINGS)
    assert [record_json(r) for r in a] == [record_json(r) for r in b] == [record_json(r) for r in c]


def test_dedupe_file_and_threshold_argument(tmp_path: Path, make_record: Make) -> None:
    base = _text(31)
    src = tmp_path / "normalized.jsonl"
    write_records(src, [make_record("a", base), make_record("b", _edit(base, 8))])  # Jaccard ~0.6
    s1 = dedupe_file(src, tmp_path / "d1.jsonl", settings=SETTINGS)
    s2 = dedupe_file(src, tmp_path / "d2.jsonl", settings=SETTINGS, threshold=0.5)
    assert (s1.near_duplicates, s2.near_duplicates) == (0, 1)
    assert [r.duplicate_of for r in read_records(tmp_path / "d2.jsonl")] == [None, "a"]
    assert "duplicate_of" not in (tmp_path / "d1.jsonl").read_text()  # empty corpus fields stay out of the JSON


# ------------------------------------------------------------------------------------------- Reuters
def _reuters(shared: Path) -> list[ArticleRecord]:
    path = shared / "corpus" / "reuters21578-trade.jsonl"
    if not path.is_file():
        pytest.skip(f"../shared not present: {path} is missing")
    info = PipelineInfo(version="test", rules_version="none", model=None)
    recs = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        row = json.loads(line)
        recs.append(ArticleRecord(
            doc_id=row["id"], text=row["text"], pipeline=info,
            source=Source(path=f"{path}#L{n}", publisher=row.get("publisher"), published=row.get("published"),
                          title=row.get("title")),
        ))
    return recs


@pytest.mark.shared
def test_reuters_exact_and_near_duplicates(shared_dir: Path) -> None:
    recs = _reuters(shared_dir)
    assert len(recs) == 514
    thr = SETTINGS.dedupe_threshold
    out, summary = dedupe_records(recs, settings=SETTINGS)
    # exact: every group of identical texts is one cluster with one representative
    groups: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(recs):
        groups[hashlib.sha256(r.text.encode()).hexdigest()].append(i)
    exact = [g for g in groups.values() if len(g) > 1]
    assert sum(len(g) - 1 for g in exact) == 19
    for g in exact:
        assert len({out[i].dup_cluster for i in g}) == 1 and out[g[0]].dup_cluster is not None
    assert summary.exact_duplicates == 19
    # near: every pair found is a real one, and every real pair (brute force) was found
    sets = [shingles(r.text) for r in recs]
    print(f"\nnear-duplicate pairs found at threshold {thr}:")
    for i, j, score in summary.near_pairs:
        true = jaccard(sets[i], sets[j])
        print(f"  {recs[i].doc_id} ~ {recs[j].doc_id}: Jaccard {true:.3f}  {recs[i].source.title}")
        assert true >= thr and true == pytest.approx(score)
    firsts = [g[0] for g in groups.values()]
    real = [(i, j) for i, j in itertools.combinations(firsts, 2) if jaccard(sets[i], sets[j]) >= thr]
    assert len(real) >= 15  # the corpus has about twenty
    missed = [(recs[i].doc_id, recs[j].doc_id) for i, j in real if out[i].dup_cluster != out[j].dup_cluster
              or out[i].dup_cluster is None]
    assert missed == []
    assert summary.near_duplicates == len(summary.near_pairs) == len(real)


@pytest.mark.parametrize("threshold", [0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1.0])
def test_lsh_params_reach_the_recall_target_within_budget(threshold: float) -> None:
    bands, rows = lsh_params(threshold)
    assert bands >= 2 and bands * rows <= LSH_PERM_BUDGET
    assert 1 - (1 - threshold**rows) ** bands >= LSH_RECALL


def test_lsh_params_default_threshold() -> None:
    assert lsh_params(0.8) == (12, 5)

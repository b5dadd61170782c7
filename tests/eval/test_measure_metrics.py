"""Measure metrics on a hand-made article: matching by type, actor jurisdiction and evidence overlap, and
the attribute scores over matched pairs (every expected number worked out in the comments)."""

from __future__ import annotations

from models.gold import GoldArticle
from models.records import ArticleRecord
from pipeline.eval.measure_metrics import MeasureScores, score_measures
from pipeline.eval.metrics import score_gold
from tests.components.measures.conftest import dated_record

TEXT = (
    "Washington raised tariffs on steel to 50% on Wednesday.\n\n"
    "Beijing lifted its ban on gallium exports to the United States."
)
S1 = (0, 55)
S2 = (57, len(TEXT))


def _gold(measures):
    return GoldArticle.model_validate(
        {"doc_id": "t", "split": "dev", "origin": "synthetic", "text": TEXT, "measures": measures}
    )


def _span(s, e):
    return {"start": s, "end": e, "text": TEXT[s:e]}


TARIFF = {
    "type": "import_tariff", "status": "in_force", "direction": "restrictive",
    "actor": {"name": "United States", "jurisdiction": "US", "label": "COUNTRY"},
    "items": [_span(29, 34)], "rate": {**_span(38, 41), "value": 50, "unit": "percent"},
    "announced": "2025-07-16", "trigger": _span(18, 25), "evidence": [_span(*S1)],
}  # fmt: skip
BAN = {
    "type": "export_ban", "status": "revoked", "direction": "liberalising",
    "actor": {"name": "China", "jurisdiction": "CN", "label": "COUNTRY"},
    "targets": [{"name": "United States", "jurisdiction": "US", "label": "COUNTRY"}],
    "items": [_span(82, 89)], "trigger": _span(78, 81), "evidence": [_span(*S2)],
}  # fmt: skip


def _pred(rules_nlp) -> ArticleRecord:
    return dated_record(rules_nlp, TEXT)


def test_perfect_prediction_scores_one(rules_nlp):
    scores = score_gold([(_gold([TARIFF, BAN]), TEXT, _pred(rules_nlp))]).measures
    assert (scores.match.tp, scores.match.fp, scores.match.fn) == (2, 0, 0)
    assert scores.status.value == scores.direction.value == scores.rate.value == 1.0
    assert scores.dates.as_dict() == {"acc": 1.0, "correct": 4, "total": 4}  # announced + effective, two pairs
    assert (scores.targets.tp, scores.items.tp, scores.items.fp) == (1, 2, 0)


def test_type_disagreement_counts_only_type_free(rules_nlp):
    wrong_type = {**BAN, "type": "export_control"}
    scores = score_gold([(_gold([TARIFF, wrong_type]), TEXT, _pred(rules_nlp))]).measures
    # typed: the ban pairs with nothing, one spurious and one missed; type-free: both match
    assert (scores.match.tp, scores.match.fp, scores.match.fn) == (1, 1, 1)
    assert (scores.typeless.tp, scores.typeless.fp, scores.typeless.fn) == (2, 0, 0)
    assert scores.confusions["measure type export_control->export_ban"] == 1


def test_actor_jurisdiction_must_agree(rules_nlp):
    other_actor = {**TARIFF, "actor": {"name": "Canada", "jurisdiction": "CA"}}
    scores = score_gold([(_gold([other_actor]), TEXT, _pred(rules_nlp))]).measures
    assert (scores.match.tp, scores.match.fp, scores.match.fn) == (0, 2, 1)


def test_attribute_errors_on_a_matched_pair(rules_nlp):
    off = {**TARIFF, "status": "announced", "rate": {**_span(38, 41), "value": 25, "unit": "percent"},
           "announced": None, "effective": "2025-07-16"}  # fmt: skip
    scores = score_gold([(_gold([off]), TEXT, _pred(rules_nlp))]).measures
    assert scores.status.value == 0.0 and scores.rate.value == 0.0
    assert scores.dates.as_dict() == {"acc": 0.0, "correct": 0, "total": 2}
    assert scores.match.fp == 1  # the ban is not in this gold


def test_unannotated_layer_is_skipped(rules_nlp):
    scores = MeasureScores()
    score_measures(None, _pred(rules_nlp).measures, scores)
    assert scores.articles == 0 and scores.match.fp == 0
    assert score_gold([(_gold(None), TEXT, _pred(rules_nlp))]).as_dict()["measures"] is None

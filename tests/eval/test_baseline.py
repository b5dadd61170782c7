"""Headline scores and the baseline comparison, on runs whose numbers are set by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.eval.baseline import (
    BaselineMissing,
    EvalRun,
    blinded,
    check,
    headline,
    read_baseline,
    write_baseline,
)
from pipeline.eval.metrics import PRF, Acc, GoldScores
from pipeline.eval.polnear import PolnearScores


def _run() -> EvalRun:
    g = GoldScores(articles=2)
    g.entities.strict["COMPANY"] = PRF(3, 1, 1)  # F1 0.75
    g.entities.lenient["COMPANY"] = PRF(4, 0, 0)  # F1 1.0
    g.entities.canonical = Acc(2, 4)
    g.quotes.rules["exact"] = PRF(1, 1, 2)  # F1 2/5
    g.quotes.rules["0.3"] = PRF(2, 0, 1)  # F1 4/5
    g.quotes.speaker = Acc(1, 2)
    p = PolnearScores(articles=1)
    p.subsets["speech"].rules["0.3"] = PRF(8, 2, 2)  # F1 0.8
    p.subsets["speech"].speaker = Acc(7, 8)
    run = EvalRun(results={"gold_dev": g, "polnear_dev": p}, model="m 1", rules_version="r")
    run.sets = {"gold_dev": {"kind": "gold", "articles": 2, "gold_sha256": "a" * 64}, "polnear_dev": {"articles": 1}}
    return run


def test_headline() -> None:
    assert headline(_run()) == {
        "gold_dev.entity_strict_micro_f1": 0.75,
        "gold_dev.entity_lenient_micro_f1": 1.0,
        "gold_dev.canonical_id_acc": 0.5,
        "gold_dev.quote_f1_exact": 0.4,
        "gold_dev.quote_f1_0.3": 0.8,
        "gold_dev.speaker_acc": 0.5,
        "polnear_dev.speech_f1_0.3": 0.8,
        "polnear_dev.speech_speaker_acc": 0.875,
        # same-entity pairs, cue accuracy and the empty subsets have nothing to count: left out, not 0
    }


@pytest.mark.parametrize(
    ("base", "status", "failed"),
    [
        (0.76, "ok", False),  # exactly 0.01 below: allowed
        (0.7600000004, "ok", False),  # float noise does not fail the guard
        (0.7601, "drop", True),  # just over 0.01 below
        (0.80, "drop", True),
        (0.50, "ok", False),  # better than the baseline is fine (raise it deliberately)
    ],
)
def test_check_tolerance(base: float, status: str, failed: bool) -> None:
    scores = headline(_run())
    scores["gold_dev.entity_strict_micro_f1"] = base
    result = check(_run(), {"scores": scores, "tolerance": 0.01})
    by_key = {c.key: c.status for c in result.checks}
    assert by_key["gold_dev.entity_strict_micro_f1"] == status
    assert result.failed is failed
    assert sum(s == "drop" for s in by_key.values()) == int(failed)


def test_check_reports_sets_not_run_and_new_scores() -> None:
    run = _run()
    del run.results["polnear_dev"]
    run.skipped["polnear_dev"] = "no PolNeAR dev split under /x"
    scores = {**headline(_run()), "gold_test.speaker_acc": 0.9}
    del scores["gold_dev.speaker_acc"]
    base = {"scores": scores, "sets": {"gold_dev": {"gold_sha256": "b" * 64, "articles": 1}}}
    result = check(run, base)
    by_key = {c.key: c.status for c in result.checks}
    assert by_key["polnear_dev.speech_f1_0.3"] == "not run"
    assert by_key["gold_test.speaker_acc"] == "not run"
    assert by_key["gold_dev.speaker_acc"] == "new"
    assert not result.failed
    assert "polnear_dev not checked: no PolNeAR dev split under /x" in result.notes
    assert any("gold_dev: the gold file changed since the baseline (1 -> 2 articles)" in n for n in result.notes)


def test_write_and_read(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    write_baseline(_run(), path, command="tradex eval --all --update-baseline")
    data = read_baseline(path)
    assert data["scores"] == headline(_run())
    assert (data["command"], data["model"], data["tolerance"]) == ("tradex eval --all --update-baseline", "m 1", 0.01)
    assert data["sets"]["gold_dev"]["gold_sha256"] == "a" * 64
    assert json.loads(path.read_text(encoding="utf-8"))["date"] == data["date"]
    assert not check(_run(), data).failed


def test_write_refuses_partial_runs(tmp_path: Path) -> None:
    run = _run()
    run.skipped["gold_test"] = "corpus/gold/test.jsonl does not exist (yet)"
    with pytest.raises(ValueError, match="partial run"):
        write_baseline(run, tmp_path / "b.json")
    assert not (tmp_path / "b.json").exists()


def test_missing_baseline_says_how_to_create_it(tmp_path: Path) -> None:
    with pytest.raises(BaselineMissing, match="--update-baseline"):
        read_baseline(tmp_path / "none.json")


def test_blinded_check_keeps_only_the_status_of_test_splits() -> None:
    run = _run()
    run.results["gold_test"] = run.results["gold_dev"]
    scores = {**headline(run), "gold_test.speaker_acc": 0.9}  # a drop on the held-out split
    result = blinded(check(run, {"scores": scores, "tolerance": 0.01}))
    by_key = {c.key: c for c in result.checks}
    assert (by_key["gold_test.speaker_acc"].baseline, by_key["gold_test.speaker_acc"].current) == (None, None)
    assert by_key["gold_test.speaker_acc"].status == "drop"
    assert result.failed
    assert by_key["gold_dev.speaker_acc"].current == 0.5

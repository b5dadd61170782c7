"""Measure clusters checked by hand: the sampler, the scorer (on invented records) and the judgement file."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from models.records import ArticleRecord
from pipeline.eval.measure_clusters import (
    ClusterJudgement,
    app,
    articles_of,
    draft_line,
    multi_member_clusters,
    read_judgements,
    read_run,
    sample_clusters,
    score_clusters,
)
from tests.conftest import REPO, REUTERS, need_shared
from tests.eval.conftest import find

JUDGED = REPO / "corpus" / "gold" / "reuters-measure-clusters.jsonl"

# invented wire copy: two outlets on one tariff rise, a copy of the first, and a second action in one article
STEEL_A = "Washington raised tariffs on steel to 50% on Wednesday. Canada said it would respond."
STEEL_B = "The United States on Wednesday raised its tariffs on imported steel to 50%, officials said."
TALKS = "Officials of Japan and the United States will meet for trade talks in Tokyo next week."


def _measure(text: str, sentence: str, trigger: str, cluster: str | None, mtype: str = "import_tariff",
             juris: str = "US", i: int = 1) -> dict[str, Any]:
    s, e = find(text, sentence)
    ts, te = find(text, trigger)
    return {"id": f"m{i}", "type": mtype, "mast_chapter": None, "status": "announced",
            "actor": {"name": "United States", "label": "COUNTRY", "jurisdiction": juris},
            "trigger": {"text": trigger, "start": ts, "end": te},
            "evidence": [{"text": sentence, "start": s, "end": e}],
            "provenance": {"method": "test", "score": 1.0}, "measure_cluster": cluster}


def _record(doc_id: str, text: str, measures: list[dict[str, Any]], dup: str | None = None) -> ArticleRecord:
    return ArticleRecord.model_validate({"doc_id": doc_id, "source": {"path": "test", "published": "2025-07-17"},
                                         "text": text, "measures": measures, "dup_cluster": dup,
                                         "pipeline": {"version": "test", "rules_version": "test", "model": None}})


def _run(steel: str = "mc:a:m1", talks: tuple[str, str, str] = ("mc:c:m1", "mc:c:m2", "mc:c:m2")
         ) -> list[ArticleRecord]:
    """Five invented articles; `talks` gives the clusters of article c's two measures and of article d's."""
    sent_a, sent_b = STEEL_A.split(". ")[0] + ".", STEEL_B
    return [
        _record("a", STEEL_A, [_measure(STEEL_A, sent_a, "tariffs", steel)], dup="dup:a"),
        _record("b", STEEL_B, [_measure(STEEL_B, sent_b, "tariffs", steel)]),
        _record("a2", STEEL_A, [_measure(STEEL_A, sent_a, "tariffs", steel)], dup="dup:a"),
        _record("c", TALKS, [_measure(TALKS, TALKS, "trade talks", talks[0], "negotiation", "JP"),
                             _measure(TALKS, TALKS, "meet", talks[1], "negotiation", "JP", i=2)]),
        _record("d", TALKS + " More later.", [_measure(TALKS, TALKS, "trade talks", talks[2], "negotiation", "JP")]),
    ]


def _judge(records: list[ArticleRecord], verdicts: dict[str, str]) -> list[ClusterJudgement]:
    clusters = multi_member_clusters(records)
    return [ClusterJudgement.model_validate({**draft_line(cid, clusters[cid], "corpus/x.jsonl"), "verdict": v,
                                             "reason": f"invented case, judged {v}"})
            for cid, v in verdicts.items()]


def test_multi_member_clusters_and_what_they_join():
    clusters = multi_member_clusters(_run())
    assert list(clusters) == ["mc:a:m1", "mc:c:m2"]  # the single-member cluster mc:c:m1 is left out
    assert [m.record.doc_id for m in clusters["mc:a:m1"]] == ["a", "b", "a2"]
    assert articles_of(clusters["mc:a:m1"]) == "distinct"
    assert articles_of(clusters["mc:a:m1"][::2]) == "exact_copies"
    assert articles_of(clusters["mc:c:m2"]) == "distinct"


@pytest.mark.parametrize(("n", "seed", "expected"), [
    (30, 0, ["mc:a:m1", "mc:c:m2"]),  # fewer clusters than asked: all of them
    (1, 0, None),
])  # fmt: skip
def test_sample_is_seeded(n, seed, expected):
    clusters = multi_member_clusters(_run())
    first = sample_clusters(clusters, n, seed)
    assert first == sample_clusters(clusters, n, seed)
    assert len(first) == min(n, len(clusters)) and set(first) <= set(clusters)
    if expected is not None:
        assert first == expected


def test_draft_line_is_stand_off():
    clusters = multi_member_clusters(_run())
    line = draft_line("mc:a:m1", clusters["mc:a:m1"], "corpus/x.jsonl")
    assert line["verdict"] is None and line["articles"] == "distinct" and line["type"] == "import_tariff"
    assert line["members"][0] == {"doc_id": "a", "sha256": hashlib.sha256(STEEL_A.encode()).hexdigest(),
                                  "evidence": [[0, 55]], "trigger": [18, 25]}
    assert STEEL_A not in json.dumps(line) and "steel" not in json.dumps(line)


def test_score_on_the_judged_run():
    run = _run()
    score = score_clusters(_judge(run, {"mc:a:m1": "same", "mc:c:m2": "not_same"}), run)
    assert (score.judged, score.found, score.same, score.precision) == (2, 2, 1, 0.5)
    assert (score.distinct_found, score.distinct_same) == (2, 1)
    assert score.gone == [] and score.unjudged == [] and score.moved == 0
    assert score.false_merges == [("mc:c:m2", "invented case, judged not_same")]


@pytest.mark.parametrize(("talks", "gone", "unjudged"), [
    (("mc:c:m1", "mc:c:m2", "mc:c:m1"), "split into 2 clusters", ["mc:c:m1"]),  # the false merge is gone
    (("mc:c:m2", "mc:c:m2", "mc:c:m2"), "now mc:c:m2 with 3 members, judged with 2", ["mc:c:m2"]),  # it grew
    (("mc:x:m9", "mc:d:m1", "mc:d:m1"), None, []),  # renamed, same members: still the judged cluster
])  # fmt: skip
def test_score_on_a_new_run(talks, gone, unjudged):
    judged = _judge(_run(), {"mc:a:m1": "same", "mc:c:m2": "not_same"})
    score = score_clusters(judged, _run(talks=talks))
    if gone is None:
        assert (score.found, score.same, score.gone, score.unjudged) == (2, 1, [], [])
        assert score.false_merges == [("mc:d:m1", "invented case, judged not_same")]
    else:
        assert (score.found, score.same, score.precision) == (1, 1, 1.0)
        assert score.gone == [("mc:c:m2", gone)] and score.unjudged == unjudged and score.false_merges == []


def test_score_refinds_members_by_evidence_and_trigger():
    run = _run()
    judged = _judge(run, {"mc:c:m2": "same"})
    # the two measures of article c share their evidence sentence: the trigger tells them apart
    assert score_clusters(judged, run).found == 1
    # a measure whose evidence grew is found by overlap
    grown = [r.model_copy(update={"measures": [m.model_copy(update={"evidence": [
        m.evidence[0].model_copy(update={"end": m.evidence[0].end + 1, "text": r.text[m.evidence[0].start:
                                                                                     m.evidence[0].end + 1]})]})
        for m in r.measures]}) if r.doc_id == "d" else r for r in run]
    score = score_clusters(judged, grown)
    assert (score.found, score.moved) == (1, 1)


def test_score_refuses_changed_texts():
    run = _run()
    judged = _judge(run, {"mc:a:m1": "same"})
    changed = [r.model_copy(update={"text": r.text.replace("said", "noted")}) if r.doc_id == "b" else r for r in run]
    score = score_clusters(judged, changed)
    assert score.found == 0 and "text differs" in score.gone[0][1]


@pytest.mark.parametrize(("change", "problem"), [
    ({"verdict": "maybe"}, "verdict"),
    ({"reason": ""}, "reason"),
    ({"articles": "exact_copies"}, "does not fit"),  # two texts cannot be exact copies
    ({"members": []}, "members"),
])  # fmt: skip
def test_judgement_validation(change, problem):
    line = _judge(_run(), {"mc:a:m1": "same"})[0].model_dump()
    with pytest.raises(ValueError, match=problem):
        ClusterJudgement.model_validate({**line, **change})


def test_cli_sample_and_score(tmp_path: Path):
    from typer.testing import CliRunner

    run_dir = tmp_path / "run"
    run_dir.mkdir()
    (run_dir / "deduped.jsonl").write_text("".join(r.model_dump_json() + "\n" for r in _run()), encoding="utf-8")
    assert [r.doc_id for r in read_run(run_dir)] == ["a", "b", "a2", "c", "d"]
    draft = tmp_path / "draft.jsonl"
    runner = CliRunner()
    res = runner.invoke(app, ["sample", str(run_dir), "-n", "30", "--seed", "0", "--draft", str(draft)])
    assert res.exit_code == 0, res.output
    assert "2 measure clusters with 2+ members; 2 sampled" in res.output and "evidence 0:55 " in res.output
    assert "pair [0]-[1]: shares nothing, 0 days apart" in res.output  # the invented measures have no keys
    lines = [json.loads(x) for x in draft.read_text().splitlines()]
    for line, verdict in zip(lines, ["same", "not_same"], strict=True):
        line.update(verdict=verdict, reason="invented case for the command")
    judged = tmp_path / "judged.jsonl"
    judged.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    res = runner.invoke(app, ["score", str(run_dir), str(judged), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert (out["judged"], out["found"], out["same"], out["not_same"], out["precision"]) == (2, 2, 1, 1, 0.5)
    again = runner.invoke(app, ["sample", str(run_dir), "--draft", str(draft)])
    assert again.exit_code != 0  # a draft is never overwritten


def test_judged_file_is_valid():
    judged = read_judgements(JUDGED)
    assert len(judged) == 30
    assert len({j.cluster for j in judged}) == 30
    assert all(j.text_path == "corpus/reuters21578-trade.jsonl" for j in judged)
    # reasons are the reviewer's words: short, never an evidence sentence
    assert all(10 <= len(j.reason) <= 300 for j in judged)


def test_judged_file_matches_the_reuters_texts():
    from pipeline.ingest import Article, read_path
    from pipeline.settings import Settings

    path = need_shared(REUTERS)  # read as `tradex extract` reads it: the hashes are of the text the records carry
    sha = {a.doc_id: hashlib.sha256(a.text.encode("utf-8")).hexdigest()
           for a in read_path(str(path), Settings.load()) if isinstance(a, Article)}
    for j in read_judgements(JUDGED):
        for m in j.members:
            assert sha.get(m.doc_id) == m.sha256, f"{j.cluster}: {m.doc_id} text hash differs"

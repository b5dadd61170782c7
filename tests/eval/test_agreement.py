"""Agreement of two gold passes: the second pass is scored as a prediction against the first."""

from __future__ import annotations

import json
from pathlib import Path

from models.gold import GoldArticle
from pipeline.eval.agreement import agreement, gold_as_record

TEXT = "Caldera Metals said on Monday it would cut gallium output. \u201cWe have no choice,\u201d Ana Ruiz said."


def _gold(doc_id: str, entities: list[tuple[str, str]], quotes: list[tuple[str, str, str]]) -> dict:
    def at(s: str) -> dict:
        i = TEXT.index(s)
        return {"start": i, "end": i + len(s), "text": s}

    return {
        "doc_id": doc_id, "split": "dev", "origin": "synthetic", "text": TEXT,
        "entities": [at(s) | {"label": lab, "canonical_id": None} for s, lab in entities],
        "quotes": [at(s) | {"kind": kind, "speaker": {"mention": at(who), "name": who}} for s, kind, who in quotes],
    }


def _write(path: Path, *articles: dict) -> Path:
    path.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
    return path


def test_identical_passes_agree_fully(tmp_path: Path) -> None:
    art = _gold("synth-x", [("Caldera Metals", "COMPANY"), ("gallium", "MATERIAL")],
                [("We have no choice,", "direct", "Ana Ruiz")])
    a = _write(tmp_path / "a.jsonl", art)
    agr = agreement(a, a, shared=tmp_path)
    assert agr.articles == ["synth-x"]
    assert agr.scores.entities.micro("strict").f1 == 1.0
    assert agr.scores.quotes.rules["0.5both"].f1 == 1.0
    assert agr.scores.quotes.speaker.value == 1.0


def test_disagreements_are_counted_and_one_pass_articles_listed(tmp_path: Path) -> None:
    first = _gold("synth-x", [("Caldera Metals", "COMPANY"), ("gallium", "MATERIAL"), ("Ana Ruiz", "PERSON")],
                  [("We have no choice,", "direct", "Ana Ruiz")])
    # the second annotator missed gallium, took "Caldera" only, and called the quote partial
    second = _gold("synth-x", [("Caldera", "COMPANY"), ("Ana Ruiz", "PERSON")],
                   [("We have no choice,", "partial", "Ana Ruiz")])
    a = _write(tmp_path / "a.jsonl", first, _gold("synth-y", [], []))
    b = _write(tmp_path / "b.jsonl", second)
    agr = agreement(a, b, shared=tmp_path)
    strict, lenient = agr.scores.entities.micro("strict"), agr.scores.entities.micro("lenient")
    assert (strict.tp, strict.fp, strict.fn) == (1, 1, 2)
    assert (lenient.tp, lenient.fp, lenient.fn) == (2, 0, 1)
    assert agr.scores.quotes.kind.value == 0.0
    assert agr.only_first == ["synth-y"] and agr.only_second == []


def test_gold_as_record_keeps_offsets_and_speakers() -> None:
    art = GoldArticle.model_validate(_gold("synth-x", [("Ana Ruiz", "PERSON")],
                                           [("We have no choice,", "direct", "Ana Ruiz")]))
    rec = gold_as_record(art, TEXT)
    assert [(e.text, e.label.value) for e in rec.entities] == [("Ana Ruiz", "PERSON")]
    assert rec.quotes[0].speaker is not None and rec.quotes[0].speaker.name == "Ana Ruiz"
    assert rec.quotes[0].text == "We have no choice,"


def test_measures_are_compared_too(tmp_path: Path) -> None:
    def at(s: str) -> dict:
        i = TEXT.index(s)
        return {"start": i, "end": i + len(s), "text": s}

    sentence = "Caldera Metals said on Monday it would cut gallium output."
    measure = {"type": "export_control", "status": "announced", "direction": "restrictive",
               "actor": {"name": "Caldera Metals", "jurisdiction": None},
               "items": [at("gallium") | {"canonical_id": None}],
               "trigger": at("cut gallium output"), "evidence": [at(sentence)]}
    first = _gold("synth-x", [("gallium", "MATERIAL")], []) | {"measures": [measure]}
    second = _gold("synth-x", [("gallium", "MATERIAL")], []) | {"measures": [measure | {"status": "proposed"}]}
    agr = agreement(_write(tmp_path / "a.jsonl", first), _write(tmp_path / "b.jsonl", second), shared=tmp_path)
    assert agr.scores.measures.match.f1 == 1.0
    assert agr.scores.measures.status.value == 0.0  # one disagreement, on status

"""`tradex annotate` drafts: stand-off for shared texts, inline for ours, and a lossless round trip."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from pipeline.eval.annotate import Draft, draft_gold, gold_from_record, origin_of, write_gold
from pipeline.eval.baseline import EvalRequest, headline, run_eval
from pipeline.eval.gold import sha256_text
from pipeline.settings import Settings

OURS = ("Nvidia Corp said on Tuesday that it would resume H20 sales to China. "
        "The company added that the licences had been approved.\n")


@pytest.fixture
def draft(data_dir: Path, tmp_path: Path) -> Draft:
    ours = tmp_path / "ours.txt"
    ours.write_text(OURS, encoding="utf-8")
    inputs = [str(data_dir / "shared" / "seed" / "001_invented.txt"),
              str(data_dir / "shared" / "corpus" / "reuters-invented.jsonl"), str(ours)]
    return draft_gold(inputs, shared=data_dir / "shared", split="dev", settings=Settings.load(model="none"))


def test_standoff_and_inline(draft: Draft) -> None:
    arts = draft.articles
    refs = [(a.origin, a.text_ref.path if a.text_ref else None, a.text_ref.id if a.text_ref else None) for a in arts]
    assert refs == [("seed", "seed/001_invented.txt", None), ("reuters", "corpus/reuters-invented.jsonl", "inv-1"),
                    ("reuters", "corpus/reuters-invented.jsonl", "inv-2"), ("synthetic", None, None)]
    seed = arts[0]
    assert seed.text is None and seed.text_ref is not None
    text = "“Supply is tight,” said Ilse Varga, an analyst at Norden Research.\n"
    assert seed.text_ref.sha256 == sha256_text(text)
    # stand-off spans carry offsets only, never text from the shared folder
    line = seed.model_dump_json(exclude_unset=True)
    assert "Varga" not in line.replace('"name":"Ilse Varga"', "")
    assert all(e.text is None for e in seed.entities) and all(q.text is None for q in seed.quotes)
    ours = arts[3]
    assert ours.text == OURS
    assert all(e.text == OURS[e.start : e.end] for e in ours.entities)
    assert ours.quotes and all(q.text == OURS[q.start : q.end] for q in ours.quotes)
    assert draft.errors == []


def test_round_trip_scores_perfectly(draft: Draft, data_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "dev.jsonl"
    write_gold(path, draft.articles)
    first = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    assert first["entities"][0]["canonical_id"] is None  # a required null is written, not dropped
    assert "group" not in first["entities"][0]
    run = run_eval(EvalRequest(gold={"gold_dev": path}, shared=data_dir / "shared", model="none"))
    scores = headline(run)
    # the same pipeline scoring its own draft: every score that has anything to count is 1.0
    assert scores and all(v == 1.0 for v in scores.values()), scores


@pytest.mark.parametrize(
    ("rel", "origin"),
    [
        ("seed/000_x.txt", "seed"),
        ("corpus/reuters21578-trade.jsonl", "reuters"),
        ("corpus/modern-trade-news.jsonl", "modern"),
    ],
)
def test_origin_of(rel: str, origin: str) -> None:
    assert origin_of(rel) == origin


def test_origin_of_other_shared_files() -> None:
    with pytest.raises(ValueError, match="seed files, the Reuters corpus or the modern corpus"):
        origin_of("polnear/dev/text/a.txt")


def test_groups_for_linked_mentions(mk: SimpleNamespace) -> None:
    text = "Caldera Metals said Caldera would grow. Nexa Corp agreed."
    rec = mk.record(text, [mk.entity(text, "Caldera Metals", "COMPANY", i=1),
                           mk.entity(text, "Caldera", "COMPANY", i=2, nth=1, attrs={"antecedent": "e1"}),
                           mk.entity(text, "Nexa Corp", "COMPANY", "company:nexa", i=3)])
    g = gold_from_record(rec, shared=Path("/nonexistent-shared"), split="dev")
    # the two linked Caldera mentions share a key from the first one's name; the lone Nexa keeps its id
    assert [(e.group, e.canonical_id) for e in g.entities] == [
        ("caldera-metals", None), ("caldera-metals", None), (None, "company:nexa")]

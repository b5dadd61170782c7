"""Gold loading: inline and stand-off texts, hash and offset checks, the shared folder being absent."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pipeline.eval.gold import GoldError, SharedMissing, load_gold, pair_predictions, read_predictions


def test_loads_inline_and_standoff(data_dir: Path) -> None:
    gset = load_gold(data_dir / "gold" / "dev.jsonl", shared=data_dir / "shared")
    assert gset.name == "gold_dev"
    assert [d.gold.doc_id for d in gset.docs] == ["synth-a", "seed-b", "inv-1"]
    assert gset.standoff == 2
    seed = gset.docs[1]
    # the stand-off text comes from the shared folder, and the offsets point at the right words
    assert seed.text.startswith("“Supply is tight,”")
    e = seed.gold.entities[0]
    assert seed.text[e.start : e.end] == "Ilse Varga"
    assert gset.docs[2].text == "Officials in Lisbon said exports rose."  # picked by id from a JSONL file
    assert gset.sha256 == hashlib.sha256((data_dir / "gold" / "dev.jsonl").read_bytes()).hexdigest()


def test_limit(data_dir: Path) -> None:
    assert len(load_gold(data_dir / "gold" / "dev.jsonl", shared=data_dir / "shared", limit=2).docs) == 2


def test_hash_mismatch_names_the_doc(data_dir: Path) -> None:
    with pytest.raises(GoldError) as e:
        load_gold(data_dir / "gold" / "bad_hash.jsonl", shared=data_dir / "shared")
    assert e.value.problems == [
        f"{data_dir / 'gold' / 'bad_hash.jsonl'}:L2: seed-b: text hash differs from the gold's text_ref.sha256"]


def test_shared_absent_skips(data_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(SharedMissing, match=r"2 of 3 articles .* stand-off"):
        load_gold(data_dir / "gold" / "dev.jsonl", shared=tmp_path / "nowhere")
    # a file with only inline texts needs no shared folder
    inline = tmp_path / "dev.jsonl"
    inline.write_text((data_dir / "gold" / "dev.jsonl").read_text(encoding="utf-8").splitlines()[0] + "\n",
                      encoding="utf-8")
    assert len(load_gold(inline, shared=tmp_path / "nowhere").docs) == 1


def _one_line(data_dir: Path, n: int) -> dict[str, Any]:
    return json.loads((data_dir / "gold" / "dev.jsonl").read_text(encoding="utf-8").splitlines()[n])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["text_ref"].update(id="inv-9"), "id 'inv-9' not found in corpus/reuters-invented.jsonl"),
        (lambda d: d["text_ref"].update(path="corpus/missing.jsonl"), "corpus/missing.jsonl not found"),
        (lambda d: d["text_ref"].update(path="../outside.jsonl"), "leaves the shared folder"),
        (lambda d: d["quotes"][0].update(end=999), "quote 25:999 outside the text"),
        (lambda d: d["quotes"][0]["cue"].update(start=900, end=904), "cue 900:904 outside the text"),
        (lambda d: d.update(split="test"), "has split 'test' in dev.jsonl"),
        (lambda d: d["quotes"][0].update(text="exports rose"), "must not copy span text"),
    ],
)
def test_problems_name_line_and_doc(data_dir: Path, tmp_path: Path, change: Callable[[dict[str, Any]], None],
                                    message: str) -> None:
    d = _one_line(data_dir, 2)
    change(d)
    path = tmp_path / "dev.jsonl"
    path.write_text(json.dumps(d, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(GoldError) as e:
        load_gold(path, shared=data_dir / "shared")
    assert len(e.value.problems) == 1
    assert e.value.problems[0].startswith(f"{path}:L1")
    assert message in e.value.problems[0]


def test_duplicate_doc_ids(data_dir: Path, tmp_path: Path) -> None:
    line = (data_dir / "gold" / "dev.jsonl").read_text(encoding="utf-8").splitlines()[0]
    path = tmp_path / "dev.jsonl"
    path.write_text(line + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(GoldError, match="doc synth-a repeats line 1"):
        load_gold(path, shared=data_dir / "shared")


def test_pair_predictions_by_id_then_text(data_dir: Path) -> None:
    gset = load_gold(data_dir / "gold" / "dev.jsonl", shared=data_dir / "shared")
    recs = read_predictions(data_dir / "gold" / "dev.pred.jsonl")
    paired = pair_predictions(gset.docs, recs)
    # seed-b's record has another doc_id (a text hash) and is found by its text
    assert [r.doc_id for r in paired] == ["synth-a", "5c0ffee000000001", "inv-1"]
    with pytest.raises(GoldError, match="no prediction for doc inv-1"):
        pair_predictions(gset.docs, recs[:2])


@pytest.mark.parametrize(
    ("hashed", "loaded"),
    [
        # the text as `tradex extract` reads it (mojibake repaired by ingest) ...
        ("The café owner in Vellmar said prices rose.", "The café owner in Vellmar said prices rose."),
        # ... or the raw `text` field of the JSONL line: whichever the gold's hash names is used
        ("The cafÃ© owner in Vellmar said prices rose.", "The cafÃ© owner in Vellmar said prices rose."),
    ],
)
def test_standoff_text_variant_follows_the_hash(data_dir: Path, tmp_path: Path, hashed: str, loaded: str) -> None:
    gold = {"doc_id": "moji-1", "split": "dev", "origin": "reuters",
            "text_ref": {"path": "corpus/reuters-mojibake.jsonl", "id": "moji-1",
                         "sha256": hashlib.sha256(hashed.encode("utf-8")).hexdigest()}}
    path = tmp_path / "dev.jsonl"
    path.write_text(json.dumps(gold) + "\n", encoding="utf-8")
    doc = load_gold(path, shared=data_dir / "shared").docs[0]
    assert doc.text == loaded

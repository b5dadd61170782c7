"""Label Studio round trip: gold/records -> tasks (+ labelling config) -> an export -> gold, unchanged."""

from __future__ import annotations

import copy
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from models.gold import GoldArticle
from pipeline.cli import app
from pipeline.eval.gold import load_gold, sha256_text
from pipeline.eval.labelstudio import (
    ExportError,
    Offsets,
    config_path_for,
    gold_from_task,
    gold_line,
    input_kind,
    label_config,
    read_export,
    task_from_gold,
    task_from_record,
)
from tests.conftest import REPO, SHARED, need_shared
from tests.report.conftest import measure_record

GOLD = REPO / "corpus" / "gold"


def as_export(tasks: list[dict]) -> list[dict]:
    """What Label Studio exports after an annotator submits each task's pre-annotations unchanged."""
    out = []
    for n, task in enumerate(tasks, 1):
        t = copy.deepcopy(task)
        preds = t.get("predictions") or []
        t.update(id=n, annotations=[{"id": 100 + n, "completed_by": 1, "was_cancelled": False,
                                     "result": [{**r, "origin": "prediction"} for r in preds[0]["result"]]}])
        out.append(t)
    return out


def _synthetic_lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if '"origin": "synthetic"' in line]


@pytest.mark.parametrize("split", ["dev", "test"])
def test_inline_gold_round_trips_byte_for_byte(split, tmp_path):
    lines = _synthetic_lines(GOLD / f"{split}.jsonl")
    assert lines
    tasks = []
    for line in lines:
        g = GoldArticle.model_validate_json(line)
        tasks.append(task_from_gold(g, g.text))
    export = tmp_path / "export.json"
    export.write_text(json.dumps(as_export(tasks)), encoding="utf-8")
    assert [gold_line(a) for a in read_export(export).articles] == lines


def test_standoff_gold_round_trips_without_copying_text(data_dir, tmp_path):
    path = data_dir / "gold" / "dev.jsonl"
    gset = load_gold(path, shared=data_dir / "shared")
    tasks = [task_from_gold(d.gold, d.text) for d in gset.docs]
    assert any(t["data"]["tradex"]["text_ref"] for t in tasks)
    export = tmp_path / "export.json"
    export.write_text(json.dumps(as_export(tasks)), encoding="utf-8")
    back = read_export(export).articles
    assert [a.model_dump() for a in back] == [d.gold.model_dump() for d in gset.docs]
    assert all(e.text is None for a in back if a.text_ref for e in a.entities)


@pytest.mark.shared
def test_cli_round_trip_of_the_whole_gold_corpus(tmp_path, monkeypatch):
    need_shared(SHARED / "seed")
    runner = CliRunner()
    for split in ("dev", "test"):
        tasks = tmp_path / f"{split}.tasks.json"
        res = runner.invoke(app, ["annotate", str(GOLD / f"{split}.jsonl"), "--format", "label-studio", "-o",
                                  str(tasks), "--shared", str(SHARED)])
        assert res.exit_code == 0, res.output
        assert config_path_for(tasks).is_file()
        export = tmp_path / f"{split}.export.json"
        export.write_text(json.dumps(as_export(json.loads(tasks.read_text(encoding="utf-8")))), encoding="utf-8")
        gold = tmp_path / f"{split}.jsonl"
        res = runner.invoke(app, ["gold", "import", str(export), "-o", str(gold)])
        assert res.exit_code == 0, res.output
        assert gold.read_text(encoding="utf-8") == (GOLD / f"{split}.jsonl").read_text(encoding="utf-8")


def _results(task, control=None):
    res = task["predictions"][0]["result"]
    return [r for r in res if control is None or r.get("from_name") == control]


def test_record_becomes_pre_annotations():
    rec = measure_record()
    task = task_from_record(rec, shared=SHARED, split="dev")
    assert task["data"]["text"] == rec["text"] and task["data"]["title"] == "China curbs gallium exports"
    assert task["data"]["tradex"]["origin"] == "synthetic" and task["data"]["tradex"]["text_ref"] is None
    ents = _results(task, "entity")
    assert [(r["value"]["text"], r["value"]["labels"]) for r in ents] == [
        (e["text"], [e["label"]]) for e in rec["entities"]]
    assert all(r["score"] == 1.0 for r in ents)
    ids = {r["id"]: r["value"]["text"][0] for r in _results(task, "canonical_id")}
    assert ids["e0"] == "country:cn" and "e4" not in ids  # a mention new to the packs has no canonical id
    (q,) = _results(task, "quote")
    assert q["value"]["labels"] == ["direct"] and q["score"] == 0.9
    rels = {(r["from_id"], r["to_id"], r["labels"][0]) for r in task["predictions"][0]["result"]
            if r["type"] == "relation"}
    assert (q["id"], "e4", "speaker") in rels  # to the speaker's mention, Nyberg Metals
    (m,) = _results(task, "measure")
    assert m["value"]["labels"] == ["export_control"] and m["value"]["text"] == "export controls"
    assert [r["value"]["choices"] for r in _results(task, "status")] == [["in_force"]]
    evidence = [r for r in _results(task, "role") if r["value"]["labels"] == ["evidence"]]
    assert len(evidence) == 2 and all((m["id"], r["id"], "evidence") in rels for r in evidence)


def test_labelling_config_names_every_control_and_label_the_tasks_use():
    root = ET.fromstring(label_config())
    controls = {el.get("name"): {c.get("value") for c in el} for el in root.iter()
                if el.get("name") and el.tag in ("Labels", "TextArea", "Choices")}
    relations = {el.get("value") for el in root.iter("Relation")}
    g = GoldArticle.model_validate_json(_synthetic_lines(GOLD / "dev.jsonl")[0])
    task = task_from_gold(g, g.text, measures=measure_record()["measures"])
    for r in task["predictions"][0]["result"]:
        if r["type"] == "relation":
            assert set(r["labels"]) <= relations
            continue
        assert r["from_name"] in controls and r["to_name"] == "text"
        if r["type"] in ("labels", "choices"):
            assert set(r["value"].get("labels") or r["value"].get("choices")) <= controls[r["from_name"]]


def test_offsets_are_utf16_for_label_studio():
    text = "🚢 Nvidia said 🙂 \"ok\"."
    g = GoldArticle.model_validate({
        "doc_id": "emoji", "split": "dev", "origin": "synthetic", "text": text,
        "entities": [{"start": 2, "end": 8, "text": "Nvidia", "label": "COMPANY", "canonical_id": "company:nvidia"}],
        "quotes": [{"start": 17, "end": 19, "text": "ok", "kind": "direct", "cue": {"start": 9, "end": 13,
                    "text": "said"}, "speaker": {"mention": {"start": 2, "end": 8, "text": "Nvidia"}}}]})
    task = task_from_gold(g, text)
    ent = _results(task, "entity")[0]["value"]
    assert (ent["start"], ent["end"]) == (3, 9)  # the ship is two UTF-16 units
    q = _results(task, "quote")[0]["value"]
    assert (q["start"], q["end"]) == (19, 21)
    back = gold_from_task(as_export([task])[0])
    assert back.model_dump() == g.model_dump()
    off = Offsets(text)
    assert all(off.to_py(off.to_js(i)) == i for i in range(len(text) + 1))


def _task():
    g = GoldArticle.model_validate_json(_synthetic_lines(GOLD / "dev.jsonl")[0])
    return g, as_export([task_from_gold(g, g.text)])[0]


def test_corrections_come_back_as_gold():
    g, task = _task()
    result = task["annotations"][0]["result"]
    # the annotator relabels the first mention, drops the second one and fixes a canonical id
    first = next(r for r in result if r["id"] == "e0" and r["type"] == "labels")
    first["value"]["labels"] = ["AGENCY"]
    result[:] = [r for r in result if r.get("id") != "e1" and r.get("to_id") != "e1"]
    cid = next((r for r in result if r["id"] == "e0" and r["from_name"] == "canonical_id"), None)
    if cid is None:
        cid = {"id": "e0", "from_name": "canonical_id", "to_name": "text", "type": "textarea",
               "value": {"start": first["value"]["start"], "end": first["value"]["end"], "text": [""]}}
        result.append(cid)
    cid["value"]["text"] = ["agency:example"]
    back = gold_from_task(task)
    assert back.entities[0].label.value == "AGENCY" and back.entities[0].canonical_id == "agency:example"
    assert len(back.entities) == len(g.entities) - 1
    assert len(back.quotes) == len(g.quotes)


def test_skipped_cancelled_and_bad_tasks(tmp_path):
    _, good = _task()
    unannotated = copy.deepcopy(good)
    unannotated["annotations"] = []
    cancelled = copy.deepcopy(good)
    cancelled["annotations"][0]["was_cancelled"] = True
    export = tmp_path / "export.json"
    export.write_text(json.dumps([good, unannotated, cancelled]), encoding="utf-8")
    imported = read_export(export)
    assert len(imported.articles) == 1 and len(imported.skipped) == 2
    bad = copy.deepcopy(good)
    bad["annotations"][0]["result"][0]["value"]["end"] = 10**6
    export.write_text(json.dumps([bad]), encoding="utf-8")
    with pytest.raises(ExportError, match=r"task 1 \(synth-"):
        read_export(export)


def test_standoff_refuses_a_changed_text(data_dir):
    gset = load_gold(data_dir / "gold" / "dev.jsonl", shared=data_dir / "shared")
    doc = next(d for d in gset.docs if d.gold.text_ref is not None)
    task = as_export([task_from_gold(doc.gold, doc.text)])[0]
    assert gold_from_task(task).text_ref.sha256 == sha256_text(doc.text)
    task["data"]["text"] = doc.text + " "
    with pytest.raises(ValueError, match="differs from the text"):
        gold_from_task(task)


def test_input_kinds(tmp_path, data_dir):
    records = tmp_path / "records.jsonl"
    records.write_text(json.dumps(measure_record()) + "\n", encoding="utf-8")
    articles = tmp_path / "articles.jsonl"
    articles.write_text('{"id": "a1", "text": "Nvidia said so."}\n', encoding="utf-8")
    assert input_kind(GOLD / "dev.jsonl") == "gold"
    assert input_kind(records) == "records" and input_kind(tmp_path) == "records"
    assert input_kind(articles) == "articles" and input_kind(data_dir / "shared" / "seed") == "articles"


def test_cli_tasks_from_records_and_import_errors(tmp_path):
    runner = CliRunner()
    records = tmp_path / "records.jsonl"
    records.write_text(json.dumps(measure_record()) + "\n" + "{broken\n", encoding="utf-8")
    tasks = tmp_path / "tasks.json"
    res = runner.invoke(app, ["annotate", str(records), "--format", "label-studio", "-o", str(tasks)])
    assert res.exit_code == 1, res.output  # one line was not a record
    assert "1 Label Studio tasks" in res.output and "TX109" in res.output
    assert len(json.loads(tasks.read_text(encoding="utf-8"))) == 1
    assert ET.fromstring(config_path_for(tasks).read_text(encoding="utf-8")).tag == "View"
    res = runner.invoke(app, ["annotate", str(records), "--format", "doc", "-o", str(tmp_path / "x.json")])
    assert res.exit_code == 2 and "--format must be" in res.output
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    res = runner.invoke(app, ["gold", "import", str(bad), "-o", str(tmp_path / "g.jsonl")])
    assert res.exit_code == 2 and "list of tasks" in res.output
    assert not (tmp_path / "g.jsonl").exists()


@pytest.mark.shared
@pytest.mark.parametrize("split", ["dev", "test"])
def test_modern_gold_with_measures_round_trips_byte_for_byte(split, tmp_path):
    """The modern gold carries all three layers (speaker labels and titles, measures with every field)."""
    need_shared(SHARED / "corpus" / "modern-trade-news.jsonl")
    from pipeline.eval.gold import load_gold

    path = GOLD / "modern" / f"{split}.jsonl"
    docs = load_gold(path, shared=SHARED).docs
    tasks = [task_from_gold(d.gold, d.text) for d in docs]
    export = tmp_path / "export.json"
    export.write_text(json.dumps(as_export(tasks)), encoding="utf-8")
    back = read_export(export).articles
    assert sum(len(a.measures or []) for a in back) > 0
    assert [gold_line(a) for a in back] == path.read_text(encoding="utf-8").splitlines()

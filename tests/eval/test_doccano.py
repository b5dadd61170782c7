"""doccano JSONL: gold -> lines -> gold unchanged; a corrected line; the plain `label` format."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from models.gold import GoldArticle
from pipeline.cli import app
from pipeline.eval.doccano import line_from_task, read_lines, task_from_line
from pipeline.eval.labelstudio import ExportError, gold_from_task, gold_line, task_from_gold
from tests.conftest import REPO, SHARED, need_shared

GOLD = REPO / "corpus" / "gold"


def _lines(path):
    return [line for line in path.read_text(encoding="utf-8").splitlines() if '"origin": "synthetic"' in line]


@pytest.mark.parametrize("split", ["dev", "test"])
def test_inline_gold_round_trips_through_doccano(split, tmp_path):
    lines = _lines(GOLD / f"{split}.jsonl")
    out = tmp_path / "doccano.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        for line in lines:
            g = GoldArticle.model_validate_json(line)
            fh.write(json.dumps(line_from_task(task_from_gold(g, g.text))) + "\n")
    assert [gold_line(a) for a in read_lines(out).articles] == lines


def test_line_shape_and_a_correction():
    g = GoldArticle.model_validate_json(_lines(GOLD / "dev.jsonl")[0])
    line = line_from_task(task_from_gold(g, g.text))
    labels = {e["label"] for e in line["entities"]}
    assert {"CUE"} <= labels and any(lab.startswith("QUOTE:") for lab in labels)
    assert {r["type"] for r in line["relations"]} <= {"speaker", "cue", "evidence"}
    first = line["entities"][0]
    assert (first["start_offset"], first["end_offset"]) == (g.entities[0].start, g.entities[0].end)
    first["label"] = "AGENCY"  # relabelled: the span keeps its place, loses the old label's fields
    back = gold_from_task(task_from_line(line))
    assert back.entities[0].label.value == "AGENCY" and back.entities[0].canonical_id is None
    assert back.entities[1:] == g.entities[1:] and back.quotes == g.quotes


def test_plain_label_format_and_bad_lines(tmp_path):
    text = "Nvidia said it would comply."
    plain = {"text": text, "label": [[0, 6, "COMPANY"], [12, 27, "QUOTE:indirect"]]}
    g = gold_from_task(task_from_line(plain))
    assert [(e.start, e.end, e.label.value) for e in g.entities] == [(0, 6, "COMPANY")]
    assert g.quotes[0].kind.value == "indirect" and g.quotes[0].text == text[12:27]
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"text": text, "label": [[0, 6, "NOT_A_LABEL"]]}) + "\n{oops\n", encoding="utf-8")
    with pytest.raises(ExportError) as e:
        read_lines(bad)
    assert [p.split(": ")[0] for p in e.value.problems] == [f"{bad}:L1", f"{bad}:L2"]


@pytest.mark.shared
def test_cli_round_trip_of_the_gold_corpus(tmp_path):
    need_shared(SHARED / "seed")
    runner = CliRunner()
    lines = tmp_path / "dev.doccano.jsonl"
    res = runner.invoke(app, ["annotate", str(GOLD / "dev.jsonl"), "--format", "doccano", "-o", str(lines),
                              "--shared", str(SHARED)])
    assert res.exit_code == 0, res.output
    gold = tmp_path / "dev.jsonl"
    res = runner.invoke(app, ["gold", "import", str(lines), "-o", str(gold)])
    assert res.exit_code == 0, res.output
    assert gold.read_text(encoding="utf-8") == (GOLD / "dev.jsonl").read_text(encoding="utf-8")

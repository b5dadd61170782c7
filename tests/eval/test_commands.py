"""`tradex eval` and `tradex annotate` end to end on the invented test data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app


def _with_pred(data_dir: Path) -> list[str]:
    return ["--gold", str(data_dir / "gold" / "dev.jsonl"), "--pred", str(data_dir / "gold" / "dev.pred.jsonl"),
            "--shared", str(data_dir / "shared")]


def _eval(*args: str) -> tuple[int, str, str]:
    res = CliRunner().invoke(app, ["eval", *args])
    return res.exit_code, res.stdout, res.stderr


def test_eval_with_pred_file(data_dir: Path) -> None:
    code, out, _ = _eval(*_with_pred(data_dir), "--json", "--diff")
    assert code == 0
    res = json.loads(out)["results"]["gold_dev"]
    # 4 gold mentions, 4 predicted; Norden Research is MEDIA instead of COMPANY: tp 3, fp 1, fn 1
    assert res["entities"]["micro"]["strict"] == {"p": 0.75, "r": 0.75, "f1": 0.75, "tp": 3, "fp": 1, "fn": 1}
    assert res["entities"]["per_label"]["COMPANY"]["strict"]["fn"] == 1
    # 3 gold quotes; the Lisbon one is missed: P 1, R 2/3, F1 0.8 at every rule
    assert res["quotes"]["match"]["exact"] == {"p": 1.0, "r": 0.6667, "f1": 0.8, "tp": 2, "fp": 0, "fn": 1}
    assert res["quotes"]["attributes_at_0.3"]["speaker"] == {"acc": 1.0, "correct": 2, "total": 2}
    assert {c["error"] for c in res["confusions"]} == {"label COMPANY->MEDIA", "quote missed indirect"}
    assert [(d["doc_id"], d["what"], d["kind"]) for d in res["diff"]] == [
        ("seed-b", "missed", "entity COMPANY"), ("seed-b", "spurious", "entity MEDIA"),
        ("inv-1", "missed", "quote indirect")]


def test_eval_tables(data_dir: Path) -> None:
    code, out, _ = _eval(*_with_pred(data_dir), "--diff")
    assert code == 0
    for piece in ("gold_dev: entities (3 articles)", "micro", "F1@0.3", "label COMPANY->MEDIA",
                  "missed   quote indirect: …Officials in Lisbon said [exports rose] .…"):
        assert piece in out


def test_hash_mismatch_exits_2_naming_the_doc(data_dir: Path) -> None:
    code, _, err = _eval("--gold", str(data_dir / "gold" / "bad_hash.jsonl"), "--shared", str(data_dir / "shared"),
                         "--model", "none")
    assert code == 2
    assert "seed-b: text hash differs" in err


def test_shared_absent_says_what_it_skipped(data_dir: Path, tmp_path: Path) -> None:
    code, out, err = _eval("--gold", str(data_dir / "gold" / "dev.jsonl"), "--shared", str(tmp_path / "none"),
                           "--model", "none", "--json")
    assert code == 0
    assert "skipped gold_dev: 2 of 3 articles" in err
    assert json.loads(out)["results"] == {}


def test_runs_the_pipeline_without_pred(data_dir: Path) -> None:
    code, out, _ = _eval("--gold", str(data_dir / "gold" / "dev.jsonl"), "--shared", str(data_dir / "shared"),
                         "--model", "none", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["sets"]["gold_dev"]["articles"] == 3
    assert data["model"] is None  # rules only
    assert "gold_dev.entity_strict_micro_f1" in data["headline"]


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--all", "--gold", "x.jsonl", "--check-baseline"],
        ["--gold", "x.jsonl", "--update-baseline"],
        ["--all", "--limit", "3", "--check-baseline"],
        ["--all", "--pred", "p.jsonl"],
        ["--gold", "a.jsonl", "--gold", "b.jsonl", "--pred", "p.jsonl"],
        ["--all", "--blind-test", "--update-baseline"],  # the baseline would lose the hidden test scores
    ],
)
def test_usage_errors(args: list[str]) -> None:
    assert _eval(*args)[0] == 2


def test_missing_gold_file_is_an_error_when_named(tmp_path: Path) -> None:
    code, _, err = _eval("--gold", str(tmp_path / "nope.jsonl"), "--model", "none")
    assert code == 2
    assert "not found" in err


def test_update_baseline_refuses_a_partial_run(tmp_path: Path) -> None:
    base = tmp_path / "baseline.json"
    code, _, err = _eval("--all", "--shared", str(tmp_path / "no-shared"), "--model", "none", "--update-baseline",
                         "--baseline", str(base))
    assert code == 2
    assert "refusing to write a baseline from a partial run" in err
    assert not base.exists()


def test_annotate_cli(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "draft.jsonl"
    args = ["annotate", str(data_dir / "shared" / "seed" / "001_invented.txt"), "-o", str(out), "--shared",
            str(data_dir / "shared"), "--model", "none", "--split", "test"]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["split"] == "test"
    # an existing draft (maybe corrected by hand) is never overwritten silently
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 2
    assert "--force" in res.stderr


def test_blind_test_hides_a_test_split(data_dir: Path, tmp_path: Path) -> None:
    """A gold file named as a held-out split is scored but none of its figures or errors are shown."""
    held_out = tmp_path / "x_test.jsonl"
    held_out.write_bytes((data_dir / "gold" / "dev.jsonl").read_bytes())
    args = ["--gold", str(held_out), "--pred", str(data_dir / "gold" / "dev.pred.jsonl"),
            "--shared", str(data_dir / "shared")]
    code, out, err = _eval(*args, "--blind-test", "--json")
    assert code == 0
    assert json.loads(out)["results"] == {}
    assert "gold_x_test: scored, figures hidden (--blind-test)" in err
    code, out, _ = _eval(*args, "--json")
    assert list(json.loads(out)["results"]) == ["gold_x_test"]

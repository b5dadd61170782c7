"""The `tradex` command line: exit statuses, schema, version, and a valid record for every bundled article."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from models.records import ArticleRecord
from pipeline.cli import app
from tests.conftest import BROKEN, CONTRACT, SYNTHETIC

runner = CliRunner()


def test_extract_bundled_corpus_every_line_is_a_valid_record(tmp_path):
    out = tmp_path / "records.jsonl"
    res = runner.invoke(app, ["extract", str(SYNTHETIC), "-o", str(out), "--model", "none"])
    assert res.exit_code == 0, res.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 46  # 40 articles + 1 txt + 1 txt.gz + 3 csv rows + 1 html
    n_spans = 0
    for line in lines:
        rec = ArticleRecord.model_validate_json(line)
        spans = [*rec.entities, *rec.quotes]
        spans += [q.cue for q in rec.quotes if q.cue] + [
            q.speaker.mention for q in rec.quotes if q.speaker and q.speaker.mention
        ]
        for s in spans:
            assert rec.text[s.start : s.end] == s.text
        n_spans += len(spans)
    assert n_spans > 1000
    if CONTRACT.exists():
        chk = subprocess.run(
            [
                sys.executable,
                str(CONTRACT),
                str(out),
                "--inputs",
                "46",
                "--errors",
                str(tmp_path / "records.errors.jsonl"),
            ],
            capture_output=True,
            text=True,
        )
        assert chk.returncode == 0, chk.stdout


@pytest.mark.parametrize(
    "args, code",
    [
        (["extract", str(SYNTHETIC / "formats" / "brief-001.txt"), "--model", "none"], 0),
        (["extract", str(BROKEN / "mixed.jsonl"), "--model", "none"], 1),
        (["extract", str(SYNTHETIC), "--model", "no_such_model_xyz"], 2),
        (["extract", str(SYNTHETIC), "--workers", "0"], 2),
        (["run", str(SYNTHETIC), "--stages", "extract,bogus"], 2),
        (["extract", str(BROKEN / "README.md").replace("README.md", "no-such-*.jsonl"), "--model", "none"], 2),
    ],
)
def test_exit_statuses(tmp_path, args, code):
    res = runner.invoke(
        app,
        [*args, "-o", str(tmp_path / "o" / "records.jsonl")]
        if args[0] == "extract"
        else [*args, "-o", str(tmp_path / "o")],
    )
    assert res.exit_code == code, res.output


def test_summary_line_counts_records_and_errors(tmp_path):
    out = tmp_path / "r.jsonl"
    res = runner.invoke(app, ["extract", str(BROKEN / "mixed.jsonl"), "-o", str(out), "--model", "none"])
    assert f"8 articles: 3 records, 5 errors -> {out}" in res.output.replace("\n", " ")


def test_json_log_emits_a_summary_event(tmp_path):
    out = tmp_path / "r.jsonl"
    res = runner.invoke(app, ["extract", str(BROKEN / "rows.csv"), "-o", str(out), "--model", "none", "--json-log"])
    events = [json.loads(x) for x in res.output.splitlines() if x.startswith("{")]
    assert events[-1]["event"] == "summary"
    assert (events[-1]["records"], events[-1]["errors"]) == (2, 2)


def test_stdin_input(tmp_path):
    out = tmp_path / "r.jsonl"
    res = runner.invoke(
        app,
        ["extract", "-", "-o", str(out), "--model", "none"],
        input='{"id": "s1", "text": "Beijing said it would retaliate."}\n',
    )
    assert res.exit_code == 0, res.output
    rec = ArticleRecord.model_validate_json(out.read_text(encoding="utf-8"))
    assert rec.doc_id == "s1" and rec.source.path == "-#L1"


def test_config_file_sets_defaults(tmp_path):
    cfg = tmp_path / "tradex.toml"
    cfg.write_text('[tradex]\nmodel = "none"\nmax_chars = 50\n', encoding="utf-8")
    out = tmp_path / "r.jsonl"
    res = runner.invoke(
        app, ["extract", str(SYNTHETIC / "formats" / "brief-001.txt"), "-o", str(out), "--config", str(cfg)]
    )
    assert res.exit_code == 1
    assert json.loads((tmp_path / "r.errors.jsonl").read_text())["error_code"] == "TX105"


def test_schema_and_version():
    res = runner.invoke(app, ["schema"])
    assert res.exit_code == 0
    assert json.loads(res.output)["title"] == "ArticleRecord"
    res = runner.invoke(app, ["version", "--model", "none"])
    assert res.exit_code == 0
    assert res.output.startswith("tradex ") and "rules " in res.output and "model none" in res.output


def test_extract_and_run_share_one_option_set():
    """The option set of `extract` and `run` is declared once (`_EXTRACT_OPTIONS`); each command adds its own."""
    import typer.main

    from pipeline.cli import _EXTRACT_OPTIONS, app

    group = typer.main.get_command(app)
    names = {cmd: {p.name for p in group.commands[cmd].params} for cmd in ("extract", "run")}  # type: ignore[attr-defined]
    assert set(_EXTRACT_OPTIONS) <= names["extract"] and set(_EXTRACT_OPTIONS) <= names["run"]
    assert names["extract"] - set(_EXTRACT_OPTIONS) == {"inputs", "output"}
    assert names["run"] - set(_EXTRACT_OPTIONS) == {"inputs", "output", "stages", "append"}

"""Runner: records + errors = inputs, atomic partitions, resume after a kill, identical output for any workers."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from models.records import ArticleRecord
from pipeline.runner import errors_path_for, run_extract
from pipeline.settings import Settings
from tests.conftest import BROKEN, CONTRACT, MODEL, REUTERS, SYNTHETIC, need_model, need_shared

TRADEX = [sys.executable, "-m", "pipeline.cli"]


def _lines(p: Path) -> list[str]:
    return p.read_text(encoding="utf-8").splitlines()


def test_bundled_and_broken_inputs_are_all_accounted_for(tmp_path):
    out = tmp_path / "records.jsonl"
    s = run_extract([str(SYNTHETIC), str(BROKEN)], out, settings=Settings(model="none", partition_size=7))
    recs, errs = _lines(out), _lines(errors_path_for(out))
    assert s.records == len(recs) and s.errors == len(errs)
    assert s.inputs == s.records + s.errors
    assert s.error_codes == {"TX101": 4, "TX102": 1, "TX103": 1, "TX104": 1, "TX106": 1, "TX107": 1}
    assert s.exit_code == 1
    assert s.line() == f"{s.inputs} articles: {s.records} records, {s.errors} errors -> {out}"
    for line in recs:
        rec = ArticleRecord.model_validate_json(line)
        for span in [*rec.entities, *rec.quotes]:
            assert rec.text[span.start : span.end] == span.text
    assert not list(tmp_path.glob(".*.parts"))


def test_partition_size_does_not_change_the_output(tmp_path):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    run_extract([str(SYNTHETIC)], a, settings=Settings(model="none", partition_size=3))
    run_extract([str(SYNTHETIC)], b, settings=Settings(model="none", partition_size=500))
    assert a.read_bytes() == b.read_bytes()


def test_two_workers_write_the_same_bytes_as_one(tmp_path):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    run_extract([str(SYNTHETIC)], a, settings=Settings(model="none", partition_size=5))
    run_extract([str(SYNTHETIC)], b, settings=Settings(model="none", partition_size=5, workers=2))
    assert a.read_bytes() == b.read_bytes()


def test_one_failing_article_does_not_cost_the_batch(tmp_path, monkeypatch):
    from pipeline.components import quotes

    original = quotes.TradeQuotes.__call__

    def flaky(self, doc):
        if "POISON" in doc.text:
            raise RuntimeError("boom")
        return original(self, doc)

    monkeypatch.setattr(quotes.TradeQuotes, "__call__", flaky)
    src = tmp_path / "in.jsonl"
    src.write_text(
        "".join(
            json.dumps({"id": f"a{i}", "text": t}) + "\n"
            for i, t in enumerate(["Nvidia said it would comply.", "POISON pill.", "China said no."])
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    s = run_extract([str(src)], out, settings=Settings(model="none"))
    assert (s.records, s.errors) == (2, 1)
    (err,) = [json.loads(x) for x in _lines(errors_path_for(out))]
    assert err["error_code"] == "TX200" and err["doc_id"] == "a1" and "boom" in err["message"]


@pytest.mark.shared
def test_reuters_corpus_gives_514_valid_records(tmp_path):
    need_shared(REUTERS)
    out = tmp_path / "records.jsonl"
    s = run_extract([str(REUTERS)], out, settings=Settings(model="none"))
    assert (s.records, s.errors) == (514, 0)
    res = subprocess.run(
        [sys.executable, str(CONTRACT), str(out), "--errors", str(errors_path_for(out)), "--inputs", "514"],
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stdout
    assert res.stdout.strip().endswith("OK")


@pytest.mark.shared
def test_corrupted_reuters_copy_loses_nothing(tmp_path):
    need_shared(REUTERS)
    lines = REUTERS.read_bytes().split(b"\n")[:40]
    lines[3] = lines[3][: len(lines[3]) // 2]  # truncated line
    lines[7] = lines[7].replace(b"said", b"sa\xff\xfeid", 1)  # invalid UTF-8 inside a text
    obj = json.loads(lines[11])
    obj["text"] = ""
    lines[11] = json.dumps(obj).encode()  # empty text
    lines[15] = bytes(b for b in range(256) if b != 10)  # binary junk (no newline: still one line)
    src = tmp_path / "corrupt.jsonl"
    src.write_bytes(b"\n".join(lines) + b"\n")
    out = tmp_path / "records.jsonl"
    s = run_extract([str(src)], out, settings=Settings(model="none", partition_size=8))
    assert s.records + s.errors == 40
    errs = {
        json.loads(x)["source"].rsplit("#", 1)[1]: json.loads(x)["error_code"] for x in _lines(errors_path_for(out))
    }
    assert errs["L4"] == "TX103" and errs["L12"] == "TX101" and errs["L16"] in {"TX102", "TX103"}
    # the line with invalid bytes is either repaired (and says so) or a coded error: never lost
    rec8 = [ArticleRecord.model_validate_json(x) for x in _lines(out) if '#L8"' in x]
    assert ("L8" in errs) != bool(rec8)
    if rec8:
        assert rec8[0].source.repairs


def _run_cli(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*TRADEX, *args], cwd=cwd, capture_output=True, text=True)


@pytest.mark.shared
def test_killed_run_resumes_to_identical_bytes(tmp_path):
    """Kill a run after some partitions are written; --resume must finish it byte-identically."""
    need_shared(REUTERS)
    repo = Path(__file__).resolve().parents[1]
    full = tmp_path / "full" / "records.jsonl"
    args = [str(REUTERS), "--model", "none", "--partition-size", "20", "-q"]
    assert _run_cli(["extract", *args, "-o", str(full)], repo).returncode == 0
    part = tmp_path / "part" / "records.jsonl"
    proc = subprocess.Popen([*TRADEX, "extract", *args, "-o", str(part)], cwd=repo, env={**os.environ})
    parts_dir = part.parent / ".records.jsonl.parts"
    deadline = time.time() + 60
    while time.time() < deadline and len(list(parts_dir.glob("*.done"))) < 3:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done_before = len(list(parts_dir.glob("*.done")))
    assert done_before >= 3 and not part.exists()
    res = _run_cli(["extract", *args, "-o", str(part), "--resume", "--json-log"], repo)
    assert res.returncode == 0, res.stderr
    summary = json.loads(res.stderr.strip().splitlines()[-1])
    assert summary["resumed_partitions"] >= 3
    assert part.read_bytes() == full.read_bytes()
    assert errors_path_for(part).read_bytes() == errors_path_for(full).read_bytes()


class _Stop(Exception):
    pass


def test_resume_redoes_a_partition_whose_file_changed_after_its_marker(tmp_path):
    """A bug once fixed: a part file rewritten after its .done marker was joined as it stood."""
    full = tmp_path / "full.jsonl"
    run_extract([str(SYNTHETIC)], full, settings=Settings(model="none", partition_size=5))

    def stop_after_three(done: int, words: int, parts: int) -> None:
        if parts == 3:
            raise _Stop

    out = tmp_path / "out.jsonl"
    settings = Settings(model="none", partition_size=5)
    with pytest.raises(_Stop):
        run_extract([str(SYNTHETIC)], out, settings=settings, on_progress=stop_after_three)
    part_dir = tmp_path / ".out.jsonl.parts"
    assert (part_dir / "part-000000.done").exists()
    (part_dir / "part-000000.jsonl").write_text("torn\n", encoding="utf-8")
    s = run_extract([str(SYNTHETIC)], out, settings=settings, resume=True)
    assert s.resumed_partitions == 2  # partitions 1 and 2 reused, 0 redone
    assert out.read_bytes() == full.read_bytes()


@pytest.mark.parametrize("resume", [False, True])
def test_a_run_in_the_callers_process_leaves_the_heap_unfrozen(tmp_path, resume):
    """The run freezes the heap once its pipeline is built (a speed-up) and unfreezes it at the end, also
    when every partition was resumed and no pipeline was built."""
    import gc

    out = tmp_path / "records.jsonl"
    if resume:
        run_extract([str(SYNTHETIC)], out, settings=Settings(model="none"))
    before = gc.get_freeze_count()
    seen: list[int] = []
    s = run_extract(
        [str(SYNTHETIC)],
        out,
        settings=Settings(model="none"),
        resume=resume,
        on_progress=lambda *a: seen.append(gc.get_freeze_count()),
    )
    assert s.records == 46
    assert gc.get_freeze_count() == before
    if not resume:
        assert max(seen) > before  # frozen while the partitions ran


@pytest.mark.slow
def test_parser_failures_are_counted_in_the_summary(tmp_path, monkeypatch):
    """A sentence the dependency parser raises on is read unparsed, and the run summary says how many."""
    need_model()
    from pipeline.components.quotes import TradeQuotes

    def broken_parser(doc):
        raise RuntimeError("parser down")

    original = TradeQuotes.__init__

    def with_broken_parser(self, *args, **kwargs):
        original(self, *args, **kwargs)
        if self.parser is not None:  # a model's parser: make it fail
            self.parser = broken_parser

    monkeypatch.setattr(TradeQuotes, "__init__", with_broken_parser)
    src = tmp_path / "in.jsonl"
    text = "The ministry said the new export rules on chips would take effect next month, officials added."
    src.write_text(json.dumps({"id": "a1", "text": text}) + "\n", encoding="utf-8")
    # built here, not unpickled: the patched __init__ must run
    summary = run_extract([str(src)], tmp_path / "out.jsonl", settings=Settings(model=MODEL, cache_pipeline=False))
    assert summary.records == 1
    assert summary.parse_failures >= 1
    assert f"{summary.parse_failures} sentences unparsed (parser failed)" in summary.line()
    monkeypatch.undo()
    healthy = run_extract([str(src)], tmp_path / "ok.jsonl", settings=Settings(model=MODEL))
    assert healthy.parse_failures == 0 and "unparsed" not in healthy.line()

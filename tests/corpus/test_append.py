"""`tradex run NEW -o DIR --append`: the batch joins DIR, deduplicated and normalized against it; only
the Parquet partitions whose rows changed are rewritten. Every article here is our own invention."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb

from pipeline.corpus.append import merge_batch

TRADEX = [sys.executable, "-m", "pipeline.cli"]
STORY = ("Caldera Metals said on Monday it would halt gallium shipments to three buyers from next month, "
         "citing new licence rules. The company said the rules left it no choice and that talks with the "
         "ministry would continue through the summer, with a decision expected before the autumn.")


def _jsonl(path: Path, *articles: dict) -> Path:
    path.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
    return path


def _run(inputs: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*TRADEX, "run", str(inputs), "-o", str(out), "--model", "none", "--quiet", *extra],
                          capture_output=True, text=True, cwd=Path(__file__).resolve().parents[2])


def test_append_dedupes_against_the_earlier_batch_and_rewrites_only_changed_months(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = _jsonl(tmp_path / "a.jsonl",
                   {"id": "a1", "published": "2025-05-05", "publisher": "Wire A", "text": STORY},
                   {"id": "a2", "published": "2025-06-10", "publisher": "Wire A",
                    "text": "Kestrel Mining said it would buy a lithium project in Chile for $2 billion."})
    assert _run(first, out).returncode == 0
    june = out / "parquet" / "articles" / "published_month=2025-06" / "data.parquet"
    june_before = june.stat().st_mtime_ns
    second = _jsonl(tmp_path / "b.jsonl",
                    {"id": "b1", "published": "2025-07-01", "publisher": "Wire B", "text": STORY + " Shares fell."},
                    {"id": "b2", "published": "2025-07-02", "publisher": "Wire B",
                     "text": "Harbor Ridge Capital said it would invest in a graphite plant in Ontario."})
    r = _run(second, out, "--append")
    assert r.returncode == 0, r.stderr
    assert [json.loads(x)["doc_id"] for x in (out / "records.jsonl").read_text().splitlines()] == [
        "a1", "a2", "b1", "b2"]
    dedup = {json.loads(x)["doc_id"]: json.loads(x) for x in (out / "deduped.jsonl").read_text().splitlines()}
    assert dedup["b1"]["duplicate_of"] == "a1"  # a near copy of the earlier batch's story
    con = duckdb.connect(str(out / "tradex.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM articles").fetchall() == [(4,)]
    seen = con.execute("SELECT first_seen::VARCHAR, last_seen::VARCHAR FROM entities "
                       "WHERE name = 'Caldera Metals'").fetchall()
    assert seen == [("2025-05-05", "2025-07-01")]  # the entity's last sighting moved with the new batch
    con.close()
    assert june.stat().st_mtime_ns == june_before  # June's rows did not change: its partition was not rewritten
    assert (out / "parquet" / "articles" / "published_month=2025-07" / "data.parquet").exists()


def test_without_append_a_run_replaces_the_records(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _run(_jsonl(tmp_path / "a.jsonl", {"id": "a1", "text": STORY}), out)
    _run(_jsonl(tmp_path / "b.jsonl", {"id": "b1", "text": STORY + " Shares fell."}), out)
    assert [json.loads(x)["doc_id"] for x in (out / "records.jsonl").read_text().splitlines()] == ["b1"]


def test_merge_replaces_a_re_ingested_doc_in_place(tmp_path: Path) -> None:
    def rec(doc_id: str, n: int) -> str:
        return json.dumps({"doc_id": doc_id, "n": n})

    records, batch = tmp_path / "r.jsonl", tmp_path / "b.jsonl"
    records.write_text("\n".join([rec("a", 1), rec("b", 1)]) + "\n")
    batch.write_text("\n".join([rec("b", 2), rec("c", 2)]) + "\n")
    errors, batch_errors = tmp_path / "r.errors.jsonl", tmp_path / "b.errors.jsonl"
    errors.write_text('{"e": 1}\n')
    batch_errors.write_text('{"e": 2}\n')
    s = merge_batch(records, batch, errors, batch_errors)
    assert (s.before, s.added, s.replaced, s.errors_added, s.total) == (2, 1, 1, 1, 3)
    assert records.read_text().splitlines() == [rec("a", 1), rec("b", 2), rec("c", 2)]
    assert errors.read_text().splitlines() == ['{"e": 1}', '{"e": 2}']

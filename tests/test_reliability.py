"""Issue #19, defect by defect: each test reproduces what a hostile user saw and asserts the fix.

Numbers in the test names are the issue's (1 two writers on one output ... 12 the smaller ones).
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from models.records import ArticleRecord
from pipeline.cli import app
from pipeline.guard import output_lock
from pipeline.ingest import iter_inputs
from pipeline.runner import errors_path_for, estimate_total, run_extract
from pipeline.settings import Settings
from tests.conftest import REPO, SYNTHETIC

runner = CliRunner()
TRADEX = [sys.executable, "-m", "pipeline.cli"]
RULES = Settings(model="none")


def _jsonl(path: Path, texts: list[str], **extra: str) -> Path:
    path.write_text(
        "".join(json.dumps({"id": f"a{i}", "text": t, **extra}) + "\n" for i, t in enumerate(texts)), encoding="utf-8"
    )
    return path


def _lines(p: Path) -> list[str]:
    return p.read_text(encoding="utf-8").splitlines()


def _extract(*args: str):
    return runner.invoke(app, ["extract", *args, "--model", "none", "-q"])


TEXTS = ["Nvidia said it would comply.", "China said it would retaliate.", "The EU said no."]


# ------------------------------------------------------------------------------------ 1. two writers
def test_1_a_second_writer_of_the_same_output_is_refused(tmp_path):
    src = _jsonl(tmp_path / "in.jsonl", TEXTS)
    out = tmp_path / "r.jsonl"
    with output_lock(out):  # another run holds the output
        res = _extract(str(src), "-o", str(out))
    assert res.exit_code == 2, res.output
    assert "TX302" in res.output and str(os.getpid()) in res.output
    assert not out.exists()
    assert _extract(str(src), "-o", str(out)).exit_code == 0  # the lock went with its holder


def test_1_two_processes_on_one_output_never_mix(tmp_path):
    """Two real runs at once: one writes everything, the other is refused with exit 2 (none exits 0 mixed)."""
    # long enough that the first run still holds the lock when the second has started (with a cached
    # pipeline the first starts in well under a second; the second needs its imports first)
    n = 5000
    a = _jsonl(tmp_path / "a.jsonl", [f"Nvidia said item {i} would ship." for i in range(n)])
    b = _jsonl(tmp_path / "b.jsonl", [f"China said rule {i} would stand." for i in range(300)])
    out = tmp_path / "r.jsonl"
    base = ["extract", "--model", "none", "-q", "--partition-size", "10", "-o", str(out)]
    first = subprocess.Popen([*TRADEX, *base, str(a)], cwd=REPO, stderr=subprocess.PIPE, text=True)
    lock = out.with_name(".r.jsonl.lock")
    while first.poll() is None and not (lock.exists() and lock.read_text().strip()):
        time.sleep(0.05)
    second = subprocess.run([*TRADEX, *base, str(b)], cwd=REPO, capture_output=True, text=True)
    first.communicate()
    assert first.returncode == 0
    assert second.returncode == 2 and "TX302" in second.stderr
    ids = {json.loads(x)["source"]["path"].split("#")[0] for x in _lines(out)}
    assert ids == {str(a)} and len(_lines(out)) == n


# --------------------------------------------------------------------------------- 2. output over input
def test_2_output_over_its_input_is_refused(tmp_path):
    src = _jsonl(tmp_path / "f.jsonl", TEXTS)
    before = src.read_bytes()
    link = tmp_path / "link.jsonl"
    link.symlink_to(src)
    for out in (src, link):
        res = _extract(str(src), "-o", str(out))
        assert res.exit_code == 2 and "TX301" in res.output, res.output
    # an input at the errors-file path
    errs = tmp_path / "r.errors.jsonl"
    shutil.copy(src, errs)
    res = _extract(str(errs), "-o", str(tmp_path / "r.jsonl"))
    assert res.exit_code == 2 and "TX301" in res.output
    assert src.read_bytes() == before == errs.read_bytes()


def test_2_run_over_its_own_records_is_refused(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    src = _jsonl(d / "records.jsonl", TEXTS)
    before = src.read_bytes()
    res = runner.invoke(app, ["run", str(src), "-o", str(d), "--model", "none", "-q"])
    assert res.exit_code == 2 and "TX301" in res.output, res.output
    assert src.read_bytes() == before


# ------------------------------------------------------------------------- 3. devices, folders, unwritable
@pytest.mark.parametrize("target", ["/dev/null", "/dev/full", "{tmp}", "{tmp}/file.txt/r.jsonl"])
def test_3_output_must_be_a_regular_file_in_a_writable_place(tmp_path, target):
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    src = _jsonl(tmp_path / "in.jsonl", TEXTS)
    out = target.format(tmp=tmp_path)
    res = _extract(str(src), "-o", out)
    assert res.exit_code == 2, res.output
    assert "TX301" in res.output and "Traceback" not in res.output
    if out.startswith("/dev/"):
        assert stat.S_ISCHR(os.stat(out).st_mode)  # still the device
    assert not list(tmp_path.rglob("*.tmp*"))


# ------------------------------------------------------------------------- 4. one bad input, batch goes on
BAD_LINES = [
    ("nested 1,000 deep", "[" * 1000 + "]" * 1000, "TX103"),
    ("nested 100,000 deep", "[" * 100_000 + "]" * 100_000, "TX103"),
    ("lone surrogate in text", '{"id": "s", "text": "Tariffs \\ud800 rose."}', "TX102"),
    ("lone surrogate in title", '{"id": "s", "text": "Tariffs rose.", "title": "\\udfff"}', "TX109"),
    ("escaped NUL in text", '{"id": "n", "text": "Tariffs\\u0000 rose."}', "TX102"),
    ("raw NUL in text", '{"id": "n", "text": "Tariffs\x00 rose."}', "TX102"),
]


@pytest.mark.parametrize("what, line, code", BAD_LINES, ids=[c[0] for c in BAD_LINES])
def test_4_one_bad_line_is_one_coded_error(tmp_path, what, line, code):
    src = tmp_path / "in.jsonl"
    good = [json.dumps({"id": f"g{i}", "text": t}) for i, t in enumerate(TEXTS)]
    src.write_bytes(("\n".join([good[0], line, *good[1:]]) + "\n").encode("utf-8", "surrogatepass"))
    out = tmp_path / "r.jsonl"
    s = run_extract([str(src)], out, settings=RULES)
    assert (s.records, s.errors) == (3, 1)
    (err,) = [json.loads(x) for x in _lines(errors_path_for(out))]
    assert err["error_code"] == code and err["source"].endswith("#L2")


def test_4_closed_stdin_is_one_coded_error(tmp_path):
    out = tmp_path / "r.jsonl"
    cmd = " ".join([*TRADEX, "extract", "-", "-o", str(out), "--model", "none", "-q"])
    res = subprocess.run(["sh", "-c", f"exec {cmd} <&-"], cwd=REPO, capture_output=True, text=True)
    assert res.returncode == 1, res.stderr
    (err,) = [json.loads(x) for x in _lines(errors_path_for(out))]
    assert err["error_code"] == "TX100" and "stdin" in err["message"]


# ------------------------------------------------------------------------------ 5. resume and settings
class _Stop(Exception):
    pass


def _stop_after_one(done: int, words: int, parts: int) -> None:
    if parts == 1:
        raise _Stop


def _interrupted_then_resumed(tmp_path: Path, src: Path, first: Settings, second: Settings, edit=None):
    out = tmp_path / "out.jsonl"
    with pytest.raises(_Stop):
        run_extract([str(src)], out, settings=first, on_progress=_stop_after_one)
    if edit:
        edit()
    s = run_extract([str(src)], out, settings=second, resume=True)
    fresh = tmp_path / "fresh.jsonl"
    run_extract([str(src)], fresh, settings=second)
    return s, out, fresh


def test_5_resume_with_other_rules_redoes_the_partitions(tmp_path):
    src = _jsonl(tmp_path / "in.jsonl", [f"Caldera Metals said lot {i} would ship." for i in range(6)])
    rules = tmp_path / "myrules"
    rules.mkdir()
    (rules / "company.jsonl").write_text(
        json.dumps({"id": "company:caldera-metals", "name": "Caldera Metals Corp", "aliases": ["Caldera Metals"]})
        + "\n",
        encoding="utf-8",
    )
    first = Settings(model="none", partition_size=2)
    second = Settings(model="none", partition_size=2, rules_dirs=[rules])
    s, out, fresh = _interrupted_then_resumed(tmp_path, src, first, second)
    assert s.resumed_partitions == 0
    assert any("rules" in n for n in s.notes)
    assert out.read_bytes() == fresh.read_bytes()
    assert len({ArticleRecord.model_validate_json(x).pipeline.rules_version for x in _lines(out)}) == 1


def test_5_resume_with_other_settings_names_them(tmp_path):
    src = _jsonl(tmp_path / "in.jsonl", [f"Nvidia believes tariff {i} will fall." for i in range(6)])
    first = Settings(model="none", partition_size=2)
    second = Settings.model_validate({"model": "none", "partition_size": 2, "quotes": {"belief_cues": True}})
    s, out, fresh = _interrupted_then_resumed(tmp_path, src, first, second)
    assert s.resumed_partitions == 0 and any("settings (quotes)" in n for n in s.notes)
    assert out.read_bytes() == fresh.read_bytes()


METADATA_CHANGES = [
    ("title", "Old", "New"),
    ("published", "2025-01-02", "2025-03-04"),
    ("publisher", "A", "B"),
    ("url", "https://a.invalid/", "https://b.invalid/"),
]


@pytest.mark.parametrize("field, old, new", METADATA_CHANGES)
def test_5_resume_sees_changed_metadata(tmp_path, field, old, new):
    texts = [f"China said duty {i} would rise." for i in range(6)]
    src = _jsonl(tmp_path / "in.jsonl", texts, **{field: old})
    settings = Settings(model="none", partition_size=2)
    _, out, fresh = _interrupted_then_resumed(
        tmp_path, src, settings, settings, edit=lambda: _jsonl(src, texts, **{field: new})
    )
    assert out.read_bytes() == fresh.read_bytes()
    assert {getattr(ArticleRecord.model_validate_json(x).source, field) for x in _lines(out)} == {new}


def test_5_resume_with_unchanged_settings_still_reuses_partitions(tmp_path):
    src = _jsonl(tmp_path / "in.jsonl", [f"China said duty {i} would rise." for i in range(6)])
    settings = Settings(model="none", partition_size=2)
    s, out, fresh = _interrupted_then_resumed(tmp_path, src, settings, settings.model_copy(update={"workers": 1}))
    assert s.resumed_partitions == 1 and not s.notes
    assert out.read_bytes() == fresh.read_bytes()


# ------------------------------------------------------------------------------------------------ 6. CSV
def test_6_a_bad_csv_row_costs_that_row_only(tmp_path):
    src = tmp_path / "rows.csv"
    src.write_text(
        'id,text\n1,"China said it would retaliate."\n2,"bad"x\n3,"The EU said no."\n4,"Nvidia said yes."\n',
        encoding="utf-8",
    )
    out = tmp_path / "r.jsonl"
    s = run_extract([str(src)], out, settings=RULES)
    assert (s.records, s.errors) == (3, 1)
    (err,) = [json.loads(x) for x in _lines(errors_path_for(out))]
    assert err["error_code"] == "TX106" and err["source"].endswith("#L3")


@pytest.mark.parametrize("max_chars, code", [(1_000_000, None), (150_000, "TX105")])
def test_6_the_csv_field_limit_follows_max_chars(tmp_path, max_chars, code):
    src = tmp_path / "big.csv"
    src.write_text('id,text\n1,"' + "Tariffs rose. " * 12_000 + '"\n', encoding="utf-8")  # 168,000 characters
    (got,) = iter_inputs([str(src)], Settings(model="none", max_chars=max_chars))
    assert getattr(got, "error_code", None) == code


# ----------------------------------------------------------------------------------- 7. memory, blocking
def _gzip_bomb(path: Path, gib: float = 1.0) -> None:
    """A .jsonl.gz of about a megabyte that inflates to `gib` GiB: one huge line, then one good one."""
    comp = zlib.compressobj(1, zlib.DEFLATED, 31)
    chunk = b"a" * (1 << 20)
    with path.open("wb") as fh:
        fh.write(comp.compress(b'{"id": "bomb", "text": "'))
        for _ in range(int(1024 * gib)):
            fh.write(comp.compress(chunk))
        fh.write(comp.compress(b'"}\n{"id": "ok", "text": "China said it would retaliate."}\n'))
        fh.write(comp.flush())


@pytest.mark.skipif(shutil.which("prlimit") is None, reason="prlimit (util-linux) is not installed")
def test_7_a_gzip_bomb_under_a_memory_cap_is_one_coded_error(tmp_path):
    bomb = tmp_path / "bomb.jsonl.gz"
    _gzip_bomb(bomb)
    assert bomb.stat().st_size < 8 << 20
    out = tmp_path / "r.jsonl"
    res = subprocess.run(
        ["prlimit", "--as=4000000000", *TRADEX, "extract", str(bomb), "-o", str(out), "--model", "none", "-q"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert res.returncode == 1, res.stderr
    (err,) = [json.loads(x) for x in _lines(errors_path_for(out))]
    assert err["error_code"] == "TX105" and err["source"].endswith("#L1")
    assert [json.loads(x)["doc_id"] for x in _lines(out)] == ["ok"]


def test_7_devices_and_fifos_are_skipped_with_a_coded_line(tmp_path):
    zero = tmp_path / "zero.txt"
    zero.symlink_to("/dev/zero")
    fifo = tmp_path / "feed.jsonl"
    os.mkfifo(fifo)
    assert estimate_total([str(zero), str(fifo)]) == 2  # counted, never read
    out = tmp_path / "out" / "r.jsonl"
    s = run_extract([str(zero), str(fifo)], out, settings=RULES)
    assert (s.records, s.errors) == (0, 2)
    assert s.error_codes == {"TX110": 2}


# ------------------------------------------------------------------------------ 8. nothing skipped silently
def test_8_a_literal_path_wins_over_a_glob_pattern(tmp_path):
    p = tmp_path / "report[1].txt"
    p.write_text("Tariffs\n\nChina said it would retaliate against the new duties.\n", encoding="utf-8")
    res = _extract(str(p), "-o", str(tmp_path / "r.jsonl"))
    assert res.exit_code == 0, res.output
    assert len(_lines(tmp_path / "r.jsonl")) == 1


def test_8_every_entry_a_folder_walk_cannot_use_is_a_coded_line(tmp_path, monkeypatch):
    d = tmp_path / "news"
    (d / "locked").mkdir(parents=True)
    (d / "a.txt").write_text("China said it would retaliate against the duties.\n", encoding="utf-8")
    (d / "README.md").write_text("not an article\n", encoding="utf-8")
    os.mkfifo(d / "pipe.jsonl")
    (d / "dead.txt").symlink_to(tmp_path / "gone.txt")
    (d / "null.txt").symlink_to("/dev/null")
    (d / "loop").symlink_to(d)
    real_scandir = os.scandir

    def scandir(path="."):  # as root chmod 000 locks nothing out: refuse the listing instead
        if str(path).endswith("locked"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    s = run_extract([str(d)], tmp_path / "r.jsonl", settings=RULES)
    errs = {
        Path(json.loads(x)["source"]).name: json.loads(x)["error_code"] for x in _lines(tmp_path / "r.errors.jsonl")
    }
    assert s.records == 1
    assert errs == {"dead.txt": "TX110", "locked": "TX100", "loop": "TX110", "null.txt": "TX110", "pipe.jsonl": "TX110"}


# ------------------------------------------------------------------------------- 9. encodings, line ends
@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_9_utf16_and_utf32_jsonl_with_a_bom(tmp_path, encoding):
    body = "".join(json.dumps({"id": f"u{i}", "text": t}, ensure_ascii=False) + "\n" for i, t in enumerate(TEXTS))
    bom = {"utf-16-be": b"\xfe\xff"}.get(encoding, b"")
    src = tmp_path / "u.jsonl"
    src.write_bytes(bom + body.encode(encoding))
    s = run_extract([str(src)], tmp_path / "r.jsonl", settings=RULES)
    assert (s.records, s.errors) == (3, 0)
    rec = ArticleRecord.model_validate_json(_lines(tmp_path / "r.jsonl")[0])
    assert rec.text == TEXTS[0] and any("UTF-" in r for r in rec.source.repairs)


@pytest.mark.parametrize("ending", ["\r", "\r\n", "\n"])
def test_9_any_line_ending(tmp_path, ending):
    src = tmp_path / "e.jsonl"
    src.write_bytes(ending.join(json.dumps({"id": f"e{i}", "text": t}) for i, t in enumerate(TEXTS)).encode() + b"\r")
    s = run_extract([str(src)], tmp_path / "r.jsonl", settings=RULES)
    assert (s.records, s.errors) == (3, 0)
    txt = tmp_path / "t.txt"
    txt.write_bytes(ending.join(["Copper duty", "", "July 17, 2025", "", "Chile said it would appeal."]).encode())
    run_extract([str(txt)], tmp_path / "t.jsonl", settings=RULES)
    (rec,) = [ArticleRecord.model_validate_json(x) for x in _lines(tmp_path / "t.jsonl")]
    assert (rec.source.title, rec.source.published) == ("Copper duty", "2025-07-17")


# ------------------------------------------------------------------------------ 10. coded lines, not crashes
def test_10_disk_full_while_joining_is_a_coded_error_and_leaves_no_temp_file(tmp_path, monkeypatch):
    import pipeline.runner as runner_mod

    def full(src, dst, *a):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(runner_mod.shutil, "copyfileobj", full)
    src = _jsonl(tmp_path / "in.jsonl", TEXTS)
    res = _extract(str(src), "-o", str(tmp_path / "r.jsonl"))
    assert res.exit_code == 2 and "TX303" in res.output and "No space left" in res.output
    assert not list(tmp_path.glob("*.tmp*")) and not (tmp_path / "r.jsonl").exists()


def test_10_a_killed_worker_is_a_coded_error(tmp_path):
    import psutil

    src = _jsonl(tmp_path / "in.jsonl", [f"China said duty {i} would rise." for i in range(200)])
    out = tmp_path / "r.jsonl"
    args = [*TRADEX, "extract", str(src), "-o", str(out), "--model", "none", "-q", "-w", "2", "--partition-size", "5"]
    proc = subprocess.Popen(args, cwd=REPO, stderr=subprocess.PIPE, text=True)
    parent = psutil.Process(proc.pid)
    victim = None
    while victim is None and proc.poll() is None:
        for child in parent.children():
            try:
                cmd = " ".join(child.cmdline())
            except psutil.Error:
                continue
            if "spawn_main" in cmd and "resource_tracker" not in cmd:
                victim = child
                break
        time.sleep(0.05)
    assert victim is not None
    victim.kill()
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 2, stderr
    assert "TX201" in stderr and "Traceback" not in stderr


@pytest.mark.parametrize(
    "content, problem",
    [(b'{"id": "company:x", "name": "X\xff"}\n', "not UTF-8"), (b"[" * 100_000 + b"]" * 100_000 + b"\n", "nested")],
)
def test_10_rules_validate_on_a_broken_pack_lists_the_problem(tmp_path, content, problem):
    (tmp_path / "company.jsonl").write_bytes(content)
    res = runner.invoke(app, ["rules", "validate", str(tmp_path)])
    assert res.exit_code == 1, res.output
    assert isinstance(res.exception, SystemExit)  # a coded exit, not a crash
    assert "company.jsonl:1" in res.output and problem in res.output


def test_10_an_uncaught_crash_exits_3(monkeypatch, capsys):
    import pipeline.cli as cli

    def boom() -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(cli, "app", boom)
    with pytest.raises(SystemExit) as exc:
        cli.main()
    assert exc.value.code == 3
    assert "RuntimeError: a bug" in capsys.readouterr().err


# ------------------------------------------------------------------------------------ 11. SIGTERM
def test_11_sigterm_to_the_parent_stops_its_workers_and_resume_continues(tmp_path):
    import psutil

    articles = [json.loads(x)["text"] for x in _lines(SYNTHETIC / "articles.jsonl")]
    src = _jsonl(tmp_path / "in.jsonl", [f"{t}\n\nCopy {i}." for i in range(8) for t in articles])
    full = tmp_path / "full.jsonl"
    run_extract([str(src)], full, settings=Settings(model="none", partition_size=10))
    out = tmp_path / "part" / "r.jsonl"
    args = [*TRADEX, "extract", str(src), "-o", str(out), "--model", "none", "-q", "-w", "2", "--partition-size", "10"]
    proc = subprocess.Popen(args, cwd=REPO, stderr=subprocess.PIPE, text=True)
    parts = out.parent / ".r.jsonl.parts"
    while proc.poll() is None and len(list(parts.glob("*.done"))) < 2:
        time.sleep(0.05)
    children = psutil.Process(proc.pid).children(recursive=True)
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 143, stderr
    _, alive = psutil.wait_procs(children, timeout=20)
    assert not alive
    res = subprocess.run([*args[:-4], "--partition-size", "10", "--resume"], cwd=REPO, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert out.read_bytes() == full.read_bytes()


# ------------------------------------------------------------------------------------------ 12. smaller
def test_12_json_error_message_says_at_once(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "x", "text": "unterminated\n', encoding="utf-8")
    s = run_extract([str(src)], tmp_path / "r.jsonl", settings=RULES)
    (err,) = [json.loads(x) for x in _lines(tmp_path / "r.errors.jsonl")]
    assert s.errors == 1 and "at at" not in err["message"]
    assert err["message"] == "Unterminated string starting at column 21"


@pytest.mark.parametrize("raw", ["-1", "0000-00-00", "2025-02-30", "13/45/2025"])
def test_12_an_invalid_date_becomes_null_with_a_repair_note(tmp_path, raw):
    src = _jsonl(tmp_path / "in.jsonl", TEXTS[:1], published=raw)
    run_extract([str(src)], tmp_path / "r.jsonl", settings=RULES)
    rec = ArticleRecord.model_validate_json(_lines(tmp_path / "r.jsonl")[0])
    assert rec.source.published is None
    assert rec.source.repairs == [f"published {raw!r} is not a valid date: set to null"]


def test_12_lines_are_not_wrapped_when_piped(tmp_path):
    long_dir = tmp_path / ("x" * 120)
    res = _extract(str(long_dir / "missing-*.jsonl"), "-o", str(tmp_path / "r.jsonl"))
    assert res.exit_code == 2
    assert any(str(long_dir) in line for line in res.output.splitlines())


def test_12_max_chars_above_spacy_max_length_is_honoured():
    from pipeline.nlp import build_nlp

    nlp = build_nlp(Settings(model="none", max_chars=3_000_000))
    assert nlp.max_length > 3_000_000

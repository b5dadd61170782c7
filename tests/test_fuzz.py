"""Property-based fuzzing (hypothesis): random bytes, random Unicode and random JSONL/CSV structures through
ingest and every extract stage. Whatever comes in, records + errors = inputs, every error is coded and
names its line, and every span of every record points at its own text.

Example counts are kept small (the suite runs in `make test` on 2 cores); the corpus stages get fewer.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.records import ArticleRecord, ErrorRecord, PipelineInfo
from pipeline.errors import ErrorCode
from pipeline.ingest import Article, read_path
from pipeline.runner import Processor
from pipeline.settings import Settings

FAST = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
S = Settings(model="none", max_chars=20_000)
CODES = {c.value for c in ErrorCode}

# the hostile characters the issue names, mixed into ordinary text
SPECIALS = st.sampled_from(
    [
        "\ud800",  # lone surrogates
        "\udfff",
        "\x00",
        "e\u0301",  # combining mark
        "\u202e",  # right-to-left override
        "\u05e9\u05dc\u05d5\u05dd",  # Hebrew
        "\u0645\u0631\u062d\u0628\u0627",  # Arabic
        "\u200b",
        "\ufeff",
        "“quoted”",
        '"',
        "\r",
        "\n\n",
        "a" * 10_000,  # a 10k-character word
        "Nvidia said",
        " China said it would retaliate. ",
    ]
)
ANY_CHAR = st.characters(codec=None, exclude_categories=())  # surrogates included
TEXT = st.lists(st.one_of(st.text(ANY_CHAR, max_size=40), SPECIALS), max_size=8).map("".join)


@pytest.fixture(scope="module")
def proc(rules_nlp):
    return Processor(S, nlp=rules_nlp, info=PipelineInfo(version="fuzz", rules_version="fuzz", model=None))


def _write(tmp_path: Path, name: str, data: bytes) -> str:
    p = tmp_path / name
    p.write_bytes(data)
    return str(p)


def _check_accounted(proc: Processor, items: list, n_inputs: int, path: str) -> None:
    """records + errors = inputs, errors coded with their place, spans exact."""
    recs, errs = proc.process(items)
    assert len(recs) + len(errs) == n_inputs
    for line in errs:
        err = ErrorRecord.model_validate_json(line)
        assert err.error_code in CODES and err.source.startswith(path) and err.message
    for line in recs:
        rec = ArticleRecord.model_validate_json(line)
        spans = [*rec.entities, *rec.quotes, *(q.cue for q in rec.quotes if q.cue)]
        spans += [q.speaker.mention for q in rec.quotes if q.speaker and q.speaker.mention]
        for span in spans:
            assert rec.text[span.start : span.end] == span.text
        assert [e.start for e in rec.entities] == sorted(e.start for e in rec.entities)


@FAST
@given(data=st.binary(max_size=3000), name=st.sampled_from(["x.jsonl", "x.txt", "x.csv", "x.html", "x.bin"]))
def test_random_bytes_in_any_format_never_crash(tmp_path_factory, proc, data, name):
    path = _write(tmp_path_factory.mktemp("b"), name, data)
    items = list(read_path(path, S))
    assert all(isinstance(it, Article | ErrorRecord) for it in items)
    _check_accounted(proc, items, len(items), path)


@FAST
@given(lines=st.lists(st.binary(max_size=200).map(lambda b: b.replace(b"\n", b"").replace(b"\r", b"")), max_size=12))
def test_random_jsonl_bytes_give_one_item_per_line(tmp_path_factory, proc, lines):
    path = _write(tmp_path_factory.mktemp("j"), "x.jsonl", b"".join(line + b"\n" for line in lines))
    items = list(read_path(path, S))
    assert len(items) == len(lines)
    places = [it.source if isinstance(it, ErrorRecord) else it.source.path for it in items]
    assert places == [f"{path}#L{n}" for n in range(1, len(lines) + 1)]
    _check_accounted(proc, items, len(lines), path)


JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(ANY_CHAR, max_size=20),
    lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=5), kids, max_size=3),
    max_leaves=10,
)
ARTICLE = st.fixed_dictionaries(
    {"text": st.one_of(TEXT, JSON_VALUE)},
    optional={
        "id": st.one_of(st.text(ANY_CHAR, max_size=10), st.integers()),
        "title": TEXT,
        "published": st.one_of(st.text(max_size=12), st.dates().map(str)),
        "url": st.text(ANY_CHAR, max_size=20),
        "publisher": TEXT,
    },
)


@FAST
@given(objs=st.lists(st.one_of(ARTICLE, JSON_VALUE), min_size=1, max_size=8), ascii_only=st.booleans())
def test_random_json_structures_are_all_accounted_for(tmp_path_factory, proc, objs, ascii_only):
    body = "".join(json.dumps(o, ensure_ascii=ascii_only) + "\n" for o in objs)
    path = _write(tmp_path_factory.mktemp("o"), "x.jsonl", body.encode("utf-8", "surrogatepass"))
    items = list(read_path(path, S))
    assert len(items) == len(objs)
    _check_accounted(proc, items, len(objs), path)


# A CSV's encoding is judged on the whole file: control, private-use and replacement characters past 1% of
# it (or one NUL) make the whole file one TX102, so the row fuzzer leaves them out.
_FILE_JUNK = re.compile("[\x00-\x1f\x7f-\x9f\ufffd\ud800-\udfff\ue000-\uf8ff]")
CSV_TEXT = st.text(st.characters(exclude_categories=("Cs", "Cc", "Co")), max_size=60)
CSV_FIELD = st.one_of(CSV_TEXT, TEXT.map(lambda t: _FILE_JUNK.sub("", t)))


@FAST
@given(rows=st.lists(st.tuples(CSV_TEXT, CSV_FIELD), max_size=8))
def test_random_csv_rows_are_all_accounted_for(tmp_path_factory, proc, rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["id", "text"])
    w.writerows(rows)
    path = _write(tmp_path_factory.mktemp("c"), "x.csv", buf.getvalue().encode("utf-8"))
    items = list(read_path(path, S))
    assert len(items) == len(rows)  # one item per row (an empty row is `,`: an empty text, TX101)
    _check_accounted(proc, items, len(items), path)


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(TEXT.map(lambda t: _FILE_JUNK.sub("", t)).filter(str.strip), min_size=1, max_size=4))
def test_random_texts_through_every_stage(tmp_path_factory, texts):
    """extract -> normalize -> dedupe -> export on fuzzed records: every stage keeps every article."""
    from pipeline.corpus import run_corpus_stages
    from pipeline.runner import run_extract

    d = tmp_path_factory.mktemp("s")
    src = d / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"f{i}", "text": t}) + "\n" for i, t in enumerate(texts)), "utf-8")
    s = run_extract([str(src)], d / "records.jsonl", settings=S)
    assert s.records + s.errors == len(texts)
    list(run_corpus_stages(d / "records.jsonl", d, settings=S))
    assert len((d / "deduped.jsonl").read_text(encoding="utf-8").splitlines()) == s.records

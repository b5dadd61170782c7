"""Measure clusters across articles (dedupe) and the measure tables and views of the export."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from models.records import ArticleRecord
from pipeline.corpus.dedupe import dedupe_records
from pipeline.corpus.export import export_records
from pipeline.settings import Settings
from tests.components.measures.conftest import dated_record

STEEL = "Washington raised tariffs on steel to 50% on Wednesday."
STEEL_AGAIN = "The United States on Wednesday raised its tariffs on imported steel to 50%, officials said."
CANADA = "Canada cut its tariffs on U.S. steel to 10% on Wednesday."
QUOTED = (
    'Washington raised tariffs on steel to 50% on Wednesday. "The tariffs will hurt us," said Trade Minister Jane Roe.'
)


def _rec(nlp, doc_id: str, text: str, published: str, publisher: str) -> ArticleRecord:
    r = dated_record(nlp, text, published)
    return r.model_copy(update={"doc_id": doc_id, "source": r.source.model_copy(update={"publisher": publisher})})


@pytest.fixture(scope="module")
def batch(rules_nlp) -> list[ArticleRecord]:
    return [
        _rec(rules_nlp, "a", STEEL, "2025-07-17", "Wire A"),
        _rec(rules_nlp, "b", STEEL_AGAIN, "2025-07-18", "Wire B"),  # Wednesday 07-16 again: same action
        _rec(rules_nlp, "c", STEEL, "2025-08-28", "Wire A"),  # a Wednesday six weeks later: another action
        _rec(rules_nlp, "d", CANADA, "2025-07-17", "Wire B"),  # another actor
        _rec(rules_nlp, "e", QUOTED, "2025-07-17", "Wire C"),
    ]


def test_measure_clusters(batch):
    out, summary = dedupe_records(batch, settings=Settings(model="none"), threshold=0.99)
    clusters = {r.doc_id: [m.measure_cluster for m in r.measures] for r in out}
    first = {r.doc_id: r.measures[0].id for r in out}  # ids come from the trigger's span (m<start>-<end>)
    assert clusters["a"] == clusters["b"] == clusters["e"] == [f"mc:a:{first['a']}"]
    assert clusters["c"] == [f"mc:c:{first['c']}"] and clusters["d"] == [f"mc:d:{first['d']}"]
    assert (summary.measures, summary.measure_clusters, summary.shared_measures) == (5, 3, 1)


def test_measure_tables_views_and_keys(tmp_path: Path, batch):
    out, _ = dedupe_records(batch, settings=Settings(model="none"), threshold=0.99)
    summary = export_records(out, out_dir=tmp_path)
    assert summary.measures == 5 and summary.totals is not None and summary.totals["measures"] == 5
    con = duckdb.connect(str(tmp_path / "tradex.duckdb"), read_only=True)
    try:
        keys = dict(con.sql("SELECT table_name, constraint_column_names FROM duckdb_constraints() "
                            "WHERE constraint_type = 'PRIMARY KEY'").fetchall())  # fmt: skip
        assert keys["measures"] == ["doc_id", "measure_id"]
        assert keys["measure_items"] == keys["measure_targets"] == ["doc_id", "measure_id", "position"]
        assert keys["quote_about"] == ["doc_id", "quote_id", "ref_id"]
        sources = con.sql("SELECT doc_id, cluster_sources FROM measures ORDER BY doc_id").fetchall()
        assert sources == [("a", 3), ("b", 3), ("c", 1), ("d", 1), ("e", 3)]
        timeline = con.sql("SELECT actor, type, CAST(month AS VARCHAR), measures FROM measures_timeline").fetchall()
        assert timeline == [("CA", "import_tariff", "2025-07-01", 1), ("US", "import_tariff", "2025-07-01", 1),
                            ("US", "import_tariff", "2025-08-01", 1)]  # fmt: skip
        items = con.sql("SELECT DISTINCT text FROM measure_items ORDER BY 1").fetchall()
        assert items == [("imported steel",), ("steel",)] or items == [("steel",)]
        on = con.sql("SELECT doc_id, quote_id, measure_id, type FROM quotes_on_measures").fetchall()
        ids = {r.doc_id: (r.quotes[0].id, r.measures[0].id) for r in out if r.quotes and r.measures}
        assert on == [("e", *ids["e"], "import_tariff"), ("b", *ids["b"], "import_tariff")]  # by publication
        assert list((tmp_path / "parquet" / "quote_about").glob("published_month=*/data.parquet"))
    finally:
        con.close()
    again = export_records(out, out_dir=tmp_path)
    assert again.totals == summary.totals


MEETING = "Japan held trade talks with the United States on Monday."
SUMMIT = "Japan held summit talks with the United States in Tokyo on Monday."
SOY_TALKS = "Japan held trade talks on soybeans with the United States on Monday."
SOY_AGAIN = "Japanese negotiators held trade talks on soybeans with the United States on Monday."


@pytest.fixture(scope="module")
def talks(rules_nlp) -> list[ArticleRecord]:
    return [
        _rec(rules_nlp, "meeting", MEETING, "2025-07-15", "Wire A"),
        _rec(rules_nlp, "summit", SUMMIT, "2025-07-15", "Wire B"),
        _rec(rules_nlp, "soy", SOY_TALKS, "2025-07-15", "Wire A"),
        _rec(rules_nlp, "soy-again", SOY_AGAIN, "2025-07-15", "Wire B"),
        _rec(rules_nlp, "meeting-copy", MEETING, "2025-07-15", "Wire C"),
    ]


def test_talks_join_on_what_they_are_about_not_on_the_counterpart_alone(talks):
    """Two meetings with the same government in the same days are two events unless they share the goods
    (or firms) talked about, or the same report carries them (a copy)."""
    assert all(r.measures and r.measures[0].type.value == "negotiation" for r in talks)
    out, _ = dedupe_records(talks, settings=Settings(model="none"), threshold=0.99)
    cluster = {r.doc_id: r.measures[0].measure_cluster for r in out}
    assert cluster["meeting"] != cluster["summit"]  # same counterpart, nothing else in common
    assert cluster["soy"] == cluster["soy-again"]  # the same goods
    assert cluster["meeting"] == cluster["meeting-copy"]  # a copy of the same report
    assert cluster["soy"] != cluster["meeting"]


TWO_TALKS = (
    "Japan held farm talks with the United States on Monday. "
    "Japan will hold summit talks with the United States in Tokyo on Thursday."
)


def test_two_talks_in_one_article_stay_two_clusters(rules_nlp):
    """The counterpart (or a shared sentence) joins copies of a report, never two measures of one article."""
    rec = _rec(rules_nlp, "two", TWO_TALKS, "2025-07-15", "Wire A")
    assert [m.type.value for m in rec.measures] == ["negotiation", "negotiation"]
    copy = _rec(rules_nlp, "two-copy", TWO_TALKS, "2025-07-15", "Wire B")
    out, _ = dedupe_records([rec, copy], settings=Settings(model="none"), threshold=0.99)
    first, second = ([m.measure_cluster for m in r.measures] for r in out)
    assert first[0] != first[1]  # two events of one article
    assert first == second  # each joins its copy in the other article

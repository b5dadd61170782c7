"""Export: DuckDB tables with keys, views, upserts, and Parquet files that match the database."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq
import pytest

from models.records import ArticleRecord
from pipeline.corpus import write_records
from pipeline.corpus.dedupe import dedupe_records
from pipeline.corpus.export import DB_NAME, export_file, export_records
from pipeline.corpus.normalize import normalize_records, write_entities
from pipeline.settings import Settings

Make = Callable[..., ArticleRecord]
TABLES = ("articles", "mentions", "quotes", "entities")

H20_QUOTE = "the H20 is not a threat to anyone"
TARIFF_QUOTE = "tariffs are a tax on our own consumers"


@pytest.fixture
def batch(make_record: Make) -> list[ArticleRecord]:
    a = make_record(
        "a", f'Nvidia said the H20 sales resumed. Lutnick said "{H20_QUOTE}." China objected.',
        entities=[
            {"text": "Nvidia", "label": "COMPANY", "canonical_id": "company:nvidia", "canonical_name": "NVIDIA"},
            {"text": "H20", "label": "CHIP", "canonical_id": "chip:nvidia-h20"},
            {"text": "Lutnick", "label": "OFFICIAL", "canonical_id": "official:howard-lutnick",
             "canonical_name": "Howard Lutnick", "attrs": {"title": "Commerce Secretary"}},
            {"text": "H20", "label": "CHIP", "canonical_id": "chip:nvidia-h20"},
            {"text": "China", "label": "COUNTRY", "canonical_id": "country:cn"},
        ],
        quotes=[{"text": H20_QUOTE, "speaker_entity": 2, "speaker_title": "Commerce Secretary"}],
        published="2025-07-15", publisher="Reuters",
    )
    b = make_record(
        "b", f'Lutnick said "{TARIFF_QUOTE}," and Nvidia stayed quiet. Caldera Metals Ltd said "{H20_QUOTE}."',
        entities=[
            {"text": "Lutnick", "label": "OFFICIAL", "canonical_id": "official:howard-lutnick",
             "canonical_name": "Howard Lutnick"},
            {"text": "Nvidia", "label": "COMPANY", "canonical_id": "company:nvidia", "canonical_name": "NVIDIA"},
            {"text": "Caldera Metals Ltd", "label": "COMPANY"},
        ],
        quotes=[{"text": TARIFF_QUOTE, "speaker_entity": 0}, {"text": H20_QUOTE, "speaker_entity": 2}],
        published="2025-08-01", publisher="AP",
    )
    c = make_record(  # syndicated copy of a, by another outlet
        "c", a.text, entities=[{k: v for k, v in e.items()} for e in _entity_dicts(a)],
        quotes=[{"text": H20_QUOTE, "speaker_entity": 2}], published="2025-07-16", publisher="Bloomberg",
    )
    out, _ = normalize_records([a, b, c])
    deduped, _ = dedupe_records(out, settings=Settings())
    return deduped


def _entity_dicts(r: ArticleRecord) -> list[dict[str, Any]]:
    return [{"text": e.text, "label": e.label.value, "canonical_id": e.canonical_id,
             "canonical_name": e.canonical_name, "attrs": e.attrs} for e in r.entities]


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> Any:
    return con.execute(sql).fetchall()[0][0]


def test_tables_keys_and_parquet(tmp_path: Path, batch: list[ArticleRecord]) -> None:
    s = export_records(batch, out_dir=tmp_path)
    assert (s.articles, s.mentions, s.quotes) == (3, 13, 4)
    con = duckdb.connect(str(tmp_path / DB_NAME), read_only=True)
    pks = {(r[0], tuple(r[1])) for r in con.execute(
        "SELECT table_name, constraint_column_names FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY'"
    ).fetchall()}
    assert pks == {("articles", ("doc_id",)), ("mentions", ("doc_id", "mention_id")),
                   ("quotes", ("doc_id", "quote_id")), ("entities", ("id",)), ("id_map", ("old_id",)),
                   ("measures", ("doc_id", "measure_id")), ("measure_targets", ("doc_id", "measure_id", "position")),
                   ("measure_items", ("doc_id", "measure_id", "position")),
                   ("quote_about", ("doc_id", "quote_id", "ref_id"))}
    assert {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()} == {
        "quotes_by_speaker", "entity_comentions", "chip_quotes", "measures_timeline", "quotes_on_measures"}
    for t in TABLES:
        table = pq.read_table(tmp_path / "parquet" / t)
        assert table.num_rows == _count(con, f"SELECT count(*) FROM {t}") > 0
    art = con.execute("SELECT doc_id, publisher, published, n_entities, n_quotes, duplicate_of, dup_cluster "
                      "FROM articles ORDER BY doc_id").fetchall()
    assert [(r[0], r[1], str(r[2]), r[3], r[4], r[5], r[6]) for r in art] == [
        ("a", "Reuters", "2025-07-15", 5, 1, None, "dup:a"),
        ("b", "AP", "2025-08-01", 3, 2, None, None),
        ("c", "Bloomberg", "2025-07-16", 5, 1, "a", "dup:a"),
    ]
    assert con.execute("SELECT title, canonical_id FROM mentions WHERE doc_id = 'a' AND mention_id = 'e3'"
                       ).fetchall() == [("Commerce Secretary", "official:howard-lutnick")]
    ent = con.execute("SELECT name, label, mentions, articles, first_seen::VARCHAR, last_seen::VARCHAR, discovered "
                      "FROM entities WHERE id = 'company:~caldera-metals'").fetchall()
    assert ent == [("Caldera Metals", "COMPANY", 1, 1, "2025-08-01", "2025-08-01", True)]


def test_views_answer_common_questions(tmp_path: Path, batch: list[ArticleRecord]) -> None:
    export_records(batch, out_dir=tmp_path)
    con = duckdb.connect(str(tmp_path / DB_NAME), read_only=True)
    speakers = con.execute("SELECT speaker, name, quotes, distinct_quotes, articles FROM quotes_by_speaker").fetchall()
    assert speakers == [
        ("official:howard-lutnick", "Howard Lutnick", 3, 2, 3),
        ("company:~caldera-metals", "Caldera Metals", 1, 1, 1),
    ]
    # outlets: Lutnick's H20 quote is carried by Reuters (a) and Bloomberg (c); the same words from another
    # speaker are another quote
    outlets = dict(con.execute("SELECT doc_id || ':' || quote_id, outlets FROM quotes").fetchall())
    assert outlets == {"a:q1": 2, "c:q1": 2, "b:q1": 1, "b:q2": 1}
    # co-mentions count articles that are not duplicates (c is a copy of a)
    pairs = {(r[0], r[1]): r[2] for r in con.execute(
        "SELECT entity_a, entity_b, articles FROM entity_comentions").fetchall()}
    assert pairs[("company:nvidia", "official:howard-lutnick")] == 2
    assert pairs[("chip:nvidia-h20", "company:nvidia")] == 1
    assert ("chip:nvidia-h20", "company:~caldera-metals") not in pairs
    chips = con.execute("SELECT doc_id, quote_id, chips, chips_in_quote, chip_in_quote FROM chip_quotes "
                        "ORDER BY doc_id, quote_id").fetchall()
    assert chips == [
        ("a", "q1", ["chip:nvidia-h20"], ["chip:nvidia-h20"], True),
        ("c", "q1", ["chip:nvidia-h20"], ["chip:nvidia-h20"], True),
    ]


def test_reexport_upserts_without_duplicates(tmp_path: Path, batch: list[ArticleRecord], make_record: Make) -> None:
    export_records(batch, out_dir=tmp_path)
    export_records(batch, out_dir=tmp_path)  # same batch again
    con = duckdb.connect(str(tmp_path / DB_NAME))
    before = {t: _count(con, f"SELECT count(*) FROM {t}") for t in TABLES}
    con.close()
    # overlapping batch: b changed (one mention and one quote fewer), d is new
    b2 = batch[1].model_copy(update={"entities": batch[1].entities[:2], "quotes": batch[1].quotes[:1]})
    d = make_record("d", "Nvidia again.", entities=[{"text": "Nvidia", "label": "COMPANY",
                                                     "canonical_id": "company:nvidia", "canonical_name": "NVIDIA"}],
                    published="2025-09-01")
    s = export_records([b2, d], out_dir=tmp_path)
    con = duckdb.connect(str(tmp_path / DB_NAME), read_only=True)
    after = {t: _count(con, f"SELECT count(*) FROM {t}") for t in TABLES}
    assert after == {"articles": before["articles"] + 1, "mentions": before["mentions"] - 1 + 1,
                     "quotes": before["quotes"] - 1, "entities": before["entities"]}
    assert {t: n for t, n in (s.totals or {}).items() if t in TABLES} == after
    for t, key in (("articles", "doc_id"), ("mentions", "doc_id, mention_id"), ("quotes", "doc_id, quote_id"),
                   ("entities", "id")):
        assert _count(con, f"SELECT count(*) - count(DISTINCT ({key})) FROM {t}") == 0
    # entity counts are over the whole database, not the last batch
    assert con.execute("SELECT mentions, articles, last_seen::VARCHAR FROM entities WHERE id = 'company:nvidia'"
                       ).fetchall() == [(4, 4, "2025-09-01")]
    assert _count(con, "SELECT mentions FROM entities WHERE id = 'company:~caldera-metals'") == 0
    # Parquet follows the database
    for t in TABLES:
        assert pq.read_table(tmp_path / "parquet" / t).num_rows == after[t]
    db_articles = con.sql("SELECT * FROM articles ORDER BY doc_id").to_arrow_table()
    from_parquet = pq.read_table(tmp_path / "parquet" / "articles", partitioning="hive")
    assert from_parquet.drop_columns(["published_month"]).sort_by("doc_id").equals(db_articles)


def test_entities_rebuilt_from_mentions_when_absent(tmp_path: Path, batch: list[ArticleRecord]) -> None:
    src = tmp_path / "deduped.jsonl"
    write_records(src, batch)
    export_file(src, tmp_path / "out")
    con = duckdb.connect(str(tmp_path / "out" / DB_NAME), read_only=True)
    ids = {r[0] for r in con.execute("SELECT id FROM entities").fetchall()}
    assert ids == {e.canonical_id for r in batch for e in r.entities}


def test_entity_table_names_are_used_and_missing_ids_filled(tmp_path: Path, batch: list[ArticleRecord]) -> None:
    _, rows = normalize_records(batch)
    rows = [r.model_copy(update={"name": "Caldera (from table)"}) if r.id == "company:~caldera-metals" else r
            for r in rows if r.id != "country:cn"]
    write_entities(tmp_path / "entities.jsonl", rows)
    write_records(tmp_path / "deduped.jsonl", batch)
    export_file(tmp_path / "deduped.jsonl", tmp_path / "out", entities_path=tmp_path / "entities.jsonl")
    con = duckdb.connect(str(tmp_path / "out" / DB_NAME), read_only=True)
    names = dict(con.execute("SELECT id, name FROM entities").fetchall())
    assert names["company:~caldera-metals"] == "Caldera (from table)"
    assert names["country:cn"] == "China"  # not in the table: rebuilt from the mentions


def test_repeated_doc_id_in_one_batch_keeps_the_last(tmp_path: Path, make_record: Make) -> None:
    recs = [make_record("x", "First text."), make_record("x", "Second text."), make_record("y", "Other.")]
    s = export_records(recs, out_dir=tmp_path)
    assert s.doubled_in_batch == 1 and s.articles == 2
    con = duckdb.connect(str(tmp_path / DB_NAME), read_only=True)
    assert _count(con, "SELECT text FROM articles WHERE doc_id = 'x'") == "Second text."


def test_a_discovered_id_a_pack_entry_now_covers_is_mapped_and_leaves_the_entity_table(tmp_path: Path,
                                                                                     make_record: Make) -> None:
    text = "Harbor Ridge Capital said it would buy the mine. Harbor Ridge Capital declined to comment."
    old = make_record("d", text, entities=[
        {"text": "Harbor Ridge Capital", "label": "COMPANY", "canonical_id": "company:~harbor-ridge-capital"},
        {"text": "Harbor Ridge Capital", "label": "COMPANY", "canonical_id": "company:~harbor-ridge-capital"}])
    export_records([old], out_dir=tmp_path)
    # a pack entry added since: the same spans now carry the pack id (their mention ids may differ)
    new = make_record("d", text, entities=[
        {"text": "Harbor Ridge Capital", "label": "COMPANY", "canonical_id": "company:harbor-ridge"},
        {"text": "Harbor Ridge Capital", "label": "COMPANY", "canonical_id": "company:harbor-ridge"}])
    export_records([new], out_dir=tmp_path)
    con = duckdb.connect(str(tmp_path / DB_NAME), read_only=True)
    assert con.execute("SELECT old_id, new_id, label FROM id_map").fetchall() == [
        ("company:~harbor-ridge-capital", "company:harbor-ridge", "COMPANY")]
    assert [r[0] for r in con.execute("SELECT id FROM entities ORDER BY id").fetchall()] == ["company:harbor-ridge"]
    assert _count(con, "SELECT count(DISTINCT canonical_id) FROM mentions") == 1

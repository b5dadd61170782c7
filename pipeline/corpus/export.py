"""Export records to warehouse tables: an embedded DuckDB database plus a Parquet dataset per table.

Tables (primary keys): `articles` (doc_id), `mentions` (doc_id, mention_id), `quotes` (doc_id, quote_id),
`entities` (id), and the measure tables of `export_measures` (`measures`, `measure_targets`, `measure_items`,
`quote_about`); views `quotes_by_speaker`, `entity_comentions`, `chip_quotes`, `measures_timeline`,
`quotes_on_measures`. Exporting the same or an
overlapping batch again upserts by key (`INSERT OR REPLACE`, `ON CONFLICT DO UPDATE`), so no row is ever
doubled; mentions and quotes an article no longer has are removed with it. Entity counts and quote outlet
counts are recomputed from the whole database after each batch, and the Parquet datasets
(`pipeline/corpus/parquet.py`: partitioned by published month, only changed partitions rewritten) are
brought in line with the DuckDB tables so both always agree.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from models.records import ArticleRecord
from pipeline.corpus import export_measures, read_records
from pipeline.corpus.dictionary import comment_statements
from pipeline.corpus.normalize import EntityRow, entity_table, read_entities
from pipeline.corpus.parquet import write_tables
from pipeline.errors import ErrorCode, TradexError
from pipeline.settings import Settings

DB_NAME = "tradex.duckdb"
PARQUET_DIR = "parquet"
# The storage format the database is written in. DuckDB 2.0's default (format 69) cannot be opened by the
# DuckDB 1.x CLIs, drivers and BI tools most people have; v1.0.0 is read by DuckDB 1.0 and every later
# release (tests/corpus/test_export.py opens the file with an older CLI). A database that already exists
# keeps the version it was created with.
STORAGE_VERSION = "v1.0.0"

_S, _I, _F, _B = pa.string(), pa.int32(), pa.float64(), pa.bool_()

# Arrow schemas of the batches; published/first_seen/last_seen arrive as ISO strings and become DATE in SQL.
ARTICLES = pa.schema([
    ("doc_id", _S), ("path", _S), ("url", _S), ("publisher", _S), ("published", _S), ("title", _S), ("text", _S),
    ("n_entities", _I), ("n_quotes", _I), ("duplicate_of", _S), ("dup_cluster", _S),
    ("pipeline_version", _S), ("rules_version", _S), ("model", _S),
])
MENTIONS = pa.schema([
    ("doc_id", _S), ("mention_id", _S), ("text", _S), ("start_char", _I), ("end_char", _I), ("label", _S),
    ("canonical_id", _S), ("canonical_name", _S), ("method", _S), ("rule", _S), ("score", _F), ("title", _S),
    ("attrs", _S),
])
QUOTES = pa.schema([
    ("doc_id", _S), ("quote_id", _S), ("text", _S), ("start_char", _I), ("end_char", _I), ("kind", _S),
    ("cue_text", _S), ("speaker_text", _S), ("speaker_entity_id", _S), ("speaker_canonical_id", _S),
    ("speaker_name", _S), ("speaker_label", _S), ("speaker_title", _S), ("channel", _S), ("via", _S),
    ("rule", _S), ("score", _F), ("quote_cluster", _S),
])
ENTITIES = pa.schema([
    ("id", _S), ("name", _S), ("label", _S), ("aliases", pa.list_(_S)), ("mentions", _I), ("articles", _I),
    ("first_seen", _S), ("last_seen", _S), ("discovered", _B),
])

DDL = """
CREATE TABLE IF NOT EXISTS articles (
    doc_id VARCHAR PRIMARY KEY, path VARCHAR, url VARCHAR, publisher VARCHAR, published DATE, title VARCHAR,
    text VARCHAR, n_entities INTEGER, n_quotes INTEGER, duplicate_of VARCHAR, dup_cluster VARCHAR,
    pipeline_version VARCHAR, rules_version VARCHAR, model VARCHAR
);
CREATE TABLE IF NOT EXISTS mentions (
    doc_id VARCHAR NOT NULL, mention_id VARCHAR NOT NULL, text VARCHAR, start_char INTEGER, end_char INTEGER,
    label VARCHAR, canonical_id VARCHAR, canonical_name VARCHAR, method VARCHAR, rule VARCHAR, score DOUBLE,
    title VARCHAR, attrs JSON,
    PRIMARY KEY (doc_id, mention_id)
);
CREATE TABLE IF NOT EXISTS quotes (
    doc_id VARCHAR NOT NULL, quote_id VARCHAR NOT NULL, text VARCHAR, start_char INTEGER, end_char INTEGER,
    kind VARCHAR, cue_text VARCHAR, speaker_text VARCHAR, speaker_entity_id VARCHAR, speaker_canonical_id VARCHAR,
    speaker_name VARCHAR, speaker_label VARCHAR, speaker_title VARCHAR, channel VARCHAR, via VARCHAR,
    rule VARCHAR, score DOUBLE, quote_cluster VARCHAR, outlets INTEGER,
    PRIMARY KEY (doc_id, quote_id)
);
CREATE TABLE IF NOT EXISTS entities (
    id VARCHAR PRIMARY KEY, name VARCHAR, label VARCHAR, aliases VARCHAR[], mentions INTEGER, articles INTEGER,
    first_seen DATE, last_seen DATE, discovered BOOLEAN
);
CREATE TABLE IF NOT EXISTS id_map (
    old_id VARCHAR PRIMARY KEY, new_id VARCHAR NOT NULL, label VARCHAR
);
"""

VIEWS = """
CREATE OR REPLACE VIEW quotes_by_speaker AS
SELECT coalesce(q.speaker_canonical_id, lower(q.speaker_name)) AS speaker,
       min(q.speaker_canonical_id) AS speaker_id,
       coalesce(min(e.name), min(q.speaker_name)) AS name,
       min(q.speaker_label) AS label,
       mode(q.speaker_title) AS title,
       count(*) AS quotes,
       count(DISTINCT q.quote_cluster) AS distinct_quotes,
       count(DISTINCT q.doc_id) AS articles,
       min(a.published) AS first_quoted,
       max(a.published) AS last_quoted
FROM quotes q
JOIN articles a USING (doc_id)
LEFT JOIN entities e ON e.id = q.speaker_canonical_id
WHERE coalesce(q.speaker_canonical_id, q.speaker_name) IS NOT NULL
GROUP BY 1
ORDER BY quotes DESC, speaker;

CREATE OR REPLACE VIEW entity_comentions AS
WITH present AS (
    SELECT DISTINCT m.doc_id, m.canonical_id
    FROM mentions m JOIN articles a USING (doc_id)
    WHERE m.canonical_id IS NOT NULL AND a.duplicate_of IS NULL
)
SELECT x.canonical_id AS entity_a, ea.name AS name_a, ea.label AS label_a,
       y.canonical_id AS entity_b, eb.name AS name_b, eb.label AS label_b,
       count(*) AS articles
FROM present x
JOIN present y ON x.doc_id = y.doc_id AND x.canonical_id < y.canonical_id
LEFT JOIN entities ea ON ea.id = x.canonical_id
LEFT JOIN entities eb ON eb.id = y.canonical_id
GROUP BY ALL
ORDER BY articles DESC, entity_a, entity_b;

CREATE OR REPLACE VIEW chip_quotes AS
WITH chips AS (
    SELECT doc_id, coalesce(canonical_id, canonical_name) AS chip, start_char, end_char
    FROM mentions WHERE label = 'CHIP'
)
SELECT q.doc_id, q.quote_id, q.text, q.kind, q.speaker_name, q.speaker_canonical_id, q.speaker_label,
       q.quote_cluster, a.published,
       list_sort(list_distinct(list(c.chip))) AS chips,
       list_sort(list_distinct(coalesce(list(c.chip) FILTER (WHERE c.start_char >= q.start_char
                                                             AND c.end_char <= q.end_char), []))) AS chips_in_quote,
       bool_or(c.start_char >= q.start_char AND c.end_char <= q.end_char) AS chip_in_quote
FROM quotes q
JOIN chips c USING (doc_id)
JOIN articles a USING (doc_id)
GROUP BY ALL
ORDER BY a.published, q.doc_id, q.quote_id;
"""

_KEYS = {
    "articles": "doc_id",
    "mentions": "doc_id, mention_id",
    "quotes": "doc_id, quote_id",
    "entities": "id",
    "id_map": "old_id",
    **export_measures.KEYS,
}


@dataclass
class ExportSummary:
    articles: int = 0  # in this batch
    mentions: int = 0
    quotes: int = 0
    entities: int = 0
    measures: int = 0
    doubled_in_batch: int = 0  # records whose doc_id repeats in the batch (the last one is kept)
    totals: dict[str, int] | None = None  # rows per table in the database after the batch
    partitions_written: dict[str, int] | None = None  # Parquet partition files rewritten per table
    database: str = ""
    parquet_dir: str = ""
    seconds: float = 0.0

    def line(self) -> str:
        t = self.totals or {}
        extra = f"; {self.doubled_in_batch} repeated doc_ids (last kept)" if self.doubled_in_batch else ""
        return (
            f"{self.articles} articles, {self.mentions} mentions, {self.quotes} quotes upserted; database now has "
            f"{t.get('articles', 0)} articles, {t.get('mentions', 0)} mentions, {t.get('quotes', 0)} quotes, "
            f"{t.get('entities', 0)} entities, {t.get('measures', 0)} measures{extra}"
        )


def _append(columns: dict[str, list[Any]], **values: Any) -> None:
    for k, v in values.items():
        columns[k].append(v)


def _rows(records: list[ArticleRecord]) -> tuple[dict[str, list[Any]], dict[str, list[Any]], dict[str, list[Any]]]:
    art: dict[str, list[Any]] = {f.name: [] for f in ARTICLES}
    men: dict[str, list[Any]] = {f.name: [] for f in MENTIONS}
    quo: dict[str, list[Any]] = {f.name: [] for f in QUOTES}
    for r in records:
        s = r.source
        _append(art, doc_id=r.doc_id, path=s.path, url=s.url, publisher=s.publisher, published=s.published,
                title=s.title, text=r.text, n_entities=len(r.entities), n_quotes=len(r.quotes),
                duplicate_of=r.duplicate_of, dup_cluster=r.dup_cluster, pipeline_version=r.pipeline.version,
                rules_version=r.pipeline.rules_version, model=r.pipeline.model)
        for e in r.entities:
            title = e.attrs.get("title")
            _append(men, doc_id=r.doc_id, mention_id=e.id, text=e.text, start_char=e.start, end_char=e.end,
                    label=e.label.value, canonical_id=e.canonical_id, canonical_name=e.canonical_name,
                    method=e.provenance.method.value, rule=e.provenance.rule, score=e.provenance.score,
                    title=str(title) if title is not None else None,
                    attrs=json.dumps(e.attrs, ensure_ascii=False, sort_keys=True) if e.attrs else None)
        for q in r.quotes:
            sp = q.speaker
            mention = sp.mention if sp is not None else None
            _append(quo, doc_id=r.doc_id, quote_id=q.id, text=q.text, start_char=q.start, end_char=q.end,
                    kind=q.kind.value, cue_text=q.cue.text if q.cue else None,
                    speaker_text=mention.text if mention else None,
                    speaker_entity_id=sp.entity_id if sp else None,
                    speaker_canonical_id=sp.canonical_id if sp else None, speaker_name=sp.name if sp else None,
                    speaker_label=sp.label.value if sp and sp.label else None,
                    speaker_title=sp.title if sp else None, channel=q.channel, via=q.via,
                    rule=q.provenance.method, score=q.provenance.score, quote_cluster=q.quote_cluster)
    return art, men, quo


def _entity_rows(rows: list[EntityRow]) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {f.name: [] for f in ENTITIES}
    for row in rows:
        d = row.model_dump(mode="json")
        for f in ENTITIES:
            out[f.name].append(d[f.name])
    return out


def _columns(schema: pa.Schema, dates: tuple[str, ...] = ()) -> tuple[str, str]:
    names = [f.name for f in schema]
    select = [f"TRY_CAST({n} AS DATE) AS {n}" if n in dates else n for n in names]
    return ", ".join(names), ", ".join(select)


def export_records(
    records: Iterable[ArticleRecord],
    *,
    out_dir: Path,
    settings: Settings | None = None,
    entities: Iterable[EntityRow] | None = None,
) -> ExportSummary:
    """Upsert `records` (and the entity table, rebuilt from the mentions when not given) into
    `out_dir/tradex.duckdb`, then rewrite `out_dir/parquet/*.parquet` from the database."""
    t0 = time.perf_counter()
    out_dir = Path(out_dir)
    pq_dir = out_dir / PARQUET_DIR
    pq_dir.mkdir(parents=True, exist_ok=True)
    recs = list(records)
    # a doc_id that repeats in one batch would hit its own primary key twice: the last record wins,
    # as if the batch had been exported record by record
    last: dict[str, int] = {}
    for i, r in enumerate(recs):
        last[r.doc_id] = i
    kept = [recs[i] for i in sorted(last.values())]
    summary = ExportSummary(doubled_in_batch=len(recs) - len(kept))
    rows = list(entities) if entities is not None else []
    known = {row.id for row in rows}
    # ids the given table lacks (or every id, when there is no table) come from the mentions themselves
    rows += [row for row in entity_table(kept) if row.id not in known]
    art, men, quo = _rows(kept)
    summary.articles, summary.mentions, summary.quotes = len(art["doc_id"]), len(men["doc_id"]), len(quo["doc_id"])
    summary.entities = len(rows)
    batch = {
        "b_articles": pa.table(art, schema=ARTICLES),
        "b_mentions": pa.table(men, schema=MENTIONS),
        "b_quotes": pa.table(quo, schema=QUOTES),
        "b_entities": pa.table(_entity_rows(rows), schema=ENTITIES),
        **export_measures.batch_tables(kept),
    }
    summary.measures = batch["b_measures"].num_rows
    db = out_dir / DB_NAME
    con = open_database(db)
    try:
        con.execute(DDL)
        con.execute(export_measures.DDL)
        for name, table in batch.items():
            con.register(name, table)
        con.execute("BEGIN TRANSACTION")
        try:
            _upsert(con)
            export_measures.upsert(con)
            con.execute(VIEWS)
            con.execute(export_measures.VIEWS)
            for statement in comment_statements():
                con.execute(statement)
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        summary.totals = {t: int(con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]) for t in _KEYS}
        summary.partitions_written = write_tables(con, pq_dir, _KEYS)
    finally:
        con.close()
    summary.database, summary.parquet_dir = str(db), str(pq_dir)
    summary.seconds = time.perf_counter() - t0
    return summary


def open_database(db: Path) -> duckdb.DuckDBPyConnection:
    """A connection whose default catalog is `db`, created in `STORAGE_VERSION`; TradexError (exit 2) when
    another process holds the file open (DuckDB allows one writer)."""
    con = duckdb.connect(":memory:")
    options = "" if db.exists() else f" (STORAGE_VERSION '{STORAGE_VERSION}')"
    try:
        con.execute(f"ATTACH {_quoted(str(db))} AS tradex{options}")
    except duckdb.IOException as e:
        con.close()
        if "lock" in str(e).lower():
            raise TradexError(ErrorCode.DATABASE_BUSY, f"{db} is open in another process (DuckDB allows one "
                              "writer); close it there and export again") from e
        raise TradexError(ErrorCode.DATABASE_BUSY, f"{db} cannot be opened: {e}") from e
    con.execute("USE tradex")
    return con


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _map_replaced_ids(con: duckdb.DuckDBPyConnection) -> None:
    """Record in `id_map` every discovered id (`company:~harbor-ridge`) whose mentions the batch gives another
    id (a pack entry added since, or a re-clustering), so one entity never keeps two ids. Mentions are
    matched by article and span, not by mention id, which may differ between runs. Chains a -> b -> c are
    followed so every old id points at the id in use."""
    con.execute("""
        INSERT OR REPLACE INTO id_map
        SELECT m.canonical_id AS old_id, mode(b.canonical_id) AS new_id, min(m.label) AS label
        FROM mentions m
        JOIN b_mentions b ON b.doc_id = m.doc_id AND b.start_char = m.start_char AND b.end_char = m.end_char
                         AND b.label = m.label
        WHERE m.canonical_id LIKE '%:~%' AND b.canonical_id IS NOT NULL AND b.canonical_id <> m.canonical_id
        GROUP BY m.canonical_id""")
    con.execute("DELETE FROM id_map WHERE old_id IN (SELECT canonical_id FROM b_mentions)")  # back in use
    for _ in range(8):  # chains are short; each pass shortens every chain by one step
        con.execute("""
            UPDATE id_map SET new_id = nxt.new_id FROM id_map nxt
            WHERE id_map.new_id = nxt.old_id AND nxt.new_id <> id_map.old_id""")


def _upsert(con: duckdb.DuckDBPyConnection) -> None:
    a_cols, a_sel = _columns(ARTICLES, ("published",))
    m_cols, m_sel = _columns(MENTIONS)
    q_cols, q_sel = _columns(QUOTES)
    e_cols, e_sel = _columns(ENTITIES, ("first_seen", "last_seen"))
    _map_replaced_ids(con)
    # mentions/quotes an updated article no longer has would otherwise linger under their old keys
    con.execute("""
        DELETE FROM mentions WHERE doc_id IN (SELECT doc_id FROM b_articles)
          AND (doc_id, mention_id) NOT IN (SELECT (doc_id, mention_id) FROM b_mentions)""")
    con.execute("""
        DELETE FROM quotes WHERE doc_id IN (SELECT doc_id FROM b_articles)
          AND (doc_id, quote_id) NOT IN (SELECT (doc_id, quote_id) FROM b_quotes)""")
    con.execute(f"INSERT OR REPLACE INTO articles ({a_cols}) SELECT {a_sel} FROM b_articles")
    con.execute(f"INSERT OR REPLACE INTO mentions ({m_cols}) SELECT {m_sel} FROM b_mentions")
    con.execute(f"INSERT OR REPLACE INTO quotes ({q_cols}) SELECT {q_sel} FROM b_quotes")
    con.execute(f"""
        INSERT INTO entities ({e_cols}) SELECT {e_sel} FROM b_entities
        ON CONFLICT (id) DO UPDATE SET
            name = excluded.name, label = excluded.label, discovered = excluded.discovered,
            aliases = list_sort(list_distinct(list_concat(entities.aliases, excluded.aliases)))""")
    # counts and dates over everything exported so far, not just this batch
    con.execute("""
        UPDATE entities SET mentions = coalesce(s.n, 0), articles = coalesce(s.docs, 0),
                            first_seen = s.first_seen, last_seen = s.last_seen
        FROM (SELECT e.id, count(m.doc_id) AS n, count(DISTINCT m.doc_id) AS docs,
                     min(a.published) AS first_seen, max(a.published) AS last_seen
              FROM entities e
              LEFT JOIN mentions m ON m.canonical_id = e.id
              LEFT JOIN articles a ON a.doc_id = m.doc_id
              GROUP BY e.id) s
        WHERE entities.id = s.id""")
    # an id that id_map retired and no mention carries any more is gone from the entity table
    con.execute("""
        DELETE FROM entities WHERE id IN (SELECT old_id FROM id_map)
          AND id NOT IN (SELECT canonical_id FROM mentions WHERE canonical_id IS NOT NULL)""")
    # outlets: distinct publishers of the articles that carry the quote (its cluster, or its own article)
    con.execute("""
        UPDATE quotes SET outlets = s.outlets
        FROM (SELECT q.quote_cluster, count(DISTINCT a.publisher) AS outlets
              FROM quotes q JOIN articles a USING (doc_id)
              WHERE q.quote_cluster IS NOT NULL
              GROUP BY q.quote_cluster) s
        WHERE quotes.quote_cluster = s.quote_cluster""")
    con.execute("""
        UPDATE quotes SET outlets = CASE WHEN a.publisher IS NULL THEN 0 ELSE 1 END
        FROM articles a
        WHERE quotes.quote_cluster IS NULL AND a.doc_id = quotes.doc_id""")


def export_file(
    input_path: Path,
    out_dir: Path,
    *,
    settings: Settings | None = None,
    entities_path: Path | None = None,
) -> ExportSummary:
    """`export_records` over a records JSONL file; `entities_path` is normalize's table (rebuilt when None)."""
    rows = read_entities(entities_path) if entities_path is not None and Path(entities_path).exists() else None
    return export_records(read_records(input_path), out_dir=out_dir, settings=settings, entities=rows)

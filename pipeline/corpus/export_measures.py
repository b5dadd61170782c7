"""The measure tables of the export: `measures` (doc_id, measure_id), `measure_targets` and `measure_items`
(doc_id, measure_id, position), `quote_about` (doc_id, quote_id, ref_id), and the views `measures_timeline`
(actor, type, month, distinct measure clusters) and `quotes_on_measures`. `export.py` runs them with
its own tables, in the same transaction."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from models.records import ArticleRecord, Measure

_S, _I, _F = pa.string(), pa.int32(), pa.float64()

MEASURES = pa.schema([
    ("doc_id", _S), ("measure_id", _S), ("type", _S), ("mast_chapter", _S), ("status", _S), ("direction", _S),
    ("actor_name", _S), ("actor_canonical_id", _S), ("actor_label", _S), ("actor_jurisdiction", _S),
    ("policy_id", _S), ("rate_text", _S), ("rate_value", _F), ("rate_unit", _S), ("announced", _S),
    ("effective", _S), ("measure_date", _S), ("trigger_text", _S), ("trigger_start", _I), ("evidence_start", _I),
    ("evidence_end", _I), ("n_evidence", _I), ("quote_ids", pa.list_(_S)), ("rule", _S), ("score", _F),
    ("measure_cluster", _S),
])  # fmt: skip
MEASURE_TARGETS = pa.schema([
    ("doc_id", _S), ("measure_id", _S), ("position", _I), ("name", _S), ("entity_id", _S), ("canonical_id", _S),
    ("label", _S), ("jurisdiction", _S),
])  # fmt: skip
MEASURE_ITEMS = pa.schema([
    ("doc_id", _S), ("measure_id", _S), ("position", _I), ("text", _S), ("start_char", _I), ("end_char", _I),
    ("entity_id", _S), ("canonical_id", _S),
])  # fmt: skip
QUOTE_ABOUT = pa.schema([("doc_id", _S), ("quote_id", _S), ("ref_id", _S), ("ref_kind", _S)])

SCHEMAS = {"measures": MEASURES, "measure_targets": MEASURE_TARGETS, "measure_items": MEASURE_ITEMS,
           "quote_about": QUOTE_ABOUT}  # fmt: skip
KEYS = {
    "measures": "doc_id, measure_id",
    "measure_targets": "doc_id, measure_id, position",
    "measure_items": "doc_id, measure_id, position",
    "quote_about": "doc_id, quote_id, ref_id",
}

DDL = """
CREATE TABLE IF NOT EXISTS measures (
    doc_id VARCHAR NOT NULL, measure_id VARCHAR NOT NULL, type VARCHAR NOT NULL, mast_chapter VARCHAR,
    status VARCHAR NOT NULL, direction VARCHAR, actor_name VARCHAR, actor_canonical_id VARCHAR, actor_label VARCHAR,
    actor_jurisdiction VARCHAR, policy_id VARCHAR, rate_text VARCHAR, rate_value DOUBLE, rate_unit VARCHAR,
    announced VARCHAR, effective VARCHAR, measure_date DATE, trigger_text VARCHAR, trigger_start INTEGER,
    evidence_start INTEGER, evidence_end INTEGER, n_evidence INTEGER, quote_ids VARCHAR[], rule VARCHAR,
    score DOUBLE, measure_cluster VARCHAR, cluster_sources INTEGER,
    PRIMARY KEY (doc_id, measure_id)
);
CREATE TABLE IF NOT EXISTS measure_targets (
    doc_id VARCHAR NOT NULL, measure_id VARCHAR NOT NULL, position INTEGER NOT NULL, name VARCHAR,
    entity_id VARCHAR, canonical_id VARCHAR, label VARCHAR, jurisdiction VARCHAR,
    PRIMARY KEY (doc_id, measure_id, position)
);
CREATE TABLE IF NOT EXISTS measure_items (
    doc_id VARCHAR NOT NULL, measure_id VARCHAR NOT NULL, position INTEGER NOT NULL, text VARCHAR,
    start_char INTEGER, end_char INTEGER, entity_id VARCHAR, canonical_id VARCHAR,
    PRIMARY KEY (doc_id, measure_id, position)
);
CREATE TABLE IF NOT EXISTS quote_about (
    doc_id VARCHAR NOT NULL, quote_id VARCHAR NOT NULL, ref_id VARCHAR NOT NULL, ref_kind VARCHAR,
    PRIMARY KEY (doc_id, quote_id, ref_id)
);
"""

VIEWS = """
CREATE OR REPLACE VIEW measures_timeline AS
SELECT m.actor_jurisdiction AS actor, m.type, CAST(date_trunc('month', m.measure_date) AS DATE) AS month,
       count(DISTINCT coalesce(m.measure_cluster, m.doc_id || ':' || m.measure_id)) AS measures
FROM measures m
WHERE m.measure_date IS NOT NULL
GROUP BY ALL
ORDER BY month, actor, m.type;

CREATE OR REPLACE VIEW quotes_on_measures AS
SELECT qa.doc_id, qa.quote_id, qa.ref_id AS measure_id, m.type, m.status, m.direction, m.actor_jurisdiction,
       m.measure_cluster, q.text, q.kind, q.speaker_name, q.speaker_canonical_id, q.speaker_label, a.published
FROM quote_about qa
JOIN measures m ON m.doc_id = qa.doc_id AND m.measure_id = qa.ref_id
JOIN quotes q ON q.doc_id = qa.doc_id AND q.quote_id = qa.quote_id
JOIN articles a ON a.doc_id = qa.doc_id
ORDER BY a.published, qa.doc_id, qa.quote_id, qa.ref_id;
"""


def _measure_date(rec: ArticleRecord, m: Measure) -> str | None:
    """The day the timeline files the measure under: announced, else effective, else the publication date;
    a month-precision date counts as the month's first day."""
    for value in (m.announced, m.effective, rec.source.published):
        if value and len(value) >= 7:
            return value if len(value) >= 10 else f"{value[:7]}-01"
    return None


def _append(columns: dict[str, list[Any]], values: dict[str, Any]) -> None:
    for k, v in values.items():
        columns[k].append(v)


def rows(records: list[ArticleRecord]) -> dict[str, dict[str, list[Any]]]:
    """Column lists of the four tables for a batch of records."""
    out: dict[str, dict[str, list[Any]]] = {t: {f.name: [] for f in s} for t, s in SCHEMAS.items()}
    mea, tgt, itm, abt = (out[t] for t in SCHEMAS)
    for r in records:
        for m in r.measures:
            a = m.actor
            ev = m.evidence or [m.trigger]
            values: dict[str, Any] = dict(
                doc_id=r.doc_id, measure_id=m.id, type=m.type.value, mast_chapter=m.mast_chapter,
                status=m.status.value, direction=m.direction.value if m.direction else None,
                actor_name=a.name if a else None, actor_canonical_id=a.canonical_id if a else None,
                actor_label=a.label.value if a and a.label else None, actor_jurisdiction=a.jurisdiction if a else None,
                policy_id=m.policy, rate_text=m.rate.text.text if m.rate else None,
                rate_value=m.rate.value if m.rate else None, rate_unit=m.rate.unit.value if m.rate else None,
                announced=m.announced, effective=m.effective, measure_date=_measure_date(r, m),
                trigger_text=m.trigger.text, trigger_start=m.trigger.start, evidence_start=ev[0].start,
                evidence_end=ev[-1].end, n_evidence=len(m.evidence), quote_ids=list(m.quote_ids),
                rule=m.provenance.method, score=m.provenance.score, measure_cluster=m.measure_cluster,
            )  # fmt: skip
            _append(mea, values)
            for pos, t in enumerate(m.targets):
                _append(tgt, dict(doc_id=r.doc_id, measure_id=m.id, position=pos, name=t.name, entity_id=t.entity_id,
                                  canonical_id=t.canonical_id, label=t.label.value if t.label else None,
                                  jurisdiction=t.jurisdiction))  # fmt: skip
            for pos, it in enumerate(m.items):
                _append(itm, dict(doc_id=r.doc_id, measure_id=m.id, position=pos, text=it.text.text,
                                  start_char=it.text.start, end_char=it.text.end, entity_id=it.entity_id,
                                  canonical_id=it.canonical_id))  # fmt: skip
        for q in r.quotes:
            for ref in dict.fromkeys(q.about):
                kind = "measure" if ref.startswith("m") else "entity"
                _append(abt, dict(doc_id=r.doc_id, quote_id=q.id, ref_id=ref, ref_kind=kind))
    return out


def batch_tables(records: list[ArticleRecord]) -> dict[str, pa.Table]:
    """The batch tables to register, named `b_<table>`."""
    return {f"b_{t}": pa.table(cols, schema=SCHEMAS[t]) for t, cols in rows(records).items()}


def upsert(con: Any) -> None:
    """Replace every exported article's measure rows with the batch's, then the cluster source counts."""
    for table in SCHEMAS:
        cols = ", ".join(f.name for f in SCHEMAS[table])
        select = ", ".join(
            f"TRY_CAST({f.name} AS DATE) AS {f.name}" if f.name == "measure_date" else f.name for f in SCHEMAS[table]
        )
        # an updated article's rows are replaced as a whole: a measure it no longer has goes with it
        con.execute(f"DELETE FROM {table} WHERE doc_id IN (SELECT doc_id FROM b_articles)")
        con.execute(f"INSERT OR REPLACE INTO {table} ({cols}) SELECT {select} FROM b_{table}")
    # sources: the distinct outlets (or articles, when the publisher is unknown) reporting the cluster
    con.execute("""
        UPDATE measures SET cluster_sources = s.n
        FROM (SELECT coalesce(m.measure_cluster, m.doc_id || ':' || m.measure_id) AS cluster,
                     count(DISTINCT coalesce(a.publisher, a.doc_id)) AS n
              FROM measures m JOIN articles a USING (doc_id)
              GROUP BY 1) s
        WHERE coalesce(measures.measure_cluster, measures.doc_id || ':' || measures.measure_id) = s.cluster""")

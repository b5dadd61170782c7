"""The Parquet copy of the warehouse: one hive-partitioned dataset per table, rewritten only where it changed.

Layout: `parquet/<table>/published_month=YYYY-MM/data.parquet` for every table keyed by `doc_id` (the month
of the article's `published` date; `__HIVE_DEFAULT_PARTITION__` when it has none), and
`parquet/<table>/data.parquet` for the others (`entities`). Any hive-aware reader (pyarrow, DuckDB's
`read_parquet('parquet/quotes/**/*.parquet', hive_partitioning = true)`, Spark, Polars) sees one table with
a `published_month` column.

`parquet/_manifest.json` keeps a digest of every partition's rows (computed in DuckDB over the rows in key
order); after a batch, only the partitions whose digest changed are written (atomically, temp file and
rename), and partitions left empty are removed. An appended batch of one month rewrites that month, plus any
older month whose rows the batch changed (a quote's outlet count, a duplicate link).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

MANIFEST = "_manifest.json"
MONTH = "published_month"
NO_MONTH = "__HIVE_DEFAULT_PARTITION__"
FILE = "data.parquet"


def _month_sql(table: str) -> str:
    if table == "articles":
        return "coalesce(strftime(t.published, '%Y-%m'), '__HIVE_DEFAULT_PARTITION__')"
    return ("coalesce((SELECT strftime(a.published, '%Y-%m') FROM articles a WHERE a.doc_id = t.doc_id), "
            "'__HIVE_DEFAULT_PARTITION__')")


def _partitioned(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    cols = {r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()}
    return "doc_id" in cols


def _digests(con: duckdb.DuckDBPyConnection, table: str, key: str) -> dict[str, str]:
    """Digest of each partition's rows, in key order."""
    if not _partitioned(con, table):
        rows = con.execute(f"SELECT md5(coalesce(string_agg(CAST(t AS VARCHAR), chr(10) ORDER BY {key}), '')) "
                           f"FROM {table} t").fetchall()
        return {"": str(rows[0][0])}
    rows = con.execute(
        f"SELECT m, md5(string_agg(CAST(row AS VARCHAR), chr(10) ORDER BY k)) FROM ("
        f"  SELECT {_month_sql(table)} AS m, t AS row, ({key}) AS k FROM {table} t) GROUP BY m"
    ).fetchall()
    return {str(m): str(d) for m, d in rows}


def _write(con: duckdb.DuckDBPyConnection, table: str, key: str, month: str, path: Path) -> None:
    where = "" if not month else f"WHERE {_month_sql(table)} = '{month}'"
    data = con.sql(f"SELECT t.* FROM {table} t {where} ORDER BY {key}").to_arrow_table()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        pq.write_table(data, tmp)
        with tmp.open("rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _partition_path(root: Path, table: str, month: str) -> Path:
    return root / table / (f"{MONTH}={month}" if month else "") / FILE


def write_tables(con: duckdb.DuckDBPyConnection, root: Path, keys: dict[str, str]) -> dict[str, int]:
    """Bring `root` in line with the database; returns the number of partition files written per table."""
    root.mkdir(parents=True, exist_ok=True)
    manifest_path = root / MANIFEST
    old: dict[str, dict[str, str]] = {}
    if manifest_path.exists():
        try:
            old = json.loads(manifest_path.read_text(encoding="utf-8"))
        except ValueError:
            old = {}  # a damaged manifest only costs a full rewrite
    new: dict[str, dict[str, str]] = {}
    written: dict[str, int] = {}
    for table, key in keys.items():
        (root / f"{table}.parquet").unlink(missing_ok=True)  # the single-file layout of earlier versions
        # an empty table still gets a file (schema, no rows), so readers always find the dataset
        digests = _digests(con, table, key) or {NO_MONTH: "empty"}
        before = old.get(table, {})
        written[table] = 0
        for month, digest in digests.items():
            path = _partition_path(root, table, month)
            if before.get(month) != digest or not path.exists():
                _write(con, table, key, month, path)
                written[table] += 1
        for month in set(before) - set(digests):
            gone = _partition_path(root, table, month).parent
            if month and gone.is_dir():
                shutil.rmtree(gone)
        new[table] = digests
    tmp = manifest_path.with_name(f".{MANIFEST}.tmp{os.getpid()}")
    tmp.write_text(json.dumps(new, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, manifest_path)
    return written

"""The data dictionary agrees with the database, the README shows it, and older DuckDB clients read the file."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import duckdb
import pytest

from models.records import ArticleRecord
from pipeline.corpus.dictionary import TABLES, VIEWS, markdown
from pipeline.corpus.export import DB_NAME, STORAGE_VERSION, export_records
from tests.corpus.conftest import build_record

REPO = Path(__file__).resolve().parents[2]
OLD_CLI = "duckdb-cli==1.5.6"  # the DuckDB CLI Debian and PyPI users have; it reads file formats 64-68 only


@pytest.fixture
def exported(tmp_path: Path) -> Path:
    text = "Caldera Metals said gallium exports would halt. \u201cWe will comply,\u201d said Ana Ruiz."
    rec: ArticleRecord = build_record(
        "d1", text,
        entities=[{"text": "Caldera Metals", "label": "COMPANY"}, {"text": "gallium", "label": "MATERIAL",
                   "canonical_id": "material:gallium", "attrs": {"symbol": "Ga"}},
                  {"text": "Ana Ruiz", "label": "PERSON"}],
        quotes=[{"text": "We will comply,", "speaker": "Ana Ruiz", "speaker_entity": 2, "kind": "direct"}],
    )
    export_records([rec], out_dir=tmp_path)
    return tmp_path / DB_NAME


def test_every_table_and_column_is_in_the_dictionary_with_its_type_and_comment(exported: Path) -> None:
    con = duckdb.connect(str(exported), read_only=True)
    cols = con.execute("SELECT table_name, column_name, data_type, comment FROM duckdb_columns() "
                       "WHERE NOT internal AND table_name IN (SELECT table_name FROM duckdb_tables())").fetchall()
    in_db = {(t, c): (ty, cm) for t, c, ty, cm in cols}
    documented = {(t.name, c.name): (c.type, c.meaning) for t in TABLES for c in t.columns}
    assert set(in_db) == set(documented)
    assert in_db == documented
    tables = dict(con.execute("SELECT table_name, comment FROM duckdb_tables()").fetchall())
    assert tables == {t.name: t.meaning for t in TABLES}
    views = dict(con.execute("SELECT view_name, comment FROM duckdb_views() WHERE NOT internal").fetchall())
    assert views == VIEWS


def test_attrs_is_a_json_column(exported: Path) -> None:
    con = duckdb.connect(str(exported), read_only=True)
    assert con.execute("SELECT attrs->>'symbol' FROM mentions WHERE label = 'MATERIAL'").fetchall() == [("Ga",)]


def test_the_readme_shows_the_dictionary() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert markdown() in readme, "README's table section differs from `tradex schema --tables`: paste its output"


def test_schema_tables_prints_the_dictionary() -> None:
    r = subprocess.run([sys.executable, "-m", "pipeline.cli", "schema", "--tables"], capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout == markdown()


def _old_cli() -> Path:
    """The older DuckDB CLI in a throwaway venv (cached between runs); skip when it cannot be installed."""
    root = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "tradex-tests" / OLD_CLI.replace("==", "-")
    exe = root / "bin" / "duckdb"
    if not exe.exists():
        venv.create(root, with_pip=True)
        r = subprocess.run([str(root / "bin" / "pip"), "install", "-q", "--disable-pip-version-check", OLD_CLI],
                           capture_output=True, text=True)
        if r.returncode != 0 or not exe.exists():
            pytest.skip(f"cannot install {OLD_CLI} from the package index here: {r.stderr.strip()[-300:]}")
    return exe


def test_an_older_duckdb_cli_opens_the_database(exported: Path) -> None:
    exe = _old_cli()
    r = subprocess.run([str(exe), "-readonly", "-csv", str(exported), "-c",
                        "SELECT count(*) FROM mentions; SELECT attrs FROM mentions WHERE label = 'MATERIAL';"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[:3] == ["count_star()", "3", "attrs"] and '""Ga""' in lines[3]
    assert STORAGE_VERSION == "v1.0.0"


def test_a_database_open_in_another_process_is_one_coded_line_and_exit_2(exported: Path, tmp_path: Path) -> None:
    records = tmp_path / "r.jsonl"
    rec = build_record("d2", "Kestrel Mining said it would halt gallium exports.")
    records.write_text(rec.model_dump_json() + "\n", encoding="utf-8")
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('open', flush=True); time.sleep(60)", str(exported)], stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        r = subprocess.run([sys.executable, "-m", "pipeline.cli", "export", str(records), "--to",
                            str(exported.parent), "--quiet"], capture_output=True, text=True, timeout=120)
    finally:
        holder.kill()
        holder.wait()
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("TX310") and "another process" in r.stderr

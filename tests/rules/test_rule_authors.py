"""What a rule author meets: precise problems (folder/file:line:field), checked references and codes,
override warnings, one coded line for a bad --rules folder, the quote chain in `rules test`, `rules suggest`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.rules.packs import PackError, field_table, load_rule_packs
from tests.conftest import REPO

TRADEX = [sys.executable, "-m", "pipeline.cli"]


def _folder(tmp_path: Path, files: dict[str, list[dict | str]]) -> Path:
    d = tmp_path / "myrules"
    d.mkdir(exist_ok=True)
    for name, lines in files.items():
        (d / name).write_text("".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines),
                              encoding="utf-8")
    return d


@pytest.mark.parametrize(("files", "expected"), [
    ({"company.jsonl": [{"id": "company:acme", "name": "Acme", "country": "ZZ"}]},
     "myrules/company.jsonl:1:country: Value error, 'ZZ' is not an ISO 3166 alpha-2 code"),
    ({"chip.jsonl": [{"id": "chip:acme-x1", "name": "Acme X1", "vendor": "company:does-not-exist"}]},
     "myrules/chip.jsonl:1:vendor: 'company:does-not-exist' is no entry of the packs"),
    ({"person.jsonl": [{"id": "person:ana-ruiz", "name": "Ana Ruiz", "org": "company:nowhere"}]},
     "myrules/person.jsonl:1:org: 'company:nowhere' is no entry of the packs"),
    ({"Company.JSONL": [{"id": "company:acme", "name": "Acme"}]},
     "myrules/Company.JSONL:0: pack file names are lower case: name it company.jsonl"),
    ({"gadgets.jsonl": [{"id": "company:acme", "name": "Acme"}]}, "myrules/gadgets.jsonl:0: unknown pack file"),
])
def test_problems_name_the_folder_file_line_and_field(tmp_path: Path, files: dict, expected: str) -> None:
    with pytest.raises(PackError) as e:
        load_rule_packs(extra_dirs=[_folder(tmp_path, files)])
    assert any(expected in str(p) for p in e.value.problems), [str(p) for p in e.value.problems]


@pytest.mark.parametrize(("code", "ok"), [("CA", True), ("EU", True), ("SU", True), ("ZZ", False), ("XX", False)])
def test_country_codes_are_checked_against_iso_3166(tmp_path: Path, code: str, ok: bool) -> None:
    d = _folder(tmp_path, {"company.jsonl": [{"id": "company:acme", "name": "Acme Widgets", "country": code}]})
    if ok:
        assert "company:acme" in load_rule_packs(extra_dirs=[d]).entries
    else:
        with pytest.raises(PackError):
            load_rule_packs(extra_dirs=[d])


def test_the_built_in_packs_reference_only_entries_that_exist() -> None:
    load_rule_packs()  # raises on a dangling vendor/org/parent


def test_replacing_a_built_in_id_is_a_warning_naming_both_places_and_an_error_with_strict(tmp_path: Path) -> None:
    d = _folder(tmp_path, {"company.jsonl": [{"id": "company:nvidia", "name": "NVIDIA Corp (mine)"}]})
    packs = load_rule_packs(extra_dirs=[d])
    (w,) = packs.warnings
    assert "myrules/company.jsonl:1:id: replaces 'company:nvidia' of " in str(w)
    assert "pipeline/rules/company.jsonl:" in str(w)
    with pytest.raises(PackError, match="replaces 'company:nvidia'"):
        load_rule_packs(extra_dirs=[d], strict=True)
    r = subprocess.run([*TRADEX, "rules", "validate", str(d), "--strict"], capture_output=True, text=True)
    assert r.returncode == 1 and "replaces 'company:nvidia'" in r.stderr


@pytest.mark.parametrize("command", [
    ["extract", "corpus/synthetic/articles.jsonl", "--model", "none", "-o", "{tmp}/r.jsonl"],
    ["run", "corpus/synthetic/articles.jsonl", "--model", "none", "-o", "{tmp}/out"],
    ["rules", "test", "Acme said so."],
])
def test_a_bad_rules_folder_is_one_coded_line_and_exit_2(tmp_path: Path, command: list[str]) -> None:
    d = _folder(tmp_path, {"company.jsonl": ['{"id": "company:acme", ']})
    args = [a.replace("{tmp}", str(tmp_path)) for a in command]
    r = subprocess.run([*TRADEX, *args, "--rules", str(d)], capture_output=True, text=True, cwd=REPO)
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("TX304 rule packs do not validate:")
    assert "Traceback" not in r.stderr


def test_rules_test_shows_the_quote_rule_cue_and_speaker_chain_as_json_lines() -> None:
    text = "Nvidia said on Tuesday it would resume H20 sales to China. The company said it had applied for licences."
    r = subprocess.run([*TRADEX, "rules", "test", text, "--json"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    objs = [json.loads(line) for line in r.stdout.splitlines()]  # every line is one JSON object
    quotes = [o for o in objs if o["type"] == "quote"]
    assert quotes and all(q["provenance"]["method"] for q in quotes)
    last = quotes[-1]
    assert last["cue"]["text"] == "said"
    assert last["speaker_chain"][0] == "'The company'" and last["speaker_chain"][-1] == "company:nvidia"
    assert {o["type"] for o in objs} >= {"mention", "quote"}


def test_the_readme_shows_the_field_table() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- fields: generated by `tradex rules fields` -->\n", 1)[1].split("<!-- /fields -->")[0]
    assert block == field_table()


def test_suggest_then_use_the_suggestions_gives_the_pack_id(tmp_path: Path) -> None:
    text = ("Harbor Ridge Capital said on Monday it would back a graphite plant. \u201cWe see demand,\u201d "
            "said Lena Kowalczyk, an analyst at Harbor Ridge Capital.")
    inputs = tmp_path / "in.jsonl"
    inputs.write_text(json.dumps({"id": "a1", "published": "2025-07-01", "text": text}) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    assert subprocess.run([*TRADEX, "run", str(inputs), "-o", str(out), "--model", "none", "--quiet"],
                          cwd=REPO).returncode == 0
    r = subprocess.run([*TRADEX, "rules", "suggest", str(out), "-o", str(tmp_path / "sugg")],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    company = (tmp_path / "sugg" / "company.jsonl").read_text(encoding="utf-8").splitlines()
    assert company[0].startswith("// seen 2 times in 1 articles: ") and "[Harbor Ridge Capital]" in company[0]
    assert json.loads(company[1])["id"] == "company:harbor-ridge-capital"
    assert subprocess.run([*TRADEX, "rules", "validate", str(tmp_path / "sugg")]).returncode == 0
    # the run again with the suggestions as a pack: the mentions carry the pack id, and id_map retires the ~ id
    assert subprocess.run([*TRADEX, "run", str(inputs), "-o", str(out), "--model", "none", "--quiet", "--rules",
                           str(tmp_path / "sugg")], cwd=REPO).returncode == 0
    import duckdb

    con = duckdb.connect(str(out / "tradex.duckdb"), read_only=True)
    assert con.execute("SELECT new_id FROM id_map WHERE old_id = 'company:~harbor-ridge-capital'").fetchall() == [
        ("company:harbor-ridge-capital",)]
    assert not con.execute("SELECT id FROM entities WHERE id LIKE '%~harbor%'").fetchall()

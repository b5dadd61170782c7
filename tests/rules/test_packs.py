"""Rule packs: they validate, cover the field, and every problem is reported as file:line:field."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from models.records import Label
from pipeline.cli import app
from pipeline.rules.packs import PackError, builtin_rules_dir, load_rule_packs

runner = CliRunner()


@pytest.fixture(scope="module")
def packs():
    return load_rule_packs()


def test_tradex_rules_validate_passes():
    res = runner.invoke(app, ["rules", "validate"])
    assert res.exit_code == 0, res.output
    assert res.output.startswith("OK:")


@pytest.mark.parametrize(
    "label, minimum",
    [
        (Label.COMPANY, 400),
        (Label.CHIP, 200),
        (Label.OFFICIAL, 250),
        (Label.MATERIAL, 120),
        (Label.COUNTRY, 249),
        (Label.AGENCY, 100),
        (Label.MEDIA, 80),
        (Label.POLICY, 60),
        (Label.PERSON, 50),
    ],
)
def test_coverage(packs, label, minimum):
    assert len(packs.by_label(label)) >= minimum


def test_lexicons(packs):
    assert len(packs.cues) >= 150
    assert {"say", "tell", "according to", "emphasize", "warn"} <= {c.lemma for c in packs.cues}
    assert len(packs.titles) >= 100


@pytest.mark.parametrize(
    "entry_id, fact, value",
    [
        ("company:nvidia", "ticker", "NVDA"),
        ("chip:nvidia-h20", "vendor", "company:nvidia"),
        ("material:lanthanum", "symbol", "La"),
        ("country:cn", "iso", "CN"),
        ("official:howard-lutnick", "country", "US"),
        ("agency:bis", "jurisdiction", "US"),
    ],
)
def test_label_facts(packs, entry_id, fact, value):
    assert getattr(packs.entries[entry_id].entry, fact) == value


def _write(tmp_path, name, rows):
    p = tmp_path / name
    p.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return p


@pytest.mark.parametrize(
    "name, rows, expected",
    [
        (
            "company.jsonl",
            [{"id": "company:acme", "name": "Acme Widgets"}, {"id": "company:acme", "name": "Acme"}],
            "company.jsonl:2:id: duplicate id 'company:acme'",
        ),
        ("company.jsonl", [{"id": "company:acme", "name": "Acme", "colour": "red"}], "company.jsonl:1:colour"),
        ("company.jsonl", [{"id": "Acme", "name": "Acme"}], "company.jsonl:1:id"),
        ("company.jsonl", ['{"id": "company:acme", '], "company.jsonl:1: not JSON"),
        ("chip.jsonl", [{"id": "chip:x1", "name": "X1", "vendor": "acme"}], "chip.jsonl:1:vendor"),
        ("company.jsonl", [{"id": "chip:acme", "name": "Acme"}], "company.jsonl:1:id: id prefix says CHIP"),
        ("gadgets.jsonl", [{"id": "company:acme", "name": "Acme"}], "gadgets.jsonl:0: unknown pack file"),
        (
            "company.jsonl",
            [{"id": "company:acme", "name": "Acme", "aliases": ["NVIDIA"]}],
            "company.jsonl:1:aliases: 'NVIDIA' is also claimed by company:nvidia",
        ),
    ],
)
def test_problems_name_file_line_field(tmp_path, name, rows, expected):
    _write(tmp_path, name, rows)
    with pytest.raises(PackError) as info:
        load_rule_packs(extra_dirs=[tmp_path])
    # every location names the folder the file is in
    found = [str(p).removeprefix(f"{tmp_path}/")[: len(expected)] for p in info.value.problems]
    assert expected in found, info.value.problems


def test_cli_validate_reports_problems_with_exit_1(tmp_path):
    _write(tmp_path, "company.jsonl", [{"id": "company:acme", "name": "Acme", "country": "Utopia"}])
    res = runner.invoke(app, ["rules", "validate", str(tmp_path)])
    assert res.exit_code == 1
    assert "company.jsonl:1:country" in res.output


def test_user_pack_extends_and_overrides_by_id(tmp_path, packs):
    _write(
        tmp_path,
        "company.jsonl",
        [
            {"id": "company:caldera-metals", "name": "Caldera Metals Corp", "aliases": ["Caldera"]},
            {"id": "company:nvidia", "name": "Nvidia (renamed)", "aliases": ["NVIDIA"]},
        ],
    )
    mine = load_rule_packs(extra_dirs=[tmp_path])
    assert mine.entries["company:caldera-metals"].origin == "company.jsonl:1"
    assert mine.entries["company:nvidia"].entry.name == "Nvidia (renamed)"
    assert mine.version != packs.version


def test_rules_test_command_shows_matches_with_rule_ids():
    res = runner.invoke(app, ["rules", "test", "Nvidia shipped H20 chips to China.", "--json"])
    assert res.exit_code == 0
    for expected in ("company:nvidia", "chip:nvidia-h20", "country:cn", "company.jsonl:1", "chip.jsonl:1"):
        assert expected in res.output


@pytest.mark.parametrize(
    "args, expected",
    [
        (["rules", "list", "--label", "CHIP"], "chip:nvidia-h20"),
        (["rules", "show", "company:nvidia"], '"ticker": "NVDA"'),
        (["rules", "stats"], "COMPANY"),
    ],
)
def test_rules_inspection_commands(args, expected):
    res = runner.invoke(app, args)
    assert res.exit_code == 0
    assert expected in res.output


def _quote_words(**changes):
    base = json.loads((builtin_rules_dir() / "lexicon" / "quotes.json").read_text(encoding="utf-8"))
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({"platforms": None}, "lexicon/quotes.json:0:platforms: Field required"),
        ({"trim_cues": ["Said"]}, "lexicon/quotes.json:0: Value error, trim_cues: 'Said' must be lower-case"),
        ({"personal_pronouns": {"he": "x"}}, "lexicon/quotes.json:0:personal_pronouns.he"),
        ({"spare": ["x"]}, "lexicon/quotes.json:0:spare: Extra inputs"),
    ],
)
def test_quote_word_lists_are_validated(tmp_path, changes, expected):
    (tmp_path / "lexicon").mkdir()
    (tmp_path / "lexicon" / "quotes.json").write_text(json.dumps(_quote_words(**changes)), encoding="utf-8")
    with pytest.raises(PackError) as info:
        load_rule_packs(extra_dirs=[tmp_path])
    assert expected in [str(p)[: len(expected)] for p in info.value.problems], info.value.problems


def test_quote_word_lists_load_and_a_user_file_replaces_them(tmp_path, packs):
    assert packs.quote_words is not None
    assert "X" in packs.quote_words.platforms
    assert "according to" in packs.quote_words.trim_phrases
    (tmp_path / "lexicon").mkdir()
    (tmp_path / "lexicon" / "quotes.json").write_text(json.dumps(_quote_words(platforms=["Bluesky"])), encoding="utf-8")
    assert load_rule_packs(extra_dirs=[tmp_path]).quote_words.platforms == ["Bluesky"]


def test_bare_lemma_cues(packs):
    assert sorted(c.lemma for c in packs.cues if c.bare_lemma) == ["add", "insist", "say", "tell", "warn"]

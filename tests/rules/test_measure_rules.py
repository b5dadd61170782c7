"""Measure rules (lexicon/measures.jsonl, lexicon/measure_words.json): they validate, a user folder extends
them, and every problem is reported as file:line:field."""

from __future__ import annotations

import json

import pytest

from models.records import MeasureType
from pipeline.components.measures.lexicon import measure_rules
from pipeline.rules.packs import PackError, load_rule_packs


def test_builtin_rules_cover_every_type():
    packs = load_rule_packs()
    assert {t.type for t in packs.measure_triggers} == {t.value for t in MeasureType}
    assert packs.measure_words is not None
    assert set(packs.measure_words.status) == set(packs.measure_words.status_order)


def _user_dir(tmp_path, triggers=None, words=None):
    lex = tmp_path / "lexicon"
    lex.mkdir(parents=True)
    if triggers is not None:
        (lex / "measures.jsonl").write_text("\n".join(triggers) + "\n", encoding="utf-8")
    if words is not None:
        (lex / "measure_words.json").write_text(json.dumps(words), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ('{"id": "x", "forms": ["Tariff"], "type": "import_tariff"}', "forms"),
        ('{"id": "x", "forms": ["levy"], "type": "tax"}', "type"),
        ('{"id": "x", "forms": [], "type": "import_tariff"}', "forms"),
        ('{"id": "x", "forms": ["levy"], "type": "import_tariff", "colour": "red"}', "colour"),
        ('{"id": "x", "forms": ["levy"], "type": "import_tariff", "window": 0}', "window"),
    ],
)
def test_bad_trigger_is_reported_at_file_line_field(tmp_path, line, field):
    d = _user_dir(tmp_path, triggers=['{"id": "ok", "forms": ["levy"], "type": "import_tariff"}', line])
    with pytest.raises(PackError) as e:
        load_rule_packs(extra_dirs=[d])
    (problem,) = e.value.problems
    where = str(d / "lexicon" / "measures.jsonl")
    assert (problem.path, problem.line, problem.field.split(".")[0]) == (where, 2, field)


def test_bad_word_list_is_reported(tmp_path):
    d = _user_dir(tmp_path, words={"status": {"in_force": ["Took Effect"]}})
    with pytest.raises(PackError) as e:
        load_rule_packs(extra_dirs=[d])
    assert any(p.path == "lexicon/measure_words.json" for p in e.value.problems)


def test_user_rules_extend_the_builtin_ones(tmp_path, rules_nlp):
    d = _user_dir(
        tmp_path,
        triggers=['{"id": "export-tax", "forms": ["export tax", "export taxes"], "type": "export_control"}'],
        words={"status": {"announced": ["intends to"]}, "products": ["durian"]},
    )
    packs = load_rule_packs(extra_dirs=[d])
    assert packs.measure_triggers[0].id == "export-tax"
    assert len(packs.measure_triggers) == len(load_rule_packs().measure_triggers) + 1
    assert packs.measure_words is not None and "intends to" in packs.measure_words.status["announced"]
    rules = measure_rules((str(d),))
    assert rules.product_re is not None and rules.product_re.search("durian exports")


def test_user_trigger_through_the_pipeline(tmp_path):
    from pipeline import extract

    d = _user_dir(
        tmp_path, triggers=['{"id": "export-tax", "forms": ["export tax"], "type": "export_control"}'], words={}
    )
    (rec,) = extract(["Indonesia imposed an export tax on durian."], model="none", rules_dirs=[str(d)])
    assert [(m.type.value, m.provenance.method) for m in rec.measures] == [("export_control", "measure:export-tax")]

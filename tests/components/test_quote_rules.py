"""The quote rules table (`pipeline/components/quotes/rules.py`) documents every rule id the stage emits,
and the stage's results are typed (`Attribution`, `SpeakerRef`, `QuoteKind`, `QuoteRule`)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from models.records import Label, QuoteKind
from pipeline.components.quotes import RULES, Attribution, QuoteRule, SpeakerRef
from tests.conftest import REPO

PACKAGE = REPO / "pipeline" / "components" / "quotes"
RULE_ID = re.compile(r"""["'](?:direct|indirect):[a-z-]+["']""")


@pytest.mark.parametrize("rule", list(QuoteRule), ids=str)
def test_every_rule_has_a_description_and_a_score(rule):
    info = RULES[rule]
    assert info.description.strip()
    assert 0 < info.score <= 1


def test_the_table_holds_only_rules():
    assert set(RULES) == set(QuoteRule)


@pytest.mark.parametrize("path", sorted(p for p in PACKAGE.glob("*.py") if p.name != "rules.py"), ids=lambda p: p.name)
def test_no_module_writes_a_rule_id_of_its_own(path: Path):
    # a finder names a QuoteRule; an id written as a string would bypass the table
    assert RULE_ID.findall(path.read_text(encoding="utf-8")) == []


def test_the_stored_records_use_only_documented_rules():
    known = {r.value for r in QuoteRule}
    seen = set()
    for stored in sorted((REPO / "tests" / "golden").glob("*.jsonl")):
        for line in stored.read_text(encoding="utf-8").splitlines():
            seen.update(q["provenance"]["method"] for q in json.loads(line).get("quotes", []))
    assert seen and seen <= known
    for line in (REPO / "tests" / "golden" / "synthetic.rules.jsonl").read_text(encoding="utf-8").splitlines():
        for q in json.loads(line)["quotes"]:
            assert q["provenance"]["score"] == RULES[QuoteRule(q["provenance"]["method"])].score


def test_the_doc_carries_typed_attributions(rules_nlp):
    doc = rules_nlp("“We will respond firmly,” Commerce Minister Wang Wentao said on Tuesday.")
    found = doc._.trade_quotes
    assert [type(a) for a in found] == [Attribution]
    first = found[0]
    assert (first.kind, first.rule, first.score) == (QuoteKind.direct, QuoteRule.DIRECT_POST, 0.95)
    assert isinstance(first.speaker, SpeakerRef)
    assert first.speaker.name == "Wang Wentao"
    assert first.speaker.label is Label.OFFICIAL
    assert doc.text[first.start : first.end] == "We will respond firmly,"


def test_the_quote_word_lists_are_data(tmp_path):
    """A platform added in a user's `lexicon/quotes.json` is a channel (the lists are no longer code)."""
    from pipeline.nlp import build_nlp
    from pipeline.rules.packs import builtin_rules_dir
    from pipeline.settings import Settings

    words = json.loads((builtin_rules_dir() / "lexicon" / "quotes.json").read_text(encoding="utf-8"))
    words["platforms"] = [*words["platforms"], "Bluesky"]
    (tmp_path / "lexicon").mkdir()
    (tmp_path / "lexicon" / "quotes.json").write_text(json.dumps(words), encoding="utf-8")
    text = "“We will raise the tariffs on steel,” Nvidia said on Bluesky."
    for rules_dirs, channel in (([], None), ([tmp_path], "Bluesky")):
        doc = build_nlp(Settings(model="none", rules_dirs=rules_dirs))(text)
        assert [q.channel for q in doc._.trade_quotes] == [channel]

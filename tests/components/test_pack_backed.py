"""The stages carry their rule packs: `nlp.to_disk` saves them, and the saved pipeline loads and runs the
same without the rules folders its config names (issue #12)."""

from __future__ import annotations

import json
import shutil

import spacy

from pipeline.components.pack_backed import PACKS_FILE, PackBacked
from pipeline.nlp import RULES_VERSION_META, build_nlp
from pipeline.rules.packs import cached_packs, packs_from_json, packs_to_json
from pipeline.settings import Settings
from tests.conftest import record_of

# our own sentence; the company is one only the user's pack knows
TEXT = (
    "WASHINGTON (Reuters) - Harbor Ridge Microsystems said on Monday the Commerce Department would add it to "
    "the Entity List. \"We will appeal,\" said Lena Marsh, the company's chief executive."
)
USER_COMPANY = {"id": "company:harbor-ridge", "name": "Harbor Ridge Microsystems", "aliases": ["Harbor Ridge"]}


def _records_equal(a, b) -> None:
    assert a.model_dump(exclude={"pipeline"}) == b.model_dump(exclude={"pipeline"})


def test_packs_round_trip_through_json():
    packs = cached_packs(())
    again = packs_from_json(json.loads(json.dumps(packs_to_json(packs))))
    assert again == packs and len(again.entries) > 1000 and again.version == packs.version


def test_saved_pipeline_loads_without_its_rules_folder(tmp_path):
    rules = tmp_path / "my-rules"
    rules.mkdir()
    (rules / "company.jsonl").write_text(json.dumps(USER_COMPANY) + "\n", encoding="utf-8")
    nlp = build_nlp(Settings(model="none", rules_dirs=[rules], cache_pipeline=False))
    before = record_of(nlp, TEXT)
    assert any(e.canonical_id == "company:harbor-ridge" for e in before.entities)

    saved = tmp_path / "saved"
    nlp.to_disk(saved)
    for name in ("trade_entities", "trade_quotes", "trade_measures"):
        assert (saved / name / PACKS_FILE).is_file()
    shutil.rmtree(rules)  # the config still names it

    loaded = spacy.load(saved)
    assert loaded.meta[RULES_VERSION_META] == nlp.meta[RULES_VERSION_META]
    assert [n for n, p in loaded.pipeline if isinstance(p, PackBacked)] == [
        "trade_entities", "trade_quotes", "trade_measures"
    ]
    after = record_of(loaded, TEXT)
    _records_equal(before, after)
    assert after.quotes and after.measures

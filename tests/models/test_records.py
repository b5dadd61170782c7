"""The record models enforce the contract: spans point into the text, ids unique, order by start."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from models.records import ArticleRecord, Entity, Label, QuoteKind, Span
from models.schema import json_schema

TEXT = "Nvidia said on Tuesday that China would buy H20 chips."


def _record(**over):
    base = {
        "doc_id": "d1",
        "source": {"path": "x.txt"},
        "text": TEXT,
        "entities": [
            {
                "id": "e1",
                "text": "Nvidia",
                "start": 0,
                "end": 6,
                "label": "COMPANY",
                "canonical_id": "company:nvidia",
                "canonical_name": "NVIDIA Corporation",
                "provenance": {"method": "rule", "rule": "company.jsonl:1", "score": 1},
            },
        ],
        "quotes": [],
        "pipeline": {"version": "0", "rules_version": "r", "model": None},
    }
    base.update(over)
    return base


def test_valid_record_round_trips():
    rec = ArticleRecord.model_validate(_record())
    again = ArticleRecord.model_validate_json(rec.model_dump_json())
    assert again == rec
    assert rec.entities[0].label is Label.COMPANY


@pytest.mark.parametrize(
    "change, message",
    [
        (
            {
                "entities": [
                    {
                        "id": "e1",
                        "text": "Nvidiа",
                        "start": 0,
                        "end": 6,
                        "label": "COMPANY",
                        "canonical_id": None,
                        "canonical_name": "x",
                        "provenance": {"method": "rule", "rule": "r", "score": 1},
                    }
                ]
            },
            "!=",
        ),
        (
            {
                "entities": [
                    {
                        "id": "e1",
                        "text": "Nvidia",
                        "start": 0,
                        "end": 6,
                        "label": "FIRM",
                        "canonical_id": None,
                        "canonical_name": "x",
                        "provenance": {"method": "rule", "rule": "r", "score": 1},
                    }
                ]
            },
            "label",
        ),
        ({"schema_version": "2"}, "schema_version"),
        ({"unknown_field": 1}, "unknown_field"),
        (
            {
                "quotes": [
                    {
                        "id": "q1",
                        "text": "China",
                        "start": 28,
                        "end": 33,
                        "kind": "direct",
                        "provenance": {"method": "m", "score": 0.5},
                        "speaker": {"mention": {"text": "Nvidia", "start": 0, "end": 6}, "entity_id": "e9"},
                    }
                ]
            },
            "e9",
        ),
    ],
)
def test_invalid_records_are_rejected(change, message):
    with pytest.raises(ValidationError, match=message):
        ArticleRecord.model_validate(_record(**change))


def test_span_length_must_match_offsets():
    with pytest.raises(ValidationError):
        Span(text="abc", start=0, end=4)


def test_entities_must_be_sorted():
    e = _record()["entities"][0]
    later = {**e, "id": "e2", "text": "China", "start": 28, "end": 33, "label": "COUNTRY"}
    with pytest.raises(ValidationError, match="sorted"):
        ArticleRecord.model_validate(_record(entities=[later, e]))


def test_schema_lists_every_label_and_kind():
    schema = json.dumps(json_schema("record"))
    for label in Label:
        assert label.value in schema
    for kind in QuoteKind:
        assert f'"{kind.value}"' in schema
    assert Entity.model_json_schema()["properties"]["canonical_id"]


@pytest.mark.parametrize("which", ["record", "error", "gold"])
def test_every_schema_is_printable(which):
    assert json_schema(which)["type"] == "object"


def _measure(**over):
    from models.records import Measure

    data = {
        "id": "m1",
        "type": "export_control",
        "mast_chapter": "P",
        "status": "announced",
        "direction": "restrictive",
        "trigger": {"text": "curbs", "start": 6, "end": 11},
        "evidence": [{"text": "China curbs gallium exports.", "start": 0, "end": 28}],
        "provenance": {"method": "measure.trigger", "score": 0.8},
    }
    return Measure.model_validate(data | over)


@pytest.mark.parametrize(
    ("measure_type", "chapter", "ok"),
    [
        ("export_control", "P", True),
        ("import_tariff", None, True),
        ("import_tariff", "P", False),
        ("subsidy", "L", True),
    ],
)
def test_measure_mast_chapter_follows_the_contract_table(measure_type, chapter, ok):
    from pydantic import ValidationError

    if ok:
        assert _measure(type=measure_type, mast_chapter=chapter).mast_chapter == chapter
    else:
        with pytest.raises(ValidationError, match="mast_chapter"):
            _measure(type=measure_type, mast_chapter=chapter)


def test_measure_spans_and_references_are_checked_against_the_record():
    from pydantic import ValidationError

    from models.records import ArticleRecord

    text = "China curbs gallium exports."
    base = {"doc_id": "d", "source": {"path": "<t>"}, "text": text,
            "pipeline": {"version": "t", "rules_version": "t", "model": None}}
    rec = ArticleRecord.model_validate(base | {"measures": [_measure().model_dump()]})
    assert rec.measures[0].trigger.text == "curbs"
    bad = _measure().model_dump() | {"quote_ids": ["q9"]}
    with pytest.raises(ValidationError, match="quote id 'q9' is not a quote"):
        ArticleRecord.model_validate(base | {"measures": [bad]})

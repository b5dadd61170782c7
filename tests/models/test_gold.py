"""Gold models: inline text for our articles, stand-off (no copied text) for ../shared texts."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from models.gold import GoldArticle

SHA = "0" * 64


def test_synthetic_gold_checks_span_text():
    ok = GoldArticle.model_validate(
        {
            "doc_id": "s",
            "split": "dev",
            "origin": "synthetic",
            "text": "Nvidia said so.",
            "entities": [
                {"start": 0, "end": 6, "text": "Nvidia", "label": "COMPANY", "canonical_id": "company:nvidia"}
            ],
        }
    )
    assert ok.entities[0].canonical_id == "company:nvidia"
    with pytest.raises(ValidationError, match="does not match"):
        GoldArticle.model_validate(
            {
                "doc_id": "s",
                "split": "dev",
                "origin": "synthetic",
                "text": "Nvidia said so.",
                "entities": [{"start": 0, "end": 5, "text": "Nvidia", "label": "COMPANY", "canonical_id": None}],
            }
        )


@pytest.mark.parametrize(
    "obj",
    [
        {"doc_id": "r", "split": "dev", "origin": "reuters", "text": "copied text"},
        {"doc_id": "r", "split": "dev", "origin": "reuters"},
        {
            "doc_id": "r",
            "split": "dev",
            "origin": "reuters",
            "text_ref": {"path": "p", "sha256": SHA},
            "entities": [{"start": 0, "end": 3, "text": "abc", "label": "COUNTRY", "canonical_id": None}],
        },
    ],
)
def test_stand_off_gold_never_carries_shared_text(obj):
    with pytest.raises(ValidationError):
        GoldArticle.model_validate(obj)


def test_check_text_reports_hash_mismatch():
    g = GoldArticle.model_validate(
        {"doc_id": "r", "split": "test", "origin": "reuters", "text_ref": {"path": "p", "id": "x", "sha256": SHA}}
    )
    assert g.check_text("anything") == ["r: text hash differs from the gold's text_ref.sha256"]

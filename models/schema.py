"""JSON Schema of the public models (what `tradex schema` prints)."""

from __future__ import annotations

from typing import Any

from models.records import ArticleRecord, ErrorRecord


def json_schema(which: str = "record") -> dict[str, Any]:
    """Schema of `record`, `error` or `gold` files."""
    if which == "record":
        return ArticleRecord.model_json_schema()
    if which == "error":
        return ErrorRecord.model_json_schema()
    if which == "gold":
        from models.gold import GoldArticle

        return GoldArticle.model_json_schema()
    raise ValueError(f"unknown schema {which!r}: choose record, error or gold")

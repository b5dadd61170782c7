"""Pydantic models: article records, rule-pack entries, gold annotations, errors."""

from models.records import (
    SCHEMA_VERSION,
    ArticleRecord,
    Entity,
    EntityMethod,
    EntityProvenance,
    ErrorRecord,
    Label,
    PipelineInfo,
    Quote,
    QuoteKind,
    QuoteProvenance,
    Source,
    Span,
    Speaker,
)

__all__ = [
    "SCHEMA_VERSION",
    "ArticleRecord",
    "Entity",
    "EntityMethod",
    "EntityProvenance",
    "ErrorRecord",
    "Label",
    "PipelineInfo",
    "Quote",
    "QuoteKind",
    "QuoteProvenance",
    "Source",
    "Span",
    "Speaker",
]

"""Helpers for the measure-stage tests: a record of an invented text with a publication date."""

from __future__ import annotations

PUBLISHED = "2025-07-17"  # a Thursday


def dated_record(nlp, text: str, published: str | None = PUBLISHED):
    """The ArticleRecord of `text` through `nlp`, published on `published`."""
    from models.records import PipelineInfo, Source
    from pipeline.ingest import Article, text_doc_id
    from pipeline.nlp import make_docs
    from pipeline.records import doc_to_record

    doc = nlp(make_docs(nlp, [text], [published])[0])
    info = PipelineInfo(version="test", rules_version="test", model=None)
    return doc_to_record(doc, Article(text_doc_id(text), text, Source(path="<test>", published=published)), info)

"""HTML pages to articles: trafilatura's main text, one paragraph per block, blocks apart by a blank line.

trafilatura's own text output joins blocks with a single newline, so a headline and the paragraph after
it read as one paragraph, and the quote stage took the paragraph for the headline's quotation. The text
is rebuilt here from trafilatura's XML body instead: each top-level block (heading, paragraph, list,
quote, table) becomes one paragraph, as in our other formats.
"""

from __future__ import annotations

import copy
from typing import Any

from models.records import ErrorRecord, Source
from pipeline.errors import ErrorCode
from pipeline.ingest.dates import to_iso_date

EXTRACTED = "main text extracted from HTML by trafilatura"


def main_text(html: str) -> tuple[str | None, Any]:
    """The page's main text (paragraphs apart by a blank line) and trafilatura's document (metadata)."""
    import lxml.etree as etree
    import trafilatura
    from trafilatura.xml import xmltotxt

    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, favor_precision=True)
    if doc is None:
        return None, None
    body = getattr(doc, "body", None)
    if body is None or len(body) == 0:
        return getattr(doc, "text", None), doc
    blocks = []
    for block in body:
        wrapper = etree.Element("body")
        wrapper.append(copy.deepcopy(block))
        text = (xmltotxt(wrapper, False) or "").strip()
        if text:
            blocks.append(text)
    return "\n\n".join(blocks), doc


def page_source(doc: Any, path: str, repairs: list[str], *, url: str | None = None,
                published: str | None = None) -> Source:
    """Source fields from the page metadata; `url`/`published` given by a container (WARC) fill the gaps."""
    page_date = to_iso_date(getattr(doc, "date", None)) if doc is not None else None
    return Source(
        path=path,
        url=(getattr(doc, "url", None) if doc is not None else None) or url,
        publisher=(getattr(doc, "sitename", None) if doc is not None else None) or None,
        published=page_date or published,
        title=(getattr(doc, "title", None) if doc is not None else None) or None,
        repairs=[*repairs, EXTRACTED],
    )


def no_main_text(path: str) -> ErrorRecord:
    return ErrorRecord(source=path, error_code=ErrorCode.NO_MAIN_TEXT.value,
                       message="trafilatura found no main text in the page")

"""Feed and crawler JSON: a NewsAPI response, a news-please article, or a JSON list of articles.

A `.json` file (or `--format json|newsapi|news-please`) is one JSON document, read whole:
- NewsAPI (`{"articles": [...]}`): each article's `content`, else its `description`, is the text (NewsAPI
  cuts `content` off with a `[+N chars]` marker, which is removed and noted in `source.repairs`); `title`,
  `url`, `publishedAt` and `source.name` fill the source. Source path `FILE#articles[i]`.
- news-please (an object with `maintext`): `maintext`, else `description`; `title`, `url`,
  `date_publish`, `source_domain`.
- a list: each element read as one of the two, or with our own field names (`[tradex.columns]`);
  source path `FILE#[i]`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from models.records import ErrorRecord
from pipeline.errors import ErrorCode
from pipeline.ingest.decode import DecodeError, decode_bytes
from pipeline.ingest.readers import Item, _from_mapping
from pipeline.settings import InputColumns, Settings

_TRUNCATED = re.compile(r"\s*…?\s*\[\+\d+ chars\]\s*$")
SHAPES = ("json", "newsapi", "news-please")


def _error(where: str, code: ErrorCode, message: str) -> ErrorRecord:
    return ErrorRecord(source=where, error_code=code.value, message=message)


def _newsapi_fields(a: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    repairs: list[str] = []
    text = a.get("content") or a.get("description")
    if isinstance(text, str) and _TRUNCATED.search(text):
        text = _TRUNCATED.sub("", text)
        repairs.append("NewsAPI truncation marker '[+N chars]' removed from content")
    source = a.get("source")
    publisher = source.get("name") if isinstance(source, dict) else None
    return {"text": text, "title": a.get("title"), "url": a.get("url"), "published": a.get("publishedAt"),
            "publisher": publisher}, repairs


def _news_please_fields(a: dict[str, Any]) -> dict[str, Any]:
    return {"text": a.get("maintext") or a.get("description"), "title": a.get("title"), "url": a.get("url"),
            "published": a.get("date_publish"), "publisher": a.get("source_domain")}


def shape_of(obj: Any) -> str | None:
    """`newsapi`, `news-please`, `list`, or None for a document of no known shape."""
    if isinstance(obj, dict) and isinstance(obj.get("articles"), list):
        return "newsapi"
    if isinstance(obj, dict) and "maintext" in obj:
        return "news-please"
    if isinstance(obj, list):
        return "list"
    return None


def read_feed(data: bytes, path: str, settings: Settings) -> Iterator[Item]:
    """The articles of one JSON document (see the module docstring); bad elements are coded lines."""
    try:
        dec = decode_bytes(data)
    except DecodeError as e:
        yield _error(path, ErrorCode.UNDECODABLE, str(e))
        return
    try:
        obj = json.loads(dec.text)
    except json.JSONDecodeError as e:
        yield _error(path, ErrorCode.BAD_JSON, f"{e.msg} at line {e.lineno} column {e.colno}")
        return
    except RecursionError:
        yield _error(path, ErrorCode.BAD_JSON, "the JSON document is nested too deep")
        return
    fixed = settings.model_copy(update={"columns": InputColumns()})  # feed fields have fixed names
    shape = shape_of(obj)
    if settings.input_format in ("newsapi", "news-please") and shape not in (settings.input_format, "list"):
        found = shape or "no known shape"
        yield _error(path, ErrorCode.UNKNOWN_FEED, f"not a {settings.input_format} document (found {found})")
        return
    if shape == "newsapi":
        for i, art in enumerate(obj["articles"]):
            yield _element(art, f"{path}#articles[{i}]", settings, fixed, dec.repairs, "newsapi")
    elif shape == "news-please":
        yield _element(obj, path, settings, fixed, dec.repairs, "news-please")
    elif shape == "list":
        for i, art in enumerate(obj):
            yield _element(art, f"{path}#[{i}]", settings, fixed, dec.repairs, None)
    else:
        yield _error(path, ErrorCode.UNKNOWN_FEED,
                     f"a JSON {type(obj).__name__} that is neither a NewsAPI response ({{\"articles\": [...]}}), "
                     "a news-please article (with 'maintext') nor a list of articles")


def _element(art: Any, where: str, settings: Settings, fixed: Settings, repairs: list[str],
             shape: str | None) -> Item:
    """One article of a feed: NewsAPI and news-please fields are read with `fixed` (their own names), a
    plain list entry with the user's column names in `settings`."""
    if not isinstance(art, dict):
        return _error(where, ErrorCode.NOT_AN_OBJECT, f"a JSON {type(art).__name__}, not an object")
    if shape is None:
        shape = "newsapi" if ("content" in art and "publishedAt" in art) else (
            "news-please" if "maintext" in art else None)
    if shape == "newsapi":
        fields, more = _newsapi_fields(art)
        return _from_mapping(fields, where, fixed, [*repairs, *more])
    if shape == "news-please":
        return _from_mapping(_news_please_fields(art), where, fixed, repairs)
    return _from_mapping(art, where, settings, repairs)

"""Publication dates to ISO 8601 (date only)."""

from __future__ import annotations

import re
from datetime import date, datetime

from dateutil import parser as dateparser

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Whole-date stamps in fixed formats, parsed without dateutil (which costs about 1.5 ms a call, a visible
# share of a rules-only run): ISO date-times as feeds write them, and the Reuters wire's stamp.
_ISO_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}")
_WIRE_STAMP = re.compile(r"^(\d{1,2}-[A-Za-z]{3}-\d{4})(?: \d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")


def to_iso_date(value: object) -> str | None:
    """`'26-FEB-1987 15:51:51.24'` -> `'1987-02-26'`; None when it is not a whole, real calendar date
    (`2025-02-30`, `0000-00-00`, or `-1`, which a parser would complete with today's year and month)."""
    if value is None:
        return None
    s = str(value).strip()
    if not s:
        return None
    if _ISO.match(s):
        return _iso(s)
    if m := _ISO_DATETIME.match(s):
        return _iso(m.group(1))
    if m := _WIRE_STAMP.match(s):
        try:
            return datetime.strptime(m.group(1).title(), "%d-%b-%Y").date().isoformat()
        except ValueError:
            pass  # a month name strptime does not know in this locale: dateutil decides
    found = _parse_whole(s)
    if found is None:
        # Reuters writes fractional seconds after a dot: '15:51:51.24' parses, but some wires add zones.
        found = _parse_whole(s.split(" ")[0])
    return found.isoformat() if found is not None else None


def _iso(s: str) -> str | None:
    try:
        return date.fromisoformat(s).isoformat()
    except ValueError:
        return None


# Two defaults that differ in year, month and day: a date that comes out the same under both was complete.
_DEFAULTS = (datetime(2001, 1, 1), datetime(2002, 2, 2))


def _parse_whole(s: str) -> date | None:
    try:
        a, b = (dateparser.parse(s, fuzzy=False, default=d).date() for d in _DEFAULTS)
    except (ValueError, OverflowError, TypeError):
        return None
    return a if a == b else None
